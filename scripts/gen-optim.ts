/**
 * Generates the optimizers' update loops, `src/optim/kernels/updates.generated.ts`,
 * from their definitions in `src/optim/kernels/updates.ts`: one monomorphic
 * loop per dtype (V8 optimises a loop for the array kinds it has seen; a loop
 * that has seen both Float32Array and Float64Array, or a rounding closure,
 * stays slow for the rest of the process) and a dispatcher that picks one.
 *
 *   npx tsx scripts/gen-optim.ts           # rewrite the file
 *   npx tsx scripts/gen-optim.ts --check   # fail if it is stale (the tests run this)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UPDATES } from '../src/optim/kernels/updates.js';
import type { Expr, Stmt, UpdateDef } from '../src/optim/kernels/expr.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUTPUT = 'src/optim/kernels/updates.generated.ts';

type Width = 32 | 64;

function literal(v: number, w: Width): string {
  const x = w === 32 ? Math.fround(v) : v;
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (Object.is(x, -0)) return '-0';
  return x < 0 ? `(${x})` : String(x);
}

const OPS = { add: '+', sub: '-', mul: '*', div: '/' } as const;

/** The JavaScript of `e`; `rounded` is false where the caller rounds (a Float32Array store). */
function expr(e: Expr, w: Width, rounded = true): string {
  const r = (s: string): string => (w === 32 && rounded ? `Math.fround(${s})` : `(${s})`);
  switch (e.k) {
    case 'load':
      return `${e.array}[i]`;
    case 'scalar':
      return w === 32 ? `${e.name}F` : e.name;
    case 'local':
      return e.name;
    case 'const':
      return literal(e.value, w);
    case 'neg':
      return `-${expr(e.a, w)}`;
    case 'sqrt':
      return r(`Math.sqrt(${expr(e.a, w)})`);
    case 'binary':
      // Math.max propagates NaN, like torch.maximum; its result needs no rounding.
      if (e.op === 'max') return `Math.max(${expr(e.a, w)}, ${expr(e.b, w)})`;
      return r(`${expr(e.a, w)} ${OPS[e.op]} ${expr(e.b, w)}`);
    case 'fma':
      // The product of two float32 values is exact in double: one rounding, after the sum.
      return r(`${expr(e.a, w)} * ${expr(e.b, w)} + ${expr(e.c, w)}`);
    case 'select':
      return `(${e.flag} ? ${expr(e.a, w)} : ${expr(e.b, w)})`;
  }
}

function stmts(list: readonly Stmt[], w: Width, indent: string): string[] {
  const out: string[] = [];
  for (const s of list) {
    switch (s.k) {
      case 'let':
        out.push(`${indent}let ${s.name} = ${expr(s.e, w)};`);
        break;
      case 'set':
        out.push(`${indent}${s.name} = ${expr(s.e, w)};`);
        break;
      case 'store':
        out.push(`${indent}${s.array}[i] = ${expr(s.e, w, false)};`);
        break;
      case 'when':
        out.push(`${indent}if (${s.flag}) {`, ...stmts(s.then, w, `${indent}  `));
        if (s.else.length) out.push(`${indent}} else {`, ...stmts(s.else, w, `${indent}  `));
        out.push(`${indent}}`);
        break;
    }
  }
  return out;
}

function params(def: UpdateDef, arrayType: string): string[] {
  return [
    'n: number',
    ...def.arrays.map((a) => `${a.name}: ${arrayType}`),
    ...def.scalars.map((s) => `${s}: number`),
    ...def.flags.map((f) => `${f}: boolean`),
  ];
}

function loop(def: UpdateDef, w: Width): string {
  const type = w === 32 ? 'Float32Array' : 'Float64Array';
  const name = `${def.name}F${w}`;
  const lines = [
    `/** ${def.doc} float${w}${w === 32 ? ': every operation rounded to float32' : ''}. */`,
    `export function ${name}(`,
    ...params(def, type).map((p) => `  ${p},`),
    `): void {`,
  ];
  if (w === 32) for (const s of def.scalars) lines.push(`  const ${s}F = Math.fround(${s});`);
  lines.push(`  for (let i = 0; i < n; i++) {`, ...stmts(def.body, w, '    '), '  }', '}');
  return lines.join('\n');
}

function dispatcher(def: UpdateDef): string {
  const arrays = def.arrays.map((a) => a.name);
  const args = ['n', ...arrays, ...def.scalars, ...def.flags].join(', ');
  const all = (type: string): string => arrays.map((a) => `${a} instanceof ${type}`).join(' && ');
  const doc = [
    `/**`,
    ` * ${def.doc}`,
    ` * Elements \`0 … n−1\` of every array; arrays that the flags leave unused may be empty.`,
    ...def.arrays.map((a) => ` * @param ${a.name} ${a.doc}${a.written ? ' (written)' : ''}`),
    ` */`,
  ];
  return [
    ...doc,
    `export function ${def.name}(`,
    ...params(def, 'Float32Array | Float64Array').map((p) => `  ${p},`),
    `): void {`,
    `  if (${all('Float32Array')}) {`,
    `    ${def.name}F32(${args});`,
    `  } else if (${all('Float64Array')}) {`,
    `    ${def.name}F64(${args});`,
    `  } else {`,
    `    throw new Error('${def.name}: every array must have the parameter\\'s dtype (float32 or float64)');`,
    `  }`,
    `}`,
  ].join('\n');
}

export function emitOptimJs(): string {
  const parts = [
    `// Generated by scripts/gen-optim.ts from src/optim/kernels/updates.ts. Do not edit.`,
    `/* eslint-disable */`,
  ];
  for (const def of UPDATES) parts.push(loop(def, 32), loop(def, 64), dispatcher(def));
  return parts.join('\n\n') + '\n';
}

function main(): void {
  const path = join(root, OUTPUT);
  const text = emitOptimJs();
  const old = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (old === text) return;
  if (process.argv.includes('--check')) {
    console.error(`stale: ${OUTPUT} (run npm run gen:optim)`);
    process.exit(1);
  }
  writeFileSync(path, text);
  console.log(`wrote ${OUTPUT}`);
}

main();
