import { Tensor } from '../tensor/tensor.js';
import { allocZeroed } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { isGradEnabled } from './grad-mode.js';
import { SHAPE } from './derivatives/shape.js';
import { storageIndices } from '../tensor/strided.js';
import type { SliceGradient } from './slice-gradient.js';

/**
 * The gradients of an op's inputs, in input order; `null` where none flows.
 * `final`: the graph is released right after (a backward pass without
 * `retainGraph`), so the rule runs for the last time and what it saved is
 * its own to overwrite. `scratch`: `grad` is the backward pass's own
 * storage, which nothing reads after this rule, so the rule may write its
 * result over it.
 */
export type BackwardRule = (
  grad: Tensor,
  final: boolean,
  scratch: boolean,
) => readonly InputGradient[];

/**
 * Nodes the engine runs as one (see `GradFn.group`): sorted as one node whose
 * edges are all of theirs, so that they run one after another once every
 * node that consumes any of their tensors has run.
 */
export interface NodeGroup {
  /** The nodes, each with one input (an identity). */
  readonly members: readonly GradFn[];
  /**
   * Sees the members' gradients (null where none reached a member) and
   * returns the gradients they pass on, in member order (null: none).
   */
  run(grads: readonly (Tensor | null)[]): readonly (Tensor | null)[];
}

/** One input's gradient: a tensor of its shape, a slice of one (see SliceGradient), or none. */
export type InputGradient = Tensor | SliceGradient | null | undefined;

/** Where an input's gradient goes: the node that produced it, a leaf, or nowhere. */
export type Edge = GradFn | Tensor | null;

/**
 * A node of the autograd graph: the op that produced a tensor, its inputs,
 * and the rule that maps the output's gradient to the inputs' gradients.
 *
 * The rule closes over whatever the op saved; `saved` lists those tensors,
 * and their storage versions are recorded here, so that `apply` refuses to
 * run a rule whose saved values were since modified in place (PyTorch's
 * saved-variable version check). The graph's edges — for each input, the
 * node that produced it (or the leaf itself) — are fixed when the node is
 * made, as PyTorch's `next_functions` are: an in-place op that later gives
 * an input a new history does not reroute gradients recorded before it.
 * `release()` drops the rule so the saved tensors can be collected once
 * backward has run.
 */
export class GradFn {
  private rule: BackwardRule | null;
  private saved: readonly Tensor[];
  private readonly versions: readonly number[];
  /** For each input, where its gradient goes (captured now). @internal */
  readonly edges: readonly Edge[];
  /**
   * What runs on the gradient that reaches this node before its rule, in
   * the order attached: a tensor's gradient hooks (`registerHook`'s map,
   * bound to this node if it made the tensor when the first hook was
   * registered) and a tensor that retains its gradient (`retainGrad()`,
   * moved to the tensor's newest node by an in-place op). Null while none.
   * @internal
   */
  preHooks: (Map<number, (grad: Tensor) => unknown> | Tensor)[] | null = null;
  /**
   * The nodes this one runs together with, as the outputs of one PyTorch
   * node (a module backward hook's `BackwardHookFunctionBackward`): the
   * engine runs them once all are due, after their group has seen (and may
   * have replaced) all their gradients at once. Null for a node of its own.
   * @internal
   */
  group: NodeGroup | null = null;

  /**
   * Makes a graph node for one op's output, capturing its inputs' edges and the saved tensors' versions.
   *
   * @param name - The op's name, as `grad_fn=<…>` prints it (`SumBackward0`).
   * @param inputs - The op's inputs, in order (`null` where an input needs no gradient).
   * @param rule - Maps the output's gradient to the inputs' gradients (see `BackwardRule`).
   * @param saved - The tensors the rule reads when it runs; their versions are checked in `apply`. Default `inputs`.
   */
  constructor(
    /** The op's name, as `grad_fn=<…>` prints it (`SumBackward0`). */
    readonly name: string,
    /** The op's inputs (null where an input needs no gradient). */
    readonly inputs: readonly (Tensor | null)[],
    rule: BackwardRule,
    saved: readonly (Tensor | null)[] = inputs,
  ) {
    this.rule = rule;
    this.edges = inputs.map(edgeOf);
    this.saved = saved.filter((t): t is Tensor => t !== null);
    this.versions = this.saved.map((t) => t._version);
  }

