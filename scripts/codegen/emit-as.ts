/**
 * Prints the AssemblyScript (WebAssembly SIMD) kernels,
 * wasm/assembly/kernels.generated.ts, from the elementwise table: for every
 * UNARY entry an f32x4 body and exported `<name>_forward`/`<name>_backward`
 * loops that take four independent vectors per pass (V8 does not reorder
 * them for us); and for every BINARY entry with a gradient the fused loss
 * reductions `<name>_sum` (Σ f(a, b): f32x4 partial sums, added in f64 every
 * 256 elements) and `<name>_backward_{a,b}_scaled` (∂f/∂a or ∂f/∂b with the
 * scalar incoming gradient), and the broadcast-row kernels `<name>_map` and
 * `<name>_backward_{a,b}_map` (two equal-length tiles, and a tile of the
 * incoming gradient). Float32 only; the JS loader leaves float64 to the JS
 * kernels.
 *
 * `buildWasm` compiles that file with asc and returns the module's bytes,
 * committed as src/kernels/wasm/kernels.wasm (a real asset: bundlers emit it,
 * browsers stream-compile it, Node reads it synchronously), so the build
 * needs no AssemblyScript run and the bytes are checked for freshness like
 * every other generated file. The loaders take whatever functions the module
 * exports.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BINARY, UNARY, type BinaryDef, type UnaryDef } from '../../src/ops/elementwise/table.js';
import { v, param, type Ex } from '../../src/ops/elementwise/expr.js';
import { lower, print, type Program, type Syntax } from './lower.js';
import { emitOptimAs } from './emit-optim.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Parameters per kernel call (the most any entry has). */
export const WASM_MAX_PARAMS = 3;

function literal(value: number): string {
  let text: string;
  if (Number.isNaN(value)) text = 'NaN';
  else if (value === Infinity) text = 'Infinity';
  else if (value === -Infinity) text = '-Infinity';
  else if (Object.is(value, -0)) text = '-0.0';
  else text = String(value);
  return `f32x4.splat(<f32>${text})`;
}

const UNARY_AS: Syntax['unary'] = {
  neg: (a) => `f32x4.neg(${a})`,
  abs: (a) => `f32x4.abs(${a})`,
  exp: (a) => `vexp(${a})`,
  expm1: (a) => `vexpm1(${a})`,
  log: (a) => `vlog(${a})`,
  log1p: (a) => `vlog1p(${a})`,
  tanh: (a) => `vtanh(${a})`,
  erf: (a) => `verf(${a})`,
  sqrt: (a) => `f32x4.sqrt(${a})`,
  sign: (a) => `vsign(${a})`,
  floor: (a) => `f32x4.floor(${a})`,
};
const BINARY_AS: Syntax['binary'] = {
  add: (a, b) => `f32x4.add(${a}, ${b})`,
  sub: (a, b) => `f32x4.sub(${a}, ${b})`,
  mul: (a, b) => `f32x4.mul(${a}, ${b})`,
  div: (a, b) => `f32x4.div(${a}, ${b})`,
  pow: (a, b) => `vpow(${a}, ${b})`,
  // The native kernels' vmax/vmin: NaN if either operand is NaN, else the
  // larger (smaller), `b` when they compare equal (so max(-0, 0) = 0). Built
  // from pmax/pmin (one maxps/minps in V8) and a NaN test of `a`, because V8
  // lowers f32x4.max/min to about nine instructions each.
  max: (a, b) => `v128.or(f32x4.pmax(${b}, ${a}), f32x4.ne(${a}, ${a}))`,
  min: (a, b) => `v128.or(f32x4.pmin(${b}, ${a}), f32x4.ne(${a}, ${a}))`,
};

function body(prog: Program): string[] {
  const { exprs } = print(prog, {
    literal,
    variable: (name) => name,
    param: (i) => `p${i}`,
    unary: UNARY_AS,
    binary: BINARY_AS,
    compare: (fn, a, b) => `f32x4.${fn}(${a}, ${b})`,
    and: (a, b) => `v128.and(${a}, ${b})`,
    or: (a, b) => `v128.or(${a}, ${b})`,
    // bitselect takes the mask last.
    select: (c, a, b) => `v128.bitselect(${a}, ${b}, ${c})`,
  });
  return exprs.map((e, i) => `  const t${i} = ${e};`);
}

