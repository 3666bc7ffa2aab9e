/**
 * The optimizer base class, after `torch.optim.Optimizer`: parameter groups
 * with per-group hyperparameters, per-parameter state, `step()`,
 * `zeroGrad()`, `addParamGroup()` and state dicts in PyTorch's layout.
 * Updates are written straight into the parameters' typed arrays (no graph
 * is recorded), as PyTorch's `@torch.no_grad()` steps do, by the fused
 * optimizer kernels (`dispatch('adamStep', …)`: one call per group, or per
 * set of its tensors that share a dtype and the step's scalars), which every
 * backend generates from `kernels/updates.ts`.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { TensorJSON } from '../tensor/json.js';
import { enableGrad } from '../autograd/grad-mode.js';
import { clearGrad, ZERO_GRAD_PARAMS } from '../autograd/zero-grad.js';
import { bindArgs, isOptionsObject, type Param, type Signature } from '../signature/bind.js';
import * as T from '../signature/types.js';
import { describeValue, isTensor } from '../signature/types.js';
import { SCHEDULER_KEYS, nonNegative, type ParamGroup, type ParamGroupSpec } from './params.js';
import type { PyArgs } from './py-args.js';
import {
  loadOptimizerState,
  packOptimizerState,
  type OptimizerStateDict,
  type SavedStateValue,
  type StateKey,
  type StateValue,
} from './state-dict.js';

export type {
  OptimizerParams,
  ParamGroup,
  ParamGroupSpec,
  ParamsArg,
  SchedulerKeys,
} from './params.js';
export type { OptimizerStateDict } from './state-dict.js';

/** `step(closure)` and `zeroGrad(setToNone)`: PyTorch's parameters, bound by `bindArgs`. */
const STEP_PARAMS: readonly Param[] = [
  {
    name: 'closure',
    type: T.optional(T.fn('() => T')),
    default: null,
    doc: 'recomputes the loss (called with gradients enabled)',
  },
];

/** What each optimizer declares about itself; the base class does the rest. */
export interface OptimizerSpec<O> {
  /**
   * The constructor: `params`, then the options in PyTorch's order (PyTorch's `*` marks
   * `kwOnly`). An option whose default is `undefined` is PyTorch's `required` (SGD's `lr`):
   * the constructor or every parameter group must give it.
   */
  readonly signature: Signature;
  /** A check across options (SGD's Nesterov); returns the problem, or null. */
  crossCheck?(o: O): string | null;
  /** PyTorch 1.13's group keys that nnkit does not implement, with the values nnkit saves. */
  readonly torchOnly: Readonly<Record<string, null | boolean>>;
  /** Options that PyTorch's `__setstate__` fills in when an older state dict lacks them. */
  readonly setstateDefaults: readonly string[];
  /** The per-parameter state, in PyTorch's keys and order. */
  readonly stateKeys: readonly StateKey[];
}

/** A parameter that has a gradient at this step, with both arrays. */
export interface GradPair {
  readonly param: Tensor;
  readonly data: Float32Array | Float64Array;
  readonly grad: Float32Array | Float64Array;
}

/**
 * Base class of nnkit's optimizers, after `torch.optim.Optimizer`.
 * `paramGroups[i].lr` (and every other option) may be changed between
 * steps — that is how learning-rate schedules and fine-tuning phases work;
 * `step()` checks every group's values first and throws, naming the group
 * and the option, rather than turning parameters into NaN.
 *
 * @example
 * ```ts
 * import { nn, optim } from 'nnkit';
 * const body = new nn.Linear(4, 8);
 * const head = new nn.Linear(8, 2);
 * const opt: optim.Optimizer = new optim.SGD(
 *   [{ params: body.parameters() }, { params: head.parameters(), lr: 0.01 }],
 *   0.1,
 * );
 * opt.paramGroups[1].lr = 0.001; // fine-tune the head more gently from now on
 * console.log(opt.paramGroups.map((g) => g.lr)); // [ 0.1, 0.001 ]
 * ```
 */
export abstract class Optimizer<
  O extends {
    /** The learning rate. */
    lr: number;
  } = {
    /** The learning rate. */
    lr: number;
  },
  S extends Record<string, StateValue> = Record<string, StateValue>,
