/**
 * `x.add_(o, { alpha })` and `x.sub_(o, { alpha })` bit for bit against
 * PyTorch (test/golden/inplace_alpha.json, scripts/golden/inplace_alpha.py):
 * PyTorch rounds `x + alpha·o` once (a fused multiply-add), which two
 * roundings miss in about 9% of float32 elements (float64 is exact on the
 * native backend; JavaScript has no fused multiply-add). Each case runs under
 * `noGrad` (the kernel writes into x's storage) and with gradients recorded
 * (x a non-leaf, o a leaf), on every backend; `o` is a tensor of x's shape, a
 * broadcast row, or a number.
 */
import { describe, expect, it } from 'vitest';
import { noGrad, ones, tensor, Tensor } from '../src/index.js';
import {
  decodeTensor,
  expectClose,
  expectExact,
  loadGolden,
  type EncodedTensor,
} from './helpers/golden.js';
import { forEachBackend } from './helpers/backends.js';

interface AlphaCase {
  method: 'add_' | 'sub_';
  alpha: number;
  x: EncodedTensor;
  other: EncodedTensor | number;
  result: EncodedTensor;
  gradOther: EncodedTensor | null;
  gradX: EncodedTensor;
}

const golden = loadGolden<AlphaCase>('inplace_alpha');

/**
 * Bit for bit, except float64 off the native backend: JavaScript has no fused multiply-add, and
 * the JS kernel (which wasm uses for float64) rounds `alpha·o` before adding it: SPEC tolerance.
 */
function expectBits(actual: Tensor, expected: EncodedTensor, what: string, backend: string): void {
  if (actual.dtype === 'float64' && backend !== 'native') {
    expectClose(actual, expected, what);
    return;
  }
  expectExact(actual, expected, what);
}

type InPlace = (o: Tensor | number, options: { alpha: number }) => Tensor;

forEachBackend((backend) => {
  describe('add_/sub_ with alpha round once, as PyTorch', () => {
    for (const [k, c] of golden.cases.entries()) {
      const kind =
        typeof c.other === 'number' ? 'number' : c.other.shape.length === 1 ? 'row' : 'same';
      it(`${c.method} ${c.x.dtype} ${kind} alpha=${c.alpha} (case ${k})`, () => {
        const other = () => (typeof c.other === 'number' ? c.other : decodeTensor(c.other));
        // noGrad: written straight into x.
        const x = decodeTensor(c.x);
        noGrad(() => (x[c.method] as InPlace).call(x, other(), { alpha: c.alpha }));
        expectBits(x, c.result, 'noGrad', backend);
        // Recorded: x a non-leaf, o a leaf; gradients as PyTorch's.
        const leaf = decodeTensor(c.x, true);
        const o = typeof c.other === 'number' ? c.other : decodeTensor(c.other, true);
        const h = leaf.mul(1);
        const y = (h[c.method] as InPlace).call(h, o, { alpha: c.alpha });
        expect(y).toBe(h);
        expectBits(h, c.result, 'recorded', backend);
        h.backward(ones(h.shape, { dtype: h.dtype }));
        expectBits(leaf.grad as Tensor, c.gradX, 'grad x', backend);
        // A broadcast row's gradient is a sum over the rows, whose order (float32 accumulation in
        // PyTorch) is not this test's subject: within SPEC tolerance there, exact elsewhere.
        if (c.gradOther && kind === 'same')
          expectBits((o as Tensor).grad as Tensor, c.gradOther, 'grad other', backend);
        if (c.gradOther && kind === 'row')
          expectClose((o as Tensor).grad as Tensor, c.gradOther, 'grad other');
      });
    }
  });
});

describe('fill_ and zero_ without gradients to record', () => {
  it('write into the storage (through a contiguous view) and bump the version', () => {
    const base = tensor([
      [1, 2],
      [3, 4],
    ]);
    const row = base.narrow(0, 1, 1);
    const v = base._version;
    expect(row.fill_(7)).toBe(row);
    expect(base.toArray()).toEqual([
      [1, 2],
      [7, 7],
    ]);
    expect(base._version).toBe(v + 1);
    const g = tensor([0.1, 0.2], { requiresGrad: true });
    noGrad(() => g.zero_());
    expect(Array.from(g.data)).toEqual([0, 0]);
    expect(tensor([1.5], { dtype: 'float32' }).fill_(0.1).data[0]).toBe(Math.fround(0.1));
  });
});
