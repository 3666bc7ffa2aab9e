#!/usr/bin/env python3
"""Max pooling's indices and max unpooling: /usr/bin/python3 scripts/golden/unpool.py

F.max_pool1d/2d/3d and F.adaptive_max_pool1d/2d/3d with return_indices=True (the
output, the indices and the input's gradient, in float32 and float64, batched
and unbatched, with padding, dilation, ceil mode, ties and one NaN per
window), then F.max_unpool1d/2d/3d of that output at those indices (to the
pooled input's size where the pooling has no dilation): the unpooled values
and the gradient of the pooled values. Then unpooling with repeated indices
(the last value wins; each repeat gets the gradient) and the modules' reprs.
Writes test/golden/unpool.json.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from common import encode_tensor, write  # noqa: E402

gen = torch.Generator().manual_seed(23)
CASES = []


def camel(k):
    return ''.join(w.capitalize() if i else w for i, w in enumerate(k.split('_')))


def randn(shape, dtype):
    return torch.randn(*shape, generator=gen, dtype=torch.float64).to(dtype)


def case(fn, shape, kwargs, dtype=torch.float64, ties=False, nan=0.0, unpool=True):
    x = torch.randn(*shape, generator=gen, dtype=torch.float64)
    if ties:
        x = (x * 2).round() / 2
    if nan:
        # A few NaNs, far enough apart that no window holds two (where nnkit's index is PyTorch's).
        flat = x.view(-1)
        for i in range(0, flat.numel(), int(1 / nan)):
            flat[i] = float('nan')
    x = x.to(dtype).requires_grad_()
    y, idx = getattr(F, fn)(x, return_indices=True, **kwargs)
    g = randn(y.shape, dtype)
    y.backward(g)
    c = {
        'fn': camel(fn), 'kwargs': {camel(k): v for k, v in kwargs.items()},
        'input': encode_tensor(x.detach()), 'output': encode_tensor(y.detach()),
        'indices': encode_tensor(idx), 'upstream': encode_tensor(g), 'grad': encode_tensor(x.grad),
    }
    if unpool and not fn.startswith('adaptive') and kwargs.get('dilation', 1) == 1:
        dims = int(fn[-2])
        v = y.detach().clone().requires_grad_()
        size = list(x.shape[-dims:])
        ks = {k: kwargs[k] for k in ('stride', 'padding') if k in kwargs}
        u = getattr(F, 'max_unpool%dd' % dims)(v, idx, kwargs['kernel_size'], output_size=size, **ks)
        gu = randn(u.shape, dtype)
        u.backward(gu)
        c['unpool'] = {
            'kwargs': {camel(k): v for k, v in ks.items()}, 'outputSize': size,
            'output': encode_tensor(u.detach()), 'upstream': encode_tensor(gu),
            'grad': encode_tensor(v.grad),
        }
    CASES.append(c)


case('max_pool1d', (2, 3, 8), {'kernel_size': 2})
case('max_pool1d', (3, 11), {'kernel_size': 3, 'stride': 2, 'padding': 1, 'ceil_mode': True}, ties=True)
case('max_pool1d', (2, 2, 10), {'kernel_size': 3, 'stride': 1, 'padding': 1, 'dilation': 2}, dtype=torch.float32)
case('max_pool1d', (2, 3, 9), {'kernel_size': 3, 'stride': 3}, nan=0.25)
case('max_pool2d', (2, 3, 6, 6), {'kernel_size': 2}, dtype=torch.float32)
case('max_pool2d', (1, 2, 7, 8), {'kernel_size': (3, 2), 'stride': (2, 3), 'padding': 1, 'ceil_mode': True}, ties=True)
case('max_pool2d', (2, 7, 7), {'kernel_size': 3, 'stride': 2, 'padding': 1}, dtype=torch.float32, ties=True)
case('max_pool2d', (1, 2, 9, 8), {'kernel_size': 3, 'stride': 1, 'padding': 1, 'dilation': (2, 1)})
case('max_pool2d', (2, 2, 6, 6), {'kernel_size': 2}, nan=0.125)
case('max_pool2d', (1, 1, 5, 5), {'kernel_size': 2, 'stride': 1}, ties=True)
case('adaptive_max_pool1d', (2, 3, 9), {'output_size': 4}, ties=True)
case('adaptive_max_pool1d', (3, 5), {'output_size': 7}, dtype=torch.float32)
case('adaptive_max_pool2d', (1, 2, 7, 6), {'output_size': (3, 4)}, ties=True)
case('adaptive_max_pool2d', (2, 5, 5), {'output_size': 2}, dtype=torch.float32)
case('adaptive_max_pool2d', (2, 2, 6, 4), {'output_size': (2, 4)}, nan=0.17)
case('max_pool3d', (2, 2, 4, 6, 4), {'kernel_size': 2}, ties=True)
case('max_pool3d', (1, 2, 5, 7, 6), {'kernel_size': (2, 3, 2), 'stride': (2, 2, 3), 'padding': 1, 'ceil_mode': True},
     dtype=torch.float32, ties=True)
case('max_pool3d', (2, 5, 6, 5), {'kernel_size': 3, 'stride': 2, 'padding': 1}, nan=0.01)
case('adaptive_max_pool3d', (1, 2, 5, 7, 6), {'output_size': (2, 3, 4)}, ties=True)
case('adaptive_max_pool3d', (2, 4, 3, 5), {'output_size': 2}, dtype=torch.float32)

# Unpooling alone: repeated indices (the last value wins, each repeat gets that gradient),
# the default size and an output size with N and C, float32.
UNPOOL = []


def unpool(dims, shape, indices, args, kwargs, dtype=torch.float64):
    v = randn(shape, dtype).requires_grad_()
    idx = torch.tensor(indices).view(*shape)
    u = getattr(F, 'max_unpool%dd' % dims)(v, idx, *args, **kwargs)
    gu = randn(u.shape, dtype)
    u.backward(gu)
    m = getattr(nn, 'MaxUnpool%dd' % dims)(*args, **{k: v for k, v in kwargs.items() if k != 'output_size'})
    um = m(v, idx, kwargs.get('output_size'))
    assert torch.equal(um, u)
    UNPOOL.append({
        'dims': dims, 'args': list(args),
        'kwargs': {camel(k): list(v) if isinstance(v, tuple) else v for k, v in kwargs.items()},
        'repr': repr(m), 'input': encode_tensor(v.detach()), 'indices': encode_tensor(idx),
        'output': encode_tensor(u.detach()), 'upstream': encode_tensor(gu), 'grad': encode_tensor(v.grad),
    })


unpool(1, (1, 2, 4), [1, 1, 2, 1, 0, 3, 3, 3], (2,), {'stride': 1})
unpool(1, (2, 3), [0, 5, 5, 4, 1, 5], (3,), {'stride': 2, 'padding': 1, 'output_size': [1, 1, 6]})
unpool(2, (1, 1, 2, 2), [0, 0, 15, 15], (2,), {})
unpool(2, (2, 2, 3), [0, 3, 9, 9, 4, 0, 1, 1, 1, 14, 13, 0], ((2, 3),), {'stride': (2, 1), 'padding': (0, 1), 'output_size': [2, 2, 5, 3]}, dtype=torch.float32)
unpool(2, (1, 2, 2), [0, 8, 8, 3], (3,), {'stride': 2, 'padding': 1})
unpool(3, (1, 1, 1, 2, 2), [0, 0, 7, 7], (2,), {})
unpool(3, (2, 1, 2, 1), [0, 11, 11, 3], ((2, 2, 3),), {'stride': (1, 2, 2), 'output_size': [2, 5, 4]},
       dtype=torch.float32)

write('unpool', CASES, {'unpool': UNPOOL})
