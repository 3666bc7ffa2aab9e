/**
 * `matmul`'s shape rules against PyTorch (test/golden/matmul_broadcast.json,
 * written by scripts/golden/matmul_broadcast.py), on every backend: dot
 * products, 1-D operands on either side, 2-D, and N-D batches whose batch
 * dimensions broadcast, in float32 and float64. The forward values and both
 * operands' gradients of a weighted sum must agree within SPEC §6, and the
 * shapes PyTorch refuses are refused with a message naming both shapes.
 */
import { describe, expect, it } from 'vitest';
import { gradcheck, manualSeed, matmul, randn, zeros, type Tensor } from '../src/index.js';
import { formatShape } from '../src/tensor/shape.js';
import {
  decodeTensor,
  expectClose,
  loadGolden,
  type EncodedTensor,
  type GoldenFile,
} from './helpers/golden.js';
import { forEachBackend } from './helpers/backends.js';

interface MatmulCase {
  name: string;
  a: EncodedTensor;
  b: EncodedTensor;
  w: EncodedTensor;
  out: EncodedTensor;
  grad_a: EncodedTensor;
  grad_b: EncodedTensor;
}

interface ErrorCase {
  name: string;
  a_shape: number[];
  b_shape: number[];
  error: string;
}

const golden = loadGolden<MatmulCase>('matmul_broadcast') as GoldenFile<MatmulCase> & {
  errors: ErrorCase[];
};

describe('matmul_broadcast.json', () => {
  it('holds the broadcast cases of the task in both dtypes', () => {
    const names = golden.cases.map((c) => c.name);
    for (const shapes of [
      '[2, 1, 3, 4] @ [5, 4, 2]',
      '[1, 3, 4] @ [5, 4, 2]',
      '[2, 3, 4] @ [1, 4, 2]',
      '[5, 3, 4] @ [4, 2]',
      '[4] @ [5, 4, 2]',
      '[4] @ [4]',
    ]) {
      for (const dtype of ['float32', 'float64']) expect(names).toContain(`${shapes} ${dtype}`);
    }
  });
});

forEachBackend(() => {
  describe('matmul against PyTorch', () => {
    for (const c of golden.cases) {
      it(c.name, () => {
        const a = decodeTensor(c.a, true);
        const b = decodeTensor(c.b, true);
        const out = matmul(a, b);
        expectClose(out, c.out, `${c.name}: a @ b`);
        out.mul(decodeTensor(c.w)).sum().backward();
        expectClose(a.grad!, c.grad_a, `${c.name}: grad of a`);
        expectClose(b.grad!, c.grad_b, `${c.name}: grad of b`);
      });
    }
  });

  describe('broadcast operands given as views', () => {
    // Transposed and stride-0 (expanded) operands give what their contiguous copies give.
    const cases: [string, number[], number[], (t: Tensor) => Tensor, (t: Tensor) => Tensor][] = [
      ['transposed batches', [2, 1, 4, 3], [5, 2, 4], (t) => t.mT, (t) => t.mT],
      ['an expanded batch', [2, 1, 3, 4], [4, 2], (t) => t, (t) => t.expand(5, 4, 2)],
      ['a transposed matrix against a batch', [4, 3], [2, 1, 4, 2], (t) => t.t(), (t) => t],
      ['a batch against a transposed matrix', [2, 5, 3, 4], [2, 4], (t) => t, (t) => t.t()],
    ];
    for (const [label, sa, sb, viewA, viewB] of cases) {
      it(label, () => {
        manualSeed(3);
        const a = randn(sa, { dtype: 'float64', requiresGrad: true });
        const b = randn(sb, { dtype: 'float64', requiresGrad: true });
        const a2 = a.detach().clone().requiresGrad_();
        const b2 = b.detach().clone().requiresGrad_();
        const got = matmul(viewA(a), viewB(b));
        const want = matmul(viewA(a2).contiguous(), viewB(b2).contiguous());
        const w = randn([...want.shape], { dtype: 'float64' });
        got.mul(w).sum().backward();
        want.mul(w).sum().backward();
        const close = (x: Tensor, y: Tensor, what: string) => {
          expect(x.shape, what).toEqual(y.shape);
          const [xd, yd] = [x.data, y.data];
          for (let i = 0; i < yd.length; i++) {
            if (Math.abs(xd[i] - yd[i]) > 1e-12 + 1e-12 * Math.abs(yd[i])) {
              expect.fail(`${what}: element ${i} is ${xd[i]}, the copies give ${yd[i]}`);
            }
          }
        };
        close(got, want, `${label}: a @ b`);
        close(a.grad!, a2.grad!, `${label}: grad of a`);
        close(b.grad!, b2.grad!, `${label}: grad of b`);
      });
    }
  });

  describe('gradcheck of broadcast batches (float64)', () => {
    const shapes: [number[], number[]][] = [
      [
        [2, 1, 3, 4],
        [5, 4, 2],
      ],
      [
        [2, 3, 4],
        [1, 1, 4, 2],
      ],
      [
        [3, 4],
        [2, 1, 4, 2],
      ],
      [[4], [2, 1, 4, 3]],
    ];
    for (const [sa, sb] of shapes) {
      it(`${formatShape(sa)} @ ${formatShape(sb)}`, () => {
        manualSeed(7);
        const a = randn(sa, { dtype: 'float64', requiresGrad: true });
        const b = randn(sb, { dtype: 'float64', requiresGrad: true });
        expect(gradcheck((x, y) => x.matmul(y), [a, b])).toBe(true);
      });
    }
  });
});

describe('shapes PyTorch refuses', () => {
  for (const e of golden.errors) {
    it(`${e.name} (PyTorch: ${e.error})`, () => {
      const [sa, sb] = [e.a_shape, e.b_shape];
      const message =
        sa.length === 1 && sb.length === 1
          ? `matmul: 1-D tensors of ${sa[0]} and ${sb[0]} elements cannot be multiplied`
          : `matmul: shapes ${formatShape(sa)} and ${formatShape(sb)} cannot be multiplied`;
      expect(() => matmul(zeros(sa), zeros(sb))).toThrow(message);
    });
  }

  it('names the batch dimensions that do not broadcast', () => {
    expect(() => matmul(zeros([2, 3, 4]), zeros([3, 4, 2]))).toThrow(
      'matmul: shapes [2, 3, 4] and [3, 4, 2] cannot be multiplied (batch dimensions [2] and [3] do not broadcast)',
    );
  });
});
