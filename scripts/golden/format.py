"""Golden text of PyTorch's tensor printing (str(t), torch/_tensor_str.py).

Writes test/golden/format.json: a few hundred tensors (magnitudes from 1e-12
to 1e30, integer-valued floats, mixed signs, nan/inf, -0.0, rounding ties,
0-d, empty shapes with huge nominal sizes, 1-D to 5-D, rows that wrap,
summarised tensors of more than 1000 elements, float32 / float64 / int32,
requires_grad leaves, grad_fn results, and print-option settings), each as

    {label, dtype, shape, data, requiresGrad, options, expected}

`data` is the tensor's storage as base64 of its little-endian bytes in
`dtype` (float32 elements exactly as stored, NaN payloads and -0.0
included); `options` holds the torch.set_printoptions arguments with
nnkit's camelCase names (threshold Infinity as the string "Infinity"),
applied after resetting to the default profile. grad_fn cases add
`op` ([name, scalar?]), `input` and `inputShape` (the leaf): the result is
op(input) and `data` is the result's storage, so the test can check that
nnkit computes the same values before comparing the text.

Run: /usr/bin/python3 scripts/golden/format.py
"""
import base64
import math

import torch

from common import write

g = torch.Generator().manual_seed(20240613)
cases = []

NUMPY_DTYPE = {torch.float32: '<f4', torch.float64: '<f8', torch.int32: '<i4'}
NAMES = {torch.float32: 'float32', torch.float64: 'float64', torch.int32: 'int32'}


def b64(t):
    arr = t.detach().contiguous().reshape(-1).numpy().astype(NUMPY_DTYPE[t.dtype])
    return base64.b64encode(arr.tobytes()).decode('ascii')


def apply_options(options):
    torch.set_printoptions(profile='default', sci_mode=None)
    if options:
        kw = {}
        for k, v in options.items():
            key = {'sciMode': 'sci_mode'}.get(k, k)
            kw[key] = math.inf if v == 'Infinity' else v
        torch.set_printoptions(**kw)


def add(label, t, options=None, op=None, leaf=None):
    apply_options(options)
    expected = str(t)
    torch.set_printoptions(profile='default', sci_mode=None)
    case = {
        'label': label,
        'dtype': NAMES[t.dtype],
        'shape': list(t.shape),
        'data': b64(t),
        'requiresGrad': bool(t.requires_grad and t.grad_fn is None),
        'options': options or {},
        'expected': expected,
    }
    if op is not None:
        case['op'] = op
        case['input'] = b64(leaf)
        case['inputShape'] = list(leaf.shape)
    cases.append(case)


def randn(*shape, dtype=torch.float32):
    return torch.randn(*shape, generator=g, dtype=torch.float64).to(dtype)


def uniform(lo, hi, *shape):
    return torch.rand(*shape, generator=g, dtype=torch.float64) * (hi - lo) + lo


def f(values, dtype=torch.float32):
    return torch.tensor(values, dtype=dtype)


F32, F64, I32 = torch.float32, torch.float64, torch.int32

# A. Magnitudes: one scale per tensor, fixed vs scientific at 1e-4 and 1e8.
for scale in [1e-12, 1e-7, 1e-5, 1e-4, 5e-4, 1e-3, 0.01, 0.1, 1, 10, 100, 999, 1e3,
              1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e15, 1e25, 1e30]:
    for dtype in (F32, F64):
        add(f'scale {scale} [6] {NAMES[dtype]}', randn(6, dtype=dtype) * scale)
        add(f'scale {scale} [3, 4] {NAMES[dtype]}', randn(3, 4, dtype=dtype) * scale)

# B. Several magnitudes in one tensor (the max/min ratio decides).
for lo, hi in [(-1, 1), (-2, 1), (-3, 0), (-3.5, 0), (0, 3), (0, 3.5), (-6, -3), (5, 9),
               (-4.2, -3.8), (7.5, 8.5), (-1, 2.9), (-1, 3.1), (-30, 30)]:
    for dtype in (F32, F64):
        mag = torch.pow(10.0, uniform(lo, hi, 8))
        sign = torch.where(uniform(0, 1, 8) < 0.5, -1.0, 1.0)
        add(f'log-uniform 1e{lo}..1e{hi} {NAMES[dtype]}', (mag * sign).to(dtype))

