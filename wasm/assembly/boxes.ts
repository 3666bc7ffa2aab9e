// boxSum and boxSpread over planes in the scratch region (declared in
// src/kernels/schema.ts; the JavaScript bodies, src/kernels/js/box-kernels.ts,
// add in the same order). `rows` and `cols` hold each box's [lo, hi) bounds
// as int32 pairs. boxSum takes each box's sum in float64 (the running sums of
// a row of boxes at `acc`) and rounds it once; boxSpread adds every gradient
// to the float32 element, rounding each sum, column offsets from the widest
// box's down and boxes inner, so all three backends agree bit for bit.

/** Box sums of `planes` planes of h×w at x into `planes` planes of oh×ow at out. */
export function box_sum_planes(
  planes: i32,
  h: i32,
  w: i32,
  oh: i32,
  ow: i32,
  out: usize,
  x: usize,
  rows: usize,
  cols: usize,
  acc: usize,
): void {
  for (let p = 0; p < planes; p++) {
    const plane = x + ((<usize>(p * h * w)) << 2);
    const o = out + ((<usize>(p * oh * ow)) << 2);
    for (let y = 0; y < oh; y++) {
      memory.fill(acc, 0, (<usize>ow) << 3);
      const r1 = load<i32>(rows + ((<usize>y) << 3) + 4);
      for (let i = load<i32>(rows + ((<usize>y) << 3)); i < r1; i++) {
        const row = plane + ((<usize>(i * w)) << 2);
        for (let z = 0; z < ow; z++) {
          const at = acc + ((<usize>z) << 3);
          let s = load<f64>(at);
          const c1 = load<i32>(cols + ((<usize>z) << 3) + 4);
          for (let j = load<i32>(cols + ((<usize>z) << 3)); j < c1; j++) {
            s += <f64>load<f32>(row + ((<usize>j) << 2));
          }
          store<f64>(at, s);
        }
      }
      for (let z = 0; z < ow; z++) {
        store<f32>(o + ((<usize>(y * ow + z)) << 2), <f32>load<f64>(acc + ((<usize>z) << 3)));
      }
    }
  }
}

/** The adjoint of box_sum_planes: dx (zeroed first) gets each g of a box at every element of it. */
export function box_spread_planes(
  planes: i32,
  h: i32,
  w: i32,
  oh: i32,
  ow: i32,
  dx: usize,
  g: usize,
  rows: usize,
  cols: usize,
  widest: i32,
): void {
  memory.fill(dx, 0, (<usize>(planes * h * w)) << 2);
  for (let p = 0; p < planes; p++) {
    const plane = dx + ((<usize>(p * h * w)) << 2);
    for (let y = 0; y < oh; y++) {
      const gy = g + ((<usize>((p * oh + y) * ow)) << 2);
      const r1 = load<i32>(rows + ((<usize>y) << 3) + 4);
      for (let i = load<i32>(rows + ((<usize>y) << 3)); i < r1; i++) {
        const row = plane + ((<usize>(i * w)) << 2);
        for (let t = widest - 1; t >= 0; t--) {
          for (let z = 0; z < ow; z++) {
            const j = load<i32>(cols + ((<usize>z) << 3)) + t;
            if (j < load<i32>(cols + ((<usize>z) << 3) + 4)) {
              const at = row + ((<usize>j) << 2);
              store<f32>(at, load<f32>(at) + load<f32>(gy + ((<usize>z) << 2)));
            }
          }
        }
      }
    }
  }
}
