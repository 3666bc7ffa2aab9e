#!/usr/bin/env python3
"""nn.ConvTranspose1d and nn.ConvTranspose2d: /usr/bin/python3 scripts/golden/conv_transpose.py

Each module's initial weights after torch.manual_seed (reset_parameters:
fan_in from the weight's (out/groups, kernel...) dimensions), its repr, and a
forward and backward from those weights: strides, padding, output padding
(below the stride, and at or above it but below the dilation), padding
beyond the kernel's span, dilation,
groups, no bias, forward's output_size (spatial sizes and the whole shape),
unbatched inputs, an empty batch, float64. The registry's samples check
F.conv_transpose1d and F.conv_transpose2d. Writes test/golden/conv_transpose.json.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

from common import encode_tensor, write  # noqa: E402

CASES = []


def camel(k):
    return ''.join(w.capitalize() if i else w for i, w in enumerate(k.split('_')))


def case(ctor, args, kwargs, shape, dtype=torch.float32, output_size=None):
    seed = 170 + len(CASES)
    torch.manual_seed(seed)
    m = getattr(nn, ctor)(*args, **kwargs).to(dtype)
    gen = torch.Generator().manual_seed(180 + len(CASES))
    x = torch.randn(*shape, generator=gen, dtype=torch.float64).to(dtype).requires_grad_()
    y = m(x) if output_size is None else m(x, output_size)
    g = torch.randn(*y.shape, generator=gen, dtype=torch.float64).to(dtype)
    y.backward(g)
    CASES.append({
        'seed': seed, 'ctor': ctor, 'args': list(args),
        'kwargs': {camel(k): v for k, v in kwargs.items()},
        'outputSize': output_size,
        'dtype': str(dtype)[6:], 'repr': repr(m),
        'state': {n: encode_tensor(t) for n, t in m.state_dict().items()},
        'input': encode_tensor(x.detach()), 'output': encode_tensor(y.detach()),
        'upstream': encode_tensor(g),
        'grads': {'input': encode_tensor(x.grad), **{n: encode_tensor(p.grad) for n, p in m.named_parameters()}},
    })


case('ConvTranspose1d', (3, 4, 3), {}, (2, 3, 6))
case('ConvTranspose1d', (4, 6, 3), {'stride': 2, 'padding': 1, 'output_padding': 1, 'groups': 2}, (2, 4, 5))
case('ConvTranspose1d', (2, 3, 2), {'stride': 1, 'output_padding': 2, 'dilation': 3, 'bias': False}, (2, 2, 5))
case('ConvTranspose1d', (3, 2, 4), {'stride': 3, 'padding': 1}, (3, 7), output_size=[20])
case('ConvTranspose1d', (3, 2, 3), {'stride': 2}, (2, 3, 5), dtype=torch.float64, output_size=[2, 2, 12])
case('ConvTranspose1d', (2, 2, 2), {'stride': 3, 'padding': 3}, (1, 2, 5))
case('ConvTranspose2d', (3, 5, 3), {'stride': 2, 'padding': 1}, (2, 3, 4, 5))
case('ConvTranspose2d', (4, 4, (3, 2)), {'stride': (2, 1), 'padding': (1, 0), 'output_padding': (1, 0),
                                         'dilation': (1, 2), 'groups': 4}, (1, 4, 5, 6))
case('ConvTranspose2d', (2, 3, 3), {'stride': 2, 'padding': 1, 'output_padding': (1, 2), 'dilation': (2, 3),
                                    'bias': False}, (2, 3, 4), dtype=torch.float64)
case('ConvTranspose2d', (4, 3, 3), {'stride': 2, 'padding': 1}, (1, 4, 6, 6), output_size=[12, 11])
case('ConvTranspose2d', (2, 4, 2), {'stride': 2}, (0, 2, 3, 3))
case('ConvTranspose2d', (6, 4, (2, 3)), {'stride': (3, 2), 'padding': (2, 1), 'groups': 2}, (2, 6, 3, 4),
     dtype=torch.float64, output_size=[2, 4, 6, 8])
case('ConvTranspose3d', (3, 2, 2), {'stride': 2}, (2, 3, 2, 3, 2))
case('ConvTranspose3d', (4, 4, (3, 2, 2)), {'stride': (2, 1, 2), 'padding': (1, 0, 1), 'output_padding': (1, 0, 0),
                                           'groups': 2, 'dilation': (1, 2, 1), 'bias': False}, (1, 4, 3, 3, 2))
case('ConvTranspose3d', (2, 3, 3), {'stride': 2, 'padding': 1}, (2, 3, 4, 3), dtype=torch.float64,
     output_size=[6, 8, 6])
write('conv_transpose', CASES)
