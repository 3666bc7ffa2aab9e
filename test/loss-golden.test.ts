/**
 * Every loss against PyTorch's golden values (scripts/golden/losses.py):
 * output, and the gradient of every input PyTorch differentiates under a
 * fixed random upstream gradient, in float32 and float64.
 */
import { describe, expect, it } from 'vitest';
import { F, type Tensor } from '../src/index.js';
import {
  decodeTensor,
  expectClose,
  isEncodedTensor,
  loadGolden,
  type EncodedTensor,
} from './helpers/golden.js';
import { forEachBackend } from './helpers/backends.js';

interface LossCase {
  name: string;
  fn: string;
  dtype: string;
  inputs: EncodedTensor[];
  requiresGrad: boolean[];
  opts: Record<string, unknown>;
  output: EncodedTensor;
  upstream?: EncodedTensor;
  grads?: (EncodedTensor | null)[];
}

type LossFn = (...args: unknown[]) => Tensor;

function decodeOpts(opts: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(opts).map(([k, v]) => [k, isEncodedTensor(v) ? decodeTensor(v) : v]),
  );
}

export function runLossCases(file: string): void {
  const golden = loadGolden<LossCase>(file);
  describe(`${file} (PyTorch ${golden.torch_version})`, () => {
    it('has cases', () => {
      expect(golden.cases.length).toBeGreaterThan(10);
    });
    for (const c of golden.cases) {
      it(c.name, () => {
        const fn = (F as unknown as Record<string, LossFn>)[c.fn];
        expect(typeof fn, `F.${c.fn} exists`).toBe('function');
        const inputs = c.inputs.map((e, i) => decodeTensor(e, c.requiresGrad[i]));
        const out = fn(...inputs, decodeOpts(c.opts));
        expectClose(out, c.output, `${c.name} output`);
        if (!c.upstream || !c.grads) return;
        out.backward(decodeTensor(c.upstream));
        c.grads.forEach((g, i) => {
          if (!g) return;
          const got = inputs[i].grad;
          expect(got, `${c.name} grad of input ${i}`).not.toBeNull();
          expectClose(got as Tensor, g, `${c.name} grad of input ${i}`);
        });
      });
    }
  });
}

forEachBackend(() => {
  runLossCases('losses');
  runLossCases('losses-extra');
});
