/**
 * The base class of every layer, activation and loss module, after
 * `torch.nn.Module`: parameters and buffers registered by name, child
 * modules, train/eval mode, state dicts with PyTorch's dotted keys, dtype
 * conversion and a PyTorch-style `toString()`.
 */
import { Tensor } from '../tensor/tensor.js';
import { castArray, dtypeOf, type DType, type TypedArray } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { noGrad } from '../autograd/grad-mode.js';
import { clearGrad, ZERO_GRAD_PARAMS } from '../autograd/zero-grad.js';
import { bindArgs, type Param } from '../signature/bind.js';
import { bool, describeValue, floatDtype, isTensor, string as str } from '../signature/types.js';
import { isTensorJSON, parseTensorJSON, type TensorJSON } from '../tensor/json.js';
import {
  callWithHooks,
  hookCount,
  RemovableHandle,
  type ForwardHook,
  type ForwardPreHook,
  type FullBackwardHook,
  type ModuleHooks,
} from './hooks.js';

const TO_PARAMS: readonly Param[] = [
  {
    name: 'dtype',
    type: floatDtype,
    doc: "the floating dtype to convert to: 'float32' or 'float64'",
  },
];

const LOAD_STATE_DICT_PARAMS: readonly Param[] = [
  {
    name: 'strict',
    type: bool,
    default: true,
    doc: 'whether missing and unexpected keys are an error (else they are skipped and returned)',
  },
];

const PREFIX: Param = {
  name: 'prefix',
  type: str,
  default: '',
  doc: 'prepended to every name',
};
const RECURSE: Param = {
  name: 'recurse',
  type: bool,
  default: true,
  doc: 'whether to include the descendants’ (else only this module’s own)',
};
const NAMED_PARAMS: readonly Param[] = [PREFIX, RECURSE];
const RECURSE_PARAMS: readonly Param[] = [RECURSE];
const TRAIN_PARAMS: readonly Param[] = [
  { name: 'mode', type: bool, default: true, doc: 'training mode (true) or evaluation mode' },
];

/** The tensors made by `Parameter`: a module adopts them when they are assigned to its properties. */
const PARAMETERS = new WeakSet<Tensor>();

/**
 * Makes `t` a trainable parameter (a leaf that requires grad), like
 * `nn.Parameter`: assigned to a module's property (`this.scale =
 * nn.Parameter(ones([3]))`) it is registered under the property's name.
 *
 * @param t - The tensor to make a parameter: a leaf is marked in place (and returned), a
 *   non-leaf is detached first. PyTorch's `data`.
 */
export function Parameter(t: Tensor): Tensor {
  const leaf = (t.isLeaf ? t : t.detach()).requiresGrad_(true);
  PARAMETERS.add(leaf);
  return leaf;
}

/**
 * The base class of every layer, activation and loss module, after `torch.nn.Module`.
 * As in PyTorch, a module or an `nn.Parameter` assigned to a property (`this.fc1 = new
 * nn.Linear(3, 8)`) is registered under the property's name, in the order the properties
 * were first defined;
 * {@link Module.registerParameter}, {@link Module.registerBuffer} (buffers are only registered
 * this way) and {@link Module.registerModule} do it explicitly. Parameters, state dicts,
 * `to(dtype)`, `train()`/`eval()` and `toString()` then follow. (Modules in a plain array are
 * not registered, as in PyTorch: use `nn.ModuleList`.)
 *
 * @example
 * ```ts
 * import { nn, ones, type Tensor } from 'nnkit';
 * class Scale extends nn.Module {
 *   readonly weight: Tensor;
 *   readonly act: nn.Tanh;
 *   constructor(n: number) {
 *     super();
 *     this.weight = this.registerParameter('weight', ones([n])) as Tensor;
 *     this.act = this.registerModule('act', new nn.Tanh());
 *   }
 *   forward(x: Tensor): Tensor {
 *     return this.act.forward(x.mul(this.weight));
 *   }
 * }
 * const m = new Scale(3);
 * console.log(m.toString());
 * // Scale(
 * //   (act): Tanh()
 * // )
 * console.log(Object.keys(m.stateDict()), m.parameters().length); // [ 'weight' ] 1
 * ```
 */
