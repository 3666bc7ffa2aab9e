#!/usr/bin/env python3
"""PyTorch's random streams: /usr/bin/python3 scripts/golden/random_streams.py

nnkit's generator is PyTorch's CPU generator (MT19937 and ATen's transforms),
so after the same seed every sampler must give PyTorch's numbers. Each case
seeds the global generator (or a torch.Generator) and runs a sequence of
steps, recording each step's result: the generator's state carries from step
to step, as in a user's script, so the order in which steps consume the
stream (and the Box-Muller value PyTorch keeps for the next small randn) is
tested too.

A step names the nnkit call and its arguments in nnkit's spelling; the test
(test/random-streams.test.ts) replays it.

Writes test/golden/random_streams.json.
"""
import hashlib
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from common import encode_tensor, write  # noqa: E402

DT = {'float32': torch.float32, 'float64': torch.float64, 'int32': torch.int64}


def state(module):
    return {k: encode_tensor(v) for k, v in module.state_dict().items()}


def x_values(n, dtype):
    """A deterministic input with negatives, zeros and a NaN (no random draws)."""
    v = torch.linspace(-3, 2, n, dtype=torch.float64)
    if n > 4:
        v[2] = 0.0
        v[4] = float('nan')
    return v.to(DT[dtype])


# Each step: (call, args (nnkit's positional/option form), function returning PyTorch's result).
def rand(shape, dtype='float32'):
    return ('rand', [shape, {'dtype': dtype}], lambda: torch.rand(shape, dtype=DT[dtype]))


def randn(shape, dtype='float32'):
    return ('randn', [shape, {'dtype': dtype}], lambda: torch.randn(shape, dtype=DT[dtype]))


def randint(low, high, shape, dtype='int32'):
    return ('randint', [low, high, shape, {'dtype': dtype}],
            lambda: torch.randint(low, high, shape, dtype=DT[dtype]))


def randperm(n):
    return ('randperm', [n], lambda: torch.randperm(n))


def sample_(method, shape, dtype, *args):
    def run():
        t = torch.empty(shape, dtype=DT[dtype])
        getattr(t, method)(*args)
        return t
    return (method, [shape, dtype, *args], run)


def init_(name, torch_fn, shape, dtype, *args, **kwargs):
    def run():
        t = torch.empty(shape, dtype=DT[dtype])
        torch_fn(t, *args, **kwargs)
        return t
    opts = [dict(kwargs)] if kwargs else []
    return ('init.' + name, [shape, dtype, *args, *opts], run)


def module(name, ctor, args):
    return (name, args, lambda: state(ctor()))


def on_input(call, shape, dtype, fn, args, finite=False):
    """A function of a deterministic input of `shape`, which the step records."""
    x = x_values(math.prod(shape), dtype).reshape(shape)
    if finite:
        x = x.nan_to_num()
    return (call, [encode_tensor(x), *args], lambda: fn(x))


CASES = []


def case(name, seed, steps, generator=False):
    """`generator`: the steps draw from their own torch.Generator seeded with `seed`."""
    if generator:
        g = torch.Generator()
        if seed is not None:
            g.manual_seed(seed)
        torch.manual_seed(12345)  # the global stream must not matter
        out = []
        for call, args, _ in steps:
            shape = args[0]
            dtype = args[1]['dtype']
            fn = torch.rand if call == 'rand' else torch.randn
            out.append({'call': call, 'args': args, 'out': encode_tensor(fn(shape, dtype=DT[dtype], generator=g))})
    else:
        torch.manual_seed(seed)
        out = [{'call': call, 'args': args, 'out': encode_result(run())} for call, args, run in steps]
    CASES.append({'name': name, 'seed': seed, 'generator': generator, 'steps': out})


def encode_result(r):
    if isinstance(r, dict):
        return r
    return encode_tensor(r)


# ---- the samplers -------------------------------------------------------------------------

for seed in [0, 1, 42, 2**32 + 5, -1, 2**63]:
    case(f'rand/randn seed {seed}', seed, [rand([5]), randn([5]), rand([3], 'float64'), randn([20])])

for dtype in ['float32', 'float64']:
    for n in [0, 1, 2, 15, 16, 17, 31, 32, 33, 100, 1000]:
        case(f'randn {n} {dtype}', 7, [randn([n], dtype), randn([n], dtype)])
        case(f'rand {n} {dtype}', 7, [rand([n], dtype)])
    case(f'randn 2-D {dtype}', 3, [randn([4, 5], dtype), randn([3, 1, 7], dtype)])

