#!/usr/bin/env python3
"""Golden fixtures at the edges of floating point: /usr/bin/python3 scripts/golden/extremes.py

Writes test/golden/extremes.json. Every elementwise activation, the softmax
family (with extreme temperatures), the pointwise losses, the elementwise
tensor methods and matmul, fed values where float32 arithmetic overflows,
underflows or meets PyTorch's special cases: ±1e38, ±3e38, float32
denormals, ±Infinity, NaN, ±0, pow(1, NaN), 0 × inf inside a matrix
product. Upstream gradients are random, or themselves huge ('bigGrad'), so
that gradient intermediates overflow where PyTorch's do. Float32 is the
point; float64 runs the same inputs as a check that nothing regressed.

Inputs have 32 or 64 elements so that PyTorch's CPU kernels run every
element through their vectorised body (see activations.py).
"""
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import DTYPES, encode_tensor, write  # noqa: E402
from activations import ACTIVATIONS  # noqa: E402

INF = math.inf
NAN = math.nan

# 32 values: the float32 edges (3e38 is near FLT_MAX = 3.4028e38; 1e-45 is the
# smallest denormal, 1e-40 a denormal, 1e-38 just below FLT_MIN) and the
# values where exp, expm1 and friends overflow or underflow in float32.
EXTREMES = [1e38, -1e38, 3e38, -3e38, 1e-45, -1e-45, 1e-40, -1e-40,
            1e-38, -1e-38, INF, -INF, NAN, 0.0, -0.0, 1.0,
            -1.0, 88.7, -88.7, 89.0, -104.0, 128.0, -128.0, 1e20,
            -1e20, 3.0, -3.0, 1e19, 2e19, -2e19, 20.0, 1e-20]

# Huge upstream gradients, cycled: they overflow gradient products in float32.
BIG_GRADS = [3e38, -3e38, 1e38, -1e38, 1e30, 1e-40, -1e-45, 2.0]

# Moderate inputs for the huge-gradient cases (32 values).
MODERATE = [0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 0.0, -0.0, 5.0, -5.0, 10.0, -10.0, 0.25, -0.25,
            1.5, -1.5, 2.5, -2.5, 4.0, -4.0, 0.1, -0.1, 7.0, -7.0, 20.0, -20.0, 0.75, -0.75, 1e-3, -1e-3]


def t(values, dtype):
    return torch.tensor(values, dtype=torch.float64).to(DTYPES[dtype])


def cycled(values, n):
    return [values[i % len(values)] for i in range(n)]


def grad_case(case_id, fn, call, dtype, inputs, grads, options, gout, **extra):
    """Runs fn(*inputs) forward and backward; grads[i] says whether input i is differentiated."""
    ins = []
    for x, g in zip(inputs, grads):
        x = x.detach().clone()
        if g:
            x.requires_grad_(True)
        ins.append(x)
    y = call(*ins)
    if gout == 'random':
        gen = torch.Generator().manual_seed(len(case_id))
        gout_t = torch.randn(y.shape, generator=gen, dtype=torch.float64).to(y.dtype)
    elif gout == 'big':
        gout_t = t(cycled(BIG_GRADS, y.numel()), dtype).reshape(y.shape)
    else:
        gout_t = gout
    if any(grads):
        y.backward(gout_t)
    case = {
        'id': case_id,
        'fn': fn,
        'dtype': dtype,
        'options': options,
        'inputs': [encode_tensor(x) for x in ins],
        'gradOutput': encode_tensor(gout_t),
        'output': encode_tensor(y),
        'grads': [encode_tensor(x.grad) if g and x.grad is not None else None for x, g in zip(ins, grads)],
    }
    case.update(extra)
    return case


def activations(dtype):
    cases = []
    for name, (f, option_sets, _kinks) in ACTIVATIONS.items():
        for options in option_sets:
            call = lambda x, f=f, options=options: f(x, **options)
            cases.append(grad_case(f'{name}/{dtype}/extremes/{options}', name, call, dtype, [t(EXTREMES, dtype)],
                                   [True], options, 'random', kind='activation'))
            cases.append(grad_case(f'{name}/{dtype}/bigGrad/{options}', name, call, dtype, [t(MODERATE, dtype)],
                                   [True], options, 'big', kind='activation'))
    return cases


SOFTMAX = {
    'softmax': lambda x, dim, temp: F.softmax(x / temp, dim),
    'logSoftmax': lambda x, dim, temp: F.log_softmax(x / temp, dim),
    'softmin': lambda x, dim, temp: F.softmax(-x / temp, dim),
}

