/**
 * The tour's figures, drawn by Observable Plot (the explorer's plotting library) in Node: Plot
 * builds SVG through a `document`, which linkedom provides. Each figure is one standalone SVG
 * string (it is also written as a .svg file), so its legend is drawn inside the SVG, in a band
 * above the plotting area where no data can be underneath it.
 *
 * Only the CLI imports this module; `import 'nnkit'` never loads Plot or linkedom. Both reach the
 * CLI through ./vendor.ts, which the build bundles into the package.
 */
import * as Plot from './vendor.js';

const { document } = Plot.parseHTML('<!doctype html><html><head></head><body></body></html>');

/** Observable's categorical palette. */
export const PALETTE = [
  '#4269d0',
  '#ff725c',
  '#3ca951',
  '#efb118',
  '#a463f2',
  '#97bbf5',
  '#9c6b4e',
  '#6cc5b0',
];

export interface LegendItem {
  label: string;
  color: string;
  /** How the swatch is drawn. */
  kind?: 'line' | 'dashed' | 'dot' | 'bar';
}

export interface FigureSize {
  width?: number;
  height?: number;
  fontSize?: number;
}

const SWATCH = 22;
const GAP = 16;

/** Width of `s` in pixels at `fontSize`, estimated (Node has no text layout). */
function textWidth(s: string, fontSize: number): number {
  return s.length * fontSize * 0.56;
}

/** Legend rows: items laid out left to right, wrapping at `width`. */
function legendLayout(
  items: readonly LegendItem[],
  left: number,
  width: number,
  fontSize: number,
): { x: number; row: number }[] {
  const out: { x: number; row: number }[] = [];
  let x = left;
  let row = 0;
  for (const it of items) {
    const w = SWATCH + 6 + textWidth(it.label, fontSize);
    if (x > left && x + w > width - 8) {
      x = left;
      row++;
    }
    out.push({ x, row });
    x += w + GAP;
  }
  return out;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A Plot mark (a render function) drawing the title and the legend in the top margin. */
function headerMark(
  title: string,
  items: readonly LegendItem[],
  fontSize: number,
  titleHeight: number,
  rowHeight: number,
): Plot.RenderFunction {
  return (_index, _scales, _values, dims, context) => {
    const doc = context.document;
    const el = (name: string, attrs: Record<string, string | number>): Element => {
      const e = doc.createElementNS(SVG_NS, name);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
      return e;
    };
    const g = el('g', { 'aria-label': 'title and legend' });
    const t = el('text', {
      x: dims.width / 2,
      y: titleHeight * 0.62,
      'text-anchor': 'middle',
      'font-size': fontSize + 2,
      'font-weight': 600,
      fill: 'currentColor',
    });
    t.textContent = title;
    g.appendChild(t);
    const pos = legendLayout(items, dims.marginLeft, dims.width, fontSize);
    items.forEach((it, i) => {
      const y = titleHeight + pos[i].row * rowHeight + rowHeight / 2;
      const x = pos[i].x;
      if (it.kind === 'dot') {
        g.appendChild(el('circle', { cx: x + SWATCH / 2, cy: y, r: 4.5, fill: it.color }));
      } else if (it.kind === 'bar') {
        g.appendChild(
          el('rect', { x: x + 4, y: y - 6, width: SWATCH - 8, height: 12, fill: it.color }),
        );
      } else {
        g.appendChild(
          el('line', {
            x1: x,
            x2: x + SWATCH,
            y1: y,
            y2: y,
            stroke: it.color,
            'stroke-width': 2.5,
            ...(it.kind === 'dashed' ? { 'stroke-dasharray': '5,3' } : {}),
          }),
        );
      }
      const label = el('text', {
        x: x + SWATCH + 6,
        y,
        dy: '0.35em',
        fill: 'currentColor',
        'text-anchor': 'start',
      });
      label.textContent = it.label;
      g.appendChild(label);
    });
    return g as SVGElement;
  };
}

/** Log axes print plain numbers (0.01, 0.3, 10), not SI prefixes (10m, 300m). */
function logTicks(scale: Plot.ScaleOptions | undefined): Plot.ScaleOptions | undefined {
  if (scale?.type !== 'log' || scale.tickFormat) return scale;
  return { ...scale, tickFormat: (d: number) => String(Number(d.toPrecision(12))) };
}

/**
 * Renders a Plot figure to a standalone SVG string: a title and (if given) a legend in a band
 * above the plotting area, then the marks. The SVG has a viewBox, so a page can scale it to its
 * column.
 */
export function renderFigure(
  title: string,
  options: Plot.PlotOptions,
  legend: readonly LegendItem[] = [],
  size: FigureSize = {},
): string {
  const width = size.width ?? 560;
  const height = size.height ?? 340;
  const fontSize = size.fontSize ?? 13;
  const rowHeight = Math.round(fontSize * 1.55);
  const titleHeight = Math.round(fontSize * 2);
  const rows = legend.length
    ? Math.max(...legendLayout(legend, 70, width, fontSize).map((p) => p.row)) + 1
    : 0;
  const marginTop = titleHeight + rows * rowHeight + 8;
  const svg = Plot.plot({
    width,
    height: height + marginTop,
    marginTop,
    marginLeft: 70,
    marginRight: 22,
    marginBottom: 44,
    grid: true,
    style: { fontSize: `${fontSize}px`, fontFamily: 'system-ui, sans-serif', background: 'white' },
    ...options,
    x: logTicks(options.x),
    // The y label runs along the axis: above the frame is the title and legend band.
    y: { labelAnchor: 'center', ...logTicks(options.y) },
    marks: [
      ...(options.marks ?? []),
      // Drawn once over the whole figure, also when the plot is faceted.
      Plot.frame({
        facet: 'super',
        render: headerMark(title, legend, fontSize, titleHeight, rowHeight),
      }),
    ],
    document: document as unknown as Document,
  });
  const html = svg.outerHTML;
  return html.includes('xmlns=') ? html : html.replace(/^<svg/, `<svg xmlns="${SVG_NS}"`);
}

export { Plot };