# Box-Muller pairs: an odd small randn leaves a value for the next one, across other draws.
case('randn spare across calls', 0, [randn([3]), randn([3]), rand([2]), randn([1]), randn([1])])
case('randn spare then large', 0, [randn([1]), randn([16]), randn([1])])
case('manual_seed forgets the spare', 0, [randn([1])])

for low, high, shape, dtype in [(0, 10, [20], 'int32'), (-5, 5, [7], 'int32'), (0, 2**31 - 1, [6], 'int32'),
                                (-2**31, 2**31 - 1, [6], 'int32'), (3, 4, [3], 'int32'),
                                (0, 100, [4], 'float32'), (-2**40, 2**40, [5], 'float64')]:
    case(f'randint [{low}, {high}) {dtype}', 11, [randint(low, high, shape, dtype)])

for n in [0, 1, 2, 3, 10, 100]:
    case(f'randperm {n}', 5, [randperm(n), randperm(n)])

for dtype in ['float32', 'float64']:
    case(f'uniform_ {dtype}', 2, [sample_('uniform_', [50], dtype, -0.3, 0.7), sample_('uniform_', [3, 4], dtype)])
    case(f'normal_ {dtype}', 2, [sample_('normal_', [50], dtype, 0.5, 2.0), sample_('normal_', [5], dtype, -1.0, 0.1),
                                 sample_('normal_', [16], dtype, 3.0, 0.0)])
    case(f'bernoulli_ {dtype}', 2, [sample_('bernoulli_', [40], dtype, 0.3), sample_('bernoulli_', [10], dtype)])
    case(f'exponential_ {dtype}', 2, [sample_('exponential_', [30], dtype, 1.5), sample_('exponential_', [5], dtype)])

# Long streams, recorded as the SHA-256 of their bytes (a million float32s would be 4 MB of JSON):
# every backend's uniformFill and normalFill kernels must give PyTorch's bits over blocks, twists
# and the partial last block. float64 normals are left out: their last bit is the libm's.
def digest(call, shape, dtype, *args):
    def run():
        if call in ('rand', 'randn'):
            t = (torch.rand if call == 'rand' else torch.randn)(shape, dtype=DT[dtype])
        else:
            t = getattr(torch.empty(shape, dtype=DT[dtype]), call)(*args)
        return {'sha256': hashlib.sha256(t.numpy().tobytes()).hexdigest()}
    return ('digest', [call, shape, dtype, *args], run)


case('long streams (digests)', 0, [digest('randn', [1000003], 'float32'), digest('rand', [1000000], 'float32'),
                                   digest('rand', [100001], 'float64'),
                                   digest('normal_', [100003], 'float32', 0.5, 2.5),
                                   digest('uniform_', [100003], 'float32', -3.0, 7.0),
                                   digest('uniform_', [50001], 'float64', -3.0, 7.0),
                                   digest('exponential_', [100003], 'float32', 1.5)])

# float64 normals and exponentials through glibc's log, cos and sin: the native backend calls them, so
# it must give these bits; the wasm and JS backends use their own (the test skips them there).
case('long float64 normals (digests, glibc)', 0, [digest('randn', [100003], 'float64'),
                                                  digest('normal_', [20001], 'float64', -1.0, 3.0),
                                                  digest('exponential_', [30001], 'float64', 0.5)])

case('own generator', 3, [rand([4], 'float32'), randn([20], 'float32'), randn([3], 'float64')], generator=True)
case('own generator, default seed', None, [rand([4], 'float32'), randn([3], 'float32')], generator=True)

# ---- sampling from given probabilities -------------------------------------------------------


def given(call, fn, x, *args):
    """A sampler of a recorded input tensor `x`."""
    return (call, [encode_tensor(x), *args], lambda: fn(x))


weights = torch.tensor([[0.1, 0.2, 0.3, 0.4, 0.0, 1.5], [1, 1, 1, 1, 1, 1], [0, 0, 3, 0, 0, 1e-3]])
softmax = torch.randn(4, 27, generator=torch.Generator().manual_seed(5)).softmax(1)
for dtype in ['float32', 'float64']:
    w, sm = weights.to(DT[dtype]), softmax.to(DT[dtype])
    case(f'multinomial {dtype}', 0, [
        given('multinomial', lambda x: torch.multinomial(x, 20, True), w, 20, True),
        given('multinomial', lambda x: torch.multinomial(x, 1, True), w, 1, True),
        given('multinomial', lambda x: torch.multinomial(x, 1), w, 1),
        given('multinomial', lambda x: torch.multinomial(x, 2, False), w, 2, False),
        given('multinomial', lambda x: torch.multinomial(x, 3), w[0], 3),
        given('multinomial', lambda x: torch.multinomial(x, 1, True), sm, 1, True),
        given('multinomial', lambda x: torch.multinomial(x, 10, replacement=True), sm, 10, {'replacement': True}),
        given('multinomial', lambda x: torch.multinomial(x, 27), sm, 27),
        given('bernoulli', torch.bernoulli, torch.tensor([0.0, 1.0, 0.5, 0.25, 0.999, 1e-7] * 5, dtype=DT[dtype])),
    ])