SOFTMAX_INPUTS = [
    # 1e300: 1/temperature is 0 in float32 (PyTorch's x / 1e300 is ±0: a uniform softmax).
    ('small', [[1.0, 2.0, 3.0], [-1.0, 0.5, 0.25], [0.0, -0.0, 1e-45]], (1e-10, 1e-30, 1e-3, 0.1, 1.0, 1e10, 1e300)),
    ('huge', [[1e37, -1e37, 5e36], [3e38, -3e38, 1e38], [1e38, 1e38, -1e38]], (0.1, 0.5, 1.0, 2.0, 1e30)),
    ('special', [[INF, 1.0, 2.0], [-INF, 0.0, 1.0], [1e-40, -1e-40, 1e-45]], (1e-10, 1.0, 4.0)),
]


def softmax_family(dtype):
    cases = []
    for name, f in SOFTMAX.items():
        for label, rows, temps in SOFTMAX_INPUTS:
            for temp in temps:
                for dim in (1, 0):
                    options = {'dim': dim, 'temperature': temp}
                    call = lambda x, f=f, dim=dim, temp=temp: f(x, dim, temp)
                    cases.append(grad_case(f'{name}/{dtype}/{label}/{options}', name, call, dtype,
                                           [t(rows, dtype)], [True], options, 'random', kind='softmax'))
    # Gumbel-softmax with given noise: softmax((logits + g)/τ), τ tiny or the logits huge.
    gen = torch.Generator().manual_seed(7)
    for label, rows in (('small', [[1.0, 2.0, 3.0], [0.5, 0.25, -1.0]]), ('huge', [[1e37, -1e37, 5e36], [3e38, -3e38, 1e38]])):
        for tau in (1e-10, 0.1, 1.0):
            logits = t(rows, dtype)
            noise = -torch.log(torch.empty(logits.shape, dtype=torch.float64).exponential_(generator=gen)).to(logits.dtype)
            call = lambda x, noise=noise, tau=tau: F.softmax((x + noise) / tau, 1)
            options = {'tau': tau, 'dim': 1}
            cases.append(grad_case(f'gumbelSoftmax/{dtype}/{label}/{options}', 'gumbelSoftmax', call, dtype,
                                   [logits], [True], options, 'random', kind='gumbel', noise=encode_tensor(noise)))
    return cases


# Targets for the pointwise losses: a permutation of EXTREMES plus the values
# that make softMarginLoss's x·y = −128 and the like.
TARGETS = [1.0, -128.0, 1e38, -1e38, 3e38, -1.0, 2.0, -2.0, NAN, INF, -INF, 0.0, 1e-45, 1e-40, -0.0, 128.0,
           1.0, 1e20, -1e20, 1e19, -1e19, 3.0, 0.5, -0.5, 88.7, -88.7, 1e-38, 1.0, -1.0, 2e19, -2e19, 1.0]
PROBS = [0.0, 1.0, 1e-45, 1e-40, 1e-38, 0.5, 1.0 - 2 ** -24, 2 ** -24, 1e-20, 0.999, 0.25, 0.75, 1e-7, 1.0 - 1e-7, 0.0, 1.0,
         0.1, 0.9, 1e-30, 0.3, 0.7, 1e-45, 0.5, 0.01, 0.99, 1e-10, 0.2, 0.8, 0.0, 1.0, 0.4, 0.6]
PROB_TARGETS = [1.0, 0.0, 1.0, 0.0, 0.5, 0.0, 0.0, 1.0, 1.0, 0.0, 1e-45, 1e-40, 1.0, 0.0, 1.0, 0.0,
                0.3, 0.5, 1.0, 0.0, 1.0, 0.0, 0.25, 1.0, 0.0, 1.0, 0.0, 1.0, 0.5, 0.5, 1e-38, 1.0]


SM_X = cycled([1.0, -128.0, 2.0, -1.0, 64.0, -0.5, 1e-45, 100.0], 32)
SM_Y = cycled([-128.0, 1.0, -64.0, 128.0, -2.0, 256.0, -1.0, -1.0], 32)

# PyTorch 1.13 does not differentiate these with respect to the target.
NO_TARGET_GRAD = {'binaryCrossEntropy', 'softMarginLoss'}


