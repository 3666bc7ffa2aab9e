/**
 * The `autograd` namespace: PyTorch's `torch.autograd.backward` and
 * `torch.autograd.grad`.
 */
export { backward, grad, type Tensors, type RootGradient } from './api.js';
