/**
 * The tour's and the activation gallery's line chart, drawn with Observable Plot
 * (./figure.ts). The signature is unchanged from the hand-written SVG it replaces.
 */
import { PALETTE, Plot, renderFigure } from './figure.js';

export interface Series {
  label: string;
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  color?: string;
  dashed?: boolean;
}

export interface ChartOptions {
  title: string;
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
  /** Fixed y range; by default the finite data's range. */
  yRange?: [number, number];
  /** Draw the y axis on a log10 scale (values ≤ 0 are skipped). */
  logY?: boolean;
  /** Draw the x axis on a log10 scale. */
  logX?: boolean;
  /** Font size of ticks and labels in pixels (default 13). */
  fontSize?: number;
}

interface Point {
  x: number;
  y: number;
}

/** The points of a series, NaN where a value is missing so that the line breaks there. */
export function seriesPoints(s: Series, logY = false): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < s.xs.length; i++) {
    const x = s.xs[i];
    const y = s.ys[i];
    const ok = Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0);
    out.push({ x, y: ok ? y : NaN });
  }
  return out;
}

export const colorOf = (s: Series, k: number): string => s.color ?? PALETTE[k % PALETTE.length];

/**
 * Series as lines with labelled axes, a title and a legend above the plot. Non-finite points
 * break the line instead of distorting the scale: `lineChart({ title: 'relu', xLabel: 'x' },
 * [{ label: 'f', xs, ys }])`.
 */
export function lineChart(opts: ChartOptions, series: readonly Series[]): string {
  const lines = series.map((s, k) =>
    Plot.line(seriesPoints(s, opts.logY), {
      x: 'x',
      y: 'y',
      stroke: colorOf(s, k),
      strokeWidth: 2,
      strokeDasharray: s.dashed ? '6,4' : undefined,
    }),
  );
  return renderFigure(
    opts.title,
    {
      x: { label: opts.xLabel ?? null, type: opts.logX ? 'log' : 'linear' },
      y: {
        label: opts.yLabel ?? null,
        type: opts.logY ? 'log' : 'linear',
        domain: opts.yRange,
        nice: !opts.yRange,
        clamp: Boolean(opts.yRange),
      },
      marks: [...(opts.logY ? [] : [Plot.ruleY([0], { stroke: '#bbb' })]), ...lines],
    },
    series.map((s, k) => ({
      label: s.label,
      color: colorOf(s, k),
      kind: s.dashed ? 'dashed' : 'line',
    })),
    { width: opts.width, height: opts.height, fontSize: opts.fontSize },
  );
}
