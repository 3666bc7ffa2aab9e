/**
 * The JavaScript backend: every kernel, always. Native and wasm implement
 * subsets and may decline a call; `dispatch` then comes here.
 */
import type { Kernels } from '../signatures.generated.js';
import { binaryKernels, unaryKernels } from './elementwise.generated.js';
import * as loss from './loss-kernels.js';
import { softmaxBackwardJs, softmaxForwardJs } from './softmax-kernels.js';
import { extremumIndicesJs, reduceDimJs } from './reduce-kernels.js';
import { layerNormBackwardJs, layerNormForwardJs, layerNormParamGradsJs } from './norm-kernels.js';
import { gemmJs, linearBackwardJs, linearJs } from './gemm.js';
import { optimJsKernels } from './optim.generated.js';
import { bernoulliMaskJs } from './bernoulli-mask.js';
import { exponentialFillJs, normalFillJs, uniformFillJs } from './random-fill.js';
import { copyBlockJs } from '../../tensor/strided.js';
import { col2imJs, im2colJs } from './window-kernels.js';
import { boxSpreadJs, boxSumJs } from './box-kernels.js';
import { indexAddJs, indexSelectJs } from './index-kernels.js';

export const jsKernels: Kernels = {
  unaryForward(op, n, out, x, p) {
    const k = unaryKernels[op];
    (out instanceof Float32Array ? k.forward.float32 : k.forward.float64)(n, out, x, p);
    return true;
  },
  unaryBackward(op, n, dx, dy, x, y, p) {
    const k = unaryKernels[op].backward;
    if (!k) throw new Error(`nnkit: ${op} has no gradient`);
    // The generated kernel only reads the arrays its formula uses.
    (dx instanceof Float32Array ? k.float32 : k.float64)(n, dx, dy, x ?? dx, y ?? dx, p);
    return true;
  },
  binaryForward(op, rows, n, out, oo, a, ao, ars, as, b, bo, brs, bs, p) {
    const f = binaryKernels[op].forward;
    // Nothing to write: no row is walked (empty rows may come with 2^40 nominal ones).
    if (rows * n === 0) return true;
    for (let r = 0; r < rows; r++)
      f(n, out, oo + r * n, a, ao + r * ars, as, b, bo + r * brs, bs, p);
    return true;
  },
  binaryBackward(op, which, rows, n, out, oo, dy, a, ao, ars, as, b, bo, brs, bs, p) {
    const k = binaryKernels[op].backward;
    if (!k) throw new Error(`nnkit: ${op} has no gradient`);
    const f = k[which];
    if (rows * n === 0) return true;
    for (let r = 0; r < rows; r++) {
      f(n, out, oo + r * n, dy, a, ao + r * ars, as, b, bo + r * brs, bs, p);
    }
    return true;
  },
  binarySum(op, n, a, b, p) {
    const k = binaryKernels[op].reduce;
    if (!k) throw new Error(`nnkit: ${op} has no fused reduction`);
    return k.sum(n, a, b, p);
  },
  binaryBackwardScaled(op, which, n, out, scale, a, b, p) {
    const k = binaryKernels[op].reduce;
    if (!k) throw new Error(`nnkit: ${op} has no fused reduction`);
    k.backward[which](n, out, scale, a, b, p);
    return true;
  },
  softmaxForward(log, outer, size, inner, out, x, scale) {
    softmaxForwardJs(log, outer, size, inner, out, x, scale);
    return true;
  },
  softmaxBackward(log, outer, size, inner, dx, dy, y, scale) {
    softmaxBackwardJs(log, outer, size, inner, dx, dy, y, scale);
    return true;
  },
  stridedCopy: copyBlockJs,
  im2col: im2colJs,
  boxSum: boxSumJs,
  boxSpread: boxSpreadJs,
  indexSelect: indexSelectJs,
  indexAdd: indexAddJs,
  col2im: col2imJs,
  layerNormForward(...args) {
    layerNormForwardJs(...args);
    return true;
  },
  layerNormBackward(...args) {
    layerNormBackwardJs(...args);
    return true;
  },
  layerNormParamGrads(...args) {
    layerNormParamGradsJs(...args);
    return true;
  },
  crossEntropyForward: loss.crossEntropyForward,
  crossEntropyBackward(...args) {
    loss.crossEntropyBackward(...args);
    return true;
  },
  crossEntropyProbForward(...args) {
    loss.crossEntropyProbForward(...args);
    return true;
  },
  crossEntropyProbBackward(...args) {
    loss.crossEntropyProbBackward(...args);
    return true;
  },
  nllForward: loss.nllForward,
  nllBackward(...args) {
    loss.nllBackward(...args);
    return true;
  },
  reduceDim: reduceDimJs,
  extremumIndices: extremumIndicesJs,
  matmul: gemmJs,
  linear: linearJs,
  linearBackward: linearBackwardJs,
  bernoulliMask: bernoulliMaskJs,
  uniformFill: uniformFillJs,
  normalFill: normalFillJs,
  exponentialFill: exponentialFillJs,
  // The optimizer steps: the generated per-dtype loops, one tensor at a time.
  ...optimJsKernels,
};
