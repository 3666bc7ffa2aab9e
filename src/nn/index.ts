/** Module classes, `nn`: PyTorch's `torch.nn` class names verbatim. */
export { Module, Parameter } from './module.js';
export {
  RemovableHandle,
  type ForwardHook,
  type ForwardInput,
  type ForwardOutput,
  type ForwardPreHook,
  type FullBackwardHook,
  type WithForward,
} from './hooks.js';
export { FunctionModule } from './function-module.js';
export * from './modules.generated.js';
export * from './container.js';
export * from './keyed-containers.js';
export * from './linear.js';
export * from './bilinear.js';
export * from './conv.js';
export * from './pool.js';
export * from './embedding.js';
export * from './adaptive.js';
export * from './chebyshev.js';
export * as utils from './utils/index.js';
export * as init from './init.js';
export * from './multihead-attention.js';
export * from './batchnorm.js';
export * from './instancenorm.js';
export * from './shape-modules.js';
export * from './padding.js';
export * from './upsample.js';
export * from './deprecated.js';
export {
  RNNBase,
  RNN,
  LSTM,
  GRU,
  type RNNBaseOptions,
  type RNNOptions,
  type LSTMOptions,
} from './rnn.js';
export { RNNCellBase, RNNCell, LSTMCell, GRUCell, type RNNCellOptions } from './rnn-cell.js';
export type { RnnMode } from './rnn-math.js';
export {
  TransformerEncoderLayer,
  TransformerDecoderLayer,
  TransformerEncoder,
  TransformerDecoder,
  Transformer,
  type TransformerActivation,
  type ActivationModule,
  type TransformerLayerOptions,
  type TransformerLayerArgs,
  type TransformerDecoderMasks,
  type TransformerOptions,
  type TransformerMasks,
} from './transformer.js';