# C. Integer-valued floats: integer mode, its width, its scientific switch.
for k in [1, 9, 10, 100, 999, 1000, 1001, 10 ** 4, 10 ** 6, 10 ** 8, 10 ** 9]:
    for dtype in (F32, F64):
        v = torch.randint(-k, k + 1, (7,), generator=g).to(dtype)
        add(f'integers up to {k} {NAMES[dtype]}', v)
for values in [[1., 1000.], [1., 1001.], [-1., 1000.], [1e8, 1.], [1e8, 2.], [100000001., 1.],
               [2. ** 53, 1.], [1e20, 3.], [0., 5., -3.], [1., 2., 3.], [-1.], [10.], [123456.]]:
    add(f'integers {values} float64', f(values, F64))
    add(f'integers {values} float32', f(values, F32))

# D. Exact rounding ties (Python rounds them to even).
for values in [[0.03125, 1.03125, -0.09375, 2.5], [0.15625, 0.21875, -1.40625],
               [123445., 1.], [123455., 1.], [-123445., 12.], [1.03125e-5, 1.], [2.5e-5, 1.]]:
    for dtype in (F32, F64):
        add(f'ties {values} {NAMES[dtype]}', f(values, dtype))
for values in [[0.5, 1.5, 2.5, -0.5, 0.25], [0.75, 3.25]]:
    add(f'ties precision 0 {values}', f(values), {'precision': 0})
    add(f'ties precision 1 {values}', f(values, F64), {'precision': 1})
add('ties sci precision 2', f([12.5, 1e5, 0.125]), {'precision': 2})

# E. nan, inf, -0.0 and zeros.
nan, inf = math.nan, math.inf
for values in [[nan], [inf], [-inf], [nan, inf, -inf], [nan, 1.5], [inf, 1.], [-inf, 1.],
               [-inf, 1e-5], [nan, 123456789.], [0., 0.], [-0.], [-0., 1.5], [-0., 1.],
               [0., -0., 1e10], [nan, 0.], [-nan], [-0., -0.], [0., 1e-5, -0.], [inf, -inf, 0.],
               [1.5, nan, -2.25, inf]]:
    for dtype in (F32, F64):
        add(f'special {values} {NAMES[dtype]}', f(values, dtype))
for values in [[0., 0.], [nan, inf], [-0., 0.], [1.5, nan], [3., inf], [1e-5, nan]]:
    add(f'special {values} sci on', f(values), {'sciMode': True})
    add(f'special {values} sci off', f(values), {'sciMode': False})
add('zeros 2-D', torch.zeros(3, 4))
add('zeros 2-D float64', torch.zeros(2, 3, dtype=F64))

# F. 0-d tensors.
for v in [2.5, 0., -0., 1e-5, 1e10, 123456789., nan, inf, -inf, 3., -7., 0.1, 1e-30, 1e30, 2. ** 60]:
    for dtype in (F32, F64):
        add(f'scalar {v} {NAMES[dtype]}', torch.tensor(v, dtype=dtype))
for v in [0, -7, 123, 2 ** 31 - 1, -2 ** 31]:
    add(f'scalar int {v}', torch.tensor(v, dtype=I32))
add('scalar requires_grad', torch.tensor(0.25, requires_grad=True))

# G. Empty tensors, including huge nominal shapes.
for shape in [(0,), (0, 3), (3, 0), (2, 0, 4), (0, 0), (1, 0), (2 ** 20, 2 ** 20, 0), (0, 1, 1, 1)]:
    for dtype in (F32, F64, I32):
        add(f'empty {shape} {NAMES[dtype]}', torch.empty(shape, dtype=dtype))
add('empty requires_grad', torch.empty(0, 3, requires_grad=True))
add('empty [0] requires_grad float64', torch.empty(0, dtype=F64, requires_grad=True))

