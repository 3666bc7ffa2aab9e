#!/usr/bin/env python3
"""Golden fixtures for nnkit's loss functions: /usr/bin/python3 scripts/golden/losses.py

Each case records the function (nnkit's camelCase name), the inputs, which
inputs PyTorch differentiates, the options (camelCase keys, as nnkit takes
them), PyTorch's output, a fixed random upstream gradient and the resulting
gradient of every differentiated input. Every case runs in float32 and
float64; random data comes from seeds in this script.
"""
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from common import encode_tensor, encode_value, write  # noqa: E402

REGISTRY = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'registry.generated.json')


def _registry():
    """Each loss's PyTorch callable and PyTorch keyword per nnkit option, from the registry
    (src/registry/ declares them once; `npm run gen` writes registry.generated.json)."""
    with open(REGISTRY) as f:
        entries = json.load(f)['entries']
    fns, kw = {}, {}
    for e in entries:
        obj = torch
        for part in e['torch'].split('.')[1:]:
            obj = getattr(obj, part)
        fns[e['name']] = obj
        for p in e['params']:
            if p['torchName']:
                kw[p['name']] = p['torchName']
    return fns, kw


# nnkit name -> PyTorch function; nnkit option name -> PyTorch keyword
FNS, KW = _registry()

REDUCTIONS = ['none', 'mean', 'sum']


def run_case(name, fn, inputs, grad, opts, dtype, seed):
    """inputs: tensors (floating ones are cast to dtype); grad: which inputs require grad."""
    ins = []
    for t, g in zip(inputs, grad):
        if t.is_floating_point():
            t = t.to(dtype)
        t = t.detach().clone()
        if g:
            t.requires_grad_(True)
        ins.append(t)
    kwargs = {}
    for k, v in opts.items():
        if isinstance(v, torch.Tensor) and v.is_floating_point():
            v = v.to(dtype)
        kwargs[KW[k]] = v
    out = FNS[fn](*ins, **kwargs)
    case = {
        'name': f'{name}/{str(dtype)[6:]}',
        'fn': fn,
        'dtype': str(dtype)[6:],
        'inputs': [encode_tensor(t) for t in ins],
        'requiresGrad': [bool(g) for g in grad],
        'opts': {k: encode_value(v.to(dtype) if isinstance(v, torch.Tensor) and v.is_floating_point() else v)
                 for k, v in opts.items()},
        'output': encode_tensor(out),
    }
    if out.requires_grad:
        gen = torch.Generator().manual_seed(seed + 7919)
        upstream = torch.randn(out.shape, generator=gen, dtype=torch.float64).to(dtype)
        grads = torch.autograd.grad(out, [t for t, g in zip(ins, grad) if g], upstream, allow_unused=True)
        it = iter(grads)
        case['upstream'] = encode_tensor(upstream)
        case['grads'] = [
            (lambda g: encode_tensor(g) if g is not None else None)(next(it)) if gflag else None
            for gflag in grad
        ]
    return case


class Builder:
    def __init__(self):
        self.specs = []

    def add(self, name, fn, make, grad, opts=None):
        """make(gen) returns the list of inputs in float64 (integers as int64)."""
        self.specs.append((name, fn, make, grad, opts or {}))

    def cases(self):
        out = []
        for i, (name, fn, make, grad, opts) in enumerate(self.specs):
            seed = 1000 + i
            for dtype in (torch.float32, torch.float64):
                gen = torch.Generator().manual_seed(seed)
                inputs = make(gen)
                o = opts(gen) if callable(opts) else opts
                out.append(run_case(name, fn, inputs, grad, o, dtype, seed))
        return out


def randn(gen, *shape, scale=1.0):
    return torch.randn(shape, generator=gen, dtype=torch.float64) * scale


def rand(gen, *shape):
    return torch.rand(shape, generator=gen, dtype=torch.float64)


def randint(gen, high, *shape):
    return torch.randint(0, high, shape, generator=gen)


