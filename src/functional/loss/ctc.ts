/**
 * Connectionist temporal classification loss (Graves et al., 2006), with
 * PyTorch's CPU algorithm: the α recursion in log space forward, the β
 * recursion backward, and PyTorch's gradient formula.
 */
import { Tensor } from '../../tensor/tensor.js';
import { allocUninit, isFloating } from '../../tensor/dtype.js';
import { formatShape } from '../../tensor/shape.js';
import { where } from '../../ops/index-ops.js';
import { needsGrad } from '../../autograd/node.js';
import { recordOp } from '../../autograd/derivatives/index.js';
import { logAdd3 } from '../../autograd/derivatives/ctc.js';
import type { Floats } from '../../kernels/js/types.js';
import { checkFloating, fail } from '../validate.js';
import type { Reduction } from './common.js';

/** Lengths given as an int32 tensor, an array, or (unbatched) a number. */
export type Lengths = Tensor | readonly number[] | number;

const NEG_INF = -Infinity;

function lengthsOf(fn: string, arg: string, v: Lengths, n: number): number[] {
  let out: number[];
  if (typeof v === 'number') out = [v];
  else if (!(v instanceof Tensor)) out = [...v];
  else {
    if (v.dtype !== 'int32') fail(fn, `${arg} must be an int32 tensor, got ${v.dtype}`);
    if (v.ndim > 1) fail(fn, `${arg} must be 0-D or 1-D, got shape ${formatShape(v.shape)}`);
    out = Array.from(v.data);
  }
  if (out.length !== n) fail(fn, `${arg} has ${out.length} entries, but the batch has ${n}`);
  for (const l of out)
    if (!Number.isInteger(l) || l < 0) fail(fn, `${arg} must hold non-negative integers, got ${l}`);
  return out;
}

/** CTC loss on validated options (signature and docs: the registry). */
export function ctcLossImpl(a: {
  logProbs: Tensor;
  targets: Tensor;
  inputLengths: Lengths;
  targetLengths: Lengths;
  blank: number;
  reduction: Reduction;
  zeroInfinity: boolean;
}): Tensor {
  const fn = 'ctcLoss';
  const { logProbs, targets, inputLengths, targetLengths, reduction, zeroInfinity } = a;
  checkFloating(fn, 'logProbs', logProbs);
  if (logProbs.ndim !== 3 && logProbs.ndim !== 2) {
    fail(fn, `logProbs must be (T, N, C) or (T, C), got shape ${formatShape(logProbs.shape)}`);
  }
  if (isFloating(targets.dtype)) fail(fn, `targets must be an int32 tensor, got ${targets.dtype}`);
  const batched = logProbs.ndim === 3;
  const lp3 = batched ? logProbs : logProbs.unsqueeze(1);
  const [T, N, C] = lp3.shape;
  const blank = a.blank;
  if (blank < 0 || blank >= C) fail(fn, `blank ${blank} is out of range for ${C} classes`);
  const inLen = lengthsOf(fn, 'inputLengths', inputLengths, N);
  const tgLen = lengthsOf(fn, 'targetLengths', targetLengths, N);
  // Where each target sequence starts in `targets`.
  const offsets: number[] = [];
  if (targets.ndim === 2 || (!batched && targets.ndim === 1)) {
    const tg2 = targets.ndim === 2 ? targets : targets.unsqueeze(0);
    if (tg2.shape[0] !== N)
      fail(fn, `targets batch size ${tg2.shape[0]} does not match logProbs batch size ${N}`);
    const S = tg2.shape[1];
    for (let b = 0; b < N; b++) {
      if (tgLen[b] > S)
        fail(fn, `targetLengths[${b}] = ${tgLen[b]} exceeds the targets' length ${S}`);
      offsets.push(b * S);
    }
  } else if (targets.ndim === 1) {
    const total = tgLen.reduce((a, b) => a + b, 0);
    if (total !== targets.size)
      fail(
        fn,
        `targetLengths sum to ${total}, but the concatenated targets have ${targets.size} elements`,
      );
    let o = 0;
    for (let b = 0; b < N; b++) {
      offsets.push(o);
      o += tgLen[b];
    }
  } else {
    fail(
      fn,
      `targets must be (N, S) or concatenated (Σ targetLengths), got shape ${formatShape(targets.shape)}`,
    );
  }
  const tg = targets.data;
  for (let b = 0; b < N; b++) {
    if (inLen[b] < 1 || inLen[b] > T)
      fail(fn, `inputLengths[${b}] = ${inLen[b]} must be in [1, ${T}]`);
    for (let k = 0; k < tgLen[b]; k++) {
      const v = tg[offsets[b] + k];
      if (v < 0 || v >= C || v === blank) {
        fail(
          fn,
          `target ${v} (batch element ${b}) must be a class in [0, ${C}) other than blank ${blank}`,
        );
      }
    }
  }

  const lp = lp3.data as Floats;
  const at = (t: number, b: number, c: number): number => lp[(t * N + b) * C + c];
  const prime = (b: number, s: number): number =>
    s % 2 === 0 ? blank : tg[offsets[b] + (s - 1) / 2];
  const alphas: Float64Array[] = [];
  const nll = new Float64Array(N);
  for (let b = 0; b < N; b++) {
    const L = 2 * tgLen[b] + 1;
    const alpha = new Float64Array(T * L).fill(NEG_INF);
    alpha[0] = at(0, b, blank);
    if (tgLen[b] > 0) alpha[1] = at(0, b, prime(b, 1));
    for (let t = 1; t < inLen[b]; t++) {
      for (let s = 0; s < L; s++) {
        const cur = prime(b, s);
        const la1 = alpha[(t - 1) * L + s];
        const la2 = s > 0 ? alpha[(t - 1) * L + s - 1] : NEG_INF;
        const la3 = s > 1 && prime(b, s - 2) !== cur ? alpha[(t - 1) * L + s - 2] : NEG_INF;
        alpha[t * L + s] = logAdd3(la1, la2, la3) + at(t, b, cur);
      }
    }
    const last = (inLen[b] - 1) * L;
    if (tgLen[b] === 0) nll[b] = -alpha[last];
    else {
      const l1 = alpha[last + L - 1];
      const l2 = alpha[last + L - 2];
      let m = Math.max(l1, l2);
      if (m === NEG_INF) m = 0;
      nll[b] = -(Math.log(Math.exp(l1 - m) + Math.exp(l2 - m)) + m);
    }
    alphas.push(alpha);
  }

  const resData = allocUninit(logProbs.dtype, N) as Floats;
  resData.set(nll);
  let res = new Tensor(resData, [N]);
  if (needsGrad(lp3)) {
    res = recordOp(res, 'ctcLoss', [lp3], {
      logProbs: lp3,
      lp,
      T,
      N,
      C,
      blank,
      targets: tg,
      offsets,
      inputLengths: inLen,
      targetLengths: tgLen,
      alphas,
      nll,
      zeroInfinity,
    });
  }

  if (zeroInfinity) res = where(res.eq(Infinity), 0, res);
  switch (reduction) {
    case 'mean': {
      const lengths = allocUninit(logProbs.dtype, N);
      tgLen.forEach((l, b) => (lengths[b] = Math.max(l, 1)));
      return res.div(new Tensor(lengths, [N])).mean();
    }
    case 'sum':
      return res.sum();
    default:
      return batched ? res : res.squeeze(0);
  }
}