export abstract class Module {
  /** True in training mode (the default), false after `eval()`. */
  training = true;
  private readonly _parameters = new Map<string, Tensor | null>();
  private readonly _buffers = new Map<string, Tensor>();
  private readonly _modules = new Map<string, Module>();
  /** The forward hooks; null until the first is registered, which wraps `forward`. */
  private _hooks: ModuleHooks | null = null;

  /**
   * Called by subclasses (`super()`); the module starts in training mode with no parameters,
   * buffers or children.
   */
  constructor() {}

  /** PyTorch's class name, used by `toString()`. */
  get name(): string {
    return this.constructor.name;
  }

  /** Registers (or replaces) a parameter; `null` records an absent optional one (e.g. no bias). */
  registerParameter(name: string, t: Tensor | null): Tensor | null {
    this.adoptAssigned();
    this._parameters.set(name, t === null ? null : Parameter(t));
    return this._parameters.get(name) ?? null;
  }

  /**
   * Registers (or replaces) a buffer: state that is saved in the state dict and converted by
   * `to(dtype)` but not learnt (class weights, running statistics), like `register_buffer`.
   */
  registerBuffer(name: string, t: Tensor): Tensor {
    this.adoptAssigned();
    this._buffers.set(name, t);
    return t;
  }

  /** Registers a child module under `name`; its parameters get the prefix `name.`. */
  registerModule<M extends Module>(name: string, m: M): M {
    this.adoptAssigned();
    this._modules.set(name, m);
    return m;
  }

  /** This module's own parameters (not its children's), absent ones left out, in order. */
  protected ownParameters(): [string, Tensor][] {
    this.adoptAssigned();
    return [...this._parameters].filter((e): e is [string, Tensor] => e[1] !== null);
  }

  /** This module's direct children by name, in order. */
  protected ownModules(): [string, Module][] {
    this.adoptAssigned();
    return [...this._modules];
  }

  /** Removes the parameter registered as `name` (the keyed containers' `pop`). */
  protected unregisterParameter(name: string): void {
    this._parameters.delete(name);
  }

  /** Removes the child registered as `name` (the keyed containers' `pop`). */
  protected unregisterModule(name: string): void {
    this._modules.delete(name);
  }

  /** The parameter registered as `name` (throws if absent). */
  protected param(name: string): Tensor {
    const p = this._parameters.get(name);
    if (!p) throw new Error(`${this.name}: no parameter named '${name}'`);
    return p;
  }

  /** The parameter registered as `name`, or null where it was registered absent (no bias). */
  protected paramOrNull(name: string): Tensor | null {
    if (!this._parameters.has(name)) throw new Error(`${this.name}: no parameter named '${name}'`);
    return this._parameters.get(name) ?? null;
  }

  /** The buffer registered as `name` (throws if absent). */
  protected buffer(name: string): Tensor {
    const b = this._buffers.get(name);
    if (!b) throw new Error(`${this.name}: no buffer named '${name}'`);
    return b;
  }

  /**
   * Registers `hook(module, input)` to run before every `forward` call, like
   * PyTorch's `register_forward_pre_hook`. `input` is the array of `forward`'s
   * arguments (typed from the module's `forward`: `[input: Tensor]` for a
   * layer); a return value other than `undefined` or `null` replaces them
   * (an array is the new argument list, anything else the one argument).
   * Hooks run in registration order, each on the arguments the previous one
   * left. Since modules are called through `forward` here (there is no
   * `module(x)`), the first registration wraps this instance's `forward`; a
   * subclass's `super.forward(…)` does not run the hooks.
   *
   * @param hook - The function to call.
   * @returns A handle whose `remove()` unregisters the hook.
   * @example
   * ```ts
   * import { nn, tensor } from 'nnkit';
   * const relu = new nn.ReLU();
   * relu.registerForwardPreHook((_m, [x]) => x.neg());
   * console.log(relu.forward(tensor([-1, 2])).data); // Float32Array(2) [ 1, 0 ]
   * ```
   */
  registerForwardPreHook(hook: ForwardPreHook<this>): RemovableHandle {
    const { pre } = this.forwardHooks('registerForwardPreHook', hook);
    const handle = new RemovableHandle(pre);
    pre.set(handle.id, hook as ForwardPreHook<unknown>);
    return handle;
  }