def regression(b):
    for fn, extra in [
        ('mseLoss', [{}]),
        ('l1Loss', [{}]),
        ('smoothL1Loss', [{}, {'beta': 0.5}, {'beta': 0.0}, {'beta': 2.0}]),
        ('huberLoss', [{}, {'delta': 0.5}, {'delta': 2.5}]),
    ]:
        for opt in extra:
            tag = ','.join(f'{k}={v}' for k, v in opt.items()) or 'default'
            for red in REDUCTIONS:
                b.add(f'{fn}/{tag}/{red}/4x5', fn, lambda g: [randn(g, 4, 5, scale=2), randn(g, 4, 5)], [True, True],
                      {**opt, 'reduction': red})
            b.add(f'{fn}/{tag}/3d', fn, lambda g: [randn(g, 2, 3, 4), randn(g, 2, 3, 4)], [True, True], opt)
            b.add(f'{fn}/{tag}/scalar', fn, lambda g: [randn(g), randn(g)], [True, True], opt)
            for red in REDUCTIONS:
                b.add(f'{fn}/{tag}/empty/{red}', fn, lambda g: [randn(g, 0), randn(g, 0)], [True, True],
                      {**opt, 'reduction': red})
            # Kinks: differences of exactly 0, ±beta/±delta, and non-finite values.
            k = opt.get('beta', opt.get('delta', 1.0))
            b.add(f'{fn}/{tag}/kinks', fn,
                  lambda g, k=k: [torch.tensor([0.0, k, -k, 2 * k, -2 * k, 0.5 * k, 0.0, 1.0]),
                                  torch.tensor([0.0, 0.0, 0.0, k, -k, 0.0, k, 1.0])],
                  [True, True], {**opt, 'reduction': 'sum'})
            b.add(f'{fn}/{tag}/nonfinite', fn,
                  lambda g: [torch.tensor([math.inf, -math.inf, math.nan, 1.0, 2.0]),
                             torch.tensor([0.0, 1.0, 0.0, math.nan, math.inf])],
                  [True, True], {'reduction': 'none', **opt})


def kl(b):
    def make(g, zeros=True):
        x = torch.log_softmax(randn(g, 4, 6), 1)
        t = torch.softmax(randn(g, 4, 6), 1)
        if zeros:
            t[0, 1] = 0.0
            t[2, 3] = 0.0
        return [x, t]

    for log_target in (False, True):
        for red in REDUCTIONS + ['batchmean']:
            if log_target:
                mk = lambda g: [torch.log_softmax(randn(g, 4, 6), 1), torch.log_softmax(randn(g, 4, 6), 1)]
            else:
                mk = make
            b.add(f'klDiv/logTarget={log_target}/{red}', 'klDiv', mk, [True, True],
                  {'reduction': red, 'logTarget': log_target})
    b.add('klDiv/3d/batchmean', 'klDiv', lambda g: [torch.log_softmax(randn(g, 3, 4, 5), 1),
                                                     torch.softmax(randn(g, 3, 4, 5), 1)], [True, True],
          {'reduction': 'batchmean'})
    b.add('klDiv/scalar/batchmean', 'klDiv', lambda g: [randn(g), rand(g)], [True, True], {'reduction': 'batchmean'})
    b.add('klDiv/empty/mean', 'klDiv', lambda g: [randn(g, 0, 3), rand(g, 0, 3)], [True, True], {})


