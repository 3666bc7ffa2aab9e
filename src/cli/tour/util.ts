/** Shared helpers for the tour sections: data generation, formatting, tables. */
import { Generator } from '../../tensor/random.js';
import { manualSeed } from '../../tensor/random.js';
import type { Table } from './types.js';

/** A generator for section `k`'s data, derived from the base seed. */
export function sectionGenerator(seed: number, k: number): Generator {
  // Also fixes the global generator, which parameter initialisation uses.
  manualSeed(seed * 7919 + k * 104729 + 1);
  return new Generator(seed * 15485863 + k * 32452843 + 7);
}

/** Formats a number compactly for tables: 4 significant digits, exponent when tiny or huge. */
export function fmt(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(digits - 1);
  return Number(v.toPrecision(digits)).toString();
}

export function pct(v: number): string {
  return `${(100 * v).toFixed(1)}%`;
}

/** A plain-text table with aligned columns. */
export function textTable(t: Table): string {
  const cells = [
    t.columns,
    ...t.rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c))),
  ];
  const widths = t.columns.map((_c, j) => Math.max(...cells.map((r) => String(r[j] ?? '').length)));
  const line = (r: (string | number)[]): string =>
    r
      .map((c, j) => (j === 0 ? String(c).padEnd(widths[j]) : String(c).padStart(widths[j])))
      .join('  ');
  return [
    line(cells[0]),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Milliseconds of wall-clock time of `fn`. */
export function timeIt<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}
