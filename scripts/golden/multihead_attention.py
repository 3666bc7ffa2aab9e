#!/usr/bin/env python3
"""Golden fixtures for nn.MultiheadAttention: /usr/bin/python3 scripts/golden/multihead_attention.py

Each case builds PyTorch's module from a seed, overwrites every parameter
with deterministic random values (PyTorch initialises the in-projection and
output biases to zero, which would leave them untested), and records its
state dict, repr, the inputs and masks, the output and attention weights,
and, for a random upstream gradient on both outputs, the gradients of the
inputs and of every parameter.

The inputs require grad, so PyTorch takes its general ("slow") path,
F.multi_head_attention_forward. For the cases its fast path
(torch._native_multi_head_attention: eval mode, batch_first, self-attention,
no autograd, at most one mask, ...) could take, the script also runs the
module under no_grad and records that output as `fast`: the test checks
nnkit against both (they agree to float rounding).

Boolean masks are stored as int32 0/1 (nnkit has no bool dtype: its int32
masks are PyTorch's bool masks).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

from common import encode_tensor, write  # noqa: E402

L, S, N = 3, 4, 2
NEG_INF = float('-inf')


def case(name, ctor, shape='cross', batched=True, attn=None, kpm=None, fwd=None, mode='train'):
    return {'name': name, 'ctor': ctor, 'shape': shape, 'batched': batched, 'attn': attn, 'kpm': kpm,
            'fwd': fwd or {}, 'mode': mode}


CONFIGS = [
    case('selfBatchFirst', dict(embed_dim=8, num_heads=2, batch_first=True), shape='self', mode='eval'),
    case('selfBatchFirstKpm', dict(embed_dim=8, num_heads=2, batch_first=True), shape='self', kpm='bool', mode='eval'),
    case('selfSeqFirst', dict(embed_dim=6, num_heads=3), shape='self'),
    case('cross', dict(embed_dim=6, num_heads=2)),
    case('crossBatchFirst', dict(embed_dim=6, num_heads=2, batch_first=True)),
    case('keyIsValue', dict(embed_dim=6, num_heads=3), shape='kv'),
    case('unbatched', dict(embed_dim=6, num_heads=2), batched=False),
    case('unbatchedBatchFirst', dict(embed_dim=6, num_heads=2, batch_first=True), batched=False, kpm='bool'),
    case('unbatched3dMask', dict(embed_dim=6, num_heads=2), batched=False, attn='bool3', kpm='bool'),
    case('unbatchedFloat3dMask', dict(embed_dim=6, num_heads=2), batched=False, attn='float3', kpm='bool'),
    case('kdimVdim', dict(embed_dim=6, num_heads=2, kdim=5, vdim=7)),
    case('kdimOnly', dict(embed_dim=6, num_heads=3, kdim=4, batch_first=True), attn='float2'),
    case('noBias', dict(embed_dim=6, num_heads=2, bias=False), attn='bool2'),
    case('noBiasKdim', dict(embed_dim=6, num_heads=2, bias=False, kdim=3, vdim=3)),
    case('biasKv', dict(embed_dim=6, num_heads=2, add_bias_kv=True), attn='bool2', kpm='bool'),
    case('zeroAttn', dict(embed_dim=6, num_heads=2, add_zero_attn=True), attn='float3', kpm='bool'),
    case('biasKvZeroAttn', dict(embed_dim=6, num_heads=3, add_bias_kv=True, add_zero_attn=True), kpm='float'),
    case('biasKvZeroAttnUnbatched', dict(embed_dim=6, num_heads=2, add_bias_kv=True, add_zero_attn=True),
         batched=False, attn='float2'),
    case('boolAttn2d', dict(embed_dim=6, num_heads=2), attn='bool2'),
    case('floatAttn2d', dict(embed_dim=6, num_heads=2), attn='float2'),
    case('boolAttn3d', dict(embed_dim=6, num_heads=2), attn='bool3'),
    case('floatAttn3d', dict(embed_dim=6, num_heads=2), attn='float3'),
    case('kpmBool', dict(embed_dim=6, num_heads=2), kpm='bool'),
    case('kpmFloat', dict(embed_dim=6, num_heads=2), kpm='float'),
    case('kpmFullRow', dict(embed_dim=6, num_heads=2), kpm='boolFull'),
    case('attnFullRow', dict(embed_dim=6, num_heads=2, batch_first=True), attn='boolFull2'),
    case('boolAttnBoolKpm', dict(embed_dim=6, num_heads=2), attn='bool2', kpm='bool'),
    case('boolAttnFloatKpm', dict(embed_dim=6, num_heads=2), attn='bool3', kpm='float'),
    case('floatAttnBoolKpm', dict(embed_dim=6, num_heads=2), attn='float2', kpm='bool'),
    case('float3AttnBoolKpm', dict(embed_dim=6, num_heads=2, batch_first=True), attn='float3', kpm='bool'),
    case('noWeights', dict(embed_dim=6, num_heads=2), attn='bool2', fwd=dict(need_weights=False)),
    case('perHead', dict(embed_dim=6, num_heads=3), kpm='bool', fwd=dict(average_attn_weights=False)),
    case('perHeadUnbatched', dict(embed_dim=6, num_heads=2), batched=False,
         fwd=dict(average_attn_weights=False)),
    case('dropoutEval', dict(embed_dim=6, num_heads=2, dropout=0.4), attn='float2', mode='eval'),
    case('selfBatchFirstOddHeads', dict(embed_dim=6, num_heads=3, batch_first=True), shape='self', mode='eval'),
]


def make_attn(kind, n, heads, dtype, gen, tgt):
    if kind is None:
        return None
    three = kind.endswith('3')
    shape = (n * heads, tgt, S) if three else (tgt, S)
    if kind.startswith('bool'):
        if kind == 'boolFull2':
            m = torch.zeros(shape, dtype=torch.bool)
            m[1, :] = True  # query 1 may attend nowhere: NaN, as in PyTorch
            m[0, 2] = True
            return m
        m = torch.rand(shape, generator=gen) < 0.3
        m[..., 0] = False  # keep every row attendable
        return m
    m = torch.randn(shape, generator=gen, dtype=torch.float64).to(dtype)
    m.view(-1)[1] = NEG_INF
    return m


def make_kpm(kind, n, dtype, gen, batched):
    if kind is None:
        return None
    if kind == 'bool':
        m = torch.zeros((n, S), dtype=torch.bool)
        m[0, S - 1] = True
        if n > 1:
            m[1, 1] = True
            m[1, 2] = True
    elif kind == 'boolFull':
        m = torch.zeros((n, S), dtype=torch.bool)
        m[0, 2] = True
        m[1, :] = True  # every key of batch 1 is padding: NaN rows, as in PyTorch
    else:
        m = torch.randn((n, S), generator=gen, dtype=torch.float64).to(dtype)
        m[0, 1] = NEG_INF
        # zero entries: the keys a bool attn_mask's logical_or with this mask leaves attendable
        m[:, 0] = 0.0
        m[-1, 2] = 0.0
    return m if batched else m[0]


def inputs(c, m, dtype, gen):
    e = m.embed_dim
    n = N if c['batched'] else None

    def seq(length, feat):
        shape = (length, feat) if n is None else ((n, length, feat) if m.batch_first else (length, n, feat))
        return torch.randn(shape, generator=gen, dtype=torch.float64).to(dtype).requires_grad_(True)

    if c['shape'] == 'self':
        x = seq(S, e)  # self-attention: target length = source length
        return {'query': x}, x, x, x
    q = seq(L, e)
    if c['shape'] == 'kv':
        kv = seq(S, m.kdim)
        return {'query': q, 'key': kv}, q, kv, kv
    k = seq(S, m.kdim)
    v = seq(S, m.vdim)
    return {'query': q, 'key': k, 'value': v}, q, k, v


def ctor_args(ctor):
    """The constructor arguments as nnkit's camelCase options."""
    names = {'embed_dim': 'embedDim', 'num_heads': 'numHeads', 'add_bias_kv': 'addBiasKv',
             'add_zero_attn': 'addZeroAttn', 'batch_first': 'batchFirst'}
    return {names.get(k, k): v for k, v in ctor.items()}


