/** Property tests (fast-check) for the softmax family and softplus. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { F, tensor } from '../src/index.js';

const rows = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 8 }))
  .chain(([n, c]) =>
    fc.record({
      n: fc.constant(n),
      c: fc.constant(c),
      values: fc.array(fc.double({ min: -50, max: 50, noNaN: true }), {
        minLength: n * c,
        maxLength: n * c,
      }),
    }),
  );

describe('softmax family properties', () => {
  it('softmax rows sum to 1 and lie in [0, 1], for any temperature', () => {
    fc.assert(
      fc.property(rows, fc.double({ min: 0.05, max: 20, noNaN: true }), ({ n, c, values }, t) => {
        const y = F.softmax(tensor(values, { shape: [n, c], dtype: 'float64' }), 1, {
          temperature: t,
        });
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < c; j++) {
            const v = y.data[i * c + j];
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
            s += v;
          }
          expect(Math.abs(s - 1)).toBeLessThan(1e-12);
        }
      }),
    );
  });

  it('logSoftmax is invariant to shifting all logits of a row', () => {
    fc.assert(
      fc.property(
        rows,
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        ({ n, c, values }, shift) => {
          const x = tensor(values, { shape: [n, c], dtype: 'float64' });
          const a = F.logSoftmax(x, 1).data;
          const b = F.logSoftmax(x.add(shift), 1).data;
          for (let i = 0; i < a.length; i++)
            expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-9 * (1 + Math.abs(shift)));
        },
      ),
    );
  });

  it('exp(logSoftmax) equals softmax, and softmin(x) equals softmax(−x)', () => {
    fc.assert(
      fc.property(rows, ({ n, c, values }) => {
        const x = tensor(values, { shape: [n, c], dtype: 'float64' });
        const s = F.softmax(x, 1).data;
        const l = F.logSoftmax(x, 1).exp().data;
        const m = F.softmin(x, 1).data;
        const r = F.softmax(x.neg(), 1).data;
        for (let i = 0; i < s.length; i++) {
          expect(Math.abs(s[i] - l[i])).toBeLessThan(1e-12);
          expect(m[i]).toBe(r[i]);
        }
      }),
    );
  });

  it('softplus(x) − softplus(−x) = x below the threshold', () => {
    fc.assert(
      fc.property(
        // Below the threshold (β·|x| ≤ 20) the identity is exact; above it softplus returns x itself.
        fc.array(fc.double({ min: -19.5, max: 19.5, noNaN: true }), {
          minLength: 1,
          maxLength: 30,
        }),
        (values) => {
          const x = tensor(values, { dtype: 'float64' });
          const d = F.softplus(x).sub(F.softplus(x.neg())).data;
          values.forEach((v, i) =>
            expect(Math.abs(d[i] - v)).toBeLessThan(1e-12 * (1 + Math.abs(v))),
          );
        },
      ),
    );
  });

  it('the softmax gradient sums to zero along the normalised dimension', () => {
    fc.assert(
      fc.property(rows, ({ n, c, values }) => {
        const x = tensor(values, { shape: [n, c], dtype: 'float64', requiresGrad: true });
        const w = tensor(
          values.map((_v, i) => Math.sin(i)),
          { shape: [n, c], dtype: 'float64' },
        );
        F.softmax(x, 1).mul(w).sum().backward();
        const g = x.grad!.data;
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < c; j++) s += g[i * c + j];
          expect(Math.abs(s)).toBeLessThan(1e-12);
        }
      }),
    );
  });
});
