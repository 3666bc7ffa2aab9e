/** A small dependency-free SVG line chart for the tour and the activation gallery. */

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
  /** Fixed y range; by default the finite data's range with 5% padding. */
  yRange?: [number, number];
  /** Draw the y axis on a log10 scale (values ≤ 0 are skipped). */
  logY?: boolean;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf'];

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function niceTicks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo || 1;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? mag * 10;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-12; t += step)
    ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/**
 * Renders series as polylines with axes, ticks, a title and a legend.
 * Non-finite points break the line instead of distorting the scale.
 * @example lineChart({ title: 'relu', xLabel: 'x' }, [{ label: 'f', xs, ys }])
 */
export function lineChart(opts: ChartOptions, series: readonly Series[]): string {
  const W = opts.width ?? 480;
  const H = opts.height ?? 300;
  const m = { l: 56, r: 16, t: 32, b: 44 };
  const tf = (v: number): number => (opts.logY ? (v > 0 ? Math.log10(v) : NaN) : v);
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.xs.length; i++) {
      const x = s.xs[i];
      const y = tf(s.ys[i]);
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      xMin = Math.min(xMin, x);
      xMax = Math.max(xMax, x);
      yMin = Math.min(yMin, y);
      yMax = Math.max(yMax, y);
    }
  }
  if (!Number.isFinite(xMin)) [xMin, xMax, yMin, yMax] = [0, 1, 0, 1];
  if (opts.yRange) [yMin, yMax] = opts.yRange.map(tf) as [number, number];
  else {
    const pad = (yMax - yMin || 1) * 0.05;
    yMin -= pad;
    yMax += pad;
  }
  const px = (x: number): number => m.l + ((x - xMin) / (xMax - xMin || 1)) * (W - m.l - m.r);
  const py = (y: number): number => H - m.b - ((y - yMin) / (yMax - yMin || 1)) * (H - m.t - m.b);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13" font-weight="bold">${esc(opts.title)}</text>`,
  ];
  for (const t of niceTicks(xMin, xMax)) {
    parts.push(`<line x1="${px(t)}" y1="${m.t}" x2="${px(t)}" y2="${H - m.b}" stroke="#eee"/>`);
    parts.push(`<text x="${px(t)}" y="${H - m.b + 14}" text-anchor="middle">${t}</text>`);
  }
  for (const t of niceTicks(yMin, yMax)) {
    const label = opts.logY ? `1e${t}` : String(t);
    parts.push(`<line x1="${m.l}" y1="${py(t)}" x2="${W - m.r}" y2="${py(t)}" stroke="#eee"/>`);
    parts.push(`<text x="${m.l - 4}" y="${py(t) + 4}" text-anchor="end">${label}</text>`);
  }
  parts.push(
    `<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#888"/>`,
  );
  if (opts.xLabel)
    parts.push(`<text x="${W / 2}" y="${H - 8}" text-anchor="middle">${esc(opts.xLabel)}</text>`);
  if (opts.yLabel) {
    parts.push(
      `<text x="12" y="${H / 2}" text-anchor="middle" transform="rotate(-90 12 ${H / 2})">${esc(opts.yLabel)}</text>`,
    );
  }
  series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length];
    let d = '';
    let pen = false;
    for (let i = 0; i < s.xs.length; i++) {
      const y = tf(s.ys[i]);
      if (!Number.isFinite(s.xs[i]) || !Number.isFinite(y)) {
        pen = false;
        continue;
      }
      const yc = Math.min(Math.max(py(y), m.t - 2), H - m.b + 2);
      d += `${pen ? 'L' : 'M'}${px(s.xs[i]).toFixed(1)},${yc.toFixed(1)}`;
      pen = true;
    }
    const dash = s.dashed ? ' stroke-dasharray="5,3"' : '';
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8"${dash}/>`);
    parts.push(
      `<line x1="${m.l + 8}" y1="${m.t + 12 + 14 * k}" x2="${m.l + 26}" y2="${m.t + 12 + 14 * k}" stroke="${color}" stroke-width="2"${dash}/>`,
    );
    parts.push(`<text x="${m.l + 30}" y="${m.t + 16 + 14 * k}">${esc(s.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
