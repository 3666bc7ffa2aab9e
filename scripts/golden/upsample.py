#!/usr/bin/env python3
"""Upsampling modules: /usr/bin/python3 scripts/golden/upsample.py

PyTorch 1.13's nn.Upsample (each mode), nn.UpsamplingNearest2d and
nn.UpsamplingBilinear2d, built from positional arguments: the repr, the
output and the input's gradient for a random upstream gradient. The
registry's samples check F.interpolate itself. Writes test/golden/upsample.json.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from common import module_case, write  # noqa: E402

gen = torch.Generator().manual_seed(11)
CASES = []


def case(ctor, args, shape, dtype=torch.float32):
    CASES.append(module_case(gen, ctor, args, shape, dtype))


case('Upsample', (None, 2), (2, 3, 4))
case('Upsample', ((5, 3), None, 'bilinear'), (1, 2, 3, 4))
case('Upsample', (None, 1.5, 'bilinear', True), (1, 2, 3, 4), dtype=torch.float64)
case('Upsample', (None, (2, 0.5, 1.5), 'trilinear'), (1, 1, 2, 4, 2))
case('Upsample', (7, None, 'linear', False), (2, 2, 5))
case('Upsample', (None, 0.75, 'nearest-exact', None, True), (1, 3, 8, 5))
case('Upsample', ((2, 3), None, 'area'), (1, 2, 5, 7))
case('UpsamplingNearest2d', (None, 3), (1, 2, 2, 3))
case('UpsamplingNearest2d', ((4, 5),), (2, 1, 3, 2))
case('UpsamplingBilinear2d', (None, 2), (1, 2, 3, 3))
case('UpsamplingBilinear2d', (4,), (1, 1, 2, 5), dtype=torch.float64)
write('upsample', CASES)