const paramExprs = (def: UnaryDef): Record<string, Ex> =>
  Object.fromEntries(Object.keys(def.params).map((k) => [k, param(k)]));

const PARAMS = 'p0: v128, p1: v128, p2: v128';
const SPLATS = '  const p0 = f32x4.splat(q0), p1 = f32x4.splat(q1), p2 = f32x4.splat(q2);';

function loop(call: (off: string) => string, out: string): string[] {
  const at = (k: number): string => (k ? `o + ${16 * k}` : 'o');
  return [
    '  let i = 0;',
    '  for (; i + 16 <= n; i += 16) {',
    '    const o = <usize>i << 2;',
    ...[0, 1, 2, 3].map((k) => `    const r${k} = ${call(at(k))};`),
    ...[0, 1, 2, 3].map((k) => `    v128.store(${out} + ${at(k)}, r${k});`),
    '  }',
    '  // The scratch buffers have slack past n, so the last vector may run over.',
    '  for (; i < n; i += 4) {',
    '    const o = <usize>i << 2;',
    `    v128.store(${out} + o, ${call('o')});`,
    '  }',
  ];
}

/** The fused reduction kernels of one BINARY entry (it has a gradient). */
function binaryReduceKernels(name: string, def: BinaryDef): string[] {
  const names = Object.keys(def.params ?? {});
  if (names.length > WASM_MAX_PARAMS) throw new Error(`emit-as: ${name} has too many params`);
  const backward = def.backward;
  if (!backward) return [];
  const pe: Record<string, Ex> = Object.fromEntries(names.map((k) => [k, param(k)]));
  const fwd = lower(def.forward(v('a'), v('b'), pe).node, names);
  const out: string[] = [
    `@inline function ${name}_bin(a: v128, b: v128, ${PARAMS}): v128 {`,
    ...body(fwd),
    `  return t${fwd.result};`,
    '}',
    `export function ${name}_sum(n: i32, a: usize, b: usize, q0: f32, q1: f32, q2: f32): f64 {`,
    SPLATS,
    '  let total: f64 = 0;',
    '  let i = 0;',
    '  while (i + 16 <= n) {',
    '    const end = i + 256 <= n ? i + 256 : n & ~15;',
    '    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);',
    '    for (; i < end; i += 16) {',
    '      const o = <usize>i << 2;',
    ...[0, 1, 2, 3].map((k) => {
      const off = k ? `o + ${16 * k}` : 'o';
      return `      s${k} = f32x4.add(s${k}, ${name}_bin(v128.load(a + ${off}), v128.load(b + ${off}), p0, p1, p2));`;
    }),
    '    }',
    '    total += sumLanes(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)));',
    '  }',
    '  // The scratch buffers have slack past n; lanes past n are masked out.',
    '  for (; i < n; i += 4) {',
    '    const o = <usize>i << 2;',
    `    const r = ${name}_bin(v128.load(a + o), v128.load(b + o), p0, p1, p2);`,
    '    total += sumLanes(n - i >= 4 ? r : v128.and(r, i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(n - i))));',
    '  }',
    '  return total;',
    '}',
    // Elementwise over two equal-length tiles (a broadcast operand is filled in by the caller).
    `export function ${name}_map(n: i32, out: usize, a: usize, b: usize, q0: f32, q1: f32, q2: f32): void {`,
    SPLATS,
    ...loop((o) => `${name}_bin(v128.load(a + ${o}), v128.load(b + ${o}), p0, p1, p2)`, 'out'),
    '}',
  ];
  for (const which of ['a', 'b'] as const) {
    const prog = lower(backward[which]({ a: v('a'), b: v('b'), dy: v('dy') }, pe).node, names);
    const fn = `${name}_backward_${which}_scaled`;
    out.push(
      `@inline function ${name}_bg${which}(a: v128, b: v128, dy: v128, ${PARAMS}): v128 {`,
      ...body(prog),
      `  return t${prog.result};`,
      '}',
      `export function ${fn}(n: i32, out: usize, a: usize, b: usize, scale: f32, q0: f32, q1: f32, q2: f32): void {`,
      SPLATS,
      '  const dy = f32x4.splat(scale);',
      ...loop(
        (o) => `${name}_bg${which}(v128.load(a + ${o}), v128.load(b + ${o}), dy, p0, p1, p2)`,
        'out',
      ),
      '}',
      `export function ${name}_backward_${which}_map(n: i32, out: usize, a: usize, b: usize, dy: usize, q0: f32, q1: f32, q2: f32): void {`,
      SPLATS,
      ...loop(
        (o) =>
          `${name}_bg${which}(v128.load(a + ${o}), v128.load(b + ${o}), v128.load(dy + ${o}), p0, p1, p2)`,
        'out',
      ),
      '}',
    );
  }
  out.push('');
  return out;
}

