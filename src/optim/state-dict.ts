/**
 * Optimizer state dicts in PyTorch's layout: packing (`stateDict()`) and the
 * checks and conversion of `loadStateDict()`, which validates the whole dict
 * before the optimizer changes anything.
 */
import { Tensor } from '../tensor/tensor.js';
import { isTensorJSON, parseTensorJSON } from '../tensor/json.js';
import type { TypedArray } from '../tensor/dtype.js';
import { isOptionsObject, snakeCase, type Param } from '../signature/bind.js';
import { describeValue, isTensor } from '../signature/types.js';
import { SCHEDULER_KEYS, type ParamGroup } from './params.js';

/** A value of nnkit's per-parameter state: a step count or a buffer (null: absent by design). */
export type StateValue = number | Float32Array | Float64Array | null;

/** One key of an optimizer's per-parameter state. */
export interface StateKey {
  /** PyTorch's key (`exp_avg`). */
  readonly key: string;
  /** The field of nnkit's state record (`expAvg`). */
  readonly field: string;
  /** A step count, or a tensor shaped like the parameter. */
  readonly kind: 'step' | 'tensor';
  /** Present in every entry (PyTorch creates it on the first step). */
  readonly required: boolean;
  /** May be null (SGD's `momentum_buffer` without momentum, as PyTorch saves it). */
  readonly nullable?: boolean;
}

/** A value in a saved state entry. */
export type SavedStateValue = number | Tensor | null;

/** A saved parameter group: PyTorch's snake_case option keys and `params`, the parameters' indices. */
export type SavedParamGroup = {
  /** The indices of the group's parameters. */
  params: number[];
} & {
  [key: string]: number | boolean | string | null | readonly number[];
};

/**
 * An optimizer state dict, PyTorch's layout: `state` maps a parameter's index
 * (its position over all groups, in order) to its state; `param_groups`
 * holds each group's options and the indices of its parameters. `V` is the
 * type of a state value: `stateDict()` gives numbers, tensors and nulls;
 * `loadStateDict()` also takes a tensor's JSON form `{ dtype, shape, data }`,
 * so a dict survives `JSON.parse(JSON.stringify(dict))`.
 */
export interface OptimizerStateDict<V = SavedStateValue> {
  /** Each parameter's state by its index, with PyTorch's keys (`step`, `exp_avg`, …). */
  state: Record<number, Record<string, V>>;
  /** Each group's options (snake_case) and `params`, the indices of its parameters. */
  param_groups: SavedParamGroup[];
}

interface Spec {
  readonly signature: { readonly name: string };
  readonly torchOnly: Readonly<Record<string, null | boolean>>;
  readonly setstateDefaults: readonly string[];
  readonly stateKeys: readonly StateKey[];
}

function copyOption(v: unknown): unknown {
  return Array.isArray(v) ? [...(v as unknown[])] : v;
}

export function packOptimizerState<O>(
  groups: readonly ParamGroup<O>[],
  state: ReadonlyMap<Tensor, Readonly<Record<string, StateValue>>>,
  spec: Spec,
  options: readonly Param[],
): OptimizerStateDict {
  const ids = new Map<Tensor, number>();
  const param_groups = groups.map((group) => {
    const g = group as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const p of options) out[snakeCase(p.name)] = copyOption(g[p.name]);
    Object.assign(out, spec.torchOnly);
    for (const k of SCHEDULER_KEYS) if (g[k] !== undefined) out[snakeCase(k)] = g[k];
    out.params = group.params.map((p) => {
      ids.set(p, ids.size);
      return ids.size - 1;
    });
    return out as SavedParamGroup;
  });
  const packed: OptimizerStateDict['state'] = {};
  for (const [p, s] of state) {
    const id = ids.get(p);
    if (id === undefined) continue;
    const entry: Record<string, SavedStateValue> = {};
    for (const k of spec.stateKeys) {
      const v = s[k.field];
      if (v === undefined) continue;
      if (v === null || typeof v === 'number') entry[k.key] = v;
      else entry[k.key] = new Tensor(v.slice(), p.shape);
    }
    packed[id] = entry;
  }
  return { state: packed, param_groups };
}

