/**
 * The @example blocks of the tensor creation, printing and shape-query
 * modules run, and each `console.log(...); // text` prints exactly `text`.
 * Examples import from 'nnkit' (the package root).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import * as nnkit from '../src/index.js';

const ROOT = join(import.meta.dirname, '..');
const FILES = ['src/tensor/format.ts', 'src/tensor/creation.ts'];
const MODULES: Record<string, string> = { nnkit: '__nnkit' };

interface Example {
  name: string;
  code: string;
}

function examples(file: string): Example[] {
  const src = readFileSync(join(ROOT, file), 'utf8');
  const out: Example[] = [];
  for (const m of src.matchAll(/\/\*\*([\s\S]*?)\*\/\s*export (?:function|const) (\w+)/g)) {
    const lines = m[1].split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
    const at = lines.findIndex((l) => l.startsWith('@example'));
    if (at < 0) continue;
    const body: string[] = [];
    for (const l of lines.slice(at + 1)) {
      if (l.startsWith('@')) break;
      body.push(l);
    }
    out.push({ name: `${file} ${m[2]}`, code: body.join('\n') });
  }
  return out;
}

/** Runs an example; returns [printed, expected] pairs for its console.log lines. */
function run(code: string): [string, string][] {
  const expected: string[] = [];
  const js = code
    .split('\n')
    .map((line) => {
      const imp = /^import \{([^}]*)\} from '([^']+)';$/.exec(line.trim());
      if (imp) return `const {${imp[1]}} = ${MODULES[imp[2]]};`;
      const log = /^console\.log\((.*)\); \/\/ (.*)$/.exec(line.trim());
      if (log) {
        expected.push(log[2]);
        return `__log(${log[1]});`;
      }
      return line;
    })
    .join('\n');
  const printed: string[] = [];
  const fn = new Function('__nnkit', '__log', js) as (
    n: unknown,
    log: (...a: unknown[]) => void,
  ) => void;
  fn(nnkit, (...a: unknown[]) => printed.push(format(...a)));
  expect(printed.length, 'every console.log line carries its output').toBe(expected.length);
  return printed.map((p, i) => [p, expected[i]]);
}

afterEach(() => nnkit.setPrintOptions({ profile: 'default' }));

describe('TSDoc examples print what their comments say', () => {
  const all = FILES.flatMap(examples);
  it('finds the examples', () => expect(all.length).toBeGreaterThan(15));
  for (const ex of all) {
    it(ex.name, () => {
      const pairs = run(ex.code);
      expect(pairs.length).toBeGreaterThan(0);
      for (const [printed, expected] of pairs) expect(printed).toBe(expected);
    });
  }
});
