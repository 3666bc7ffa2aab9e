/** Shared settings of the explorer's Observable Plot figures. */
import * as Plot from '@observablehq/plot';

/** Categorical colours (Observable's "observable10", colour-blind friendly enough for ≤ 6). */
export const COLORS = [
  '#4269d0',
  '#ff725c',
  '#3ca951',
  '#efb118',
  '#a463f2',
  '#97bbf5',
  '#9c6b4e',
  '#6cc5b0',
];

/** The options every figure shares: readable type, room for the axis labels. */
export function base(
  width: number,
  height = Math.round(Math.min(360, Math.max(220, width * 0.62))),
) {
  return {
    width,
    height,
    marginLeft: 52,
    marginBottom: 42,
    style: { fontSize: '13px', overflow: 'visible' },
    grid: true,
  } satisfies Plot.PlotOptions;
}

export { Plot };