> {
  /** The parameter groups, each with its full set of options (defaults filled in). */
  readonly paramGroups: ParamGroup<O>[] = [];
  /**
   * The options of the constructor, used for groups that leave an option out
   * (SGD's `lr` is `undefined` when only the groups give it).
   */
  readonly defaults: Readonly<O>;
  /** Per-parameter state (moment estimates, momentum buffers, step counts), created on first update. */
  readonly state = new Map<Tensor, S>();
  /** The class name, for messages. */
  protected readonly fnName: string;
  private readonly options: readonly Param[];

  /**
   * Called by subclasses; binds `params` and the options to `spec`'s signature, then adds the
   * parameter groups.
   *
   * @param spec - The subclass's declaration: its signature (`params`, then the options in
   *   PyTorch's order), cross-checks, PyTorch-only keys and per-parameter state keys.
   * @param args - The constructor's arguments as given: `params` (tensors, parameter groups, or
   *   one object holding `params` and options), then the options by position or one options object.
   */
  protected constructor(
    protected readonly spec: OptimizerSpec<O>,
    args: readonly unknown[],
  ) {
    this.fnName = spec.signature.name;
    this.options = spec.signature.params.filter((p) => p.name !== 'params');
    const { params, ...defaults } = bindArgs(spec.signature, args);
    // A copy: the signature's default `betas` array is shared by every optimizer.
    this.defaults = structuredClone(defaults) as O;
    this.crossCheck(this.defaults, this.fnName);
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new Error(`${this.fnName}: optimizer got an empty parameter list`);
    const groups = isOptionsObject(list[0]) ? list : [{ params: list }];
    groups.forEach((g) => this.addParamGroup(g as ParamGroupSpec<O>));
  }

  /**
   * Adds a parameter group, e.g. layers unfrozen during fine-tuning, after
   * `torch.optim.Optimizer.add_param_group`: options it leaves out take the
   * constructor's values. A parameter may belong to one group only.
   * @example
   * ```ts
   * import { nn, optim } from 'nnkit';
   * const body = new nn.Linear(4, 8);
   * const head = new nn.Linear(8, 2);
   * const opt = new optim.Adam(body.parameters(), 1e-3);
   * opt.addParamGroup({ params: head.parameters(), lr: 1e-4 });
   * console.log(opt.paramGroups.length, opt.paramGroups[1].lr, opt.paramGroups[1].betas); // 2 0.0001 [ 0.9, 0.999 ]
   * ```
   */
  addParamGroup(group: ParamGroupSpec<O>): void {
    const where = `${this.fnName}: parameter group ${this.paramGroups.length}`;
    if (!isOptionsObject(group) || !('params' in group))
      throw new Error(`${where} must be an object { params, ... }, got ${describeValue(group)}`);
    const raw: unknown = group.params;
    const list: unknown[] = isTensor(raw)
      ? [raw]
      : typeof raw === 'object' && raw !== null && Symbol.iterator in raw
        ? [...(raw as Iterable<unknown>)]
        : [raw];
    const seen = new Set<unknown>(this.paramGroups.flatMap((g) => g.params));
    const params: Tensor[] = [];
    list.forEach((p, i) => {
      if (!isTensor(p))
        throw new Error(`${where}: params[${i}] must be a Tensor, got ${describeValue(p)}`);
      const t = p as Tensor;
      if (!t.isLeaf) throw new Error(`${this.fnName}: can't optimize a non-leaf Tensor`);
      if (!t.requiresGrad) throw new Error(`${this.fnName}: every parameter must require grad`);
      if (t.dtype !== 'float32' && t.dtype !== 'float64')
        throw new Error(
          `${where}: params[${i}] has dtype ${t.dtype}; only float32 and float64 can be optimized`,
        );
      if (seen.has(t))
        throw new Error(
          `${this.fnName}: some parameters appear more than once (in one group or in two)`,
        );
      seen.add(t);
      params.push(t);
    });
    if (params.length === 0) throw new Error(`${where} has no parameters`);
    // Copies, so that changing one group's `betas` in place cannot change another's.
    const opts: Record<string, unknown> = structuredClone({ ...this.defaults });
    for (const [key, value] of Object.entries(group)) {
      if (key === 'params' || value === undefined) continue;
      const known =
        this.options.some((p) => p.name === key) ||
        (SCHEDULER_KEYS as readonly string[]).includes(key);
      if (!known) {
        const names = this.options.map((p) => p.name).join(', ');
        throw new Error(`${where}: unknown option '${key}' (known: ${names})`);
      }
      opts[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
    }
    // PyTorch's `required` options (SGD's lr): from the constructor or from the group.
    const missing = this.options.find((p) => opts[p.name] === undefined);
    if (missing)
      throw new Error(
        `${this.fnName}: missing required argument '${missing.name}' (give it to ${this.fnName}, or to parameter group ${this.paramGroups.length})`,
      );
    const full = { ...opts, params } as ParamGroup<O>;
    this.checkGroup(full, where);
    this.paramGroups.push(full);
  }

  /** Throws, with `where` in the message, if an option of `group` is out of range. */
  protected checkGroup(group: object, where: string): void {
    const g = asRecord(group);
    for (const p of this.options) {
      const bad = p.type.validate(g[p.name]);
      if (bad)
        throw new Error(`${where}: ${p.name} must be ${bad}, got ${describeValue(g[p.name])}`);
    }
    for (const key of SCHEDULER_KEYS) {
      if (g[key] === undefined) continue;
      const bad = nonNegative.validate(g[key]);
      if (bad) throw new Error(`${where}: ${key} must be ${bad}, got ${describeValue(g[key])}`);
    }
    this.crossCheck(group as O, where);
  }

  private crossCheck(o: O, where: string): void {
    const problem = this.spec.crossCheck?.(o);
    if (problem) throw new Error(`${where}: ${problem}`);
  }

  /** Updates the parameters of one group that have a gradient. */
  protected abstract updateGroup(group: ParamGroup<O>, params: readonly GradPair[]): void;

  /**
   * Performs one optimization step over every parameter that has a `.grad`
   * (parameters whose `.grad` is null are skipped and keep their state).
   * Every group's options and every gradient's dtype and size are checked
   * before any parameter changes. With a `closure` (by position or as
   * `{ closure }`; `null` is none), it is called first (with gradients
   * enabled) to recompute the loss, and its value is returned; a closure that
   * is not a function is an error.
   * @example
   * ```ts
   * import { optim, tensor } from 'nnkit';
   * const w = tensor([1, -2], { requiresGrad: true });
   * const opt = new optim.SGD([w], 0.1);
   * const loss = opt.step(() => {
   *   opt.zeroGrad();
   *   const l = w.square().sum();
   *   l.backward();
   *   return l.item();
   * });
   * console.log(loss, w); // 5 tensor([ 0.8000, -1.6000], requires_grad=True)
   * ```
   */
  step<R>(
    ...args: PyArgs<[closure: (() => R) | null], { closure?: (() => R) | null }>
  ): R | undefined {
    const { closure } = bindArgs({ name: `${this.fnName}.step`, params: STEP_PARAMS }, args) as {
      closure: (() => R) | null;
    };
    const loss = closure ? enableGrad(closure) : undefined;
    const work = this.paramGroups.map((g, gi) => {
      const where = `${this.fnName}.step: paramGroups[${gi}]`;
      this.checkGroup(g, where);
      const pairs: GradPair[] = [];
      g.params.forEach((p, pi) => {
        const grad = p.grad;
        if (!grad) return;
        const data = p.data;
        const gd = grad.data;
        if (
          !(data instanceof Float32Array || data instanceof Float64Array) ||
          data.constructor !== gd.constructor ||
          data.length !== gd.length
        ) {
          throw new Error(
            `${where}.params[${pi}]: its gradient has dtype ${grad.dtype} and ${gd.length} elements, the parameter ${p.dtype} and ${data.length}`,
          );
        }
        pairs.push({ param: p, data, grad: gd as Float32Array | Float64Array });
      });
      return pairs;
    });
    for (const pairs of work) for (const { param } of pairs) this.conformState(param);
    this.paramGroups.forEach((g, gi) => this.updateGroup(g, work[gi]));
    // A non-contiguous parameter (a view) was updated in a copy of its elements: store them.
    for (const pairs of work) {
      for (const { param, data } of pairs) if (!param.isContiguous()) param._writeStrided(data);
    }
    // The parameters were written in place: a graph that saved them can no longer be replayed.
    for (const pairs of work) for (const { param } of pairs) param._bumpVersion();
    return loss;
  }

  /**
   * Converts a parameter's state buffers to its dtype when `module.to()`
   * changed it after a step. PyTorch creates the state with the parameter's
   * dtype on the first step, as nnkit does; after a later `.to()` its Adam,
   * AdamW and RMSprop fail with an internal assertion and its SGD keeps a
   * float32 momentum buffer. nnkit casts the state, as PyTorch's
   * `load_state_dict` casts loaded state to the parameter's dtype.
   */
  private conformState(param: Tensor): void {
    const state = this.state.get(param) as Record<string, unknown> | undefined;
    if (!state) return;
    const Kind = param.data.constructor as Float32ArrayConstructor | Float64ArrayConstructor;
    for (const [key, value] of Object.entries(state)) {
      if (value instanceof Float32Array || value instanceof Float64Array) {
        if (value.constructor !== Kind) state[key] = Kind.from(value);
      }
    }
  }

  /**
   * Clears the gradients of every optimized parameter, after
   * `torch.optim.Optimizer.zero_grad(set_to_none)`, by position or as
   * `{ setToNone }`. With `setToNone` (the default, as in PyTorch 2; PyTorch
   * 1.13 defaulted to false) `.grad` becomes null; with `false` each
   * existing gradient is cut from any graph (PyTorch's `detach_()`, or
   * `requiresGrad_(false)`) and zero-filled in place, and a null `.grad`
   * stays null.
   * @example
   * ```ts
   * import { optim, tensor } from 'nnkit';
   * const w = tensor([1, 2], { requiresGrad: true });
   * const opt = new optim.SGD([w], 0.1);
   * w.square().sum().backward();
   * opt.zeroGrad(false); // or opt.zeroGrad({ setToNone: false })
   * console.log(w.grad); // tensor([0., 0.])
   * opt.zeroGrad();
   * console.log(w.grad); // null
   * ```
   */
  zeroGrad(...args: PyArgs<[setToNone: boolean], { setToNone?: boolean }>): void {
    const { setToNone } = bindArgs(
      { name: `${this.fnName}.zeroGrad`, params: ZERO_GRAD_PARAMS },
      args,
    ) as { setToNone: boolean };
    for (const g of this.paramGroups) for (const p of g.params) clearGrad(p, setToNone);
  }

  /**
   * The optimizer's state in PyTorch's layout, after
   * `torch.optim.Optimizer.state_dict()`:
   *
   * ```
   * { state: { 0: { step: 3, exp_avg: Tensor, exp_avg_sq: Tensor }, 1: {...} },
   *   param_groups: [{ lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0,
   *                    amsgrad: false, maximize: false, foreach: null, capturable: false,
   *                    differentiable: false, fused: false, params: [0, 1] }] }
   * ```
   *
   * Keys are PyTorch's snake_case names; parameters are numbered in group
   * order; PyTorch's options that nnkit does not implement (`foreach`,
   * `capturable`, `differentiable`, `fused`) are saved with PyTorch's
   * defaults so that PyTorch can load the dict. Differences: state tensors
   * are copies (PyTorch returns references to live state), and `step` is a
   * plain number even where PyTorch 1.13 keeps a float32 scalar tensor
   * (Adam, AdamW) — PyTorch's own loader turns a number back into that
   * tensor. Loaded dicts may have either.
   *
   * @example
   * ```ts
   * import { optim, tensor } from 'nnkit';
   * const w = tensor([1, 2], { requiresGrad: true });
   * const opt = new optim.SGD([w], 0.1, 0.9);
   * w.grad = tensor([1, 1]);
   * opt.step();
   * const saved = opt.stateDict();
   * console.log(Object.keys(saved), saved.state[0].momentum_buffer); // [ 'state', 'param_groups' ] tensor([1., 1.])
   * // later, a fresh optimizer over the same parameters:
   * const opt2 = new optim.SGD([w], 0.1, 0.9);
   * opt2.loadStateDict(saved);
   * console.log(opt2.stateDict().state[0].momentum_buffer); // tensor([1., 1.])
   * ```
   */
  stateDict(): OptimizerStateDict {
    return packOptimizerState(this.paramGroups, this.state, this.spec, this.options);
  }

  /**
   * Loads a state dict saved by `stateDict()` (or PyTorch's, with tensors
   * converted to nnkit tensors), after `torch.optim.Optimizer.load_state_dict`:
   * parameters are matched by position, state tensors are copied and cast to
   * their parameter's dtype, and every group takes the saved options. State
   * tensors may also be in their JSON form `{ dtype, shape, data }`, as
   * `Module.loadStateDict` accepts them, so a dict survives
   * `JSON.parse(JSON.stringify(dict))` bit for bit.
   * Everything is checked before anything changes: the number of groups and
   * of parameters per group, unknown or missing keys, option values, state
   * tensor shapes and steps; an error names what is wrong.
   * @example
   * ```ts
   * import { optim, tensor } from 'nnkit';
   * const w = tensor([1, 2], { requiresGrad: true });
   * const opt = new optim.Adam([w], 0.1);
   * w.grad = tensor([1, 1]);
   * opt.step();
   * const text = JSON.stringify({ opt: opt.stateDict() });
   * const opt2 = new optim.Adam([w.detach().clone().requiresGrad_()], 0.1);
   * opt2.loadStateDict(JSON.parse(text).opt);
   * const { step, exp_avg } = opt2.stateDict().state[0];
   * console.log(step, exp_avg); // 1 tensor([0.1000, 0.1000])
   * ```
   */
  loadStateDict(stateDict: OptimizerStateDict<SavedStateValue | TensorJSON>): void {
    const loaded = loadOptimizerState(
      stateDict,
      this.paramGroups,
      this.spec,
      this.options,
      (g, where) => this.checkGroup(g, where),
    );
    this.state.clear();
    for (const [p, s] of loaded.state) this.state.set(p, s as S);
    this.paramGroups.forEach((g, i) => {
      const target = asRecord(g);
      for (const key of SCHEDULER_KEYS) delete target[key];
      Object.assign(target, loaded.groups[i]);
    });
  }
}

function asRecord(o: object): Record<string, unknown> {
  return o as Record<string, unknown>;
}

/** A zero-filled array of the same type and length. */
export function zerosLikeData(data: Float32Array | Float64Array): Float32Array | Float64Array {
  return data instanceof Float32Array
    ? new Float32Array(data.length)
    : new Float64Array(data.length);
}
