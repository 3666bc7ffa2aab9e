/**
 * The two chart kinds the tour needs beyond `../svg.ts`'s line chart: points
 * with fitted lines over them, and grouped bars.
 */
import type { Series } from '../svg.js';

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf'];
const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const W = 480;
const H = 300;
const M = { l: 56, r: 16, t: 32, b: 44 };

function ticks(lo: number, hi: number, count = 5): number[] {
  const step0 = (hi - lo || 1) / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? mag * 10;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-12; t += step)
    out.push(Number(t.toPrecision(12)));
  return out;
}

function frame(title: string, xLabel: string, yLabel: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13" font-weight="bold">${esc(title)}</text>`,
    `<text x="${W / 2}" y="${H - 8}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text x="12" y="${H / 2}" text-anchor="middle" transform="rotate(-90 12 ${H / 2})">${esc(yLabel)}</text>`,
  ];
}

function legend(parts: string[], labels: { label: string; color: string; dot?: boolean }[]): void {
  labels.forEach((s, k) => {
    const y = M.t + 12 + 14 * k;
    parts.push(
      s.dot
        ? `<circle cx="${M.l + 17}" cy="${y}" r="3" fill="${s.color}" fill-opacity="0.5"/>`
        : `<line x1="${M.l + 8}" y1="${y}" x2="${M.l + 26}" y2="${y}" stroke="${s.color}" stroke-width="2"/>`,
    );
    parts.push(`<text x="${M.l + 30}" y="${y + 4}">${esc(s.label)}</text>`);
  });
}

/** Scattered points (grey) with line series drawn over them. */
export function scatterLineChart(
  opts: { title: string; xLabel: string; yLabel: string; pointsLabel: string },
  points: { xs: ArrayLike<number>; ys: ArrayLike<number> },
  lines: readonly Series[],
): string {
  const all = [points, ...lines];
  const xsAll = all.flatMap((s) => Array.from(s.xs));
  const ysAll = all.flatMap((s) => Array.from(s.ys));
  const [x0, x1] = [Math.min(...xsAll), Math.max(...xsAll)];
  const pad = (Math.max(...ysAll) - Math.min(...ysAll) || 1) * 0.05;
  const [y0, y1] = [Math.min(...ysAll) - pad, Math.max(...ysAll) + pad];
  const px = (x: number): number => M.l + ((x - x0) / (x1 - x0 || 1)) * (W - M.l - M.r);
  const py = (y: number): number => H - M.b - ((y - y0) / (y1 - y0 || 1)) * (H - M.t - M.b);
  const parts = frame(opts.title, opts.xLabel, opts.yLabel);
  for (const t of ticks(x0, x1))
    parts.push(`<text x="${px(t)}" y="${H - M.b + 14}" text-anchor="middle">${t}</text>`);
  for (const t of ticks(y0, y1)) {
    parts.push(`<line x1="${M.l}" y1="${py(t)}" x2="${W - M.r}" y2="${py(t)}" stroke="#eee"/>`);
    parts.push(`<text x="${M.l - 4}" y="${py(t) + 4}" text-anchor="end">${t}</text>`);
  }
  parts.push(
    `<rect x="${M.l}" y="${M.t}" width="${W - M.l - M.r}" height="${H - M.t - M.b}" fill="none" stroke="#888"/>`,
  );
  for (let i = 0; i < points.xs.length; i++) {
    parts.push(
      `<circle cx="${px(points.xs[i]).toFixed(1)}" cy="${py(points.ys[i]).toFixed(1)}" r="2.2" fill="#777" fill-opacity="0.45"/>`,
    );
  }
  const labels: { label: string; color: string; dot?: boolean }[] = [
    { label: opts.pointsLabel, color: '#777', dot: true },
  ];
  lines.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length];
    let d = '';
    for (let i = 0; i < s.xs.length; i++)
      d += `${i ? 'L' : 'M'}${px(s.xs[i]).toFixed(1)},${py(s.ys[i]).toFixed(1)}`;
    parts.push(
      `<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5,3"' : ''}/>`,
    );
    labels.push({ label: s.label, color });
  });
  legend(parts, labels);
  parts.push('</svg>');
  return parts.join('\n');
}

/** Grouped bars: one group per category, one bar per series; values in [0, yMax]. */
export function barChart(
  opts: { title: string; xLabel: string; yLabel: string; yMax?: number },
  categories: readonly string[],
  series: readonly { label: string; values: readonly number[] }[],
): string {
  const yMax = opts.yMax ?? Math.max(...series.flatMap((s) => s.values)) * 1.1;
  const parts = frame(opts.title, opts.xLabel, opts.yLabel);
  const plotW = W - M.l - M.r;
  const py = (y: number): number => H - M.b - (y / (yMax || 1)) * (H - M.t - M.b);
  for (const t of ticks(0, yMax)) {
    parts.push(`<line x1="${M.l}" y1="${py(t)}" x2="${W - M.r}" y2="${py(t)}" stroke="#eee"/>`);
    parts.push(`<text x="${M.l - 4}" y="${py(t) + 4}" text-anchor="end">${t}</text>`);
  }
  const groupW = plotW / categories.length;
  const barW = (groupW * 0.8) / series.length;
  categories.forEach((c, i) => {
    const gx = M.l + i * groupW + groupW * 0.1;
    series.forEach((s, k) => {
      const v = s.values[i];
      parts.push(
        `<rect x="${(gx + k * barW).toFixed(1)}" y="${py(v).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${(py(0) - py(v)).toFixed(1)}" fill="${PALETTE[k % PALETTE.length]}"/>`,
      );
    });
    parts.push(
      `<text x="${(gx + groupW * 0.4).toFixed(1)}" y="${H - M.b + 14}" text-anchor="middle">${esc(c)}</text>`,
    );
  });
  parts.push(
    `<rect x="${M.l}" y="${M.t}" width="${plotW}" height="${H - M.t - M.b}" fill="none" stroke="#888"/>`,
  );
  legend(
    parts,
    series.map((s, k) => ({ label: s.label, color: PALETTE[k % PALETTE.length] })),
  );
  parts.push('</svg>');
  return parts.join('\n');
}
