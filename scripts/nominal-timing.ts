/**
 * Times the nominal kernel calls of test/kernels-nominal-all.test.ts at a
 * smaller scale (2^13 and 2^26 instead of 2^20 and 2^40, or `--log2 b` for
 * 2^b and 2^2b), where a kernel that walks its nominal rows takes a
 * measurable time instead of hanging: each kernel's slowest call per
 * backend, and whether the backend declined (the JavaScript kernel then ran).
 *
 *   npx tsx scripts/nominal-timing.ts [--log2 13] [--kernels a,b] [--backends js,wasm,native]
 */
import { parseArgs } from 'node:util';
import { availableBackends, setBackend, wasmReady, type BackendName } from '../src/index.js';
import { activeBackend } from '../src/kernels/backend.js';
import { jsKernels } from '../src/kernels/js/backend.js';
import { KERNELS, type KernelName } from '../src/kernels/schema.js';
import { nominalCalls } from '../test/helpers/nominal.js';

const { values } = parseArgs({
  options: {
    log2: { type: 'string', default: '13' },
    kernels: { type: 'string' },
    backends: { type: 'string' },
  },
});
const b = Number(values.log2);
await wasmReady;
const backends = (values.backends?.split(',') ?? availableBackends()) as BackendName[];
const kernels = (values.kernels?.split(',') ?? Object.keys(KERNELS)) as KernelName[];

for (const backend of backends) {
  setBackend(backend);
  for (const kernel of kernels) {
    const calls = nominalCalls(kernel, 'float32', 2 ** b, 2 ** (2 * b));
    if (calls.length === 0) continue;
    const own = activeBackend()[kernel] as ((...a: unknown[]) => unknown) | undefined;
    let worst = 0;
    let at = '';
    let declined = 0;
    for (const { sizes, args } of calls) {
      const t = performance.now();
      // The backend's own kernel, else JavaScript's, as dispatch runs them.
      let r = own ? own.apply(activeBackend(), args) : false;
      if (r === false) {
        declined++;
        r = (jsKernels[kernel] as (...a: unknown[]) => unknown)(...args);
      }
      const ms = performance.now() - t;
      if (ms > worst) [worst, at] = [ms, JSON.stringify(sizes)];
    }
    const note = declined ? ` (${own ? 'declined' : 'absent'} ${declined}/${calls.length})` : '';
    console.log(
      `${backend.padEnd(6)} ${kernel.padEnd(26)} ${String(calls.length).padStart(4)} calls, slowest ${worst.toFixed(1).padStart(8)} ms ${at}${note}`,
    );
  }
}
