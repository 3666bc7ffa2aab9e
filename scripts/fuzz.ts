/**
 * `npm run fuzz -- [--cases N] [--seed S] [--parallel P] [--backends a,b]`:
 * runs N fuzz cases (test/fuzz/) in child processes and prints every
 * failure with its replay command.
 * `npm run fuzz:long -- --minutes 30`: keeps running chunks of cases, from
 * the seed's case 0 upwards, until the time is up; prints the count run.
 * Exits non-zero if anything failed.
 */
import { runFuzz, formatFailures, type Failure } from '../test/fuzz/runner.js';

function arg(name: string): string | undefined {
  // The last occurrence wins: `npm run fuzz:long -- --minutes 5` overrides the script's 30.
  const i = process.argv.lastIndexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seed = Number(arg('seed') ?? 1);
const minutes = arg('minutes') !== undefined ? Number(arg('minutes')) : null;
const parallel = Number(arg('parallel') ?? 2);
const backends = arg('backends')?.split(',');
const chunk = Number(arg('chunk') ?? 2000);
const failures: Failure[] = [];
let ran = 0;
let seen: string[] = [];
const t0 = Date.now();

if (minutes === null) {
  const cases = Number(arg('cases') ?? 2000);
  const r = await runFuzz({ seed, cases, parallel, backends, batch: Number(arg('batch') ?? 250) });
  failures.push(...r.failures);
  ran = cases;
  seen = r.backends;
} else {
  const deadline = t0 + minutes * 60_000;
  let from = Number(arg('from') ?? 0);
  while (Date.now() < deadline) {
    const r = await runFuzz({ seed, from, cases: chunk, parallel, backends, batch: 500 });
    failures.push(...r.failures);
    // Print failures as they come: a long run's first findings are worth reading before it ends.
    if (r.failures.length) console.log(`\n${formatFailures(r.failures)}\n`);
    ran += chunk;
    from += chunk;
    seen = r.backends;
    const elapsed = ((Date.now() - t0) / 60_000).toFixed(1);
    console.log(
      `${ran} cases (seed ${seed}, up to case ${from - 1}) in ${elapsed} min; ${failures.length} failures`,
    );
  }
}

const secs = ((Date.now() - t0) / 1000).toFixed(0);
console.log(
  `\nnnkit fuzz: ${ran} cases × ${seen.length} backends (${seen.join(', ')}), seed ${seed}, ${secs} s: ${failures.length} failing`,
);
if (failures.length) {
  if (minutes === null) console.log(`\n${formatFailures(failures)}`);
  else console.log(`cases failing: ${failures.map((f) => f.index).join(', ')}`);
  process.exitCode = 1;
}
