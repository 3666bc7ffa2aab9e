"""Golden values of torch.arange and torch.linspace (test/golden/creation.json).

Each case is {fn, args, dtype, out}: the positional arguments, the dtype
asked for (None: PyTorch's inference, which nnkit mirrors with int32 for
PyTorch's int64) and PyTorch's result. Run: /usr/bin/python3 scripts/golden/creation.py
"""
import torch

from common import encode_tensor, write

DT = {'float32': torch.float32, 'float64': torch.float64, 'int32': torch.int32, None: None}
cases = []


def add(fn, args, dtype=None):
    out = getattr(torch, fn)(*args, dtype=DT[dtype])
    if out.dtype == torch.int64:
        out = out.to(torch.int32)
    cases.append({'fn': fn, 'args': list(args), 'dtype': dtype, 'out': encode_tensor(out)})


for args in [(5,), (0,), (1, 4), (-3, 3), (10, 0, -3), (0, 20, 7), (-7, -100, -9), (2, 2)]:
    add('arange', args)
    add('arange', args, 'float64')
for args in [(0, 1, 0.25), (0, 1, 0.1), (-1.5, 2.5, 0.3), (1, 0, -0.07), (0.1, 1000.3, 0.7),
             (0, 5.5), (1e-3, 2e-3, 1e-5), (3.5,)]:
    add('arange', args)
    add('arange', args, 'float64')
for args in [(0, 1, 5), (-1, 1, 7), (0, 1, 0), (3, 3, 1), (2, -5, 2), (0, 1, 1000), (-10, 10, 129),
             (0.1, 0.7, 13), (1e-8, 1, 33), (-3.7, 91.3, 1001), (5, 5, 4), (0.5, 1.5, 1),
             (-2, 2, 6), (-2, 2, 100), (-3.3, 1.7, 77), (0.1, 7.3, 1000), (7.9, -2.2, 17),
             (-1e6, 3.3, 31), (2, 1, 47)]:
    add('linspace', args)
    add('linspace', args, 'float64')
for args in [(0, 10, 11), (-6, 6, 5), (100, 0, 26), (0, 10, 4), (0, 10, 20), (0.5, 9.7, 7),
             (-7.9, 3, 6), (3, -40, 37), (-5.5, 5.5, 1)]:
    add('linspace', args, 'int32')

write('creation', cases)
