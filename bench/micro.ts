/**
 * A quick single-backend timing for iterating on one kernel (not the benchmark of record):
 * `npx tsx bench/micro.ts wasm gelu,tanh,relu`.
 */
import { F, randn, setBackend, wasmReady, type BackendName, type Tensor } from '../src/index.js';

await wasmReady;
const [backend = 'wasm', names = 'relu,gelu,tanh,softplus,sigmoid'] = process.argv.slice(2);
setBackend(backend as BackendName);
const x = randn([4 << 20]);
const fns = F as unknown as Record<string, (t: Tensor) => Tensor>;
for (const name of names.split(',')) {
  const times: number[] = [];
  for (let r = 0; r < 15; r++) {
    const t0 = performance.now();
    fns[name](x);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`${backend} ${name} fwd: median ${times[7].toFixed(2)} ms`);
}
