/** Data utilities: minibatch samplers and the balanced-then-fine-tune training recipe. */
export {
  BalancedBatchSampler,
  NaturalBatchSampler,
  type BalancedBatchSamplerOptions,
  type NaturalBatchSamplerOptions,
  type Labels,
} from './sampler.js';
export {
  trainBalancedThenFineTune,
  type BalancedThenFineTuneOptions,
  type PhaseEpochRecord,
  type PhaseStepInfo,
} from './train.js';
