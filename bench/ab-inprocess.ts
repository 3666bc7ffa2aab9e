/**
 * A/B timing of two checkouts of nnkit loaded side by side in one process
 * (not the benchmark of record): `npx tsx bench/ab-inprocess.ts <old-root>`
 * from the new checkout's root. Each workload's calls alternate between the
 * two, so both see the same machine load, CPU frequency and JIT state; what
 * stays different is each version's own code. Better than `bench/ab.ts` for
 * the per-call cost of small tensors, where run-to-run noise between
 * processes is as large as the difference; both versions share one garbage
 * collector, so allocation changes show less here than in separate runs.
 *
 * Prints, per workload, the median CPU milliseconds of 31 alternating runs
 * (native backend, one thread) and new/old.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

type Nnkit = typeof import('../src/index.js');

const oldRoot = process.argv[2];
if (!oldRoot) {
  console.error('usage: npx tsx bench/ab-inprocess.ts <root of the other checkout>');
  process.exit(2);
}
const load = async (root: string): Promise<Nnkit> =>
  (await import(pathToFileURL(resolve(root, 'src', 'index.ts')).href)) as Nnkit;
const before = await load(oldRoot);
const after = await load(process.cwd());

function workloads(n: Nnkit): Record<string, () => void> {
  n.setBackend('native');
  n.setNumThreads(1);
  const small = n.randn([1000]);
  const big = n.randn([4 << 20]);
  const logits = n.randn([4096, 1000]);
  const labels = n.tensor(
    Int32Array.from({ length: 4096 }, (_, i) => (i * 7919) % 1000),
    { dtype: 'int32' },
  );
  const smallLogits = n.randn([8, 10]);
  const smallLabels = n.tensor(
    Int32Array.from({ length: 8 }, (_, i) => i % 10),
    { dtype: 'int32' },
  );
  const times = (k: number, f: () => unknown) => () => {
    for (let i = 0; i < k; i++) f();
  };
  return {
    'relu 1k x1000': times(1000, () => n.F.relu(small)),
    'leakyRelu(x, 0.1) 1k x1000': times(1000, () => n.F.leakyRelu(small, 0.1)),
    'crossEntropy 8x10 x1000': times(1000, () => n.F.crossEntropy(smallLogits, smallLabels)),
    'relu 4M': () => n.F.relu(big),
    'gelu 4M': () => n.F.gelu(big),
    'softmax 4096x1000': () => n.F.softmax(logits, 1),
    'logSoftmax 4096x1000': () => n.F.logSoftmax(logits, 1),
    'crossEntropy 4096x1000': () => n.F.crossEntropy(logits, labels),
  };
}

const a = workloads(before);
const b = workloads(after);
const cpuMs = (f: () => void): number => {
  const t0 = process.cpuUsage();
  f();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
};
const median = (v: number[]): number => [...v].sort((x, y) => x - y)[v.length >> 1];
for (const name of Object.keys(a)) {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < 3; i++) {
    a[name]();
    b[name]();
  }
  for (let i = 0; i < 31; i++) {
    // Alternate which goes first.
    const [first, second] = i % 2 ? [a, b] : [b, a];
    const [tFirst, tSecond] = i % 2 ? [ta, tb] : [tb, ta];
    tFirst.push(cpuMs(first[name]));
    tSecond.push(cpuMs(second[name]));
  }
  const [ma, mb] = [median(ta), median(tb)];
  console.log(
    `${name.padEnd(28)} old ${ma.toFixed(3)}  new ${mb.toFixed(3)}  new/old ${(mb / ma).toFixed(2)}`,
  );
}
