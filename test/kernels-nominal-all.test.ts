/**
 * Every declared kernel with two or more sizes, handed sizes that multiply
 * to 0 beside huge ones (2^40, or 2^20·2^20), on every backend: it returns at
 * once. A kernel that walks its nominal rows or planes instead runs 2^40
 * empty iterations, which no timeout can interrupt, and CI's time limit fails
 * the run (`scripts/nominal-timing.ts` times the same calls at 2^26 to show
 * such a walk). test/kernels-nominal.test.ts has the seven kernels' first case.
 */
import { describe, expect, it } from 'vitest';
import '../src/index.js';
import { dispatch } from '../src/kernels/backend.js';
import { KERNELS, type KernelName } from '../src/kernels/schema.js';
import { itOnEveryKernelBackend } from './helpers/backends.js';
import { countArgs, NOMINAL_CASES, nominalCalls, SINGLE_COUNT_KERNELS } from './helpers/nominal.js';

const KERNEL_NAMES = Object.keys(KERNELS) as KernelName[];

describe('nominal cases', () => {
  it('cover every kernel with two or more counts', () => {
    const missing = KERNEL_NAMES.filter(
      (k) => NOMINAL_CASES[k] === undefined && !SINGLE_COUNT_KERNELS.includes(k),
    );
    expect(missing, 'kernels without a case in test/helpers/nominal.ts').toEqual([]);
  });

  it('name only real size arguments, and each kernel gets calls', () => {
    for (const [k, spec] of Object.entries(NOMINAL_CASES) as [KernelName, { sizes: string[] }][]) {
      expect(countArgs(k), k).toEqual(expect.arrayContaining(spec.sizes));
      expect(nominalCalls(k, 'float32').length, k).toBeGreaterThan(0);
    }
  });
});

for (const kernel of KERNEL_NAMES) {
  if (NOMINAL_CASES[kernel] === undefined) continue;
  itOnEveryKernelBackend(
    ['float32', 'float64'],
    `${kernel} over huge sizes that multiply to 0 returns at once`,
    (kind) => {
      // Every class target is ignored: a kernel returning a total returns 0.
      const done = KERNELS[kernel].returns === 'total' ? 0 : true;
      for (const { sizes, args } of nominalCalls(kernel, kind)) {
        const call = dispatch as (k: KernelName, ...a: unknown[]) => unknown;
        expect(call(kernel, ...args), JSON.stringify(sizes)).toBe(done);
      }
    },
  );
}
