// nnkit WebAssembly module: the generated elementwise kernels, the fused
// softmax family for rows (inner = 1), and a fixed scratch region through
// which the JS side streams typed arrays in tiles; the float32 GEMM (gemm.ts).
export * from './kernels.generated';
export * from './gemm';
// The optimizers' steps (from src/optim/kernels/updates.ts, by scripts/gen-optim.ts).
export * from './optim.generated';
// Dropout's mask from the MT19937 engine (random.ts).
export * from './random';
// im2col and col2im over whole planes (windows.ts).
export * from './windows';
// Average pooling's box sums and their adjoint (boxes.ts).
export * from './boxes';
// Layer, group and batch norm over gathered slices (norm.ts).
export * from './norm';
// The extrema over a dimension and where they are (extremum.ts).
export * from './extremum';
import { vexp } from './math';

/** Elements per tile; each of the four scratch buffers holds TILE + 64 floats (slack for the last vector). */
export const TILE: i32 = 16384;
// At the heap base rather than memory.data: a zero-filled data segment would be
// embedded (and rewritten on every instantiation) in the shared-memory variant.
// The heap is otherwise unused (no allocation); --initialMemory 8 covers it.
const SCRATCH: usize = (__heap_base + 15) & ~(<usize>15);

/** The scratch region's address: four buffers of (TILE + 64) float32s. */
export function scratch(): usize {
  return SCRATCH;
}

@inline function hmax(v: v128): f32 {
  const a = f32x4.max(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(f32x4.max(a, i32x4.shuffle(a, a, 1, 0, 3, 2)), 0);
}

/**
 * One step of a row's running maximum: pmax is a single maxps in V8, where
 * f32x4.max takes about nine instructions. pmax skips a NaN element instead
 * of returning it, but the row's Σ exp(z − max) is then NaN, and so is every
 * output (softmax, logSoftmax, the cross-entropy loss), as in PyTorch.
 */
@inline function rowMax(m: v128, z: v128): v128 {
  return f32x4.pmax(m, z);
}

@inline function hsum(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) +
    f32x4.extract_lane(v, 1) +
    f32x4.extract_lane(v, 2) +
    f32x4.extract_lane(v, 3)
  );
}

/** Lanes 0..k−1 set (k < 4): masks the partial last vector of a row. */
@inline function laneMask(k: i32): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(k));
}

/** The maximum of a row of C floats at xr (four accumulators; see rowMax for NaN). */
@inline function maxOfRow(xr: usize, C: i32): f32 {
  const full = C & ~3;
  const full16 = C & ~15;
  const ninf = f32x4.splat(-Infinity);
  let m0 = ninf,
    m1 = ninf,
    m2 = ninf,
    m3 = ninf;
  let i = 0;
  for (; i < full16; i += 16) {
    const p = xr + ((<usize>i) << 2);
    m0 = rowMax(m0, v128.load(p));
    m1 = rowMax(m1, v128.load(p, 16));
    m2 = rowMax(m2, v128.load(p, 32));
    m3 = rowMax(m3, v128.load(p, 48));
  }
  for (; i < full; i += 4) m0 = rowMax(m0, v128.load(xr + ((<usize>i) << 2)));
  if (full < C)
    m1 = rowMax(m1, v128.bitselect(v128.load(xr + ((<usize>full) << 2)), ninf, laneMask(C - full)));
  return hmax(f32x4.max(f32x4.max(m0, m1), f32x4.max(m2, m3)));
}

/** Zeroes the four f32x4 partial sums at acc (64 bytes). */
@inline function zeroAcc(acc: usize): void {
  const z = f32x4.splat(0);
  v128.store(acc, z);
  v128.store(acc, z, 16);
  v128.store(acc, z, 32);
  v128.store(acc, z, 48);
}

