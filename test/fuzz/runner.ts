/**
 * The fuzz suite's parent: runs batches of cases in child processes
 * (`node --import tsx test/fuzz/worker.ts`), a few at a time, and turns
 * whatever a child leaves behind into failures with reproducers. A child
 * that exits by a signal or with a non-zero code crashed in the case (and
 * on the backend) it last announced; one that writes nothing for
 * `hangMs` is killed and reported as hung there. The batch then resumes
 * after that case in a fresh child, so one crash hides nothing after it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');

export interface Failure {
  index: number;
  seed: number;
  desc: string;
  problems: string[];
  /** The command that replays this case alone. */
  reproduce: string;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  backends: string[];
  failures: Failure[];
  ms: number;
}

export interface FuzzOptions {
  seed: number;
  /** Case indices `[from, from + cases)`. */
  from?: number;
  cases: number;
  /** Cases per child process. */
  batch?: number;
  /** Child processes at once. */
  parallel?: number;
  backends?: string[];
  /** A child silent for this long is hung. */
  hangMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** Starting a child (node, tsx, wasm, the addon) can take long on a loaded machine. */
const START_MS = 120_000;

interface Line {
  start?: number;
  desc?: string;
  backend?: string;
  fail?: number;
  problems?: string[];
  done?: number;
  summary?: { backends: string[] };
}

function reproduce(seed: number, index: number, backends?: string[]): string {
  return `node --import tsx test/fuzz/worker.ts --seed ${seed} --case ${index}${backends ? ` --backends ${backends.join(',')}` : ''}`;
}

/** Runs cases `[from, to)` in as many children as crashes need; resolves with the failures. */
async function runRange(
  opts: FuzzOptions,
  from: number,
  to: number,
  dir: string,
  tag: number,
): Promise<{ failures: Failure[]; backends: string[] }> {
  const failures: Failure[] = [];
  let backends: string[] = opts.backends ?? [];
  let next = from;
  let attempt = 0;
  while (next < to) {
    const out = join(dir, `w${tag}-${attempt++}.jsonl`);
    const args = [
      '--import',
      'tsx',
      join(HERE, 'worker.ts'),
      '--seed',
      String(opts.seed),
      '--from',
      String(next),
      '--count',
      String(to - next),
      '--out',
      out,
    ];
    if (opts.backends) args.push('--backends', opts.backends.join(','));
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...opts.env },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    let hung = false;
    let lastSize = -1;
    let lastChange = Date.now();
    const hangMs = opts.hangMs ?? 30_000;
    const timer = setInterval(() => {
      const size = existsSync(out) ? statSync(out).size : 0;
      if (size !== lastSize) {
        lastSize = size;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > (size === 0 ? Math.max(hangMs, START_MS) : hangMs)) {
        hung = true;
        child.kill('SIGKILL');
      }
    }, 250);
    const { code, signal } = await new Promise<{
      code: number | null;
      signal: NodeJS.Signals | null;
    }>((resolve) => child.on('exit', (c, s) => resolve({ code: c, signal: s })));
    clearInterval(timer);
    const lines: Line[] = existsSync(out)
      ? readFileSync(out, 'utf8')
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => JSON.parse(l) as Line)
      : [];
    let current: { index: number; desc: string; backend?: string } | null = null;
    let summary = false;
    for (const l of lines) {
      if (l.start !== undefined) current = { index: l.start, desc: l.desc ?? '' };
      else if (l.backend && current) current.backend = l.backend;
      else if (l.fail !== undefined) {
        failures.push({
          index: l.fail,
          seed: opts.seed,
          desc: l.desc ?? '',
          problems: l.problems ?? [],
          reproduce: reproduce(opts.seed, l.fail, opts.backends),
        });
      } else if (l.done !== undefined) {
        current = null;
        next = l.done + 1;
      } else if (l.summary) {
        summary = true;
        backends = l.summary.backends;
      }
    }
    if (summary && code === 0) break;
    // The child died: in the case it last started, or before the first one.
    const what = hung
      ? `hung (no progress for ${hangMs} ms; killed)`
      : `crashed (${signal ? `signal ${signal}` : `exit code ${code}`})`;
    if (current) {
      failures.push({
        index: current.index,
        seed: opts.seed,
        desc: current.desc,
        problems: [
          `${current.backend ?? '?'}: the process ${what}${stderr ? `; stderr: ${stderr.trim().split('\n').slice(-6).join(' | ')}` : ''}`,
        ],
        reproduce: reproduce(
          opts.seed,
          current.index,
          current.backend ? [current.backend] : opts.backends,
        ),
      });
      next = current.index + 1;
    } else {
      failures.push({
        index: next,
        seed: opts.seed,
        desc: '(worker start)',
        problems: [`the worker ${what} before its first case: ${stderr.trim().slice(-2000)}`],
        reproduce: reproduce(opts.seed, next, opts.backends),
      });
      break;
    }
  }
  return { failures, backends };
}

/** Runs `cases` fuzz cases in batches across `parallel` children. */
export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'nnkit-fuzz-'));
  const from = opts.from ?? 0;
  const batch = opts.batch ?? 250;
  const ranges: [number, number][] = [];
  for (let s = from; s < from + opts.cases; s += batch)
    ranges.push([s, Math.min(s + batch, from + opts.cases)]);
  const failures: Failure[] = [];
  let backends: string[] = [];
  let i = 0;
  const lane = async (): Promise<void> => {
    while (i < ranges.length) {
      const k = i++;
      const r = await runRange(opts, ranges[k][0], ranges[k][1], dir, k);
      failures.push(...r.failures);
      if (r.backends.length) backends = r.backends;
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.parallel ?? 2 }, lane));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  failures.sort((a, b) => a.index - b.index);
  return { seed: opts.seed, cases: opts.cases, backends, failures, ms: Date.now() - t0 };
}

/** One failure per paragraph: what went wrong, the call, and how to replay it. */
export function formatFailures(failures: readonly Failure[]): string {
  return failures
    .map(
      (f) =>
        `case ${f.index} (seed ${f.seed}): ${f.desc}\n  ${f.problems.join('\n  ')}\n  replay: ${f.reproduce}`,
    )
    .join('\n\n');
}
