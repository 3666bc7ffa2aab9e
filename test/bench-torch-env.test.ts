/**
 * The benchmarks start PyTorch with the OpenBLAS core type its CPU can run
 * (bench/torch-env.ts): a CPU model OpenBLAS 0.3.21 does not know otherwise
 * gets its SSE3 kernels, ~5× slower, and every ratio against PyTorch lies.
 */
import { describe, expect, it } from 'vitest';
import { openblasCoreFor, weakOpenblasCore } from '../bench/torch-env.js';

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
});
