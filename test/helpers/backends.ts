/** Runs a block of tests once per kernel backend available on this machine. */
import { afterAll, beforeAll, describe } from 'vitest';
import {
  availableBackends,
  getBackend,
  setBackend,
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