/** The total of the four partial sums at acc: (s0 + s1) + (s2 + s3), then its lanes in order. */
@inline function accTotal(acc: usize): f32 {
  return hsum(
    f32x4.add(
      f32x4.add(v128.load(acc), v128.load(acc, 16)),
      f32x4.add(v128.load(acc, 32), v128.load(acc, 48)),
    ),
  );
}

/** The maximum of scale·x over n ≥ 1 floats at x (four accumulators; see rowMax for NaN). */
@inline function scaledMax(x: usize, n: i32, scale: f32): f32 {
  // Multiplying by 1 is exact, so the unscaled pass serves scale = 1.
  if (scale == 1) return maxOfRow(x, n);
  const sc = f32x4.splat(scale);
  const full = n & ~3;
  const full16 = n & ~15;
  const ninf = f32x4.splat(-Infinity);
  let m0 = ninf,
    m1 = ninf,
    m2 = ninf,
    m3 = ninf;
  let i = 0;
  for (; i < full16; i += 16) {
    const p = x + ((<usize>i) << 2);
    m0 = rowMax(m0, f32x4.mul(v128.load(p), sc));
    m1 = rowMax(m1, f32x4.mul(v128.load(p, 16), sc));
    m2 = rowMax(m2, f32x4.mul(v128.load(p, 32), sc));
    m3 = rowMax(m3, f32x4.mul(v128.load(p, 48), sc));
  }
  for (; i < full; i += 4) m0 = rowMax(m0, f32x4.mul(v128.load(x + ((<usize>i) << 2)), sc));
  if (full < n) {
    const z = f32x4.mul(v128.load(x + ((<usize>full) << 2)), sc);
    m1 = rowMax(m1, v128.bitselect(z, ninf, laneMask(n - full)));
  }
  return hmax(f32x4.max(f32x4.max(m0, m1), f32x4.max(m2, m3)));
}

/**
 * Adds exp(scale·x − m) over n floats at x into four f32x4 partial sums kept
 * at acc (64 bytes), and with `store` writes each exponential to out (the
 * last vector may write up to three floats past n): sixteen lanes per step,
 * the rest into the first vector, the partial last vector masked. A row
 * longer than a tile is streamed through this in chunks of a multiple of 16,
 * which sums in exactly the order of one pass over the whole row.
 */
@inline function expSumInto(
  acc: usize,
  out: usize,
  x: usize,
  n: i32,
  scale: f32,
  m: f32,
  store: bool,
): void {
  const sc = f32x4.splat(scale);
  const mm = f32x4.splat(m);
  const full = n & ~3;
  const full16 = n & ~15;
  let s0 = v128.load(acc),
    s1 = v128.load(acc, 16),
    s2 = v128.load(acc, 32),
    s3 = v128.load(acc, 48);
  let i = 0;
  for (; i < full16; i += 16) {
    const o = (<usize>i) << 2;
    const e0 = vexp(f32x4.sub(f32x4.mul(v128.load(x + o), sc), mm));
    const e1 = vexp(f32x4.sub(f32x4.mul(v128.load(x + o, 16), sc), mm));
    const e2 = vexp(f32x4.sub(f32x4.mul(v128.load(x + o, 32), sc), mm));
    const e3 = vexp(f32x4.sub(f32x4.mul(v128.load(x + o, 48), sc), mm));
    if (store) {
      v128.store(out + o, e0);
      v128.store(out + o, e1, 16);
      v128.store(out + o, e2, 32);
      v128.store(out + o, e3, 48);
    }
    s0 = f32x4.add(s0, e0);
    s1 = f32x4.add(s1, e1);
    s2 = f32x4.add(s2, e2);
    s3 = f32x4.add(s3, e3);
  }
  for (; i < n; i += 4) {
    const o = (<usize>i) << 2;
    let e = vexp(f32x4.sub(f32x4.mul(v128.load(x + o), sc), mm));
    if (store) v128.store(out + o, e);
    if (i + 4 > n) e = v128.and(e, laneMask(n - full));
    s0 = f32x4.add(s0, e);
  }
  v128.store(acc, s0);
  v128.store(acc, s1, 16);
  v128.store(acc, s2, 32);
  v128.store(acc, s3, 48);
}

