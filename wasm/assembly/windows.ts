// im2col and col2im over planes in the scratch region (the kernels'
// declarations are in src/kernels/schema.ts; the JavaScript bodies,
// src/kernels/js/window-kernels.ts, walk the same rows in the same order).
// The caller streams whole planes through the region: `planes` planes of
// h×w floats one after another, and for each plane the taps [t0, t1) as rows
// of oh·ow windows, plane after plane. im2col only copies; col2im adds each
// element's taps in the order of the JavaScript kernel (taps outer, windows
// inner), every sum rounded to float32, so all three backends agree bit for bit.

/** The windows [lo, hi) of n whose position z·stride + off lies in [0, size) (stride 0: all at off). */
@inline function runLo(n: i32, stride: i32, off: i32, size: i32): i32 {
  let lo: i32 = 0;
  if (stride == 0) lo = off >= 0 && off < size ? 0 : n;
  else if (off < 0) lo = (-off + stride - 1) / stride;
  return lo < n ? lo : n;
}

@inline function runHi(n: i32, stride: i32, off: i32, size: i32, lo: i32): i32 {
  let hi: i32 = 0;
  if (stride == 0) hi = off >= 0 && off < size ? n : 0;
  else if (off < size) hi = (size - 1 - off) / stride + 1;
  if (hi > n) hi = n;
  return hi > lo ? hi : lo;
}

@inline function fill(at: usize, from: i32, to: i32, v: f32): void {
  for (let z = from; z < to; z++) store<f32>(at + ((<usize>z) << 2), v);
}

/** im2col of `planes` planes at x into out (see the file's comment). */
export function im2col_planes(
  planes: i32,
  h: i32,
  w: i32,
  kw: i32,
  t0: i32,
  t1: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  dh: i32,
  dw: i32,
  oh: i32,
  ow: i32,
  out: usize,
  x: usize,
  padValue: f32,
): void {
  let o = out;
  const rowBytes = (<usize>ow) << 2;
  for (let p = 0; p < planes; p++) {
    const plane = p * h * w;
    for (let t = t0; t < t1; t++) {
      const a = t / kw;
      const b = t % kw;
      const off = b * dw - pw;
      const lo = runLo(ow, sw, off, w);
      const hi = runHi(ow, sw, off, w, lo);
      for (let y = 0; y < oh; y++) {
        const i = y * sh - ph + a * dh;
        if (i < 0 || i >= h) {
          fill(o, 0, ow, padValue);
        } else {
          // The element of window z is plane + i·w + off + z·sw; windows in [lo, hi) are inside.
          const from = plane + i * w + off;
          fill(o, 0, lo, padValue);
          if (sw == 1) {
            // (memory.copy checks its addresses even when it copies nothing: skip empty runs.)
            if (hi > lo)
              memory.copy(
                o + ((<usize>lo) << 2),
                x + ((<usize>(from + lo)) << 2),
                (<usize>(hi - lo)) << 2,
              );
          } else {
            for (let z = lo; z < hi; z++) {
              store<f32>(o + ((<usize>z) << 2), load<f32>(x + ((<usize>(from + z * sw)) << 2)));
            }
          }
          fill(o, hi, ow, padValue);
        }
        o += rowBytes;
      }
    }
  }
}

/**
 * col2im of the taps [t0, t1) of `planes` planes at cols into the planes at
 * dx, zeroed first when `zero` is 1 (the first group of taps), else added to.
 */
export function col2im_planes(
  planes: i32,
  h: i32,
  w: i32,
  kw: i32,
  t0: i32,
  t1: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  dh: i32,
  dw: i32,
  oh: i32,
  ow: i32,
  dx: usize,
  cols: usize,
  zero: i32,
): void {
  if (zero) memory.fill(dx, 0, (<usize>(planes * h * w)) << 2);
  let c = cols;
  const rowBytes = (<usize>ow) << 2;
  for (let p = 0; p < planes; p++) {
    const plane = p * h * w;
    for (let t = t0; t < t1; t++) {
      const a = t / kw;
      const b = t % kw;
      const off = b * dw - pw;
      const lo = runLo(ow, sw, off, w);
      const hi = runHi(ow, sw, off, w, lo);
      for (let y = 0; y < oh; y++) {
        const i = y * sh - ph + a * dh;
        if (i >= 0 && i < h) {
          const from = plane + i * w + off;
          for (let z = lo; z < hi; z++) {
            const at = dx + ((<usize>(from + z * sw)) << 2);
            store<f32>(at, load<f32>(at) + load<f32>(c + ((<usize>z) << 2)));
          }
        }
        c += rowBytes;
      }
    }
  }
}
