#!/usr/bin/env python3
"""Recurrent layers and cells against PyTorch: /usr/bin/python3 scripts/golden/rnn.py

Each case builds one of nn.RNN, nn.LSTM, nn.GRU, nn.RNNCell, nn.LSTMCell,
nn.GRUCell after torch.manual_seed(seed) (so its weights are PyTorch's
initialisation from that seed), runs it on a fixed input (and initial state,
where given) — a cell over every step of a (L, N, H_in) or (L, H_in)
sequence, feeding its state back — and backpropagates
loss = ½·Σ output² + Σ h_n (+ ¼·Σ c_n); packed cases pack a padded batch with
pack_padded_sequence and take the loss on pad_packed_sequence's output, recording
the packed data, batch sizes and sorted indices too. Dropout cases seed the forward pass
with torch.manual_seed(forwardSeed). Records the initial weights, the
outputs, the final states and the gradients of the input, of the initial
states and of every parameter. Writes test/golden/rnn.json.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from common import encode_tensor, write  # noqa: E402

# name, class, positional args, keyword args (PyTorch's), input shape, state: None, 'h' or 'hc',
# training (dropout), dtype
CASES = [
    ('rnnTanh', 'RNN', [3, 4], {}, [5, 2, 3], None, False, torch.float32),
    ('rnnReluDeepBidirectional', 'RNN', [3, 4, 2], {'nonlinearity': 'relu', 'bidirectional': True},
     [4, 2, 3], 'h',
     False, torch.float32),
    ('lstm', 'LSTM', [3, 4], {}, [5, 2, 3], None, False, torch.float32),
    ('lstmDeepBatchFirst', 'LSTM', [3, 4, 2], {'batch_first': True}, [2, 5, 3], 'hc', False,
     torch.float32),
    ('lstmProjectionBidirectionalNoBias', 'LSTM', [3, 5], {'bidirectional': True, 'proj_size': 2,
     'bias': False}, [4, 3, 3], 'hc', False, torch.float32),
    ('lstmUnbatched', 'LSTM', [3, 4], {}, [6, 3], 'hc', False, torch.float32),
    ('lstmDropoutTraining', 'LSTM', [3, 4, 3], {'dropout': 0.4}, [5, 2, 3], None, True,
     torch.float32),
    ('lstmDropoutEval', 'LSTM', [3, 4, 2], {'dropout': 0.5}, [5, 2, 3], None, False, torch.float32),
    ('lstmFloat64', 'LSTM', [3, 4, 2], {'dtype': torch.float64}, [5, 2, 3], 'hc', False,
     torch.float64),
    ('gruDeepBidirectionalBatchFirst', 'GRU', [3, 4, 2], {'bidirectional': True,
     'batch_first': True}, [2, 5, 3], 'h', False, torch.float32),
    ('gruUnbatchedNoBias', 'GRU', [3, 4], {'bias': False}, [6, 3], 'h', False, torch.float32),
    ('rnnCell', 'RNNCell', [3, 4], {}, [5, 2, 3], 'h', False, torch.float32),
    ('rnnCellReluUnbatchedNoBias', 'RNNCell', [3, 4, False, 'relu'], {}, [5, 3], None, False,
     torch.float32),
    ('lstmCell', 'LSTMCell', [3, 4], {}, [5, 2, 3], 'hc', False, torch.float32),
    ('gruCell', 'GRUCell', [3, 4], {}, [5, 2, 3], 'h', False, torch.float32),
]

CAMEL = {'nonlinearity': 'nonlinearity', 'batch_first': 'batchFirst', 'proj_size': 'projSize', 'bidirectional': 'bidirectional',
         'bias': 'bias', 'dropout': 'dropout', 'dtype': 'dtype'}


def state_shape(m, cls, input_shape, cell_state):
    """The initial state's shape as the module expects it."""
    batched = len(input_shape) == 3
    if cls.endswith('Cell'):
        return ([input_shape[1]] if batched else []) + [m.hidden_size]
    d = 2 if m.bidirectional else 1
    size = m.hidden_size if (cell_state or m.proj_size == 0) else m.proj_size
    batch = input_shape[0] if m.batch_first else input_shape[1]
    return [d * m.num_layers] + ([batch] if batched else []) + [size]


