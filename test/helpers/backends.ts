/** Runs a block of tests, or a kernel test, once per kernel backend available on this machine. */
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  availableBackends,
  getBackend,
  setBackend,
  setNumThreads,
  wasmReady,
  type BackendName,
} from '../../src/index.js';

/**
 * `describe(`backend ${name}`)` for every available backend, with that
 * backend active while its tests run. The golden suites use this so that
 * every backend is held to PyTorch's numbers, not just the default one.
 */
export function forEachBackend(body: (backend: BackendName) => void): void {
  for (const name of availableBackends()) {
    describe(`backend ${name}`, () => {
      let previous: BackendName;
      beforeAll(async () => {
        await wasmReady;
        previous = getBackend();
        setBackend(name);
      });
      afterAll(() => setBackend(previous));
      body(name);
    });
  }
}

/** The typed arrays the kernel tests fill. */
export type ArrayKind = 'float32' | 'float64' | 'int32';

/**
 * `it(`${backend} ${kind}, ${threads} thread(s): ${title}`)` for every
 * available backend, every kind and one thread and two, with that backend
 * and thread count set while `body` runs (and one thread restored after):
 * the kernel tests' sweep.
 */
export function itOnEveryKernelBackend<K extends ArrayKind>(
  kinds: readonly K[],
  title: string,
  body: (kind: K, backend: BackendName) => void,
): void {
  for (const backend of availableBackends()) {
    for (const kind of kinds) {
      for (const threads of [1, 2]) {
        it(`${backend} ${kind}, ${threads} thread(s): ${title}`, () => {
          const previous = getBackend();
          setBackend(backend);
          setNumThreads(threads);
          try {
            body(kind, backend);
          } finally {
            setBackend(previous);
            setNumThreads(1);
          }
        });
      }
    }
  }
}

/** A typed array of `kind` holding `value(i)` at each index (rounded to the kind). */
export function filledArray(
  kind: ArrayKind,
  n: number,
  value: (i: number) => number,
): Float32Array | Float64Array | Int32Array {
  const a =
    kind === 'float32'
      ? new Float32Array(n)
      : kind === 'float64'
        ? new Float64Array(n)
        : new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = value(i);
  return a;
}