# H. Shapes from 1-D to 5-D.
for shape in [(1,), (2,), (5,), (1, 1), (2, 3), (5, 1), (1, 5), (2, 3, 4), (1, 1, 1), (3, 1, 2),
              (2, 2, 3, 4), (2, 1, 2, 3), (1, 2, 1, 2), (2, 2, 2, 2, 2), (3, 2, 1, 2, 1)]:
    for dtype in (F32, F64):
        add(f'shape {shape} {NAMES[dtype]}', randn(*shape, dtype=dtype))
    add(f'shape {shape} int32', torch.randint(-50, 50, shape, generator=g, dtype=I32))
    add(f'shape {shape} sci', (randn(*shape) * 1e6))

# I. Rows that wrap at linewidth 80.
add('wrap [100] float32', randn(100))
add('wrap [3, 40] float32', randn(3, 40))
add('wrap [50] sci', randn(50) * 1e-6)
add('wrap [30] big integers float64', torch.randint(-10 ** 7, 10 ** 7, (30,), generator=g).to(F64))
add('wrap [200] int32', torch.randint(-9, 10, (200,), generator=g, dtype=I32))
add('wrap [2, 3, 30] float64', randn(2, 3, 30, dtype=F64))
add('wrap [2, 2, 2, 25]', randn(2, 2, 2, 25))
add('wrap [70] integers', torch.randint(0, 10, (70,), generator=g).to(F32))
for n in range(6, 16):
    add(f'wrap [{n}] width 10', randn(n) * 100)
for lw in [1, 10, 20, 40, 79, 81, 120, 200]:
    add(f'linewidth {lw} [2, 20]', randn(2, 20), {'linewidth': lw})
    add(f'linewidth {lw} [16] float64 requires_grad',
        randn(16, dtype=F64).requires_grad_(), {'linewidth': lw})

# J. Summarised tensors (more than `threshold` elements).
add('summary [1001]', randn(1001))
add('summary [1500] float64', randn(1500, dtype=F64))
add('summary [2000] int32', torch.randint(-1000, 1000, (2000,), generator=g, dtype=I32))
add('summary [40, 40]', randn(40, 40))
add('summary [3, 400]', randn(3, 400))
add('summary [400, 3]', randn(400, 3))
add('summary [10, 10, 11]', randn(10, 10, 11))
add('summary [2, 3, 4, 50]', randn(2, 3, 4, 50))
add('summary [7, 7, 7, 7]', randn(7, 7, 7, 7))
add('summary [6, 6, 6, 6, 6] nothing cut', torch.randint(0, 9, (6, 6, 6, 6, 6), generator=g).to(F32))
add('summary [1, 1, 1001]', randn(1, 1, 1001))
add('summary [1001, 1]', randn(1001, 1))
big_middle = randn(2000)
big_middle[10:1990] = 1e10
big_middle[500] = nan
add('summary: hidden middle does not choose the format', big_middle)
hidden = torch.arange(1200, dtype=F32)
add('summary: arange integers', hidden)
tiny_middle = randn(30, 40, dtype=F64)
tiny_middle[5:25, 5:35] = 1e-9
add('summary: hidden tiny values float64', tiny_middle)
add('summary [1001] requires_grad float64', randn(1001, dtype=F64).requires_grad_())
add('summary [1001] sci', randn(1001) * 1e-7)

# K. int32.
for lo, hi in [(0, 10), (-10, 10), (-1000, 5), (0, 2 ** 31 - 1), (-2 ** 31, 0), (-5, 100000)]:
    add(f'int32 [{lo}, {hi})', torch.randint(lo, hi, (9,), generator=g, dtype=I32))
add('int32 extremes', torch.tensor([2 ** 31 - 1, -2 ** 31, 0], dtype=I32))
add('int32 [3, 4]', torch.randint(-100, 100, (3, 4), generator=g, dtype=I32))
add('int32 zeros', torch.zeros(4, dtype=I32))

# L. requires_grad leaves, and suffixes that wrap past linewidth.
for n in range(1, 13):
    add(f'requires_grad float64 [{n}]', randn(n, dtype=F64).requires_grad_())
    add(f'requires_grad float32 [{n}]', randn(n).requires_grad_())
