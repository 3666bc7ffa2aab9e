#!/usr/bin/env python3
"""Golden fixtures for nn.AdaptiveLogSoftmaxWithLoss and nn.Linear: /usr/bin/python3 scripts/golden/adaptive.py

Each adaptive case builds PyTorch's module from a seed, records its state
dict, an input and targets covering every cluster, and PyTorch's output,
loss, log_prob and predict; the backward pass seeds both the loss and the
output with fixed random upstream gradients, and the input gradient and every
parameter gradient are recorded.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

from common import encode_tensor, write  # noqa: E402

CONFIGS = [
    # name, in_features, n_classes, cutoffs, div_value, head_bias, batch
    ('basic', 16, 20, [4, 10], 4.0, False, 12),
    ('headBias', 8, 30, [5, 12, 20], 2.0, True, 16),
    ('oneCluster', 10, 7, [3], 4.0, False, 9),
    ('smallHidden', 5, 12, [2, 6], 3.0, True, 10),  # hsz 1 then 0
    ('unbatched', 16, 20, [4, 10], 4.0, False, None),
    ('allShortlist', 6, 10, [8], 4.0, False, 5),
    ('predictTail', 16, 20, [4, 10], 4.0, True, 12),  # cluster logits scaled up: predict leaves the shortlist
]


def adaptive_cases():
    cases = []
    for k, (name, fin, ncls, cutoffs, div, hb, batch) in enumerate(CONFIGS):
        for dtype in (torch.float32, torch.float64):
            torch.manual_seed(100 + k)
            m = nn.AdaptiveLogSoftmaxWithLoss(fin, ncls, cutoffs, div_value=div, head_bias=hb).to(dtype)
            if name == 'predictTail':
                with torch.no_grad():
                    m.head.weight[m.shortlist_size:] *= 6
            gen = torch.Generator().manual_seed(200 + k)
            if batch is None:
                x = torch.randn(fin, generator=gen, dtype=torch.float64).to(dtype)
                t = torch.randint(0, ncls, (), generator=gen)
            else:
                x = torch.randn(batch, fin, generator=gen, dtype=torch.float64).to(dtype)
                high = cutoffs[0] if name == 'allShortlist' else ncls
                t = torch.randint(0, high, (batch,), generator=gen)
                if name != 'allShortlist':
                    # one target in every cluster
                    edges = [0] + cutoffs
                    for i, lo in enumerate(edges):
                        t[i % batch] = lo
            x.requires_grad_(True)
            out = m(x, t)
            u_loss = torch.randn((), generator=gen, dtype=torch.float64).to(dtype)
            u_out = torch.randn(out.output.shape, generator=gen, dtype=torch.float64).to(dtype)
            total = out.loss * u_loss + (out.output * u_out).sum()
            total.backward()
            xs = x.detach() if x.dim() == 2 else x.detach().unsqueeze(0)
            with torch.no_grad():
                log_prob = m.log_prob(xs)
                pred = m.predict(xs)
            cases.append({
                'name': f'{name}/{str(dtype)[6:]}',
                'dtype': str(dtype)[6:],
                'args': {'inFeatures': fin, 'nClasses': ncls, 'cutoffs': cutoffs, 'divValue': div, 'headBias': hb},
                'repr': repr(m),
                'state': {key: encode_tensor(v) for key, v in m.state_dict().items()},
                'input': encode_tensor(x),
                'target': encode_tensor(t),
                'upstreamLoss': encode_tensor(u_loss),
                'upstreamOutput': encode_tensor(u_out),
                'output': encode_tensor(out.output),
                'loss': encode_tensor(out.loss),
                'inputGrad': encode_tensor(x.grad),
                'paramGrads': {key: encode_tensor(p.grad) if p.grad is not None else None for key, p in m.named_parameters()},
                'logProb': encode_tensor(log_prob),
                'predict': encode_tensor(pred),
            })
    return cases


def linear_cases():
    cases = []
    for k, (fin, fout, bias, shape) in enumerate([(5, 3, True, (4, 5)), (4, 2, False, (2, 3, 4)), (3, 6, True, (3,))]):
        for dtype in (torch.float32, torch.float64):
            torch.manual_seed(300 + k)
            m = nn.Linear(fin, fout, bias=bias).to(dtype)
            gen = torch.Generator().manual_seed(400 + k)
            x = torch.randn(shape, generator=gen, dtype=torch.float64).to(dtype).requires_grad_(True)
            y = m(x)
            u = torch.randn(y.shape, generator=gen, dtype=torch.float64).to(dtype)
            y.backward(u)
            cases.append({
                'name': f'linear/{fin}x{fout}/bias={bias}/{str(dtype)[6:]}',
                'dtype': str(dtype)[6:],
                'args': {'inFeatures': fin, 'outFeatures': fout, 'bias': bias},
                'repr': repr(m),
                'state': {key: encode_tensor(v) for key, v in m.state_dict().items()},
                'input': encode_tensor(x),
                'output': encode_tensor(y),
                'upstream': encode_tensor(u),
                'inputGrad': encode_tensor(x.grad),
                'paramGrads': {key: encode_tensor(p.grad) if p.grad is not None else None for key, p in m.named_parameters()},
            })
    return cases


def main():
    write('losses-adaptive', adaptive_cases(), {'linear': linear_cases()})


if __name__ == '__main__':
    main()
