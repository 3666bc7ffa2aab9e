/**
 * The house rules, checked by `npm run lint` (dependency-cruiser):
 * no import cycle anywhere in src/, and the layers import only downwards:
 *
 *   signature → tensor → kernels → autograd → ops → functional/registry
 *     → nn → io → optim/data → cli
 *
 * Type-only imports are exempt (they vanish at run time); the package root
 * (src/index.ts and the entry files next to it) may import every layer.
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
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^src/kernels/.*\\.generated\\.ts$' },
  },
};
