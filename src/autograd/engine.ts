import { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../signature/types.js';
import type { TypedArray } from '../tensor/dtype.js';
import { sameShape, formatShape } from '../tensor/shape.js';
import { noGrad } from './grad-mode.js';
import { GradFn, refreshView, type Edge, type NodeGroup } from './node.js';
import { SliceGradient } from './slice-gradient.js';
import { withRecycling, type PassBuffers } from '../tensor/recycle.js';

/** One backward pass: where it starts, and what it does with the gradients it finds. */
export interface BackwardRequest {
  /** The tensors differentiated (a loss; several for `autograd.backward([a, b])`). */
  readonly roots: readonly Tensor[];
  /** Each root's gradient, of its shape and dtype. */
  readonly gradients: readonly Tensor[];
  /** Keep the graph's saved values for another pass. */
  readonly retainGraph: boolean;
  /**
   * The tensors to differentiate with respect to, leaves or not; `null`:
   * every leaf that requires grad. Only the part of the graph that leads to
   * them runs.
   */
  readonly inputs: readonly Tensor[] | null;
  /**
   * `'accumulate'` (`backward`): into the inputs' `.grad` (a non-leaf input
   * must retain its gradient). `'capture'` (`autograd.grad`): returned, one
   * per input (null where none reached it), the gradient as it reaches the
   * input, before the input's own hooks; no leaf's `.grad` changes, though
   * retained gradients and hooks on the way still run, as in PyTorch 1.13.
   */
  readonly mode: 'accumulate' | 'capture';
}

/**
 * Reverse-mode differentiation from the request's roots: sorts the graph's
 * nodes once (depth-first post-order over the edges each node captured when
 * it was made), walks them in reverse, sums gradients that reach a node along
 * several paths, runs the hooks of the tensor each node produced on that sum
 * (`registerHook`, `retainGrad`), reduces broadcast gradients to their
 * input's shape, and accumulates into the leaves' `.grad` (or captures the
 * inputs' gradients). The saved values of the nodes that ran are released
 * unless `retainGraph`. Returns the captured gradients (`'capture'`), else
 * an empty array.
 */
export function runBackward(request: BackwardRequest): (Tensor | null)[] {
  return noGrad(() => withRecycling((buffers) => walk(request, buffers)));
}

function walk(
  { roots, gradients, retainGraph, inputs, mode }: BackwardRequest,
  { release, isFresh }: PassBuffers,
): (Tensor | null)[] {
  // Storage already owned elsewhere: the caller's gradients, every buffer
  // handed to a leaf, and every tensor a hook saw or returned. A leaf gets
  // such storage copied; fresh storage (the usual case: a backward rule's
  // own output) is adopted without a copy. A gradient that is a view (a
  // rule's `permute`, `expand` or `narrow` of another gradient) shares
  // storage, so a leaf gets it as a copy too.
  const owned = new Set<TypedArray>(gradients.map((g) => g._storage));
  // For recycling (tensor/recycle.ts): how many pending gradients use each
  // buffer, and the buffers that left the engine (a leaf's or a retained
  // `.grad`, a tensor a hook may have kept, a captured gradient). A consumed
  // gradient's buffer is released when neither holds it.
  const pending = new Map<ArrayBufferLike, number>();
  const escaped = new Set<ArrayBufferLike>();
  const hold = (t: Tensor): void => {
    const b = t._storage.buffer;
    pending.set(b, (pending.get(b) ?? 0) + 1);
  };
  const drop = (t: Tensor): void => {
    const b = t._storage.buffer;
    const n = (pending.get(b) ?? 0) - 1;
    if (n > 0) pending.set(b, n);
    else pending.delete(b);
  };
  const consumed: Tensor[] = [];
  // Sums of slices' gradients (SliceGradient) this pass made, each held by
  // one pending entry (or adopted as one leaf's `.grad`) and by nothing
  // else: the next slice of the same base is added into it in place.
  const sliceSums = new Set<TypedArray>();
  const replace = <K>(pending: Map<K, Tensor>, key: K, next: Tensor): void => {
    const prev = pending.get(key);
    if (prev) {
      drop(prev);
      consumed.push(prev);
      if (sliceSums.size > 0) sliceSums.delete(prev._storage);
    }
    pending.set(key, next);
    hold(next);
  };
  // Adds `g` to the gradient pending under `key` (a node, or a leaf whose
  // paths are summed first); the replaced sum is consumed.
  const sumInto = <K>(pending: Map<K, Tensor>, key: K, g: Tensor | SliceGradient): void => {
    const prev = pending.get(key);
    if (!(g instanceof SliceGradient)) {
      replace(pending, key, prev ? prev.add(g) : g);
    } else if (prev && sliceSums.has(prev._storage)) {
      g.addInto(prev);
    } else {
      const next = prev ? prev.clone() : g.dense();
      if (prev) g.addInto(next);
      replace(pending, key, next);
      sliceSums.add(next._storage);
    }
  };
  const releaseConsumed = (): void => {
    for (const t of consumed) {
      const b = t._storage.buffer;
      if (!pending.has(b) && !escaped.has(b) && b instanceof ArrayBuffer) release(b);
    }
    consumed.length = 0;
  };
  /** A tensor the caller can see (a hook's argument or result, a captured gradient): never overwritten, recycled or adopted. */
  const expose = (t: Tensor): void => {
    escaped.add(t._storage.buffer);
    owned.add(t._storage);
  };
  // A leaf's existing `.grad` takes the new gradient in place, as PyTorch's
  // AccumulateGrad does (`variable_grad += new_grad` without create_graph):
  // the same tensor, its version bumped, its views and every reference to it
  // seeing the sum; no new buffer, and the consumed gradient's can be
  // recycled. Not where its storage is the caller's gradient or adopted in
  // this pass (other gradients of the pass may share that storage), and not
  // for a retained non-leaf gradient, which PyTorch 1.13 replaces by
  // `grad + new_grad`. A `.grad` that is an expanded view throws, as in
  // PyTorch. `add_` rounds once: the bits of `grad.add(g)`.
  const accumulateLeaf = (
    leaf: Tensor,
    gradient: Tensor | SliceGradient,
    inPlace: boolean,
  ): void => {
    let g: Tensor;
    if (gradient instanceof SliceGradient) {
      const into = leaf.grad;
      if (into && (sliceSums.has(into._storage) || (inPlace && !owned.has(into._storage)))) {
        into._checkWritable('backward');
        gradient.addInto(into);
        escaped.add(into._storage.buffer);
        return;
      }
      g = gradient.dense();
      // Nothing else holds it: later slices of this leaf add into it in place.
      if (!into) sliceSums.add(g._storage);
    } else g = gradient;
    if (leaf.grad) {
      const into = leaf.grad;
      if (inPlace && !owned.has(into._storage)) {
        into._checkWritable('backward');
        into.add_(g);
      } else {
        leaf.grad = into.add(g);
      }
    } else {
      leaf.grad = owned.has(g._storage) || !g._isPlain ? g.clone() : g;
      owned.add(leaf.grad._storage);
    }
    escaped.add(leaf.grad._storage.buffer);
  };
  // A tensor's hooks in registration order, each on what the one before returned.
  const runHooks = (hooks: Map<number, (grad: Tensor) => unknown>, grad: Tensor): Tensor => {
    let g = grad;
    for (const hook of [...hooks.values()]) {
      expose(g);
      const r = hook(g);
      if (r === undefined || r === null) continue;
      g = checkHookResult(r, g);
      expose(g);
    }
    return g;
  };
  // A node's pre-hooks: hook maps, and retained gradients kept as they are there.
  const runPreHooks = (fn: GradFn, grad: Tensor): Tensor => {
    let g = grad;
    const entries = [...(fn.preHooks ?? [])];
    const anyHook = entries.some((e) => !(e instanceof Tensor));
    for (const entry of entries) {
      if (entry instanceof Tensor) {
        // A later hook may write its argument in place: `.grad` keeps a copy then.
        if (anyHook) expose(g);
        accumulateLeaf(entry, g, false);
      } else g = runHooks(entry, g);
    }
    return g;
  };

  const targets = inputs === null ? null : new Set(inputs);
  // A non-leaf input's node, and for each node whether the walk needs it:
  // `below` — some input is reached through its edges, so its rule runs;
  // `needed` — that, or it is an input's node (its gradient is wanted).
  const targetNodes = new Map<GradFn, Tensor>();
  for (const t of inputs ?? []) {
    refreshView(t);
    if (t.gradFn) targetNodes.set(t.gradFn, t);
  }
  // Gradients summed per leaf before they are used: a leaf with hooks runs
  // them once on the sum, as PyTorch's AccumulateGrad node does, and
  // `autograd.grad` returns the sum.
  const leafSums = new Map<Tensor, Tensor>();
  const captured = new Map<Tensor, Tensor>();
  const toLeaf = (leaf: Tensor, g: Tensor | SliceGradient): void => {
    if (targets ? !targets.has(leaf) : !leaf.requiresGrad) return;
    const hooked = leaf._gradHooks !== null && leaf._gradHooks.size > 0;
    if (mode === 'accumulate' && !hooked) {
      accumulateLeaf(leaf, g, true);
      return;
    }
    sumInto(leafSums, leaf, g);
  };

  const grads = new Map<GradFn, Tensor>();
  const rootFns: GradFn[] = [];
  roots.forEach((root, i) => {
    refreshView(root);
    const fn = root.gradFn;
    const g = gradients[i];
    if (!fn) {
      toLeaf(root, g);
      return;
    }
    if (!grads.has(fn)) rootFns.push(fn);
    sumInto(grads, fn, g);
  });
  const order = topologicalOrder(rootFns);
  let below: Set<GradFn> | null = null;
  let needed: Set<GradFn> | null = null;
  if (targets) {
    const [b, n] = [new Set<GradFn>(), new Set<GradFn>()];
    for (const fn of order) {
      if (fn.edges.some((e) => (e instanceof GradFn ? n.has(e) : e !== null && targets.has(e)))) {
        b.add(fn);
      }
      if (b.has(fn) || targetNodes.has(fn)) n.add(fn);
    }
    [below, needed] = [b, n];
  }

  // The gradient pending for `fn`, taken out of the pending ones (consumed once used).
  const take = (fn: GradFn): Tensor | null => {
    const g = grads.get(fn);
    if (!g) return null;
    grads.delete(fn);
    drop(g);
    consumed.push(g);
    if (sliceSums.size > 0) sliceSums.delete(g._storage);
    return g;
  };
  // What comes before `fn`'s rule, on its summed gradient: captures it and
  // runs the hooks of the tensor it made. Returns the gradient the rule
  // takes, or null where the rule need not run.
  const beforeRule = (fn: GradFn, summed: Tensor): Tensor | null => {
    let g = summed;
    if (needed && !needed.has(fn)) {
      releaseConsumed();
      return null;
    }
    const target = targetNodes.get(fn);
    if (target && mode === 'capture') {
      expose(g);
      captured.set(target, g);
    }
    const runs = below === null || below.has(fn);
    if (fn.preHooks && !(mode === 'capture' && target && !runs)) {
      g = runPreHooks(fn, g);
      consumed.push(g);
    }
    if (!runs) {
      releaseConsumed();
      return null;
    }
    return g;
  };
  // Runs `fn`'s rule and sends its gradients along its edges.
  const runRule = (fn: GradFn, g: Tensor): void => {
    // Scratch: a gradient this pass allocated, in a buffer of its own that
    // nothing else holds (not the caller's, not a .grad, no other pending
    // gradient): the node may write its input gradient over it.
    const b = g._storage.buffer;
    const scratch =
      g._isPlain && isFresh(b) && !pending.has(b) && !escaped.has(b) && !owned.has(g._storage);
    const inputGrads = fn.apply(g, !retainGraph, scratch);
    if (!retainGraph) fn.release();
    fn.edges.forEach((edge, i) => {
      const gi = inputGrads[i];
      const input = fn.inputs[i];
      if (!edge || !gi || !input) return;
      // A slice's gradient has its base's shape and dtype by construction.
      let conformed: Tensor | SliceGradient = gi;
      if (gi instanceof SliceGradient) consumed.push(gi.piece);
      else consumed.push(gi, (conformed = conform(gi, input, fn.name)));
      if (edge instanceof GradFn) {
        if (!needed || needed.has(edge)) sumInto(grads, edge, conformed);
      } else {
        toLeaf(edge, conformed);
      }
    });
    // Only now, with every edge served (one tensor may feed several).
    releaseConsumed();
  };

  const groupsRun = new Set<NodeGroup>();
  for (let k = order.length - 1; k >= 0; k--) {
    const fn = order[k];
    const group = fn.group;
    if (!group) {
      const summed = take(fn);
      const g = summed && beforeRule(fn, summed);
      if (g) runRule(fn, g);
      continue;
    }
    // A group's members are adjacent in the order: all run here, at the first one met,
    // as the outputs of one PyTorch node: the hooks of the tensors they made first, then
    // the group on all their gradients, then their rules.
    if (groupsRun.has(group)) continue;
    groupsRun.add(group);
    const gs = group.members.map((member) => {
      const summed = take(member);
      return summed && beforeRule(member, summed);
    });
    if (gs.every((g) => g === null)) continue;
    for (const g of gs) if (g) expose(g);
    const passed = group.run(gs);
    group.members.forEach((member, i) => {
      const g = passed[i];
      if (!g) return;
      expose(g);
      runRule(member, g);
    });
    releaseConsumed();
  }

  // The caller's gradients are the caller's: a captured one is returned as a copy.
  const given = new Set<TypedArray>(gradients.map((g) => g._storage));
  for (const [leaf, sum] of leafSums) {
    drop(sum);
    consumed.push(sum);
    if (mode === 'accumulate') {
      const g = leaf._gradHooks ? runHooks(leaf._gradHooks, sum) : sum;
      consumed.push(g);
      accumulateLeaf(leaf, g, true);
    } else {
      expose(sum);
      captured.set(leaf, sum);
    }
  }
  releaseConsumed();
  if (mode === 'accumulate') return [];
  // Each input its own tensor (two inputs of one `add` get one gradient),
  // none the caller's.
  return (inputs ?? []).map((t) => {
    const g = captured.get(t);
    if (!g) return null;
    const out = given.has(g._storage) || !g._isPlain ? g.clone() : g;
    given.add(out._storage);
    return out;
  });
}

/** A hook's replacement gradient, checked as PyTorch checks it. */
function checkHookResult(r: unknown, g: Tensor): Tensor {
  if (!(r instanceof Tensor)) {
    throw new Error(
      `registerHook: a hook must return a Tensor, undefined or null; it returned ${describeValue(r)}`,
    );
  }
  if (!sameShape(r.shape, g.shape)) {
    throw new Error(
      `registerHook: a hook changed the gradient's shape from ${formatShape(g.shape)} to ${formatShape(r.shape)}`,
    );
  }
  if (r.dtype !== g.dtype) {
    throw new Error(
      `registerHook: a hook changed the gradient's dtype from ${g.dtype} to ${r.dtype}`,
    );
  }
  return r;
}

/** Sums a broadcast gradient back to the input's shape and casts it to the input's dtype. */
function conform(g: Tensor, input: Tensor, opName: string): Tensor {
  let out = g;
  if (!sameShape(out.shape, input.shape)) {
    out = out.sumToShape(input.shape);
    if (!sameShape(out.shape, input.shape)) {
      throw new Error(
        `backward: ${opName} produced a gradient of shape ${formatShape(g.shape)} for an input of shape ${formatShape(input.shape)}`,
      );
    }
  }
  if (out.dtype !== input.dtype) out = out.to(input.dtype);
  return out;
}

/**
 * The nodes reachable from `roots`, each after every node it leads to
 * (children first): one depth-first post-order per root, sharing what was
 * visited, so a root reachable from another comes before it too. A group's
 * members (`GradFn.group`) are one unit: visited through all their edges
 * and listed together, so that none runs before every consumer of any of
 * them has (the group's members never lead to one another).
 */
function topologicalOrder(roots: readonly GradFn[]): GradFn[] {
  const order: GradFn[] = [];
  const visited = new Set<GradFn>();
  for (const root of roots) {
    if (!visited.has(root)) visit(root, visited, order);
  }
  return order;
}

/** One node (or group) being visited: its edges, and the next one to follow. */
interface Frame {
  readonly fn: GradFn;
  readonly edges: readonly Edge[];
  next: number;
}

function visit(root: GradFn, visited: Set<GradFn>, order: GradFn[]): void {
  const enter = (fn: GradFn): Frame => {
    visited.add(fn);
    if (!fn.group) return { fn, edges: fn.edges, next: 0 };
    const members = fn.group.members;
    for (const m of members) visited.add(m);
    return { fn, edges: members.flatMap((m) => m.edges), next: 0 };
  };
  const stack = [enter(root)];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next < top.edges.length) {
      const child = top.edges[top.next++];
      if (child instanceof GradFn && !visited.has(child)) stack.push(enter(child));
    } else {
      if (top.fn.group) order.push(...top.fn.group.members);
      else order.push(top.fn);
      stack.pop();
    }
  }
}
