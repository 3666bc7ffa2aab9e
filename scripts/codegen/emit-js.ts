/** Prints the JavaScript (TypeScript) kernels from the elementwise table. */
import { BINARY, UNARY, type BinaryDef, type UnaryDef } from '../../src/ops/elementwise/table.js';
import { v, param, type Ex } from '../../src/ops/elementwise/expr.js';
import { lower, print, type Program, type Syntax } from './lower.js';

function literal(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

const UNARY_JS: Syntax['unary'] = {
  neg: (a) => `-${a}`,
  abs: (a) => `Math.abs(${a})`,
  exp: (a) => `Math.exp(${a})`,
  expm1: (a) => `Math.expm1(${a})`,
  log: (a) => `Math.log(${a})`,
  log1p: (a) => `log1p64(${a})`,
  tanh: (a) => `Math.tanh(${a})`,
  erf: (a) => `erf(${a})`,
  sqrt: (a) => `Math.sqrt(${a})`,
  sign: (a) => `Math.sign(${a})`,
  floor: (a) => `Math.floor(${a})`,
};
const BINARY_JS: Syntax['binary'] = {
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  mul: (a, b) => `${a} * ${b}`,
  div: (a, b) => `${a} / ${b}`,
  // C's pow, as PyTorch's kernels: pow(1, y) = 1 and pow(−1, ±∞) = 1 even for NaN and ±∞ exponents.
  pow: (a, b) => `pow(${a}, ${b})`,
  // Math.max/min propagate NaN, like PyTorch's maximum/clamp.
  max: (a, b) => `Math.max(${a}, ${b})`,
  min: (a, b) => `Math.min(${a}, ${b})`,
};
const CMP_JS: Record<string, string> = {
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
  eq: '===',
  ne: '!==',
};

/**
 * Operations whose float64 result can differ from the float32 result that a
 * float32 kernel computes: these are rounded with `Math.fround` after every
 * step in the float32 kernels, so intermediates overflow, underflow and round
 * as PyTorch's float kernels do (`hardswish(1e38)` is `1e38·6/6 = inf`).
 * neg, abs, sign, floor, max and min are exact on float32 values.
 */
const INEXACT_UNARY = new Set(['exp', 'expm1', 'log', 'log1p', 'tanh', 'erf', 'sqrt']);
const INEXACT_BINARY = new Set(['add', 'sub', 'mul', 'div', 'pow']);

/**
 * Statements of the loop body; `load(name)` gives the expression reading a
 * variable. With `f32`, constants are float32 constants and every inexact
 * step is rounded to float32 (`Math.fround` is one conversion instruction in V8).
 */
function body(
  prog: Program,
  load: (name: string) => string,
  f32 = false,
): { lines: string[]; result: string } {
  const { exprs, result } = print(prog, {
    literal: (value) => literal(f32 ? Math.fround(value) : value),
    variable: load,
    param: (i) => `p${i}`,
    unary: f32 ? { ...UNARY_JS, log1p: (a) => `log1p32(${a})` } : UNARY_JS,
    binary: BINARY_JS,
    compare: (fn, a, b) => `${a} ${CMP_JS[fn]} ${b}`,
    and: (a, b) => `${a} && ${b}`,
    or: (a, b) => `${a} || ${b}`,
    select: (c, a, b) => `${c} ? ${a} : ${b}`,
  });
  const rounded = exprs.map((e, i) => {
    const ins = prog.instrs[i];
    const inexact =
      (ins.op === 'unary' && INEXACT_UNARY.has(ins.fn)) ||
      (ins.op === 'binary' && INEXACT_BINARY.has(ins.fn));
    return f32 && inexact ? `Math.fround(${e})` : e;
  });
  return { lines: rounded.map((e, i) => `const t${i} = ${e};`), result };
}

function paramExprs(def: UnaryDef): Record<string, Ex> {
  return Object.fromEntries(Object.keys(def.params).map((k) => [k, param(k)]));
}

function paramPrologue(names: string[], round: boolean): string[] {
  return names.map((_n, i) => `const p${i} = ${round ? `Math.fround(p[${i}])` : `p[${i}]`};`);
}

function unaryKernels(name: string, def: UnaryDef): string {
  const names = Object.keys(def.params);
  const fwd = lower(def.forward(v('x'), paramExprs(def)).node, names);
  const out: string[] = [];
  for (const [suffix, round] of [
    ['f32', true],
    ['f64', false],
  ] as const) {
    const f = body(fwd, () => 'x[i]', round);
    out.push(
      `function ${name}_forward_${suffix}(n: number, out: Floats, x: Floats, p: Params): void {`,
      ...paramPrologue(names, round).map((l) => `  ${l}`),
      `  for (let i = 0; i < n; i++) {`,
      ...f.lines.map((l) => `    ${l}`),
      `    out[i] = ${f.result};`,
      `  }`,
      `}`,
    );
    if (def.backward) {
      const bwd = lower(
        def.backward({ x: v('x'), y: v('y'), dy: v('dy') }, paramExprs(def)).node,
        names,
      );
      const b = body(bwd, (n) => `${n}[i]`, round);
      const xArg = bwd.vars.has('x') ? 'x' : '_x';
      const yArg = bwd.vars.has('y') ? 'y' : '_y';
      out.push(
        `function ${name}_backward_${suffix}(n: number, dx: Floats, dy: Floats, ${xArg}: Floats, ${yArg}: Floats, p: Params): void {`,
        ...paramPrologue(names, round).map((l) => `  ${l}`),
        `  for (let i = 0; i < n; i++) {`,
        ...b.lines.map((l) => `    ${l}`),
        `    dx[i] = ${b.result};`,
        `  }`,
        `}`,
      );
    }
  }
  return out.join('\n');
}

/**
 * A binary entry's kernels come in a float32 variant (every step rounded to
 * float32; operands read through `Math.fround`, since an int32 operand
 * promoted to float32 is rounded first, as in PyTorch) and a float64 one
 * (also the int32 path). The exported function picks one by the output's
 * type (by the operands' for the fused sum).
 */
function binaryKernels(name: string, def: BinaryDef): string {
  const names = Object.keys(def.params ?? {});
  const pe: Record<string, Ex> = Object.fromEntries(names.map((k) => [k, param(k)]));
  const fwd = lower(def.forward(v('a'), v('b'), pe).node, names);
  const load =
    (f32: boolean) =>
    (n: string): string => {
      const e =
        n === 'a'
          ? 'a[aOff + i * aStride]'
          : n === 'b'
            ? 'b[bOff + i * bStride]'
            : `${n}[outOff + i]`;
      return f32 && (n === 'a' || n === 'b') ? `Math.fround(${e})` : e;
    };
  const out: string[] = [];
  const rowArgs =
    'outOff: number, a: Numbers, aOff: number, aStride: number, b: Numbers, bOff: number, bStride: number, p: Params';
  const rowCall = 'outOff, a, aOff, aStride, b, bOff, bStride, p';
  const pick = (fn: string, outArg: string, sig: string, call: string, ret = 'void'): string[] => [
    `function ${fn}(${sig}): ${ret} {`,
    `  return ${outArg} instanceof Float32Array ? ${fn}_f32(${call}) : ${fn}_f64(${call});`,
    `}`,
  ];
  for (const [suffix, round] of [
    ['f32', true],
    ['f64', false],
  ] as const) {
    const f = body(fwd, load(round), round);
    out.push(
      `function ${name}_forward_${suffix}(n: number, out: Numbers, ${rowArgs}): void {`,
      ...paramPrologue(names, round).map((l) => `  ${l}`),
      `  for (let i = 0; i < n; i++) {`,
      ...f.lines.map((l) => `    ${l}`),
      `    out[outOff + i] = ${f.result};`,
      `  }`,
      `}`,
    );
  }
  out.push(
    ...pick(`${name}_forward`, 'out', `n: number, out: Numbers, ${rowArgs}`, `n, out, ${rowCall}`),
  );
  if (def.backward) {
    for (const which of ['a', 'b'] as const) {
      const prog = lower(
        def.backward[which]({ a: v('a'), b: v('b'), dy: v('dy') }, pe).node,
        names,
      );
      for (const [suffix, round] of [
        ['f32', true],
        ['f64', false],
      ] as const) {
        const b = body(prog, load(round), round);
        out.push(
          `function ${name}_backward_${which}_${suffix}(n: number, out: Floats, dy: Floats, ${rowArgs}): void {`,
          ...paramPrologue(names, round).map((l) => `  ${l}`),
          `  for (let i = 0; i < n; i++) {`,
          ...b.lines.map((l) => `    ${l}`),
          `    out[outOff + i] = ${b.result};`,
          `  }`,
          `}`,
        );
        // The gradient of a fused sum/mean: the incoming gradient is one scalar
        // (already rounded to the tensor's dtype by the caller).
        const scaled = body(prog, (n) => (n === 'dy' ? 'scale' : `${n}[i]`), round);
        out.push(
          `function ${name}_backward_${which}_scaled_${suffix}(n: number, out: Floats, scale: number, a: Numbers, b: Numbers, p: Params): void {`,
          ...paramPrologue(names, round).map((l) => `  ${l}`),
          `  for (let i = 0; i < n; i++) {`,
          ...scaled.lines.map((l) => `    ${l}`),
          `    out[i] = ${scaled.result};`,
          `  }`,
          `}`,
        );
      }
      out.push(
        `function ${name}_backward_${which}(n: number, out: Floats, outOff: number, dy: Floats, a: Numbers, aOff: number, aStride: number, b: Numbers, bOff: number, bStride: number, p: Params): void {`,
        `  return out instanceof Float32Array ? ${name}_backward_${which}_f32(n, out, dy, ${rowCall}) : ${name}_backward_${which}_f64(n, out, dy, ${rowCall});`,
        `}`,
        ...pick(
          `${name}_backward_${which}_scaled`,
          'out',
          'n: number, out: Floats, scale: number, a: Numbers, b: Numbers, p: Params',
          'n, out, scale, a, b, p',
        ),
      );
    }
    // Fused forward and sum over equal-shaped operands, accumulated in float64
    // (each term rounded as the tensor's dtype computes it): a loss reduction
    // without materialising the elementwise losses.
    for (const [suffix, round] of [
      ['f32', true],
      ['f64', false],
    ] as const) {
      const sum = body(fwd, (n) => `${n}[i]`, round);
      out.push(
        `function ${name}_sum_${suffix}(n: number, a: Numbers, b: Numbers, p: Params): number {`,
        ...paramPrologue(names, round).map((l) => `  ${l}`),
        `  let acc = 0;`,
        `  for (let i = 0; i < n; i++) {`,
        ...sum.lines.map((l) => `    ${l}`),
        `    acc += ${sum.result};`,
        `  }`,
        `  return acc;`,
        `}`,
      );
    }
    out.push(
      ...pick(
        `${name}_sum`,
        'a',
        'n: number, a: Numbers, b: Numbers, p: Params',
        'n, a, b, p',
        'number',
      ),
    );
  }
  return out.join('\n');
}

export function emitJs(): string {
  const parts: string[] = [
    '// GENERATED by scripts/gen-kernels.ts from src/ops/elementwise/table.ts. Do not edit.',
    '/* eslint-disable */',
    "import { erf, log1p32, log1p64, pow } from './math.js';",
    "import type { BinaryKernels, Floats, Numbers, Params, UnaryKernels } from './types.js';",
    '',
  ];
  const unaryRows: string[] = [];
  for (const [name, def] of Object.entries(UNARY) as [string, UnaryDef][]) {
    parts.push(unaryKernels(name, def), '');
    const bw = def.backward
      ? `{ float32: ${name}_backward_f32, float64: ${name}_backward_f64 }`
      : 'null';
    unaryRows.push(
      `  ${name}: { forward: { float32: ${name}_forward_f32, float64: ${name}_forward_f64 }, backward: ${bw} },`,
    );
  }
  const binaryRows: string[] = [];
  for (const [name, def] of Object.entries(BINARY) as [string, BinaryDef][]) {
    parts.push(binaryKernels(name, def), '');
    const bw = def.backward ? `{ a: ${name}_backward_a, b: ${name}_backward_b }` : 'null';
    const reduce = def.backward
      ? `{ sum: ${name}_sum, backward: { a: ${name}_backward_a_scaled, b: ${name}_backward_b_scaled } }`
      : 'null';
    binaryRows.push(`  ${name}: { forward: ${name}_forward, backward: ${bw}, reduce: ${reduce} },`);
  }
  parts.push(
    'export const unaryKernels: Record<string, UnaryKernels> = {',
    ...unaryRows,
    '};',
    '',
    'export const binaryKernels: Record<string, BinaryKernels> = {',
    ...binaryRows,
    '};',
    '',
  );
  return parts.join('\n');
}
