#!/usr/bin/env python3
"""PyTorch side of `npm run bench:train`.

Run as a script, it reads the manifest written by bench/train/bundle.ts
(JSON on stdin: workload configs, and where the initial weights and the
batches lie in a raw float32/int32 file), trains every workload with 1 and
2 threads (torch.set_num_threads, and OpenBLAS's own thread count set to
match), and prints {"version", "blas", "threads": {"1": {id: {medianMs,
meanMs, cpuMs, losses}}}, "float64": {id: losses}} on stdout; the
float64 losses (first paritySteps steps, 1 thread, same initial weights)
measure PyTorch's own float32 error on each run.

Imported (by scripts/golden/train.py), it provides the same model builder
and training step, so the golden losses of test/train-parity.test.ts come
from the code the benchmark times.
"""
import ctypes
import json
import os
import re
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def build_model(cfg):
    """Linear, act, Linear, ..., Linear over dims; or AdaptiveLogSoftmaxWithLoss."""
    m = cfg['model']
    if m['kind'] == 'adaptive':
        return nn.AdaptiveLogSoftmaxWithLoss(m['inFeatures'], m['nClasses'], m['cutoffs'])
    layers = []
    dims = m['dims']
    for i in range(len(dims) - 1):
        if i > 0:
            if m['activation'] == 'ReLU':
                layers.append(nn.ReLU())
            elif m['activation'] == 'GELU':
                layers.append(nn.GELU())
            else:
                layers.append(nn.LeakyReLU(m.get('negativeSlope', 0.01)))
        layers.append(nn.Linear(dims[i], dims[i + 1]))
    return nn.Sequential(*layers)


def make_optimizer(o, params):
    if o['name'] == 'SGD':
        return torch.optim.SGD(params, lr=o['lr'], momentum=o.get('momentum', 0), weight_decay=o['weightDecay'])
    if o['name'] == 'Adam':
        return torch.optim.Adam(params, lr=o['lr'], weight_decay=o['weightDecay'])
    if o['name'] == 'AdamW':
        return torch.optim.AdamW(params, lr=o['lr'], weight_decay=o['weightDecay'])
    raise ValueError(f"unknown optimizer {o['name']}")


def make_trainer(cfg, model, xs, ys):
    """step(k): zero_grad, forward, loss, backward, optimizer step on batch k mod len(xs); returns the loss."""
    opt = make_optimizer(cfg['optimizer'], model.parameters())
    adaptive = cfg['model']['kind'] == 'adaptive'
    mse = cfg['loss'] == 'mseLoss'

    def step(k):
        i = k % len(xs)
        opt.zero_grad(set_to_none=True)
        if adaptive:
            loss = model(xs[i], ys[i]).loss
        else:
            out = model(xs[i])
            loss = F.mse_loss(out, ys[i]) if mse else F.cross_entropy(out, ys[i])
        loss.backward()
        opt.step()
        return loss.item()

    return step


def as_target(t):
    """Class indices are int64 in PyTorch; float targets stay as they are."""
    return t.long() if t.dtype == torch.int32 else t


# ---- BLAS -------------------------------------------------------------------------


def mapped_libraries():
    libs = set()
    with open('/proc/self/maps') as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 6 and parts[5].startswith('/'):
                libs.add(parts[5])
    return libs


class _DlInfo(ctypes.Structure):
    _fields_ = [('dli_fname', ctypes.c_char_p), ('dli_fbase', ctypes.c_void_p),
                ('dli_sname', ctypes.c_char_p), ('dli_saddr', ctypes.c_void_p)]


def sgemm_provider():
    """The file that libtorch_cpu's sgemm_ resolves to: dlsym through libtorch_cpu's
    own dependency tree, then dladdr on the address."""
    torch_cpu = next((p for p in mapped_libraries() if 'libtorch_cpu' in os.path.basename(p)), None)
    if torch_cpu is None:
        return None
    addr = ctypes.cast(ctypes.CDLL(torch_cpu).sgemm_, ctypes.c_void_p).value
    info = _DlInfo()
    if not ctypes.CDLL(None).dladdr(ctypes.c_void_p(addr), ctypes.byref(info)):
        return None
    return info.dli_fname.decode()


