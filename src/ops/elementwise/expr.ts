/**
 * A tiny scalar expression language in which every elementwise function is
 * written once. The code generator (`scripts/gen-kernels.ts`) turns these
 * trees into JavaScript, C++ and AssemblyScript loops; the tests evaluate the
 * same trees in float64 as a reference. Options of a function are `param`
 * leaves, so one compiled kernel serves every value of, say, `beta`.
 */

export type UnaryFn =
  'neg' | 'abs' | 'exp' | 'expm1' | 'log' | 'log1p' | 'tanh' | 'erf' | 'sqrt' | 'sign' | 'floor';

export type BinaryFn = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min' | 'pow';

/** Comparisons yield booleans for `select`; `max`/`min` propagate NaN like PyTorch's. */
export type CompareFn = 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne';

export type Node =
  | { readonly k: 'var'; readonly name: VarName }
  | { readonly k: 'const'; readonly value: number }
  | { readonly k: 'param'; readonly name: string }
  | { readonly k: 'unary'; readonly fn: UnaryFn; readonly a: Node }
  | { readonly k: 'binary'; readonly fn: BinaryFn; readonly a: Node; readonly b: Node }
  | { readonly k: 'compare'; readonly fn: CompareFn; readonly a: Node; readonly b: Node }
  | { readonly k: 'and' | 'or'; readonly a: Node; readonly b: Node }
  | { readonly k: 'select'; readonly cond: Node; readonly a: Node; readonly b: Node };

/** The variables an expression can read: inputs `x` (`a`, `b` for binary ops), the output `y`, the incoming gradient `dy`. */
export type VarName = 'x' | 'a' | 'b' | 'y' | 'dy';

type Operand = Ex | number;

function lift(v: Operand): Ex {
  return typeof v === 'number' ? new Ex({ k: 'const', value: v }) : v;
}

/** A fluent wrapper around a `Node`. */
export class Ex {
  constructor(readonly node: Node) {}
  add(o: Operand): Ex {
    return bin('add', this, o);
  }
  sub(o: Operand): Ex {
    return bin('sub', this, o);
  }
  mul(o: Operand): Ex {
    return bin('mul', this, o);
  }
  div(o: Operand): Ex {
    return bin('div', this, o);
  }
  pow(o: Operand): Ex {
    return bin('pow', this, o);
  }
  neg(): Ex {
    return un('neg', this);
  }
  abs(): Ex {
    return un('abs', this);
  }
  lt(o: Operand): Ex {
    return cmp('lt', this, o);
  }
  le(o: Operand): Ex {
    return cmp('le', this, o);
  }
  gt(o: Operand): Ex {
    return cmp('gt', this, o);
  }
  ge(o: Operand): Ex {
    return cmp('ge', this, o);
  }
  eq(o: Operand): Ex {
    return cmp('eq', this, o);
  }
  ne(o: Operand): Ex {
    return cmp('ne', this, o);
  }
  and(o: Ex): Ex {
    return new Ex({ k: 'and', a: this.node, b: o.node });
  }
  or(o: Ex): Ex {
    return new Ex({ k: 'or', a: this.node, b: o.node });
  }
}

function bin(fn: BinaryFn, a: Operand, b: Operand): Ex {
  return new Ex({ k: 'binary', fn, a: lift(a).node, b: lift(b).node });
}
function un(fn: UnaryFn, a: Operand): Ex {
  return new Ex({ k: 'unary', fn, a: lift(a).node });
}
function cmp(fn: CompareFn, a: Operand, b: Operand): Ex {
  return new Ex({ k: 'compare', fn, a: lift(a).node, b: lift(b).node });
}

export const v = (name: VarName): Ex => new Ex({ k: 'var', name });
export const c = (value: number): Ex => new Ex({ k: 'const', value });
export const param = (name: string): Ex => new Ex({ k: 'param', name });

/** `cond ? a : b`, evaluated per element. */
export const select = (cond: Ex, a: Operand, b: Operand): Ex =>
  new Ex({ k: 'select', cond: cond.node, a: lift(a).node, b: lift(b).node });

export const exp = (a: Operand): Ex => un('exp', a);
export const expm1 = (a: Operand): Ex => un('expm1', a);
export const log = (a: Operand): Ex => un('log', a);
export const log1p = (a: Operand): Ex => un('log1p', a);
export const tanh = (a: Operand): Ex => un('tanh', a);
export const erf = (a: Operand): Ex => un('erf', a);
export const sqrt = (a: Operand): Ex => un('sqrt', a);
export const sign = (a: Operand): Ex => un('sign', a);
export const floor = (a: Operand): Ex => un('floor', a);
/** NaN-propagating maximum (PyTorch's `clamp_min`, `maximum`). */
export const max = (a: Operand, b: Operand): Ex => bin('max', a, b);
/** NaN-propagating minimum. */
export const min = (a: Operand, b: Operand): Ex => bin('min', a, b);

/** The names of the variables an expression reads. */
export function varsUsed(node: Node, acc = new Set<VarName>()): Set<VarName> {
  switch (node.k) {
    case 'var':
      acc.add(node.name);
      break;
    case 'const':
    case 'param':
      break;
    case 'unary':
      varsUsed(node.a, acc);
      break;
    case 'binary':
    case 'compare':
    case 'and':
    case 'or':
      varsUsed(node.a, acc);
      varsUsed(node.b, acc);
      break;
    case 'select':
      varsUsed(node.cond, acc);
      varsUsed(node.a, acc);
      varsUsed(node.b, acc);
      break;
  }
  return acc;
}
