/**
 * Lowers expression trees to straight-line SSA with common subexpressions
 * shared, the form every backend emitter prints. All branches of a `select`
 * are evaluated (the SIMD backends need that anyway), so each statement is
 * computed at most once per element.
 */
import type {
  BinaryFn,
  CompareFn,
  Node,
  UnaryFn,
  VarName,
} from '../../src/ops/elementwise/expr.js';

export type Instr =
  | { op: 'var'; name: VarName }
  | { op: 'const'; value: number }
  | { op: 'param'; index: number }
  | { op: 'unary'; fn: UnaryFn; a: number }
  | { op: 'binary'; fn: BinaryFn; a: number; b: number }
  | { op: 'compare'; fn: CompareFn; a: number; b: number }
  | { op: 'and' | 'or'; a: number; b: number }
  | { op: 'select'; cond: number; a: number; b: number };

export interface Program {
  instrs: Instr[];
  result: number;
  vars: Set<VarName>;
  /** Whether each instruction yields a boolean (a comparison or a logical op). */
  isBool: boolean[];
}

export function lower(node: Node, paramNames: readonly string[]): Program {
  const instrs: Instr[] = [];
  const isBool: boolean[] = [];
  const seen = new Map<string, number>();
  const vars = new Set<VarName>();
  const emit = (ins: Instr, bool: boolean): number => {
    const key = JSON.stringify(ins, (_k, val: unknown) =>
      typeof val === 'number' && !Number.isFinite(val)
        ? String(val)
        : Object.is(val, -0)
          ? '-0'
          : val,
    );
    const found = seen.get(key);
    if (found !== undefined) return found;
    instrs.push(ins);
    isBool.push(bool);
    seen.set(key, instrs.length - 1);
    return instrs.length - 1;
  };
  const walk = (n: Node): number => {
    switch (n.k) {
      case 'var':
        vars.add(n.name);
        return emit({ op: 'var', name: n.name }, false);
      case 'const':
        return emit({ op: 'const', value: n.value }, false);
      case 'param': {
        const index = paramNames.indexOf(n.name);
        if (index < 0) throw new Error(`codegen: unknown parameter ${n.name}`);
        return emit({ op: 'param', index }, false);
      }
      case 'unary':
        return emit({ op: 'unary', fn: n.fn, a: walk(n.a) }, false);
      case 'binary':
        return emit({ op: 'binary', fn: n.fn, a: walk(n.a), b: walk(n.b) }, false);
      case 'compare':
        return emit({ op: 'compare', fn: n.fn, a: walk(n.a), b: walk(n.b) }, true);
      case 'and':
      case 'or':
        return emit({ op: n.k, a: walk(n.a), b: walk(n.b) }, true);
      case 'select':
        return emit({ op: 'select', cond: walk(n.cond), a: walk(n.a), b: walk(n.b) }, false);
    }
  };
  const result = walk(node);
  return { instrs, result, vars, isBool };
}

/** How one backend spells each SSA operation; `print` turns a program into statements with it. */
export interface Syntax {
  literal(value: number): string;
  variable(name: VarName): string;
  param(index: number): string;
  unary: Record<UnaryFn, (a: string) => string>;
  binary: Record<BinaryFn, (a: string, b: string) => string>;
  compare(fn: CompareFn, a: string, b: string): string;
  and(a: string, b: string): string;
  or(a: string, b: string): string;
  select(cond: string, a: string, b: string): string;
}

/**
 * The right-hand sides of a program's statements, `t0 … tN` in order, in a
 * backend's syntax; `result` names the value the program returns. Each
 * emitter only wraps these in its own declaration syntax and loops.
 */
export function print(prog: Program, syntax: Syntax): { exprs: string[]; result: string } {
  const t = (i: number): string => `t${i}`;
  const exprs = prog.instrs.map((ins) => {
    switch (ins.op) {
      case 'var':
        return syntax.variable(ins.name);
      case 'const':
        return syntax.literal(ins.value);
      case 'param':
        return syntax.param(ins.index);
      case 'unary':
        return syntax.unary[ins.fn](t(ins.a));
      case 'binary':
        return syntax.binary[ins.fn](t(ins.a), t(ins.b));
      case 'compare':
        return syntax.compare(ins.fn, t(ins.a), t(ins.b));
      case 'and':
        return syntax.and(t(ins.a), t(ins.b));
      case 'or':
        return syntax.or(t(ins.a), t(ins.b));
      case 'select':
        return syntax.select(t(ins.cond), t(ins.a), t(ins.b));
    }
  });
  return { exprs, result: t(prog.result) };
}
