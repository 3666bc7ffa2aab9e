/** `nn.utils`: helpers after `torch.nn.utils`. */
export { clipGradNorm_, clipGradValue_, type TensorOrTensors } from './clip-grad.js';
export * as rnn from './rnn.js';
