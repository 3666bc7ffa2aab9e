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

/**
 * Makes `container[i]` the module registered as `i`, as PyTorch's
 * `__getitem__`/`__setitem__` with an integer: reading it gives the module,
 * assigning replaces it in place (same name, same position). The property is
 * an accessor and not enumerable, so it is neither adopted as an assigned
 * child nor listed by `Object.keys`.
 */
function defineIndex(container: Module, i: number, fn: string): void {
  const name = String(i);
  Object.defineProperty(container, name, {
    configurable: true,
    enumerable: false,
    get: () => container.children()[i],
    set: (m: unknown) => {
      checkModule(`${fn}[${i}]`, m, 0);
      container.registerModule(name, m);
    },
  });
}

/**
 * Whether `next` may rectify `layer`'s output in place: an `nn.Linear`
 * followed by an `nn.ReLU` (those classes exactly, not subclasses, which
 * could keep a reference to the output), neither with forward hooks (a
 * hook could keep it too, or expect ReLU's forward to run). The linear
 * output is a fresh tensor no one else sees, its backward does not read it,
 * and ReLU's backward reads only its result, so writing the result over it
 * changes no value or gradient and skips allocating (and, on a machine
 * short of memory bandwidth, first touching) a second activation-sized
 * array.
 */
function rectifiesInPlace(layer: Module, next: Module | undefined): boolean {
  return (
    !layer._hasForwardHooks() &&
    !next?._hasForwardHooks() &&
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
  /** The module at position `index` (`net[0]`); assigning replaces it. Negative indices: {@link at}. */
  [index: number]: TensorModule;

  constructor(...modules: TensorModule[]) {
    super();
    modules.forEach((m, i) => {
      checkModule('Sequential', m, i);
      if (typeof (m as { forward?: unknown }).forward !== 'function') {
        throw new Error(`Sequential: argument ${i} (${m.name}) has no forward(input) method`);
      }
      this.registerModule(String(i), m);
      defineIndex(this, i, 'Sequential');
    });
  }

  /** Number of modules. */
  get length(): number {
    return this.children().length;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): TensorModule {
    const c = this.children();
    const m = c[index < 0 ? index + c.length : index];
    if (!m) throw new Error(`Sequential: index ${index} is out of range for ${c.length} modules`);
    return m as TensorModule;
  }

  /** Adds a module at the end, named by its position. */
  append(m: TensorModule): this {
    checkModule('Sequential.append', m, 0);
    const i = this.length;
    this.registerModule(String(i), m);
    defineIndex(this, i, 'Sequential');
    return this;
  }

  /** Runs `input` through every module in order. */
  forward(input: Tensor): Tensor {
    const modules = this.children() as TensorModule[];
    let x = input;
    for (let i = 0; i < modules.length; i++) {
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
  /** The module at position `index` (`heads[0]`); assigning replaces it. Negative indices: {@link at}. */
  [index: number]: M;

  constructor(modules: readonly M[] = []) {
    super();
    modules.forEach((m) => this.append(m));
  }

  /** The number of modules. */
  get length(): number {
    return this.children().length;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): M {
    const c = this.children();
    const m = c[index < 0 ? index + c.length : index];
    if (!m) throw new Error(`ModuleList: index ${index} is out of range for ${c.length} modules`);
    return m as M;
  }

  /** Appends a module; it is registered under the next index. */
  append(m: M): this {
    const i = this.length;
    checkModule('ModuleList.append', m, i);
    this.registerModule(String(i), m);
    defineIndex(this, i, 'ModuleList');
    return this;
  }

  /** Iterates the modules in order. */
  [Symbol.iterator](): Iterator<M> {
    return (this.children() as M[])[Symbol.iterator]();
  }
}