  /**
   * The gradients of the inputs for the output's gradient `grad` (throws once
   * released); `final` when `release()` follows, `scratch` when `grad` may
   * be overwritten (see BackwardRule).
   * @internal
   */
  apply(grad: Tensor, final = false, scratch = false): readonly InputGradient[] {
    if (!this.rule) {
      throw new Error(
        `backward: trying to backward through the graph a second time (${this.name}); the saved values were freed after the first backward. Pass { retainGraph: true } to the first backward if you need to call it twice.`,
      );
    }
    for (let i = 0; i < this.saved.length; i++) {
      const t = this.saved[i];
      const now = t._version;
      if (now !== this.versions[i]) {
        throw new Error(
          `backward: one of the variables needed for gradient computation has been modified by an inplace operation: [${t.dtype} ${formatShape(t.shape)}], saved by ${this.name}, is at version ${now}; expected version ${this.versions[i]} instead. Hint: inplace: true, the F.*_ functions, optimizer steps and loadStateDict modify tensors in place; clone() the tensor first, or modify it after backward.`,
        );
      }
    }
    return this.rule(grad, final, scratch);
  }

  /** Drops the backward rule and what it saved (after a backward pass without `retainGraph`). */
  release(): void {
    this.rule = null;
    this.saved = [];
  }
}

/** The edge to `t`'s history: its producing node, the leaf itself, or null if no gradient flows. */
function edgeOf(t: Tensor | null): Edge {
  if (t === null || !t.requiresGrad) return null;
  refreshView(t);
  return t.gradFn ?? t;
}

/**
 * Re-derives a view's history from its base when their shared storage was
 * written in place since the view's history was recorded (through the base
 * or another view): the view is then "the base, read through the view's
 * geometry" again, as PyTorch regenerates a view's `grad_fn` after its base
 * changed.
 */
export function refreshView(t: Tensor): void {
  const base = t._base;
  if (!base || !t.gradFn || !base.requiresGrad || t._gradFnVersion === t._version) return;
  t._attach(readThrough(base, t));
}

/** Whether `view` reads all of `base`'s elements in `base`'s order (a reshape of it). */
function isReshapeOf(view: Tensor, base: Tensor): boolean {
  return (
    view.size === base.size &&
    view.storageOffset() === base.storageOffset() &&
    view.isContiguous() &&
    base.isContiguous()
  );
}

/** For each element of `view`, the flat (row-major) index of the element of `base` it shares. */
function indicesIn(view: Tensor, base: Tensor): Int32Array {
  const at = storageIndices(view.shape, view.stride(), view.storageOffset());
  if (base._isPlain) return at;
  const where = new Map<number, number>();
  const bs = storageIndices(base.shape, base.stride(), base.storageOffset());
  for (let i = 0; i < bs.length; i++) where.set(bs[i], i);
  for (let j = 0; j < at.length; j++) at[j] = where.get(at[j]) ?? 0;
  return at;
}

/**
 * A node making `view` from `base` by its geometry alone: a reshape
 * (`DERIVATIVES.view`) when it reads all of the base in order, else
 * `DERIVATIVES.asStrided`.
 */
function readThrough(base: Tensor, view: Tensor): GradFn {
  if (isReshapeOf(view, base)) {
    const ctx = { shape: base.shape };
    return new GradFn('view', [base], (g, f) => SHAPE.view.backward(g, ctx, f), []);
  }
  const ctx = { shape: base.shape, index: indicesIn(view, base) };
  return new GradFn('asStrided', [base], (g, f) => SHAPE.asStrided.backward(g, ctx, f), []);
}

/**
 * Makes `out` the result of a differentiable op if gradients are being
 * recorded and some input requires them; returns `out`. `saved` lists the
 * tensors the rule reads (default: the inputs); pass `[]` for a rule that
 * reads none (`add`, `reshape`, `sum`), and include `out` when it reads the
 * output (`sigmoid`, `softmax`). Their versions are checked before the rule runs.
 */
export function record(
  out: Tensor,
  name: string,
  inputs: readonly (Tensor | null)[],
  rule: BackwardRule,
): Tensor;
export function record(
  out: Tensor,
  name: string,
  inputs: readonly (Tensor | null)[],
  saved: readonly (Tensor | null)[],
  rule: BackwardRule,
): Tensor;
export function record(
  out: Tensor,
  name: string,
  inputs: readonly (Tensor | null)[],
  savedOrRule: readonly (Tensor | null)[] | BackwardRule,
  maybeRule?: BackwardRule,
): Tensor {
  if (!isGradEnabled()) return out;
  if (!inputs.some((t) => t !== null && t.requiresGrad)) return out;
  const [saved, rule] =
    typeof savedOrRule === 'function'
      ? [inputs, savedOrRule]
      : [savedOrRule, maybeRule as BackwardRule];
  out._attach(new GradFn(name, inputs, rule, saved));
  return out;
}

