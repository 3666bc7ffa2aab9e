// nnkit WebAssembly module: the generated elementwise kernels, the fused
// softmax family for rows (inner = 1), and a fixed scratch region through
// which the JS side streams typed arrays in tiles.
export * from './kernels.generated';
import { vexp } from './math';

/** Elements per tile; each of the four scratch buffers holds TILE + 64 floats (slack for the last vector). */
export const TILE: i32 = 16384;
const SCRATCH: usize = memory.data(4 * (16384 + 64) * 4, 16);

/** The scratch region's address: four buffers of (TILE + 64) float32s. */
export function scratch(): usize {
  return SCRATCH;
}

@inline function hmax(v: v128): f32 {
  const a = f32x4.max(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(f32x4.max(a, i32x4.shuffle(a, a, 1, 0, 3, 2)), 0);
}

@inline function hsum(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) +
    f32x4.extract_lane(v, 1) +
    f32x4.extract_lane(v, 2) +
    f32x4.extract_lane(v, 3)
  );
}

@inline function expScalar(z: f32): f32 {
  return f32x4.extract_lane(vexp(f32x4.splat(z)), 0);
}

/**
 * Softmax (log = 0) or logSoftmax (log = 1) of `rows` rows of `size` floats,
 * scaled by `scale` first: max pass, Σ exp(z − max) pass (storing the
 * exponentials for softmax), then scale or shift. NaN wins the max, as in PyTorch.
 */
export function softmax_forward(
  log: i32,
  rows: i32,
  size: i32,
  out: usize,
  x: usize,
  scale: f32,
): void {
  const sc = f32x4.splat(scale);
  const full = size & ~3;
  for (let r = 0; r < rows; r++) {
    const xr = x + ((<usize>(r * size)) << 2);
    const orow = out + ((<usize>(r * size)) << 2);
    let mv = f32x4.splat(-Infinity);
    for (let i = 0; i < full; i += 4)
      mv = f32x4.max(mv, f32x4.mul(v128.load(xr + ((<usize>i) << 2)), sc));
    let m = hmax(mv);
    for (let i = full; i < size; i++) {
      const z = load<f32>(xr + ((<usize>i) << 2)) * scale;
      if (z > m || z != z) m = z;
    }
    const mm = f32x4.splat(m);
    let sv = f32x4.splat(0);
    for (let i = 0; i < full; i += 4) {
      const e = vexp(f32x4.sub(f32x4.mul(v128.load(xr + ((<usize>i) << 2)), sc), mm));
      if (!log) v128.store(orow + ((<usize>i) << 2), e);
      sv = f32x4.add(sv, e);
    }
    let s = hsum(sv);
    for (let i = full; i < size; i++) {
      const e = expScalar(load<f32>(xr + ((<usize>i) << 2)) * scale - m);
      if (!log) store<f32>(orow + ((<usize>i) << 2), e);
      s += e;
    }
    if (log) {
      const lse = f32x4.splat(<f32>Math.log(<f64>s));
      for (let i = 0; i < size; i += 4) {
        const o = (<usize>i) << 2;
        v128.store(orow + o, f32x4.sub(f32x4.sub(f32x4.mul(v128.load(xr + o), sc), mm), lse));
      }
    } else {
      const inv = f32x4.splat(<f32>(1.0 / <f64>s));
      for (let i = 0; i < size; i += 4) {
        const o = (<usize>i) << 2;
        v128.store(orow + o, f32x4.mul(v128.load(orow + o), inv));
      }
    }
  }
}

/**
 * Backward from the saved output y: softmax dx = scale·y·(dy − Σ dy·y),
 * logSoftmax dx = scale·(dy − exp(y)·Σ dy).
 */
export function softmax_backward(
  log: i32,
  rows: i32,
  size: i32,
  dx: usize,
  dy: usize,
  y: usize,
  scale: f32,
): void {
  const sc = f32x4.splat(scale);
  const full = size & ~3;
  for (let r = 0; r < rows; r++) {
    const base = (<usize>(r * size)) << 2;
    let av = f32x4.splat(0);
    for (let i = 0; i < full; i += 4) {
      const o = base + ((<usize>i) << 2);
      const d = v128.load(dy + o);
      av = f32x4.add(av, log ? d : f32x4.mul(d, v128.load(y + o)));
    }
    let acc = hsum(av);
    for (let i = full; i < size; i++) {
      const o = base + ((<usize>i) << 2);
      acc += log ? load<f32>(dy + o) : load<f32>(dy + o) * load<f32>(y + o);
    }
    const a = f32x4.splat(acc);
    // Rows are contiguous, so the last vector of a row may touch the next row's
    // first elements: compute the full vectors first, then the tail scalar-wise.
    for (let i = 0; i < full; i += 4) {
      const o = base + ((<usize>i) << 2);
      const d = v128.load(dy + o);
      const yy = v128.load(y + o);
      const g = log ? f32x4.sub(d, f32x4.mul(vexp(yy), a)) : f32x4.mul(yy, f32x4.sub(d, a));
      v128.store(dx + o, f32x4.mul(g, sc));
    }
    for (let i = full; i < size; i++) {
      const o = base + ((<usize>i) << 2);
      const d = load<f32>(dy + o);
      const yy = load<f32>(y + o);
      store<f32>(dx + o, (log ? d - expScalar(yy) * acc : yy * (d - acc)) * scale);
    }
  }
}
