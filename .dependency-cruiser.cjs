/**
 * The house rules, checked by `npm run lint` (dependency-cruiser):
 * no import cycle anywhere in src/, and the layers import only downwards:
 *
 *   signature → tensor → kernels → autograd → ops → functional/registry
 *     → nn → io → optim/data → cli
 *
 * Type-only imports are exempt (they vanish at run time); the package root
 * (src/index.ts and the entry files next to it) may import every layer.
 * The registry's docs text (src/registry/docs.ts) is imported only by
 * `registry` (src/registry/public.ts), so pages that do not use it drop it.
 */
const LAYERS = [
  ['signature'],
  ['tensor'],
  ['kernels'],
  ['autograd'],
  ['ops'],
  ['functional', 'registry'],
  ['nn'],
  ['io'],
  ['optim', 'data'],
  ['cli'],
];

const dir = (names) => `^src/(${names.join('|')})/`;

const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.join('-')}`,
  comment: `${layer.join('/')} may not import from the layers above it (${LAYERS.slice(i + 1)
    .flat()
    .join(', ')})`,
  severity: 'error',
  from: { path: dir(layer) },
  to: { path: dir(LAYERS.slice(i + 1).flat()), dependencyTypesNot: ['type-only'] },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle makes load order matter and layers meaningless.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    ...layerRules,
    {
      name: 'registry-docs-off-the-runtime-path',
      comment:
        "The registry's docs text reaches a page only through `registry` (src/registry/public.ts): imported anywhere else, bundlers would ship it to every page.",
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/registry/public\\.ts$' },
      to: { path: '^src/registry/docs\\.ts$', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^src/kernels/.*\\.generated\\.ts$' },
  },
};
