#!/usr/bin/env python3
"""Padding modules: /usr/bin/python3 scripts/golden/padding.py

Each of PyTorch 1.13's padding modules (ConstantPad1d/2d/3d, ZeroPad2d,
ReflectionPad1d/2d/3d, ReplicationPad1d/2d/3d) with an integer and with a
list of amounts, batched and unbatched inputs: its repr, the output and the
input's gradient for a random upstream gradient (amounts large enough that
replicate's edges collect many gradients). The registry's samples check
F.pad itself. Writes test/golden/padding.json.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from common import module_case, write  # noqa: E402

gen = torch.Generator().manual_seed(7)
CASES = []


def case(ctor, args, shape, dtype=torch.float64):
    CASES.append(module_case(gen, ctor, args, shape, dtype))


case('ConstantPad1d', (2, 3.5), (2, 3, 4))
case('ConstantPad1d', ([1, -2], -1.0), (3, 5))
case('ConstantPad2d', ([1, 0, 2, 3], 0.25), (2, 2, 3))
case('ConstantPad3d', (1, 2.0), (1, 2, 2, 2), dtype=torch.float32)
case('ZeroPad2d', ([2, 1, 0, 3],), (1, 2, 3, 3))
case('ReflectionPad1d', (2,), (2, 3, 4))
case('ReflectionPad1d', ([3, 1],), (2, 5))
case('ReflectionPad2d', ([1, 2, 2, 0],), (1, 2, 3, 4))
case('ReflectionPad3d', (1,), (1, 1, 2, 3, 3), dtype=torch.float32)
case('ReplicationPad1d', ([5, 2],), (2, 2, 3))
case('ReplicationPad2d', (3,), (2, 2, 2))
case('ReplicationPad3d', ([1, 0, 2, 1, 0, 2],), (1, 2, 2, 2, 2))
write('padding', CASES)