/** True if an op on these inputs would record a graph node. */
export function needsGrad(...inputs: readonly (Tensor | null | undefined)[]): boolean {
  return isGradEnabled() && inputs.some((t) => t != null && t.requiresGrad);
}

/**
 * Checks, before `fn` writes into `x` in place, what PyTorch checks: with
 * gradients recorded, neither a leaf that requires grad nor a view of one
 * may be modified (their `.grad` would be for values that no longer exist),
 * nor a view made under `noGrad` of a tensor that requires grad, nor a
 * `chunk` output that requires grad.
 */
export function checkInplace(x: Tensor, fn: string): void {
  if (!isGradEnabled()) return;
  if (x._viewWithoutGrad && x._base?.requiresGrad) {
    throw new Error(
      `${fn}: a view was created in no_grad mode (noGrad) and is being modified in place with gradients recorded; as in PyTorch this is refused: make the view and the in-place write both inside noGrad, or both outside`,
    );
  }
  if (x.isLeaf && x.requiresGrad) {
    throw new Error(
      `${fn}: a leaf tensor that requires grad cannot be modified in place (inplace: true)`,
    );
  }
  if (x._multiOutput && x.requiresGrad) {
    const { fn: from, index, reason } = x._multiOutput;
    if (reason)
      throw new Error(`${fn}: output ${index} of ${from} is being modified in place; ${reason}`);
    throw new Error(
      `${fn}: output ${index} of ${from} is a view and is being modified in place; ${from} returns several views, whose outputs may not be modified in place (as in PyTorch). Use an out-of-place operation, or narrow() to take the view`,
    );
  }
  const base = x._base;
  if (base && base.isLeaf && base.requiresGrad) {
    throw new Error(
      `${fn}: a view of a leaf tensor that requires grad is being used in an in-place operation (inplace: true); clone() it first`,
    );
  }
}

/**
 * Records that `x` now holds `y`'s values (written by the caller), for the
 * in-place tensor methods: x's new history is y's, through a node named
 * `name` that passes the gradient on (cast to y's dtype). With `replaces`
 * (copy_, fill_, zero_: y does not depend on x) x's old value is an input
 * too and gets a zero gradient, as PyTorch's formulas give it.
 */
export function commitInplaceResult(x: Tensor, name: string, y: Tensor, replaces: boolean): void {
  if (!isGradEnabled() || !(x.requiresGrad || y.requiresGrad)) {
    commitInplace(x, name, null);
    return;
  }
  const toY = (g: Tensor): Tensor => (g.dtype === y.dtype ? g : g.to(y.dtype));
  if (!replaces) {
    commitInplace(x, name, (g) => [toY(g)], [], [y]);
    return;
  }
  const zeros = (g: Tensor): Tensor => new Tensor(allocZeroed(g.dtype, g.size), g.shape);
  commitInplace(
    x,
    name,
    (g) => [zeros(g), y.requiresGrad ? toY(g) : null],
    [],
    [x._detachedAlias(), y],
  );
}

/**
 * Records that `x` was written in place by op `name`: bumps its storage's
 * version and, when `rule` is given (gradients are recorded), gives `x` a
 * new history — the op applied to `x` as it was — and re-bases a view's
 * base on it, so that the base (and, lazily, its other views) sees the
 * write too. `saved` are the tensors the rule reads (after the write).
 */
export function commitInplace(
  x: Tensor,
  name: string,
  rule: BackwardRule | null,
  saved: readonly Tensor[] = [],
  inputs: readonly Tensor[] | null = null,
): void {
  const recording = rule !== null && isGradEnabled();
  if (recording) refreshView(x);
  x._bumpVersion();
  if (!recording) return;
  // The rule's inputs: `x` as it was, or (the in-place tensor methods) values computed out of
  // place whose history becomes x's.
  x._attach(new GradFn(name, inputs ?? [x._detachedAlias()], rule, saved));
  const base = x._base;
  // A leaf base here does not require grad (checkInplace refuses one that does): it joins the
  // graph through the view, as in PyTorch.
  if (!base) return;
  if (isReshapeOf(x, base)) {
    // The base is the view's new value reshaped back.
    base._attach(readThrough(x, base));
    return;
  }
  // PyTorch's CopySlices: the base is its old value with the view's elements replaced.
  const ctx = { shape: base.shape, viewShape: x.shape, index: indicesIn(x, base) };
  const old = base._detachedAlias();
  base._attach(
    new GradFn('copySlices', [old, x], (g, f) => SHAPE.copySlices.backward(g, ctx, f), []),
  );
}
