#!/usr/bin/env python3
"""Golden fixtures for every activation: outputs and gradients from PyTorch.

Run with Debian's PyTorch: /usr/bin/python3 scripts/golden/activations.py
Writes test/golden/activations.json. Inputs are drawn from a seeded generator
(random shapes and values) plus edge values: ±0, ±Infinity, NaN, ±88,
±1000 and each function's kinks. The upstream gradient is random too, so
backward is checked against dy, not just against ones.
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import DTYPES, encode_tensor, write  # noqa: E402

EDGES = [0.0, -0.0, math.inf, -math.inf, math.nan, 88.0, -88.0, 1000.0, -1000.0, 1.0, -1.0, 1e-8, -1e-8, 20.0, -20.0]

REGISTRY = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'registry.generated.json')


def resolve(path):
    obj = torch
    for part in path.split('.')[1:]:
        obj = getattr(obj, part)
    return obj


def pointwise_activations():
    """nnkit name -> (torch call taking (x, **nnkit options), option sets, kinks), from the registry.

    src/registry/ declares each activation once; `npm run gen` writes its PyTorch
    callable, its parameters' PyTorch names and its golden option sets and kinks
    into registry.generated.json, read here.
    """
    with open(REGISTRY) as f:
        entries = json.load(f)['entries']
    out = {}
    for e in entries:
        if not e['golden']:
            continue
        f = resolve(e['torch'])
        names = {p['name']: p['torchName'] for p in e['params']}

        def call(x, f=f, names=names, **options):
            return f(x, **{names[k]: v for k, v in options.items()})

        out[e['name']] = (call, e['golden']['options'], e['golden']['kinks'])
    return out


ACTIVATIONS = pointwise_activations()

SOFTMAX = {
    'softmax': lambda x, dim, t: F.softmax(x / t, dim),
    'logSoftmax': lambda x, dim, t: F.log_softmax(x / t, dim),
    'softmin': lambda x, dim, t: F.softmax(-x / t, dim),
}


def run_case(fn, dtype, x, gout, extra_inputs=None):
    """Forward and backward in PyTorch; returns (output, {name: grad})."""
    x = x.clone().requires_grad_(True)
    inputs = {'input': x}
    for k, v in (extra_inputs or {}).items():
        inputs[k] = v.clone().requires_grad_(True)
    y = fn(**inputs)
    y.backward(gout)
    return y, {k: v.grad for k, v in inputs.items()}


def make_case(name, call, dtype, options, x, fn, gen, extra_inputs=None, label=''):
    torch_dtype = DTYPES[dtype]
    x = x.to(torch_dtype)
    with torch.no_grad():
        probe = fn(input=x, **({k: v.to(torch_dtype) for k, v in (extra_inputs or {}).items()}))
    gout = torch.randn(probe.shape, generator=gen, dtype=torch.float64).to(torch_dtype)
    extras = {k: v.to(torch_dtype) for k, v in (extra_inputs or {}).items()}
    y, grads = run_case(fn, dtype, x, gout, extras)
    case = {
        'id': f'{name}/{dtype}/{label}/{options}',
        'fn': name,
        'call': call,
        'dtype': dtype,
        'options': options,
        'input': encode_tensor(x),
        'gradOutput': encode_tensor(gout),
        'output': encode_tensor(y),
        'grads': {k: encode_tensor(g) for k, g in grads.items() if g is not None},
    }
    for k, v in extras.items():
        case[k] = encode_tensor(v)
    return case


def random_shape(gen):
    ndim = int(torch.randint(1, 4, (1,), generator=gen))
    return [int(torch.randint(1, 5, (1,), generator=gen)) for _ in range(ndim)]


def main():
    gen = torch.Generator().manual_seed(20261128)
    cases = []
    for dtype in ('float32', 'float64'):
        for name, (f, option_sets, kinks) in ACTIVATIONS.items():
            for options in option_sets:
                kw = dict(options)
                fn = lambda input, kw=kw, f=f: f(input, **kw)
                call = 'options'
                # random values on a random shape
                x = torch.randn(random_shape(gen), generator=gen, dtype=torch.float64) * 3
                cases.append(make_case(name, call, dtype, options, x, fn, gen, label='random'))
                # edges and kinks, including the kinks' neighbours
                edge = EDGES + kinks + [k + 1e-3 for k in kinks] + [k - 1e-3 for k in kinks]
                # PyTorch's CPU kernels treat NaN and some kinks differently in their
                # vectorised body and their scalar tail; a length that is a multiple
                # of 32 keeps every element in the vectorised body, which is what
                # nnkit follows (see the README's differences).
                edge = (edge * 2)[:32] if len(edge) <= 32 else (edge * 2)[:64]
                cases.append(make_case(name, call, dtype, options, torch.tensor(edge, dtype=torch.float64), fn, gen, label='edges'))
                # empty tensors
                cases.append(make_case(name, call, dtype, options, torch.zeros(2, 0, dtype=torch.float64), fn, gen, label='empty'))

        # PReLU: one shared slope and one per channel; the gradient reaches the weight.
        for shape, nw in (([5], 1), ([4, 3], 1), ([2, 3, 4], 3), ([2, 3], 3)):
            x = torch.randn(shape, generator=gen, dtype=torch.float64) * 2
            x.view(-1)[0] = 0.0
            w = torch.rand(nw, generator=gen, dtype=torch.float64) - 0.3
            cases.append(make_case('prelu', 'prelu', dtype, {}, x, lambda input, weight: F.prelu(input, weight), gen,
                                   extra_inputs={'weight': w}, label=f'{shape}x{nw}'))

        # GLU along several dims.
        for shape, dim in (([4, 6], -1), ([4, 6], 0), ([2, 4, 3], 1), ([6], 0)):
            x = torch.randn(shape, generator=gen, dtype=torch.float64) * 2
            cases.append(make_case('glu', 'glu', dtype, {'dim': dim}, x, lambda input, dim=dim: F.glu(input, dim), gen, label=str(shape)))

        # The softmax family: any dim, temperature, huge logits, rows of -inf, empty.
        for name, f in SOFTMAX.items():
            for shape, dim, t in (([4, 7], 1, 1.0), ([4, 7], 0, 1.0), ([3, 4, 5], 1, 1.0), ([3, 4, 5], -1, 0.5),
                                  ([2, 3, 2, 4], 2, 2.0), ([6], 0, 1.0), ([5, 3], -1, 0.1)):
                options = {'dim': dim} if t == 1.0 else {'dim': dim, 'temperature': t}
                x = torch.randn(shape, generator=gen, dtype=torch.float64) * 3
                fn = lambda input, f=f, dim=dim, t=t: f(input, dim, t)
                cases.append(make_case(name, 'dim', dtype, options, x, fn, gen, label=str(shape)))
            special = torch.tensor([[1000.0, -1000.0, 0.0, 999.0],
                                    [-math.inf, -math.inf, -math.inf, -math.inf],
                                    [-math.inf, 0.0, 1.0, -math.inf],
                                    [88.0, 88.0, 88.0, 88.0],
                                    [1e-30, -1e-30, 0.0, -0.0]], dtype=torch.float64)
            for t in (1.0, 4.0):
                options = {'dim': 1} if t == 1.0 else {'dim': 1, 'temperature': t}
                cases.append(make_case(name, 'dim', dtype, options, special, lambda input, f=f, t=t: f(input, 1, t), gen, label='special'))
            cases.append(make_case(name, 'dim', dtype, {'dim': 1}, torch.zeros(0, 4, dtype=torch.float64), lambda input, f=f: f(input, 1, 1.0), gen, label='empty'))
    write('activations', cases)


if __name__ == '__main__':
    main()
