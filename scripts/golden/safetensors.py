#!/usr/bin/env python3
"""Safetensors fixtures written by PyTorch, and a check of files written by nnkit.

    /usr/bin/python3 scripts/golden/safetensors.py            # write test/golden/safetensors/
    /usr/bin/python3 scripts/golden/safetensors.py check DIR  # check nnkit's files in DIR

Write mode builds small PyTorch modules from fixed seeds and writes their
state dicts as .safetensors files under test/golden/safetensors/, with
test/golden/safetensors.json holding every value (int64 as int32), a fixed input and
PyTorch's outputs for it, so the TypeScript tests need no Python. It also
writes float16/bfloat16 and small-integer files, and an int64 file whose
value does not fit in int32.

Check mode reads the files that test/io-safetensors.test.ts writes (the
committed ones are in test/golden/safetensors/nnkit/; to check a fresh set,
run `NNKIT_SAFETENSORS_OUT=/tmp/st npx vitest run test/io-safetensors.test.ts`
and then `check /tmp/st`). For each: the bytes must equal what this script's
writer makes of the same tensors, the state dict must load into the PyTorch
module with strict=True, its values must be bit-identical to PyTorch's
originals, and the module initialised by nnkit must give nnkit's output on
nnkit's input within float32 tolerance.

Debian's python3-torch has no `safetensors` package, so the format is
written and read here with struct + json, following the reference
implementation (safetensors/src/tensor.rs): tensors ordered by descending
dtype (its `Dtype` enum order), then by name; compact JSON with
`__metadata__` first; the header padded with spaces to a multiple of 8
bytes; data little-endian.
"""
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

from common import GOLDEN_DIR, encode_tensor  # noqa: E402

OUT_DIR = os.path.join(GOLDEN_DIR, 'safetensors')
NNKIT_DIR = os.path.join(OUT_DIR, 'nnkit')

TO_NAME = {
    torch.float64: 'F64', torch.float32: 'F32', torch.float16: 'F16', torch.bfloat16: 'BF16',
    torch.int64: 'I64', torch.int32: 'I32', torch.int16: 'I16', torch.int8: 'I8',
    torch.uint8: 'U8', torch.bool: 'BOOL',
}
FROM_NAME = {v: k for k, v in TO_NAME.items()}
# The reference implementation's Dtype enum order (only the relative order matters).
RANK = ['BOOL', 'U8', 'I8', 'I16', 'F16', 'BF16', 'I32', 'F32', 'F64', 'I64']
SAME_SIZE_INT = {1: torch.uint8, 2: torch.int16, 4: torch.int32, 8: torch.int64}


def tensor_bytes(t):
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bool:
        t = t.to(torch.uint8)
    a = t.view(SAME_SIZE_INT[t.element_size()]).numpy()
    return a.astype(a.dtype.newbyteorder('<'), copy=False).tobytes()


def serialize(tensors, metadata=None):
    items = sorted(tensors.items(), key=lambda kv: (-RANK.index(TO_NAME[kv[1].dtype]), kv[0].encode('utf-8')))
    header = {}
    if metadata is not None:
        header['__metadata__'] = metadata
    blobs = []
    offset = 0
    for name, t in items:
        b = tensor_bytes(t)
        header[name] = {'dtype': TO_NAME[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    text = json.dumps(header, separators=(',', ':'), ensure_ascii=False).encode('utf-8')
    text += b' ' * (-len(text) % 8)
    return struct.pack('<Q', len(text)) + text + b''.join(blobs)


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError(f'duplicate key in header: {keys}')
    return dict(pairs)


def deserialize(data):
    """(tensors, metadata) of a file, with the reference implementation's checks."""
    (n,) = struct.unpack('<Q', data[:8])
    if n > 100_000_000 or 8 + n > len(data):
        raise ValueError(f'bad header length {n}')
    header = json.loads(data[8:8 + n].decode('utf-8'), object_pairs_hook=no_duplicates)
    metadata = header.pop('__metadata__', None)
    base = 8 + n
    pos = 0
    out = {}
    for name, info in sorted(header.items(), key=lambda kv: tuple(kv[1]['data_offsets'])):
        begin, end = info['data_offsets']
        if begin != pos:
            raise ValueError(f'{name}: data_offsets {info["data_offsets"]} do not start at {pos}')
        dtype = FROM_NAME[info['dtype']]
        count = int(np.prod(info['shape'], dtype=np.int64))
        size = torch.empty((), dtype=dtype).element_size()
        if end - begin != count * size:
            raise ValueError(f'{name}: byte count {end - begin} != {count} x {size}')
        raw = bytearray(data[base + begin:base + end])
        flat = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        out[name] = flat.reshape(info['shape'])
        pos = end
    if base + pos != len(data):
        raise ValueError(f'data buffer has {len(data) - base} bytes, tensors cover {pos}')
    return out, metadata


# ---- the modules (nnkit's tests build the same ones) -------------------------


def make_sequential():
    torch.manual_seed(0)
    m = nn.Sequential(nn.Linear(4, 3), nn.PReLU(3), nn.Linear(3, 2))
    with torch.no_grad():
        m[1].weight.copy_(torch.tensor([0.1, -0.3, 0.7]))
    return m


def make_adaptive():
    torch.manual_seed(1)
    return nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6], div_value=2.0, head_bias=True)