  /**
   * Registers `hook(module, input, output)` to run after every `forward`
   * call, like PyTorch's `register_forward_hook`: `input` is the array of
   * `forward`'s arguments, `output` its result; a return value other than
   * `undefined` or `null` replaces the result. Hooks run in registration
   * order, after the pre-hooks and `forward`. A module with hooks is never
   * overwritten in place by `nn.Sequential`'s fused Linear + ReLU, so an
   * output a hook keeps stays as it was returned.
   *
   * @param hook - The function to call.
   * @returns A handle whose `remove()` unregisters the hook.
   * @example
   * ```ts
   * import { nn, tensor, type Tensor } from 'nnkit';
   * const net = new nn.Sequential(new nn.Linear(1, 2), new nn.ReLU());
   * const seen: Tensor[] = [];
   * net.at(0).registerForwardHook((_m, _input, output) => void seen.push(output));
   * net.forward(tensor([[1]]));
   * console.log(seen[0].shape); // [ 1, 2 ]
   * ```
   */
  registerForwardHook(hook: ForwardHook<this>): RemovableHandle {
    const { post } = this.forwardHooks('registerForwardHook', hook);
    const handle = new RemovableHandle(post);
    post.set(handle.id, hook as ForwardHook<unknown>);
    return handle;
  }

  /**
   * Registers `hook(module, gradInput, gradOutput)` to run in backward after
   * every `forward` call, like PyTorch's `register_full_backward_hook`:
   * `gradInput` holds the gradients of `forward`'s arguments (null for one
   * that is not a tensor; zeros for a tensor that does not require grad or
   * got no gradient), `gradOutput` those of its result (a tensor, or each
   * entry of an array; null where none arrived). A returned array (one entry
   * per argument) replaces the gradients passed to the inputs. The hooks run
   * once the gradients of all outputs and inputs of the call are known, in
   * registration order. As in PyTorch, the module's tensor inputs and
   * outputs are wrapped for this (`grad_fn=<BackwardHookFunctionBackward>`)
   * and may not be modified in place (so no `inplace: true` right after a
   * hooked module); without an input that requires grad the hook gets an
   * all-null `gradInput` and may not replace it; when the gradient reaches
   * the inputs through none of the outputs (only through a result inside a
   * nested array, like LSTM's `[h, c]`), the hook is not called.
   *
   * @param hook - The function to call.
   * @returns A handle whose `remove()` unregisters the hook.
   * @example
   * ```ts
   * import { nn, tensor, type Tensor } from 'nnkit';
   * const layer = new nn.Linear(2, 1);
   * const seen: (Tensor | null)[] = [];
   * layer.registerFullBackwardHook((_m, [gx], [gy]) => {
   *   seen.push(gx, gy);
   *   return [null]; // no gradient reaches the input
   * });
   * const x = tensor([[1, 2]], { requiresGrad: true });
   * layer.forward(x).sum().backward();
   * console.log(seen.map((g) => g?.shape)); // [ [ 1, 2 ], [ 1, 1 ] ]
   * console.log(x.grad); // null
   * ```
   */
  registerFullBackwardHook(hook: FullBackwardHook<this>): RemovableHandle {
    const { backward } = this.forwardHooks('registerFullBackwardHook', hook);
    const handle = new RemovableHandle(backward);
    backward.set(handle.id, hook as FullBackwardHook<unknown>);
    return handle;
  }

  /** @internal Whether a hook of any kind is registered. */
  _hasHooks(): boolean {
    return this._hooks !== null && hookCount(this._hooks) > 0;
  }

