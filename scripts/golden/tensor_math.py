"""Golden values of the tensor math methods (test/golden/tensor_math.json):
var and std (PyTorch 1.13's unbiased and correction forms), prod (with
zeros: PyTorch's prod_backward), cumsum, sin, cos, round (with decimals), and
the zero gradients of sign, floor and round under NaN and infinite upstream gradients,
in float32 and float64, with NaN, ±Infinity, empty tensors, negative dims,
keepdim and dim lists; int32 inputs where PyTorch computes them.

Each case is {name, op, input, args, kwargs, out, w, grad}: the method is
called as `input.<op>(*args, **kwargs)` (the kwargs keys are nnkit's option
names, which are PyTorch's here), `grad` is the input's gradient of
`(out * w).sum()` for a weight `w` of the output's shape (absent for int32).
PyTorch's int64 results (prod and cumsum of integers) are written as int32,
wrapped modulo 2^32 as nnkit computes them.
Run: /usr/bin/python3 scripts/golden/tensor_math.py
"""
import torch

from common import encode_tensor, encode_value, write

NAN = float('nan')
INF = float('inf')

CASES = []


def t(values, dtype):
    return torch.tensor(values, dtype=torch.float64).to(dtype)


def randn(gen, dtype, *shape, scale=1.0, shift=0.0):
    return (torch.randn(shape, generator=gen, dtype=torch.float64) * scale + shift).to(dtype)


def case(name, op, x, *args, w=None, **kwargs):
    """Runs `x.<op>(*args, **kwargs)` and, for floating x, the gradient of a weighted sum
    (weights `w`, random unless given)."""
    gen = torch.Generator().manual_seed(len(CASES) + 1)
    floating = x.dtype in (torch.float32, torch.float64)
    leaf = x.detach().clone().requires_grad_(floating)
    out = getattr(leaf, op)(*args, **kwargs)
    entry = {
        'name': f'{name} {str(x.dtype)[6:]}',
        'op': op,
        'input': encode_tensor(x),
        'args': encode_value(list(args)),
        'kwargs': encode_value(kwargs),
    }
    if out.dtype == torch.int64:
        # nnkit keeps int32: PyTorch's int64 result modulo 2^32.
        out = out.to(torch.int32)
    entry['out'] = encode_tensor(out)
    if floating:
        w = randn(gen, x.dtype, *out.shape) if w is None else w
        (out * w).sum().backward()
        grad = leaf.grad if leaf.grad is not None else torch.zeros_like(x)
        entry['w'] = encode_tensor(w)
        entry['grad'] = encode_tensor(grad)
    CASES.append(entry)


def var_std(gen, dtype):
    x = randn(gen, dtype, 3, 5)
    x3 = randn(gen, dtype, 3, 4, 2)
    for op in ('var', 'std'):
        case(f'{op} all', op, x)
        case(f'{op} all biased (unbiased alone)', op, x, False)
        case(f'{op} dim 1', op, x, 1)
        case(f'{op} dim -1 unbiased False', op, x, -1, False)
        case(f'{op} dim 0 keepdim', op, x, 0, True, True)
        case(f'{op} dim list [0, 2]', op, x3, [0, 2])
        case(f'{op} dim list [-1, 0] keepdim', op, x3, [-1, 0], keepdim=True)
        case(f'{op} dim list [0, 1, 2]', op, x3, [0, 1, 2], False)
        case(f'{op} dim None correction 0', op, x, None, correction=0)
        case(f'{op} correction 2 keepdim', op, x3, 1, correction=2, keepdim=True)
        case(f'{op} correction -1', op, x, 1, correction=-1)
        case(f'{op} correction None', op, x, 1, correction=None)
        case(f'{op} dim 2 of 3-D', op, x3, 2)
        case(f'{op} large offset', op, randn(gen, dtype, 4, 6, shift=1000.0), 1)
        # N − correction ≤ 0: NaN (equal elements) or +inf, PyTorch's gradients.
        case(f'{op} one element, N = correction', op, t([1.5], dtype), 0)
        case(f'{op} N = correction, distinct', op, t([1.0, 2.0], dtype), 0, correction=2)
        case(f'{op} N = correction, equal', op, t([2.0, 2.0], dtype), 0, correction=2)
        case(f'{op} N < correction, distinct', op, t([1.0, 2.0], dtype), 0, correction=3)
        case(f'{op} N < correction, equal', op, t([1.0, 1.0], dtype), 0, correction=3)
        case(f'{op} N < correction, all', op, t([[1.0, 2.0, 4.0]], dtype), None, correction=5)
        case(f'{op} 0-D', op, t(3.0, dtype))
        case(f'{op} 0-D correction 0', op, t(-2.0, dtype), None, correction=0)
        case(f'{op} 0-D dim 0', op, t(3.0, dtype), 0, correction=0)
        case(f'{op} constant rows', op, t([[1.0, 1.0, 1.0], [1.0, 2.0, 3.0]], dtype), 1)
        case(f'{op} NaN and infinities', op, t([[1.0, INF, 2.0], [1.0, NAN, 2.0], [INF, INF, 1.0], [-INF, 0.5, 1.0]], dtype), 1)
        case(f'{op} empty dim 0', op, torch.zeros(0, 3, dtype=dtype), 0)
        case(f'{op} empty dim 1', op, torch.zeros(0, 3, dtype=dtype), 1)
        case(f'{op} empty all', op, torch.zeros(0, 3, dtype=dtype))
        case(f'{op} empty keepdim', op, torch.zeros(2, 0, dtype=dtype), 1, True, True)


