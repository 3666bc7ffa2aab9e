/**
 * The optimizer base class, after `torch.optim.Optimizer`: parameter groups
 * with per-group hyperparameters, per-parameter state, `step()` and
 * `zeroGrad()`. Updates are written straight into the parameters' typed
 * arrays (no graph is recorded), as PyTorch's `@torch.no_grad()` steps do.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { TypedArray } from '../tensor/dtype.js';

/** One parameter group: its tensors and the hyperparameters that apply to them. */
export type ParamGroup<O> = { params: Tensor[] } & O;

/** What an optimizer accepts: parameters, or groups of parameters with their own options. */
export type ParamsArg<O> =
  Iterable<Tensor> | readonly ({ params: Iterable<Tensor> } & Partial<O>)[];

function isGroupList<O>(
  p: ParamsArg<O>,
): p is readonly ({ params: Iterable<Tensor> } & Partial<O>)[] {
  return (
    Array.isArray(p) &&
    p.length > 0 &&
    typeof p[0] === 'object' &&
    p[0] !== null &&
    'params' in p[0]
  );
}

/**
 * Base class of nnkit's optimizers. Subclasses define the per-group update.
 * `paramGroups[i].lr` (and every other option) may be changed between steps,
 * which is how learning-rate schedules and fine-tuning phases work.
 */
export abstract class Optimizer<O extends object, S> {
  /** The parameter groups, each with its full set of options (defaults filled in). */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state (momentum buffers, moment estimates), created on first update. */
  readonly state = new Map<Tensor, S>();

  protected constructor(
    protected readonly fnName: string,
    params: ParamsArg<O>,
    readonly defaults: Readonly<O>,
  ) {
    const groups = isGroupList(params) ? params : [{ params }];
    const seen = new Set<Tensor>();
    for (const g of groups) {
      const list = [...g.params];
      for (const p of list) {
        if (!p.isLeaf) throw new Error(`${fnName}: can't optimize a non-leaf Tensor`);
        if (!p.requiresGrad) throw new Error(`${fnName}: every parameter must require grad`);
        if (seen.has(p))
          throw new Error(`${fnName}: some parameters appear in more than one parameter group`);
        seen.add(p);
      }
      const { params: _ignored, ...opts } = g as { params: Iterable<Tensor> } & Partial<O>;
      const merged = { ...defaults, ...(opts as Partial<O>) } as O;
      this.validate(merged);
      this.paramGroups.push({ params: list, ...merged });
    }
    if (seen.size === 0) throw new Error(`${fnName}: optimizer got an empty parameter list`);
  }

  /** Throws if an option is out of range (called for every group). */
  protected abstract validate(opts: O): void;

  /** Updates the parameters of one group that have a gradient. */
  protected abstract updateGroup(group: ParamGroup<O>): void;

  /**
   * Performs one optimization step over every parameter that has a `.grad`
   * (parameters whose `.grad` is null are skipped, and keep their state).
   * With a `closure`, it is called first to recompute the loss, and its value is returned.
   */
  step(closure?: () => number): number | undefined {
    const loss = closure ? closure() : undefined;
    for (const g of this.paramGroups) this.updateGroup(g);
    return loss;
  }

  /**
   * Clears the gradients of every optimized parameter. With `setToNone`
   * (the default, as in PyTorch 2) `.grad` becomes null; otherwise it is zero-filled.
   */
  zeroGrad(setToNone = true): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (!p.grad) continue;
        if (setToNone) p.grad = null;
        else p.grad.data.fill(0);
      }
    }
  }
}

/**
 * Rounds like the parameter's dtype: intermediate results of PyTorch's
 * float32 updates are float32 tensors, so rounding each one reproduces its
 * arithmetic to the last bit in most cases.
 */
export function rounder(data: TypedArray): (v: number) => number {
  return data instanceof Float32Array ? Math.fround : (v: number) => v;
}

/** A zero-filled array of the same type and length. */
export function zerosLikeData(data: TypedArray): Float32Array | Float64Array {
  return data instanceof Float32Array
    ? new Float32Array(data.length)
    : new Float64Array(data.length);
}

export function checkNonNegative(fn: string, name: string, v: number): void {
  if (!(v >= 0) || !Number.isFinite(v))
    throw new Error(`${fn}: invalid ${name} value: ${v} (must be finite and >= 0)`);
}
