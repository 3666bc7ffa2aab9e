/**
 * Differences the fuzz suite found inside the kernels, which belong to the
 * kernel layer (TODO(kernels): the lead's rewrite of the dispatch layer owns
 * these files). A failing case whose every problem matches one entry, for
 * inputs full of special values, is reported as known instead of failing
 * the run; each entry also has a regression test marked `it.fails` in
 * test/hardening/kernel-findings.test.ts, which starts passing once fixed.
 */
export interface Known {
  id: string;
  /** The case's target (`F.softmax`, `nn.Softmax`, ...). */
  target: RegExp;
  /** Every problem of the case must match. */
  problem: RegExp;
  note: string;
  /** Also for ordinary (random normal) inputs, not only inputs full of special values. */
  anyInput?: boolean;
}

export const KNOWN: readonly Known[] = [
  {
    id: 'native-softmax-temperature',
    target: /^(F\.(softmax|softmin|logSoftmax|gumbelSoftmax)|nn\.(Softmax|Softmin|LogSoftmax))$/,
    problem: /^native vs (wasm|js): result\[\d+\] is /,
    note: 'TODO(kernels): the native softmax family with temperature ≠ 1 gives NaN or ±Infinity for inputs near float32’s limit or extreme temperatures (softmax([-1.787, -0.7, 3.4e38] / 8.67) and softmin(randn / 1e-300) are finite in PyTorch, wasm and js; native gives NaN)',
    anyInput: true,
  },
  {
    id: 'float32-intermediate-overflow',
    target: /^(F\.(softplus|hardswish|hardswish_)|nn\.(Softplus|Hardswish))$/,
    problem:
      /^native vs (wasm|js): result\[\d+\] is (-?Infinity vs -?[\d.e+]+|-?[\d.e+]+ vs -?Infinity)$/,
    note: 'TODO(kernels): float32 kernels whose intermediate overflows: softplus(88, beta 7.3, threshold 2^31) and hardswish(3.4e38) are Infinity on native (as in PyTorch, which computes in float32) but finite on js (which computes float32 entries in float64)',
  },
  {
    id: 'pow-huge-exponent-grad',
    target: /^T\.pow_?$/,
    problem:
      /^native vs (wasm|js): grad\d+\[\d+\] is (-?Infinity vs -?Infinity|-?[\d.e+-]+ vs -?[\d.e+-]+)$/,
    note: 'TODO(kernels): the gradient of x.pow(p) for p near 2^31 is p·x^(p−1) with p − 1 rounded to float32 on native and wasm (2^31 − 1 → 2^31, an even power): x.pow(2147483648) at x = −1.5 has gradient +Infinity there, −Infinity in PyTorch and js',
    anyInput: true,
  },
  {
    id: 'gelu-tanh-grad-overflow',
    target: /^(F\.gelu|nn\.GELU)$/,
    problem: /^native vs js: grad\d+\[\d+\] is NaN vs -?[\d.e+-]+$/,
    note: "TODO(kernels): the gradient of gelu(x, { approximate: 'tanh' }) at x = 1e30 is NaN in PyTorch, native and wasm (the cubic term overflows float32) but 0.959 on js",
  },
  {
    id: 'pnorm-overflow-grad',
    target:
      /^(F\.(tripletMarginLoss|pairwiseDistance|tripletMarginWithDistanceLoss)|nn\.(TripletMarginLoss|PairwiseDistance|TripletMarginWithDistanceLoss))$/,
    problem: /^native vs js: grad\d+\[\d+\] is NaN vs -?[\d.e+-]+$/,
    note: 'TODO(kernels): a p-norm that overflows float32 (p = 0.015: (Σ|d|^p)^(1/p) = inf) has a NaN gradient in PyTorch, native and wasm, 0 on js (float64 intermediates)',
    anyInput: true,
  },
  {
    id: 'matmul-inf-times-zero',
    target: /^(fn\.matmul|T\.matmul|nn\.Linear|layer\.Linear)$/,
    problem: /^native vs (wasm|js): (result|grad\d+)\[\d+\] is /,
    note: 'TODO(kernels): a GEMM over ±inf and 0 entries (inf·0 = NaN, inf − inf = NaN) gives ±inf or 0 on one backend and NaN or another value on the others, depending on which products each kernel forms (replay: node --import tsx test/fuzz/worker.ts --seed 11 --case 185107, native −Infinity vs js 0; no small hand-made reproducer found, so no it.fails test yet)',
  },
  {
    id: 'pow-one-special',
    target: /^(T\.pow_?|F\.pow)$/,
    problem: /^native vs (wasm|js): (result|grad\d+)\[\d+\] is /,
    note: "TODO(kernels): pow(1, ±Infinity) and pow(1, NaN) are 1 in PyTorch and native, NaN on wasm and js (JavaScript's Math.pow)",
  },
];

/** The known finding that explains all of a case's problems, if one does. */
export function knownFinding(
  target: string,
  problems: readonly string[],
  special: boolean,
): Known | null {
  return (
    KNOWN.find(
      (k) =>
        (special || k.anyInput === true) &&
        k.target.test(target) &&
        problems.every((p) => k.problem.test(p)),
    ) ?? null
  );
}
