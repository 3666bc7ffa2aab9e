/**
 * The sorting and splitting tensor methods against PyTorch 1.13
 * (test/golden/tensor_sort.json, written by scripts/golden/tensor_sort.py),
 * on every backend: `sort`, `argsort`, `topk`, `softmax`, `logSoftmax`,
 * `split` and `unbind` — values, indices and the gradient of a weighted sum
 * of the results — in float32 and float64 (and int32), with NaN, ±Infinity,
 * −0, ties, empty and 0-D tensors and negative dims.
 *
 * How close each must be, and why:
 * - sort, argsort, topk, split, unbind: bit for bit (signed zeros
 *   included), values, indices and gradients. They move elements without
 *   arithmetic, and nnkit runs PyTorch 1.13's algorithms (libstdc++'s
 *   introsort, heap and introselect) step by step, so even the order of
 *   equal values (and which of several equal values topk takes) is PyTorch's.
 * - softmax, logSoftmax: SPEC §6 (the fused kernels' arithmetic differs
 *   from PyTorch's vectorised code in the last bits).
 */
import { describe, expect, it } from 'vitest';
import { type Tensor } from '../src/index.js';
import {
  callMethod,
  decodeTensor,
  expectClose,
  expectCoverage,
  expectExact,
  loadGolden,
  type EncodedTensor,
} from './helpers/golden.js';
import { forEachBackend } from './helpers/backends.js';

interface SortCase {
  name: string;
  op: 'sort' | 'argsort' | 'topk' | 'softmax' | 'logSoftmax' | 'split' | 'unbind';
  input: EncodedTensor;
  args: unknown[];
  kwargs: Record<string, unknown>;
  outs: EncodedTensor[];
  w?: EncodedTensor[];
  grad?: EncodedTensor;
}

const golden = loadGolden<SortCase>('tensor_sort');

const CLOSE = new Set(['softmax', 'logSoftmax']);

function compare(c: SortCase, actual: Tensor, expected: EncodedTensor, what: string): void {
  const label = `${c.name}: ${what}`;
  if (CLOSE.has(c.op)) expectClose(actual, expected, label);
  else expectExact(actual, expected, label);
}

/** `x.<op>(...args, kwargs)` as the fixture script called PyTorch's method; the results as a list. */
function run(c: SortCase, x: Tensor): Tensor[] {
  const out = callMethod(x, c.op, c.args, c.kwargs);
  if (Array.isArray(out)) return out as Tensor[];
  if (c.op === 'sort' || c.op === 'topk') return [...(out as Iterable<Tensor>)];
  return [out as Tensor];
}

describe('tensor_sort.json', () => {
  it('covers every method in both dtypes, and int32', () => {
    expectCoverage(
      golden.cases,
      ['sort', 'argsort', 'topk', 'softmax', 'logSoftmax', 'split', 'unbind'],
      ['sort', 'argsort', 'topk', 'split', 'unbind'],
    );
  });
});

forEachBackend(() => {
  describe('sorting and splitting against PyTorch', () => {
    for (const c of golden.cases) {
      it(c.name, () => {
        const x = decodeTensor(c.input, c.grad !== undefined);
        const outs = run(c, x);
        expect(outs.length, `${c.name}: number of results`).toBe(c.outs.length);
        outs.forEach((o, i) => compare(c, o, c.outs[i], `result ${i}`));
        if (c.grad && c.w) {
          const ws = c.w.map((w) => decodeTensor(w));
          let total: Tensor | null = null;
          ws.forEach((w, i) => {
            const term = outs[i].mul(w).sum();
            total = total === null ? term : total.add(term);
          });
          if (total !== null && (total as Tensor).requiresGrad) (total as Tensor).backward();
          const grad = x.grad ?? x.detach().mul(0);
          compare(c, grad, c.grad, 'gradient');
        }
      });
    }
  });
});