/** What the last pass of a softmax row applies, from its Σ exp: f32(log Σ) for logSoftmax, f32(1/Σ) for softmax. */
@inline function softmaxConstant(log: bool, s: f32): f32 {
  return log ? <f32>Math.log(<f64>s) : <f32>(1.0 / <f64>s);
}

/**
 * The last pass over n floats of a row: logSoftmax out = (scale·x − m) − k,
 * softmax out = out·k (out holding the exponentials). Whole vectors: may
 * write up to three floats past n.
 */
@inline function softmaxFinish(
  log: bool,
  out: usize,
  x: usize,
  n: i32,
  scale: f32,
  m: f32,
  k: f32,
): void {
  const sc = f32x4.splat(scale);
  const mm = f32x4.splat(m);
  const kk = f32x4.splat(k);
  if (log) {
    for (let i = 0; i < n; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(out + o, f32x4.sub(f32x4.sub(f32x4.mul(v128.load(x + o), sc), mm), kk));
    }
  } else {
    for (let i = 0; i < n; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(out + o, f32x4.mul(v128.load(out + o), kk));
    }
  }
}

/**
 * Softmax (log = 0) or logSoftmax (log = 1) of `rows` rows of `size` floats,
 * scaled by `scale` first: max pass, Σ exp(z − max) pass (storing the
 * exponentials for softmax), then scale or shift. NaN wins the max, as in
 * PyTorch; a row of −Infinity gives NaN (z − max is NaN). Four independent
 * vectors per step; the partial last vector of a row is masked in the
 * reductions and may write past the row (the next row, written later, or the
 * scratch slack). `acc` is 64 bytes of scratch for the partial sums. Rows
 * longer than a tile go through softmax_max_chunk, softmax_sum_chunk,
 * softmax_constant and softmax_finish_chunk, in the same order of operations.
 */
export function softmax_forward(
  log: i32,
  rows: i32,
  size: i32,
  out: usize,
  x: usize,
  scale: f32,
  acc: usize,
): void {
  for (let r = 0; r < rows; r++) {
    const xr = x + ((<usize>(r * size)) << 2);
    const orow = out + ((<usize>(r * size)) << 2);
    const m = scaledMax(xr, size, scale);
    zeroAcc(acc);
    expSumInto(acc, orow, xr, size, scale, m, !log);
    softmaxFinish(log != 0, orow, xr, size, scale, m, softmaxConstant(log != 0, accTotal(acc)));
  }
}

/** The maximum of scale·x over one chunk of a wide row (a row's is the greatest of its chunks'). */
export function softmax_max_chunk(n: i32, x: usize, scale: f32): f32 {
  return scaledMax(x, n, scale);
}

/** One chunk of a wide row's Σ exp(scale·x − m) into acc (zeroed first), storing the exponentials for softmax. */
export function softmax_sum_chunk(
  log: i32,
  n: i32,
  out: usize,
  x: usize,
  scale: f32,
  m: f32,
  acc: usize,
): void {
  expSumInto(acc, out, x, n, scale, m, !log);
}

/** A wide row's constant for softmax_finish_chunk, from the partial sums at acc. */
export function softmax_constant(log: i32, acc: usize): f32 {
  return softmaxConstant(log != 0, accTotal(acc));
}

/** The last pass over one chunk of a wide row (out holding its exponentials for softmax). */
export function softmax_finish_chunk(
  log: i32,
  n: i32,
  out: usize,
  x: usize,
  scale: f32,
  m: f32,
  k: f32,
): void {
  softmaxFinish(log != 0, out, x, n, scale, m, k);
}

/**
 * Adds a row chunk's Σ dy (logSoftmax) or Σ dy·y (softmax) over n floats into
 * the four partial sums at acc: sixteen lanes per step, then whole vectors
 * into the first, the masked partial vector into the second.
 */
