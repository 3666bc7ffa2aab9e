/** Optimizers (`torch.optim`), learning-rate schedulers and inverse-temperature (β) schedules. */
export {
  Optimizer,
  type OptimizerParams,
  type OptimizerStateDict,
  type ParamGroup,
  type ParamGroupSpec,
  type ParamsArg,
  type SchedulerKeys,
} from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, type AdamOptions } from './adam.js';
export { AdamW } from './adamw.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export * as lrScheduler from './lr-scheduler/index.js';
export {
  BetaSchedule,
  constantBeta,
  linearBeta,
  exponentialBeta,
  type BetaRampOptions,
} from './temperature.js';