def run_cases():
    cases = []
    for k, c in enumerate(CONFIGS):
        for dtype in (torch.float32, torch.float64):
            dname = str(dtype)[6:]
            torch.manual_seed(500 + k)
            m = nn.MultiheadAttention(**c['ctor']).to(dtype)
            gen = torch.Generator().manual_seed(600 + k)
            with torch.no_grad():
                for p in m.parameters():
                    p.copy_(torch.randn(p.shape, generator=gen, dtype=torch.float64).to(dtype) * 0.5)
            m.train(c['mode'] == 'train')
            named, q, key, value = inputs(c, m, dtype, gen)
            n = N if c['batched'] else 1
            attn = make_attn(c['attn'], n, m.num_heads, dtype, gen, S if c['shape'] == 'self' else L)
            kpm = make_kpm(c['kpm'], n, dtype, gen, c['batched'])
            fwd = dict(c['fwd'])
            out, w = m(q, key, value, key_padding_mask=kpm, attn_mask=attn, **fwd)
            u_out = torch.randn(out.shape, generator=gen, dtype=torch.float64).to(dtype)
            total = (out * u_out).sum()
            u_w = None
            if w is not None:
                u_w = torch.randn(w.shape, generator=gen, dtype=torch.float64).to(dtype)
                total = total + (w * u_w).sum()
            total.backward()
            rec = {
                'name': f"{c['name']}/{dname}",
                'dtype': dname,
                'args': ctor_args(c['ctor']),
                'training': m.training,
                'repr': repr(m),
                'state': {key_: encode_tensor(v) for key_, v in m.state_dict().items()},
                'inputs': {key_: encode_tensor(v) for key_, v in named.items()},
                'keyPaddingMask': encode_tensor(kpm) if kpm is not None else None,
                'attnMask': encode_tensor(attn) if attn is not None else None,
                'needWeights': fwd.get('need_weights', True),
                'averageAttnWeights': fwd.get('average_attn_weights', True),
                'output': encode_tensor(out),
                'weights': encode_tensor(w) if w is not None else None,
                'upstreamOutput': encode_tensor(u_out),
                'upstreamWeights': encode_tensor(u_w) if u_w is not None else None,
                'inputGrads': {key_: encode_tensor(v.grad) for key_, v in named.items()},
                'paramGrads': {key_: encode_tensor(p.grad) for key_, p in m.named_parameters()},
            }
            if c['shape'] == 'self' and not m.training and c['batched'] and m.batch_first and m.num_heads % 2 == 0:
                # The fast path, when PyTorch takes it (no grad, eval, batch_first, self-attention).
                with torch.no_grad():
                    x = q.detach()
                    fo, fw = m(x, x, x, key_padding_mask=kpm, attn_mask=attn, **fwd)
                diff = max((fo - out).abs().max().item(), (fw - w).abs().nan_to_num().max().item())
                print(f"{rec['name']}: fast path vs slow path max |diff| = {diff:.3g}")
                rec['fast'] = {'output': encode_tensor(fo), 'weights': encode_tensor(fw)}
            cases.append(rec)
    return cases


def main():
    torch.manual_seed(0)
    extra = {
        'reprs': {
            'default': repr(nn.MultiheadAttention(8, 2)),
            'kdimNoBias': repr(nn.MultiheadAttention(8, 2, bias=False, kdim=3, vdim=5, add_bias_kv=True)),
        },
        'stateKeys': {
            'default': list(nn.MultiheadAttention(8, 2).state_dict().keys()),
            'kdimNoBias': list(nn.MultiheadAttention(8, 2, bias=False, kdim=3, vdim=5,
                                                     add_bias_kv=True).state_dict().keys()),
            'kdimBiasKv': list(nn.MultiheadAttention(8, 2, kdim=3, add_bias_kv=True).state_dict().keys()),
        },
    }
    write('multihead_attention', run_cases(), extra)


if __name__ == '__main__':
    main()