def bce(b):
    def make(g):
        x = torch.sigmoid(randn(g, 4, 5, scale=2))
        x[0, 0] = 0.0
        x[0, 1] = 1.0
        x[1, 0] = 1e-30
        t = rand(g, 4, 5)
        t[0, 0] = 1.0
        t[0, 1] = 0.0
        t[2, :] = (t[2, :] > 0.5).double()
        return [x, t]

    for red in REDUCTIONS:
        b.add(f'binaryCrossEntropy/{red}', 'binaryCrossEntropy', make, [True, True], {'reduction': red})
    b.add('binaryCrossEntropy/weight', 'binaryCrossEntropy', make, [True, True],
          lambda g: {'weight': rand(g, 5) * 2})
    b.add('binaryCrossEntropy/weight-full/sum', 'binaryCrossEntropy', make, [True, True],
          lambda g: {'weight': rand(g, 4, 5), 'reduction': 'sum'})
    b.add('binaryCrossEntropy/empty', 'binaryCrossEntropy', lambda g: [rand(g, 0), rand(g, 0)], [True, True], {})

    def logits(g):
        x = randn(g, 4, 5, scale=3)
        x[0, :] = torch.tensor([100.0, -100.0, 1000.0, -1000.0, 0.0])
        t = rand(g, 4, 5)
        t[1, :] = (t[1, :] > 0.5).double()
        return [x, t]

    for red in REDUCTIONS:
        b.add(f'binaryCrossEntropyWithLogits/{red}', 'binaryCrossEntropyWithLogits', logits, [True, True],
              {'reduction': red})
        b.add(f'binaryCrossEntropyWithLogits/posWeight/{red}', 'binaryCrossEntropyWithLogits', logits, [True, True],
              lambda g, red=red: {'posWeight': rand(g, 5) * 3, 'reduction': red})
    b.add('binaryCrossEntropyWithLogits/weight', 'binaryCrossEntropyWithLogits', logits, [True, True],
          lambda g: {'weight': rand(g, 4, 1)})
    b.add('binaryCrossEntropyWithLogits/weight+posWeight', 'binaryCrossEntropyWithLogits', logits, [True, True],
          lambda g: {'weight': rand(g, 5), 'posWeight': rand(g, 5) * 2})
    b.add('binaryCrossEntropyWithLogits/empty', 'binaryCrossEntropyWithLogits', lambda g: [randn(g, 0, 2), rand(g, 0, 2)],
          [True, True], {})


