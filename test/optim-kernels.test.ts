/**
 * The optimizers' generated update loops: fresh with respect to their
 * definitions, each dtype's loop reached only with arrays of that dtype, and
 * the fused kernels' lists checked by the addon and the wasm backend before
 * any element is touched (the numbers are in optim-fused.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { adam, adamF32, adamF64 } from '../src/kernels/js/optim.generated.js';
import {
  activeBackend,
  availableBackends,
  getBackend,
  setBackend,
} from '../src/kernels/backend.js';
import { nativeAddon } from '../src/kernels/native/index.js';
import { wasmReady } from '../src/index.js';

const ROOT = join(import.meta.dirname, '..');

describe('generated optimizer kernels', () => {
  it('are up to date with src/optim/kernels/updates.ts (npm run gen:optim)', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/gen-optim.ts', '--check'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(out).toBe('');
  });

  it('dispatch on the dtype and refuse mixed arrays', () => {
    // beta1, 1 − beta1, beta2, 1 − beta2, √(1 − beta2¹), eps, −lr/(1 − beta1¹) with lr 0.1; flags
    const args = [0.9, 0.1, 0.999, 0.001, Math.sqrt(0.001), 1e-8, -1, false, false, false] as const;
    const f32 = () => [
      new Float32Array([1]),
      new Float32Array([0.5]),
      new Float32Array(1),
      new Float32Array(1),
    ];
    const [p, g, m, v] = f32();
    adam(1, p, g, m, v, new Float32Array(0), 0, ...args);
    const [q, h, m2, v2] = f32();
    adamF32(1, q, h, m2, v2, new Float32Array(0), 0, ...args);
    expect(p[0]).toBe(q[0]);
    expect(p[0]).toBeCloseTo(0.9, 6); // the first Adam step moves by lr
    const d = [
      new Float64Array([1]),
      new Float64Array([0.5]),
      new Float64Array(1),
      new Float64Array(1),
    ] as const;
    adamF64(1, d[0], d[1], d[2], d[3], new Float64Array(0), 0, ...args);
    expect(d[0][0]).toBeCloseTo(0.9, 7); // ε shifts it by 2e-9
    expect(() =>
      adam(1, p, new Float64Array([0.5]), m, v, new Float32Array(0), 0, ...args),
    ).toThrow("adam: every array must have the parameter's dtype (float32 or float64)");
  });
});

/** Adam's scalars and flags (no weight decay, no AMSGrad) after the lists. */
const ADAM_REST = [0, 0.9, 0.1, 0.999, 0.001, 1, 1e-8, -0.1, false, false, false] as const;
const f32 = (n: number) => new Float32Array(n).fill(0.5);

describe('fused optimizer kernels check their lists', () => {
  it.runIf(nativeAddon !== null)('native: every entry, its dtype and its length', () => {
    const k = nativeAddon!;
    const lists = () => [
      [f32(4), f32(5)],
      [f32(4), f32(5)],
      [f32(4), f32(5)],
      [f32(4), f32(5)],
    ];
    const [p, g, m, v] = lists();
    // AMSGrad off: the unused list is not looked at.
    expect(k.adamStep(2, p, g, m, v, [], ...ADAM_REST)).toBe(true);
    expect(p[1][4]).not.toBe(0.5);
    const err = (what: string) => `nnkit native kernel adamStep: ${what}`;
    expect(() => k.adamStep(2, p, [f32(4), f32(3)], m, v, [], ...ADAM_REST)).toThrow(
      err('grads[t] holds 3 elements, needs params[t].length = 5'),
    );
    expect(() => k.adamStep(2, p, g, [f32(4)], v, [], ...ADAM_REST)).toThrow(
      err('expAvgs must be an array holding a float array per tensor'),
    );
    expect(() =>
      k.adamStep(2, p, g, m, [new Float64Array(4), new Float64Array(5)], [], ...ADAM_REST),
    ).toThrow(err('expAvgSqs must be arrays of the dtype of params'));
    expect(() => k.adamStep(2, [f32(4), new Float64Array(5)], g, m, v, [], ...ADAM_REST)).toThrow(
      err('params must be a list of float arrays of one dtype'),
    );
    expect(() =>
      k.adamStep(2, p, g, m, [f32(4), new Int32Array(5) as never], [], ...ADAM_REST),
    ).toThrow(err('expAvgSqs must be a list of float arrays'));
    // With AMSGrad the list is read, and must hold an entry per tensor.
    const amsgrad = [...ADAM_REST.slice(0, -1), true] as unknown as typeof ADAM_REST;
    expect(() => k.adamStep(2, p, g, m, v, [], ...amsgrad)).toThrow(
      err('maxExpAvgSqs must be an array holding a float array per tensor'),
    );
  });

  it.runIf(nativeAddon !== null)(
    'native: a getter in a list cannot make the kernel write into a detached array',
    () => {
      const k = nativeAddon!;
      const n = 4096;
      const p0 = new Float32Array(n).fill(1);
      let moved = new Float32Array(0);
      // grads[0] is fetched after params[0]; its getter moves params[0]'s memory away.
      const grads: Float32Array[] = [];
      Object.defineProperty(grads, 0, {
        get() {
          moved = new Float32Array(structuredClone(p0.buffer, { transfer: [p0.buffer] }));
          return f32(n);
        },
      });
      expect(k.adamStep(1, [p0], grads, [f32(n)], [f32(n)], [], ...ADAM_REST)).toBe(true);
      expect(p0.length).toBe(0);
      // The memory now owned by `moved` is untouched: params[0] was read as detached (empty).
      expect(moved.length).toBe(n);
      expect(moved.every((x) => x === 1)).toBe(true);
    },
  );

  it('wasm: the same checks before copying into its memory', async () => {
    await wasmReady;
    if (!availableBackends().includes('wasm')) return; // no WebAssembly SIMD here
    const previous = getBackend();
    setBackend('wasm');
    try {
      const k = activeBackend();
      const p = [f32(4), f32(5)];
      expect(
        k.adamStep!(2, p, [f32(4), f32(5)], [f32(4), f32(5)], [f32(4), f32(5)], [], ...ADAM_REST),
      ).toBe(true);
      expect(() =>
        k.adamStep!(2, p, [f32(4), f32(3)], [f32(4), f32(5)], [f32(4), f32(5)], [], ...ADAM_REST),
      ).toThrow(
        'nnkit wasm kernel adamStep: grads[1] holds 3 elements, needs params[1].length = 5',
      );
      expect(() =>
        k.adamStep!(
          2,
          p,
          [f32(4), new Float64Array(5)],
          [f32(4), f32(5)],
          [f32(4), f32(5)],
          [],
          ...ADAM_REST,
        ),
      ).toThrow('nnkit wasm kernel adamStep: grads[1] must have the dtype of params[0]');
      // float64 is left to the JS kernels.
      const d = [new Float64Array(4)];
      expect(k.adamStep!(1, d, d, d, d, [], ...ADAM_REST)).toBe(false);
    } finally {
      setBackend(previous);
    }
  });
});
