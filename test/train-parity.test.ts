/**
 * The training step that `npm run bench:train` times (bench/train/build.ts)
 * against PyTorch: small versions of its workloads, from PyTorch's initial
 * weights and batches, must give PyTorch's loss at each of the first 20
 * steps (test/golden/train.json, written by scripts/golden/train.py).
 */
import { describe, expect, it } from 'vitest';
import { type Tensor } from '../src/index.js';
import type { WorkloadConfig } from '../bench/train/config.js';
import { buildModel, makeTrainer } from '../bench/train/build.js';
import { decodeTensor, loadGolden, type EncodedTensor } from './helpers/golden.js';
import { forEachBackend } from './helpers/backends.js';

interface TrainCase {
  config: WorkloadConfig;
  params: Record<string, EncodedTensor>;
  x: EncodedTensor[];
  y: EncodedTensor[];
  losses: number[];
}

const golden = loadGolden<TrainCase>('train');

/**
 * Relative tolerance on each loss. Both sides compute in float32, but sum
 * in different orders (GEMM blocking, reductions, threads), so each step's
 * gradients differ by a few float32 ulps; Adam normalises the update by
 * √v, which turns a relative gradient difference into the same relative
 * update difference, and 20 steps compound it. Measured on every case
 * and backend (native, wasm, js): at most 1.6e-7. A real difference is far
 * larger: 1 % more learning rate, or 10 % less weight decay, moves the
 * losses by 1.7e-3 or more within the 20 steps, and AdamW against Adam
 * without weight decay by more than 1e-3 (checked below). 1e-5 lies between the two.
 */
const RTOL = 1e-5;

/**
 * The workloads' cases; `e-adam-control` (workload e with Adam instead of
 * AdamW) only shows that the tolerance tells optimizers apart.
 */
const CONTROL = 'e-adam-control';
const runnable = golden.cases.filter((c) => (c.config.id as string) !== CONTROL);

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

describe('bench:train golden losses', () => {
  it('has one case per workload, and the tolerance separates AdamW from Adam', () => {
    const ids = runnable.map((c) => c.config.id).sort();
    expect(ids).toEqual(['a', 'b', 'c', 'd-adaptive', 'd-full', 'e']);
    const adamW = runnable.find((c) => c.config.id === 'e') as TrainCase;
    const adam = golden.cases.find((c) => (c.config.id as string) === CONTROL) as TrainCase;
    expect([adamW.config.optimizer.name, adam.config.optimizer.name]).toEqual(['AdamW', 'Adam']);
    const last = adamW.losses.length - 1;
    expect(relDiff(adam.losses[last], adamW.losses[last])).toBeGreaterThan(100 * RTOL);
  });
});

forEachBackend((backend) => {
  describe(`training steps against PyTorch (${backend})`, () => {
    for (const c of runnable) {
      const o = c.config.optimizer;
      it(`${c.config.id}: ${c.config.title}, ${o.name}, ${c.losses.length} steps`, () => {
        const model = buildModel(c.config);
        const state: Record<string, Tensor> = {};
        for (const [k, v] of Object.entries(c.params)) state[k] = decodeTensor(v);
        model.net.loadStateDict(state);
        const step = makeTrainer(c.config, model, {
          x: c.x.map((e) => decodeTensor(e)),
          y: c.y.map((e) => decodeTensor(e)),
        });
        c.losses.forEach((expected, k) => {
          const got = step(k);
          if (!(relDiff(got, expected) <= RTOL)) {
            expect.fail(
              `step ${k + 1}: loss ${got}, PyTorch ${expected} (relative difference ${relDiff(got, expected).toExponential(2)} > ${RTOL})`,
            );
          }
        });
      });
    }
  });
});
