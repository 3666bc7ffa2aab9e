#!/usr/bin/env python3
"""nn.Embedding against PyTorch: /usr/bin/python3 scripts/golden/embedding.py

Two kinds of case. `init`: the table after torch.manual_seed (normal_, then
the padding row zeroed), and its repr. `lookup`: a given table through
Embedding.from_pretrained(freeze=False) with padding_idx, max_norm/norm_type
and scale_grad_by_freq, an index tensor of some shape and an upstream
gradient; recorded are the output, the weight's gradient and the weight
after the forward (max_norm renormalises it in place).

Writes test/golden/embedding.json.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

from common import encode_tensor, write  # noqa: E402

DT = {'float32': torch.float32, 'float64': torch.float64}
CASES = []

for dtype in ['float32', 'float64']:
    for seed, n, d, opts in [(0, 27, 2, {}), (1, 10, 3, {'padding_idx': 2}), (2, 6, 4, {'padding_idx': -1}),
                             (3, 5, 2, {'max_norm': 1.0, 'norm_type': 1.0, 'scale_grad_by_freq': True}),
                             (4, 0, 3, {}), (5, 4, 0, {})]:
        torch.manual_seed(seed)
        e = nn.Embedding(n, d, dtype=DT[dtype], **opts)
        CASES.append({'kind': 'init', 'seed': seed, 'dtype': dtype, 'n': n, 'd': d,
                      'options': {k: v for k, v in opts.items()}, 'repr': repr(e),
                      'weight': encode_tensor(e.weight)})

gen = torch.Generator().manual_seed(7)
LOOKUPS = [
    ([7, 3], [3, 0, 3, 6], {}),
    ([7, 3], [[3, 0], [3, 6], [1, 1]], {'padding_idx': 3}),
    ([5, 2], [4, 4, 4, 0, 2], {'scale_grad_by_freq': True}),
    ([5, 2], [[4, 4], [0, 2]], {'scale_grad_by_freq': True, 'padding_idx': 0}),
    ([6, 4], [5, 1, 5, 2], {'max_norm': 1.0}),
    ([6, 4], [[5, 1], [1, 0]], {'max_norm': 0.5, 'norm_type': 1.0}),
    ([6, 4], [2], {'max_norm': 100.0}),
    ([4, 3], 2, {}),
    ([4, 3], [], {}),
]
for dtype in ['float32', 'float64']:
    for shape, idx, opts in LOOKUPS:
        w = (torch.randn(shape, generator=gen, dtype=torch.float64) * 2).to(DT[dtype])
        index = torch.tensor(idx, dtype=torch.int64)
        e = nn.Embedding.from_pretrained(w.clone(), freeze=False, **opts)
        y = e(index)
        g = torch.randn(y.shape, generator=gen, dtype=torch.float64).to(DT[dtype])
        y.backward(g)
        CASES.append({'kind': 'lookup', 'dtype': dtype, 'weight': encode_tensor(w), 'index': encode_tensor(index),
                      'options': opts, 'grad': encode_tensor(g), 'output': encode_tensor(y),
                      'weightGrad': encode_tensor(e.weight.grad), 'weightAfter': encode_tensor(e.weight)})

write('embedding', CASES)
