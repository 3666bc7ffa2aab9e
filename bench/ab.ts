/**
 * A/B timing of the public `F.*` path between two checkouts of nnkit (not the
 * benchmark of record): the per-call cost of argument binding and boundary
 * checks shows on small tensors, the kernels on 4M elements. Run it from each
 * checkout's root, alternating, so that both see the same machine load:
 *
 *   for r in 1 2 3 4 5; do (cd ../old && npx tsx $PWD/bench/ab.ts); npx tsx bench/ab.ts; done
 *
 * Prints one JSON line of median CPU milliseconds (process CPU time, so a
 * descheduled run does not count its waiting), native backend, one thread.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const root = process.cwd();
// The checkout to measure is the working directory's, not this file's.
const nnkit = (await import(
  pathToFileURL(join(root, 'src', 'index.ts')).href
)) as typeof import('../src/index.js');
const { F, randn, tensor, setBackend, setNumThreads } = nnkit;
setBackend(process.argv[2] === 'wasm' || process.argv[2] === 'js' ? process.argv[2] : 'native');
setNumThreads(1);

const big = randn([4 << 20]);
const small = randn([1000]);
const logits = randn([4096, 1000]);
const labels = tensor(
  Int32Array.from({ length: 4096 }, (_, i) => (i * 7919) % 1000),
  { dtype: 'int32' },
);
const smallLogits = randn([8, 10]);
const smallLabels = tensor(
  Int32Array.from({ length: 8 }, (_, i) => i % 10),
  { dtype: 'int32' },
);
const times = (n: number, fn: () => unknown) => () => {
  for (let i = 0; i < n; i++) fn();
};
const CASES: [string, () => unknown][] = [
  ['relu 4M', () => F.relu(big)],
  ['gelu 4M', () => F.gelu(big)],
  ['softmax 4096x1000', () => F.softmax(logits, 1)],
  ['logSoftmax 4096x1000', () => F.logSoftmax(logits, 1)],
  ['crossEntropy 4096x1000', () => F.crossEntropy(logits, labels)],
  ['relu 1k x1000', times(1000, () => F.relu(small))],
  ['leakyRelu(x, 0.1) 1k x1000', times(1000, () => F.leakyRelu(small, 0.1))],
  ['crossEntropy 8x10 x1000', times(1000, () => F.crossEntropy(smallLogits, smallLabels))],
];
const result: Record<string, number> = {};
for (const [name, fn] of CASES) {
  for (let i = 0; i < 3; i++) fn();
  const ms: number[] = [];
  for (let i = 0; i < 21; i++) {
    const t0 = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t0);
    ms.push((d.user + d.system) / 1000);
  }
  ms.sort((a, b) => a - b);
  result[name] = Number(ms[10].toFixed(3));
}
console.log(JSON.stringify(result));