@inline function backwardSumInto(acc: usize, log: bool, dy: usize, y: usize, n: i32): void {
  const full = n & ~3;
  const full16 = n & ~15;
  let a0 = v128.load(acc),
    a1 = v128.load(acc, 16),
    a2 = v128.load(acc, 32),
    a3 = v128.load(acc, 48);
  let i = 0;
  if (log) {
    for (; i < full16; i += 16) {
      const o = (<usize>i) << 2;
      a0 = f32x4.add(a0, v128.load(dy + o));
      a1 = f32x4.add(a1, v128.load(dy + o, 16));
      a2 = f32x4.add(a2, v128.load(dy + o, 32));
      a3 = f32x4.add(a3, v128.load(dy + o, 48));
    }
    for (; i < full; i += 4) a0 = f32x4.add(a0, v128.load(dy + ((<usize>i) << 2)));
    if (full < n)
      a1 = f32x4.add(a1, v128.and(v128.load(dy + ((<usize>full) << 2)), laneMask(n - full)));
  } else {
    for (; i < full16; i += 16) {
      const o = (<usize>i) << 2;
      a0 = f32x4.add(a0, f32x4.mul(v128.load(dy + o), v128.load(y + o)));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(dy + o, 16), v128.load(y + o, 16)));
      a2 = f32x4.add(a2, f32x4.mul(v128.load(dy + o, 32), v128.load(y + o, 32)));
      a3 = f32x4.add(a3, f32x4.mul(v128.load(dy + o, 48), v128.load(y + o, 48)));
    }
    for (; i < full; i += 4) {
      const o = (<usize>i) << 2;
      a0 = f32x4.add(a0, f32x4.mul(v128.load(dy + o), v128.load(y + o)));
    }
    if (full < n) {
      const o = (<usize>full) << 2;
      a1 = f32x4.add(
        a1,
        v128.and(f32x4.mul(v128.load(dy + o), v128.load(y + o)), laneMask(n - full)),
      );
    }
  }
  v128.store(acc, a0);
  v128.store(acc, a1, 16);
  v128.store(acc, a2, 32);
  v128.store(acc, a3, 48);
}

/**
 * The output pass over n floats: logSoftmax dx = scale·(dy − exp(y)·a),
 * softmax dx = scale·y·(dy − a). Whole vectors: may write up to three floats past n.
 */
@inline function backwardFinish(
  log: bool,
  dx: usize,
  dy: usize,
  y: usize,
  n: i32,
  scale: f32,
  total: f32,
): void {
  const sc = f32x4.splat(scale);
  const a = f32x4.splat(total);
  if (log) {
    for (let i = 0; i < n; i += 4) {
      const o = (<usize>i) << 2;
      const g = f32x4.sub(v128.load(dy + o), f32x4.mul(vexp(v128.load(y + o)), a));
      v128.store(dx + o, f32x4.mul(g, sc));
    }
  } else {
    for (let i = 0; i < n; i += 4) {
      const o = (<usize>i) << 2;
      const yy = v128.load(y + o);
      v128.store(dx + o, f32x4.mul(f32x4.mul(yy, f32x4.sub(v128.load(dy + o), a)), sc));
    }
  }
}

/**
 * Backward from the saved output y: softmax dx = scale·y·(dy − Σ dy·y),
 * logSoftmax dx = scale·(dy − exp(y)·Σ dy). The partial last vector is masked
 * in the sum; its store may run into the next row's dx, which is written later.
 * `acc` is 64 bytes of scratch. Rows longer than a tile go through
 * softmax_bsum_chunk, acc_total and softmax_bfinish_chunk.
 */
export function softmax_backward(
  log: i32,
  rows: i32,
  size: i32,
  dx: usize,
  dy: usize,
  y: usize,
  scale: f32,
  acc: usize,
): void {
  for (let r = 0; r < rows; r++) {
    const base = (<usize>(r * size)) << 2;
    zeroAcc(acc);
    backwardSumInto(acc, log != 0, dy + base, y + base, size);
    backwardFinish(log != 0, dx + base, dy + base, y + base, size, scale, accTotal(acc));
  }
}