def run(name, cls, args, kwargs, input_shape, state, training, dtype, seed, gen):
    torch.manual_seed(seed)
    m = getattr(torch.nn, cls)(*args, **kwargs)
    m.train(training)
    weights = {k: v.detach().clone() for k, v in m.named_parameters()}
    x = torch.randn(*input_shape, generator=gen, dtype=dtype).requires_grad_(True)
    h0 = c0 = None
    if state:
        h0 = torch.randn(*state_shape(m, cls, input_shape, False), generator=gen,
                         dtype=dtype).requires_grad_(True)
        if state == 'hc':
            c0 = torch.randn(*state_shape(m, cls, input_shape, True), generator=gen,
                             dtype=dtype).requires_grad_(True)
    forward_seed = seed + 1000
    torch.manual_seed(forward_seed)
    if cls.endswith('Cell'):
        h, c = h0, c0
        outs = []
        for t in range(input_shape[0]):
            if cls == 'LSTMCell':
                h, c = m(x[t], None if h is None else (h, c))
            else:
                h = m(x[t], h)
            outs.append(h)
        out = torch.stack(outs)
    else:
        hx = None if h0 is None else ((h0, c0) if cls == 'LSTM' else h0)
        out, hn = m(x, hx)
        h, c = (hn if cls == 'LSTM' else (hn, None))
    loss = out.pow(2).sum() * 0.5 + h.sum() + (c.sum() * 0.25 if c is not None else 0)
    loss.backward()
    enc = lambda t: None if t is None else encode_tensor(t)  # noqa: E731
    return {
        'name': name,
        'cls': cls,
        'args': [a for a in args],
        'options': {CAMEL[k]: ('float64' if v is torch.float64 else v) for k, v in kwargs.items()},
        'training': training,
        'seed': seed,
        'forwardSeed': forward_seed,
        'weights': {k: encode_tensor(v) for k, v in weights.items()},
        'input': encode_tensor(x),
        'h0': enc(h0),
        'c0': enc(c0),
        'output': encode_tensor(out),
        'h': encode_tensor(h),
        'c': enc(c),
        'gradInput': encode_tensor(x.grad),
        'gradH0': enc(None if h0 is None else h0.grad),
        'gradC0': enc(None if c0 is None else c0.grad),
        'gradWeights': {k: encode_tensor(v.grad) for k, v in m.named_parameters()},
    }


# Packed batches: name, class, positional args, keyword args, padded input shape (T, B, H_in or
# B, T, H_in with batch_first), lengths, enforce_sorted, initial state, training.
PACKED = [
    ('lstmPackedUnsortedBidirectional', 'LSTM', [3, 4, 2], {'bidirectional': True}, [5, 4, 3],
     [2, 5, 1, 3], False, 'hc', False),
    ('gruPackedSortedBatchFirstDropout', 'GRU', [3, 4, 2], {'batch_first': True, 'dropout': 0.3},
     [3, 4, 3], [4, 4, 2], True, None, True),
    ('rnnReluPackedUnsorted', 'RNN', [3, 4], {'nonlinearity': 'relu'}, [4, 3, 3], [1, 4, 4],
     False, 'h', False),
]


def run_packed(name, cls, args, kwargs, shape, lengths, enforce_sorted, state, training, seed, gen):
    """A packed batch through a layer; the loss is taken on the padded output."""
    torch.manual_seed(seed)
    m = getattr(torch.nn, cls)(*args, **kwargs)
    m.train(training)
    weights = {k: v.detach().clone() for k, v in m.named_parameters()}
    x = torch.randn(*shape, generator=gen).requires_grad_(True)
    batch_first = kwargs.get('batch_first', False)
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, torch.tensor(lengths), batch_first=batch_first,
                                                     enforce_sorted=enforce_sorted)
    layers = m.num_layers * (2 if m.bidirectional else 1)
    h0 = c0 = None
    if state:
        h0 = torch.randn(layers, len(lengths), m.hidden_size, generator=gen).requires_grad_(True)
        if state == 'hc':
            c0 = torch.randn(layers, len(lengths), m.hidden_size, generator=gen).requires_grad_(True)
    forward_seed = seed + 1000
    torch.manual_seed(forward_seed)
    hx = None if h0 is None else ((h0, c0) if cls == 'LSTM' else h0)
    out, hn = m(packed, hx)
    h, c = (hn if cls == 'LSTM' else (hn, None))
    padded, out_lengths = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=batch_first)
    loss = padded.pow(2).sum() * 0.5 + h.sum() + (c.sum() * 0.25 if c is not None else 0)
    loss.backward()
    enc = lambda t: None if t is None else encode_tensor(t)  # noqa: E731
    return {
        'name': name,
        'cls': cls,
        'args': args,
        'options': {CAMEL[k]: v for k, v in kwargs.items()},
        'training': training,
        'seed': seed,
        'forwardSeed': forward_seed,
        'lengths': lengths,
        'enforceSorted': enforce_sorted,
        'weights': {k: encode_tensor(v) for k, v in weights.items()},
        'input': encode_tensor(x),
        'packedData': encode_tensor(packed.data),
        'batchSizes': packed.batch_sizes.tolist(),
        'sortedIndices': None if packed.sorted_indices is None else packed.sorted_indices.tolist(),
        'h0': enc(h0),
        'c0': enc(c0),
        'output': encode_tensor(padded),
        'outputLengths': out_lengths.tolist(),
        'h': encode_tensor(h),
        'c': enc(c),
        'gradInput': encode_tensor(x.grad),
        'gradH0': enc(None if h0 is None else h0.grad),
        'gradC0': enc(None if c0 is None else c0.grad),
        'gradWeights': {k: encode_tensor(v.grad) for k, v in m.named_parameters()},
    }


def main():
    gen = torch.Generator().manual_seed(20261203)
    cases = [run(*c, seed=100 + i, gen=gen) for i, c in enumerate(CASES)]
    cases += [run_packed(*c, seed=200 + i, gen=gen) for i, c in enumerate(PACKED)]
    write('rnn', cases)


if __name__ == '__main__':
    main()
