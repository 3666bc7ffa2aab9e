/**
 * Several worker_threads training with nnkit at once (test/hardening/load.test.ts):
 *
 *   node --import tsx test/load/threads.ts --backend native --workers 3 --steps 40
 *
 * The main thread first trains once with one kernel thread (the reference),
 * then starts the workers; each trains the same model from the same seed
 * and changes its own `setNumThreads` between steps (1, 2, 3, 4, ...), while
 * the main thread changes its own as well. Prints one JSON line: for each
 * worker, whether its final parameters and losses are bit-identical to the
 * reference.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  F,
  manualSeed,
  nn,
  optim,
  randint,
  randn,
  setBackend,
  setNumThreads,
  wasmReady,
} from '../../src/index.js';
import type { BackendName } from '../../src/index.js';

interface Job {
  backend: BackendName;
  steps: number;
  /** Change the thread count between steps. */
  vary: boolean;
}

/** Trains a 64→256→256→10 MLP on a batch of 256 (16.7M multiply-adds per GEMM: the wasm and native pools start); returns every loss and the final parameters' bytes. */
async function train(job: Job): Promise<{ losses: number[]; params: number[] }> {
  await wasmReady;
  setBackend(job.backend);
  setNumThreads(1);
  manualSeed(123);
  const model = new nn.Sequential(
    new nn.Linear(64, 256),
    new nn.Tanh(),
    new nn.Linear(256, 256),
    new nn.ReLU(),
    new nn.Linear(256, 10),
  );
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = randn([256, 64]);
  const y = randint(0, 10, [256], { dtype: 'int32' });
  const losses: number[] = [];
  for (let s = 0; s < job.steps; s++) {
    if (job.vary) setNumThreads(1 + (s % 4));
    opt.zeroGrad();
    const loss = F.crossEntropy(F.logSoftmax(model.forward(x), 1).exp().log(), y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  const params = model.parameters().flatMap((p) => Array.from(p.data));
  return { losses, params };
}

if (!isMainThread) {
  parentPort!.postMessage(await train(workerData as Job));
} else {
  const arg = (name: string, fallback: string): string => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : fallback;
  };
  const backend = arg('backend', 'native') as BackendName;
  const workers = Number(arg('workers', '3'));
  const steps = Number(arg('steps', '40'));
  const ref = await train({ backend, steps, vary: false });
  const runs = Array.from(
    { length: workers },
    (_, i) =>
      new Promise<{ losses: number[]; params: number[] }>((resolve, reject) => {
        // Node 20 does not carry --import hooks into workers: register tsx in the worker first.
        const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
        const w = new Worker(boot, {
          eval: true,
          workerData: { backend, steps, vary: true } satisfies Job,
        });
        w.once('message', resolve);
        w.once('error', reject);
        w.once('exit', (code) => {
          if (code !== 0) reject(new Error(`worker ${i} exited with code ${code}`));
        });
      }),
  );
  // The main thread's own pool changes while the workers run.
  let k = 0;
  const timer = setInterval(() => setNumThreads(1 + (k++ % 3)), 5);
  const results = await Promise.all(runs);
  clearInterval(timer);
  const same = (a: number[], b: number[]) =>
    a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  process.stdout.write(
    `${JSON.stringify({
      backend,
      workers,
      steps,
      refLoss: [ref.losses[0], ref.losses[steps - 1]],
      identical: results.map((r) => same(r.losses, ref.losses) && same(r.params, ref.params)),
    })}\n`,
  );
}