/** One chunk of a wide row's backward sum into acc (zeroed first). */
export function softmax_bsum_chunk(log: i32, n: i32, dy: usize, y: usize, acc: usize): void {
  backwardSumInto(acc, log != 0, dy, y, n);
}

/** The total of the partial sums at acc. */
export function acc_total(acc: usize): f32 {
  return accTotal(acc);
}

/** The output pass over one chunk of a wide row, with the row's total from acc_total. */
export function softmax_bfinish_chunk(
  log: i32,
  n: i32,
  dx: usize,
  dy: usize,
  y: usize,
  scale: f32,
  total: f32,
): void {
  backwardFinish(log != 0, dx, dy, y, n, scale, total);
}

/**
 * A row's end: log Σ from the partial sums at acc, the pair (log Σ, max) as
 * f64 at lse, and the loss −((x[t] − max) − log Σ) rounded to f32 at each
 * step as PyTorch's log_softmax (0 for an ignored row; the caller passes xt
 * = 0 then).
 */
@inline function finishRow(acc: usize, m: f32, xt: f32, ignored: bool, lse: usize): f32 {
  const logSum = Math.log(<f64>accTotal(acc));
  store<f64>(lse, logSum);
  store<f64>(lse, <f64>m, 8);
  return ignored ? 0 : -(xt - m - <f32>logSum);
}

/**
 * Cross-entropy with class-index targets over `rows` rows of `C` logits
 * (inner = 1, no class weights, no label smoothing; the JS side declines the
 * rest): lse[2r] = log Σ exp(x − max), lse[2r + 1] = max (f64), loss[r] = −((x[t] − max) − log Σ)
 * rounded to f32 at each step as PyTorch's log_softmax, 0 where t = ignore.
 * `acc` is 64 bytes of scratch for the running sums. Returns the number of
 * rows not ignored. Rows longer than a tile go through row_max,
 * ce_sum_chunk and ce_finish_row instead, in the same order of operations.
 */
export function ce_forward(
  rows: i32,
  C: i32,
  x: usize,
  target: usize,
  ignore: i32,
  loss: usize,
  lse: usize,
  acc: usize,
): f64 {
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const xr = x + ((<usize>(r * C)) << 2);
    const m = maxOfRow(xr, C);
    zeroAcc(acc);
    expSumInto(acc, 0, xr, C, 1, m, false);
    const t = load<i32>(target + ((<usize>r) << 2));
    const ignored = t == ignore;
    if (!ignored) total += 1;
    const xt = ignored ? <f32>0 : load<f32>(xr + ((<usize>t) << 2));
    store<f32>(loss + ((<usize>r) << 2), finishRow(acc, m, xt, ignored, lse + ((<usize>r) << 4)));
  }
  return total;
}

/**
 * The maximum of n ≥ 1 floats at x, NaN skipped as in ce_forward's (see
 * rowMax). A wide row's maximum is the greatest of its chunks' maxima.
 */
export function row_max(n: i32, x: usize): f32 {
  return maxOfRow(x, n);
}

/** One chunk of a wide row's Σ exp(x − m) into the partial sums at acc (zeroed by the caller first). */
export function ce_sum_chunk(n: i32, x: usize, m: f32, acc: usize): void {
  expSumInto(acc, 0, x, n, 1, m, false);
}

/** The end of a wide row: see finishRow. Stores (log Σ, max) at lse and returns the row's loss. */
export function ce_finish_row(acc: usize, m: f32, xt: f32, ignored: i32, lse: usize): f32 {
  return finishRow(acc, m, xt, ignored != 0, lse);
}

/**
 * The backward of n logits of one row at x into dx: s·exp((x − max) − log Σ)
 * (each step rounded to f32 as PyTorch's log_softmax), minus s at column
 * `tcol` when 0 ≤ tcol < n; −(exp(x − lse)·0) for an ignored row. The last
 * vector may write up to three floats past n.
 */