def classification(b):
    def idx(g, C, *shape, ignore=None, frac=0.3):
        t = randint(g, C, *shape)
        if ignore is not None:
            mask = rand(g, *shape) < frac
            t[mask] = ignore
        return t

    # ---- nllLoss on log-probabilities ----
    for red in REDUCTIONS:
        b.add(f'nllLoss/basic/{red}', 'nllLoss', lambda g: [torch.log_softmax(randn(g, 6, 5), 1), idx(g, 5, 6)],
              [True, False], {'reduction': red})
        b.add(f'nllLoss/weight+ignore/{red}', 'nllLoss',
              lambda g: [torch.log_softmax(randn(g, 8, 5), 1), idx(g, 5, 8, ignore=-100)], [True, False],
              lambda g, red=red: {'weight': rand(g, 5) + 0.1, 'reduction': red})
        b.add(f'nllLoss/kdim/{red}', 'nllLoss',
              lambda g: [torch.log_softmax(randn(g, 2, 4, 3, 2), 1), idx(g, 4, 2, 3, 2, ignore=2)], [True, False],
              lambda g, red=red: {'weight': rand(g, 4) + 0.1, 'reduction': red, 'ignoreIndex': 2})
        b.add(f'nllLoss/allIgnored/{red}', 'nllLoss',
              lambda g: [torch.log_softmax(randn(g, 3, 4), 1), torch.full((3,), -100, dtype=torch.long)],
              [True, False], {'reduction': red})
        b.add(f'nllLoss/empty/{red}', 'nllLoss', lambda g: [randn(g, 0, 4), torch.zeros(0, dtype=torch.long)],
              [True, False], {'reduction': red})
    b.add('nllLoss/unbatched', 'nllLoss', lambda g: [torch.log_softmax(randn(g, 5), 0), torch.tensor(3)],
          [True, False], {})
    b.add('nllLoss/3d', 'nllLoss', lambda g: [randn(g, 3, 4, 5), idx(g, 4, 3, 5)], [True, False], {})
    b.add('nllLoss/zeroWeights/mean', 'nllLoss', lambda g: [randn(g, 3, 4), torch.tensor([1, 1, 2])], [True, False],
          {'weight': torch.tensor([1.0, 0.0, 0.0, 1.0])})

    # ---- crossEntropy with class indices ----
    for red in REDUCTIONS:
        b.add(f'crossEntropy/basic/{red}', 'crossEntropy', lambda g: [randn(g, 6, 5, scale=2), idx(g, 5, 6)],
              [True, False], {'reduction': red})
        b.add(f'crossEntropy/weight/{red}', 'crossEntropy', lambda g: [randn(g, 7, 4), idx(g, 4, 7)], [True, False],
              lambda g, red=red: {'weight': rand(g, 4) + 0.1, 'reduction': red})
        b.add(f'crossEntropy/ignore/{red}', 'crossEntropy', lambda g: [randn(g, 8, 5), idx(g, 5, 8, ignore=-100)],
              [True, False], {'reduction': red})
        b.add(f'crossEntropy/ignoreValidClass/{red}', 'crossEntropy', lambda g: [randn(g, 8, 5), idx(g, 5, 8)],
              [True, False], {'reduction': red, 'ignoreIndex': 1})
        b.add(f'crossEntropy/smoothing/{red}', 'crossEntropy', lambda g: [randn(g, 6, 5), idx(g, 5, 6)],
              [True, False], {'reduction': red, 'labelSmoothing': 0.1})
        b.add(f'crossEntropy/smoothing+weight+ignore/{red}', 'crossEntropy',
              lambda g: [randn(g, 9, 6), idx(g, 6, 9, ignore=-100)], [True, False],
              lambda g, red=red: {'reduction': red, 'labelSmoothing': 0.25, 'weight': rand(g, 6) + 0.1})
        b.add(f'crossEntropy/kdim/{red}', 'crossEntropy', lambda g: [randn(g, 2, 3, 4, 5), idx(g, 3, 2, 4, 5, ignore=-7)],
              [True, False], lambda g, red=red: {'reduction': red, 'ignoreIndex': -7, 'weight': rand(g, 3) + 0.1,
                                                 'labelSmoothing': 0.2})
        b.add(f'crossEntropy/3d/{red}', 'crossEntropy', lambda g: [randn(g, 3, 4, 6), idx(g, 4, 3, 6)],
              [True, False], {'reduction': red})
        b.add(f'crossEntropy/allIgnored/{red}', 'crossEntropy',
              lambda g: [randn(g, 3, 4), torch.full((3,), -100, dtype=torch.long)], [True, False], {'reduction': red})
        b.add(f'crossEntropy/allIgnored+smoothing/{red}', 'crossEntropy',
              lambda g: [randn(g, 3, 4), torch.full((3,), -100, dtype=torch.long)], [True, False],
              {'reduction': red, 'labelSmoothing': 0.3})
        b.add(f'crossEntropy/empty/{red}', 'crossEntropy', lambda g: [randn(g, 0, 4), torch.zeros(0, dtype=torch.long)],
              [True, False], {'reduction': red})
        b.add(f'crossEntropy/empty+smoothing+weight/{red}', 'crossEntropy',
              lambda g: [randn(g, 0, 4), torch.zeros(0, dtype=torch.long)], [True, False],
              {'reduction': red, 'labelSmoothing': 0.1, 'weight': torch.tensor([1.0, 2.0, 3.0, 4.0])})
    b.add('crossEntropy/unbatched', 'crossEntropy', lambda g: [randn(g, 5), torch.tensor(2)], [True, False], {})
    b.add('crossEntropy/unbatched/none+smoothing', 'crossEntropy', lambda g: [randn(g, 5), torch.tensor(4)],
          [True, False], {'reduction': 'none', 'labelSmoothing': 0.3})
    b.add('crossEntropy/smoothing=1', 'crossEntropy', lambda g: [randn(g, 4, 3), idx(g, 3, 4)], [True, False],
          {'labelSmoothing': 1.0})

    def huge(g):
        x = randn(g, 4, 5)
        x[0] = torch.tensor([1e4, -1e4, 0.0, 5e3, 1e4])
        x[1] = torch.tensor([-1e4, -1e4, -1e4, -1e4, -1e4 + 3])
        x[2] = torch.tensor([1e30, 0.0, -1e30, 1.0, 2.0])
        return [x, torch.tensor([1, 2, 0, 3])]

    for red in REDUCTIONS:
        b.add(f'crossEntropy/hugeLogits/{red}', 'crossEntropy', huge, [True, False], {'reduction': red})

    def neg_inf(g):
        x = randn(g, 4, 5)
        x[0, 1] = -math.inf
        x[1, :3] = -math.inf
        x[3, :] = -math.inf  # a whole row: NaN in PyTorch
        return [x, torch.tensor([0, 4, 2, 1])]

    def neg_inf_finite(g):
        x = randn(g, 3, 5)
        x[0, 1] = -math.inf
        x[1, :3] = -math.inf
        return [x, torch.tensor([0, 4, 3])]

    for red in REDUCTIONS:
        b.add(f'crossEntropy/negInf/{red}', 'crossEntropy', neg_inf, [True, False], {'reduction': red})
        b.add(f'crossEntropy/negInfFinite/{red}', 'crossEntropy', neg_inf_finite, [True, False], {'reduction': red})
    b.add('crossEntropy/negInf+smoothing', 'crossEntropy', neg_inf_finite, [True, False], {'labelSmoothing': 0.1})
    b.add('crossEntropy/negInf+ignored', 'crossEntropy', lambda g: [neg_inf(g)[0], torch.tensor([0, 4, 2, -100])],
          [True, False], {})

    # ---- crossEntropy with class probabilities ----
    for red in REDUCTIONS:
        b.add(f'crossEntropy/prob/{red}', 'crossEntropy',
              lambda g: [randn(g, 5, 4), torch.softmax(randn(g, 5, 4), 1)], [True, True], {'reduction': red})
        b.add(f'crossEntropy/prob+weight+smoothing/{red}', 'crossEntropy',
              lambda g: [randn(g, 5, 4), torch.softmax(randn(g, 5, 4), 1)], [True, True],
              lambda g, red=red: {'reduction': red, 'weight': rand(g, 4) + 0.1, 'labelSmoothing': 0.2})
        b.add(f'crossEntropy/prob/kdim/{red}', 'crossEntropy',
              lambda g: [randn(g, 2, 3, 4, 2), torch.softmax(randn(g, 2, 3, 4, 2), 1)], [True, True],
              lambda g, red=red: {'reduction': red, 'weight': rand(g, 3) + 0.1})
        b.add(f'crossEntropy/prob/empty/{red}', 'crossEntropy', lambda g: [randn(g, 0, 3), rand(g, 0, 3)],
              [True, True], {'reduction': red})
    b.add('crossEntropy/prob/unbatched', 'crossEntropy', lambda g: [randn(g, 6), torch.softmax(randn(g, 6), 0)],
          [True, True], {'labelSmoothing': 0.1})
    b.add('crossEntropy/prob/negInf', 'crossEntropy',
          lambda g: [torch.tensor([[0.0, -math.inf, 1.0], [2.0, 1.0, 0.0]]), torch.tensor([[0.5, 0.0, 0.5], [0.2, 0.3, 0.5]])],
          [True, True], {})


