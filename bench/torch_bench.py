#!/usr/bin/env python3
"""PyTorch side of `npm run bench`: reads the workload list (JSON) on stdin,
prints {"version", "threads": {"1": {id: ms}, "N": {...}}} on stdout.
Each workload is timed like the JS side: median of `reps` runs after a warm-up."""
import json
import sys
import time

spec = json.load(sys.stdin)
try:
    import torch
    import torch.nn.functional as F
except Exception as e:  # noqa: BLE001
    print(json.dumps({"error": f"import torch failed: {e}"}))
    sys.exit(0)

N = spec["n"]
ROWS, COLS = spec["rows"], spec["cols"]
REPS = spec["reps"]
WARMUP = spec["warmup"]
torch.manual_seed(0)
x4m = (torch.rand(N) - 0.5) * 8
g4m = torch.rand(N)
t4m = torch.rand(N)
logits = torch.randn(ROWS, COLS) * 3
gl = torch.rand(ROWS, COLS)
labels = torch.randint(0, COLS, (ROWS,))

def resolve(path):
    """`torch.nn.functional.leaky_relu` -> the callable."""
    obj = torch
    for part in path.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def make(w):
    kind, name, mode = w["kind"], w["name"], w["mode"]
    if kind == "act":
        fn, kwargs = resolve(w["torch"]), w["kwargs"]
        f = lambda x: fn(x, **kwargs)  # noqa: E731
        if mode == "fwd":
            return lambda: f(x4m)
        xr = x4m.clone().requires_grad_(True)
        return lambda: f(xr).backward(g4m)
    if name in ("softmax", "logSoftmax"):
        f = F.softmax if name == "softmax" else F.log_softmax
        if mode == "fwd":
            return lambda: f(logits, 1)
        lr = logits.clone().requires_grad_(True)
        return lambda: f(lr, 1).backward(gl)
    if name == "crossEntropy":
        if mode == "fwd":
            return lambda: F.cross_entropy(logits, labels)
        lr = logits.clone().requires_grad_(True)
        return lambda: F.cross_entropy(lr, labels).backward()
    if name == "mseLoss":
        if mode == "fwd":
            return lambda: F.mse_loss(x4m, t4m)
        xr = x4m.clone().requires_grad_(True)
        return lambda: F.mse_loss(xr, t4m).backward()
    return None


def median_ms(fn):
    # As many warm-up calls as the JS side (bench/run.ts `time`).
    for _ in range(min(WARMUP, REPS)):
        fn()
    ts = []
    for _ in range(REPS):
        s = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - s) * 1000)
    ts.sort()
    return ts[len(ts) // 2]


out = {"version": torch.__version__, "threads": {}}
for threads in spec["threads"]:
    torch.set_num_threads(threads)
    res = {}
    for w in spec["workloads"]:
        fn = make(w)
        if fn is not None:
            res[w["id"]] = median_ms(fn)
    out["threads"][str(threads)] = res
print(json.dumps(out))