@inline function ceBackwardSpan(
  n: i32,
  dx: usize,
  x: usize,
  maxv: f32,
  logSum: f32,
  s: f32,
  tcol: i32,
  ignored: bool,
): void {
  const l = f32x4.splat(maxv);
  const lo = f32x4.splat(logSum);
  if (ignored) {
    const zero = f32x4.splat(0);
    for (let i = 0; i < n; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(
        dx + o,
        f32x4.neg(f32x4.mul(vexp(f32x4.sub(f32x4.sub(v128.load(x + o), l), lo)), zero)),
      );
    }
    return;
  }
  const sv = f32x4.splat(s);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = (<usize>i) << 2;
    const e0 = vexp(f32x4.sub(f32x4.sub(v128.load(x + o), l), lo));
    const e1 = vexp(f32x4.sub(f32x4.sub(v128.load(x + o, 16), l), lo));
    const e2 = vexp(f32x4.sub(f32x4.sub(v128.load(x + o, 32), l), lo));
    const e3 = vexp(f32x4.sub(f32x4.sub(v128.load(x + o, 48), l), lo));
    v128.store(dx + o, f32x4.mul(e0, sv));
    v128.store(dx + o, f32x4.mul(e1, sv), 16);
    v128.store(dx + o, f32x4.mul(e2, sv), 32);
    v128.store(dx + o, f32x4.mul(e3, sv), 48);
  }
  for (; i < n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(dx + o, f32x4.mul(vexp(f32x4.sub(f32x4.sub(v128.load(x + o), l), lo)), sv));
  }
  if (tcol >= 0 && tcol < n) {
    const ot = dx + ((<usize>tcol) << 2);
    store<f32>(ot, load<f32>(ot) - s);
  }
}

/**
 * Its backward: dx = s·exp((x − max) − log Σ) − s·[c = t] (each
 * step rounded to f32 as PyTorch's log_softmax) with s the row's upstream
 * gradient over the divisor; −(exp(x − lse)·0) for ignored rows. A row's
 * last vector may write into the next row's dx, which is written later.
 * Rows longer than a tile go through ce_backward_chunk.
 */
export function ce_backward(
  rows: i32,
  C: i32,
  dx: usize,
  x: usize,
  target: usize,
  ignore: i32,
  lse: usize,
  scale: usize,
): void {
  for (let r = 0; r < rows; r++) {
    const off = (<usize>(r * C)) << 2;
    const logSum = <f32>load<f64>(lse + ((<usize>r) << 4));
    const maxv = <f32>load<f64>(lse + ((<usize>r) << 4), 8);
    const t = load<i32>(target + ((<usize>r) << 2));
    const s = t == ignore ? <f32>0 : load<f32>(scale + ((<usize>r) << 2));
    ceBackwardSpan(C, dx + off, x + off, maxv, logSum, s, t, t == ignore);
  }
}

/**
 * One chunk of a wide row's backward: n logits at x, the row's target at
 * column tcol of the chunk (outside [0, n) when it lies in another chunk).
 */
export function ce_backward_chunk(
  n: i32,
  dx: usize,
  x: usize,
  maxv: f32,
  logSum: f32,
  s: f32,
  tcol: i32,
  ignored: i32,
): void {
  ceBackwardSpan(n, dx, x, maxv, logSum, s, tcol, ignored != 0);
}

/**
 * Label smoothing's sum over n logits of a row at x: the log-probabilities
 * round(round(x − max) − log Σ) (f32, as PyTorch's log_softmax) added in f64
 * to the running sums at acc: two f64x2 vectors (lanes 0, 2 and 1, 3 of each
 * f32x4), then one f64 for the last n mod 4 elements. Chunks of a multiple
 * of 4 add in the order of one pass over the row. ce_smooth_total adds them up.
 */