def signs(g, *shape):
    return (rand(g, *shape) < 0.5).double() * 2 - 1


def extra(b):
    """The rest of PyTorch's losses (SPEC section 3)."""
    for red in REDUCTIONS:
        b.add(f'softMarginLoss/{red}', 'softMarginLoss', lambda g: [randn(g, 4, 3, scale=3), signs(g, 4, 3)],
              [True, False], {'reduction': red})
        for margin in (0.0, 0.5):
            b.add(f'marginRankingLoss/margin={margin}/{red}', 'marginRankingLoss',
                  lambda g: [randn(g, 7), randn(g, 7), signs(g, 7)], [True, True, True],
                  {'margin': margin, 'reduction': red})
        b.add(f'hingeEmbeddingLoss/{red}', 'hingeEmbeddingLoss', lambda g: [rand(g, 3, 4) * 2, signs(g, 3, 4)],
              [True, False], {'reduction': red, 'margin': 1.5})
        b.add(f'multilabelMarginLoss/{red}', 'multilabelMarginLoss',
              lambda g: [randn(g, 4, 5), torch.tensor([[3, 0, -1, 1, 2], [1, 2, 3, 4, 0], [-1, 2, 3, 0, 0], [4, -1, 0, 0, 0]])],
              [True, False], {'reduction': red})
        b.add(f'multilabelSoftMarginLoss/{red}', 'multilabelSoftMarginLoss',
              lambda g: [randn(g, 4, 5, scale=2), (rand(g, 4, 5) < 0.5).double()], [True, True], {'reduction': red})
        b.add(f'cosineEmbeddingLoss/{red}', 'cosineEmbeddingLoss',
              lambda g: [randn(g, 6, 4), randn(g, 6, 4), signs(g, 6).long()], [True, True, False],
              {'reduction': red, 'margin': 0.2})
        b.add(f'multiMarginLoss/{red}', 'multiMarginLoss', lambda g: [randn(g, 5, 4), randint(g, 4, 5)], [True, False],
              {'reduction': red})
        b.add(f'multiMarginLoss/p=2+weight/{red}', 'multiMarginLoss', lambda g: [randn(g, 5, 4), randint(g, 4, 5)],
              [True, False], lambda g, red=red: {'reduction': red, 'p': 2, 'margin': 0.7, 'weight': rand(g, 4) + 0.1})
        b.add(f'tripletMarginLoss/{red}', 'tripletMarginLoss',
              lambda g: [randn(g, 5, 6), randn(g, 5, 6), randn(g, 5, 6)], [True, True, True], {'reduction': red})
        b.add(f'tripletMarginWithDistanceLoss/{red}', 'tripletMarginWithDistanceLoss',
              lambda g: [randn(g, 5, 6), randn(g, 5, 6), randn(g, 5, 6)], [True, True, True],
              {'reduction': red, 'margin': 2.0})
        b.add(f'poissonNllLoss/{red}', 'poissonNllLoss', lambda g: [randn(g, 4, 3), randint(g, 6, 4, 3).double()],
              [True, True], {'reduction': red})
        b.add(f'gaussianNllLoss/{red}', 'gaussianNllLoss', lambda g: [randn(g, 4, 3), randn(g, 4, 3), rand(g, 4, 3) + 0.05],
              [True, True, True], {'reduction': red})
    b.add('marginRankingLoss/kink', 'marginRankingLoss',
          lambda g: [torch.tensor([1.0, 0.0, 2.0]), torch.tensor([0.5, 0.0, 1.5]), torch.tensor([1.0, -1.0, 1.0])],
          [True, True, True], {'margin': 0.5, 'reduction': 'sum'})
    b.add('hingeEmbeddingLoss/kink', 'hingeEmbeddingLoss',
          lambda g: [torch.tensor([1.0, 1.0, 0.5, 2.0]), torch.tensor([-1.0, 1.0, -1.0, -1.0])], [True, False],
          {'reduction': 'sum'})
    b.add('multilabelMarginLoss/1d', 'multilabelMarginLoss', lambda g: [randn(g, 5), torch.tensor([2, 4, -1, 0, 0])],
          [True, False], {'reduction': 'none'})
    b.add('multilabelSoftMarginLoss/weight+soft', 'multilabelSoftMarginLoss',
          lambda g: [randn(g, 4, 5), rand(g, 4, 5)], [True, True], lambda g: {'weight': rand(g, 5) + 0.5})
    b.add('cosineEmbeddingLoss/unbatched', 'cosineEmbeddingLoss',
          lambda g: [randn(g, 4), randn(g, 4), torch.tensor(-1)], [True, True, False], {'reduction': 'none'})
    b.add('cosineEmbeddingLoss/zeroRow', 'cosineEmbeddingLoss',
          lambda g: [torch.cat([torch.zeros(1, 3), randn(g, 2, 3)]), randn(g, 3, 3), torch.tensor([1, -1, 1])],
          [True, True, False], {'reduction': 'none'})
    b.add('multiMarginLoss/1d/scalarTarget', 'multiMarginLoss', lambda g: [randn(g, 4), torch.tensor(2)], [True, False],
          {'reduction': 'none'})
    b.add('multiMarginLoss/1d/vectorTarget', 'multiMarginLoss', lambda g: [randn(g, 4), torch.tensor([1])],
          [True, False], {'reduction': 'none'})
    for opts in ({'p': 1.0}, {'p': 3.0, 'margin': 0.5}, {'swap': True}, {'eps': 1e-3, 'reduction': 'none'}):
        tag = ','.join(f'{k}={v}' for k, v in opts.items())
        b.add(f'tripletMarginLoss/{tag}', 'tripletMarginLoss',
              lambda g: [randn(g, 5, 6), randn(g, 5, 6), randn(g, 5, 6)], [True, True, True], opts)
    b.add('tripletMarginLoss/1d', 'tripletMarginLoss', lambda g: [randn(g, 6), randn(g, 6), randn(g, 6)],
          [True, True, True], {'reduction': 'none'})
    b.add('tripletMarginWithDistanceLoss/swap', 'tripletMarginWithDistanceLoss',
          lambda g: [randn(g, 5, 6), randn(g, 5, 6), randn(g, 5, 6)], [True, True, True], {'swap': True})
    b.add('poissonNllLoss/full', 'poissonNllLoss',
          lambda g: [randn(g, 6), torch.tensor([0.0, 1.0, 2.0, 5.0, 0.5, 10.0])], [True, True], {'full': True})
    b.add('poissonNllLoss/rate', 'poissonNllLoss', lambda g: [rand(g, 4, 3) + 0.1, randint(g, 6, 4, 3).double()],
          [True, True], {'logInput': False, 'reduction': 'sum'})
    def ctc(T, N, C, S, concat=False, impossible=False):
        def make(g):
            lp = torch.log_softmax(randn(g, T, N, C), 2)
            in_len = torch.randint(max(1, T - 3), T + 1, (N,), generator=g)
            in_len[0] = T
            tg_len = torch.randint(0, S + 1, (N,), generator=g)
            tg_len[0] = S
            if impossible:
                tg_len[-1] = S
                in_len[-1] = max(1, S - 2)
            tg = torch.randint(1, C, (N, S), generator=g)
            if concat:
                tg = torch.cat([tg[b, :tg_len[b]] for b in range(N)])
            return [lp, tg, in_len, tg_len]
        return make

    for red in REDUCTIONS:
        b.add(f'ctcLoss/padded/{red}', 'ctcLoss', ctc(12, 4, 5, 4), [True, False, False, False], {'reduction': red})
        b.add(f'ctcLoss/concatenated/{red}', 'ctcLoss', ctc(10, 3, 6, 3, concat=True), [True, False, False, False],
              {'reduction': red, 'blank': 0})
    b.add('ctcLoss/impossible', 'ctcLoss', ctc(8, 3, 4, 4, impossible=True), [True, False, False, False],
          {'reduction': 'none'})
    b.add('ctcLoss/zeroInfinity', 'ctcLoss', ctc(8, 3, 4, 4, impossible=True), [True, False, False, False],
          {'reduction': 'mean', 'zeroInfinity': True})
    b.add('ctcLoss/repeats', 'ctcLoss',
          lambda g: [torch.log_softmax(randn(g, 7, 2, 3), 2), torch.tensor([[1, 1, 2], [2, 2, 2]]), torch.tensor([7, 6]),
                     torch.tensor([3, 2])], [True, False, False, False], {'reduction': 'sum'})
    b.add('ctcLoss/unbatched', 'ctcLoss',
          lambda g: [torch.log_softmax(randn(g, 6, 4), 1), torch.tensor([1, 3, 3]), torch.tensor(6), torch.tensor(3)],
          [True, False, False, False], {'reduction': 'none'})
    b.add('ctcLoss/blankLast', 'ctcLoss',
          lambda g: [torch.log_softmax(randn(g, 6, 2, 4), 2), torch.tensor([[0, 2], [1, 1]]), torch.tensor([6, 5]),
                     torch.tensor([2, 2])], [True, False, False, False], {'blank': 3})
    b.add('gaussianNllLoss/homoscedastic', 'gaussianNllLoss',
          lambda g: [randn(g, 4, 3), randn(g, 4, 3), rand(g, 4) + 0.05], [True, True, True], {'full': True})
    b.add('gaussianNllLoss/homoscedastic1', 'gaussianNllLoss',
          lambda g: [randn(g, 4, 3), randn(g, 4, 3), rand(g, 4, 1) + 0.05], [True, True, True], {'reduction': 'none'})
    b.add('gaussianNllLoss/clamped', 'gaussianNllLoss',
          lambda g: [randn(g, 5), randn(g, 5), torch.tensor([0.0, 1e-9, 0.5, 1e-7, 2.0])], [True, True, True],
          {'reduction': 'none', 'eps': 1e-6})


def main():
    b = Builder()
    regression(b)
    kl(b)
    bce(b)
    classification(b)
    write('losses', b.cases())
    b = Builder()
    extra(b)
    write('losses-extra', b.cases())


if __name__ == '__main__':
    main()
