/**
 * Containers by name and of parameters: `nn.ModuleDict`, `nn.ParameterList`
 * and `nn.ParameterDict`, as in PyTorch 1.13 — state-dict keys, reprs and
 * key order included (a `ParameterDict` built from a plain object sorts its
 * keys, as PyTorch's does from a dict).
 */
import type { Tensor } from '../tensor/tensor.js';
import { isTensor } from '../signature/types.js';
import { Module } from './module.js';

/** Throws unless `key` can name a child or a parameter: PyTorch's `KeyError`s. */
function checkKey(fn: string, what: 'module' | 'parameter', key: unknown): asserts key is string {
  if (typeof key !== 'string') {
    throw new Error(`${fn}: ${what} names must be strings, got ${typeof key}`);
  }
  if (key === '') throw new Error(`${fn}: ${what} name can't be empty string ""`);
  // PyTorch's own words: only the module's message names the key.
  if (key.includes('.')) {
    throw new Error(
      `${fn}: ${what} name can't contain "."${what === 'module' ? `, got: ${key}` : ''}`,
    );
  }
}

/** `[key, value]` pairs of a plain object, a Map or an array of pairs. */
function entriesOf<V>(
  fn: string,
  items: Record<string, V> | ReadonlyMap<string, V> | readonly (readonly [string, V])[],
): [string, V][] {
  if (items instanceof Map) return [...(items as ReadonlyMap<string, V>)];
  if (Array.isArray(items)) {
    return items.map((pair: unknown, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new Error(`${fn}: element ${i} of the list must be a [key, value] pair`);
      }
      return pair as [string, V];
    });
  }
  if (typeof items !== 'object' || items === null) {
    throw new Error(`${fn}: expected an object, a Map or a list of [key, value] pairs`);
  }
  return Object.entries(items as Record<string, V>);
}

/** PyTorch's `torch.float32` for a parameter's dtype. */
const TORCH_DTYPE = { float32: 'float32', float64: 'float64', int32: 'int32' } as const;
/** PyTorch's `torch.typename`: `torch.FloatTensor`. */
const TORCH_TYPENAME = { float32: 'Float', float64: 'Double', int32: 'Int' } as const;

/** One line of a parameter container's repr: `(0): Parameter containing: [torch.float32 of size 2x3]`. */
function parameterLine(key: string, p: Tensor, type: string): string {
  return `  (${key}): Parameter containing: [${type} of size ${p.shape.join('x')}]`;
}

/**
 * Holds modules by name, so that their parameters are registered under
 * `name.…` — `torch.nn.ModuleDict`. Names are strings without `.`; the
 * order is insertion order (a plain object's own order).
 * @example
 * ```ts
 * import { nn } from 'nnkit';
 * const heads = new nn.ModuleDict({ age: new nn.Linear(4, 1), kind: new nn.Linear(4, 3) });
 * heads.set('act', new nn.ReLU());
 * console.log([...heads.keys()], heads.has('age'), heads.length); // [ 'age', 'kind', 'act' ] true 3
 * console.log(Object.keys(heads.stateDict())); // [ 'age.weight', 'age.bias', 'kind.weight', 'kind.bias' ]
 * console.log(heads.get('kind')!.toString()); // Linear(in_features=4, out_features=3, bias=True)
 * ```
 */
export class ModuleDict<M extends Module = Module> extends Module {
  /**
   * A dict holding `modules`, registered in their order.
   * @param modules - Named children: a plain object, a Map or `[name, module]` pairs (default none).
   */
  constructor(
    modules: Record<string, M> | ReadonlyMap<string, M> | readonly (readonly [string, M])[] = {},
  ) {
    super();
    this.update(modules);
  }

  /** The number of modules. */
  get length(): number {
    return this.ownModules().length;
  }

  /** The module named `key`, or undefined. */
  get(key: string): M | undefined {
    return this.namedChildrenMap().get(key);
  }