/** Checks a saved dict against the optimizer and converts it; changes nothing. */
export function loadOptimizerState<O>(
  sd: unknown,
  groups: readonly ParamGroup<O>[],
  spec: Spec,
  options: readonly Param[],
  checkGroup: (g: Record<string, unknown>, where: string) => void,
): { state: Map<Tensor, Record<string, StateValue>>; groups: Record<string, unknown>[] } {
  const fn = `${spec.signature.name}.loadStateDict`;
  const fail = (msg: string): never => {
    throw new Error(`${fn}: ${msg}`);
  };
  if (!isOptionsObject(sd)) fail(`expected { state, param_groups }, got ${describeValue(sd)}`);
  const dict = sd as Record<string, unknown>;
  for (const k of Object.keys(dict))
    if (k !== 'state' && k !== 'param_groups')
      fail(`unexpected key '${k}' (expected state, param_groups)`);
  const saved = dict.param_groups;
  if (!Array.isArray(saved)) fail(`param_groups must be an array, got ${describeValue(saved)}`);
  const savedGroups = saved as unknown[];
  if (savedGroups.length !== groups.length)
    fail(`the dict has ${savedGroups.length} parameter groups, the optimizer ${groups.length}`);

  const optionKeys = new Map(options.map((p) => [snakeCase(p.name), p.name]));
  const schedKeys = new Map<string, string>(SCHEDULER_KEYS.map((k) => [snakeCase(k), k]));
  const idMap = new Map<number, Tensor>();
  const newGroups = savedGroups.map((sg, gi) => {
    const where = `param_groups[${gi}]`;
    if (!isOptionsObject(sg)) fail(`${where} must be an object, got ${describeValue(sg)}`);
    const s = sg as Record<string, unknown>;
    const ids = s.params;
    const current = groups[gi].params;
    if (!Array.isArray(ids) || ids.some((i) => !Number.isSafeInteger(i) || (i as number) < 0))
      fail(`${where}.params must be an array of parameter indices, got ${describeValue(ids)}`);
    const idList = ids as number[];
    if (idList.length !== current.length)
      fail(`${where} has ${idList.length} parameters, the optimizer's group ${current.length}`);
    idList.forEach((id, i) => {
      if (idMap.has(id)) fail(`parameter index ${id} appears twice in param_groups`);
      idMap.set(id, current[i]);
    });
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(s)) {
      if (key === 'params' || key in spec.torchOnly) continue;
      const camel = optionKeys.get(key) ?? schedKeys.get(key);
      if (!camel) {
        const known = [...optionKeys.keys()].join(', ');
        fail(`${where}: unknown option '${key}' (known: ${known})`);
      }
      out[camel as string] = copyOption(value);
    }
    for (const [snake, camel] of optionKeys) {
      if (camel in out) continue;
      // Older PyTorch versions lack some options; its __setstate__ fills them in.
      if (!spec.setstateDefaults.includes(camel) || !(camel in SETSTATE_DEFAULT))
        fail(`${where}: missing option '${snake}'`);
      out[camel] = SETSTATE_DEFAULT[camel];
    }
    checkGroup({ ...out, params: current }, `${fn}: ${where}`);
    return out;
  });

  const rawState = dict.state;
  if (!isOptionsObject(rawState)) fail(`state must be an object, got ${describeValue(rawState)}`);
  const state = new Map<Tensor, Record<string, StateValue>>();
  for (const [key, entry] of Object.entries(rawState as Record<string, unknown>)) {
    const where = `state[${key}]`;
    const id = /^(0|[1-9]\d*)$/.test(key) ? Number(key) : -1;
    const p = idMap.get(id);
    if (!p) fail(`${where}: no parameter group lists a parameter with index ${key}`);
    const param = p as Tensor;
    if (!isOptionsObject(entry)) fail(`${where} must be an object, got ${describeValue(entry)}`);
    const e = entry as Record<string, unknown>;
    for (const k of Object.keys(e)) {
      if (!spec.stateKeys.some((sk) => sk.key === k)) {
        const known = spec.stateKeys.map((sk) => sk.key).join(', ');
        fail(`${where}: unknown state '${k}' (known: ${known})`);
      }
    }
    const out: Record<string, StateValue> = {};
    for (const sk of spec.stateKeys) {
      const v = e[sk.key];
      if (v === undefined) {
        if (sk.required) fail(`${where}: missing '${sk.key}'`);
        continue;
      }
      out[sk.field] =
        sk.kind === 'step'
          ? stepValue(v, `${where}.${sk.key}`, fail)
          : tensorValue(v, sk, param, `${where}.${sk.key}`, fail);
    }
    state.set(param, out);
  }
  return { state, groups: newGroups };
}

/** The values PyTorch 1.13's `__setstate__` gives options an older dict lacks. */
const SETSTATE_DEFAULT: Record<string, unknown> = {
  maximize: false,
  amsgrad: false,
  nesterov: false,
  centered: false,
  momentum: 0,
};

/** A tensor or its JSON form (checked as `Module.loadStateDict` checks it), else undefined. */
function tensorLike(
  v: unknown,
  where: string,
  fail: (m: string) => never,
): { dtype: string; shape: readonly number[]; data: TypedArray } | undefined {
  if (isTensor(v)) return v as Tensor;
  if (!isTensorJSON(v)) return undefined;
  try {
    return parseTensorJSON(v, where);
  } catch (e) {
    return fail((e as Error).message);
  }
}

function stepValue(v: unknown, where: string, fail: (m: string) => never): number {
  let n: unknown = v;
  const t = tensorLike(v, where, fail);
  if (t) {
    if (t.data.length !== 1)
      fail(`${where} must be a number or a one-element tensor, got shape [${t.shape.join(', ')}]`);
    n = t.data[0];
  }
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
    fail(`${where} must be a step count (an integer ≥ 0), got ${describeValue(n)}`);
  return n as number;
}

function tensorValue(
  v: unknown,
  sk: StateKey,
  param: Tensor,
  where: string,
  fail: (m: string) => never,
): Float32Array | Float64Array | null {
  if (v === null) {
    if (sk.nullable) return null;
    fail(`${where} must be a Tensor, got null`);
  }
  const t = tensorLike(v, where, fail);
  if (!t)
    return fail(
      `${where} must be a Tensor or its JSON form { dtype, shape, data }, got ${describeValue(v)}`,
    );
  if (t.dtype === 'int32') fail(`${where} must be a floating tensor, got int32`);
  const same =
    t.shape.length === param.shape.length && t.shape.every((d, i) => d === param.shape[i]);
  if (!same)
    fail(`${where} has shape [${t.shape.join(', ')}], its parameter [${param.shape.join(', ')}]`);
  // Cast to the parameter's dtype, as PyTorch does for floating state.
  return param.dtype === 'float64' ? Float64Array.from(t.data) : Float32Array.from(t.data);
}
