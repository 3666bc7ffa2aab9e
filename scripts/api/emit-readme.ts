/**
 * The function lists, generated from the registry: docs/functions.md's
 * tables, between `<!-- registry:<category> -->` and
 * `<!-- /registry:<category> -->` markers (one row per entry with its call
 * in PyTorch's style — defaults, `*` before keyword-only parameters — its
 * module and its summary), and the README's names of them all, between
 * `<!-- registry:names -->` markers, each category linking to its table.
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

/** The name a user calls: `F.relu`, or the module's where there is no functional form. */
function nameText(e: FunctionEntry): string {
  return e.functional === false ? `\`nn.${moduleShape(e).spec.name}\`` : `\`${e.name}\``;
}

/** Each table: its marker, its heading in docs/functions.md and which entries it lists. */
const TABLES: { marker: string; title: string; pick: (e: FunctionEntry) => boolean }[] = [
  {
    marker: 'activations',
    title: 'Activations and the softmax family',
    pick: (e) => e.category === 'activation' || e.category === 'softmax',
  },
  { marker: 'losses', title: 'Losses', pick: (e) => e.category === 'loss' },
  { marker: 'distances', title: 'Distances', pick: (e) => e.category === 'distance' },
  { marker: 'dropout', title: 'Dropout', pick: (e) => e.category === 'dropout' },
  {
    marker: 'normalization',
    title: 'Normalization',
    pick: (e) => e.category === 'normalization',
  },
  { marker: 'padding', title: 'Padding', pick: (e) => e.category === 'padding' },
  { marker: 'linear', title: 'Linear maps', pick: (e) => e.category === 'linear' },
  { marker: 'convolution', title: 'Convolutions', pick: (e) => e.category === 'convolution' },
  { marker: 'pooling', title: 'Pooling', pick: (e) => e.category === 'pooling' },
  {
    marker: 'upsampling',
    title: 'Upsampling and shuffles',
    pick: (e) => e.category === 'upsampling',
  },
];

/** `text` with what lies between the `marker`'s start and end comments replaced by `body`. */
function replaceBetween(text: string, marker: string, body: string, file: string): string {
  const start = `<!-- registry:${marker} -->`;
  const end = `<!-- /registry:${marker} -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${file} has no ${start} … ${end} section`);
  return `${text.slice(0, a + start.length)}\n\n${body}\n\n${text.slice(b)}`;
}

/** docs/functions.md with every category's table regenerated. */
export function emitFunctionTables(doc: string, sources: readonly EntrySource[]): string {
  let text = doc;
  for (const { marker, pick } of TABLES) {
    const rows = sources.filter((s) => pick(s.entry)).map((s) => row(s.entry));
    const table = [
      '| functional | module | what it computes |',
      '| --- | --- | --- |',
      ...rows,
    ].join('\n');
    text = replaceBetween(text, marker, table, 'docs/functions.md');
  }
  return text;
}

/** GitHub's anchor for a Markdown heading. */
function anchor(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}

/** The README with its list of every function's name, by category, regenerated. */
export function emitReadmeNames(readme: string, sources: readonly EntrySource[]): string {
  const lines = TABLES.map(({ title, pick }) => {
    const names = sources.filter((s) => pick(s.entry)).map((s) => nameText(s.entry));
    return `- [${title}](docs/functions.md#${anchor(title)}) (${String(names.length)}): ${names.join(', ')}.`;
  });
  return replaceBetween(readme, 'names', lines.join('\n'), 'README.md');
}
