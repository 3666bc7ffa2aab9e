"""Golden values of the sorting and splitting tensor methods
(test/golden/tensor_sort.json): sort, argsort, topk, softmax, log_softmax,
split and unbind, in float32 and float64 (and int32 where PyTorch sorts
integers), with NaN, ±Infinity, −0, ties (PyTorch 1.13's CPU tie order,
stable and not), empty tensors, 0-D tensors and negative dims.

Each case is {name, op, input, args, kwargs, outs, w, grad}: the method is
called as `input.<op>(*args, **kwargs)` (the kwargs keys are nnkit's
camelCase option names), `outs` lists the results (values and indices for
sort and topk, the pieces for split and unbind, the one tensor otherwise),
`grad` is the input's gradient of Σ (outs[i] · w[i]) over the
differentiable results (absent for int32 and argsort). Indices (int64 in
PyTorch) are written as int32.
Run: /usr/bin/python3 scripts/golden/tensor_sort.py
"""
import torch

from common import encode_tensor, encode_value, write

NAN = float('nan')
INF = float('inf')

CASES = []

PY_NAMES = {'splitSize': 'split_size'}
PY_OPS = {'argsort': 'argsort', 'logSoftmax': 'log_softmax'}
DTYPE_ARGS = {'float32': torch.float32, 'float64': torch.float64}


def t(values, dtype):
    return torch.tensor(values, dtype=torch.float64).to(dtype)


def randn(gen, dtype, *shape):
    return torch.randn(shape, generator=gen, dtype=torch.float64).to(dtype)


def ties(gen, dtype, *shape, high=5):
    """Small integers: many equal values, to pin down the tie order."""
    return torch.randint(0, high, shape, generator=gen).to(dtype)


def case(name, op, x, *args, **kwargs):
    """Runs `x.<op>(*args, **kwargs)` and, for floating x, the gradient of a weighted sum."""
    gen = torch.Generator().manual_seed(len(CASES) + 1)
    floating = x.dtype in (torch.float32, torch.float64)
    leaf = x.detach().clone().requires_grad_(floating)
    py_args = [DTYPE_ARGS.get(a, a) if isinstance(a, str) else a for a in args]
    py_kwargs = {PY_NAMES.get(k, k): DTYPE_ARGS.get(v, v) if isinstance(v, str) else v
                 for k, v in kwargs.items()}
    if 'stable' in py_kwargs:
        # 1.13's sort(*, stable, dim, descending) takes dim and descending by name
        # alongside stable; nnkit also binds them by position there.
        py_kwargs.update(zip(('dim', 'descending'), py_args))
        py_args = []
    result = getattr(leaf, PY_OPS.get(op, op))(*py_args, **py_kwargs)
    outs = list(result) if isinstance(result, tuple) else [result]
    entry = {
        'name': f'{name} {str(x.dtype)[6:]}',
        'op': op,
        'input': encode_tensor(x),
        'args': encode_value(list(args)),
        'kwargs': encode_value(kwargs),
        'outs': [encode_tensor(o) for o in outs],
    }
    if floating and op != 'argsort':
        # sort and topk: only the values are differentiable.
        diff = outs[:1] if op in ('sort', 'topk') else outs
        ws = [randn(gen, o.dtype, *o.shape) for o in diff]
        total = sum(((o * w).sum() for o, w in zip(diff, ws)), torch.zeros((), dtype=x.dtype))
        if total.requires_grad:
            total.backward()
        grad = leaf.grad if leaf.grad is not None else torch.zeros_like(x)
        entry['w'] = [encode_tensor(w) for w in ws]
        entry['grad'] = encode_tensor(grad)
    CASES.append(entry)


