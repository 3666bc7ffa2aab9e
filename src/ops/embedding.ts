/**
 * The embedding lookup, `weight[input]` (forward of `nn.Embedding`, ATen's
 * `embedding`): rows of a `(rows, dim)` weight named by an int32 `input` of
 * any shape, `(*input.shape, dim)`, recorded with the `embedding`
 * derivative (src/autograd/derivatives/indexing.ts). The caller checks the
 * indices' range.
 */
import { Tensor } from '../tensor/tensor.js';
import { recordOp } from '../autograd/derivatives/index.js';

/** `weight[input]`; `paddingIdx` (or −1) gets no gradient; see the derivative for `scaleGradByFreq`. */
export function embeddingLookup(
  weight: Tensor,
  input: Tensor,
  paddingIdx: number,
  scaleGradByFreq: boolean,
): Tensor {
  const idx = input.contiguous().data as Int32Array;
  const dim = weight.shape[1];
  const w = weight.contiguous().data;
  const out = new (w instanceof Float64Array ? Float64Array : Float32Array)(idx.length * dim);
  for (let i = 0; i < idx.length; i++) {
    out.set(w.subarray(idx[i] * dim, idx[i] * dim + dim), i * dim);
  }
  const y = new Tensor(out, [...input.shape, dim]);
  return recordOp(y, 'embedding', [weight], {
    shape: weight.shape,
    indices: idx.slice(),
    paddingIdx,
    scaleGradByFreq,
  });
}
