#!/usr/bin/env python3
"""Dropout against PyTorch: /usr/bin/python3 scripts/golden/dropout.py

The arithmetic of dropout, independently of the random stream (nnkit's is
PyTorch's too; scripts/golden/random_streams.py records seeded masks): every
element has exactly two possible outcomes,
kept and dropped, each with its value and its gradient, and those are
PyTorch's arithmetic (the noise scaled in the input's dtype, alpha
dropout's affine map, x·0 for NaN and ±Infinity). PyTorch runs each case on
R copies of the input stacked along the batch dimension, so that both
outcomes of every element appear; the gradient (upstream 1) tells which
copies kept it. The test checks that every element nnkit produces is one of
the two, with the matching gradient, and that the kept fraction is 1 − p.

Writes test/golden/dropout.json.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from common import encode_tensor, write  # noqa: E402

R = 400  # copies: an outcome of probability 0.1 is missed with probability 0.9^400 ≈ 5e-19

FUNCS = {
    'dropout': F.dropout,
    'alphaDropout': F.alpha_dropout,
    'featureAlphaDropout': F.feature_alpha_dropout,
    'dropout1d': F.dropout1d,
    'dropout2d': F.dropout2d,
    'dropout3d': F.dropout3d,
}

SPECIAL = [float('nan'), float('inf'), float('-inf'), 0.0, -0.0, 1e-45, -3.4e38, 1.0, -1.0,
           0.1, -2.5, 7.0, 1e30, -1e-30]


def values(n, gen, dtype):
    v = torch.randn(n, generator=gen, dtype=torch.float64) * 3
    for i, s in enumerate(SPECIAL[:n]):
        v[i] = s
    return v.to(dtype)


def outcomes(fn, x, p, stack_new_dim):
    """Both outcomes of every element, from R copies of x stacked along a new dim 0 or along N."""
    if stack_new_dim:
        xs = x.unsqueeze(0).expand(R, *x.shape).contiguous()
    else:
        xs = x.expand(R, *x.shape[1:]).contiguous()
    xs.requires_grad_(True)
    y = fn(xs, p, True)
    y.backward(torch.ones_like(y))
    kept_mask = xs.grad != 0
    y = y.detach()
    g = xs.grad
    shape = x.shape if stack_new_dim else x.shape[1:]
    kept = torch.empty(shape, dtype=x.dtype)
    dropped = torch.empty(shape, dtype=x.dtype)
    kept_grad = torch.empty(shape, dtype=x.dtype)
    flat_k, flat_d, flat_kg = kept.view(-1), dropped.view(-1), kept_grad.view(-1)
    yy = y.reshape(R, -1)
    mm = kept_mask.reshape(R, -1)
    gg = g.reshape(R, -1)
    for i in range(yy.shape[1]):
        ks = mm[:, i].nonzero().flatten()
        ds = (~mm[:, i]).nonzero().flatten()
        assert len(ks) and len(ds), 'both outcomes must appear'
        kv, dv = yy[ks, i], yy[ds, i]
        # Every copy gives the same value for the same outcome (NaN-aware).
        assert torch.equal(kv.isnan(), kv[:1].isnan().expand_as(kv))
        assert kv[0].isnan() or bool((kv == kv[0]).all())
        assert dv[0].isnan() or bool((dv == dv[0]).all())
        flat_k[i], flat_d[i], flat_kg[i] = kv[0], dv[0], gg[ks[0], i]
    return kept, dropped, kept_grad


def main():
    gen = torch.Generator().manual_seed(20261130)
    torch.manual_seed(20261130)
    cases = []
    shapes = {
        'dropout': [(14,), (3, 5)],
        'alphaDropout': [(14,), (2, 7)],
        'featureAlphaDropout': [(1, 14), (1, 3, 2)],
        'dropout1d': [(1, 3, 5), (3, 5)],
        'dropout2d': [(1, 3, 2, 2)],
        'dropout3d': [(1, 2, 2, 1, 2), (2, 1, 3, 2)],
    }
    for name, fn in FUNCS.items():
        feature = name not in ('dropout', 'alphaDropout')
        for shape in shapes[name]:
            for dtype in (torch.float32, torch.float64):
                for p in (0.1, 0.3, 0.5, 0.8):
                    n = 1
                    for s in shape:
                        n *= s
                    x = values(n, gen, dtype).reshape(shape)
                    if not feature:
                        k, d, kg = outcomes(fn, x, p, True)
                    elif shape[0] == 1:
                        k, d, kg = outcomes(fn, x, p, False)  # batched, N = 1: copies along N
                    else:
                        # Unbatched (dropout1d's (C, L), dropout3d's (C, D, H, W)): PyTorch draws
                        # for a batch of one; the copies are that batch's N.
                        k, d, kg = outcomes(fn, x.unsqueeze(0), p, False)
                    cases.append({
                        'fn': name,
                        'p': p,
                        'input': encode_tensor(x),
                        'kept': encode_tensor(k.reshape(shape)),
                        'dropped': encode_tensor(d.reshape(shape)),
                        'keptGrad': encode_tensor(kg.reshape(shape)),
                    })
    write('dropout', cases, {'copies': R})


if __name__ == '__main__':
    main()
