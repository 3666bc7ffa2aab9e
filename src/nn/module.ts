/**
 * The base class of every layer, activation and loss module, after
 * `torch.nn.Module`: parameters and buffers registered by name, child
 * modules, train/eval mode, state dicts with PyTorch's dotted keys, dtype
 * conversion and a PyTorch-style `toString()`.
 */
import { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { noGrad } from '../autograd/grad-mode.js';

/** Makes `t` a trainable parameter (a leaf that requires grad), like `nn.Parameter`. */
export function Parameter(t: Tensor): Tensor {
  const leaf = t.isLeaf ? t : t.detach();
  return leaf.requiresGrad_(true);
}

export abstract class Module {
  /** True in training mode (the default), false after `eval()`. */
  training = true;
  private readonly _parameters = new Map<string, Tensor | null>();
  private readonly _buffers = new Map<string, Tensor>();
  private readonly _modules = new Map<string, Module>();

  /** PyTorch's class name, used by `toString()`. */
  get name(): string {
    return this.constructor.name;
  }

  /** Registers (or replaces) a parameter; `null` records an absent optional one (e.g. no bias). */
  registerParameter(name: string, t: Tensor | null): Tensor | null {
    this._parameters.set(name, t === null ? null : Parameter(t));
    return this._parameters.get(name) ?? null;
  }

  registerBuffer(name: string, t: Tensor): Tensor {
    this._buffers.set(name, t);
    return t;
  }

  registerModule<M extends Module>(name: string, m: M): M {
    this._modules.set(name, m);
    return m;
  }

  /** The parameter registered as `name` (throws if absent). */
  protected param(name: string): Tensor {
    const p = this._parameters.get(name);
    if (!p) throw new Error(`${this.name}: no parameter named '${name}'`);
    return p;
  }

  protected buffer(name: string): Tensor {
    const b = this._buffers.get(name);
    if (!b) throw new Error(`${this.name}: no buffer named '${name}'`);
    return b;
  }

  /** Direct children, in registration order. */
  children(): Module[] {
    return [...this._modules.values()];
  }

  /** `[name, module]` for this module and all descendants, with PyTorch's dotted names. */
  *namedModules(prefix = ''): Iterable<[string, Module]> {
    yield [prefix, this];
    for (const [n, m] of this._modules) yield* m.namedModules(prefix ? `${prefix}.${n}` : n);
  }

  /** `[name, tensor]` for every parameter, e.g. `['0.weight', w]`. */
  *namedParameters(prefix = ''): Iterable<[string, Tensor]> {
    for (const [n, p] of this._parameters) if (p) yield [prefix ? `${prefix}.${n}` : n, p];
    for (const [n, m] of this._modules) yield* m.namedParameters(prefix ? `${prefix}.${n}` : n);
  }

  *namedBuffers(prefix = ''): Iterable<[string, Tensor]> {
    for (const [n, b] of this._buffers) yield [prefix ? `${prefix}.${n}` : n, b];
    for (const [n, m] of this._modules) yield* m.namedBuffers(prefix ? `${prefix}.${n}` : n);
  }

  /** Every parameter, for an optimizer. */
  parameters(): Tensor[] {
    return [...this.namedParameters()].map(([, p]) => p);
  }

  /** Sets training mode on this module and its descendants. */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient (`set_to_none=True`, PyTorch 2's default). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Parameters and buffers by PyTorch's state-dict keys, detached. */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [n, p] of this.namedParameters()) out[n] = p.detach();
    for (const [n, b] of this.namedBuffers()) out[n] = b.detach();
    return out;
  }

  /**
   * Copies values into the existing parameters and buffers (cast to their
   * dtype). Missing, unexpected or wrongly shaped keys are an error naming them.
   */
  loadStateDict(state: Record<string, Tensor>): void {
    const targets = new Map<string, Tensor>([...this.namedParameters(), ...this.namedBuffers()]);
    const missing = [...targets.keys()].filter((k) => !(k in state));
    const unexpected = Object.keys(state).filter((k) => !targets.has(k));
    const problems: string[] = [];
    if (missing.length) problems.push(`missing keys: ${missing.join(', ')}`);
    if (unexpected.length) problems.push(`unexpected keys: ${unexpected.join(', ')}`);
    for (const [k, t] of targets) {
      const src = state[k];
      if (src && (src.ndim !== t.ndim || src.shape.some((d, i) => d !== t.shape[i]))) {
        problems.push(
          `size mismatch for ${k}: got ${formatShape(src.shape)}, expected ${formatShape(t.shape)}`,
        );
      }
    }
    if (problems.length) throw new Error(`${this.name}.loadStateDict: ${problems.join('; ')}`);
    noGrad(() => {
      for (const [k, t] of targets) {
        const src = state[k];
        (t.data as Float64Array).set(src.dtype === t.dtype ? src.data : src.to(t.dtype).data);
      }
    });
  }

  /** Converts every parameter and buffer to `dtype`, in place, like `module.to(dtype)`. */
  to(dtype: DType): this {
    for (const [, m] of this.namedModules()) {
      for (const [n, p] of m._parameters) {
        if (p && p.dtype !== dtype) {
          const converted = Parameter(p.detach().to(dtype));
          m._parameters.set(n, converted);
        }
      }
      for (const [n, b] of m._buffers) if (b.dtype !== 'int32') m._buffers.set(n, b.to(dtype));
    }
    return this;
  }

  /** The text inside the parentheses of `toString()`, e.g. `negative_slope=0.2`. */
  extraRepr(): string {
    return '';
  }

  /** PyTorch's `repr`: `LeakyReLU(negative_slope=0.2)`, children indented on their own lines. */
  toString(): string {
    const children = [...this._modules];
    if (children.length === 0) return `${this.name}(${this.extraRepr()})`;
    const lines = children.map(([n, m]) => `  (${n}): ${m.toString().split('\n').join('\n  ')}`);
    const extra = this.extraRepr();
    return `${this.name}(${extra ? `${extra}` : ''}\n${lines.join('\n')}\n)`;
  }
}

/** Formats a number as Python's repr would (`0.2`, `1.0`, `inf`). */
export function pyNum(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

/** Formats a boolean as Python does. */
export function pyBool(v: boolean): string {
  return v ? 'True' : 'False';
}
