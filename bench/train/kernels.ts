/**
 * Where one workload's step goes, kernel by kernel: the native backend is
 * registered again over a wrapper of the addon that times every call, and
 * the workload trains with 1 and then 2 threads in this process. Prints,
 * per thread count, the mean ms per step, the time inside
 * native kernels and the rest (JavaScript, allocation, garbage collection),
 * minor page faults per step, then each kernel's µs per step and calls per
 * step (products labelled m×k×n), and its median µs a call: in-step
 * outliers (page faults, preemption, a collection) dominate the means of
 * short kernels (d-adaptive's 256×64×1002 head: 398–532 µs mean, 128
 * median, with 2 threads). Not the benchmark of record: the wrapper
 * adds a clock read around every call.
 *
 *   npx tsx bench/train/kernels.ts d-adaptive [steps]
 */
import { setNumThreads } from '../../src/index.js';
import { registerBackend } from '../../src/kernels/backend.js';
import { makeBackend, nativeAddon, type NativeAddon } from '../../src/kernels/native/index.js';
import { WORKLOADS } from './config.js';
import { instantiate, makeTrainer } from './build.js';
import { median } from './run-workload.js';

const [id = 'b', stepsArg] = process.argv.slice(2);
const w = WORKLOADS.find((c) => c.id === id);
if (!w) throw new Error(`no workload ${id} (ids: ${WORKLOADS.map((c) => c.id).join(', ')})`);
if (!nativeAddon) throw new Error('bench/train/kernels.ts: the native addon is not loaded');
const addon = nativeAddon;
const steps = Number(stepsArg ?? 100);
const WARMUP = 20;

const unaryNames = addon.opNames();
const binaryNames = addon.binaryOpNames();
const PRODUCTS = new Set(['matmul', 'linear', 'linearBackward']);

/** A readable key for one call: the op of element-wise kernels, the shape of products. */
function keyOf(name: string, args: unknown[]): string {
  if (name.startsWith('unary')) return `${name} ${unaryNames[args[0] as number]}`;
  if (name.startsWith('binary')) return `${name} ${binaryNames[args[0] as number]}`;
  if (PRODUCTS.has(name)) return `${name} ${args[0]}×${args[1]}×${args[2]}`;
  return name;
}

const totals = new Map<string, { ms: number; calls: number; each: number[] }>();
let timing = false;
const timed: Record<string, unknown> = {};
for (const name of Object.getOwnPropertyNames(addon)) {
  const fn = (addon as unknown as Record<string, unknown>)[name];
  if (typeof fn !== 'function') continue;
  timed[name] = (...args: unknown[]): unknown => {
    if (!timing) return fn.apply(addon, args);
    const t0 = performance.now();
    const r = fn.apply(addon, args);
    const key = keyOf(name, args) + (r === false ? ' (declined)' : '');
    const e = totals.get(key) ?? { ms: 0, calls: 0, each: [] };
    const ms = performance.now() - t0;
    e.ms += ms;
    e.calls++;
    e.each.push(ms);
    totals.set(key, e);
    return r;
  };
}
registerBackend(makeBackend(timed as unknown as NativeAddon), true);

for (const threads of [1, 2]) {
  setNumThreads(threads);
  const { model, data } = instantiate(w);
  const step = makeTrainer(w, model, data);
  for (let k = 0; k < WARMUP; k++) step(k);
  totals.clear();
  timing = true;
  const faults0 = process.resourceUsage().minorPageFault;
  const t0 = performance.now();
  for (let k = WARMUP; k < WARMUP + steps; k++) step(k);
  const stepMs = (performance.now() - t0) / steps;
  timing = false;
  const faults = (process.resourceUsage().minorPageFault - faults0) / steps;
  const rows = [...totals].sort((a, b) => b[1].ms - a[1].ms);
  const kernelMs = rows.reduce((s, [, e]) => s + e.ms, 0) / steps;
  console.log(
    `${id}, ${threads} thread(s): ${stepMs.toFixed(3)} ms a step, ${kernelMs.toFixed(3)} in native kernels, ` +
      `${(stepMs - kernelMs).toFixed(3)} the rest; ${faults.toFixed(0)} minor page faults a step`,
  );
  for (const [key, e] of rows)
    console.log(
      `  ${key.padEnd(36)} ${((e.ms / steps) * 1000).toFixed(0).padStart(7)} µs  ${(e.calls / steps).toFixed(2)} calls` +
        `  median ${(median(e.each) * 1000).toFixed(0).padStart(6)} µs a call`,
    );
}
