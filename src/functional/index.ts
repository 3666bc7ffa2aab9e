/**
 * The functional API, `F`: PyTorch's `torch.nn.functional` in camelCase.
 * Every function is generated from its registry entry (src/registry/).
 */
export * from './api.generated.js';
export type { Reduction } from './validate.js';
export type { InterpolateMode } from './interpolate.js';
