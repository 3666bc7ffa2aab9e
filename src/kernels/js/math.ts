/**
 * Scalar math that JavaScript's `Math` lacks. Everything else in the JS
 * kernels uses `Math.*` directly (correctly rounded or within 1 ulp in V8).
 */

// Rational approximations of erf on [0, 0.84375), [0.84375, 1.25), and of
// erfc on [1.25, 1/0.35) and [1/0.35, 6): the coefficients of Sun's fdlibm
// (s_erf.c), whose stated error is below 2^-57 on each interval.
const EFX = 1.28379167095512586316e-1;
const ERX = 8.45062911510467529297e-1;
const PP = [
  1.28379167095512558561e-1, -3.2504210724700149937e-1, -2.84817495755985104766e-2,
  -5.77027029648944159157e-3, -2.37630166566501626084e-5,
];
const QQ = [
  3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3,
  1.32494738004321644526e-4, -3.9602282787753681232e-6,
];
const PA = [
  -2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1,
  3.18346619901161753674e-1, -1.10894694282396677476e-1, 3.54783043256182359371e-2,
  -2.166375594868790843e-3,
];
const QA = [
  1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2,
  1.26171219808761642112e-1, 1.36370839120290507362e-2, 1.1984499846799107417e-2,
];
const RA = [
  -9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1,
  -6.23753324503260060396e1, -1.62396669462573470355e2, -1.84605092906711035994e2,
  -8.12874355063065934246e1, -9.81432934416914548592,
];
const SA = [
  1.96512716674392571292e1, 1.376577541435190426e2, 4.34565877475229228821e2,
  6.45387271733267880336e2, 4.29008140027567833386e2, 1.08635005541779435134e2,
  6.57024977031928170135, -6.04244152148580987438e-2,
];
const RB = [
  -9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1,
  -1.60636384855821916062e2, -6.37566443368389627722e2, -1.02509513161107724954e3,
  -4.83519191608651397019e2,
];
const SB = [
  3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3,
  3.19985821950859553908e3, 2.55305040643316442583e3, 4.74528541206955367215e2,
  -2.24409524465858183362e1,
];

/** Horner evaluation of c[0] + c[1]·t + … */
function poly(c: readonly number[], t: number): number {
  let r = c[c.length - 1];
  for (let i = c.length - 2; i >= 0; i--) r = r * t + c[i];
  return r;
}

/** 1 + t·(c[0] + c[1]·t + …): the denominators all start with 1. */
function poly1(c: readonly number[], t: number): number {
  return 1 + t * poly(c, t);
}

/**
 * The error function, accurate to about 1 ulp in float64.
 * erf(±Infinity) = ±1, erf(NaN) = NaN, erf(−0) = −0.
 */
export function erf(x: number): number {
  if (x !== x) return x;
  const ax = Math.abs(x);
  let r: number;
  if (ax < 0.84375) {
    if (ax < 3.725290298461914e-9) return x + EFX * x; // |x| < 2^-28
    const z = x * x;
    return x + x * (poly(PP, z) / poly1(QQ, z));
  }
  if (ax < 1.25) {
    const s = ax - 1;
    r = ERX + poly(PA, s) / poly1(QA, s);
  } else if (ax >= 6) {
    r = 1;
  } else {
    // erfc(|x|) = exp(−x² − 0.5625 + R/S) / |x|
    const s = 1 / (ax * ax);
    const ratio = ax < 1 / 0.35 ? poly(RA, s) / poly1(SA, s) : poly(RB, s) / poly1(SB, s);
    r = 1 - Math.exp(-ax * ax - 0.5625 + ratio) / ax;
  }
  return x < 0 ? -r : r;
}

/**
 * `log1p` as PyTorch computes it in float32 (Sleef's `log1pf`, its vectorised
 * and its scalar kernel alike): +Infinity for every `x` above 1e38 (rounded
 * to float32, 9.99999968e37), where the true value is at most 88.7.
 */
export function log1p32(x: number): number {
  return x > LOG1P_F32_LIMIT ? Infinity : Math.log1p(x);
}
const LOG1P_F32_LIMIT = Math.fround(1e38);

/** `log1p` as PyTorch computes it in float64 (Sleef's `log1p`): +Infinity above 1e307. */
export function log1p64(x: number): number {
  return x > 1e307 ? Infinity : Math.log1p(x);
}

/**
 * C's `pow`, which PyTorch's kernels call: like `Math.pow` except that
 * `pow(1, y) = 1` for every `y` (NaN and ±Infinity included) and
 * `pow(−1, ±Infinity) = 1`, where JavaScript's `Math.pow` gives NaN.
 */
export function pow(x: number, y: number): number {
  if (x === 1 || (x === -1 && (y === Infinity || y === -Infinity))) return 1;
  return Math.pow(x, y);
}