def losses(dtype):
    specs = [
        ('mseLoss', F.mse_loss, {}, EXTREMES, TARGETS),
        ('l1Loss', F.l1_loss, {}, EXTREMES, TARGETS),
        ('smoothL1Loss', F.smooth_l1_loss, {'beta': 1.0}, EXTREMES, TARGETS),
        ('smoothL1Loss', F.smooth_l1_loss, {'beta': 1e-30}, EXTREMES, TARGETS),
        ('huberLoss', F.huber_loss, {'delta': 1.0}, EXTREMES, TARGETS),
        ('huberLoss', F.huber_loss, {'delta': 1e30}, EXTREMES, TARGETS),
        ('softMarginLoss', F.soft_margin_loss, {}, EXTREMES, TARGETS),
        # x·y = −128 and beyond: exp(−x·y) overflows float32 (PyTorch's loss is inf there).
        ('softMarginLoss', F.soft_margin_loss, {}, SM_X, SM_Y, '/xy-128'),
        ('klDiv', F.kl_div, {'logTarget': False}, EXTREMES, PROBS),
        ('klDiv', F.kl_div, {'logTarget': True}, EXTREMES, TARGETS),
        ('binaryCrossEntropyWithLogits', F.binary_cross_entropy_with_logits, {}, EXTREMES, PROB_TARGETS),
        ('binaryCrossEntropy', F.binary_cross_entropy, {}, PROBS, PROB_TARGETS),
    ]
    torch_kw = {'logTarget': 'log_target'}
    cases = []
    for name, f, opts, xs, ys, *label in specs:
        label = label[0] if label else ''
        kw = {torch_kw.get(k, k): v for k, v in opts.items()}
        for reduction in ('none', 'mean', 'sum'):
            # klDiv's 'mean' warns in PyTorch (it means the element mean); keep it anyway.
            for gout in ('random', 'big'):
                options = dict(opts, reduction=reduction)
                call = lambda a, b, f=f, kw=kw, reduction=reduction: f(a, b, reduction=reduction, **kw)
                with_target = name not in NO_TARGET_GRAD
                cases.append(grad_case(f'{name}/{dtype}/{reduction}/{gout}/{opts}{label}', name, call, dtype,
                                       [t(xs, dtype), t(ys, dtype)], [True, with_target], options, gout,
                                       kind='loss'))
    # The same terms with moderate inputs and huge upstream gradients.
    for name, f, opts, xs, ys, *label in specs:
        if name == 'binaryCrossEntropy' or label:
            continue
        kw = {torch_kw.get(k, k): v for k, v in opts.items()}
        options = dict(opts, reduction='none')
        call = lambda a, b, f=f, kw=kw: f(a, b, reduction='none', **kw)
        ys2 = PROB_TARGETS if ys is not TARGETS else list(reversed(MODERATE))
        cases.append(grad_case(f'{name}/{dtype}/moderate-bigGrad/{opts}', name, call, dtype,
                               [t(MODERATE, dtype), t(ys2, dtype)], [True, name not in NO_TARGET_GRAD], options, 'big', kind='loss'))
    # Cross-entropy on huge logits (the fused kernels).
    logits = [[1e38, -1e38, 3e38, 0.0], [3e38, 3e38, -3e38, 1.0], [1e37, -1e37, 5e36, 2.0], [-1e38, -3e38, -1e38, -1e38]]
    target = torch.tensor([2, 0, 1, 3])
    for smoothing in (0.0, 0.1):
        call = lambda x, target=target, smoothing=smoothing: F.cross_entropy(x, target, label_smoothing=smoothing)
        options = {'labelSmoothing': smoothing}
        cases.append(grad_case(f'crossEntropy/{dtype}/huge/{options}', 'crossEntropy', call, dtype,
                               [t(logits, dtype)], [True], options, 'random', kind='crossEntropy',
                               target=encode_tensor(target)))
    # The same logits against class probabilities (the fused probability kernels).
    probs = t([[0.1, 0.2, 0.3, 0.4], [0.5, 0.5, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.25, 0.25, 0.25, 0.25]], dtype)
    for smoothing in (0.0, 0.1):
        call = lambda x, probs=probs, smoothing=smoothing: F.cross_entropy(x, probs, label_smoothing=smoothing)
        options = {'labelSmoothing': smoothing}
        cases.append(grad_case(f'crossEntropy/{dtype}/huge-probabilities/{options}', 'crossEntropy', call, dtype,
                               [t(logits, dtype)], [True], options, 'random', kind='crossEntropy',
                               target=encode_tensor(probs)))
    return cases


# Tensor methods of the elementwise table: binary (a op b) and unary.
BINARY_METHODS = {
    'add': torch.add, 'sub': torch.sub, 'mul': torch.mul, 'div': torch.div, 'pow': torch.pow,
    'maximum': torch.maximum, 'minimum': torch.minimum,
}
# pow's special cases: 1 to any power (NaN, ±inf) is 1, so is (−1)^±inf and x^0.
POW_BASES = [1.0, 1.0, 1.0, -1.0, -1.0, NAN, 0.0, -0.0, 0.0, 2.0, 2.0, 0.5, -8.0, INF, -INF, 1e38,
             3e38, 1e-45, 10.0, -2.0, 1.0, 0.0, INF, -1.0, 2.0, 1e20, 1e-20, -0.5, 1e19, 2.0, 3.0, 0.0]
