/**
 * How the native thread pool's workers wait between jobs (native/addon.cc,
 * `Pool`): they spin for 1 ms before they sleep, not at all when the pool
 * has more threads than the process has CPUs, and as OMP_WAIT_POLICY says
 * when it is set (PASSIVE: sleep at once; ACTIVE: spin up to 100 ms), read
 * at each `setNumThreads`. Whatever the policy, results match one thread.
 */
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { nativeAddon } from '../src/kernels/native/index.js';
import { F, getNumThreads, setNumThreads, tensor } from '../src/index.js';

const SKIP_REASON = nativeAddon ? null : 'native addon unavailable (not built or NNKIT_NATIVE=0)';
if (SKIP_REASON) console.warn(`native-pool-wait: skipped: ${SKIP_REASON}`);

describe.skipIf(SKIP_REASON !== null)('native pool: how workers wait', () => {
  const addon = nativeAddon!;
  const threadsBefore = getNumThreads();
  const policyBefore = process.env.OMP_WAIT_POLICY;
  afterEach(() => {
    if (policyBefore === undefined) delete process.env.OMP_WAIT_POLICY;
    else process.env.OMP_WAIT_POLICY = policyBefore;
    setNumThreads(1);
    setNumThreads(threadsBefore);
  });

  /** A fresh pool of `n` threads under `policy` (undefined: unset). */
  function pool(n: number, policy: string | undefined): number {
    if (policy === undefined) delete process.env.OMP_WAIT_POLICY;
    else process.env.OMP_WAIT_POLICY = policy;
    setNumThreads(1); // the policy is read when the workers start
    setNumThreads(n);
    return addon.poolSpinMicros();
  }

  it('spins 1 ms by default, as OMP_WAIT_POLICY asks when set, in any case', () => {
    expect(pool(2, undefined)).toBe(availableParallelism() >= 2 ? 1000 : 0);
    if (availableParallelism() < 2) return; // one CPU: every pool oversubscribes it
    expect(pool(2, 'PASSIVE')).toBe(0);
    expect(pool(2, 'passive')).toBe(0);
    expect(pool(2, 'Active')).toBe(100000);
    expect(pool(2, 'ACTIVE')).toBe(100000);
    // Anything else is the default, as an unset variable.
    expect(pool(2, 'sometimes')).toBe(1000);
    expect(pool(2, 'passive!')).toBe(1000);
    expect(pool(2, '')).toBe(1000);
  });

  it('does not spin when the threads outnumber the CPUs, whatever the policy', () => {
    const over = availableParallelism() + 1;
    expect(pool(over, undefined)).toBe(0);
    expect(pool(over, 'ACTIVE')).toBe(0);
  });

  it('computes the same in every mode', () => {
    const x = tensor(Float32Array.from({ length: 300_001 }, (_, i) => Math.sin(i) * 4));
    setNumThreads(1);
    const want = F.gelu(x).data;
    for (const policy of ['ACTIVE', 'PASSIVE', undefined]) {
      for (const n of [2, availableParallelism() + 2]) {
        pool(n, policy);
        const got = F.gelu(x).data;
        let differ = 0;
        for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) differ++;
        expect(differ, `${n} threads, OMP_WAIT_POLICY=${policy}`).toBe(0);
      }
      setNumThreads(1);
      expect(getNumThreads()).toBe(1);
    }
  });

  it('stops ACTIVE workers at once instead of waiting out their 100 ms spin', () => {
    // Resizes right after jobs, while the worker spins: it checks the stop flag as it spins,
    // so they take well under a millisecond; waiting out each spin would take about 100 ms.
    const x = tensor(Float32Array.from({ length: 300_001 }, (_, i) => i));
    const times: number[] = [];
    for (let k = 0; k < 5; k++) {
      pool(2, 'ACTIVE');
      for (let j = 0; j < 20; j++) F.relu(x);
      const t0 = performance.now();
      setNumThreads(1);
      times.push(performance.now() - t0);
    }
    expect(times.reduce((a, b) => a + b, 0)).toBeLessThan(250);
  });
});