add('requires_grad [3, 4]', randn(3, 4).requires_grad_())
add('requires_grad [2, 2, 7] float64', randn(2, 2, 7, dtype=F64).requires_grad_())

# M. grad_fn: ops whose PyTorch node name is nnkit's op name capitalised + Backward0.
OPS = {
    'mul': lambda x, a: x * a,
    'add': lambda x, a: x + a,
    'sub': lambda x, a: x - a,
    'div': lambda x, a: x / a,
    'neg': lambda x, a: -x,
    'relu': lambda x, a: torch.relu(x),
    'abs': lambda x, a: x.abs(),
    'sum': lambda x, a: x.sum(),
}
for name, fn in OPS.items():
    for dtype, shape in [(F32, (5,)), (F64, (2, 3)), (F64, (8,))]:
        # small multiples of 1/8 so that every op is exact in both libraries
        leaf = (torch.randint(-40, 40, shape, generator=g).to(dtype) / 8).requires_grad_()
        arg = {'mul': 2.0, 'add': 1.0, 'sub': 0.5, 'div': 4.0}.get(name)
        add(f'grad_fn {name} {NAMES[dtype]} {list(shape)}', fn(leaf, arg),
            op=[name] if arg is None else [name, arg], leaf=leaf)
wide = (torch.randint(-40, 40, (12,), generator=g).to(F64) / 8).requires_grad_()
add('grad_fn suffix wraps', wide * 2.0, op=['mul', 2.0], leaf=wide)

# N. Print options.
for p in [0, 1, 2, 6, 8, 10]:
    add(f'precision {p} float64', randn(5, dtype=F64), {'precision': p})
    add(f'precision {p} sci', randn(4) * 1e-6, {'precision': p})
    add(f'precision {p} integers', f([1., 20., -300.]), {'precision': p})
    add(f'precision {p} ints sci', f([1., 2e5, -3e7]), {'precision': p})
for t in [0, 5, 10, 36, 'Infinity']:
    add(f'threshold {t} [12]', randn(12), {'threshold': t})
    add(f'threshold {t} [7, 9]', randn(7, 9), {'threshold': t})
    add(f'threshold {t} [3, 5, 8] int32', torch.randint(-9, 99, (3, 5, 8), generator=g, dtype=I32),
        {'threshold': t})
add('threshold Infinity [1200]', randn(1200) * 10, {'threshold': 'Infinity'})
for e in [1, 2, 5]:
    add(f'edgeitems {e} [1001]', randn(1001), {'edgeitems': e})
    add(f'edgeitems {e} [12, 13]', randn(12, 13), {'edgeitems': e, 'threshold': 10})
    add(f'edgeitems {e} [4, 5, 6, 7]', randn(4, 5, 6, 7), {'edgeitems': e, 'threshold': 100})
for sci in [True, False]:
    s = 'on' if sci else 'off'
    add(f'sci {s} normal', randn(5), {'sciMode': sci})
    add(f'sci {s} tiny', randn(5) * 1e-6, {'sciMode': sci})
    add(f'sci {s} huge', randn(5) * 1e12, {'sciMode': sci})
    add(f'sci {s} integers', f([1., 2., -3.]), {'sciMode': sci})
    add(f'sci {s} big integers', f([1., 2e9, -3e30], F64), {'sciMode': sci})
    add(f'sci {s} float32 max', f([3.4e38, -1.]), {'sciMode': sci})
    add(f'sci {s} int32', torch.tensor([1, 20000], dtype=I32), {'sciMode': sci})
    add(f'sci {s} precision 2', randn(3, 3) * 1e-5, {'sciMode': sci, 'precision': 2})
    add(f'sci {s} scalar', torch.tensor(1234.5678), {'sciMode': sci})
for profile in ['short', 'full', 'default']:
    add(f'profile {profile} [1100]', randn(1100), {'profile': profile})
    add(f'profile {profile} [3, 3]', randn(3, 3), {'profile': profile})
add('profile short then precision 6', randn(4), {'profile': 'short', 'precision': 6})
add('precision 3 linewidth 50 threshold 20', randn(5, 9), {'precision': 3, 'linewidth': 50,
                                                            'threshold': 20})

write('format', cases)
