/** The functional API, `F`: PyTorch's `torch.nn.functional` in camelCase. */
export * from './activation.js';
export * from './softmax.js';
export * from './loss.js';
export type { Reduction } from './validate.js';
