#!/usr/bin/env python3
"""nn.Bilinear: /usr/bin/python3 scripts/golden/bilinear.py

Its initial weights after torch.manual_seed (drawn as reset_parameters
draws them), its repr, and a forward and backward from those weights,
float32 and float64, with and without bias. The registry's samples check
F.bilinear and F.linear. Writes test/golden/bilinear.json.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

from common import encode_tensor, write  # noqa: E402

CASES = []
for k, (in1, in2, out, bias, shape, dtype) in enumerate([
    (3, 4, 2, True, (5,), torch.float32),
    (2, 3, 4, False, (2, 3), torch.float64),
    (5, 1, 3, True, (), torch.float32),
]):
    torch.manual_seed(50 + k)
    m = nn.Bilinear(in1, in2, out, bias=bias).to(dtype)
    gen = torch.Generator().manual_seed(60 + k)
    x1 = torch.randn(*shape, in1, generator=gen, dtype=torch.float64).to(dtype).requires_grad_()
    x2 = torch.randn(*shape, in2, generator=gen, dtype=torch.float64).to(dtype).requires_grad_()
    y = m(x1, x2)
    g = torch.randn(*y.shape, generator=gen, dtype=torch.float64).to(dtype)
    y.backward(g)
    CASES.append({
        'seed': 50 + k, 'args': [in1, in2, out, bias], 'dtype': str(dtype)[6:], 'repr': repr(m),
        'state': {n: encode_tensor(t) for n, t in m.state_dict().items()},
        'input1': encode_tensor(x1.detach()), 'input2': encode_tensor(x2.detach()),
        'output': encode_tensor(y.detach()), 'upstream': encode_tensor(g),
        'grads': {'input1': encode_tensor(x1.grad), 'input2': encode_tensor(x2.grad),
                  **{n: encode_tensor(p.grad) for n, p in m.named_parameters()}},
    })
write('bilinear', CASES)
