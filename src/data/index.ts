/**
 * Data utilities: PyTorch's `DataLoader` pipeline (`TensorDataset`, samplers,
 * `defaultCollate`), the lecture's minibatch samplers and the
 * balanced-then-fine-tune training recipe.
 */
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
export {
  DataLoader,
  TensorDataset,
  SequentialSampler,
  RandomSampler,
  BatchSampler,
  defaultCollate,
  Subset,
  randomSplit,
  type Batch,
  type Collated,
  type Dataset,
  type DataLoaderOptions,
  type RandomSamplerOptions,
} from './loader.js';
