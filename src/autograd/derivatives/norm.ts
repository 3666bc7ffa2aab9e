/**
 * The derivative of normalization over the slices of a (batch, outer, size)
 * layout (forward: src/functional/normalization.ts, `normalizeSlices`), on
 * the fused kernels layerNormBackward and layerNormParamGrads.
 */
import { Tensor } from '../../tensor/tensor.js';
import { allocUninit } from '../../tensor/dtype.js';
import type { Shape } from '../../tensor/shape.js';
import { dispatch } from '../../kernels/backend.js';
import type { Floats } from '../../kernels/js/types.js';
import type { Derivative, Derivatives } from './rule.js';

/** What normalizeSlices saves: the contiguous input, the affine tensors, the slices' statistics. */
interface LayerNormContext {
  /** The input, contiguous (version-checked: the backward reads it). */
  x: Tensor;
  /** `size` elements each, contiguous, or null. */
  weight: Tensor | null;
  bias: Tensor | null;
  /** Per slice: mean, rstd = 1/√(var + eps), var. */
  stats: Float64Array;
  /** The (batch, outer, size) layout whose `outer` slices were normalised. */
  batch: number;
  outer: number;
  size: number;
  /** Element j of slice r takes weight `(r mod groups)·(size/run) + ⌊j/run⌋` of `weights`. */
  groups: number;
  run: number;
  weights: number;
  shape: Shape;
  /** Which inputs want a gradient (x, weight, bias). */
  wants: readonly [boolean, boolean, boolean];
}

/** The ops normalizeSlices records, named as PyTorch names their nodes (NativeLayerNormBackward0). */
export interface NormContexts {
  nativeLayerNorm: LayerNormContext;
  nativeBatchNorm: LayerNormContext;
  nativeGroupNorm: LayerNormContext;
}

/** The name normalizeSlices records its op under. */
export type NormOp = keyof NormContexts;

/**
 * `y = x̂·w + b` with `x̂ = (x − mean)·rstd` per slice:
 * `dx = rstd·(g − mean(g) − x̂·mean(g·x̂))` with `g = G·w`;
 * `dw = Σ G·x̂`, `db = Σ G` over the elements each weight scales (for a
 * weight per slice, the sums the backward kernel returns).
 */
const layerNormRule: Derivative<LayerNormContext> = {
  saves: (c) => [c.x, c.weight],
  backward: (grad, c) => {
    const dy = grad.contiguous().data as Floats;
    const x = c.x.data as Floats;
    const [wantX, wantW, wantB] = c.wants;
    const w = (c.weight?.data as Floats | undefined) ?? null;
    const d = allocUninit(grad.dtype, grad.size) as Floats;
    // Per slice: Σ dy and Σ dy·x̂, the bias and weight gradients where a slice has one weight.
    const sums = new Float64Array(2 * c.outer);
    const { batch, outer, size, groups, run, weights } = c;
    dispatch(
      'layerNormBackward',
      batch,
      outer,
      size,
      d,
      dy,
      x,
      groups,
      run,
      weights,
      w,
      c.stats,
      sums,
    );
    const dx = wantX ? new Tensor(d, c.shape) : null;
    let dw: Tensor | null = null;
    let db: Tensor | null = null;
    if ((wantW && c.weight) || (wantB && c.bias)) {
      const pw = allocUninit(grad.dtype, weights) as Floats;
      const pb = allocUninit(grad.dtype, weights) as Floats;
      if (run === size) {
        const sw = new Float64Array(weights);
        const sb = new Float64Array(weights);
        for (let r = 0; r < outer; r++) {
          sw[r % groups] += sums[2 * r + 1];
          sb[r % groups] += sums[2 * r];
        }
        pw.set(sw);
        pb.set(sb);
      } else {
        dispatch(
          'layerNormParamGrads',
          batch,
          outer,
          size,
          groups,
          run,
          weights,
          pw,
          pb,
          dy,
          x,
          c.stats,
        );
      }
      if (c.weight) dw = new Tensor(pw, c.weight.shape);
      if (c.bias) db = new Tensor(pb, c.bias.shape);
    }
    return [dx, wantW ? dw : null, wantB ? db : null];
  },
};

export const NORM: Derivatives<NormContexts> = {
  /** Layer norm, `y = (x − mean)·rstd·w + b` per row: see layerNormRule. */
  nativeLayerNorm: layerNormRule,
  /** Batch norm in training, the same per channel, weights per channel. */
  nativeBatchNorm: layerNormRule,
  /** Group norm, per (sample, group), weights per channel. */
  nativeGroupNorm: layerNormRule,
};