  /** The module's hooks, wrapping `forward` in a function that runs them on first use. */
  private forwardHooks(fn: string, hook: unknown): ModuleHooks {
    if (typeof hook !== 'function') {
      throw new Error(`${this.name}.${fn}: hook must be a function, got ${describeValue(hook)}`);
    }
    if (this._hooks) return this._hooks;
    const forward: unknown = (this as { forward?: unknown }).forward;
    if (typeof forward !== 'function') {
      throw new Error(`${this.name}.${fn}: the module has no forward() method to hook`);
    }
    const hooks: ModuleHooks = { pre: new Map(), post: new Map(), backward: new Map() };
    const inner = forward as (...args: unknown[]) => unknown;
    Object.defineProperty(this, 'forward', {
      configurable: true,
      writable: true,
      enumerable: false,
      value: (...args: unknown[]): unknown =>
        hookCount(hooks) > 0
          ? callWithHooks(this, this.name, hooks, inner, args)
          : inner.apply(this, args),
    });
    this._hooks = hooks;
    return hooks;
  }

  /**
   * Registers what PyTorch's `__setattr__` would have: every own property
   * holding a module or a `Parameter` that is not registered under that
   * name, in property order (the order of first definition). Run before every walk over the
   * children or the parameters, and before each explicit registration so
   * that the two kinds keep their relative order.
   */
  private adoptAssigned(): void {
    for (const key of Object.keys(this)) {
      const d = Object.getOwnPropertyDescriptor(this, key);
      if (!d || !('value' in d)) continue;
      const v: unknown = d.value;
      if (v instanceof Module) {
        if (v !== this && this._modules.get(key) !== v) this._modules.set(key, v);
      } else if (isTensor(v) && PARAMETERS.has(v as Tensor)) {
        if (this._parameters.get(key) !== v) this._parameters.set(key, v as Tensor);
      }
    }
  }

  /** Direct children, in registration order. */
  children(): Module[] {
    this.adoptAssigned();
    return [...this._modules.values()];
  }

  /** `[name, module]` for this module and all descendants, with PyTorch's dotted names. */
  *namedModules(prefix = ''): Iterable<[string, Module]> {
    this.adoptAssigned();
    yield [prefix, this];
    for (const [n, m] of this._modules) yield* m.namedModules(prefix ? `${prefix}.${n}` : n);
  }

  /** This module and all descendants, depth first (PyTorch's `modules()`). */
  *modules(): Iterable<Module> {
    for (const [, m] of this.namedModules()) yield m;
  }