# ---- torch.utils.data: the order of a shuffled DataLoader and of RandomSampler ------------------

from torch.utils.data import DataLoader, RandomSampler, TensorDataset  # noqa: E402


def loader_order(n, epochs, batch_size, shuffle, drop_last=False, generator_seed=None):
    """Every epoch's sample order (the dataset holds 0 … n−1), concatenated."""
    def run():
        ds = TensorDataset(torch.arange(n))
        g = None if generator_seed is None else torch.Generator().manual_seed(generator_seed)
        dl = DataLoader(ds, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last, generator=g)
        return torch.cat([b[0] for _ in range(epochs) for b in dl])
    opts = {'dropLast': drop_last}
    if generator_seed is not None:
        opts['generatorSeed'] = generator_seed
    return ('DataLoader', [n, epochs, batch_size, shuffle, opts], run)


def sampler_order(n, replacement, num_samples, epochs=1, generator_seed=None):
    def run():
        g = None if generator_seed is None else torch.Generator().manual_seed(generator_seed)
        s = RandomSampler(range(n), replacement=replacement, num_samples=num_samples, generator=g)
        return torch.tensor([i for _ in range(epochs) for i in s])
    opts = {} if generator_seed is None else {'generatorSeed': generator_seed}
    return ('RandomSampler', [n, epochs, replacement, num_samples, opts], run)


case('DataLoader shuffled', 0, [loader_order(10, 2, 4, True), rand([2])])
case('DataLoader in order', 3, [loader_order(7, 2, 3, False), rand([2])])
case('DataLoader own generator, drop_last', 1, [loader_order(10, 3, 4, True, True, 5), rand([2])])
case('DataLoader larger', 8, [loader_order(1000, 2, 64, True)])
case('RandomSampler', 2, [
    sampler_order(10, True, 40, 2),
    sampler_order(10, False, 25),
    sampler_order(6, False, None, 3),
    sampler_order(9, True, None, 1, 4),
    rand([2]),
])

from torch.utils.data import random_split  # noqa: E402


def split_order(n, lengths, generator_seed=None):
    """random_split's subsets of 0 … n−1, their indices concatenated."""
    def run():
        g = torch.Generator().manual_seed(generator_seed) if generator_seed is not None else None
        parts = random_split(range(n), lengths, generator=g) if g else random_split(range(n), lengths)
        return torch.tensor([i for p in parts for i in p.indices])
    opts = {} if generator_seed is None else {'generatorSeed': generator_seed}
    return ('randomSplit', [n, lengths, opts], run)


case('random_split', 0, [
    split_order(5, [0.6, 0.4]),
    split_order(10, [3, 3, 4]),
    split_order(10, [0.3, 0.3, 0.4], 42),
    split_order(7, [0.5, 0.5]),
    rand([1]),
])


def xavier_zero(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight)
        nn.init.zeros_(m.bias)


case('Module.apply', 3, [
    module('mlpApply', lambda: nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)).apply(xavier_zero),
           [[4, 3, 2]]),
])

# ---- nn.init --------------------------------------------------------------------------------

init = nn.init
for dtype in ['float32', 'float64']:
    case(f'init {dtype}', 9, [
        init_('uniform_', init.uniform_, [6, 4], dtype, -2.0, 3.0),
        init_('normal_', init.normal_, [6, 4], dtype, 1.0, 0.02),
        init_('truncNormal_', init.trunc_normal_, [40], dtype, 0.0, 1.0, -1.0, 1.5),
        init_('truncNormal_', init.trunc_normal_, [8, 8], dtype, 0.5, 0.02, -0.04, 1.0),
        init_('xavierUniform_', init.xavier_uniform_, [5, 7], dtype),
        init_('xavierUniform_', init.xavier_uniform_, [4, 3, 2, 2], dtype, 1.5),
        init_('xavierNormal_', init.xavier_normal_, [5, 7], dtype, 0.5),
        init_('kaimingUniform_', init.kaiming_uniform_, [8, 3], dtype),
        init_('kaimingUniform_', init.kaiming_uniform_, [8, 3], dtype, math.sqrt(5)),
        init_('kaimingUniform_', init.kaiming_uniform_, [4, 6, 3], dtype, mode='fan_out', nonlinearity='relu'),
        init_('kaimingNormal_', init.kaiming_normal_, [8, 3], dtype, 0.2),
        init_('kaimingNormal_', init.kaiming_normal_, [3, 5], dtype, mode='fan_out', nonlinearity='tanh'),
        init_('orthogonal_', init.orthogonal_, [5, 3], dtype),
        init_('orthogonal_', init.orthogonal_, [3, 6], dtype, 2.0),
        init_('orthogonal_', init.orthogonal_, [4, 2, 3], dtype),
        init_('sparse_', init.sparse_, [6, 4], dtype, 0.5),
        init_('sparse_', init.sparse_, [5, 3], dtype, 0.1, 1.0),
        init_('eye_', init.eye_, [3, 5], dtype),
        init_('dirac_', init.dirac_, [4, 2, 3, 3], dtype, 2),
        init_('constant_', init.constant_, [2, 3], dtype, 0.25),
        rand([3], dtype),
    ])

