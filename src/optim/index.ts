/** Optimizers (`torch.optim`) and inverse-temperature (β) schedules. */
export { Optimizer, type ParamGroup, type ParamsArg } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, type AdamOptions } from './adam.js';
export {
  BetaSchedule,
  constantBeta,
  linearBeta,
  exponentialBeta,
  type BetaRampOptions,
} from './temperature.js';
