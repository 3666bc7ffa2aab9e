#!/usr/bin/env python3
"""nn.Conv1d, nn.Conv2d and nn.Conv3d: /usr/bin/python3 scripts/golden/conv.py

Each module's initial weights after torch.manual_seed (reset_parameters),
its repr, and a forward and backward from those weights: strides,
padding (numbers, 'same', 'valid'), dilation, groups, no bias, the
reflect/replicate/circular padding modes, unbatched inputs, float64. The
registry's samples check F.conv1d, F.conv2d and F.conv3d. Writes test/golden/conv.json.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

from common import encode_tensor, write  # noqa: E402

CASES = []


def case(ctor, args, kwargs, shape, dtype=torch.float32, seed=0):
    torch.manual_seed(70 + len(CASES))
    m = getattr(nn, ctor)(*args, **kwargs).to(dtype)
    gen = torch.Generator().manual_seed(80 + len(CASES))
    x = torch.randn(*shape, generator=gen, dtype=torch.float64).to(dtype).requires_grad_()
    y = m(x)
    g = torch.randn(*y.shape, generator=gen, dtype=torch.float64).to(dtype)
    y.backward(g)
    CASES.append({
        'seed': 70 + len(CASES), 'ctor': ctor, 'args': list(args),
        'kwargs': {''.join(w.capitalize() if i else w for i, w in enumerate(k.split('_'))): v
                   for k, v in kwargs.items()},
        'dtype': str(dtype)[6:], 'repr': repr(m),
        'state': {n: encode_tensor(t) for n, t in m.state_dict().items()},
        'input': encode_tensor(x.detach()), 'output': encode_tensor(y.detach()),
        'upstream': encode_tensor(g),
        'grads': {'input': encode_tensor(x.grad), **{n: encode_tensor(p.grad) for n, p in m.named_parameters()}},
    })


case('Conv1d', (3, 4, 3), {}, (2, 3, 9))
case('Conv1d', (4, 6, 2), {'stride': 2, 'padding': 1, 'dilation': 2, 'groups': 2, 'bias': False}, (2, 4, 11))
case('Conv1d', (2, 3, 4), {'padding': 'same', 'padding_mode': 'reflect'}, (2, 7))
case('Conv2d', (3, 5, 3), {'padding': 1}, (2, 3, 6, 5))
case('Conv2d', (4, 4, (3, 2)), {'stride': (2, 1), 'dilation': (1, 2), 'groups': 4}, (1, 4, 7, 6))
case('Conv2d', (2, 3, 3), {'padding': 1, 'padding_mode': 'circular'}, (1, 2, 5, 5), dtype=torch.float64)
case('Conv2d', (2, 3, 3), {'padding': 'valid'}, (2, 5, 5), dtype=torch.float64)
case('Conv2d', (2, 2, 3), {'padding': 2, 'padding_mode': 'replicate', 'stride': 2}, (1, 2, 5, 4))
case('Conv3d', (2, 3, 3), {'padding': 1}, (2, 2, 4, 5, 3))
case('Conv3d', (4, 2, (2, 3, 1)), {'stride': (1, 2, 1), 'dilation': (2, 1, 1), 'groups': 2, 'bias': False}, (1, 4, 5, 6, 3))
case('Conv3d', (1, 2, 2), {'padding': 'same', 'padding_mode': 'reflect'}, (1, 3, 4, 4), dtype=torch.float64)
case('Conv3d', (2, 2, 3), {'padding': (1, 2, 0), 'padding_mode': 'circular', 'stride': 2}, (1, 2, 4, 3, 5))
case('Conv3d', (2, 2, 2), {'padding': 1, 'padding_mode': 'replicate'}, (1, 2, 3, 3, 3))
write('conv', CASES)
