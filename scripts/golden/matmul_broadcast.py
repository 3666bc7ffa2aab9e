"""Golden values of torch.matmul's shape rules (test/golden/matmul_broadcast.json):
1-D · 1-D dot products, 1-D operands on either side, 2-D, and N-D batches
whose batch dimensions broadcast (size-1 and missing leading dimensions),
in float32 and float64.

Each case is {name, a, b, w, out, grad_a, grad_b}: the operands, a weight
`w` of the result's shape, PyTorch's `a @ b`, and the operands' gradients
of `(a @ b * w).sum()`. Each error case is {name, a_shape, b_shape, error}:
shapes PyTorch refuses and its message. Run: /usr/bin/python3 scripts/golden/matmul_broadcast.py
"""
import torch

from common import encode_tensor, write

SHAPES = [
    # Batch dimensions that broadcast.
    ([2, 1, 3, 4], [5, 4, 2]),
    ([1, 3, 4], [5, 4, 2]),
    ([2, 3, 4], [1, 4, 2]),
    ([3, 1, 2, 3, 4], [2, 1, 4, 5]),
    ([2, 3, 4], [1, 1, 4, 2]),
    ([2, 1, 3, 4], [1, 3, 4, 2]),
    # A plain matrix against a batch, on either side.
    ([5, 3, 4], [4, 2]),
    ([2, 5, 3, 4], [4, 2]),
    ([3, 4], [5, 4, 2]),
    ([3, 4], [2, 1, 4, 2]),
    # 1-D operands.
    ([4], [4]),
    ([4], [4, 3]),
    ([3, 4], [4]),
    ([4], [5, 4, 2]),
    ([4], [2, 1, 4, 3]),
    ([5, 3, 4], [4]),
    ([2, 1, 3, 4], [4]),
    # 2-D and equal batches.
    ([3, 4], [4, 2]),
    ([2, 3, 4], [2, 4, 2]),
    # Empty batches and an empty inner dimension (all-zero products).
    ([0, 3, 4], [1, 4, 2]),
    ([2, 1, 3, 0], [5, 0, 2]),
]

ERRORS = [
    ([2, 3, 4], [3, 4, 2]),
    ([2, 2, 3, 4], [3, 4, 2]),
    ([2, 3, 4], [2, 5, 2]),
    ([3, 4], [5, 3, 2]),
    ([4], [5, 3, 2]),
    ([3], [4]),
]


def values(shape, dtype, gen):
    return torch.randn(shape, generator=gen, dtype=torch.float64).to(dtype)


def main():
    gen = torch.Generator().manual_seed(1913)
    cases = []
    for dtype in (torch.float32, torch.float64):
        for sa, sb in SHAPES:
            a = values(sa, dtype, gen).requires_grad_()
            b = values(sb, dtype, gen).requires_grad_()
            out = torch.matmul(a, b)
            w = values(list(out.shape), dtype, gen)
            (out * w).sum().backward()
            cases.append({
                'name': f'{sa} @ {sb} {str(dtype)[6:]}',
                'a': encode_tensor(a),
                'b': encode_tensor(b),
                'w': encode_tensor(w),
                'out': encode_tensor(out),
                'grad_a': encode_tensor(a.grad),
                'grad_b': encode_tensor(b.grad),
            })
    errors = []
    for sa, sb in ERRORS:
        try:
            torch.matmul(torch.zeros(sa), torch.zeros(sb))
        except RuntimeError as e:
            errors.append({'name': f'{sa} @ {sb}', 'a_shape': sa, 'b_shape': sb, 'error': str(e)})
        else:
            raise AssertionError(f'PyTorch multiplies {sa} @ {sb}')
    write('matmul_broadcast', cases, {'errors': errors})


if __name__ == '__main__':
    main()
