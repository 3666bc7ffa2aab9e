/**
 * A fuzz worker: runs cases `[from, from + count)` of the run seeded `seed`
 * on each backend in turn and appends one JSON line per event to `--out`
 * with synchronous writes, so that if this process dies (a crash in native
 * code, an abort) the parent knows the case and backend it died in.
 *
 *   node --import tsx test/fuzz/worker.ts --seed 1 --from 0 --count 100 --out log.jsonl
 *   node --import tsx test/fuzz/worker.ts --seed 1 --case 42 --out /dev/stdout   # one case
 */
import { openSync, writeSync, closeSync } from 'node:fs';
import {
  availableBackends,
  setBackend,
  setNumThreads,
  wasmReady,
  type BackendName,
} from '../../src/index.js';
import { makeCase } from './cases.js';
import { caseSeed } from './gen.js';
import { execute, type Outcome } from './exec.js';
import { SLOW_MS, compare, compareRecs, describeCase, judge } from './oracle.js';
import { knownFinding } from './known.js';

/** An outcome with its tensors' values (and their printed text) left out. */
function withoutValues(o: Outcome): Outcome {
  if (o.kind !== 'ok') return o;
  return { ...o, recs: o.recs.map((r) => ({ ...r, data: undefined, text: undefined })) };
}

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

await wasmReady;
const seed = Number(arg('seed', '1'));
const only = arg('case');
const from = only !== undefined ? Number(only) : Number(arg('from', '0'));
const count = only !== undefined ? 1 : Number(arg('count', '100'));
const backends = (arg('backends') ?? availableBackends().join(','))
  .split(',')
  .filter((b) => (availableBackends() as string[]).includes(b)) as BackendName[];
const outPath = arg('out', '/dev/stdout') as string;
const fd = outPath === '/dev/stdout' ? 1 : openSync(outPath, 'a');
const emit = (o: object): void => {
  writeSync(fd, `${JSON.stringify(o)}\n`);
};

let failures = 0;
const known: Record<string, number> = {};
const started = Date.now();
/** Per kind of target (`F`, `T`, `nn`, ...): how many cases returned, and how many threw. */
const stats: Record<string, { ok: number; error: number }> = {};
for (let i = from; i < from + count; i++) {
  const c = makeCase(seed, i);
  const s = caseSeed(seed, i);
  emit({ start: i, desc: describeCase(c) });
  const outcomes: Outcome[] = [];
  const problems: string[] = [];
  for (const b of backends) {
    setBackend(b);
    // Two threads for some cases, so the native thread pool is exercised as well.
    setNumThreads(i % 3 === 0 ? 2 : 1);
    emit({ backend: b });
    // The harness's own test (test/fuzz/fuzz.test.ts): die or hang in a chosen case.
    if (process.env.NNKIT_FUZZ_CRASH_AT === String(i)) process.kill(process.pid, 'SIGSEGV');
    if (process.env.NNKIT_FUZZ_HANG_AT === String(i)) for (;;);
    const t0 = performance.now();
    const o = execute(c, s);
    const ms = performance.now() - t0;
    if (ms > SLOW_MS) problems.push(`${b}: took ${Math.round(ms)} ms (a hang)`);
    outcomes.push(o);
    for (const p of judge(c, o)) problems.push(`${b}: ${p}`);
  }
  setNumThreads(1);
  const kind = c.target.slice(0, c.target.indexOf('.'));
  stats[kind] ??= { ok: 0, error: 0 };
  if (outcomes[0]) stats[kind][outcomes[0].kind]++;
  const special = /"k":"(special|const)"/.test(JSON.stringify(c));
  // A float64 result computed from float32 inputs carries float32 rounding: compare it as float32.
  const mixed = JSON.stringify(c).includes('"float32"');
  // Uninitialised memory (`empty`) and chaotic trajectories: only shapes and dtypes are compared.
  const comparable = c.incomparable ? outcomes.map(withoutValues) : outcomes;
  for (let k = 1; k < comparable.length; k++) {
    problems.push(
      ...compare(comparable[0], comparable[k], `${backends[0]} vs ${backends[k]}`, special, mixed),
    );
  }
  // The float64 evaluation of the same call, on the JS backend, for cheap pointwise functions.
  const first = outcomes[0];
  if (c.ref && first && first.kind === 'ok' && !special) {
    setBackend('js');
    const ref = execute(c, s, { float64: true });
    if (ref.kind === 'ok') {
      const result = (recs: typeof first.recs) => recs.filter((r) => r.label === 'result');
      problems.push(
        ...compareRecs(
          result(first.recs),
          result(ref.recs),
          'float32 vs float64',
          1e-3,
          (v) => !Number.isFinite(v) || Math.abs(v) > 1e30,
        ),
      );
    } else {
      problems.push(`float64 reference: ${ref.ctor} '${ref.message}'`);
    }
  }
  const finding = problems.length ? knownFinding(c.target, problems, special) : null;
  if (finding) {
    known[finding.id] = (known[finding.id] ?? 0) + 1;
  } else if (problems.length) {
    failures++;
    emit({
      fail: i,
      seed,
      desc: describeCase(c),
      target: c.target,
      problems: [...new Set(problems)],
    });
  }
  emit({ done: i });
}
emit({
  summary: { seed, from, count, backends, failures, known, stats, ms: Date.now() - started },
});
if (fd !== 1) closeSync(fd);