export function emitAs(): string {
  const out: string[] = [
    '// GENERATED by scripts/gen-kernels.ts from src/ops/elementwise/table.ts. Do not edit.',
    '/* eslint-disable */',
    '// @ts-nocheck: AssemblyScript',
    "import { vexp, vexpm1, vlog, vlog1p, vtanh, verf, vsign, vpow } from './math';",
    '',
    '@inline function sumLanes(v: v128): f64 {',
    '  return (',
    '    <f64>f32x4.extract_lane(v, 0) +',
    '    <f64>f32x4.extract_lane(v, 1) +',
    '    <f64>f32x4.extract_lane(v, 2) +',
    '    <f64>f32x4.extract_lane(v, 3)',
    '  );',
    '}',
    '',
  ];
  for (const [name, def] of Object.entries(UNARY) as [string, UnaryDef][]) {
    const names = Object.keys(def.params);
    if (names.length > WASM_MAX_PARAMS) throw new Error(`emit-as: ${name} has too many params`);
    const fwd = lower(def.forward(v('x'), paramExprs(def)).node, names);
    out.push(
      `@inline function ${name}_f(x: v128, ${PARAMS}): v128 {`,
      ...body(fwd),
      `  return t${fwd.result};`,
      '}',
      `export function ${name}_forward(n: i32, out: usize, x: usize, q0: f32, q1: f32, q2: f32): void {`,
      SPLATS,
      ...loop((o) => `${name}_f(v128.load(x + ${o}), p0, p1, p2)`, 'out'),
      '}',
    );
    if (def.backward) {
      const bwd = lower(
        def.backward({ x: v('x'), y: v('y'), dy: v('dy') }, paramExprs(def)).node,
        names,
      );
      const ld = (arr: string, o: string): string =>
        bwd.vars.has(arr as 'x') ? `v128.load(${arr} + ${o})` : 'f32x4.splat(0)';
      out.push(
        `@inline function ${name}_b(x: v128, y: v128, dy: v128, ${PARAMS}): v128 {`,
        ...body(bwd),
        `  return t${bwd.result};`,
        '}',
        `export function ${name}_backward(n: i32, dx: usize, dy: usize, x: usize, y: usize, q0: f32, q1: f32, q2: f32): void {`,
        SPLATS,
        ...loop(
          (o) => `${name}_b(${ld('x', o)}, ${ld('y', o)}, v128.load(dy + ${o}), p0, p1, p2)`,
          'dx',
        ),
        '}',
      );
    }
    out.push('');
  }
  for (const [name, def] of Object.entries(BINARY) as [string, BinaryDef][]) {
    out.push(...binaryReduceKernels(name, def));
  }
  return out.join('\n');
}

/** Pages of the shared-memory variant's maximum memory (16 MiB: the module's 8 pages plus the worker tiles). */
export const WASM_SHARED_MAX_PAGES = 256;

/** The single-threaded module and its export declarations, compiled once per run. */
let singleThreaded: { wasm: Uint8Array; dts: string } | null = null;
function compiled(): { wasm: Uint8Array; dts: string } {
  singleThreaded ??= compileWasm({ shared: false });
  return singleThreaded;
}

/** Compiles wasm/assembly/index.ts (with the freshly emitted kernels) and returns the module's bytes. */
export function buildWasm(): Uint8Array {
  return compiled().wasm;
}

/**
 * The module's exports as a TypeScript interface, from the declarations asc
 * writes for its raw bindings (`--bindings raw`): every export's parameters
 * with the AssemblyScript types in its doc comment, declared once, where the
 * AssemblyScript is. src/kernels/wasm/ types the instance with it.
 */
