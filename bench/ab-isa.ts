/**
 * The training steps of `bench:train`'s workloads under each native
 * instruction set this CPU runs (`nativeAddon.isas()`), alternated in blocks
 * of five steps in one process so that machine load hits them alike (the
 * first step of a block is not timed: the 512-bit units power down in a
 * pause, and a user runs one build throughout): median CPU ms per step and
 * the ratio to the default build. Not the benchmark of record.
 *
 * `npx tsx bench/ab-isa.ts [--only=b,e] [--steps=40] [--threads=1]`
 */
import { setBackend, setNumThreads } from '../src/index.js';
import { nativeAddon } from '../src/kernels/native/index.js';
import { instantiate, makeTrainer } from './train/build.js';
import { WORKLOADS } from './train/config.js';
import { median } from './train/run-workload.js';

const arg = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const only = arg('only')?.split(',');
const steps = Number(arg('steps') ?? 40);
if (!nativeAddon) throw new Error('ab-isa: the native addon is not loaded');
setBackend('native');
setNumThreads(Number(arg('threads') ?? 1));
const isas = nativeAddon.isas().filter((isa) => isa !== 'baseline');
const defaultIsa = nativeAddon.isa();
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

console.log(
  `workload      ${isas.map((i) => `${i} CPU ms`.padStart(14)).join(' ')}  ratios to ${isas[0]}`,
);
for (const w of WORKLOADS.filter((w) => !only || only.includes(w.id))) {
  const trainers = isas.map(() => {
    const { model, data } = instantiate(w);
    return makeTrainer(w, model, data);
  });
  const times = isas.map((): number[] => []);
  const block = 5;
  for (let k0 = 0; k0 < steps + block; k0 += block)
    isas.forEach((isa, i) => {
      nativeAddon!.useIsa(isa);
      for (let k = k0; k < k0 + block; k++) {
        const t0 = cpuMs();
        trainers[i](k);
        if (k > k0 && k0 > 0) times[i].push(cpuMs() - t0);
      }
    });
  nativeAddon.useIsa(defaultIsa);
  const med = times.map(median);
  console.log(
    `${w.id.padEnd(13)} ${med.map((t) => t.toFixed(2).padStart(14)).join(' ')}  ${med.map((t) => (t / med[0]).toFixed(2)).join(' ')}`,
  );
}
