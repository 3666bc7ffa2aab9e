/**
 * The environment the benchmarks start PyTorch in, so that its OpenBLAS runs
 * the kernels this CPU can run. Debian's OpenBLAS 0.3.21 (DYNAMIC_ARCH) picks
 * its kernels by CPU model, and a model newer than it knows falls back to
 * "Prescott" (SSE3): measured on a 2-core Xeon VM reporting family 6 model
 * 207, a 128×784 · 784×512 sgemm took 2.68 ms (38 GFLOP/s) with Prescott and
 * 0.48–0.55 ms (190–210 GFLOP/s) with `OPENBLAS_CORETYPE=SkylakeX`, which
 * made PyTorch's MLP training step 3× slower than on a CPU OpenBLAS knows: an
 * anchor as weak as the reference BLAS. So, unless the user set it, the core
 * type follows the CPU's flags: SkylakeX for AVX-512 (F, BW, DQ, VL: what
 * OpenBLAS's SkylakeX kernels need), Haswell for AVX2 with FMA.
 */
import { readFileSync } from 'node:fs';

/** The flags of the first CPU in /proc/cpuinfo (empty where there is none). */
function cpuFlags(): Set<string> {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('flags'));
    return new Set(line ? line.split(':')[1].trim().split(/\s+/) : []);
  } catch {
    return new Set();
  }
}

/** The OpenBLAS core type this CPU can run at its best, or null to leave OpenBLAS's own choice. */
export function openblasCoreFor(flags: ReadonlySet<string>): string | null {
  if (['avx512f', 'avx512bw', 'avx512dq', 'avx512vl'].every((f) => flags.has(f))) return 'SkylakeX';
  if (flags.has('avx2') && flags.has('fma')) return 'Haswell';
  return null;
}

/**
 * `process.env` plus `OPENBLAS_CORETYPE` chosen from the CPU's flags, unless
 * the caller's environment already sets it.
 */
export function torchEnv(): NodeJS.ProcessEnv {
  if (process.env.OPENBLAS_CORETYPE) return process.env;
  const core = openblasCoreFor(cpuFlags());
  return core ? { ...process.env, OPENBLAS_CORETYPE: core } : process.env;
}

/** OpenBLAS's names (`openblas_get_corename()`) of the cores whose kernels predate AVX2. */
const PRE_AVX2_CORES = new Set([
  'prescott',
  'katmai',
  'coppermine',
  'northwood',
  'core2',
  'penryn',
  'dunnington',
  'nehalem',
  'atom',
  'sandybridge',
  'opteron',
  'opteron_sse3',
  'barcelona',
  'bobcat',
  'bulldozer',
  'piledriver',
  'unknown',
]);

/**
 * Whether OpenBLAS runs kernels older than the CPU: a pre-AVX2 `core` on a
 * CPU with AVX2 (`flags` defaults to this machine's), as when it did not
 * recognise the CPU model or `OPENBLAS_CORETYPE` chose them.
 */
export function weakOpenblasCore(core: string, flags: ReadonlySet<string> = cpuFlags()): boolean {
  return flags.has('avx2') && PRE_AVX2_CORES.has(core.toLowerCase());
}
