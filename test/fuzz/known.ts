/**
 * Differences the fuzz suite found inside the kernels that are not fixed yet.
 * A failing case whose every problem matches one entry, for inputs full of
 * special values, is reported as known instead of failing the run; each entry
 * also has a regression test marked `it.fails` in
 * test/hardening/kernel-findings.test.ts, which starts passing once fixed
 * (then the test becomes a plain `it` and the entry goes). The findings fixed
 * so far (the native softmax family at extreme temperatures, float32
 * intermediate overflow in the js kernels, gelu-tanh's and the p-norms'
 * gradients at overflow, pow(1, NaN), pow's gradient at exponents near 2^31)
 * are plain regression tests there.
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
    id: 'matmul-inf-times-zero',
    target: /^(fn\.matmul|T\.matmul|nn\.Linear|layer\.Linear)$/,
    problem: /^native vs (wasm|js): (result|grad\d+)\[\d+\] is /,
    note: 'TODO(kernels): a GEMM over ±inf and 0 entries (inf·0 = NaN, inf − inf = NaN) gives ±inf or 0 on one backend and NaN or another value on the others, depending on which products each kernel forms (replay: node --import tsx test/fuzz/worker.ts --seed 11 --case 185107, native −Infinity vs js 0; no small hand-made reproducer found, so no it.fails test yet)',
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
