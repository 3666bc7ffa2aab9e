/**
 * The optimizers' generated update loops: fresh with respect to their
 * definitions, and each dtype's loop reached only with arrays of that dtype.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { adam, adamF32, adamF64 } from '../src/optim/kernels/updates.generated.js';

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
