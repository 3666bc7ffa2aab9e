/**
 * The base of every module generated from a registry entry (`nn.ReLU`,
 * `nn.CrossEntropyLoss`, ...): the constructor binds its arguments as
 * Python would and validates them at once; the options become read-only
 * properties (`new nn.LeakyReLU(0.2).negativeSlope`); tensor options such
 * as class weights are buffers and learnable slopes are parameters, with
 * PyTorch's state-dict names; `forward` calls the entry's implementation;
 * `toString()` prints PyTorch's repr from the entry, so it survives
 * minification.
 */
import type { Tensor } from '../tensor/tensor.js';
import { bindArgs, prefixError, snakeCase } from '../signature/bind.js';
import { describeValue } from '../signature/types.js';
import {
  moduleShape,
  type EntryResult,
  type FunctionEntry,
  type ModuleShape,
  type ReprItem,
} from '../registry/define.js';
import { Module, pyNum } from './module.js';

export class FunctionModule extends Module {
  readonly #entry: FunctionEntry;
  readonly #shape: ModuleShape;
  readonly #options: Readonly<Record<string, unknown>>;

  /**
   * Binds `args` to the module's constructor signature; use the generated subclasses.
   *
   * @param entry - The registry entry of the function the module wraps (e.g. `relu` for `ReLU`).
   * @param args - The constructor's arguments as given: PyTorch's by position, optionally
   *   followed by one options object by name.
   * @internal
   */
  constructor(entry: FunctionEntry, args: readonly unknown[]) {
    super();
    this.#entry = entry;
    this.#shape = moduleShape(entry);
    const bound = bindArgs(this.#shape.signature, args);
    entry.check?.(bound);
    this.#options = bound;
    const spec = this.#shape.spec;
    const buffers = new Set(spec.buffers ?? []);
    for (const p of this.#shape.signature.params) {
      if (buffers.has(p.name) && bound[p.name] !== null) {
        this.registerBuffer(snakeCase(p.name), bound[p.name] as Tensor);
      }
      // Buffers read back through the module, so `to(dtype)` is seen.
      Object.defineProperty(this, p.name, {
        enumerable: true,
        get: buffers.has(p.name)
          ? () => this.namedBufferOrNull(snakeCase(p.name))
          : () => bound[p.name],
      });
    }
    const child = spec.defaultChild;
    if (child && bound[child.param] === null) {
      this.registerModule(child.name, new FunctionModule(child.entry(), []));
    }
    let created: Record<string, Tensor> = {};
    try {
      // Making the parameters can fail inside a creation function (PReLU's numParameters 2^31:
      // 'full: size ...'): the error names the module.
      created = spec.setup?.(bound) ?? {};
    } catch (e) {
      throw prefixError(e, spec.name);
    }
    // A parameter setup leaves out is absent (LayerNorm without elementwiseAffine): null, as in PyTorch.
    for (const name of spec.parameters ?? []) {
      this.registerParameter(name, created[name] ?? null);
      Object.defineProperty(this, name, { enumerable: true, get: () => this.paramOrNull(name) });
    }
  }

  override get name(): string {
    return this.#shape.spec.name;
  }

  /** Runs the entry on `inputs` (the forward arguments, as given) with the module's options. */
  protected run(inputs: ArrayLike<unknown>): EntryResult {
    const shape = this.#shape;
    const spec = shape.spec;
    const fn = `${spec.name}.forward`;
    // Trailing `undefined`s are omitted arguments, as JavaScript passes them.
    let given = inputs.length;
    while (given > shape.inputs.length && inputs[given - 1] === undefined) given--;
    if (given !== shape.inputs.length) {
      throw new Error(
        `${fn}: takes ${shape.inputs.length} argument${shape.inputs.length === 1 ? '' : 's'} (${shape.inputs.map((p) => p.name).join(', ')}) but ${given} ${given === 1 ? 'was' : 'were'} given`,
      );
    }
    const a: Record<string, unknown> = {};
    const unforwarded = spec.unforwarded ?? [];
    for (const p of this.#entry.params) {
      if (p.name in this.#options && !unforwarded.includes(p.name))
        a[p.name] = this.#options[p.name];
    }
    for (const name of spec.buffers ?? []) a[name] = this.namedBufferOrNull(snakeCase(name));
    for (const name of spec.parameters ?? []) a[name] = this.paramOrNull(name);
    if (spec.fromMode) a[spec.fromMode] = this.training;
    shape.inputs.forEach((p, i) => {
      const bad = p.type.validate(inputs[i]);
      if (bad) throw new Error(`${fn}: ${p.name} must be ${bad}, got ${describeValue(inputs[i])}`);
      a[p.name] = inputs[i];
    });
    try {
      return this.#entry.impl(a);
    } catch (e) {
      throw prefixError(e, fn, [spec.name, this.#entry.name]);
    }
  }

  private namedBufferOrNull(name: string): Tensor | null {
    for (const [n, b] of this.namedBuffers()) if (n === name) return b;
    return null;
  }

  /** PyTorch's `extra_repr`, from the entry. */
  override extraRepr(): string {
    const items = this.#shape.spec.repr ?? [];
    const byName = new Map(this.#shape.signature.params.map((p) => [p.name, p]));
    const parts: string[] = [];
    for (const raw of items) {
      const item: ReprItem = typeof raw === 'string' ? { param: raw } : raw;
      const value = this.#options[item.param];
      if (item.ifTrue && value !== true) continue;
      const p = byName.get(item.param);
      if (item.ifNotDefault && value === p?.default) continue;
      const text = item.tuple
        ? pyRepr(Array.isArray(value) ? value : [value], undefined, undefined, true)
        : pyRepr(value, p?.default, p?.pyDefault, isIntType(p?.type.py));
      parts.push(item.bare ? text : `${p?.torchName ?? snakeCase(item.param)}=${text}`);
    }
    return parts.join(', ');
  }
}

/** Whether a parameter of this Python type holds integers (`int`, `Union[int, List[int]]`). */
function isIntType(py: string | undefined): boolean {
  return py !== undefined && /\bint\b/.test(py) && !/\bfloat\b/.test(py);
}

/**
 * A value as Python's repr prints it. A default prints as PyTorch's own
 * default does (`1.0`, or `1` where PyTorch's default is an int); a number
 * the user gave prints as JavaScript writes it (JavaScript cannot tell
 * `2` from `2.0`).
 */
function pyRepr(
  value: unknown,
  def: unknown,
  pyDefault: string | undefined,
  isInt: boolean,
): string {
  if (value === null || value === undefined) return 'None';
  // A list prints as the tuple PyTorch's callers pass: `(3, None)`, `(3,)`.
  if (Array.isArray(value)) {
    const items = value.map((v: unknown) => pyRepr(v, undefined, undefined, isInt));
    return `(${items.join(', ')}${items.length === 1 ? ',' : ''})`;
  }
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number') {
    if (isInt) return String(value);
    if (value === def) return pyDefault ?? pyNum(value);
    if (!Number.isFinite(value) || !Number.isInteger(value)) return pyNum(value);
    return String(value);
  }
  return String(value);
}
