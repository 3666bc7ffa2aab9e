/**
 * The `im2col` and `col2im` kernels of every backend against an
 * element-by-element reference written from their declarations: geometries
 * with padding on either side, strides, dilation, windows that reach past
 * the planes (ceil mode), stride 0; F.unfold's columns layout and the
 * transposed rows layout; float32 and float64, one thread and two. im2col
 * copies, so it must be exact; col2im must add each element's taps in
 * PyTorch's order (taps outer, windows inner), so its float32 sums are
 * compared bit for bit too. Then the addon's contract: arrays too short for
 * the declared layout, and geometries too large for its index arithmetic,
 * throw before anything is written.
 */
import { describe, expect, it } from 'vitest';
import '../src/index.js';
import { dispatch } from '../src/kernels/backend.js';
import { nativeAddon } from '../src/kernels/native/index.js';
import type { Floats } from '../src/kernels/js/types.js';
import { filledArray, itOnEveryKernelBackend } from './helpers/backends.js';

/** batch, channels, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow */
type Geometry = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

const GEOMETRIES: Geometry[] = [
  [2, 3, 8, 9, 3, 3, 1, 1, 1, 1, 1, 1, 8, 9], // 'same' padding
  [1, 4, 7, 10, 2, 3, 2, 3, 0, 2, 2, 1, 3, 4], // strides, dilation, padding in w only
  [3, 2, 5, 5, 3, 3, 2, 2, 1, 1, 1, 1, 3, 3], // overlapping windows
  [1, 2, 5, 6, 2, 2, 2, 2, 0, 0, 1, 1, 3, 3], // the last windows reach past the planes (ceil)
  [2, 1, 1, 12, 1, 4, 1, 2, 0, 3, 1, 1, 1, 7], // one row: a 1-D geometry
  [1, 2, 4, 4, 2, 2, 0, 1, 0, 0, 1, 1, 3, 2], // stride 0: every window at the same row
  [1, 3, 3, 3, 3, 3, 1, 1, 5, 5, 1, 1, 2, 2], // windows entirely in the padding
  // Sizes for the wasm backend's passes through its scratch region (src/kernels/wasm/windows.ts):
  [2, 20, 12, 12, 5, 5, 1, 1, 2, 2, 1, 1, 12, 12], // 13 planes a pass, the last pass shorter
  [1, 2, 64, 64, 5, 5, 1, 1, 2, 2, 1, 1, 64, 64], // a plane's columns in groups of 12, 12, 1 taps
  [1, 1, 130, 130, 3, 3, 2, 2, 1, 1, 1, 1, 65, 65], // a plane larger than a tile (declined)
];

type Layout = 'columns' | 'rows';

/** The strides (sN, sC, sK, sL) of a layout. */
function strides(g: Geometry, layout: Layout): [number, number, number, number] {
  const [, channels, , , kh, kw, , , , , , , oh, ow] = g;
  const k = kh * kw;
  const l = oh * ow;
  return layout === 'columns'
    ? [channels * k * l, k * l, l, 1]
    : [l * channels * k, k, 1, channels * k];
}

/** Every (column index, plane index or -1) pair, in col2im's order of addition per plane. */
function* taps(g: Geometry, layout: Layout): Generator<[number, number]> {
  const [batch, channels, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow] = g;
  const [sN, sC, sK, sL] = strides(g, layout);
  for (let n = 0; n < batch; n++)
    for (let c = 0; c < channels; c++)
      for (let a = 0; a < kh; a++)
        for (let b = 0; b < kw; b++)
          for (let y = 0; y < oh; y++)
            for (let z = 0; z < ow; z++) {
              const i = y * sh - ph + a * dh;
              const j = z * sw - pw + b * dw;
              const col = n * sN + c * sC + (a * kw + b) * sK + (y * ow + z) * sL;
              const inside = i >= 0 && i < h && j >= 0 && j < w;
              yield [col, inside ? ((n * channels + c) * h + i) * w + j : -1];
            }
}

const filled = (kind: 'float32' | 'float64', n: number, seed: number): Floats =>
  filledArray(kind, n, (i) => Math.sin(i * 1.7 + seed) * 100 + i / 13) as Floats;

function columnsLength(g: Geometry): number {
  const [batch, channels, , , kh, kw, , , , , , , oh, ow] = g;
  return batch * channels * kh * kw * oh * ow;
}

describe('im2col and col2im on every backend', () => {
  itOnEveryKernelBackend(['float32', 'float64'], 'every geometry and layout', (kind) => {
    for (const g of GEOMETRIES) {
      const [batch, channels, h, w] = g;
      for (const layout of ['columns', 'rows'] as const) {
        const what = `${JSON.stringify(g)} ${layout}`;
        const s = strides(g, layout);
        const x = filled(kind, batch * channels * h * w, 1);
        const cols = filled(kind, columnsLength(g), 2).fill(NaN);
        dispatch('im2col', ...g, cols, ...s, x, -7.5);
        for (const [col, at] of taps(g, layout)) {
          const want = at < 0 ? -7.5 : x[at];
          if (!Object.is(cols[col], want)) {
            expect.fail(`${what}: im2col column element ${col} is ${cols[col]}, want ${want}`);
          }
        }
        const grads = filled(kind, columnsLength(g), 3);
        const dx = filled(kind, x.length, 4); // col2im must overwrite it
        dispatch('col2im', ...g, dx, grads, ...s);
        const want = filledArray(kind, x.length, () => 0);
        for (const [col, at] of taps(g, layout)) if (at >= 0) want[at] += grads[col];
        for (let i = 0; i < want.length; i++) {
          if (!Object.is(dx[i], want[i])) {
            expect.fail(`${what}: col2im element ${i} is ${dx[i]}, want ${want[i]}`);
          }
        }
      }
    }
  });

  it.runIf(nativeAddon)('the addon refuses short arrays and oversized geometry', () => {
    const addon = nativeAddon as unknown as {
      im2col(...args: unknown[]): boolean;
      col2im(...args: unknown[]): boolean;
    };
    const g: Geometry = [1, 2, 4, 4, 2, 2, 1, 1, 0, 0, 1, 1, 3, 3];
    const s = strides(g, 'columns');
    const x = new Float32Array(32);
    const cols = new Float32Array(72);
    expect(addon.im2col(...g, cols, ...s, x, 0)).toBe(true);
    expect(() => addon.im2col(...g, cols.subarray(1), ...s, x, 0)).toThrow(
      /kernel im2col: out holds 71 elements, needs .* = 72/,
    );
    expect(() => addon.im2col(...g, cols, ...s, x.subarray(1), 0)).toThrow(
      'kernel im2col: x holds 31 elements, needs batch*channels*h*w = 32',
    );
    expect(() => addon.col2im(...g, x, cols.subarray(1), ...s)).toThrow(
      /kernel col2im: cols holds 71 elements/,
    );
    // A stride of 2^31 would overflow the signed index arithmetic: refused.
    const huge: Geometry = [1, 1, 1, 1, 1, 1, 2 ** 31, 1, 0, 0, 1, 1, 1, 1];
    const one = new Float32Array(1);
    expect(() => addon.im2col(...huge, one, 1, 1, 1, 1, one, 0)).toThrow(/im2col.*geometry/);
    expect(() => addon.col2im(...huge, one, one, 1, 1, 1, 1)).toThrow(/col2im.*geometry/);
  });
});
