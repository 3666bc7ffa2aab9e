/**
 * The third-party code the CLI draws with, and nothing else: Observable Plot's functions that the
 * figures use, and linkedom's `parseHTML` (Plot builds SVG through a `document`, which Node lacks).
 *
 * `npm run build` bundles this module with its dependencies into one minified
 * `dist/cli/vendor.js` (scripts/build.ts), so the published package needs neither Plot nor
 * linkedom at run time: they are devDependencies. Only the names exported here are bundled; a
 * figure that needs another Plot mark adds it here.
 */
export { barY, dot, frame, line, plot, ruleY } from '@observablehq/plot';
export type { PlotOptions, RenderFunction, ScaleOptions } from '@observablehq/plot';
export { parseHTML } from 'linkedom';
