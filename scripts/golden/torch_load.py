#!/usr/bin/env python3
"""PyTorch's own weight files: /usr/bin/python3 scripts/golden/torch_load.py

Writes small files with torch.save (PyTorch 1.13's zip format: a pickle,
data.pkl, whose tensors point at raw little-endian storages data/<key>) into
test/golden/torch/, and test/golden/torch_load.json with what torch.load gives
for each: the test (test/torch-load.test.ts) loads every file with io.load and
compares. Also one file that torch.load(weights_only=True) refuses (a pickled
os.system call), which io.load must refuse without running anything.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

from common import GOLDEN_DIR, encode_tensor, encode_number, write  # noqa: E402

OUT = os.path.join(GOLDEN_DIR, 'torch')
os.makedirs(OUT, exist_ok=True)
CASES = []


def encode(v, storages=None):
    """What torch.load gave, as JSON: tensors encoded, dicts/lists/tuples recursively.

    Each tensor also records its layout: which storage it views (numbered in
    order of appearance, so tensors that torch.load made share one storage
    share a number), its storage offset and strides, and requires_grad.
    """
    storages = {} if storages is None else storages
    if isinstance(v, torch.Tensor):
        t = v.detach()
        if t.dtype in (torch.float16, torch.bfloat16):
            t = t.float()
        if t.dtype in (torch.int16, torch.int8, torch.uint8, torch.bool):
            t = t.to(torch.int64)
        storage = storages.setdefault(v.storage()._cdata, len(storages))
        return {'tensor': encode_tensor(t),
                'layout': {'storage': storage, 'offset': v.storage_offset(), 'stride': list(v.stride()),
                           'requiresGrad': v.requires_grad}}
    if isinstance(v, dict):
        return {'dict': [[str(k), encode(x, storages)] for k, x in v.items()]}
    if isinstance(v, (list, tuple)):
        return {'list': [encode(x, storages) for x in v]}
    if v is None or isinstance(v, (bool, str)):
        return {'value': v}
    if isinstance(v, int):
        return {'int': str(v)}
    return {'value': encode_number(v)}


def case(name, obj, note, **save_kwargs):
    path = os.path.join(OUT, f'{name}.pt')
    torch.save(obj, path, **save_kwargs)
    loaded = torch.load(path)
    CASES.append({'name': name, 'file': f'torch/{name}.pt', 'note': note, 'expected': encode(loaded)})


torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2), nn.PReLU())
model(torch.randn(4, 3))  # running stats and num_batches_tracked move
case('sequential_state_dict', model.state_dict(), 'a state dict: Linear, BatchNorm1d (int64 counter), PReLU')

base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 7
views = {
    'transposed': base.t(),
    'narrowed': base[1:3, 2:5],
    'strided': base[:, ::2],
    'expanded': torch.tensor([1.5, -2.0]).expand(3, 2),
    'row': base[2],  # contiguous at a storage offset
    'rows': base[1:3],
    'scalar': torch.tensor(3.25),
    'empty': torch.zeros(0, 3),
    'float64': torch.tensor([[1e-300, -0.0], [float('inf'), float('nan')]], dtype=torch.float64),
    'int64': torch.tensor([-2**31, 2**31 - 1, 0]),
    'int32': torch.tensor([7, -8], dtype=torch.int32),
    'int16': torch.tensor([-300, 300], dtype=torch.int16),
    'int8': torch.tensor([-128, 127], dtype=torch.int8),
    'uint8': torch.tensor([0, 255], dtype=torch.uint8),
    'bool': torch.tensor([True, False, True]),
    'float16': torch.tensor([1.0, -65504.0, 6e-8, float('inf')], dtype=torch.float16),
    'bfloat16': torch.tensor([1.0, -3.0e38, 1e-39, float('nan')], dtype=torch.bfloat16),
}
case('tensor_kinds', views, 'views sharing one storage (transposed, narrowed, strided, expanded), 0-d, empty, every dtype')

opt_model = nn.Linear(2, 2)
opt = torch.optim.Adam(opt_model.parameters(), lr=1e-3)
opt_model(torch.ones(1, 2)).sum().backward()
opt.step()
checkpoint = {
    'model': opt_model.state_dict(),
    'optimizer': opt.state_dict(),
    'epoch': 3,
    'loss': 0.25,
    'name': 'run-ü',
    'flags': (True, None, False),
    'big': 2**40,
    'negative': -7,
    'huge': 2**70,
    'nested': [[1, 2.5], {'k': 'v'}],
}
case('checkpoint', checkpoint, 'a training checkpoint: model and Adam state dicts, Python values')
case('protocol4', {'w': torch.linspace(-1, 1, 5)}, 'pickle protocol 4 (FRAME, SHORT_BINUNICODE, MEMOIZE)', pickle_protocol=4)
case('parameter', nn.Parameter(torch.tensor([[0.5, -1.0]])), 'an nn.Parameter saved alone (_rebuild_parameter)')

wide = torch.tensor([2**40, 5, -3])
case('int64_view', {'tail': wide[1:]}, 'a view that skips the int64 value int32 cannot hold')
torch.save({'wide': wide}, os.path.join(OUT, 'int64_wide.pt'))
CASES.append({'name': 'int64_wide', 'file': 'torch/int64_wide.pt', 'note': 'an int64 value int32 cannot hold',
              'error': "storage '0' \\(element 0\\) does not fit in int32"})


def save_case(name, obj, note):
    """Saved through a buffer, as io.save writes (archive name 'archive'): nnkit must write these bytes."""
    import io as pyio
    buf = pyio.BytesIO()
    torch.save(obj, buf)
    with open(os.path.join(OUT, f'{name}.pt'), 'wb') as f:
        f.write(buf.getvalue())
    loaded = torch.load(os.path.join(OUT, f'{name}.pt'))
    CASES.append({'name': name, 'file': f'torch/{name}.pt', 'note': note, 'expected': encode(loaded),
                  'sameBytes': True})


save_case('save_tensors', {'w': torch.tensor([1.5, -2.0]), 'b': torch.tensor([[7]], dtype=torch.int32),
                           'd': torch.tensor(0.1, dtype=torch.float64), 'e': torch.zeros(0, 3),
                           'r': torch.arange(300, dtype=torch.float32).reshape(3, 4, 5, 5)},
          "a dict of tensors (float32, int32, 0-d float64, empty, 4-D), through a buffer")
save_case('save_checkpoint', {
    'model': {'weight': torch.tensor([[0.5, -1.25]]), 'bias': torch.tensor([0.75])},
    'optimizer': {'state': {0: {'step': 3, 'exp_avg': torch.tensor([[0.1, 0.2]])}},
                  'param_groups': [{'lr': 0.001, 'betas': [0.9, 0.999], 'params': [0, 1],
                                    'amsgrad': False, 'foreach': None}]},
    'epoch': 300, 'loss': 0.25, 'name': 'run-ü', 'big': 2**40, 'huge': -2**70, 'neg': -7,
    'nan': float('nan'), 'values': [0.5, -1.5e-7, 1e300, 70000], 'single': [True],
}, 'a checkpoint of plain values (lists, not tuples; no repeated strings), through a buffer')
shared = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 7
wide = torch.linspace(-1, 1, 10, dtype=torch.float64)
save_case('save_views', {
    'w': shared, 'wt': shared.t(), 'row': shared[1], 'cols': shared[:, 1:3], 'again': shared,
    'expanded': torch.tensor([3, -4], dtype=torch.int32).expand(2, 2), 'tail': wide[7:],
    'flat': wide.view(2, 5), 'leaf': torch.tensor([0.5, 1.0], requires_grad=True),
}, 'views sharing storages (one storage each), a tensor twice, requires_grad=True, through a buffer')


class Exploit:
    def __reduce__(self):
        return (os.system, ('echo nnkit-must-not-run-this',))


torch.save({'weight': torch.ones(2), 'payload': Exploit()}, os.path.join(OUT, 'exploit.pt'))
CASES.append({'name': 'exploit', 'file': 'torch/exploit.pt', 'note': 'a pickled os.system call',
              'refused': 'posix system'})

write('torch_load', CASES)
