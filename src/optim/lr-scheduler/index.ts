/** Learning-rate schedulers, after `torch.optim.lr_scheduler`. */
export { LRScheduler, type SchedulerStateDict, type StateDictValue } from './scheduler.js';
export { StepLR, type StepLROptions } from './step-lr.js';
export { ExponentialLR, type ExponentialLROptions } from './exponential-lr.js';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './cosine-annealing-lr.js';
export { LambdaLR, type LambdaLROptions, type LrLambda } from './lambda-lr.js';
export {
  OneCycleLR,
  type OneCycleLROptions,
  type OneCyclePhase,
  type GroupKey,
} from './one-cycle-lr.js';
