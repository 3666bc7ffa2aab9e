/**
 * PyTorch 1.13's deprecated module names that are another module under an
 * old name, kept so that old code copied from PyTorch runs.
 */
import { NLLLoss } from './modules.generated.js';

/**
 * `nn.NLLLoss` under its old name, as PyTorch 1.13's deprecated
 * `torch.nn.NLLLoss2d` (which warns and builds an `NLLLoss`; this does not
 * warn). Its arguments, results and gradients are `nn.NLLLoss`'s; it prints
 * as `NLLLoss2d(…)`.
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * const loss = new nn.NLLLoss2d();
 * const logp = tensor([[[[-0.5]], [[-1]]]]); // (N, C, H, W) = (1, 2, 1, 1)
 * console.log(loss.toString(), loss.forward(logp, tensor([[[1]]], { dtype: 'int32' })).item()); // NLLLoss2d() 1
 * ```
 */
export class NLLLoss2d extends NLLLoss {
  // The printed name, kept through minifiers that rename classes.
  override get name(): string {
    return 'NLLLoss2d';
  }
}
