"""Shared helpers for the golden-fixture scripts.

Every script runs PyTorch (Debian's python3-torch, through /usr/bin/python3)
and writes test/golden/<name>.json, which is committed so the test suite
needs no Python. Tensors are stored as {"dtype", "shape", "data"} with data
flat in row-major order; non-finite values and negative zero are strings
("NaN", "Infinity", "-Infinity", "-0") because JSON has no literals for them.
"""
import json
import math
import os

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
GOLDEN_DIR = os.path.join(ROOT, 'test', 'golden')

DTYPES = {'float32': torch.float32, 'float64': torch.float64, 'int32': torch.int64}


def encode_number(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v
    if math.isnan(v):
        return 'NaN'
    if math.isinf(v):
        return 'Infinity' if v > 0 else '-Infinity'
    if v == 0 and math.copysign(1.0, v) < 0:
        return '-0'
    return v


def encode_tensor(t):
    """A tensor as JSON; int64 tensors are written as int32 (nnkit's index dtype)."""
    t = t.detach()
    if t.dtype == torch.float32:
        dtype = 'float32'
    elif t.dtype == torch.float64:
        dtype = 'float64'
    elif t.dtype in (torch.int64, torch.int32, torch.bool):
        dtype = 'int32'
    else:
        raise ValueError(f'unsupported dtype {t.dtype}')
    flat = t.reshape(-1).tolist()
    if dtype == 'int32':
        flat = [int(v) for v in flat]
    return {'dtype': dtype, 'shape': list(t.shape), 'data': [encode_number(v) for v in flat]}


def encode_value(v):
    """Options may hold tensors, numbers, strings, lists and None."""
    if isinstance(v, torch.Tensor):
        return encode_tensor(v)
    if isinstance(v, float):
        return encode_number(v)
    if isinstance(v, (list, tuple)):
        return [encode_value(x) for x in v]
    if isinstance(v, dict):
        return {k: encode_value(x) for k, x in v.items()}
    return v


def write(name, cases, extra=None):
    os.makedirs(GOLDEN_DIR, exist_ok=True)
    doc = {'torch_version': torch.__version__, 'generator': f'scripts/golden/{name}.py', 'cases': cases}
    if extra:
        doc.update(extra)
    path = os.path.join(GOLDEN_DIR, f'{name}.json')
    with open(path, 'w') as f:
        json.dump(doc, f, separators=(',', ':'), allow_nan=False)
        f.write('\n')
    print(f'wrote {path}: {len(cases)} cases')


def module_case(gen, ctor, args, shape, dtype):
    """One module of torch.nn built from positional `args`, run on a random input of `shape` and
    backpropagated from a random upstream gradient: its repr, input, output, upstream gradient and
    the input's gradient, as the module golden tests (test/helpers/module-cases.ts) read them."""
    import torch.nn as nn
    m = getattr(nn, ctor)(*args)
    x = torch.randn(*shape, generator=gen, dtype=torch.float64).to(dtype).requires_grad_()
    y = m(x)
    g = torch.randn(*y.shape, generator=gen, dtype=torch.float64).to(dtype)
    y.backward(g)
    return {'ctor': ctor, 'args': list(args), 'repr': repr(m), 'input': encode_tensor(x.detach()),
            'output': encode_tensor(y.detach()), 'upstream': encode_tensor(g),
            'grad': encode_tensor(x.grad)}
