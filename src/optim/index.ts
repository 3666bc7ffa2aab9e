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
export type { StateValue, SavedStateValue, SavedParamGroup } from './state-dict.js';
export { SGD, type SGDOptions, type SGDState } from './sgd.js';
export { Adam, type AdamOptions, type AdamState, type AdamPositional } from './adam.js';
export { AdamW } from './adamw.js';
export { RMSprop, type RMSpropOptions, type RMSpropState } from './rmsprop.js';
export * as lrScheduler from './lr-scheduler/index.js';
export {
  BetaSchedule,
  constantBeta,
  linearBeta,
  exponentialBeta,
  type BetaRampOptions,
} from './temperature.js';