class Buffers(nn.Module):
    """A float64 Linear with a float64 and an int64 buffer (like BatchNorm's num_batches_tracked)."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(2)
        self.linear = nn.Linear(3, 2).double()
        self.register_buffer('scale', torch.tensor(
            [float('nan'), float('inf'), float('-inf'), -0.0, 5e-324, 1.7976931348623157e308, 0.1],
            dtype=torch.float64))
        self.register_buffer('steps', torch.tensor([0, 1, -1, 2**31 - 1, -2**31, 12345], dtype=torch.int64))

    def forward(self, x):
        return self.linear(x)


def float_bits(t):
    """float32 values as their uint32 bit patterns (exact, NaN payloads included)."""
    return [v & 0xFFFFFFFF for v in t.float().reshape(-1).view(torch.int32).tolist()]


def write_all():
    os.makedirs(OUT_DIR, exist_ok=True)
    gen = torch.Generator().manual_seed(3)
    expected = {'torch_version': torch.__version__, 'generator': 'scripts/golden/safetensors.py'}

    def save(name, tensors, metadata=None):
        data = serialize(tensors, metadata)
        back, meta = deserialize(data)
        assert meta == metadata and all(same_bits(back[k], v) for k, v in tensors.items())
        with open(os.path.join(OUT_DIR, f'{name}.safetensors'), 'wb') as f:
            f.write(data)
        print(f'wrote {name}.safetensors: {len(data)} bytes')

    seq = make_sequential()
    x = torch.randn(5, 4, generator=gen)
    with torch.no_grad():
        y = seq(x)
    save('sequential', seq.state_dict(), {'format': 'pt'})
    expected['sequential'] = {
        'state': {k: encode_tensor(v) for k, v in seq.state_dict().items()},
        'input': encode_tensor(x),
        'output': encode_tensor(y),
    }

    ada = make_adaptive()
    x = torch.randn(6, 8, generator=gen)
    t = torch.tensor([0, 2, 3, 5, 6, 9])  # both clusters and the shortlist
    with torch.no_grad():
        out = ada(x, t)
        log_prob = ada.log_prob(x)
    save('adaptive', ada.state_dict())
    expected['adaptive'] = {
        'state': {k: encode_tensor(v) for k, v in ada.state_dict().items()},
        'input': encode_tensor(x),
        'target': encode_tensor(t),
        'output': encode_tensor(out.output),
        'loss': encode_tensor(out.loss),
        'logProb': encode_tensor(log_prob),
    }

    buf = Buffers()
    x = torch.randn(4, 3, generator=gen, dtype=torch.float64)
    with torch.no_grad():
        y = buf(x)
    save('buffers', buf.state_dict())
    expected['buffers'] = {
        'state': {k: encode_tensor(v) for k, v in buf.state_dict().items()},
        'input': encode_tensor(x),
        'output': encode_tensor(y),
    }

    half_values = [0.0, -0.0, 1.0, -2.5, 0.1, 65504.0, -65504.0, 2**-14, 2**-24, 3 * 2**-24, 1023 * 2**-24,
                   float('inf'), float('-inf'), float('nan')]
    bf16_values = [0.0, -0.0, 1.0, -2.5, 0.1, 3.3895313892515355e38, 2**-126, 2**-133, 1e-40,
                   float('inf'), float('-inf'), float('nan')]
    half = {
        'h': torch.tensor(half_values, dtype=torch.float16).reshape(2, 7),
        'b': torch.tensor(bf16_values, dtype=torch.bfloat16),
        'empty': torch.zeros(0, 3, dtype=torch.float16),
    }
    save('half', half)
    expected['half'] = {k: {'shape': list(v.shape), 'bits': float_bits(v)} for k, v in half.items()}

    ints = {
        'bool': torch.tensor([[True, False, True], [False, False, True]]),
        'u8': torch.tensor([0, 1, 127, 128, 255], dtype=torch.uint8),
        'i8': torch.tensor([-128, -1, 0, 1, 127], dtype=torch.int8),
        'i16': torch.tensor([-32768, -1, 0, 1, 32767], dtype=torch.int16),
        'i32': torch.tensor([-2**31, -1, 0, 1, 2**31 - 1], dtype=torch.int32),
        'i64': torch.tensor([-2**31, -1, 0, 1, 2**31 - 1], dtype=torch.int64),
        'scalar': torch.tensor(7, dtype=torch.int64),
    }
    save('ints', ints)
    expected['ints'] = {k: encode_tensor(v.to(torch.int64)) for k, v in ints.items()}

    save('int64-overflow', {'counts': torch.tensor([1, 2, 2**31, 4], dtype=torch.int64)})

    path = os.path.join(GOLDEN_DIR, 'safetensors.json')
    with open(path, 'w') as f:
        json.dump(expected, f, separators=(',', ':'), allow_nan=False)
        f.write('\n')
    print(f'wrote {path}')


# ---- check mode ---------------------------------------------------------------


def same_bits(a, b):
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.is_floating_point():
        a, b = a.view(SAME_SIZE_INT[a.element_size()]), b.view(SAME_SIZE_INT[b.element_size()])
    return torch.equal(a, b)


def check_state_file(directory, name, module, metadata):
    path = os.path.join(directory, f'{name}.safetensors')
    with open(path, 'rb') as f:
        data = f.read()
    tensors, meta = deserialize(data)
    assert meta == metadata, f'{name}: metadata {meta} != {metadata}'
    rewritten = serialize(tensors, meta)
    assert rewritten == data, f'{name}: nnkit\'s bytes differ from the reference layout'
    original = {k: v.clone() for k, v in module.state_dict().items()}
    for v in module.state_dict().values():
        v.zero_()
    module.load_state_dict(tensors, strict=True)
    for k, v in module.state_dict().items():
        # nnkit keeps int64 buffers as int32 (I32 in its files); load_state_dict casts them back.
        assert same_bits(v, original[k]), f'{name}: {k} differs after the round trip'
    print(f'ok {path}: {len(tensors)} tensors load into {type(module).__name__} bit-identical')
    return module


def check(directory):
    check_state_file(directory, 'sequential', make_sequential(), {'format': 'pt'})
    check_state_file(directory, 'adaptive', make_adaptive(), None)
    check_state_file(directory, 'buffers', Buffers(), None)

    # A module initialised by nnkit after manualSeed(1234): PyTorch's generator gives the same
    # weights and input, and PyTorch must give nnkit's output on nnkit's input.
    torch.manual_seed(1234)
    seq = nn.Sequential(nn.Linear(4, 3), nn.PReLU(3), nn.Linear(3, 2))
    fresh = {k: v.clone() for k, v in seq.state_dict().items()}
    fresh_input = torch.randn(5, 4)
    with open(os.path.join(directory, 'init.safetensors'), 'rb') as f:
        data = f.read()
    state, meta = deserialize(data)
    assert serialize(state, meta) == data, 'init: nnkit\'s bytes differ from the reference layout'
    for k, v in fresh.items():
        assert same_bits(v, state[k]), f'init: {k} differs from PyTorch\'s after the same seed'
    seq.load_state_dict(state, strict=True)
    with open(os.path.join(directory, 'init-io.safetensors'), 'rb') as f:
        io, _ = deserialize(f.read())
    assert same_bits(io['input'], fresh_input), 'init: randn differs from PyTorch\'s after the same seed'
    with torch.no_grad():
        y = seq(io['input'])
    err = (y - io['output']).abs().max().item()
    assert torch.allclose(y, io['output'], atol=1e-5, rtol=1e-5), f'init: output differs by {err}'
    print(f'ok init.safetensors: PyTorch reproduces nnkit\'s output (max abs difference {err:.3g})')


def main():
    write_all()


if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == 'check':
        check(sys.argv[2] if len(sys.argv) > 2 else NNKIT_DIR)
    else:
        main()
