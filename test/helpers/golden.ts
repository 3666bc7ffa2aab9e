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
