/**
 * The JavaScript `uniformFill`, `normalFill` and `exponentialFill` kernels:
 * PyTorch's `uniform_`, (from 16 elements) `normal_` and `exponential_` on its
 * CPU generator, whose
 * MT19937 engine comes as one Int32Array of 625 words (the layout of
 * src/tensor/mt19937.ts). The arithmetic is src/tensor/sampling.ts's; the
 * native (native/random_fill.h) and wasm (wasm/assembly/random.ts) kernels
 * follow it.
 */
import type { Floats } from './types.js';
import {
  exponentialFromEngine,
  normalFromEngine,
  uniformFromEngine,
} from '../../tensor/sampling.js';

function checkEngine(name: string, state: Int32Array): void {
  const k = state[624];
  if (!(k >= 0 && k <= 624)) {
    throw new Error(`nnkit js kernel ${name}: state[624] must be an index in [0, 624], got ${k}`);
  }
}

/** `out[i] = u_i·(to − from) + from` for i < n, u_i PyTorch's uniforms (see the schema). */
export function uniformFillJs(
  state: Int32Array,
  out: Floats,
  n: number,
  from: number,
  to: number,
): true {
  checkEngine('uniformFill', state);
  uniformFromEngine(state, out, n, from, to);
  return true;
}

/** PyTorch's blocked Box–Muller `normal_` over `out[0 .. n)`, n ≥ 16 (see the schema). */
export function normalFillJs(
  state: Int32Array,
  out: Floats,
  n: number,
  mean: number,
  std: number,
): true {
  checkEngine('normalFill', state);
  if (n < 16) {
    throw new Error(`nnkit js kernel normalFill: n must be at least 16, got ${n}`);
  }
  normalFromEngine(state, out, n, mean, std);
  return true;
}

/** `out[i] = −1/λ · log(1 − u_i)` for i < n, u_i PyTorch's double uniforms (see the schema). */
export function exponentialFillJs(state: Int32Array, out: Floats, n: number, lambd: number): true {
  checkEngine('exponentialFill', state);
  exponentialFromEngine(state, out, n, lambd);
  return true;
}
