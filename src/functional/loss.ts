/**
 * PyTorch's loss functions (`torch.nn.functional.*_loss`) in camelCase.
 * The implementations live in `./loss/`, one file per family.
 */
export type { ReductionOptions } from './loss/common.js';
export * from './loss/pointwise.js';
export * from './loss/cross-entropy.js';
export * from './loss/margin.js';
export * from './loss/probabilistic.js';
export * from './loss/ctc.js';