def blas_info():
    """Which BLAS PyTorch multiplies with: the library its sgemm_ comes from, and what it is."""
    a = torch.randn(64, 64)
    (a @ a).sum().item()  # make sure the BLAS is loaded and used
    build = re.search(r'BLAS_INFO=([^,\s]+)', torch.__config__.show())
    info = {'torchBuild': build.group(1) if build else None}
    try:
        provider = sgemm_provider()
    except (OSError, AttributeError) as e:
        provider = None
        info['error'] = f'could not resolve sgemm_: {e}'
    libs = sorted(os.path.realpath(p) for p in mapped_libraries()
                  if re.search(r'blas|lapack|mkl|blis|atlas', os.path.basename(p), re.I))
    info['mapped'] = libs
    info['sgemm'] = os.path.realpath(provider) if provider else None
    info['kind'] = 'unknown'
    if provider:
        lib = ctypes.CDLL(provider)
        if hasattr(lib, 'openblas_get_config'):
            info['kind'] = 'OpenBLAS'
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            info['config'] = lib.openblas_get_config().decode()
            info['core'] = lib.openblas_get_corename().decode()
            info['_lib'] = lib
        elif hasattr(lib, 'mkl_get_version') or 'mkl' in provider.lower():
            info['kind'] = 'MKL'
        elif hasattr(lib, 'bli_info_get_version_str'):
            info['kind'] = 'BLIS'
        elif 'atlas' in provider.lower():
            info['kind'] = 'ATLAS'
        elif re.search(r'libblas\.so', os.path.basename(info['sgemm'])):
            # Netlib's reference BLAS (Debian: /usr/lib/<triplet>/blas/libblas.so.3): no vendor symbols.
            info['kind'] = 'reference'
    info['valid'] = info['kind'] == 'OpenBLAS'
    return info


def set_threads(n, blas):
    torch.set_num_threads(n)
    lib = blas.get('_lib')
    if lib is not None:
        lib.openblas_set_num_threads(n)
        return lib.openblas_get_num_threads()
    return None


# ---- the benchmark -------------------------------------------------------------------


def load_bundle(manifest):
    with open(manifest['dataFile'], 'rb') as f:
        raw = bytearray(f.read())

    def get(ref):
        n = 1
        for d in ref['shape']:
            n *= d
        dtype = torch.float32 if ref['dtype'] == 'float32' else torch.int32
        t = torch.frombuffer(raw, dtype=dtype, count=n, offset=ref['offset']).reshape(ref['shape']).clone()
        return t

    return get


def setup(w, get, dtype=torch.float32):
    cfg = w['config']
    model = build_model(cfg)
    model.load_state_dict({k: get(r) for k, r in w['params'].items()}, strict=True)
    model.to(dtype)
    xs = [get(r).to(dtype) for r in w['x']]
    ys = [as_target(get(r)) for r in w['y']]
    ys = [y.to(dtype) if y.is_floating_point() else y for y in ys]
    return make_trainer(cfg, model, xs, ys)


def run(w, get):
    step = setup(w, get)
    losses, times = [], []
    for k in range(w['warmup']):
        losses.append(step(k))
    cpu0 = time.process_time()
    for k in range(w['warmup'], w['warmup'] + w['steps']):
        s = time.perf_counter()
        losses.append(step(k))
        times.append((time.perf_counter() - s) * 1000)
    cpu = (time.process_time() - cpu0) * 1000 / w['steps']
    ts = sorted(times)
    h = len(ts) // 2
    med = ts[h] if len(ts) % 2 else (ts[h - 1] + ts[h]) / 2
    return {'medianMs': med, 'meanMs': sum(times) / len(times), 'cpuMs': cpu, 'losses': losses}


def main():
    manifest = json.load(sys.stdin)
    get = load_bundle(manifest)
    blas = blas_info()
    out = {'version': torch.__version__, 'threads': {}, 'openblasThreads': {}}
    for n in manifest['threads']:
        ob = set_threads(n, blas)
        out['openblasThreads'][str(n)] = ob
        res = {}
        for w in manifest['workloads']:
            res[w['config']['id']] = run(w, get)
            print(f"  PyTorch {n}t {w['config']['id']} done", file=sys.stderr, flush=True)
        out['threads'][str(n)] = res
    # PyTorch's own float32 error over the compared steps: the same run in float64.
    set_threads(1, blas)
    out['float64'] = {}
    for w in manifest['workloads']:
        step = setup(w, get, torch.float64)
        out['float64'][w['config']['id']] = [step(k) for k in range(manifest['paritySteps'])]
        print(f"  PyTorch float64 {w['config']['id']} done", file=sys.stderr, flush=True)
    blas.pop('_lib', None)
    out['blas'] = blas
    print(json.dumps(out))


if __name__ == '__main__':
    main()
