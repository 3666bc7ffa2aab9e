/**
 * The benchmarks start PyTorch with the OpenBLAS core type its CPU can run
 * (bench/torch-env.ts): a CPU model OpenBLAS 0.3.21 does not know otherwise
 * gets its SSE3 kernels, ~5× slower, and every ratio against PyTorch lies.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  TORCH_MALLOC_TUNABLES,
  describeTorchEnv,
  openblasCoreFor,
  torchEnv,
  weakOpenblasCore,
} from '../bench/torch-env.js';

describe('bench: OpenBLAS core type for PyTorch', () => {
  const flags = (s: string): Set<string> => new Set(s.split(' '));
  it('picks SkylakeX only with all four AVX-512 subsets its kernels use', () => {
    expect(openblasCoreFor(flags('sse3 avx avx2 fma avx512f avx512bw avx512dq avx512vl'))).toBe(
      'SkylakeX',
    );
    expect(openblasCoreFor(flags('sse3 avx avx2 fma avx512f avx512dq avx512vl'))).toBe('Haswell');
  });
  it('picks Haswell for AVX2 with FMA, and leaves older CPUs to OpenBLAS', () => {
    expect(openblasCoreFor(flags('sse3 avx avx2 fma'))).toBe('Haswell');
    expect(openblasCoreFor(flags('sse3 avx avx2'))).toBeNull();
    expect(openblasCoreFor(flags('sse3 avx'))).toBeNull();
    expect(openblasCoreFor(new Set())).toBeNull();
  });
  it('calls a pre-AVX2 core weak only on a CPU with AVX2', () => {
    const avx2 = flags('sse3 avx avx2 fma');
    expect(weakOpenblasCore('Prescott', avx2)).toBe(true);
    expect(weakOpenblasCore('SkylakeX', avx2)).toBe(false);
    expect(weakOpenblasCore('Haswell', avx2)).toBe(false);
    expect(weakOpenblasCore('Prescott', flags('sse3 avx'))).toBe(false);
  });
  it("sets the core type and glibc's malloc for PyTorch only where the caller did not", () => {
    const avx512 = flags('avx2 fma avx512f avx512bw avx512dq avx512vl');
    const fresh = torchEnv({ PATH: '/bin' }, avx512);
    expect(fresh).toMatchObject({ PATH: '/bin', OPENBLAS_CORETYPE: 'SkylakeX' });
    expect(fresh.GLIBC_TUNABLES).toBe(TORCH_MALLOC_TUNABLES);
    // The same thresholds as native/addon.cc's mallopt calls, read from its source, and huge pages.
    const addon = readFileSync(new URL('../native/addon.cc', import.meta.url), 'utf8');
    const mallopt = (name: string): number => {
      const m = new RegExp(`mallopt\\(${name}, (\\d+) << (\\d+)\\)`).exec(addon);
      if (!m) throw new Error(`native/addon.cc sets no ${name}`);
      return Number(m[1]) * 2 ** Number(m[2]);
    };
    expect(addon).toMatch(/mallopt\(M_MMAP_MAX, 0\);/);
    expect(TORCH_MALLOC_TUNABLES.split(':')).toEqual([
      `glibc.malloc.mmap_threshold=${mallopt('M_MMAP_THRESHOLD')}`,
      `glibc.malloc.trim_threshold=${mallopt('M_TRIM_THRESHOLD')}`,
      'glibc.malloc.mmap_max=0',
      'glibc.malloc.hugetlb=1',
    ]);
    const given = torchEnv(
      { OPENBLAS_CORETYPE: 'Haswell', GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' },
      avx512,
    );
    expect(given).toMatchObject({
      OPENBLAS_CORETYPE: 'Haswell',
      GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0',
    });
    expect(torchEnv({}, new Set()).OPENBLAS_CORETYPE).toBeUndefined();
  });
  it('says in the report what PyTorch ran with, flagging a core narrower than the CPU', () => {
    const avx512 = flags('avx2 fma avx512f avx512bw avx512dq avx512vl');
    const chosen = describeTorchEnv({}, avx512);
    expect(chosen).toContain('`OPENBLAS_CORETYPE=SkylakeX` (chosen from the CPU');
    expect(chosen).toContain(TORCH_MALLOC_TUNABLES);
    const narrower = describeTorchEnv({ OPENBLAS_CORETYPE: 'Haswell' }, avx512);
    expect(narrower).toContain("`OPENBLAS_CORETYPE=Haswell` from the caller's environment");
    expect(narrower).toContain('call for SkylakeX');
    expect(describeTorchEnv({ OPENBLAS_CORETYPE: 'skylakex' }, avx512)).not.toContain('call for');
    expect(describeTorchEnv({ GLIBC_TUNABLES: 'x=1' }, avx512)).toContain(
      "`GLIBC_TUNABLES=x=1` from the caller's environment",
    );
  });
});
