/**
 * nnkit's main job: the tour. Trains small networks on generated data,
 * prints what each of the lecture's claims looks like in numbers, and
 * writes SVG figures and one self-contained HTML report.
 *
 *   node dist/cli/main.js [--quick] [--seed N] [--out DIR] [--only a,b] [--no-progress]
 */
// The package root registers the native and WebAssembly backends; the tour's
// modules import nnkit's parts directly, which would leave only the JS kernels.
import '../index.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { progressFactory } from './progress.js';
import { SECTIONS, runTour } from './tour/index.js';
import { htmlReport, sectionText, summaryTable } from './report.js';

export interface CliOptions {
  quick: boolean;
  seed: number;
  out: string;
  only: string[];
  progress: boolean;
  help: boolean;
}

const usage = (prog: string): string => `Usage: ${prog} [options]

The nnkit tour: trains small networks on generated data and shows, with
numbers and figures, what the lecture says about activations and losses.

  --quick          a small, fast version (seconds)
  --seed N         base seed (default 1); runs are deterministic for a seed
  --out DIR        output folder for the SVGs and report.html (default out)
  --only a,b       run only these sections: ${SECTIONS.map(([id]) => id).join(', ')}
  --no-progress    no progress bars
  --help           this text`;

export function parseArgs(argv: readonly string[]): CliOptions {
  const o: CliOptions = {
    quick: false,
    seed: 1,
    out: 'out',
    only: [],
    progress: true,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--seed') {
      const v = value();
      o.seed = Number(v);
      if (!Number.isInteger(o.seed) || o.seed < 0)
        throw new Error(`--seed must be a non-negative integer, got ${v}`);
    } else if (a === '--out') o.out = value();
    else if (a === '--only') o.only = value().split(',').filter(Boolean);
    else if (a === '--no-progress') o.progress = false;
    else if (a === '--help' || a === '-h') o.help = true;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/** Runs the tour with `opts`; returns the process exit code. `prog` is how the usage names the command. */
export function main(argv: readonly string[], prog = 'node dist/cli/main.js'): number {
  const USAGE = usage(prog);
  let opts: CliOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const t0 = performance.now();
  process.stdout.write(`nnkit tour${opts.quick ? ' (quick)' : ''}, seed ${opts.seed}\n`);
  const results = runTour(
    {
      quick: opts.quick,
      seed: opts.seed,
      progress: progressFactory(opts.progress ? process.stderr : null),
    },
    opts.only,
  );
  const totalSeconds = (performance.now() - t0) / 1000;
  for (const r of results) process.stdout.write(`${sectionText(r)}\n`);
  process.stdout.write(`\n== Summary ==\n${summaryTable(results)}\n`);
  const out = resolve(opts.out);
  mkdirSync(out, { recursive: true });
  for (const r of results) for (const f of r.figures) writeFileSync(join(out, f.file), f.svg);
  const report = join(out, 'report.html');
  writeFileSync(
    report,
    htmlReport(results, {
      seed: opts.seed,
      quick: opts.quick,
      totalSeconds,
      nodeVersion: process.version,
      date: new Date().toISOString().slice(0, 10),
    }),
  );
  const figures = results.reduce((a, r) => a + r.figures.length, 0);
  const held = results.filter((r) => r.holds).length;
  process.stdout.write(
    `\n${held}/${results.length} claims hold. ${figures} SVG figures and ${report} written in ${totalSeconds.toFixed(1)} s.\n`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === new URL(`file://${resolve(process.argv[1])}`).href) {
  process.exitCode = main(process.argv.slice(2));
}
