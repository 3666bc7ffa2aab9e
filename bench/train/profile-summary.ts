/**
 * Summarises a V8 CPU profile (.cpuprofile, as `node --cpu-prof` or
 * `bench/train.ts --child=<id> --cpu-prof=<file>` write it): the functions
 * with the most self time, as a Markdown table; percentages are of the
 * busy (non-idle) samples.
 *
 *   npx tsx bench/train.ts --child=b --only=b --cpu-prof=/tmp/b.cpuprofile
 *   npx tsx bench/train/profile-summary.ts /tmp/b.cpuprofile [top]
 *
 * Time spent inside the native addon is counted as self time of the
 * JavaScript function that called it (V8 sees no frames below it).
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/train/profile-summary.ts <file.cpuprofile> [top]');
  process.exit(1);
}
const top = Number(topArg ?? 25);
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));

// tsx's transpiled modules make V8's line numbers meaningless: function and file only.
const where = (n: ProfileNode): string => {
  const { functionName, url } = n.callFrame;
  const path = url ? relative(process.cwd(), url.replace(/^file:\/\//, '')) : '';
  if (!path) {
    if (!functionName || functionName === '(anonymous)') return '(anonymous V8 builtin or C++)';
    return functionName.startsWith('(') ? functionName : `${functionName} (V8 builtin or C++)`;
  }
  return `${functionName || '(anonymous)'}${path ? ` ${path}` : ''}`;
};
const byFn = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id);
  if (n) byFn.set(where(n), (byFn.get(where(n)) ?? 0) + us);
}
const total = [...byFn].filter(([f]) => f !== '(idle)').reduce((s, [, v]) => s + v, 0);
console.log(`${file}: ${(total / 1000).toFixed(0)} ms of busy samples\n`);
console.log('| self ms | self % | function |');
console.log('| ---: | ---: | --- |');
for (const [fn, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`| ${(us / 1000).toFixed(0)} | ${((100 * us) / total).toFixed(1)} | ${fn} |`);
}
