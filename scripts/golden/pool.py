#!/usr/bin/env python3
"""Pooling modules: /usr/bin/python3 scripts/golden/pool.py

nn.MaxPool1d/2d and nn.AvgPool1d/2d with several arguments: repr, output
and input gradient for a random upstream gradient (inputs with repeated
values, so that ties pick PyTorch's element). The registry's samples check
the functions. Writes test/golden/pool.json.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

from common import encode_tensor, write  # noqa: E402

gen = torch.Generator().manual_seed(11)
CASES = []


def case(ctor, args, kwargs, shape, dtype=torch.float64, ties=False):
    m = getattr(nn, ctor)(*args, **kwargs)
    x = torch.randn(*shape, generator=gen, dtype=torch.float64)
    if ties:
        x = (x * 2).round() / 2
    x = x.to(dtype).requires_grad_()
    y = m(x)
    g = torch.randn(*y.shape, generator=gen, dtype=torch.float64).to(dtype)
    y.backward(g)
    CASES.append({
        'ctor': ctor, 'args': list(args),
        'kwargs': {''.join(w.capitalize() if i else w for i, w in enumerate(k.split('_'))): v
                   for k, v in kwargs.items()},
        'repr': repr(m), 'input': encode_tensor(x.detach()), 'output': encode_tensor(y.detach()),
        'upstream': encode_tensor(g), 'grad': encode_tensor(x.grad),
    })


case('MaxPool1d', (2,), {}, (2, 3, 8))
case('MaxPool1d', (3,), {'stride': 2, 'padding': 1, 'dilation': 2, 'ceil_mode': True}, (3, 10), ties=True)
case('MaxPool2d', (2,), {}, (2, 2, 6, 6), ties=True)
case('MaxPool2d', ((3, 2),), {'stride': (2, 3), 'padding': 1, 'ceil_mode': True}, (1, 2, 7, 8), dtype=torch.float32)
case('AvgPool1d', (3, 2), {}, (2, 3, 9))
case('AvgPool1d', (4,), {'stride': 3, 'padding': 2, 'ceil_mode': True, 'count_include_pad': False}, (3, 10))
case('AvgPool2d', (2,), {}, (2, 3, 6, 6), dtype=torch.float32)
case('AvgPool2d', ((2, 3),), {'padding': (1, 0), 'divisor_override': 4, 'ceil_mode': True}, (2, 5, 7))
case('MaxPool3d', (2,), {}, (2, 2, 4, 4, 4), ties=True)
case('MaxPool3d', ((3, 2, 2),), {'stride': (2, 1, 2), 'padding': 1, 'dilation': (1, 2, 1), 'ceil_mode': True},
     (1, 2, 5, 6, 5), dtype=torch.float32)
case('AvgPool3d', (2,), {}, (2, 2, 4, 4, 4), dtype=torch.float32)
case('AvgPool3d', ((3, 2, 3), (2, 1, 2), 1), {'count_include_pad': False, 'ceil_mode': True}, (2, 5, 4, 6))
case('AvgPool3d', ((2, 2, 1),), {'divisor_override': 3}, (1, 2, 4, 3, 2))
write('pool', CASES)