export function emitWasmExports(): string {
  const dts = compiled().dts;
  const start = dts.indexOf('declare namespace __AdaptedExports {');
  const end = dts.indexOf('\n}\n', start);
  if (start < 0 || end < 0) throw new Error('emit-as: asc wrote no __AdaptedExports namespace');
  const body = dts
    .slice(dts.indexOf('\n', start) + 1, end)
    .replace(/^ {2}export (?:function |const )/gm, '  ')
    // asc names each export by its source path, here a temporary copy.
    .replace(/\S*\/assembly\//g, 'wasm/assembly/');
  return [
    '// Generated by scripts/gen-kernels.ts from the declarations asc writes for',
    '// wasm/assembly/index.ts (--bindings raw). Do not edit.',
    '',
    '/** What the WebAssembly module exports: memory, constants and kernels. */',
    'export interface WasmModuleExports {',
    body,
    '}',
    '',
  ].join('\n');
}

/**
 * The same module for the browser worker pool: it imports a shared memory
 * (`env.memory`, threads enabled) so every worker's instance sees the same tiles.
 */
export function buildWasmShared(): Uint8Array {
  return compileWasm({ shared: true }).wasm;
}

/**
 * The relaxed-SIMD build (fused multiply-adds) of the kernels that gain from
 * it: wasm/assembly/relaxed.ts (the GEMM's block kernel and the optimizer
 * steps), importing the memory of a kernels.wasm instance; or, `pool`,
 * relaxed-pool.ts (the block kernel alone) on the worker pool's shared
 * memory. Neither has data of its own, so they may share that memory.
 */
export function buildRelaxed(pool: boolean): Uint8Array {
  return compileWasm({
    shared: pool,
    entry: pool ? 'relaxed-pool.ts' : 'relaxed.ts',
    relaxed: true,
  }).wasm;
}

/**
 * src/kernels/wasm/relaxed.generated.ts: the two relaxed-SIMD builds as
 * base64. They are a few kilobytes, so they travel inside the JavaScript: no
 * asset to fetch or to configure a bundler for, and the pool's workers
 * receive the compiled module by postMessage.
 */
export function emitRelaxed(): string {
  const b64 = (pool: boolean): string => Buffer.from(buildRelaxed(pool)).toString('base64');
  return [
    '// Generated by scripts/gen-kernels.ts from wasm/assembly/relaxed.ts and relaxed-pool.ts. Do not edit.',
    '',
    "/** The relaxed-SIMD kernels (GEMM block, optimizer steps), importing a kernels.wasm instance's `env.memory`. */",
    `export const RELAXED_WASM = '${b64(false)}';`,
    '',
    "/** The GEMM block alone for the worker pool: it imports kernels-shared.wasm's shared memory. */",
    `export const RELAXED_POOL_WASM = '${b64(true)}';`,
    '',
  ].join('\n');
}

interface CompileOptions {
  /** Import a shared memory (threads), as kernels-shared.wasm does. */
  shared: boolean;
  /** The entry file under wasm/assembly (default index.ts: the whole module). */
  entry?: string;
  /** Build with relaxed SIMD and import the memory of the module it joins. */
  relaxed?: boolean;
}

function compileWasm({ shared, entry = 'index.ts', relaxed = false }: CompileOptions): {
  wasm: Uint8Array;
  dts: string;
} {
  const dir = mkdtempSync(join(tmpdir(), 'nnkit-asc-'));
  try {
    // Compile from a temporary copy so --check never depends on files it is about to rewrite.
    const src = join(dir, 'assembly');
    execFileSync('cp', ['-r', join(ROOT, 'wasm', 'assembly'), src]);
    writeFileSync(join(src, 'kernels.generated.ts'), emitAs());
    writeFileSync(join(src, 'optim.generated.ts'), emitOptimAs());
    const wasm = join(dir, 'nnkit.wasm');
    const asc = join(ROOT, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
    execFileSync(
      process.execPath,
      [
        asc,
        join(src, entry),
        '--outFile',
        wasm,
        '-O3',
        '--runtime',
        'stub',
        '--noAssert',
        '--enable',
        'simd',
        '--initialMemory',
        relaxed ? '0' : '8',
        ...(relaxed ? ['--enable', 'relaxed-simd', ...(shared ? [] : ['--importMemory'])] : []),
        ...(shared
          ? [
              '--enable',
              'threads',
              '--importMemory',
              '--sharedMemory',
              '--maximumMemory',
              String(WASM_SHARED_MAX_PAGES),
            ]
          : []),
        '--disableWarning',
        '112',
        // nnkit.d.ts (and an unused nnkit.js): the exports' declarations.
        '--bindings',
        'raw',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    return {
      wasm: new Uint8Array(readFileSync(wasm)),
      dts: readFileSync(join(dir, 'nnkit.d.ts'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