  /** Adds or replaces the module named `key` (a replaced one keeps its position). */
  set(key: string, module: M): this {
    checkKey('ModuleDict', 'module', key);
    if (!(module instanceof Module)) {
      throw new Error(`ModuleDict: the value for '${key}' must be a Module`);
    }
    this.registerModule(key, module);
    return this;
  }

  /** Whether a module is named `key`. */
  has(key: string): boolean {
    return this.namedChildrenMap().has(key);
  }

  /** Removes the module named `key` and returns it, as `pop`; a missing key throws. */
  pop(key: string): M {
    const m = this.get(key);
    if (m === undefined) throw new Error(`ModuleDict.pop: no module named '${key}'`);
    this.unregisterModule(key);
    return m;
  }

  /** Removes every module. */
  clear(): void {
    for (const key of [...this.keys()]) this.unregisterModule(key);
  }

  /** Adds or replaces modules from an object, a Map or `[key, module]` pairs, in order. */
  update(
    modules: Record<string, M> | ReadonlyMap<string, M> | readonly (readonly [string, M])[],
  ): this {
    for (const [k, m] of entriesOf('ModuleDict', modules)) this.set(k, m);
    return this;
  }

  /** The names, in order. */
  keys(): IterableIterator<string> {
    return this.namedChildrenMap().keys();
  }

  /** The modules, in order. */
  values(): IterableIterator<M> {
    return this.namedChildrenMap().values();
  }

  /** `[name, module]` pairs, in order (`items()` in PyTorch). */
  entries(): IterableIterator<[string, M]> {
    return this.namedChildrenMap().entries();
  }

  /** Iterates the names, as iterating a Python `ModuleDict` does. */
  [Symbol.iterator](): IterableIterator<string> {
    return this.keys();
  }

  private namedChildrenMap(): Map<string, M> {
    return new Map(this.ownModules() as [string, M][]);
  }
}

/**
 * Holds tensors as parameters named `0`, `1`, … — `torch.nn.ParameterList`:
 * each becomes a `Parameter` (requiring grad) that `parameters()`,
 * optimizers and the state dict see. `plist[0]` and `plist[-1]` read one.
 * @example
 * ```ts
 * import { nn, zeros } from 'nnkit';
 * const scales = new nn.ParameterList([zeros([2, 3]), zeros([3])]);
 * scales.append(zeros([]));
 * console.log(scales.toString());
 * // ParameterList(
 * //     (0): Parameter containing: [torch.float32 of size 2x3]
 * //     (1): Parameter containing: [torch.float32 of size 3]
 * //     (2): Parameter containing: [torch.float32 of size ]
 * // )
 * console.log(Object.keys(scales.stateDict()), scales[1].requiresGrad); // [ '0', '1', '2' ] true
 * ```
 */
export class ParameterList extends Module {
  /** The parameter at position `index` (negative counts from the end); out of range throws. */
  [index: number]: Tensor;

  /**
   * A list holding each of `values` as a parameter.
   * @param values - The tensors, registered as parameters `0`, `1`, … (default none).
   */
  constructor(values: readonly Tensor[] = []) {
    super();
    for (const v of values) this.append(v);
    // Integer indexing, as ModuleList's: a proxy (reads only).
    return new Proxy(this, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^-?\d+$/.test(key)) return target.at(Number(key));
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
  }

  /** The number of parameters. */
  get length(): number {
    return this.ownParameters().length;
  }

  /** The parameter at `index` (negative counts from the end). */
  at(index: number): Tensor {
    const all = this.ownParameters();
    const n = all.length;
    if (!Number.isInteger(index) || index < -n || index >= n) {
      throw new Error(`ParameterList: index ${index} is out of range for ${n} parameters`);
    }
    return all[index < 0 ? index + n : index][1];
  }

  /** Appends a tensor as the next parameter (a `Parameter` requiring grad). */
  append(value: Tensor): this {
    if (!isTensor(value)) throw new Error('ParameterList.append: the value must be a Tensor');
    this.registerParameter(String(this.length), value);
    return this;
  }

  /** Appends each tensor. */
  extend(values: Iterable<Tensor>): this {
    for (const v of values) this.append(v);
    return this;
  }

