"""Golden losses for test/train-parity.test.ts: small versions of the
`npm run bench:train` workloads (same configuration schema as
bench/train/config.ts), trained for STEPS steps by the model builder and
training step of bench/torch_train.py.

Each case holds its configuration, PyTorch's initial weights (default
initialisation under torch.manual_seed), the batches, and the loss of
every step. Workload e is written a second time as a control, `e-adam-control`
(Adam without weight decay from the same weights and data): the test checks
that its tolerance tells the two optimizers apart.
"""
import copy
import math
import os
import sys

import torch

from common import encode_tensor, write

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'bench'))
from torch_train import as_target, build_model, make_trainer  # noqa: E402

STEPS = 20

# Larger learning rates and weight decay than the benchmark's, so that the
# choice of optimizer moves the losses well beyond the test's tolerance within STEPS steps.
CASES = [
    {
        'id': 'a', 'title': 'spiral MLP 2-32-3, 300 points', 'seed': 11,
        'model': {'kind': 'mlp', 'dims': [2, 32, 3], 'activation': 'ReLU'},
        'loss': 'crossEntropy',
        'optimizer': {'name': 'Adam', 'lr': 2e-2, 'weightDecay': 1e-2},
        'data': {'kind': 'spiral', 'perClass': 100, 'classes': 3, 'noise': 0.2},
    },
    {
        'id': 'b', 'title': 'MLP 48-32-32-10, batch 16', 'seed': 12,
        'model': {'kind': 'mlp', 'dims': [48, 32, 32, 10], 'activation': 'ReLU'},
        'loss': 'crossEntropy',
        'optimizer': {'name': 'Adam', 'lr': 1e-2, 'weightDecay': 0},
        'data': {'kind': 'classify', 'batch': 16, 'features': 48, 'classes': 10, 'pool': 3},
    },
    {
        'id': 'c', 'title': 'deep skinny net, 128 points', 'seed': 13,
        'model': {'kind': 'mlp', 'dims': [1, 16, 14, 12, 10, 8, 6, 5, 4, 3, 1], 'activation': 'LeakyReLU',
                  'negativeSlope': 0.1},
        'loss': 'mseLoss',
        'optimizer': {'name': 'SGD', 'lr': 5e-2, 'weightDecay': 0, 'momentum': 0.9},
        'data': {'kind': 'regression', 'n': 128},
    },
    {
        'id': 'd-full', 'title': 'Linear 16→300 + cross-entropy, batch 32', 'seed': 14,
        'model': {'kind': 'mlp', 'dims': [16, 300], 'activation': 'ReLU'},
        'loss': 'crossEntropy',
        'optimizer': {'name': 'Adam', 'lr': 1e-2, 'weightDecay': 0},
        'data': {'kind': 'zipf', 'batch': 32, 'features': 16, 'classes': 300, 's': 1.1, 'pool': 3},
    },
    {
        'id': 'd-adaptive', 'title': 'AdaptiveLogSoftmaxWithLoss(16, 300, [20, 100]), batch 32', 'seed': 14,
        'model': {'kind': 'adaptive', 'inFeatures': 16, 'nClasses': 300, 'cutoffs': [20, 100]},
        'loss': 'adaptive',
        'optimizer': {'name': 'Adam', 'lr': 1e-2, 'weightDecay': 0},
        'data': {'kind': 'zipf', 'batch': 32, 'features': 16, 'classes': 300, 's': 1.1, 'pool': 3},
    },
    {
        'id': 'e', 'title': 'MLP 48-32-32-10, GELU, batch 16', 'seed': 12,
        'model': {'kind': 'mlp', 'dims': [48, 32, 32, 10], 'activation': 'GELU'},
        'loss': 'crossEntropy',
        'optimizer': {'name': 'AdamW', 'lr': 1e-2, 'weightDecay': 0.5},
        'data': {'kind': 'classify', 'batch': 16, 'features': 48, 'classes': 10, 'pool': 3},
    },
]


def adam_control(case):
    """The AdamW case with Adam without weight decay: a wrong optimizer the tolerance must catch."""
    c = copy.deepcopy(case)
    c['id'] = case['id'] + '-adam-control'
    c['title'] = case['title'] + ' (control: Adam without weight decay)'
    c['optimizer'] = {'name': 'Adam', 'lr': case['optimizer']['lr'], 'weightDecay': 0}
    return c


def zipf(n, classes, s, g):
    w = torch.arange(1, classes + 1, dtype=torch.float64) ** -s
    return torch.multinomial(w, n, replacement=True, generator=g).to(torch.int32)


def make_data(d, g):
    """Batches with the distributions of bench/train/build.ts makeData (PyTorch's random streams)."""
    if d['kind'] == 'spiral':
        xs, ys = [], []
        for c in range(d['classes']):
            r = torch.linspace(0, 1, d['perClass'], dtype=torch.float64)
            t = c * 4 + torch.linspace(0, 4, d['perClass'], dtype=torch.float64) \
                + d['noise'] * torch.randn(d['perClass'], generator=g, dtype=torch.float64)
            xs.append(torch.stack([r * torch.sin(t), r * torch.cos(t)], 1))
            ys.append(torch.full((d['perClass'],), c, dtype=torch.int32))
        return [torch.cat(xs).float()], [torch.cat(ys)]
    if d['kind'] == 'regression':
        x = torch.linspace(-3, 3, d['n'], dtype=torch.float64)
        y = torch.sin(1.5 * x) + 0.3 * x
        return [x.float().reshape(-1, 1)], [y.float().reshape(-1, 1)]
    xs, ys = [], []
    for _ in range(d['pool']):
        if d['kind'] == 'classify':
            xs.append(torch.rand(d['batch'], d['features'], generator=g))
            ys.append(torch.randint(0, d['classes'], (d['batch'],), generator=g, dtype=torch.int32))
        else:
            xs.append(torch.randn(d['batch'], d['features'], generator=g))
            ys.append(zipf(d['batch'], d['classes'], d['s'], g))
    return xs, ys


def run(cfg):
    torch.manual_seed(cfg['seed'])
    model = build_model(cfg)
    params = {k: encode_tensor(v) for k, v in model.state_dict().items()}
    g = torch.Generator().manual_seed(cfg['seed'])
    xs, ys = make_data(cfg['data'], g)
    step = make_trainer(cfg, model, xs, [as_target(y) for y in ys])
    losses = [step(k) for k in range(STEPS)]
    assert all(math.isfinite(v) for v in losses), cfg['id']
    return {'config': cfg, 'params': params, 'x': [encode_tensor(x) for x in xs],
            'y': [encode_tensor(y) for y in ys], 'losses': losses}


def main():
    torch.set_num_threads(1)
    cases = []
    for c in CASES:
        cases.append(run(c))
        if c['optimizer']['name'] == 'AdamW':
            cases.append(run(adam_control(c)))
    write('train', cases, {'steps': STEPS})


if __name__ == '__main__':
    main()