POW_EXPONENTS = [NAN, INF, -INF, INF, -INF, 0.0, -1.0, -1.0, 0.0, 128.0, -150.0, -128.0, 1.0 / 3.0, -0.0, 3.0, 2.0,
                 1.0, 0.5, 39.0, 3.0, 0.0, NAN, -1.0, 0.5, 1e38, 2.0, -2.0, 2.0, 2.0, 0.5, 81.0, 2.0]


def methods(dtype):
    cases = []
    for name, f in BINARY_METHODS.items():
        pairs = [('extremes', EXTREMES, TARGETS)]
        if name == 'pow':
            pairs.append(('special', POW_BASES, POW_EXPONENTS))
        for label, xs, ys in pairs:
            for gout in ('random', 'big'):
                call = lambda a, b, f=f: f(a, b)
                cases.append(grad_case(f'{name}/{dtype}/{label}/{gout}', name, call, dtype,
                                       [t(xs, dtype), t(ys, dtype)], [True, True], {}, gout, kind='binary'))
    unary = {
        'neg': torch.neg, 'abs': torch.abs, 'exp': torch.exp, 'expm1': torch.expm1, 'log': torch.log,
        'log1p': torch.log1p, 'sqrt': torch.sqrt, 'reciprocal': torch.reciprocal,
    }
    for name, f in unary.items():
        for label, xs, gout in (('extremes', EXTREMES, 'random'), ('bigGrad', MODERATE, 'big')):
            cases.append(grad_case(f'{name}/{dtype}/{label}', name, f, dtype, [t(xs, dtype)], [True], {}, gout,
                                   kind='unary'))
    # x.pow(p) with a Python number p: the kernel rounds p to the dtype, and the
    # gradient p·x^(p − 1) takes p − 1 computed in double, then rounded
    # (2^24 + 1 − 1 = 2^24 in float32: an even power where float32(p) − 1 is odd).
    for p in POW_SCALAR_EXPONENTS:
        call = lambda a, p=p: a.pow(p)
        cases.append(grad_case(f'powScalar/{dtype}/{p!r}', 'pow', call, dtype, [t(POW_SCALAR_BASES, dtype)],
                               [True], {'exponent': p}, 'random', kind='powScalar'))
    # log1p above 1e38 (float32) and 1e307 (float64): Sleef's log1p, PyTorch's
    # scalar and vectorised kernel alike, returns +inf there.
    cases.append(grad_case(f'log1p/{dtype}/huge', 'log1p', torch.log1p, dtype, [t(LOG1P_HUGE, dtype)], [True], {},
                           'random', kind='unary'))
    return cases


POW_SCALAR_BASES = cycled([-1.5, 1.5, -1.0000001, 1.0000001, 0.0, -0.0, 2.0, -2.0, 1.0, -1.0, 0.5, -0.5,
                           INF, -INF, NAN, 3.0, -0.75, 1e-20, 1e20, -3.0], 32)
POW_SCALAR_EXPONENTS = [2.0 ** 31, 2.0 ** 31 - 1, 16777217.0, -16777217.0, 1e-300, 1e300, -1e300, 2.5, 1.0 / 3.0]
LOG1P_HUGE = cycled([9.9e37, 1e38, 1.0000001e38, 1.01e38, 3e38, 1e300, 1e307, 1.1e307, 1e308, INF, 1.0, -0.5,
                     5e37, 2e38], 32)


def matmuls(dtype):
    """Products with ±inf, NaN and zero entries: 0 × inf is NaN inside the sum, as BLAS computes it."""
    gen = torch.Generator().manual_seed(11)
    cases = []
    for m, k, n in ((2, 2, 3), (3, 5, 4), (5, 7, 9), (17, 33, 9), (8, 64, 8)):
        a = torch.randn(m, k, generator=gen, dtype=torch.float64)
        b = torch.randn(k, n, generator=gen, dtype=torch.float64)
        # Sprinkle the specials: whole zero rows/columns meet the infinities.
        a[0, 0] = INF
        a[m - 1, k - 1] = -INF
        a[m // 2, :] = 0.0
        b[0, n - 1] = 0.0
        b[k - 1, 0] = INF
        b[:, n // 2] = 0.0
        if k > 2:
            a[1 % m, 1] = NAN
        cases.append(grad_case(f'matmul/{dtype}/{m}x{k}x{n}', 'matmul', lambda x, y: x @ y, dtype,
                               [a.to(DTYPES[dtype]), b.to(DTYPES[dtype])], [False, False], {}, 'random',
                               kind='matmul'))
    return cases


def main():
    cases = []
    for dtype in ('float32', 'float64'):
        cases += activations(dtype)
        cases += softmax_family(dtype)
        cases += losses(dtype)
        cases += methods(dtype)
        cases += matmuls(dtype)
    write('extremes', cases)


if __name__ == '__main__':
    import warnings
    warnings.filterwarnings('ignore')
    main()