def prod(gen, dtype):
    x = randn(gen, dtype, 3, 4)
    case('prod all', 'prod', x)
    case('prod dim 1', 'prod', x, 1)
    case('prod dim -2 keepdim', 'prod', x, -2, True)
    case('prod dim 0 by name', 'prod', x, dim=0, keepdim=False)
    # Long contiguous runs take PyTorch's vectorised order.
    case('prod all of 100', 'prod', randn(gen, dtype, 100, scale=0.25, shift=1.0))
    case('prod all of 2x77', 'prod', randn(gen, dtype, 2, 77, scale=0.25, shift=1.0))
    case('prod last dim of 70', 'prod', randn(gen, dtype, 3, 70, scale=0.25, shift=1.0), 1)
    case('prod first dim of 70', 'prod', randn(gen, dtype, 70, 3, scale=0.25, shift=1.0), 0)
    case('prod middle dim', 'prod', randn(gen, dtype, 2, 40, 3, scale=0.25, shift=1.0), 1, True)
    # Zeros: PyTorch's prod_backward.
    case('prod all one zero', 'prod', t([0.5, 0.0, -1.5, 2.0], dtype))
    case('prod all one negative zero', 'prod', t([0.5, -0.0, -1.5, 2.0], dtype))
    case('prod all two zeros', 'prod', t([0.5, 0.0, -1.5, 0.0], dtype))
    case('prod all two zeros and NaN', 'prod', t([NAN, 0.0, INF, 0.0], dtype))
    case('prod all one zero and inf', 'prod', t([3.0, 0.0, INF, 2.0], dtype))
    case('prod dim one zero', 'prod', t([[0.5, 0.0, -1.5], [2.0, 1.5, 0.7]], dtype), 1)
    case('prod dim zeros in two rows', 'prod', t([[0.5, 0.0, 0.0], [2.0, 0.0, 0.7], [2.0, 3.0, 0.5]], dtype), 1)
    case('prod dim 0 zeros', 'prod', t([[0.5, 0.0, 0.0], [2.0, 0.0, 0.7], [2.0, 3.0, 0.5]], dtype), 0, True)
    case('prod dim zero and inf', 'prod', t([[0.0, INF, 2.0], [NAN, 1.0, 2.0]], dtype), 1)
    case('prod dim size 1 with zero', 'prod', t([[0.0, 2.0]], dtype), 0)
    case('prod NaN and infinities', 'prod', t([[2.0, INF, 3.0], [NAN, 1.0, 2.0], [-INF, INF, 0.5]], dtype), 1)
    case('prod overflow', 'prod', t([1e30, 1e30, 1e-30, 1e-30], dtype))
    case('prod 0-D', 'prod', t(-2.5, dtype))
    case('prod 0-D dim 0', 'prod', t(-2.5, dtype), 0)
    case('prod empty all', 'prod', torch.zeros(0, 3, dtype=dtype))
    case('prod empty dim 0', 'prod', torch.zeros(0, 3, dtype=dtype), 0)
    case('prod empty dim 1', 'prod', torch.zeros(0, 3, dtype=dtype), 1, True)


def cumsum(gen, dtype):
    case('cumsum 1-D of 100', 'cumsum', randn(gen, dtype, 100), 0)
    case('cumsum dim 1', 'cumsum', randn(gen, dtype, 3, 50), 1)
    case('cumsum dim 0', 'cumsum', randn(gen, dtype, 50, 3), 0)
    case('cumsum dim -2 of 3-D', 'cumsum', randn(gen, dtype, 2, 30, 3), -2)
    case('cumsum by name', 'cumsum', randn(gen, dtype, 4, 3), dim=-1)
    case('cumsum large and small', 'cumsum', t([1e8, 1.0, -1e8, 0.5, 3e-8, 1.0], dtype), 0)
    case('cumsum NaN and infinities', 'cumsum', t([[1.0, INF, -INF, 2.0], [1.0, NAN, 3.0, 4.0]], dtype), 1)
    case('cumsum 0-D', 'cumsum', t(1.5, dtype), 0)
    case('cumsum empty dim 0', 'cumsum', torch.zeros(0, 3, dtype=dtype), 0)
    case('cumsum empty dim 1', 'cumsum', torch.zeros(0, 3, dtype=dtype), 1)
    case('cumsum size-1 dim', 'cumsum', randn(gen, dtype, 3, 1), 1)


