#!/usr/bin/env python3
"""add_/sub_ with alpha against PyTorch: /usr/bin/python3 scripts/golden/inplace_alpha.py

PyTorch's add kernel computes `x + alpha·o` with one rounding (a fused
multiply-add, alpha rounded to the dtype), so two roundings differ in about
9% of float32 elements. Each case records x, o (a tensor of x's shape, a
broadcast row, or a number), alpha, PyTorch's result of x.add_ / x.sub_, and
the gradient of o for an upstream gradient of ones (recorded on a non-leaf
copy of x). Writes test/golden/inplace_alpha.json.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from common import encode_tensor, encode_value, write  # noqa: E402


def main():
    gen = torch.Generator().manual_seed(20261130)
    cases = []
    for dtype in (torch.float32, torch.float64):
        for method in ('add_', 'sub_'):
            for kind in ('same', 'row', 'number'):
                for alpha in (0.1, -3.7, 1.0, 1e-3):
                    x = torch.randn(64, 33, generator=gen, dtype=torch.float64).mul(3).to(dtype)
                    if kind == 'same':
                        o = torch.randn(64, 33, generator=gen, dtype=torch.float64).to(dtype)
                    elif kind == 'row':
                        o = torch.randn(33, generator=gen, dtype=torch.float64).to(dtype)
                    else:
                        o = 0.3
                    xr = x.clone().requires_grad_(True)
                    orq = o.clone().requires_grad_(True) if kind != 'number' else o
                    h = xr.mul(1)
                    getattr(h, method)(orq, alpha=alpha)
                    h.backward(torch.ones_like(h))
                    cases.append({
                        'method': method,
                        'alpha': alpha,
                        'x': encode_tensor(x),
                        'other': encode_value(o),
                        'result': encode_tensor(h),
                        'gradOther': encode_tensor(orq.grad) if kind != 'number' else None,
                        'gradX': encode_tensor(xr.grad),
                    })
    write('inplace_alpha', cases)


if __name__ == '__main__':
    main()