# McIlroy's adversary ("A killer adversary for quicksort") run against libstdc++'s
# std::sort and std::nth_element: inputs that exhaust introsort's depth limit, so
# the heapsort (and heap-select) fallbacks run, with their tie order.
SORT_KILLER = [
    163, 1, 125, 3, 181, 5, 123, 7, 161, 9, 121, 11, 195, 13, 119, 15, 159, 17, 117, 19,
    179, 21, 115, 23, 157, 25, 28, 27, 198, 196, 194, 192, 190, 188, 186, 184, 182, 180, 178, 176,
    174, 172, 170, 168, 166, 164, 162, 160, 158, 156, 154, 152, 150, 148, 146, 144, 142, 140, 138, 136,
    134, 132, 130, 128, 126, 124, 122, 120, 118, 116, 189, 155, 177, 153, 197, 151, 175, 149, 187, 147,
    173, 145, 193, 143, 171, 141, 185, 139, 169, 137, 200, 135, 167, 133, 183, 131, 165, 129, 191, 127,
    0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 114, 111, 112, 109, 110, 107,
    108, 105, 106, 103, 104, 101, 102, 99, 100, 97, 98, 95, 96, 93, 94, 91, 92, 89, 90, 87,
    88, 85, 86, 83, 84, 81, 82, 79, 80, 77, 78, 75, 76, 73, 74, 71, 72, 69, 70, 67,
    68, 65, 66, 63, 64, 61, 62, 59, 60, 57, 58, 55, 56, 53, 54, 51, 52, 49, 50, 47,
    48, 45, 46, 43, 44, 41, 42, 39, 40, 37, 38, 35, 36, 33, 34, 31, 32, 29, 30, 113,
]
SELECT_KILLER = [
    200, 1, 200, 3, 200, 5, 200, 7, 200, 9, 200, 11, 200, 13, 200, 15, 200, 17, 200, 19,
    200, 21, 200, 23, 200, 25, 200, 27, 98, 96, 94, 92, 90, 88, 86, 84, 82, 80, 78, 76,
    74, 72, 70, 68, 66, 81, 95, 79, 89, 77, 97, 75, 87, 73, 93, 71, 85, 69, 99, 67,
    83, 65, 91, 28, 64, 61, 62, 59, 60, 57, 58, 55, 56, 53, 54, 51, 52, 49, 50, 47,
    48, 45, 46, 43, 44, 41, 42, 39, 40, 37, 38, 35, 36, 33, 34, 31, 32, 29, 30, 63,
    0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 200, 200, 200, 200, 200, 200,
    200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200,
    200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200,
    200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200,
    200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200,
]


SPECIAL = [3.0, 1.0, NAN, -INF, 1.0, INF, -0.0, 0.0, NAN, 1.0, -0.0]


