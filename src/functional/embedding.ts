/**
 * `F.embedding`, as `torch.nn.functional.embedding`: the rows of `weight`
 * that `input`'s indices name, with PyTorch's padding row, max-norm
 * renormalisation (in place, before the lookup) and gradient scaling by
 * frequency. `nn.Embedding.forward` is this function on its own weight.
 * Signature and docs: src/registry/linear.ts.
 */
import type { Tensor } from '../tensor/tensor.js';
import { isFloating } from '../tensor/dtype.js';
import { describeValue, isTensor } from '../signature/types.js';
import { noGrad } from '../autograd/grad-mode.js';
import { embeddingLookup } from '../ops/embedding.js';
import { fail } from './validate.js';

/** The arguments of `F.embedding`, as bound. */
export interface EmbeddingArgs {
  input: Tensor;
  weight: Tensor;
  paddingIdx: number | null;
  maxNorm: number | null;
  normType: number;
  scaleGradByFreq: boolean;
  sparse: boolean;
}

/** `F.embedding` (`fn` names the caller in errors: `embedding`, `Embedding.forward`). */
export function embeddingImpl(a: EmbeddingArgs, fn = 'embedding'): Tensor {
  const { input, weight } = a;
  if (!isTensor(input) || input.dtype !== 'int32') {
    fail(
      fn,
      `input must be an int32 tensor of indices, got ${isTensor(input) ? input.dtype : describeValue(input)}`,
    );
  }
  if (weight.ndim !== 2 || !isFloating(weight.dtype)) {
    fail(fn, `weight must be a 2-D floating-point tensor (num_embeddings, embedding_dim)`);
  }
  const n = weight.shape[0];
  let padding = a.paddingIdx;
  if (padding !== null) {
    if (padding >= n || padding < -n) {
      fail(fn, `paddingIdx ${padding} must be within the ${n} embeddings`);
    }
    if (padding < 0) padding += n;
  }
  if (a.sparse) fail(fn, 'sparse gradients are not supported (sparse: true)');
  const idx = input.contiguous().data as Int32Array;
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] < 0 || idx[i] >= n) fail(fn, `index ${idx[i]} is out of range for ${n} embeddings`);
  }
  if (a.maxNorm !== null) renorm(weight, idx, a.maxNorm, a.normType);
  return embeddingLookup(weight, input, padding ?? -1, a.scaleGradByFreq);
}

/**
 * ATen's `embedding_renorm_`: each distinct row looked up whose norm
 * exceeds `maxNorm` is scaled in place by `maxNorm / (norm + 1e-7)`.
 */
function renorm(w: Tensor, idx: Int32Array, maxNorm: number, normType: number): void {
  const seen = new Set(idx);
  noGrad(() => {
    for (const k of [...seen].sort((x, y) => x - y)) {
      const row = w.narrow(0, k, 1);
      const v = row.contiguous().data;
      let acc = 0;
      for (let j = 0; j < v.length; j++) acc += Math.abs(v[j]) ** normType;
      const norm = acc ** (1 / normType);
      if (norm > maxNorm) row.mul_(maxNorm / (norm + 1e-7));
    }
  });
}
