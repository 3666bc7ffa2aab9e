#!/usr/bin/env python3
"""Normalization modules over several steps: /usr/bin/python3 scripts/golden/normalization.py

The registry's samples (scripts/golden/registry.py) check one call of
F.layerNorm, F.groupNorm and F.batchNorm. This script records what the
modules do over a run: BatchNorm1d/2d's outputs, gradients and running
statistics after each training batch (momentum 0.1, None, no tracking, no
affine), their eval-mode outputs, LayerNorm and GroupNorm with learnt
weights, InstanceNorm1d/2d/3d (unbatched, with running statistics, learnt
weights), and a small MLP with BatchNorm1d trained with SGD, whose losses
test/normalization.test.ts reproduces from the same initial weights.
Writes test/golden/normalization.json.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from common import encode_tensor, write  # noqa: E402

CASES = []
gen = torch.Generator().manual_seed(2026)


def randn(*shape, dtype=torch.float64):
    return torch.randn(*shape, generator=gen, dtype=torch.float64).to(dtype)


def state(m):
    return {k: encode_tensor(v) for k, v in m.state_dict().items()}


def run_module(name, make, shape, steps, dtype=torch.float64, note=''):
    """Training steps then one eval step: each step's input, output, upstream gradient, gradients and state."""
    torch.manual_seed(0)
    m = make().to(dtype)
    # Learnt weights other than the initial ones, so that the affine part is tested.
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(randn(*p.shape, dtype=dtype))
    init = state(m)
    records = []
    for step in range(steps + 1):
        training = step < steps
        m.train(training)
        x = randn(*shape, dtype=dtype).requires_grad_()
        y = m(x)
        g = randn(*y.shape, dtype=dtype)
        m.zero_grad()
        y.backward(g)
        records.append({
            'training': training,
            'input': encode_tensor(x.detach()),
            'output': encode_tensor(y.detach()),
            'upstream': encode_tensor(g),
            'grads': {'input': encode_tensor(x.grad),
                      **{k: encode_tensor(p.grad) for k, p in m.named_parameters()}},
            'state': state(m),
        })
    CASES.append({'name': name, 'note': note, 'repr': repr(m), 'init': init, 'steps': records})


run_module('BatchNorm1d(3)', lambda: nn.BatchNorm1d(3), (5, 3), 3, note='momentum 0.1')
run_module('BatchNorm1d(2, momentum=None)', lambda: nn.BatchNorm1d(2, momentum=None), (4, 2, 3), 3,
           note='3-D input, cumulative average')
run_module('BatchNorm2d(3, affine=False)', lambda: nn.BatchNorm2d(3, affine=False), (2, 3, 2, 2), 2)
run_module('BatchNorm1d(3, track_running_stats=False)',
           lambda: nn.BatchNorm1d(3, track_running_stats=False), (4, 3), 2, note='batch statistics in eval too')
run_module('BatchNorm1d(4) float32', lambda: nn.BatchNorm1d(4), (6, 4), 3, dtype=torch.float32)
run_module('LayerNorm([3, 4])', lambda: nn.LayerNorm([3, 4]), (2, 3, 4), 1)
run_module('LayerNorm(5, elementwise_affine=False) float32',
           lambda: nn.LayerNorm(5, elementwise_affine=False), (3, 5), 1, dtype=torch.float32)
run_module('GroupNorm(2, 4)', lambda: nn.GroupNorm(2, 4), (3, 4, 5), 1)
run_module('GroupNorm(3, 6, affine=False) float32', lambda: nn.GroupNorm(3, 6, affine=False), (2, 6), 1,
           dtype=torch.float32)
run_module('InstanceNorm1d(3)', lambda: nn.InstanceNorm1d(3), (2, 3, 5), 1, note='no parameters, no statistics')
run_module('InstanceNorm1d(3) unbatched', lambda: nn.InstanceNorm1d(3), (3, 4), 1, note='one sample (C, L)')
run_module('InstanceNorm2d(3, affine=True, track_running_stats=True)',
           lambda: nn.InstanceNorm2d(3, affine=True, track_running_stats=True), (2, 3, 2, 3), 3,
           note='running statistics averaged over the samples, used in eval')
run_module('InstanceNorm1d(4, momentum=0.3, track_running_stats=True) float32',
           lambda: nn.InstanceNorm1d(4, momentum=0.3, track_running_stats=True), (3, 4, 6), 2,
           dtype=torch.float32)
run_module('InstanceNorm3d(2, affine=True) float32', lambda: nn.InstanceNorm3d(2, affine=True), (2, 2, 2, 2, 3),
           1, dtype=torch.float32)

# A small MLP with batch norm, trained: the losses of 8 SGD steps (momentum 0.9), then eval.
torch.manual_seed(1)
mlp = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))
init = state(mlp)
opt = torch.optim.SGD(mlp.parameters(), lr=0.1, momentum=0.9)
x = torch.randn(16, 4, generator=gen)
t = torch.randint(0, 3, (16,), generator=gen)
losses = []
for _ in range(8):
    opt.zero_grad()
    loss = F.cross_entropy(mlp(x), t)
    loss.backward()
    opt.step()
    losses.append(loss.item())
mlp.eval()
CASES.append({
    'name': 'mlp', 'note': 'Linear(4, 8), BatchNorm1d(8), ReLU, Linear(8, 3); SGD lr 0.1 momentum 0.9, 8 steps',
    'init': init, 'input': encode_tensor(x), 'target': encode_tensor(t), 'losses': losses,
    'state': state(mlp), 'eval': encode_tensor(mlp(x).detach()),
})

# Signed zeros: a zero-variance group of −0 and +0. Without weight and bias PyTorch's group
# norm returns x·rstd − mean·rstd, which keeps x̂'s −0; every other form adds a β (0 when
# absent) and gives +0. `affine` says which of weight (ones) and bias (zeros) are given, of
# the channels' length (the last dimension's for layer norm).
def signed_zero_outputs():
    records = []
    for dtype in (torch.float32, torch.float64):
        for shape in ((1, 2, 2), (2, 2), (1, 4, 3)):
            n = torch.Size(shape).numel()
            x = torch.tensor([0.0 if i % 3 == 1 else -0.0 for i in range(n)], dtype=dtype).reshape(shape)

            def given(size, affine):
                w = torch.ones(size, dtype=dtype) if affine in ('weight', 'both') else None
                b = torch.zeros(size, dtype=dtype) if affine in ('bias', 'both') else None
                return w, b

            for affine in ('none', 'weight', 'bias', 'both'):
                calls = [('groupNorm', [1], lambda w, b: F.group_norm(x, 1, w, b), shape[1]),
                         ('layerNorm', [[shape[-1]]], lambda w, b: F.layer_norm(x, shape[-1:], w, b), shape[-1]),
                         ('batchNorm', [None, None],
                          lambda w, b: F.batch_norm(x, None, None, w, b, training=True), shape[1])]
                if shape[1] % 2 == 0:
                    calls.append(('groupNorm', [2], lambda w, b: F.group_norm(x, 2, w, b), shape[1]))
                for fn, args, call, size in calls:
                    records.append({'fn': fn, 'affine': affine, 'args': args, 'input': encode_tensor(x),
                                    'output': encode_tensor(call(*given(size, affine)))})
    return records


write('normalization', CASES, {'signed_zeros': signed_zero_outputs()})
