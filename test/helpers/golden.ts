/** Reading golden fixtures written by scripts/golden/*.py, and SPEC §6 comparisons. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Tensor, tensor, type DType } from '../../src/index.js';

export interface EncodedTensor {
  dtype: DType;
  shape: number[];
  data: (number | string)[];
}

export interface GoldenFile<C> {
  torch_version: string;
  cases: C[];
}

const GOLDEN_DIR = join(import.meta.dirname, '..', 'golden');

export function loadGolden<C>(name: string): GoldenFile<C> {
  return JSON.parse(readFileSync(join(GOLDEN_DIR, `${name}.json`), 'utf8')) as GoldenFile<C>;
}

export function decodeNumber(v: number | string): number {
  if (typeof v === 'number') return v;
  switch (v) {
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case '-0':
      return -0;
    default:
      throw new Error(`golden: bad number ${v}`);
  }
}

export function isEncodedTensor(v: unknown): v is EncodedTensor {
  return typeof v === 'object' && v !== null && 'shape' in v && 'data' in v && 'dtype' in v;
}

/** Decodes a fixture tensor; `requiresGrad` for floating inputs that PyTorch differentiated. */
export function decodeTensor(e: EncodedTensor, requiresGrad = false): Tensor {
  return tensor(e.data.map(decodeNumber), { dtype: e.dtype, shape: e.shape, requiresGrad });
}

/** SPEC §6 tolerance for a dtype. */
export function tolerance(dtype: DType): { atol: number; rtol: number } {
  return dtype === 'float64' ? { atol: 1e-12, rtol: 1e-9 } : { atol: 1e-5, rtol: 1e-5 };
}

/**
 * Asserts `actual` matches `expected` within SPEC §6: same shape and dtype,
 * NaN where the reference is NaN, equal infinities, and
 * |a − e| ≤ atol + rtol·|e| elsewhere. Reports the first offending element.
 */
export function expectClose(
  actual: Tensor,
  expected: EncodedTensor,
  label: string,
  scale = 1,
): void {
  expect(actual.shape, `${label}: shape`).toEqual(expected.shape);
  expect(actual.dtype, `${label}: dtype`).toBe(expected.dtype);
  const { atol, rtol } = tolerance(expected.dtype);
  const a = actual.data;
  for (let i = 0; i < expected.data.length; i++) {
    const e = decodeNumber(expected.data[i]);
    const v = a[i];
    let ok: boolean;
    if (Number.isNaN(e)) ok = Number.isNaN(v);
    else if (!Number.isFinite(e)) ok = v === e;
    else ok = Math.abs(v - e) <= scale * (atol + rtol * Math.abs(e));
    if (!ok) {
      expect.fail(
        `${label}: element ${i} is ${v}, PyTorch gives ${e} (atol ${atol}, rtol ${rtol})`,
      );
    }
  }
}

/**
 * Asserts that a scenario's named results (gradients, hook arguments) are a
 * golden case's: the same names, null exactly where PyTorch's is None, each
 * tensor close (expectClose). Counts named `…calls` are float32 scalars in
 * the fixtures and are compared as such.
 */
export function expectResults(
  label: string,
  got: Readonly<Record<string, Tensor | null>>,
  expected: Readonly<Record<string, EncodedTensor | null>>,
): void {
  expect(Object.keys(got).sort(), `${label}: result names`).toEqual(Object.keys(expected).sort());
  for (const [key, want] of Object.entries(expected)) {
    const have = got[key];
    if (want === null) expect(have, `${label}: ${key}`).toBeNull();
    else {
      expect(have, `${label}: ${key}`).not.toBeNull();
      expectClose(key.endsWith('calls') ? have!.to('float32') : have!, want, `${label}: ${key}`);
    }
  }
}

/**
 * Asserts `actual` equals `expected` bit for bit: same shape, dtype and
 * size, NaN where the reference is NaN, −0 only where it is −0. For ops
 * whose order of operations nnkit reproduces (sorting, products, fused
 * multiply-adds).
 */
export function expectExact(actual: Tensor, expected: EncodedTensor, label: string): void {
  expect(actual.shape, `${label}: shape`).toEqual(expected.shape);
  expect(actual.dtype, `${label}: dtype`).toBe(expected.dtype);
  const a = actual.data;
  expect(a.length, `${label}: size`).toBe(expected.data.length);
  expected.data.forEach((raw, i) => {
    const e = decodeNumber(raw);
    const ok = Number.isNaN(e) ? Number.isNaN(a[i]) : Object.is(a[i], e);
    if (!ok) expect.fail(`${label}: element ${i} is ${a[i]}, PyTorch gives ${e} (exactly)`);
  });
}

/** A method argument as the fixture JSON holds it: non-finite numbers are strings ('Infinity'). */
function decodeArg(v: unknown): unknown {
  if (typeof v === 'string' && decodableNumber(v)) return decodeNumber(v);
  if (Array.isArray(v)) return v.map(decodeArg);
  return v;
}

function decodableNumber(v: string): boolean {
  return v === 'NaN' || v === 'Infinity' || v === '-Infinity' || v === '-0';
}

/**
 * `x.<op>(...args, kwargs)` as a fixture script called PyTorch's method
 * (kwargs become the trailing options object; none, none given).
 */
export function callMethod(
  x: Tensor,
  op: string,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
): unknown {
  const method = (x as unknown as Record<string, (...a: unknown[]) => unknown>)[op];
  const named = Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, decodeArg(v)]));
  const positional = args.map(decodeArg);
  return method.apply(x, Object.keys(named).length > 0 ? [...positional, named] : positional);
}

/**
 * Asserts a fixture has a case of every op in `floatOps` in float32 and
 * float64, and of every op in `intOps` in int32: a script that stops
 * covering one fails here, not silently.
 */
export function expectCoverage(
  cases: readonly { op: string; input: EncodedTensor }[],
  floatOps: readonly string[],
  intOps: readonly string[],
): void {
  const has = (op: string, dtype: string) =>
    cases.some((c) => c.op === op && c.input.dtype === dtype);
  for (const op of floatOps) {
    for (const dtype of ['float32', 'float64']) expect(has(op, dtype), `${op} ${dtype}`).toBe(true);
  }
  for (const op of intOps) expect(has(op, 'int32'), `${op} int32`).toBe(true);
}
