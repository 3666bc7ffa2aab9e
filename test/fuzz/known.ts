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
    note: 'a float32 matrix product whose products or partial sums overflow has no single PyTorch value: it depends on the order and fusion of the accumulation. Replay: node --import tsx test/fuzz/worker.ts --seed 11 --case 185107, [1e30 ×4] @ M[4×3], column 1 with products −2.8e30, −2.0e30, −1e60, +1e60: PyTorch 1.13 (OpenBLAS) gives −inf for a @ m (one FMA accumulator: fma(1e30, −1e30, ·) overflows to −inf and −inf + 1e60 stays −inf) but NaN for torch.mv(m.t(), a), native NaN (its AVX2 tile splits k over unrolled FMA accumulators, −inf + inf), wasm NaN (separate multiply and add), js 0 (float64 accumulation). Following one of PyTorch’s paths would take OpenBLAS’s k-order and blocking on every backend and an FMA that WebAssembly SIMD lacks (emulated in f64 it halves the GEMM’s throughput). (0·inf = NaN inside a product, without overflowing partial sums, holds on every backend: test/golden/extremes.json, matmul cases; no it.fails test, as there is no one PyTorch value to state)',
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
