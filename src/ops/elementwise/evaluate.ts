/**
 * A float64 interpreter for table expressions: the reference the tests hold
 * every generated kernel (JS, native, wasm) against.
 */
import type { Node, VarName } from './expr.js';
import { erf, pow } from '../../kernels/js/math.js';

const UNARY_FNS: Record<string, (a: number) => number> = {
  neg: (a) => -a,
  abs: Math.abs,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  tanh: Math.tanh,
  erf,
  sqrt: Math.sqrt,
  sign: Math.sign,
  floor: Math.floor,
};

const BINARY_FNS: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow,
  max: Math.max,
  min: Math.min,
};

const COMPARE_FNS: Record<string, (a: number, b: number) => boolean> = {
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
};

/**
 * Evaluates `node` with variable and parameter values (booleans come back
 * as 1/0). `round` is applied to every value computed or read, so
 * `Math.fround` gives the float32 reference: each intermediate rounded to
 * float32 as PyTorch's float kernels compute (overflowing where they do).
 * `unary` replaces functions of the interpreter's (PyTorch's float32 `log1p`
 * is +Infinity above 1e38, where the true value is at most 88.7).
 */
export function evaluate(
  node: Node,
  vars: Partial<Record<VarName, number>>,
  params: Record<string, number>,
  round: (v: number) => number = (v) => v,
  unary: Partial<Record<string, (a: number) => number>> = {},
): number {
  const fns = { ...UNARY_FNS, ...unary } as Record<string, (a: number) => number>;
  const ev = (n: Node): number => {
    switch (n.k) {
      case 'var': {
        const v = vars[n.name];
        if (v === undefined) throw new Error(`evaluate: variable ${n.name} not given`);
        return round(v);
      }
      case 'const':
        return round(n.value);
      case 'param':
        return round(params[n.name]);
      case 'unary':
        return round(fns[n.fn](ev(n.a)));
      case 'binary':
        return round(BINARY_FNS[n.fn](ev(n.a), ev(n.b)));
      case 'compare':
        return COMPARE_FNS[n.fn](ev(n.a), ev(n.b)) ? 1 : 0;
      case 'and':
        return ev(n.a) !== 0 && ev(n.b) !== 0 ? 1 : 0;
      case 'or':
        return ev(n.a) !== 0 || ev(n.b) !== 0 ? 1 : 0;
      case 'select':
        return ev(n.cond) !== 0 ? ev(n.a) : ev(n.b);
    }
  };
  return ev(node);
}
