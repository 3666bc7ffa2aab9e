#!/usr/bin/env python3
"""Adaptive and power-average pooling modules: /usr/bin/python3 scripts/golden/adaptive_pool.py

nn.AdaptiveAvgPool1d/2d, nn.AdaptiveMaxPool1d/2d and nn.LPPool1d/2d: repr,
output and input gradient for a random upstream gradient, on the cases the
registry's samples leave out: windows that overlap (7 -> 3, 5 -> 2), outputs
larger than the input (3 -> 5), None entries, ties for the max (inputs
rounded to halves, whole rows of -inf), unbatched inputs, float32, empty
batches, an empty output, and LPPool windows whose powers sum to 0 (gradient
0). Writes test/golden/adaptive_pool.json.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

from common import encode_tensor, write  # noqa: E402

gen = torch.Generator().manual_seed(13)
CASES = []


def case(ctor, args, shape, dtype=torch.float64, ties=False, fill=None, backward=True):
    m = getattr(nn, ctor)(*args)
    x = torch.randn(*shape, generator=gen, dtype=torch.float64)
    if ties:
        x = (x * 2).round() / 2
    if fill is not None:
        x = fill(x)
    x = x.to(dtype).requires_grad_()
    y = m(x)
    g = torch.randn(*y.shape, generator=gen, dtype=torch.float64).to(dtype)
    if backward:
        y.backward(g)
    CASES.append({
        'ctor': ctor, 'args': [list(a) if isinstance(a, tuple) else a for a in args],
        'repr': repr(m), 'input': encode_tensor(x.detach()), 'output': encode_tensor(y.detach()),
        'upstream': encode_tensor(g), 'grad': encode_tensor(x.grad) if backward else None,
    })


def neg_inf_rows(x):
    x[..., 1, :] = -float('inf')
    return x


def zero_windows(x):
    x[..., :4] = 0
    return x


case('AdaptiveAvgPool1d', (3,), (2, 3, 7))
case('AdaptiveAvgPool1d', (5,), (2, 3))
# PyTorch's backward refuses empty channels and empty outputs (its forward takes them): the
# outputs only.
case('AdaptiveAvgPool1d', (4,), (2, 0, 7), backward=False)
case('AdaptiveAvgPool1d', ((2,),), (3, 5), dtype=torch.float32)
case('AdaptiveAvgPool2d', ((3, None),), (2, 2, 7, 5), dtype=torch.float32)
case('AdaptiveAvgPool2d', (2,), (1, 3, 5, 5))
case('AdaptiveAvgPool2d', ((5, 3),), (2, 3, 4))
case('AdaptiveAvgPool2d', ((4, 3),), (0, 2, 7, 5))
case('AdaptiveAvgPool2d', ((0, 2),), (1, 2, 7, 5), backward=False)
case('AdaptiveAvgPool2d', (1,), (2, 3, 6, 4), dtype=torch.float32)
case('AdaptiveAvgPool2d', ((None, None),), (1, 2, 3, 4))
case('AdaptiveMaxPool1d', (3,), (2, 3, 7), ties=True)
case('AdaptiveMaxPool1d', (5,), (2, 3), ties=True)
case('AdaptiveMaxPool1d', (1,), (2, 4, 6), dtype=torch.float32, ties=True)
case('AdaptiveMaxPool1d', (4,), (0, 2, 9))
case('AdaptiveMaxPool2d', ((3, None),), (2, 7, 5), dtype=torch.float32, ties=True)
case('AdaptiveMaxPool2d', (2,), (1, 2, 5, 5), ties=True)
case('AdaptiveMaxPool2d', ((5, 3),), (1, 1, 3, 4), ties=True)
case('AdaptiveMaxPool2d', (1,), (2, 3, 4, 4), ties=True)
case('AdaptiveMaxPool2d', ((2, 3),), (1, 2, 4, 6), ties=True, fill=neg_inf_rows)
case('AdaptiveMaxPool2d', (3,), (0, 2, 7, 7))
case('AdaptiveMaxPool2d', ((4, 2),), (2, 3, 8, 6), dtype=torch.float32)
case('LPPool1d', (2, 3), (2, 3, 8))
case('LPPool1d', (1.5, 4, 2, True), (3, 9), fill=lambda x: x.abs())
case('LPPool1d', (2, 2), (2, 2, 8), fill=zero_windows)
case('LPPool1d', (3, 2, 1), (0, 2, 6), dtype=torch.float32)
case('LPPool2d', (2, (3, 2)), (2, 2, 6, 6), dtype=torch.float32)
case('LPPool2d', (3, 2, 1, True), (1, 2, 5, 4))
case('LPPool2d', (2, 2, (1, 2), True), (2, 5, 5), fill=zero_windows)
case('LPPool2d', (4, 3), (0, 1, 6, 6))
write('adaptive_pool', CASES)