# ---- modules: PyTorch's initial weights from the same seed -----------------------------------

for dtype in ['float32', 'float64']:
    dt = DT[dtype]
    case(f'Linear {dtype}', 0, [
        module('Linear', lambda: nn.Linear(10, 4, dtype=dt), [10, 4, {'dtype': dtype}]),
        module('Linear', lambda: nn.Linear(50, 20, bias=False, dtype=dt), [50, 20, {'bias': False, 'dtype': dtype}]),
        module('Linear', lambda: nn.Linear(0, 3, dtype=dt), [0, 3, {'dtype': dtype}]),
        module('Linear', lambda: nn.Linear(3, 0, dtype=dt), [3, 0, {'dtype': dtype}]),
        module('Linear', lambda: nn.Linear(1, 17, dtype=dt), [1, 17, {'dtype': dtype}]),
    ])
case('MultiheadAttention', 4, [
    module('MultiheadAttention', lambda: nn.MultiheadAttention(8, 2), [8, 2]),
    module('MultiheadAttention', lambda: nn.MultiheadAttention(6, 3, bias=False, add_bias_kv=True, kdim=4, vdim=5),
           [6, 3, {'bias': False, 'addBiasKv': True, 'kdim': 4, 'vdim': 5}]),
    module('MultiheadAttention', lambda: nn.MultiheadAttention(4, 1, add_bias_kv=True), [4, 1, {'addBiasKv': True}]),
])
case('AdaptiveLogSoftmaxWithLoss', 6, [
    module('AdaptiveLogSoftmaxWithLoss', lambda: nn.AdaptiveLogSoftmaxWithLoss(16, 50, [10, 30], div_value=2.0),
           [16, 50, [10, 30], {'divValue': 2}]),
    module('AdaptiveLogSoftmaxWithLoss', lambda: nn.AdaptiveLogSoftmaxWithLoss(8, 20, [5], head_bias=True),
           [8, 20, [5], {'headBias': True}]),
])
case('Sequential MLP', 0, [
    module('mlp', lambda: nn.Sequential(nn.Linear(2, 100), nn.ReLU(), nn.Linear(100, 3)), [[2, 100, 3]]),
])

# ---- functions that draw: dropout, rrelu, gumbel-softmax --------------------------------------

for dtype in ['float32', 'float64']:
    case(f'dropout {dtype}', 1, [
        on_input('dropout', [40], dtype, lambda x: F.dropout(x, 0.3), [0.3]),
        on_input('dropout', [4, 10], dtype, lambda x: F.dropout(x, 0.5), [0.5]),
        on_input('dropout2d', [2, 3, 2, 4], dtype, lambda x: F.dropout2d(x, 0.4), [0.4]),
        on_input('alphaDropout', [40], dtype, lambda x: F.alpha_dropout(x, 0.2, True), [0.2, True]),
        on_input('featureAlphaDropout', [2, 3, 4], dtype, lambda x: F.feature_alpha_dropout(x, 0.5, True),
                 [0.5, True]),
        on_input('rrelu', [40], dtype, lambda x: F.rrelu(x, training=True), [{'training': True}]),
        on_input('rrelu', [40], dtype, lambda x: F.rrelu(x, 0.1, 0.9, training=True), [0.1, 0.9, True]),
        on_input('gumbelSoftmax', [8, 5], dtype, lambda x: F.gumbel_softmax(x, tau=0.5), [{'tau': 0.5}],
                 finite=True),
        on_input('gumbelSoftmax', [8, 5], dtype, lambda x: F.gumbel_softmax(x, hard=True), [{'hard': True}],
                 finite=True),
    ])

write('random_streams', CASES)
