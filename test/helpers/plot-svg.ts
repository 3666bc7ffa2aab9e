/**
 * Reads an Observable Plot SVG back into numbers, for tests that check what a figure shows: each
 * line mark's points in pixels, and the map from data to pixels that the axes' tick labels state.
 *
 * Plot draws a line mark as `<g aria-label="line" stroke=… [stroke-dasharray=…]>` holding one
 * `<path d="M…L…">` per series, and tick labels as `<text transform="translate(x,y)">` inside
 * `<g aria-label="x-axis tick label">` (or y), whose own `transform` offsets them from the tick;
 * negative labels use U+2212 (−).
 */
import { DOMParser } from 'linkedom';

export interface PlotLine {
  /** `[x, y]` in pixels, in drawing order; a NaN gap starts a new `M` and is not marked. */
  points: [number, number][];
  dashed: boolean;
  stroke: string | null;
}

export interface PlotReading {
  lines: PlotLine[];
  /** Data → pixels along each axis, fitted to the tick labels (linear scales only). */
  x: (v: number) => number;
  y: (v: number) => number;
  /** The largest distance of a tick from the fitted line, in pixels (≈ 0 for a linear scale). */
  tickResidual: number;
}

const NUM = String.raw`-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;
const NUMBER = new RegExp(NUM, 'g');
/** Absolute moves and straight lines only (Plot's default curve), which read as points. */
const STRAIGHT = new RegExp(`^(?:[ML]${NUM}[ ,]${NUM})*$`);

function translate(el: Element | null): [number, number] {
  const m = el?.getAttribute('transform')?.match(/translate\(([^,)]+),?([^)]*)\)/);
  return m ? [Number(m[1]), Number(m[2] || 0)] : [0, 0];
}

/** Least squares `pixel = a + b·value` through the tick labels of one axis. */
function fitAxis(doc: Document, axis: 'x' | 'y'): { map: (v: number) => number; residual: number } {
  const group = doc.querySelector(`g[aria-label="${axis}-axis tick label"]`);
  if (!group) throw new Error(`no ${axis}-axis tick labels in the SVG`);
  const [gx, gy] = translate(group);
  const ticks = Array.from(group.querySelectorAll('text')).map((t) => {
    const [tx, ty] = translate(t);
    const value = Number((t.textContent ?? '').replace(/\u2212/g, '-').replace(/,/g, ''));
    return { value, pixel: axis === 'x' ? tx + gx : ty + gy };
  });
  if (ticks.length < 2 || ticks.some((t) => !Number.isFinite(t.value))) {
    throw new Error(`unreadable ${axis}-axis tick labels: ${group.outerHTML}`);
  }
  const n = ticks.length;
  const mv = ticks.reduce((s, t) => s + t.value, 0) / n;
  const mp = ticks.reduce((s, t) => s + t.pixel, 0) / n;
  const b =
    ticks.reduce((s, t) => s + (t.value - mv) * (t.pixel - mp), 0) /
    ticks.reduce((s, t) => s + (t.value - mv) ** 2, 0);
  const map = (v: number): number => mp + b * (v - mv);
  const residual = Math.max(...ticks.map((t) => Math.abs(map(t.value) - t.pixel)));
  return { map, residual };
}

/** The line marks and axes of a Plot SVG. */
export function readPlot(svg: string): PlotReading {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml') as unknown as Document;
  const lines = Array.from(doc.querySelectorAll('g[aria-label="line"]')).flatMap((g) =>
    Array.from(g.querySelectorAll('path')).map((path) => {
      const d = path.getAttribute('d') ?? '';
      if (!STRAIGHT.test(d)) {
        throw new Error(`a line path with commands other than M and L: ${d.slice(0, 80)}`);
      }
      const coords = d.match(NUMBER)?.map(Number) ?? [];
      const points: [number, number][] = [];
      for (let i = 0; i + 1 < coords.length; i += 2) points.push([coords[i], coords[i + 1]]);
      const dash = path.getAttribute('stroke-dasharray') ?? g.getAttribute('stroke-dasharray');
      return {
        points,
        dashed: dash !== null && dash !== 'none',
        stroke: path.getAttribute('stroke') ?? g.getAttribute('stroke'),
      };
    }),
  );
  const x = fitAxis(doc, 'x');
  const y = fitAxis(doc, 'y');
  return { lines, x: x.map, y: y.map, tickResidual: Math.max(x.residual, y.residual) };
}