  /**
   * Calls `fn` on every descendant, children before their parent, then on
   * this module, and returns this module — PyTorch's `apply`, the usual way
   * to initialise a whole network.
   * @example
   * ```ts
   * import { manualSeed, nn } from 'nnkit';
   * manualSeed(0);
   * const net = new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU(), new nn.Linear(2, 1));
   * net.apply((m) => {
   *   if (m instanceof nn.Linear) nn.init.zeros_(m.bias!);
   * });
   * console.log(net[2].toString(), (net[2] as nn.Linear).bias); // Linear(in_features=2, out_features=1, bias=True) tensor([0.], requires_grad=True)
   * ```
   */
  apply(fn: (module: Module) => void): this {
    if (typeof fn !== 'function') {
      throw new Error(`${this.name}.apply: fn must be a function, got ${describeValue(fn)}`);
    }
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * `[name, tensor]` for every parameter, e.g. `['0.weight', w]`, like
   * `named_parameters(prefix='', recurse=True)`: with `recurse` false only
   * this module's own.
   */
  namedParameters(prefix?: string, recurse?: boolean): Iterable<[string, Tensor]>;
  /** `namedParameters` with `prefix` and `recurse` by name. */
  namedParameters(options: { prefix?: string; recurse?: boolean }): Iterable<[string, Tensor]>;
  namedParameters(...args: unknown[]): Iterable<[string, Tensor]> {
    const { prefix, recurse } = this.bind('namedParameters', NAMED_PARAMS, args);
    return this.named((m) => m._parameters, prefix as string, recurse as boolean, new Set());
  }

  /** `[name, tensor]` for every buffer, with PyTorch's dotted names (`named_buffers(prefix='', recurse=True)`). */
  namedBuffers(prefix?: string, recurse?: boolean): Iterable<[string, Tensor]>;
  /** `namedBuffers` with `prefix` and `recurse` by name. */
  namedBuffers(options: { prefix?: string; recurse?: boolean }): Iterable<[string, Tensor]>;
  namedBuffers(...args: unknown[]): Iterable<[string, Tensor]> {
    const { prefix, recurse } = this.bind('namedBuffers', NAMED_PARAMS, args);
    return this.named((m) => m._buffers, prefix as string, recurse as boolean, new Set());
  }

  /**
   * The tensors of `table(module)` of this module (and its descendants with
   * `recurse`), by dotted name; with `seen`, a tensor reached twice (tied
   * weights) only the first time, as PyTorch's `named_parameters` does (its
   * `state_dict` keeps both names: `seen` null).
   */
  private *named(
    table: (m: Module) => ReadonlyMap<string, Tensor | null>,
    prefix: string,
    recurse: boolean,
    seen: Set<Tensor> | null,
  ): Generator<[string, Tensor]> {
    this.adoptAssigned();
    for (const [n, t] of table(this)) {
      if (!t || seen?.has(t)) continue;
      seen?.add(t);
      yield [prefix ? `${prefix}.${n}` : n, t];
    }
    if (!recurse) return;
    for (const [n, m] of this._modules) {
      yield* m.named(table, prefix ? `${prefix}.${n}` : n, true, seen);
    }
  }

  /**
   * Every parameter, for an optimizer (`parameters(recurse=True)`; with
   * `recurse` false only this module's own).
   */
  parameters(recurse?: boolean | { recurse?: boolean }): Tensor[];
  parameters(...args: unknown[]): Tensor[] {
    const { recurse } = this.bind('parameters', RECURSE_PARAMS, args);
    return [...this.named((m) => m._parameters, '', recurse as boolean, new Set())].map(
      ([, p]) => p,
    );
  }

  /** Sets training mode (`mode` true) or evaluation mode on this module and its descendants. */
  train(mode?: boolean | { mode?: boolean }): this;
  train(...args: unknown[]): this {
    const mode = this.bind('train', TRAIN_PARAMS, args).mode as boolean;
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /** Binds a method's arguments as Python would; errors name the module and the method. */
  private bind(method: string, params: readonly Param[], args: readonly unknown[]) {
    return bindArgs({ name: `${this.name}.${method}`, params }, args);
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Clears every parameter's gradient, like `zero_grad(set_to_none)`: with
   * `setToNone` (the default, PyTorch 2's; 1.13's is false) `.grad` becomes
   * null, otherwise an existing `.grad` is zero-filled in place.
   * @example
   * ```ts
   * import { nn, ones } from 'nnkit';
   * const fc = new nn.Linear(2, 1);
   * fc.forward(ones([1, 2])).sum().backward();
   * fc.zeroGrad(false);
   * console.log(fc.weight.grad); // tensor([[0., 0.]])
   * fc.zeroGrad();
   * console.log(fc.weight.grad); // null
   * ```
   */
  zeroGrad(setToNone?: boolean | { setToNone?: boolean }): void;
  zeroGrad(...args: unknown[]): void {
    const { setToNone } = this.bind('zeroGrad', ZERO_GRAD_PARAMS, args);
    for (const p of this.parameters()) clearGrad(p, setToNone as boolean);
  }

  /**
   * By state-dict key, in PyTorch's order: each module's parameters, then its
   * buffers, then its children's, depth first (a tied tensor under each of its names).
   */
  private *stateTensors(prefix = ''): Generator<[string, Tensor]> {
    this.adoptAssigned();
    const key = (n: string): string => (prefix ? `${prefix}.${n}` : n);
    for (const [n, t] of this._parameters) if (t) yield [key(n), t];
    for (const [n, t] of this._buffers) yield [key(n), t];
    for (const [n, m] of this._modules) yield* m.stateTensors(key(n));
  }

  /** Parameters and buffers by PyTorch's state-dict keys, detached. */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [n, t] of this.stateTensors()) out[n] = t.detach();
    return out;
  }

  /**
   * Copies a state dict's values into the existing parameters and buffers,
   * all or nothing. Matches PyTorch's `load_state_dict(state_dict, strict=True)`
   * and returns its `{ missingKeys, unexpectedKeys }`.
   *
   * Values are tensors or their JSON form `{ dtype, shape, data }`, so
   * `m.loadStateDict(JSON.parse(JSON.stringify(m.stateDict())))` works. Each
   * is cast to its target's dtype (float64 → float32 rounds, int32 → float is
   * exact); into an int32 buffer only integers in int32's range are accepted
   * (PyTorch would truncate 2.5 and turn NaN into garbage). Every entry is
   * checked first: a missing or unexpected key (unless `strict` is false), a
   * null, a wrong shape or a value the dtype cannot hold is an error that
   * lists every problem, and then nothing has been written.
   *
   * @param stateDict - Values by PyTorch's dotted keys (`'0.weight'`).
   * @param args - `strict` (default `true`), by position or as `{ strict }`: whether missing
   *   and unexpected keys are an error; with `false` they are skipped and returned.
   * @example
   * ```ts
   * import { nn, zeros } from 'nnkit';
   * const model = new nn.Linear(4, 3);
   * console.log(model.loadStateDict(new nn.Linear(4, 3).stateDict())); // { missingKeys: [], unexpectedKeys: [] }
   * console.log(model.loadStateDict({ weight: zeros([3, 4]) }, { strict: false })); // { missingKeys: [ 'bias' ], unexpectedKeys: [] }
   * console.log(model.weight.sum().item()); // 0
   * ```
   */
  loadStateDict(
    stateDict: Readonly<Record<string, Tensor | TensorJSON>>,
    ...args: [strict?: boolean | { strict?: boolean }]
  ): {
    /** Keys the module has that `stateDict` lacks (only with `strict: false`). */
    missingKeys: string[];
    /** Keys of `stateDict` the module does not have (only with `strict: false`). */
    unexpectedKeys: string[];
  } {
    const fn = `${this.name}.loadStateDict`;
    const { strict } = bindArgs({ name: fn, params: LOAD_STATE_DICT_PARAMS }, args) as {
      strict: boolean;
    };
    if (
      typeof stateDict !== 'object' ||
      stateDict === null ||
      Array.isArray(stateDict) ||
      isTensor(stateDict)
    ) {
      throw new Error(
        `${fn}: stateDict must be an object of tensors by key, got ${describeValue(stateDict)}`,
      );
    }
    const targets = new Map<string, Tensor>(this.stateTensors());
    const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(stateDict, k);
    const missingKeys = [...targets.keys()].filter((k) => !has(k));
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !targets.has(k));
    const problems: string[] = [];
    if (strict && missingKeys.length) problems.push(`missing keys: ${missingKeys.join(', ')}`);
    if (strict && unexpectedKeys.length)
      problems.push(`unexpected keys: ${unexpectedKeys.join(', ')}`);
    const writes: [Tensor, TypedArray][] = [];
    for (const [k, t] of targets) {
      if (!has(k)) continue;
      const v: unknown = stateDict[k];
      let src: { shape: readonly number[]; data: TypedArray };
      if (isTensor(v)) {
        src = v as Tensor;
      } else if (isTensorJSON(v)) {
        try {
          src = parseTensorJSON(v, k);
        } catch (e) {
          problems.push((e as Error).message);
          continue;
        }
      } else {
        problems.push(
          `${k}: expected a Tensor or its JSON form { dtype, shape, data }, got ${describeValue(v)}`,
        );
        continue;
      }
      if (src.shape.length !== t.ndim || src.shape.some((d, i) => d !== t.shape[i])) {
        problems.push(
          `size mismatch for ${k}: got ${formatShape(src.shape)}, expected ${formatShape(t.shape)}`,
        );
        continue;
      }
      if (t.dtype === 'int32' && !(src.data instanceof Int32Array)) {
        const bad = src.data.findIndex(
          (x) => !(Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31),
        );
        if (bad >= 0) {
          problems.push(
            `${k}: value ${src.data[bad]} at index ${bad} cannot be stored in the int32 ${k}`,
          );
          continue;
        }
      }
      writes.push([t, dtypeOf(src.data) === t.dtype ? src.data : castArray(src.data, t.dtype)]);
    }
    if (problems.length) throw new Error(`${fn}: ${problems.join('; ')}`);
    // A source that shares memory with another target (e.g. two keys swapped)
    // is copied first, so no write changes a value still to be read.
    const targetBuffers = new Set(writes.map(([t]) => t._storage.buffer));
    for (const w of writes) {
      if (w[1] !== w[0].data && targetBuffers.has(w[1].buffer)) w[1] = w[1].slice();
    }
    noGrad(() => {
      for (const [t, data] of writes) {
        // Into the target's own elements of its storage (a view's too).
        t._writeStrided(data);
        t._bumpVersion();
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  /**
   * Converts every parameter (and its `.grad`) to `dtype` in place, like
   * `module.to(dtype)`: each keeps its Tensor object and only its storage
   * changes (PyTorch's `param.data = param.data.to(dtype)`), so an optimizer
   * built before the call keeps updating the module's parameters. Floating
   * buffers are replaced by converted copies, as in PyTorch; int32 buffers
   * are left as they are. A graph recorded before the conversion can no longer be
   * back-propagated (the parameters' versions move).
   * @example
   * ```ts
   * import { nn, optim } from 'nnkit';
   * const fc = new nn.Linear(3, 2);
   * const opt = new optim.SGD(fc.parameters(), 0.1);
   * const w = fc.weight;
   * fc.to('float64'); // opt now updates the float64 parameters
   * console.log(fc.weight === w, fc.weight.dtype); // true float64
   * ```
   */
  to(...args: [dtype: DType]): this {
    const { dtype } = bindArgs({ name: `${this.name}.to`, params: TO_PARAMS }, args) as {
      dtype: 'float32' | 'float64';
    };
    for (const [, m] of this.namedModules()) {
      for (const p of m._parameters.values()) {
        if (!p || p.dtype === dtype) continue;
        if (p.grad) p.grad._setData(castArray(p.grad.data, dtype));
        p._setData(castArray(p.data, dtype));
      }
      // Buffers are replaced, as PyTorch does (a class weight the user passed stays as it was).
      for (const [n, b] of m._buffers) {
        if (b.dtype !== 'int32' && b.dtype !== dtype) m._buffers.set(n, b.to(dtype));
      }
    }
    return this;
  }

  /** The text inside the parentheses of `toString()`, e.g. `negative_slope=0.2`. */
  extraRepr(): string {
    return '';
  }

  /** PyTorch's `repr`: `LeakyReLU(negative_slope=0.2)`, children indented on their own lines. */
  toString(): string {
    this.adoptAssigned();
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines = [...this._modules].map(
      ([n, m]) => `(${n}): ${m.toString().split('\n').join('\n  ')}`,
    );
    // Python's Module.__repr__: a one-line extra_repr without children stays on the line.
    if (extraLines.length === 1 && childLines.length === 0) return `${this.name}(${extra})`;
    const lines = [...extraLines, ...childLines];
    return lines.length ? `${this.name}(\n  ${lines.join('\n  ')}\n)` : `${this.name}()`;
  }
}

/** Formats a number as Python's repr would (`0.2`, `1.0`, `inf`). */
export function pyNum(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) {
    // Python writes the exponent with a sign and at least two digits: 1e-05, 1.5e+16.
    const [m, e] = v.toExponential().split('e');
    const exp = Number(e);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

/** Formats a boolean as Python does. */
export function pyBool(v: boolean): string {
  return v ? 'True' : 'False';
}
