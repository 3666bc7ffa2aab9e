/**
 * The two chart kinds the tour needs beyond `../svg.ts`'s line chart: points with fitted lines
 * over them, and grouped bars. Drawn with Observable Plot (../figure.ts); signatures unchanged.
 */
import { PALETTE, Plot, renderFigure, type LegendItem } from '../figure.js';
import { colorOf, seriesPoints, type Series } from '../svg.js';

/** Scattered points (grey) with line series drawn over them. */
export function scatterLineChart(
  opts: { title: string; xLabel: string; yLabel: string; pointsLabel: string },
  points: { xs: ArrayLike<number>; ys: ArrayLike<number> },
  lines: readonly Series[],
): string {
  const pts = Array.from(points.xs, (x, i) => ({ x, y: points.ys[i] }));
  const legend: LegendItem[] = [
    { label: opts.pointsLabel, color: '#777', kind: 'dot' },
    ...lines.map((s, k) => ({
      label: s.label,
      color: colorOf(s, k),
      kind: s.dashed ? ('dashed' as const) : ('line' as const),
    })),
  ];
  return renderFigure(
    opts.title,
    {
      x: { label: opts.xLabel },
      y: { label: opts.yLabel, nice: true },
      marks: [
        Plot.dot(pts, { x: 'x', y: 'y', r: 2.5, fill: '#777', fillOpacity: 0.45 }),
        ...lines.map((s, k) =>
          Plot.line(seriesPoints(s), {
            x: 'x',
            y: 'y',
            stroke: colorOf(s, k),
            strokeWidth: 2.2,
            strokeDasharray: s.dashed ? '6,4' : undefined,
          }),
        ),
      ],
    },
    legend,
  );
}

/** Grouped bars: one group per category, one bar per series; values in [0, yMax]. */
export function barChart(
  opts: { title: string; xLabel: string; yLabel: string; yMax?: number },
  categories: readonly string[],
  series: readonly { label: string; values: readonly number[] }[],
): string {
  const rows = categories.flatMap((c, i) =>
    series.map((s) => ({ category: c, series: s.label, value: s.values[i] })),
  );
  const labels = series.map((s) => s.label);
  return renderFigure(
    opts.title,
    {
      marginBottom: 56,
      fx: { label: opts.xLabel, domain: [...categories], padding: 0.12, axis: 'bottom' },
      x: { axis: null, domain: labels, padding: 0.08 },
      y: {
        label: opts.yLabel,
        domain: [0, opts.yMax ?? Math.max(...rows.map((r) => r.value)) * 1.1],
      },
      color: { domain: labels, range: PALETTE },
      marks: [
        Plot.barY(rows, { fx: 'category', x: 'series', y: 'value', fill: 'series' }),
        Plot.ruleY([0]),
      ],
    },
    labels.map((label, k) => ({ label, color: PALETTE[k % PALETTE.length], kind: 'bar' })),
  );
}
