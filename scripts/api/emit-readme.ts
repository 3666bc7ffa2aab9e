/**
 * The README's function tables, between `<!-- registry:<category> -->` and
 * `<!-- /registry:<category> -->` markers: one row per entry with its call
 * in PyTorch's style (defaults, `*` before keyword-only parameters), its
 * module and its summary.
 */
import { moduleShape, type FunctionEntry, type Param } from '../../src/registry/define.js';
import { docsOf } from '../../src/registry/docs.js';
import { tsValue } from './docs.js';
import type { EntrySource } from './sources.js';

function paramText(p: Param): string {
  return Object.prototype.hasOwnProperty.call(p, 'default')
    ? `${p.name}=${tsValue(p.default)}`
    : p.name;
}

/** `F.gelu(input, *, approximate='none')` */
export function callText(prefix: string, name: string, params: readonly Param[]): string {
  const parts: string[] = [];
  let starred = false;
  for (const p of params) {
    if (p.kwOnly && !starred) {
      parts.push('*');
      starred = true;
    }
    parts.push(paramText(p));
  }
  return `${prefix}${name}(${parts.join(', ')})`;
}

function row(e: FunctionEntry): string {
  const fn = e.functional === false ? '—' : `\`${callText('F.', e.name, e.params)}\``;
  let mod = '—';
  if (e.module) {
    const shape = moduleShape(e);
    mod = `\`${callText('nn.', shape.spec.name, shape.signature.params)}\``;
  }
  const summary = docsOf(e).summary.replace(/\|/g, '\\|');
  return `| ${fn.replace(/\|/g, '\\|')} | ${mod.replace(/\|/g, '\\|')} | ${summary} |`;
}

const TABLES: Record<string, (e: FunctionEntry) => boolean> = {
  activations: (e) => e.category === 'activation' || e.category === 'softmax',
  losses: (e) => e.category === 'loss',
  distances: (e) => e.category === 'distance',
  dropout: (e) => e.category === 'dropout',
  normalization: (e) => e.category === 'normalization',
  padding: (e) => e.category === 'padding',
  linear: (e) => e.category === 'linear',
  convolution: (e) => e.category === 'convolution',
  pooling: (e) => e.category === 'pooling',
};

export function emitReadmeTables(readme: string, sources: readonly EntrySource[]): string {
  let text = readme;
  for (const [name, pick] of Object.entries(TABLES)) {
    const start = `<!-- registry:${name} -->`;
    const end = `<!-- /registry:${name} -->`;
    const a = text.indexOf(start);
    const b = text.indexOf(end);
    if (a < 0 || b < a) continue;
    const rows = sources.filter((s) => pick(s.entry)).map((s) => row(s.entry));
    const table = [
      '| functional | module | what it computes |',
      '| --- | --- | --- |',
      ...rows,
    ].join('\n');
    text = `${text.slice(0, a + start.length)}\n\n${table}\n\n${text.slice(b)}`;
  }
  return text;
}
