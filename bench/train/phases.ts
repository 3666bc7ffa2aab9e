/**
 * Where one workload's step goes, phase by phase (forward with loss,
 * backward, optimizer step), with 1 and 2 threads in this process: the
 * medians of each phase over the timed steps. For finding what keeps a
 * workload from scaling with threads.
 *
 *   npx tsx bench/train/phases.ts b [steps]
 */
import { setNumThreads } from '../../src/index.js';
import { WORKLOADS } from './config.js';
import { instantiate, lossOf, makeOptimizer } from './build.js';
import { median } from './run-workload.js';

const [id = 'b', stepsArg] = process.argv.slice(2);
const w = WORKLOADS.find((c) => c.id === id);
if (!w) throw new Error(`no workload ${id} (ids: ${WORKLOADS.map((c) => c.id).join(', ')})`);
const steps = Number(stepsArg ?? 60);

for (const threads of [1, 2, 1, 2]) {
  setNumThreads(threads);
  const { model, data } = instantiate(w);
  const opt = makeOptimizer(w.optimizer, model.net.parameters());
  const phases: Record<'forward' | 'backward' | 'step' | 'total', number[]> = {
    forward: [],
    backward: [],
    step: [],
    total: [],
  };
  for (let k = 0; k < 10 + steps; k++) {
    const i = k % data.x.length;
    const t0 = performance.now();
    opt.zeroGrad();
    const loss = lossOf(w, model, data.x[i], data.y[i]);
    const t1 = performance.now();
    loss.backward();
    const t2 = performance.now();
    opt.step();
    loss.item();
    const t3 = performance.now();
    if (k < 10) continue;
    phases.forward.push(t1 - t0);
    phases.backward.push(t2 - t1);
    phases.step.push(t3 - t2);
    phases.total.push(t3 - t0);
  }
  console.log(
    `${id} ${threads}t: ` +
      Object.entries(phases)
        .map(([k, v]) => `${k} ${median(v).toFixed(3)}`)
        .join(', '),
  );
}
