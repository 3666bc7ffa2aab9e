/**
 * The benchmark's memory check, run in a fresh process by bench/run.ts so
 * the peak RSS is this loop's alone: `steps` gelu forward+backward steps on
 * 4M float32 elements in a synchronous loop (no event-loop turns, so only
 * V8-owned memory can be reclaimed). Prints one JSON line.
 */
import { F, tensor, getBackend } from '../src/index.js';

const steps = Number(process.argv[2] ?? 2000);
const n = Number(process.argv[3] ?? 4 << 20);
const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 4);
const xr = tensor(x).requiresGrad_();
const g = tensor(Float32Array.from({ length: n }, (_, i) => Math.cos(i)));
const before = process.resourceUsage().maxRSS / 1024;
const t0 = performance.now();
for (let s = 0; s < steps; s++) {
  xr.grad = null;
  F.gelu(xr).backward(g);
}
const secs = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({
    steps,
    n,
    backend: getBackend(),
    secs,
    beforeMB: before,
    peakMB: process.resourceUsage().maxRSS / 1024,
  }),
);