  /** Iterates the parameters in order. */
  [Symbol.iterator](): Iterator<Tensor> {
    const values = this.ownParameters().map(([, p]) => p);
    return values[Symbol.iterator]();
  }

  override extraRepr(): string {
    return this.ownParameters()
      .map(([k, p]) => parameterLine(k, p, `torch.${TORCH_DTYPE[p.dtype]}`))
      .join('\n');
  }
}

/**
 * Holds tensors as parameters by name — `torch.nn.ParameterDict`: each
 * becomes a `Parameter` registered under its key. Built from a plain object
 * the keys are sorted, as PyTorch 1.13 sorts a dict's; from a Map or
 * `[key, tensor]` pairs they keep their order.
 * @example
 * ```ts
 * import { nn, ones, zeros } from 'nnkit';
 * const p = new nn.ParameterDict({ w: ones([2]), b: zeros([1]) });
 * console.log([...p.keys()], p.get('w')!.requiresGrad); // [ 'b', 'w' ] true
 * console.log(p.toString());
 * // ParameterDict(
 * //     (b): Parameter containing: [torch.FloatTensor of size 1]
 * //     (w): Parameter containing: [torch.FloatTensor of size 2]
 * // )
 * ```
 */
export class ParameterDict extends Module {
  /**
   * A dict holding each of `values` as a parameter.
   * @param values - Named tensors: a plain object (keys sorted), a Map or `[key, tensor]` pairs.
   */
  constructor(
    values:
      | Record<string, Tensor>
      | ReadonlyMap<string, Tensor>
      | readonly (readonly [string, Tensor])[] = {},
  ) {
    super();
    this.update(values);
  }

  /** The number of parameters. */
  get length(): number {
    return this.ownParameters().length;
  }

  /** The parameter named `key`, or undefined. */
  get(key: string): Tensor | undefined {
    return this.map().get(key);
  }

  /** Adds or replaces the parameter named `key` (made a `Parameter` requiring grad). */
  set(key: string, value: Tensor): this {
    checkKey('ParameterDict', 'parameter', key);
    if (!isTensor(value)) throw new Error(`ParameterDict: the value for '${key}' must be a Tensor`);
    this.registerParameter(key, value);
    return this;
  }

  /** Whether a parameter is named `key`. */
  has(key: string): boolean {
    return this.map().has(key);
  }

  /** Removes the parameter named `key` and returns it, as `pop`; a missing key throws. */
  pop(key: string): Tensor {
    const p = this.get(key);
    if (p === undefined) throw new Error(`ParameterDict.pop: no parameter named '${key}'`);
    this.unregisterParameter(key);
    return p;
  }

  /**
   * Adds or replaces parameters: a plain object's in sorted key order (as
   * PyTorch sorts a dict's), a Map's or pairs' in their order.
   */
  update(
    values:
      Record<string, Tensor> | ReadonlyMap<string, Tensor> | readonly (readonly [string, Tensor])[],
  ): this {
    const pairs = entriesOf('ParameterDict', values);
    const plain = !(values instanceof Map) && !Array.isArray(values);
    if (plain) pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [k, v] of pairs) this.set(k, v);
    return this;
  }

  /** The names, in order. */
  keys(): IterableIterator<string> {
    return this.map().keys();
  }

  /** The parameters, in order. */
  values(): IterableIterator<Tensor> {
    return this.map().values();
  }

  /** `[name, parameter]` pairs, in order (`items()` in PyTorch). */
  entries(): IterableIterator<[string, Tensor]> {
    return this.map().entries();
  }

  /** Iterates the names, as iterating a Python `ParameterDict` does. */
  [Symbol.iterator](): IterableIterator<string> {
    return this.keys();
  }

  override extraRepr(): string {
    return this.ownParameters()
      .map(([k, p]) => parameterLine(k, p, `torch.${TORCH_TYPENAME[p.dtype]}Tensor`))
      .join('\n');
  }

  private map(): Map<string, Tensor> {
    return new Map(this.ownParameters());
  }
}
