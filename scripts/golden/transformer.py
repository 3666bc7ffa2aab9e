#!/usr/bin/env python3
"""Transformer layers, stacks and nn.Transformer against PyTorch:
/usr/bin/python3 scripts/golden/transformer.py

Each case builds a module after torch.manual_seed(seed) (PyTorch's
initialisation from that seed, deep copies for the stacks, xavier_uniform_
redraws for nn.Transformer), runs it on fixed inputs with masks (float
attention masks, key padding masks given as int32 0/1 and passed to PyTorch
as bool), in training mode with dropout seeded by
torch.manual_seed(forwardSeed) before the forward pass, or in evaluation
mode, and backpropagates loss = ½·Σ out² + Σ out. Records the initial state
dict, the output and the gradients of the inputs and of every parameter.
Writes test/golden/transformer.json.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

from common import encode_tensor, write  # noqa: E402


def causal(n):
    return torch.triu(torch.full((n, n), float('-inf')), diagonal=1)


def padding(batch, length, gen):
    """Random key padding (1: ignore), never a whole row."""
    m = torch.rand(batch, length, generator=gen) < 0.3
    m[:, 0] = False
    return m


def build(kind, cfg):
    if kind == 'encoderLayer':
        return nn.TransformerEncoderLayer(**cfg)
    if kind == 'decoderLayer':
        return nn.TransformerDecoderLayer(**cfg)
    if kind == 'encoder':
        layer = nn.TransformerEncoderLayer(**cfg['layer'])
        norm = nn.LayerNorm(cfg['layer']['d_model']) if cfg['norm'] else None
        return nn.TransformerEncoder(layer, cfg['num_layers'], norm=norm)
    if kind == 'decoder':
        layer = nn.TransformerDecoderLayer(**cfg['layer'])
        norm = nn.LayerNorm(cfg['layer']['d_model']) if cfg['norm'] else None
        return nn.TransformerDecoder(layer, cfg['num_layers'], norm=norm)
    return nn.Transformer(**cfg)


# name, kind, constructor config (PyTorch names), input shapes, masks, training
CASES = [
    ('encoderLayerTraining', 'encoderLayer',
     dict(d_model=8, nhead=2, dim_feedforward=16, dropout=0.2), dict(src=[5, 3, 8]),
     dict(src_mask=True, src_key_padding_mask=True), True),
    ('encoderLayerNormFirstGeluBatchFirstEval', 'encoderLayer',
     dict(d_model=8, nhead=4, dim_feedforward=12, activation='gelu', batch_first=True,
          norm_first=True), dict(src=[3, 6, 8]), dict(src_key_padding_mask=True), False),
    ('encoderLayerUnbatched', 'encoderLayer', dict(d_model=6, nhead=3, dim_feedforward=10,
     dropout=0.0), dict(src=[4, 6]), dict(src_mask=True), True),
    ('decoderLayerTraining', 'decoderLayer', dict(d_model=8, nhead=2, dim_feedforward=16,
     dropout=0.2), dict(tgt=[4, 2, 8], memory=[6, 2, 8]),
     dict(tgt_mask=True, memory_key_padding_mask=True, tgt_key_padding_mask=True), True),
    ('decoderLayerNormFirstEval', 'decoderLayer', dict(d_model=8, nhead=2, dim_feedforward=16,
     norm_first=True, batch_first=True, layer_norm_eps=1e-3), dict(tgt=[2, 4, 8],
     memory=[2, 5, 8]), dict(tgt_mask=True, memory_mask=True), False),
    ('encoderStackWithNorm', 'encoder', dict(layer=dict(d_model=8, nhead=2, dim_feedforward=16,
     dropout=0.1), num_layers=3, norm=True), dict(src=[5, 2, 8]),
     dict(mask=True, src_key_padding_mask=True), True),
    ('decoderStack', 'decoder', dict(layer=dict(d_model=8, nhead=2, dim_feedforward=16,
     dropout=0.1), num_layers=2, norm=False), dict(tgt=[4, 2, 8], memory=[5, 2, 8]),
     dict(tgt_mask=True), True),
    ('transformer', 'transformer', dict(d_model=8, nhead=2, num_encoder_layers=2,
     num_decoder_layers=2, dim_feedforward=16, dropout=0.1), dict(src=[6, 2, 8], tgt=[5, 2, 8]),
     dict(src_mask=False, tgt_mask=True, src_key_padding_mask=True,
          memory_key_padding_mask=True), True),
]

CAMEL = {
    'd_model': 'dModel', 'nhead': 'nhead', 'dim_feedforward': 'dimFeedforward',
    'dropout': 'dropout', 'activation': 'activation', 'batch_first': 'batchFirst',
    'norm_first': 'normFirst', 'layer_norm_eps': 'layerNormEps', 'num_layers': 'numLayers',
    'norm': 'norm', 'layer': 'layer', 'num_encoder_layers': 'numEncoderLayers',
    'num_decoder_layers': 'numDecoderLayers',
}


def camel(cfg):
    return {CAMEL[k]: (camel(v) if isinstance(v, dict) else v) for k, v in cfg.items()}


def run(name, kind, cfg, shapes, masks, training, seed, gen):
    torch.manual_seed(seed)
    m = build(kind, cfg)
    m.train(training)
    state = {k: v.detach().clone() for k, v in m.state_dict().items()}
    inputs = {k: torch.randn(*s, generator=gen).requires_grad_(True) for k, s in shapes.items()}
    batch_first = (cfg.get('batch_first') or cfg.get('layer', {}).get('batch_first')) or False
    first = next(iter(inputs.values()))
    batched = first.dim() == 3
    batch = (first.shape[0] if batch_first else first.shape[1]) if batched else None
    length = {k: (v.shape[1] if batch_first else v.shape[0]) for k, v in inputs.items()}
    src_len = length.get('src', length.get('memory'))
    tgt_len = length.get('tgt')
    made = {}
    for key, on in masks.items():
        if not on:
            continue
        if key in ('src_mask', 'mask'):
            made[key] = causal(length['src'])
        elif key == 'tgt_mask':
            made[key] = causal(tgt_len)
        elif key == 'memory_mask':
            made[key] = torch.randn(tgt_len, length['memory'], generator=gen)
        elif key == 'src_key_padding_mask':
            made[key] = padding(batch, length['src'], gen)
        elif key == 'tgt_key_padding_mask':
            made[key] = padding(batch, tgt_len, gen)
        elif key == 'memory_key_padding_mask':
            made[key] = padding(batch, src_len if 'memory' not in length else length['memory'],
                                gen)
    forward_seed = seed + 1000
    torch.manual_seed(forward_seed)
    out = m(*inputs.values(), **made)
    loss = out.pow(2).sum() * 0.5 + out.sum()
    loss.backward()
    return {
        'name': name,
        'kind': kind,
        'config': camel(cfg),
        'training': training,
        'seed': seed,
        'forwardSeed': forward_seed,
        'state': {k: encode_tensor(v) for k, v in state.items()},
        'inputs': {k: encode_tensor(v) for k, v in inputs.items()},
        'masks': {camel_mask(k): encode_tensor(v.to(torch.int32) if v.dtype == torch.bool else v)
                  for k, v in made.items()},
        'output': encode_tensor(out),
        'gradInputs': {k: encode_tensor(v.grad) for k, v in inputs.items()},
        'gradParams': {k: encode_tensor(v.grad) for k, v in m.named_parameters()},
    }


def camel_mask(k):
    parts = k.split('_')
    return parts[0] + ''.join(p.title() for p in parts[1:])


def main():
    gen = torch.Generator().manual_seed(20261204)
    cases = [run(*c, seed=300 + i, gen=gen) for i, c in enumerate(CASES)]
    write('transformer', cases)


if __name__ == '__main__':
    main()
