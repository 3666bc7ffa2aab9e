/**
 * Groups the tensors of a parameter group into the calls of a fused
 * optimizer kernel: one call updates every tensor that has the same dtype
 * and the same per-tensor scalars (Adam's bias corrections depend on the
 * tensor's own step count, which falls behind when it had no gradient at
 * some step; SGD's first step differs from the later ones). Usually a group
 * is one call.
 */
import type { GradPair } from './optimizer.js';

type Floats = Float32Array | Float64Array;

/** Tensors updated by one kernel call, in group order, with their shared `key`. */
export interface Batch {
  readonly key: number;
  readonly params: Floats[];
  readonly grads: Floats[];
  /** The pairs themselves, for the state lists. */
  readonly pairs: GradPair[];
}

/** Splits `pairs` by dtype and `key(pair)`, keeping group order within each batch. */
export function batchPairs(pairs: readonly GradPair[], key: (p: GradPair) => number): Batch[] {
  const out: (Batch & { f64: boolean })[] = [];
  for (const p of pairs) {
    const k = key(p);
    const f64 = p.data instanceof Float64Array;
    let b = out.find((x) => x.key === k && x.f64 === f64);
    if (!b) {
      b = { key: k, f64, params: [], grads: [], pairs: [] };
      out.push(b);
    }
    b.params.push(p.data);
    b.grads.push(p.grad);
    b.pairs.push(p);
  }
  return out;
}
