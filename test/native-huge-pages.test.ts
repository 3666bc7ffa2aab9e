/**
 * Large tensors on transparent huge pages (native `adviseHugePages`, called
 * by `allocUninit`/`allocZeroed` through `setLargeBufferAdvice` for every
 * new buffer of 4 MB or more): the advice reaches the kernel, so the first
 * writes of a large tensor fault 2 MB pages instead of 4 KB ones.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { nativeAddon } from '../src/kernels/native/index.js';
import { allocUninit, allocZeroed } from '../src/tensor/dtype.js';

/** The kernel's THP mode ('always', 'madvise' or 'never'), or null off Linux. */
function thpMode(): string | null {
  try {
    const text = readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8');
    return /\[(\w+)\]/.exec(text)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** This process's anonymous memory on huge pages, in bytes. */
function anonHugeBytes(): number {
  const m = /AnonHugePages:\s+(\d+) kB/.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'));
  if (!m) throw new Error('no AnonHugePages in /proc/self/smaps_rollup');
  return Number(m[1]) * 1024;
}

const SKIP_REASON = !nativeAddon
  ? 'native addon unavailable (not built or NNKIT_NATIVE=0)'
  : thpMode() !== 'madvise'
    ? `transparent huge pages are '${thpMode() ?? 'absent'}', not 'madvise': with 'always' every buffer gets them unasked, with 'never' none`
    : null;
if (SKIP_REASON) console.warn(`native-huge-pages: skipped: ${SKIP_REASON}`);

describe.skipIf(SKIP_REASON !== null)('large tensors on huge pages', () => {
  const addon = nativeAddon!;
  const MB = 1 << 20;
  // Kept alive to the end: a collection that freed an earlier test's tensor
  // during the measurement would take its huge pages off the count.
  const alive: Float32Array[] = [];
  afterAll(() => {
    alive.length = 0;
  });

  it('declines what it cannot advise, without throwing', () => {
    expect(addon.adviseHugePages(new ArrayBuffer(4096))).toBe(false); // no whole 2 MB page inside
    expect(addon.adviseHugePages(42 as unknown as ArrayBuffer)).toBe(false);
    expect(addon.adviseHugePages(new Float32Array(8) as unknown as ArrayBuffer)).toBe(false);
  });

  // 64 MB, past glibc's 32 MB heap blocks: freshly mapped, untouched memory.
  for (const [name, alloc] of [
    ['allocUninit', () => allocUninit('float32', 16 * MB)],
    ['allocZeroed', () => allocZeroed('float32', 16 * MB)],
  ] as const) {
    it(`${name}: a new 64 MB tensor is backed by huge pages once written`, () => {
      const before = anonHugeBytes();
      const x = alloc();
      alive.push(x);
      x.fill(1);
      const after = anonHugeBytes();
      // All whole 2 MB pages of the buffer: at least 62 MB, unless the
      // kernel found no free 2 MB frames (then it falls back to 4 KB pages;
      // half is the least this machine's tests have seen).
      expect(after - before).toBeGreaterThanOrEqual(32 * MB);
      expect(x[x.length - 1]).toBe(1);
    });
  }
});
