/**
 * Every `@example` in the TSDoc of src/ (generated files included), every
 * registry entry's example (its docs, src/registry/docs.ts) and the code of
 * the API site's front page (docs/api-intro.md) runs, and each `console.log(...)` prints
 * exactly what its comment says (the format is described in
 * test/helpers/doc-runner.ts). Examples import from 'nnkit', bound here to
 * the package root in the source tree.
 *
 * An `@example` must be a fenced ```ts block (so the API site renders it as
 * code) and must assert at least one output. Each example runs twice, after
 * seeding the global generator differently, so that an example that prints
 * random numbers without calling `manualSeed` itself fails.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as nnkit from '../src/index.js';
import { REGISTRY } from '../src/registry/index.js';
import { docsOf } from '../src/registry/docs.js';
import { importLine } from '../scripts/api/docs.js';
import { markdownBlocks, runExample, type Loader } from './helpers/doc-runner.js';

const ROOT = join(import.meta.dirname, '..');

interface Example {
  readonly name: string;
  readonly code: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

const KEYWORDS =
  /^(export|declare|default|abstract|async|static|readonly|function|class|interface|type|const|let|get|set)\b\s*/;

/** The name a declaration line declares: `export function relu(` → `relu`. */
function declaredName(line: string): string {
  let rest = line.trim();
  while (KEYWORDS.test(rest)) rest = rest.replace(KEYWORDS, '');
  return /^[\w$]+/.exec(rest)?.[0] ?? '';
}

/** The `@example` sections of every TSDoc comment in `file`. */
function tsdocExamples(file: string): Example[] {
  const src = readFileSync(file, 'utf8');
  const rel = relative(ROOT, file);
  const out: Example[] = [];
  for (const m of src.matchAll(/\/\*\*([\s\S]*?)\*\/\s*([^\n]*)/g)) {
    const line = src.slice(0, m.index).split('\n').length;
    const lines = m[1].split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
    lines.forEach((l, i) => {
      const tag = /@example\b(.*)$/.exec(l);
      if (!tag) return;
      const body = [tag[1]];
      for (const next of lines.slice(i + 1)) {
        if (/^\s*@\w/.test(next)) break;
        body.push(next);
      }
      const text = body.join('\n');
      const fenced = /```ts\n([\s\S]*?)```/.exec(text);
      out.push({
        name: `${rel}:${line + i} ${declaredName(m[2])}`,
        code: fenced ? fenced[1] : `<not a fenced \`\`\`ts block>\n${text}`,
      });
    });
  }
  return out;
}

/** All examples, each distinct code once (generated overloads repeat their function's example). */
function allExamples(): Example[] {
  const found = [
    ...sourceFiles(join(ROOT, 'src')).flatMap(tsdocExamples),
    // The API site's front page.
    ...markdownBlocks(readFileSync(join(ROOT, 'docs', 'api-intro.md'), 'utf8')).map((b) => ({
      name: `docs/api-intro.md:${b.line}`,
      code: b.code,
    })),
    ...REGISTRY.map((e) => ({
      name: `registry ${e.name}`,
      code: `${importLine(docsOf(e).example)}\n${docsOf(e).example}\n`,
    })),
  ];
  const seen = new Set<string>();
  return found.filter((ex) => !seen.has(ex.code) && seen.add(ex.code));
}

const load: Loader = async (spec) =>
  spec === 'nnkit'
    ? (nnkit as Record<string, unknown>)
    : ((await import(spec)) as Record<string, unknown>);

afterEach(() => {
  nnkit.setPrintOptions({ profile: 'default' });
  nnkit.setBackend(nnkit.availableBackends()[0]);
});

describe('TSDoc examples print what their comments say', () => {
  const all = allExamples();
  it('finds the examples', () => expect(all.length).toBeGreaterThan(150));
  for (const ex of all) {
    it(ex.name, async () => {
      expect(ex.code, 'an @example is a fenced ```ts block').not.toMatch(/^<not a fenced/);
      for (const seed of [1, 2]) {
        nnkit.manualSeed(seed);
        const checks = await runExample(ex.code, load);
        const asserted = checks.filter((c) => c.expected !== null);
        expect(asserted.length, 'an example asserts at least one output').toBeGreaterThan(0);
        for (const c of asserted) expect(c.printed, `line ${c.line}`).toBe(c.expected);
      }
    });
  }
});
