/** Containers: `nn.Sequential` and `nn.ModuleList`. */
import type { Tensor } from '../tensor/tensor.js';
import { unaryOp } from '../ops/elementwise/apply.js';
import { Module } from './module.js';
import { Linear } from './linear.js';
import { ReLU } from './modules.generated.js';

/** A module that maps one tensor to one tensor (a layer or an activation). */
export interface TensorModule extends Module {
  /** Applies the module to `input`. */
  forward(input: Tensor): Tensor;
}

function checkModule(fn: string, m: unknown, i: number): asserts m is Module {
  if (!(m instanceof Module))
    throw new Error(`${fn}: argument ${i} must be a Module, got ${m === null ? 'null' : typeof m}`);
}

/** A module `Sequential` can run: one with a `forward(input)` (not a `ModuleList`). */
function checkLayer(fn: string, m: unknown, i: number): asserts m is TensorModule {
  checkModule(fn, m, i);
  if (typeof (m as { forward?: unknown }).forward !== 'function')
    throw new Error(`${fn}: argument ${i} (${m.name}) has no forward(input) method`);
}

/** A container whose children are named `0`, `1`, … in order. */
interface Indexable extends Module {
  readonly length: number;
}

/**
 * The position a property key names, if it is a number: `'1'`, `'-1'`, and
 * (to be refused) `'1.5'`; `null` for every other key.
 */
function numericKey(key: string | symbol): number | null {
  if (typeof key !== 'string' || key === '') return null;
  const c = key.charCodeAt(0);
  // Cheap test first: every property access of the container passes through here.
  // '-', a digit, or 'N'/'I' ('NaN', 'Infinity': refused as indices, as PyTorch refuses them).
  if (!(c === 45 || (c >= 48 && c <= 57) || c === 78 || c === 73)) return null;
  const n = Number(key);
  // Only the canonical spelling of a number is an index, as for arrays ('1', '-1', '1.5';
  // not '01', '1e0' or '0x1', which stay ordinary property names).
  return String(n) === key ? n : null;
}

/** `i` as a position in `c`: an integer, negative counting from the end, within range. */
function position(c: Indexable, fn: string, i: number): number {
  if (!Number.isInteger(i)) throw new Error(`${fn}: indices must be integers, got ${i}`);
  const n = c.length;
  if (i < -n || i >= n)
    throw new Error(`${fn}: index ${i} is out of range for ${n} module${n === 1 ? '' : 's'}`);
  return i < 0 ? i + n : i;
}

/**
 * `container` behind a proxy that gives it PyTorch's integer indexing:
 * `net[0]`, `net[-1]` read a module, `net[1] = m` replaces one (same name,
 * same position); an index out of range or not an integer throws, as
 * PyTorch's `IndexError`/`TypeError` do. Other keys pass through untouched.
 * Indices are never own properties, so they are neither adopted as
 * assigned children nor listed by `Object.keys`.
 */
function withIndexing<C extends Indexable>(
  container: C,
  fn: string,
  check: (m: unknown, where: string) => void,
): C {
  const proxy: C = new Proxy(container, {
    get(target, key, receiver) {
      const i = numericKey(key);
      if (i === null) return Reflect.get(target, key, receiver);
      return target.children()[position(target, fn, i)];
    },
    set(target, key, value, receiver) {
      const i = numericKey(key);
      if (i === null) return Reflect.set(target, key, value, receiver);
      const at = position(target, fn, i);
      check(value, `${fn}[${i}]`);
      if (value === proxy || value === target)
        throw new Error(`${fn}[${i}]: a ${fn} cannot contain itself`);
      target.registerModule(String(at), value as Module);
      return true;
    },
    has(target, key) {
      const i = numericKey(key);
      if (i === null) return Reflect.has(target, key);
      return Number.isInteger(i) && i >= -target.length && i < target.length;
    },
  });
  return proxy;
}

/**
 * Whether `next` may rectify `layer`'s output in place: an `nn.Linear`
 * followed by an `nn.ReLU` (those classes exactly, not subclasses, which
 * could keep a reference to the output), neither with hooks (a forward
 * hook could keep it too, or expect ReLU's forward to run; a backward
 * hook's wrapper may not be written in place). The linear
 * output is a fresh tensor no one else sees, its backward does not read it,
 * and ReLU's backward reads only its result, so writing the result over it
 * changes no value or gradient and skips allocating (and, on a machine
 * short of memory bandwidth, first touching) a second activation-sized
 * array.
 */
function rectifiesInPlace(layer: Module, next: Module | undefined): boolean {
  return (
    !layer._hasHooks() &&
    !next?._hasHooks() &&
    layer.constructor === Linear &&
    next?.constructor === ReLU
  );
}

