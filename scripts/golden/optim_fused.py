"""Golden fixtures for the fused optimizer kernels, from PyTorch 1.13.

Each case runs torch.optim.SGD, Adam, AdamW or RMSprop (single-tensor path,
foreach=False) for several steps on a group of three tensors, (43, 49),
(2053,) and (7,), with every backend's vector loops and their tails. Tensor 1
has no gradient at step 0 and tensor 2 none at step 2, so their step counts
(Adam's bias corrections) and first momentum steps differ from tensor 0's:
the optimizers then split the group into several kernel calls, each of more
than 2,048 elements, so that the native backend takes every one
(src/kernels/native/index.ts, OPTIM_NATIVE_MIN).

The initial parameters and the gradients are not stored: both sides compute
them from integers (`value` below: an integer pattern divided by 503 in
double, scaled, then rounded to the dtype — every operation exact or
correctly rounded, so JavaScript gets the same numbers). Only the parameters
after the last step are stored, as base64 of their little-endian bytes, so
float32 results can be compared bit for bit.
"""
import base64

import torch

from common import encode_value, write

STEPS = 6
SHAPES = ((43, 49), (2053,), (7,))
SKIP = {(0, 1), (2, 2)}  # (step, tensor) without a gradient


def value(seed, k, i):
    return ((i * 7919 + k * 104729 + seed * 13) % 2003 - 1001) / 503.0


def pattern(seed, k, shape, dtype, scale=1.0):
    n = 1
    for s in shape:
        n *= s
    return torch.tensor([value(seed, k, i) * scale for i in range(n)], dtype=dtype).reshape(shape)


def encode_bytes(t):
    t = t.detach().contiguous()
    return {'dtype': str(t.dtype).replace('torch.', ''), 'shape': list(t.shape),
            'base64': base64.b64encode(t.numpy().tobytes()).decode('ascii')}


def run(name, cls, opts, dtype, seed):
    params = [pattern(seed + j, 0, s, dtype).requires_grad_() for j, s in enumerate(SHAPES)]
    opt = cls(params, **opts, foreach=False)
    for k in range(STEPS):
        for j, p in enumerate(params):
            if (k, j) in SKIP:
                p.grad = None
            else:
                p.grad = pattern(seed + j, k + 1, p.shape, dtype, 0.1 if k % 2 else 1.5)
        opt.step()
    return {'name': name, 'optimizer': cls.__name__, 'options': encode_value(opts), 'seed': seed,
            'dtype': str(dtype).replace('torch.', ''), 'params': [encode_bytes(p) for p in params]}


CASES = [
    ('SGD', torch.optim.SGD, 'plain', {'lr': 0.1}),
    ('SGD', torch.optim.SGD, 'nesterov_wd', {'lr': 0.05, 'momentum': 0.9, 'nesterov': True, 'weight_decay': 0.01}),
    ('SGD', torch.optim.SGD, 'dampening_maximize', {'lr': 0.1, 'momentum': 0.8, 'dampening': 0.3, 'maximize': True}),
    ('Adam', torch.optim.Adam, 'default', {'lr': 1e-3}),
    ('Adam', torch.optim.Adam, 'amsgrad_wd', {'lr': 0.02, 'amsgrad': True, 'weight_decay': 0.05, 'betas': (0.5, 0.9)}),
    ('Adam', torch.optim.Adam, 'maximize', {'lr': 0.01, 'maximize': True}),
    ('AdamW', torch.optim.AdamW, 'weight_decay', {'lr': 0.01, 'weight_decay': 0.1}),
    ('AdamW', torch.optim.AdamW, 'amsgrad', {'lr': 0.05, 'amsgrad': True, 'betas': (0.5, 0.9)}),
    ('RMSprop', torch.optim.RMSprop, 'default', {'lr': 0.01}),
    ('RMSprop', torch.optim.RMSprop, 'centered', {'lr': 0.01, 'centered': True}),
    ('RMSprop', torch.optim.RMSprop, 'centered_momentum_wd', {'lr': 0.005, 'centered': True, 'momentum': 0.5, 'weight_decay': 0.01}),
    ('RMSprop', torch.optim.RMSprop, 'momentum_maximize', {'lr': 0.01, 'momentum': 0.9, 'maximize': True}),
]


def main():
    cases = []
    seed = 0
    for dtype in (torch.float32, torch.float64):
        for opt_name, cls, name, opts in CASES:
            seed += 10
            cases.append(run(f'{opt_name} {name}', cls, opts, dtype, seed))
    write('optim_fused', cases, extra={'steps': STEPS, 'shapes': [list(s) for s in SHAPES],
                                       'skip': sorted([list(s) for s in SKIP])})


if __name__ == '__main__':
    main()
