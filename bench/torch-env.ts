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
 * OpenBLAS's SkylakeX kernels need), Haswell for AVX2 with FMA. And glibc's
 * malloc is set as nnkit's addon sets its own ({@link TORCH_MALLOC_TUNABLES}).
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
 * glibc's `malloc` settings for PyTorch's process: the ones nnkit's addon sets
 * in its own (native/addon.cc: `M_MMAP_THRESHOLD` 32 MB, `M_TRIM_THRESHOLD`
 * 256 MB, `M_MMAP_MAX` 0, and `madvise(MADV_HUGEPAGE)` on new tensors of 4 MB
 * or more), as glibc tunables. Without them each block over the mmap threshold is mapped
 * afresh by every allocation and its first writes fault 4 KB at a time; how
 * much that costs depends on the machine. Measured on a 2-core AMD EPYC VM
 * (family 26) under the PVM hypervisor, where a page fault takes ~11 µs:
 * `torch.empty(256, 50000).fill_(0)` took 145 ms with glibc's defaults and
 * 6.7 ms with `glibc.malloc.hugetlb=1`, and bench:train's d-full step
 * (51 MB logits and gradients) 687 ms against 141. Both sides then allocate
 * alike, and the comparison measures the kernels, not the page tables.
 */
export const TORCH_MALLOC_TUNABLES = [
  `glibc.malloc.mmap_threshold=${32 << 20}`,
  `glibc.malloc.trim_threshold=${256 << 20}`,
  'glibc.malloc.mmap_max=0',
  'glibc.malloc.hugetlb=1',
].join(':');

/**
 * The environment for PyTorch's process: `base` plus `OPENBLAS_CORETYPE`
 * chosen from the CPU's flags and `GLIBC_TUNABLES` set to
 * {@link TORCH_MALLOC_TUNABLES}, each only where `base` does not set it.
 */
export function torchEnv(
  base: NodeJS.ProcessEnv = process.env,
  flags: ReadonlySet<string> = cpuFlags(),
): NodeJS.ProcessEnv {
  const env = { ...base };
  const core = openblasCoreFor(flags);
  if (!env.OPENBLAS_CORETYPE && core) env.OPENBLAS_CORETYPE = core;
  if (!env.GLIBC_TUNABLES) env.GLIBC_TUNABLES = TORCH_MALLOC_TUNABLES;
  return env;
}

/**
 * One Markdown sentence for a report: what {@link torchEnv} set for PyTorch
 * and what it left as the caller's environment had it, flagging a core type
 * from the environment that differs from the one the CPU's flags call for
 * (a machine may export `OPENBLAS_CORETYPE=Haswell` on a CPU with AVX-512).
 */
export function describeTorchEnv(
  base: NodeJS.ProcessEnv = process.env,
  flags: ReadonlySet<string> = cpuFlags(),
): string {
  const env = torchEnv(base, flags);
  const best = openblasCoreFor(flags);
  const core = env.OPENBLAS_CORETYPE;
  const coreText = !core
    ? 'OpenBLAS choosing its own kernels'
    : core !== base.OPENBLAS_CORETYPE
      ? `\`OPENBLAS_CORETYPE=${core}\` (chosen from the CPU's flags)`
      : `\`OPENBLAS_CORETYPE=${core}\` from the caller's environment${
          best && core.toLowerCase() !== best.toLowerCase()
            ? ` (**this CPU's flags call for ${best}**: unset it to compare against those kernels)`
            : ''
        }`;
  const mallocText =
    env.GLIBC_TUNABLES !== base.GLIBC_TUNABLES
      ? `\`GLIBC_TUNABLES=${env.GLIBC_TUNABLES}\` (glibc's malloc as nnkit's addon sets its own: blocks up to 32 MB reused, large ones on transparent huge pages)`
      : `\`GLIBC_TUNABLES=${env.GLIBC_TUNABLES}\` from the caller's environment`;
  return `PyTorch ran with ${coreText} and ${mallocText}.`;
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
