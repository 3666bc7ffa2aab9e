/**
 * The elementwise table and its generated kernels: the committed kernels are
 * fresh, and every JS kernel equals the float64 interpretation of its entry.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { UNARY, type UnaryDef } from '../src/ops/elementwise/table.js';
import { evaluate } from '../src/ops/elementwise/evaluate.js';
import { param, v, type Ex } from '../src/ops/elementwise/expr.js';
import { unaryKernels } from '../src/kernels/js/elementwise.generated.js';
import { erf } from '../src/kernels/js/math.js';

const ROOT = join(import.meta.dirname, '..');

describe('generated kernels', () => {
  it('are up to date with the table (npm run gen:check)', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/gen-kernels.ts', '--check'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(out).toBe('');
  }, 300_000);

  const xs = [
    -1000,
    -88,
    -20.5,
    -6,
    -3,
    -1,
    -0.5,
    -1e-8,
    -0,
    0,
    1e-8,
    0.3,
    1,
    2.5,
    3,
    6,
    20,
    88,
    1000,
    NaN,
    Infinity,
    -Infinity,
  ];
  for (const [name, def] of Object.entries(UNARY) as [string, UnaryDef][]) {
    it(`${name}: float64 JS kernel equals the table's reference`, () => {
      const names = Object.keys(def.params);
      const p = names.map(
        (k) => def.params[k] + (k === 'threshold' || k === 'exponent' ? 0 : 0.25),
      );
      const pv: Record<string, number> = Object.fromEntries(names.map((k, i) => [k, p[i]]));
      const pe: Record<string, Ex> = Object.fromEntries(names.map((k) => [k, param(k)]));
      const x = Float64Array.from(xs);
      const y = new Float64Array(xs.length);
      unaryKernels[name].forward.float64(xs.length, y, x, p);
      const fwd = def.forward(v('x'), pe).node;
      xs.forEach((xi, i) =>
        expect(
          Object.is(y[i], evaluate(fwd, { x: xi }, pv)) || y[i] === evaluate(fwd, { x: xi }, pv),
        ).toBe(true),
      );
      const back = def.backward;
      const k = unaryKernels[name].backward;
      if (!back || !k) return;
      const dy = Float64Array.from(xs, (_x, i) => 0.5 + i / 7);
      const dx = new Float64Array(xs.length);
      k.float64(xs.length, dx, dy, x, y, p);
      const bn = back({ x: v('x'), y: v('y'), dy: v('dy') }, pe).node;
      xs.forEach((xi, i) => {
        const ref = evaluate(bn, { x: xi, y: y[i], dy: dy[i] }, pv);
        expect(Number.isNaN(ref) ? Number.isNaN(dx[i]) : dx[i] === ref, `${name}'(${xi})`).toBe(
          true,
        );
      });
    });
  }
});

describe('erf', () => {
  it('is within 2 ulp-ish of high-precision values and odd, with the right limits', () => {
    // Reference values of erf (Abramowitz & Stegun / DLMF tables, 16 digits).
    const ref: [number, number][] = [
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [1.5, 0.9661051464753108],
      [2, 0.9953222650189527],
      [3, 0.9999779095030014],
      [4, 0.9999999845827421],
    ];
    for (const [x, e] of ref) {
      expect(Math.abs(erf(x) - e)).toBeLessThanOrEqual(4e-16);
      expect(erf(-x)).toBe(-erf(x));
    }
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(Number.isNaN(erf(NaN))).toBe(true);
    expect(Object.is(erf(-0), -0)).toBe(true);
  });
});