export function ce_smooth_chunk(n: i32, x: usize, maxv: f32, logSum: f32, acc: usize): void {
  const l = f32x4.splat(maxv);
  const lo = f32x4.splat(logSum);
  let a0 = v128.load(acc),
    a1 = v128.load(acc, 16);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const lp = f32x4.sub(f32x4.sub(v128.load(x + ((<usize>i) << 2)), l), lo);
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(lp));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i32x4.shuffle(lp, lp, 2, 3, 0, 1)));
  }
  let tail = load<f64>(acc, 32);
  for (; i < n; i++) tail += <f64>(load<f32>(x + ((<usize>i) << 2)) - maxv - logSum);
  v128.store(acc, a0);
  v128.store(acc, a1, 16);
  store<f64>(acc, tail, 32);
}

/** The total of ce_smooth_chunk's running sums at acc. */
export function ce_smooth_total(acc: usize): f64 {
  const a = f64x2.add(v128.load(acc), v128.load(acc, 16));
  return f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1) + load<f64>(acc, 32);
}

/**
 * The backward of n logits of a row with label smoothing (no class
 * weights): dx = gl − exp((x − max) − log Σ)·total, where gl = −(ε/C)·s is
 * every class's share of the smoothed target's gradient and total = Σ of
 * all classes' (the target's included); the target at column tcol (if in
 * [0, n)) also gets glTarget = −(1 − ε)·s. The last vector may write up to
 * three floats past n.
 */
export function ce_backward_smooth_chunk(
  n: i32,
  dx: usize,
  x: usize,
  maxv: f32,
  logSum: f32,
  gl: f32,
  total: f32,
  tcol: i32,
  glTarget: f32,
): void {
  const l = f32x4.splat(maxv);
  const lo = f32x4.splat(logSum);
  const g = f32x4.splat(gl);
  const tv = f32x4.splat(total);
  for (let i = 0; i < n; i += 4) {
    const o = (<usize>i) << 2;
    const e = vexp(f32x4.sub(f32x4.sub(v128.load(x + o), l), lo));
    v128.store(dx + o, f32x4.sub(g, f32x4.mul(e, tv)));
  }
  if (tcol >= 0 && tcol < n) {
    const ot = dx + ((<usize>tcol) << 2);
    store<f32>(ot, load<f32>(ot) + glTarget);
  }
}

/**
 * Σ of n floats at x, accumulated in f64 (each f32x4 widened to two f64x2),
 * as the JS and native sums are.
 */
export function sum_span(n: i32, x: usize): f64 {
  let a0 = f64x2.splat(0),
    a1 = f64x2.splat(0),
    a2 = f64x2.splat(0),
    a3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = x + ((<usize>i) << 2);
    const u = v128.load(p);
    const v = v128.load(p, 16);
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(u));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i32x4.shuffle(u, u, 2, 3, 0, 1)));
    a2 = f64x2.add(a2, f64x2.promote_low_f32x4(v));
    a3 = f64x2.add(a3, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
  }
  const s = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let total = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < n; i++) total += <f64>load<f32>(x + ((<usize>i) << 2));
  return total;
}

/** The maximum (kind 1) or minimum (kind 2) of n ≥ 1 floats at x; NaN wins (f32x4.max/min propagate it). */
export function extremum_span(kind: i32, n: i32, x: usize): f32 {
  let m = f32x4.splat(load<f32>(x));
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + ((<usize>i) << 2));
    m = kind == 1 ? f32x4.max(m, v) : f32x4.min(m, v);
  }
  // hmax propagates NaN (f32x4.max does); the minimum is −max(−m).
  let r = kind == 1 ? hmax(m) : -hmax(f32x4.neg(m));
  for (; i < n; i++) {
    const v = load<f32>(x + ((<usize>i) << 2));
    if (v != v || r != r) r = NaN;
    else r = kind == 1 ? Mathf.max(r, v) : Mathf.min(r, v);
  }
  return r;
}