def sorting(gen, dtype):
    x = randn(gen, dtype, 3, 5)
    case('sort default', 'sort', x)
    case('sort dim 0', 'sort', x, 0)
    case('sort dim -2 descending', 'sort', x, -2, True)
    case('sort by name', 'sort', x, dim=1, descending=True)
    case('sort special', 'sort', t(SPECIAL, dtype))
    case('sort special descending', 'sort', t(SPECIAL, dtype), 0, True)
    case('sort special stable', 'sort', t(SPECIAL, dtype), stable=True)
    case('sort special stable descending', 'sort', t(SPECIAL, dtype), descending=True, stable=True)
    nans = t([NAN, 2.0, NAN, -1.0, INF, NAN, -INF, 0.0] * 5, dtype)
    case('sort NaNs 40', 'sort', nans)
    case('sort NaNs 40 descending', 'sort', nans, descending=True)
    case('sort NaNs 40 stable descending', 'sort', nans, descending=True, stable=True)
    for n in (16, 17, 33, 100, 1000):
        v = ties(gen, dtype, n)
        case(f'sort ties {n}', 'sort', v)
        case(f'sort ties {n} descending', 'sort', v, -1, True)
        case(f'sort ties {n} stable', 'sort', v, stable=True)
        case(f'sort ties {n} stable descending', 'sort', v, 0, True, stable=True)
    signed = t([0.0, -0.0] * 20, dtype)
    case('sort signed zeros 40', 'sort', signed)
    case('sort signed zeros 40 descending', 'sort', signed, 0, True)
    case('sort ties dim 0 of 40x7', 'sort', ties(gen, dtype, 40, 7), 0)
    case('sort ties dim 0 of 40x7 descending', 'sort', ties(gen, dtype, 40, 7), 0, True)
    case('sort ties middle dim of 2x30x3', 'sort', ties(gen, dtype, 2, 30, 3), 1, True)
    case('sort all equal 50', 'sort', t([2.5] * 50, dtype))
    case('sort descending run 300', 'sort', t(list(range(300, 0, -1)), dtype))
    # Two values in a long row: many equal keys through every partition.
    case('sort ties 1500 two values', 'sort', ties(gen, dtype, 1500, high=2))
    case('sort killer 200', 'sort', t(SORT_KILLER, dtype))
    # Halved, it still reaches the heapsort fallback, now with ties there.
    halved = [v // 2 for v in SORT_KILLER]
    case('sort killer 200 halved (heapsort fallback with ties)', 'sort', t(halved, dtype))
    case('sort killer 200 halved descending', 'sort', t([-v for v in halved], dtype), 0, True)
    case('sort killer 200 halved stable', 'sort', t(halved, dtype), stable=True)
    case('sort randn 300', 'sort', randn(gen, dtype, 300))
    case('sort 0-D', 'sort', t(2.5, dtype))
    case('sort 0-D dim -1 descending', 'sort', t(-1.5, dtype), -1, True)
    case('sort empty dim 0', 'sort', torch.zeros(0, 3, dtype=dtype), 0)
    case('sort empty dim 1', 'sort', torch.zeros(0, 3, dtype=dtype), 1)
    case('sort size-1 dim', 'sort', randn(gen, dtype, 3, 1))
    a = ties(gen, dtype, 4, 40)
    case('argsort default', 'argsort', a)
    case('argsort dim 0 descending', 'argsort', a, 0, True)
    case('argsort by name', 'argsort', a, dim=-1, descending=True)
    case('argsort stable', 'argsort', a, stable=True)
    case('argsort special', 'argsort', t(SPECIAL, dtype))
    case('argsort empty', 'argsort', torch.zeros(2, 0, dtype=dtype))


def top(gen, dtype):
    x = randn(gen, dtype, 3, 6)
    case('topk 2', 'topk', x, 2)
    case('topk 2 dim 0 smallest', 'topk', x, 2, 0, False)
    case('topk by name', 'topk', x, 3, dim=-1, largest=False, sorted=True)
    case('topk unsorted', 'topk', x, 4, 1, True, False)
    for k in (1, 3, 5, 11):
        for largest in (True, False):
            for srt in (True, False):
                case(f'topk special k={k} largest={largest} sorted={srt}', 'topk',
                     t(SPECIAL, dtype), k, 0, largest, srt)
    v = ties(gen, dtype, 200)
    case('topk ties 200 k=3 (partial sort)', 'topk', v, 3)
    case('topk ties 200 k=3 smallest (partial sort)', 'topk', v, 3, largest=False)
    case('topk ties 200 k=4 (nth_element)', 'topk', v, 4)
    case('topk ties 200 k=40 unsorted', 'topk', v, 40, sorted=False)
    case('topk ties 200 k=40 smallest', 'topk', v, 40, largest=False)
    case('topk ties 200 k=200', 'topk', v, 200)
    w = ties(gen, dtype, 2, 1000, high=20)
    case('topk ties 1000 k=15 (partial sort)', 'topk', w, 15)
    case('topk ties 1000 k=16 (nth_element) unsorted', 'topk', w, 16, -1, True, False)
    case('topk ties 1000 k=100 smallest', 'topk', w, 100, -1, False)
    case('topk killer 200 k=100 smallest unsorted (heap-select fallback)', 'topk',
         t(SELECT_KILLER, dtype), 100, 0, False, False)
    case('topk killer 200 k=100 smallest', 'topk', t(SELECT_KILLER, dtype), 100, largest=False)
    nans = t([NAN, 2.0, NAN, -1.0, INF, NAN, -INF, 0.0] * 20, dtype)
    case('topk NaNs 160 k=2 (partial sort)', 'topk', nans, 2)
    case('topk NaNs 160 k=5', 'topk', nans, 5)
    case('topk NaNs 160 k=5 smallest', 'topk', nans, 5, largest=False)
    case('topk ties dim 0 of 40x7', 'topk', ties(gen, dtype, 40, 7), 6, 0)
    case('topk middle dim', 'topk', ties(gen, dtype, 2, 30, 3), 7, -2, False)
    case('topk k=0', 'topk', x, 0)
    case('topk 0-D k=1', 'topk', t(2.5, dtype), 1)
    case('topk 0-D k=0', 'topk', t(2.5, dtype), 0)
    case('topk empty other dim', 'topk', torch.zeros(0, 3, dtype=dtype), 2, 1)
    case('topk empty k=0', 'topk', torch.zeros(0, 3, dtype=dtype), 0, 0)


def softmaxes(gen, dtype):
    x = randn(gen, dtype, 3, 5)
    for op in ('softmax', 'logSoftmax'):
        case(f'{op} dim 1', op, x, 1)
        case(f'{op} dim 0', op, x, 0)
        case(f'{op} dim -1 by name', op, x, dim=-1)
        case(f'{op} special', op, t([[0.0, -INF, 2.0], [INF, 1.0, 0.0], [NAN, 1.0, 2.0]], dtype), 1)
        case(f'{op} dtype by name', op, x, 0, dtype='float64')
        case(f'{op} empty', op, torch.zeros(0, 3, dtype=dtype), 1)


def splitting(gen, dtype):
    x = randn(gen, dtype, 5, 4)
    case('split 2', 'split', x, 2)
    case('split 2 dim 1', 'split', x, 2, 1)
    case('split 3 dim -1', 'split', x, 3, -1)
    case('split larger than dim', 'split', x, 7)
    case('split sizes', 'split', x, [1, 3, 1])
    case('split sizes with 0', 'split', x, [0, 4, 0], 1)
    case('split by name', 'split', x, splitSize=[2, 2], dim=1)
    case('split empty dim', 'split', torch.zeros(0, 3, dtype=dtype), 2)
    case('split empty dim 0', 'split', torch.zeros(0, 3, dtype=dtype), 0)
    case('split 3-D middle dim', 'split', randn(gen, dtype, 2, 5, 3), 2, 1)
    case('unbind', 'unbind', x)
    case('unbind dim 1', 'unbind', x, 1)
    case('unbind dim -1 by name', 'unbind', randn(gen, dtype, 2, 3, 2), dim=-1)
    case('unbind empty', 'unbind', torch.zeros(0, 3, dtype=dtype))
    case('unbind 1-D', 'unbind', randn(gen, dtype, 3))


def integers(gen):
    i32 = torch.int32
    edges = torch.tensor([2**31 - 1, -2**31, 0, 5, -5, 0, 2**31 - 1], dtype=i32)
    case('sort int edges', 'sort', edges)
    case('sort int edges descending', 'sort', edges, 0, True)
    v = torch.randint(0, 4, (100,), generator=gen).to(i32)
    case('sort int ties 100', 'sort', v)
    case('sort int ties 100 descending', 'sort', v, descending=True)
    case('sort int ties 100 stable', 'sort', v, stable=True)
    case('argsort int', 'argsort', v, 0, True)
    case('topk int', 'topk', v, 10)
    case('topk int smallest unsorted', 'topk', v, 30, largest=False, sorted=False)
    case('topk int edges', 'topk', edges, 3)
    case('split int', 'split', torch.arange(7, dtype=i32), 3)
    case('unbind int', 'unbind', torch.arange(6, dtype=i32).reshape(2, 3), 1)


def main():
    gen = torch.Generator().manual_seed(1913)
    for dtype in (torch.float32, torch.float64):
        sorting(gen, dtype)
        top(gen, dtype)
        softmaxes(gen, dtype)
        splitting(gen, dtype)
    integers(gen)
    names = [c['name'] for c in CASES]
    assert len(names) == len(set(names)), 'case names must be unique'
    write('tensor_sort', CASES)


if __name__ == '__main__':
    main()
