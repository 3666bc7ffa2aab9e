/**
 * Kernels handed 2^40 nominal rows or planes of nothing (an empty dimension
 * beside huge ones: fuzz seed 83 found F.conv1d of [2^20, 2^20, 0] hanging
 * on the JavaScript kernels, which walked every empty plane) return at once
 * on every backend, writing nothing. A kernel that walks them hangs the run
 * instead (a synchronous walk of 2^40 planes outlasts any timeout), which CI's
 * time limit fails.
 */
import { expect } from 'vitest';
import '../src/index.js';
import { dispatch } from '../src/kernels/backend.js';
import { itOnEveryKernelBackend } from './helpers/backends.js';

const HUGE = 2 ** 20;

itOnEveryKernelBackend(['float32'], 'empty work over 2^40 nominal planes returns at once', () => {
  const none = new Float32Array(0);
  const noIndex = new Int32Array(0);
  const sentinel = new Float32Array([7]);
  // im2col and col2im: 2^40 planes with an empty kernel, or of empty rows.
  const g = [HUGE, HUGE, 1, 0, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0] as const;
  expect(dispatch('im2col', ...g, none, 0, 0, 0, 0, none, 0)).toBe(true);
  expect(dispatch('col2im', ...g, none, none, 0, 0, 0, 0)).toBe(true);
  // Box sums of 2^40 planes with no outputs, and spreads onto empty planes.
  const cols = Int32Array.from([0, 1, 1, 2]);
  expect(dispatch('boxSum', HUGE * HUGE, 0, 4, 0, 2, none, none, noIndex, cols)).toBe(true);
  expect(dispatch('boxSpread', HUGE * HUGE, 0, 4, 0, 2, none, none, noIndex, cols)).toBe(true);
  // Selections and extrema over 2^40 rows of nothing.
  expect(dispatch('indexSelect', HUGE * HUGE, 3, 0, 2, none, Int32Array.from([0, 2]), none)).toBe(
    true,
  );
  expect(dispatch('indexAdd', HUGE * HUGE, 3, 0, 2, none, Int32Array.from([0, 2]), none)).toBe(
    true,
  );
  expect(dispatch('extremumIndices', 'max', HUGE * HUGE, 3, 0, none, none, noIndex)).toBe(true);
  expect(sentinel[0]).toBe(7);
});
