/** The activation gallery (src/cli/activations-gallery.ts) as a section of the tour. */
import { GALLERY, galleryTable, gallerySvgs } from '../activations-gallery.js';
import type { Section } from './types.js';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const gallery: Section = (ctx) => {
  const bar = ctx.progress('gallery: every activation', 1);
  const table = galleryTable();
  const svgs = gallerySvgs(ctx.quick ? 101 : 401);
  bar.finish();
  return {
    id: 'activation-gallery',
    title: 'Gallery: every activation, its value and its gradient',
    claim:
      'Every activation nnkit provides, with values and autograd gradients at the kinks and beyond.',
    holds: svgs.length === GALLERY.length,
    evidence: `${GALLERY.length} activations tabulated and drawn`,
    setup: [
      'f(x) and the autograd gradient f′(x) in float64 at a few points (kinks included), and each curve on [−4, 4] with its derivative (dashed).',
    ],
    tables: [],
    figures: svgs.map((s) => ({ file: s.file, caption: s.name, svg: s.svg })),
    metrics: { activations: GALLERY.length },
    html: `<pre class="gallery">${esc(table)}</pre>`,
  };
};