SPECIAL = [0.0, -0.0, NAN, INF, -INF, 1e-30, -1e-30, 3.1415927410125732, 3.141592653589793,
           1.5707963267948966, 100.0, -1000.5, 1e5, 1e10, 1e30, 1e300]


def trig(gen, dtype):
    for op in ('sin', 'cos'):
        case(f'{op} randn', op, randn(gen, dtype, 200, scale=10.0))
        case(f'{op} special values', op, t(SPECIAL, dtype))
        case(f'{op} 2-D', op, randn(gen, dtype, 3, 4))
        case(f'{op} 0-D', op, t(0.75, dtype))
        case(f'{op} empty', op, torch.zeros(0, 3, dtype=dtype))


def rounding(gen, dtype):
    ties = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5, -3.5, 0.49999997, 0.4999999999999999,
            8388609.0, 4503599627370497.0, NAN, INF, -INF, -0.4, -0.0, 1e30]
    case('round ties to even', 'round', t(ties, dtype))
    case('round randn', 'round', randn(gen, dtype, 50, scale=10.0))
    case('round 0-D', 'round', t(-2.5, dtype))
    case('round empty', 'round', torch.zeros(0, dtype=dtype))
    dec = [1.2345, 2.675, -1.005, 1234.5678, 0.125, 0.375, -0.0, NAN, INF, 1e30]
    case('round decimals 2', 'round', t(dec, dtype), decimals=2)
    case('round decimals 1 randn', 'round', randn(gen, dtype, 40, scale=10.0), decimals=1)
    case('round decimals 0', 'round', t(dec, dtype), decimals=0)
    case('round decimals -2', 'round', t([1234.5678, 1250.0, 1350.0, -150.0, 49.0, NAN], dtype), decimals=-2)
    case('round decimals 20', 'round', t([1.5, 1.2345], dtype), decimals=20)
    case('round decimals 39', 'round', t([1.5, 0.0], dtype), decimals=39)
    case('round decimals 400', 'round', t([1.5, 0.0], dtype), decimals=400)
    case('round decimals -400', 'round', t([1.5, 0.0], dtype), decimals=-400)
    # Piecewise-constant functions: PyTorch's gradient is zeros_like(grad), +0 even
    # where the incoming gradient is NaN, infinite or negative (not grad · 0).
    x = t([1.5, -2.5, 0.0, -0.0, NAN, INF, -INF, 7.0], dtype)
    upstream = t([NAN, INF, -INF, -1.0, -0.0, 2.0, NAN, -3.0], dtype)
    for op in ('sign', 'floor', 'round'):
        case(f'{op} non-finite upstream gradient', op, x, w=upstream)


def integers():
    i32 = torch.int32
    case('prod int all', 'prod', torch.tensor([[2, 3], [-4, 5]], dtype=i32))
    case('prod int dim 1', 'prod', torch.tensor([[2, 3], [-4, 5]], dtype=i32), 1)
    case('prod int overflow', 'prod', torch.tensor([65536, 65536, 3], dtype=i32))
    case('prod int overflow 2', 'prod', torch.tensor([123456789, 987654321, -7], dtype=i32))
    case('cumsum int', 'cumsum', torch.tensor([[1, 2, 3], [4, 5, 6]], dtype=i32), 1)
    case('cumsum int overflow', 'cumsum', torch.tensor([2**31 - 1, 1, 5], dtype=i32), 0)
    case('sin int', 'sin', torch.tensor([0, 1, 2, -3], dtype=i32))
    case('cos int', 'cos', torch.tensor([0, 1, 2, -3], dtype=i32))
    case('round int', 'round', torch.tensor([0, 1, -2], dtype=i32))
    edges = torch.tensor([-2**31, -5, 0, 7, 2**31 - 1], dtype=i32)
    case('neg int', 'neg', edges)
    case('abs int', 'abs', edges)
    case('clamp int', 'clamp', edges, -3, 3)
    case('clamp int min by name', 'clamp', edges, min=0)
    case('clamp int max by name', 'clamp', edges, max=-1)
    case('clamp int min above max', 'clamp', edges, 5, -5)
    # A fractional or infinite bound promotes to float32, as PyTorch's result type does.
    case('clamp int fractional bound', 'clamp', edges, -3.5, 3)
    case('clamp int infinite bound', 'clamp', edges, max=INF)
    case('clamp int rounds to float32', 'clamp', torch.tensor([16777217, -16777217], dtype=i32), 0.5)


def main():
    gen = torch.Generator().manual_seed(1913)
    for dtype in (torch.float32, torch.float64):
        var_std(gen, dtype)
        prod(gen, dtype)
        cumsum(gen, dtype)
        trig(gen, dtype)
        rounding(gen, dtype)
    integers()
    names = [c['name'] for c in CASES]
    assert len(names) == len(set(names)), 'case names must be unique'
    write('tensor_math', CASES)


if __name__ == '__main__':
    main()
