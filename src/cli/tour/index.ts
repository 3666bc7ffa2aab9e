/**
 * The tour: runs every section, each demonstrating one of the lecture's
 * claims with measured numbers, and collects the results.
 */
import { dyingRelu } from './dying-relu.js';
import { robustRegression } from './robust-regression.js';
import { imbalance } from './imbalance.js';
import { temperature } from './temperature.js';
import { learnable } from './learnable.js';
import { adaptiveSoftmax } from './adaptive-softmax.js';
import { gallery } from './gallery.js';
import type { Section, SectionResult, TourContext } from './types.js';

export type { Section, SectionResult, TourContext, Figure, Table } from './types.js';

/** The sections in report order, by short name (for `--only`). */
export const SECTIONS: readonly (readonly [string, Section])[] = [
  ['dying-relu', dyingRelu],
  ['robust-regression', robustRegression],
  ['class-imbalance', imbalance],
  ['softmax-temperature', temperature],
  ['learnable-activations', learnable],
  ['adaptive-softmax', adaptiveSoftmax],
  ['activation-gallery', gallery],
];

/** Runs the chosen sections (all by default) in order, timing each. */
export function runTour(ctx: TourContext, only?: readonly string[]): SectionResult[] {
  const unknown = (only ?? []).filter((n) => !SECTIONS.some(([id]) => id === n));
  if (unknown.length) {
    throw new Error(
      `tour: unknown section ${unknown.join(', ')}; known: ${SECTIONS.map(([id]) => id).join(', ')}`,
    );
  }
  return SECTIONS.filter(([id]) => !only?.length || only.includes(id)).map(([, section]) => {
    const t0 = performance.now();
    const r = section(ctx);
    return { ...r, seconds: (performance.now() - t0) / 1000 };
  });
}
