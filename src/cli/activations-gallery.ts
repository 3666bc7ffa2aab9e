/**
 * The activation gallery: every activation's value and gradient at a few
 * points as a table, and each curve with its derivative as an SVG figure.
 * Gradients come from nnkit's autograd, so the figures show exactly what a
 * training run would see (including the kinks' conventions).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { linspace, tensor } from '../tensor/creation.js';
import { curveVariants } from '../registry/variants.js';
import type { Tensor } from '../tensor/tensor.js';
import { lineChart } from './svg.js';

export interface GalleryEntry {
  name: string;
  /** How it is called, e.g. `F.leakyRelu(x, { negativeSlope: 0.2 })`. */
  call: string;
  fn: (x: Tensor) => Tensor;
}

/** Every elementwise activation's representative calls, from the registry. */
export const GALLERY: readonly GalleryEntry[] = curveVariants().map((v) => ({
  name: v.label,
  call: v.call,
  fn: v.fn,
}));

/** The points of the printed table, kinks included. */
export const TABLE_POINTS = [-3, -1, -0.5, 0, 0.5, 1, 3];

/** Values and autograd gradients of `fn` at `xs` (float64). */
export function valuesAndGradients(
  fn: (x: Tensor) => Tensor,
  xs: readonly number[],
): { y: number[]; dy: number[] } {
  const x = tensor([...xs], { dtype: 'float64', requiresGrad: true });
  const y = fn(x);
  y.sum().backward();
  return { y: Array.from(y.data), dy: Array.from(x.grad?.data ?? []) };
}

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(4)).padStart(8);

/** The gallery as a fixed-width text table: f(x) and f'(x) at TABLE_POINTS. */
export function galleryTable(): string {
  const head = `${'activation'.padEnd(14)} ${''.padEnd(5)}${TABLE_POINTS.map((p) => `x=${p}`.padStart(8)).join(' ')}`;
  const lines = [head, '-'.repeat(head.length)];
  for (const e of GALLERY) {
    const { y, dy } = valuesAndGradients(e.fn, TABLE_POINTS);
    lines.push(`${e.name.padEnd(14)} ${'f'.padEnd(5)}${y.map(fmt).join(' ')}`);
    lines.push(`${''.padEnd(14)} ${"f'".padEnd(5)}${dy.map(fmt).join(' ')}`);
  }
  return lines.join('\n');
}

/** One SVG per activation: the curve and its derivative on [-4, 4]. */
export function gallerySvgs(points = 401): { name: string; file: string; svg: string }[] {
  const xs = Array.from(linspace(-4, 4, points, { dtype: 'float64' }).data);
  return GALLERY.map((e) => {
    const { y, dy } = valuesAndGradients(e.fn, xs);
    const svg = lineChart({ title: e.call, xLabel: 'x', width: 380, height: 250, fontSize: 12 }, [
      { label: 'f(x)', xs, ys: y },
      { label: "f'(x)", xs, ys: dy, dashed: true },
    ]);
    return {
      name: e.name,
      file: `activation-${e.name.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '')}.svg`,
      svg,
    };
  });
}

/** Writes the gallery's SVGs into `dir`; returns the file names. */
export function writeGallery(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return gallerySvgs().map(({ file, svg }) => {
    writeFileSync(join(dir, file), svg);
    return file;
  });
}
