// extremumIndices over blocks in the scratch region (declared in
// src/kernels/schema.ts; the JavaScript body is in
// src/kernels/js/reduce-kernels.ts): `outer` blocks of (size, inner) floats,
// the maximum (kind 1) or minimum (kind 0) over size for each inner position
// and the first index where it is; a NaN wins and the first NaN stays. Four
// inner positions per vector; the comparisons are the JavaScript kernel's, so
// values and indices agree on every backend.

export function extremum_indices_blocks(
  kind: i32,
  outer: i32,
  size: i32,
  inner: i32,
  x: usize,
  out: usize,
  indices: usize,
): void {
  const vec = inner & ~3;
  for (let o = 0; o < outer; o++) {
    const base = x + ((<usize>(o * size * inner)) << 2);
    const ob = out + ((<usize>(o * inner)) << 2);
    const ib = indices + ((<usize>(o * inner)) << 2);
    for (let i = 0; i < vec; i += 4) {
      const off = (<usize>i) << 2;
      let best = v128.load(base + off);
      let at = i32x4.splat(0);
      for (let s = 1; s < size; s++) {
        const v = v128.load(base + ((<usize>(s * inner)) << 2) + off);
        const better = kind ? f32x4.gt(v, best) : f32x4.lt(v, best);
        // Taken where best is a number and v is NaN or better.
        const take = v128.and(f32x4.eq(best, best), v128.or(f32x4.ne(v, v), better));
        best = v128.bitselect(v, best, take);
        at = v128.bitselect(i32x4.splat(s), at, take);
      }
      v128.store(ob + off, best);
      v128.store(ib + off, at);
    }
    for (let i = vec; i < inner; i++) {
      const off = (<usize>i) << 2;
      let best = load<f32>(base + off);
      let at: i32 = 0;
      for (let s = 1; s < size; s++) {
        const v = load<f32>(base + ((<usize>(s * inner)) << 2) + off);
        if (best == best && (v != v || (kind ? v > best : v < best))) {
          best = v;
          at = s;
        }
      }
      store<f32>(ob + off, best);
      store<i32>(ib + off, at);
    }
  }
}
