/**
 * `F.oneHot`, as `torch.nn.functional.one_hot`: each index becomes a row of
 * zeros with a one at that index. Signature and docs: src/registry/linear.ts.
 */
import { Tensor } from '../tensor/tensor.js';
import { allocZeroed } from '../tensor/dtype.js';
import { describeValue, isTensor } from '../signature/types.js';
import { fail } from './validate.js';

/** The arguments of `F.oneHot`, as bound. */
export interface OneHotArgs {
  input: Tensor;
  numClasses: number;
}

/** `F.oneHot`: an int32 tensor of the input's shape followed by the number of classes. */
export function oneHotImpl({ input, numClasses }: OneHotArgs): Tensor {
  if (!isTensor(input) || input.dtype !== 'int32') {
    fail(
      'oneHot',
      `input must be an int32 tensor of class indices, got ${isTensor(input) ? input.dtype : describeValue(input)}`,
    );
  }
  const idx = input.contiguous().data as Int32Array;
  // PyTorch's checks, in its order: an empty input cannot tell the count, even when told 0.
  if (idx.length === 0 && numClasses <= 0) {
    fail('oneHot', 'cannot infer the number of classes from an empty tensor (pass numClasses > 0)');
  }
  let max = -1;
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] < 0) fail('oneHot', `class values must be non-negative, got ${idx[i]}`);
    if (idx[i] > max) max = idx[i];
  }
  const classes = numClasses === -1 ? max + 1 : numClasses;
  if (max >= classes) {
    fail('oneHot', `class values must be smaller than numClasses (${classes}), got ${max}`);
  }
  const out = allocZeroed('int32', idx.length * classes);
  for (let i = 0; i < idx.length; i++) out[i * classes + idx[i]] = 1;
  return new Tensor(out, [...input.shape, classes]);
}
