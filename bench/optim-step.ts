/**
 * Micro-benchmark of one optimizer step (not a test): SGD (momentum 0.9),
 * Adam, AdamW and RMSprop on the parameters of an MLP 784-1024-768-10
 * (1,598,730 parameters, 6 tensors) and of a 64→50,000 linear head (3.25M, 2
 * tensors), float32, with every backend: js, native on 1 and 2 threads,
 * wasm. Median ms of the timed steps (gradients fixed, so only `opt.step()`
 * is timed).
 *
 *   npx tsx bench/optim-step.ts              # the table
 *   npx tsx bench/optim-step.ts --history    # does a step slow down after other training?
 *
 * `--history` times Adam, SGD and RMSprop on the MLP in fresh processes,
 * once with nothing before and once after other training in the same process (a
 * float64 and a float32 2-100-3 model trained 200 steps with each
 * optimizer on the JS backend, so every JS loop has seen both dtypes and
 * every flag set), per backend.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  F,
  nn,
  optim,
  randn,
  setBackend,
  setNumThreads,
  tensor,
  wasmReady,
  availableBackends,
  type BackendName,
  type Tensor,
} from '../src/index.js';

await wasmReady;

type OptName = 'sgd' | 'adam' | 'adamw' | 'rmsprop';
type ModelName = 'mlp' | 'head';
const OPTS: OptName[] = ['adam', 'adamw', 'sgd', 'rmsprop'];

function makeOpt(which: OptName, params: Tensor[]): optim.Optimizer {
  switch (which) {
    case 'sgd':
      return new optim.SGD(params, 0.01, 0.9);
    case 'adam':
      return new optim.Adam(params, 1e-3);
    case 'adamw':
      return new optim.AdamW(params, 1e-3);
    case 'rmsprop':
      return new optim.RMSprop(params, 1e-3);
  }
}

function modelParams(model: ModelName): Tensor[] {
  const m =
    model === 'mlp'
      ? new nn.Sequential(
          new nn.Linear(784, 1024),
          new nn.ReLU(),
          new nn.Linear(1024, 768),
          new nn.ReLU(),
          new nn.Linear(768, 10),
        )
      : new nn.Linear(64, 50_000);
  const params = m.parameters();
  for (const p of params) p.grad = randn(p.shape).mul(0.01);
  return params;
}

/** Median ms of `steps` timed steps after `warmup` untimed ones. */
function timeSteps(opt: optim.Optimizer, steps: number, warmup: number): number {
  for (let i = 0; i < warmup; i++) opt.step();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    opt.step();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

interface Config {
  label: string;
  backend: BackendName;
  threads: number;
}

function configs(): Config[] {
  const have = availableBackends();
  const out: Config[] = [{ label: 'js', backend: 'js', threads: 1 }];
  if (have.includes('native')) {
    out.push({ label: 'native 1T', backend: 'native', threads: 1 });
    out.push({ label: 'native 2T', backend: 'native', threads: 2 });
  }
  if (have.includes('wasm')) out.push({ label: 'wasm', backend: 'wasm', threads: 1 });
  return out;
}

function use(c: Config): void {
  setBackend(c.backend);
  setNumThreads(c.threads);
}

/** Trains small float64 and float32 models with every optimizer on the JS backend. */
function trainOthers(): void {
  setBackend('js');
  for (const dtype of ['float64', 'float32'] as const) {
    for (const which of OPTS) {
      const m = new nn.Sequential(
        new nn.Linear(2, 100, { dtype }),
        new nn.ReLU(),
        new nn.Linear(100, 3, { dtype }),
      );
      const x = randn([300, 2]).to(dtype);
      const y = tensor(
        Int32Array.from({ length: 300 }, (_, i) => i % 3),
        { dtype: 'int32' },
      );
      const opt = makeOpt(which, m.parameters());
      for (let i = 0; i < 200; i++) {
        opt.zeroGrad();
        F.crossEntropy(m.forward(x), y).backward();
        opt.step();
      }
    }
  }
}

const args = process.argv.slice(2);
const arg = (name: string): string | undefined =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

if (args.includes('--child')) {
  // One measurement in a fresh process: --config, --opt, --before=none|others.
  const c = configs().find((x) => x.label === arg('config'));
  if (!c) throw new Error(`no config ${arg('config')}`);
  if (arg('before') === 'others') trainOthers();
  use(c);
  const opt = makeOpt(arg('opt') as OptName, modelParams('mlp'));
  console.log(JSON.stringify({ ms: timeSteps(opt, 30, 5) }));
} else if (args.includes('--history')) {
  const self = fileURLToPath(import.meta.url);
  const rows: string[] = [
    '| optimizer | backend | fresh process | after other training | ratio |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  for (const which of ['adam', 'sgd', 'rmsprop'] as const) {
    for (const c of configs()) {
      const ms = (before: string): number => {
        const r = spawnSync(
          process.execPath,
          [
            '--import',
            'tsx',
            self,
            '--child',
            `--config=${c.label}`,
            `--opt=${which}`,
            `--before=${before}`,
          ],
          { encoding: 'utf8', env: { ...process.env, NNKIT_SILENT: '1' } },
        );
        if (r.status !== 0) throw new Error(r.stderr);
        return (JSON.parse(r.stdout.trim().split('\n').pop() as string) as { ms: number }).ms;
      };
      const fresh = ms('none');
      const after = ms('others');
      rows.push(
        `| ${which} | ${c.label} | ${fresh.toFixed(2)} | ${after.toFixed(2)} | ${(after / fresh).toFixed(2)} |`,
      );
      console.error(rows[rows.length - 1]);
    }
  }
  console.log(
    ['MLP 784-1024-768-10 (1,598,730 parameters), median ms per step:', '', ...rows].join('\n'),
  );
} else {
  const cs = configs();
  const rows: string[] = [
    `| optimizer | parameters | ${cs.map((c) => c.label).join(' | ')} |`,
    `| --- | --- | ${cs.map(() => '---:').join(' | ')} |`,
  ];
  for (const model of ['mlp', 'head'] as const) {
    for (const which of OPTS) {
      const cells: string[] = [];
      for (const c of cs) {
        use(c);
        const opt = makeOpt(which, modelParams(model));
        cells.push(timeSteps(opt, model === 'mlp' ? 40 : 20, 5).toFixed(2));
      }
      const label = model === 'mlp' ? 'MLP 1,598,730' : 'head 3,250,000';
      rows.push(`| ${which} | ${label} | ${cells.join(' | ')} |`);
      console.error(rows[rows.length - 1]);
    }
  }
  setNumThreads(1);
  console.log(['Median ms per opt.step(), float32:', '', ...rows].join('\n'));
}