/**
 * Runs modules one after another: `forward(x)` is
 * `modules[n−1].forward(…modules[0].forward(x))`. Children are named
 * `0`, `1`, ... so state-dict keys are PyTorch's (`0.weight`, `2.bias`).
 * A `Linear` directly followed by a `ReLU` writes the ReLU into the linear
 * output (as `nn.ReLU(inplace=True)` would; see `rectifiesInPlace`).
 *
 * Matches `torch.nn.Sequential` (without the OrderedDict form).
 * @example
 * ```ts
 * import { nn, zeros } from 'nnkit';
 * const net = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
 * console.log(net.toString());
 * // Sequential(
 * //   (0): Linear(in_features=4, out_features=8, bias=True)
 * //   (1): ReLU()
 * //   (2): Linear(in_features=8, out_features=2, bias=True)
 * // )
 * console.log(Object.keys(net.stateDict())); // [ '0.weight', '0.bias', '2.weight', '2.bias' ]
 * console.log(net.forward(zeros([5, 4])).shape); // [ 5, 2 ]
 * console.log(net[2].toString()); // Linear(in_features=8, out_features=2, bias=True)
 * ```
 */
export class Sequential extends Module {
  /** The module at position `index` (`net[0]`, `net[-1]`); assigning replaces it; out of range throws. */
  [index: number]: TensorModule;

  /**
   * Chains `modules` in the order given, naming them `0`, `1`, ….
   *
   * @param modules - The layers to run in order, each a module with a `forward(input)` (not a
   *   `ModuleList`). Default none.
   */
  constructor(...modules: TensorModule[]) {
    super();
    modules.forEach((m, i) => {
      checkLayer('Sequential', m, i);
      this.registerModule(String(i), m);
    });
    // The proxy is what gives `net[0]` (see withIndexing).
    return withIndexing(this, 'Sequential', (m, where) => checkLayer(where, m, 0));
  }

  /** Number of modules. */
  get length(): number {
    return this.children().length;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): TensorModule {
    return this.children()[position(this, 'Sequential', index)] as TensorModule;
  }

  /** Iterates the modules in order (`for (const m of net)`). */
  [Symbol.iterator](): Iterator<TensorModule> {
    return (this.children() as TensorModule[])[Symbol.iterator]();
  }

  /** Adds a module at the end, named by its position. */
  append(m: TensorModule): this {
    checkLayer('Sequential.append', m, 0);
    this.registerModule(String(this.length), m);
    return this;
  }

  /** Runs `input` through every module in order. */
  forward(input: Tensor): Tensor {
    const modules = this.children() as TensorModule[];
    let x = input;
    for (let i = 0; i < modules.length; i++) {
      // A child assigned to a property (`net.extra = new nn.ModuleList()`) is adopted unchecked.
      if (typeof modules[i].forward !== 'function')
        throw new Error(
          `Sequential.forward: module ${i} (${modules[i].name}) has no forward(input) method`,
        );
      x = modules[i].forward(x);
      if (rectifiesInPlace(modules[i], modules[i + 1]) && x.isContiguous() && x._base === null) {
        x = unaryOp('relu', x, [], { fn: 'relu', inplace: true });
        i++;
      }
    }
    return x;
  }
}

/**
 * Holds modules in a list so that their parameters are registered, named
 * `0`, `1`, ... Matches `torch.nn.ModuleList`.
 * @example
 * ```ts
 * import { nn } from 'nnkit';
 * const heads = new nn.ModuleList([new nn.Linear(4, 2), new nn.Linear(4, 3)]);
 * console.log([...heads.namedParameters()].map(([name, p]) => `${name} ${p.shape}`));
 * // [ '0.weight 2,4', '0.bias 2', '1.weight 3,4', '1.bias 3' ]
 * ```
 */
export class ModuleList<M extends Module = Module> extends Module {
  /** The module at position `index` (`heads[0]`, `heads[-1]`); assigning replaces it; out of range throws. */
  [index: number]: M;

  /**
   * Holds `modules` in order, naming them `0`, `1`, ….
   *
   * @param modules - The modules to append, in order. Default `[]`.
   */
  constructor(modules: readonly M[] = []) {
    super();
    modules.forEach((m) => this.append(m));
    // The proxy is what gives `heads[0]` (see withIndexing).
    return withIndexing(this, 'ModuleList', (m, where) => checkModule(where, m, 0));
  }

  /** The number of modules. */
  get length(): number {
    return this.children().length;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): M {
    return this.children()[position(this, 'ModuleList', index)] as M;
  }

  /** Appends a module; it is registered under the next index. */
  append(m: M): this {
    checkModule('ModuleList.append', m, this.length);
    this.registerModule(String(this.length), m);
    return this;
  }

  /** Iterates the modules in order. */
  [Symbol.iterator](): Iterator<M> {
    return (this.children() as M[])[Symbol.iterator]();
  }
}
