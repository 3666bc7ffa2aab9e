/**
 * Renders a registry entry's docs as TSDoc: summary, formula, details, the
 * PyTorch counterpart, deliberate differences, parameters and the example.
 */
import type { FunctionEntry, Param } from '../../src/registry/define.js';
import { docsOf } from '../../src/registry/docs.js';

/** The identifiers an example uses from the package, for its import line. */
const EXPORTS = ['F', 'nn', 'optim', 'tensor', 'manualSeed', 'randn', 'zeros', 'ones'];

/** `import { F, tensor } from 'nnkit';` for the names `code` uses. */
export function importLine(code: string): string {
  const used = EXPORTS.filter((name) => new RegExp(`\\b${name}\\b[.(]`).test(code));
  return `import { ${used.join(', ')} } from 'nnkit';`;
}

/** A value as TypeScript source (for defaults in the docs). */
export function tsValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number') {
    if (v === 1 / 3) return '1/3';
    if (v === 1 / 8) return '1/8';
    return Object.is(v, -0) ? '-0' : String(v);
  }
  if (Array.isArray(v)) return `[${v.map(tsValue).join(', ')}]`;
  return JSON.stringify(v);
}

/** One parameter's line of docs, with its default. */
export function paramDoc(p: Param): string {
  const def = Object.prototype.hasOwnProperty.call(p, 'default')
    ? ` Default \`${tsValue(p.default)}\`.`
    : '';
  return `${p.doc}${def}`;
}

/** Wraps text as the lines of a `/** ... *\/` block, indented by `indent`. */
export function comment(lines: readonly string[], indent = ''): string {
  const body = lines.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)).join('\n');
  return `${indent}/**\n${body}\n${indent} */`;
}

/** Escapes `*\/` inside doc text. */
function safe(s: string): string {
  return s.replace(/\*\//g, '*\\/');
}

/** The body of an entry's TSDoc: summary to differences. */
export function entryDocLines(e: FunctionEntry, matchLine: string): string[] {
  const d = docsOf(e);
  const lines = [safe(d.summary), ''];
  if (d.formula) lines.push('```text', ...safe(d.formula).split('\n'), '```', '');
  if (d.details) lines.push(...wrap(safe(d.details)), '');
  lines.push(matchLine);
  if (d.differences) lines.push('', ...wrap(`Deliberate difference: ${safe(d.differences)}`));
  return lines;
}

/** The `@example` block of a code sample. */
export function exampleLines(code: string): string[] {
  return ['@example', '```ts', importLine(code), ...safe(code).split('\n'), '```'];
}

/** Splits a paragraph into lines of at most ~96 characters. */
export function wrap(text: string, width = 96): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      if (line && line.length + word.length + 1 > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out;
}
