import type { Tensor } from '../tensor/tensor.js';
import type { TypedArray } from '../tensor/dtype.js';
import { sameShape, formatShape } from '../tensor/shape.js';
import { noGrad } from './grad-mode.js';
import { GradFn, refreshView } from './node.js';
import { withRecycling, type PassBuffers } from '../tensor/recycle.js';

/**
 * Reverse-mode differentiation from `root`: sorts the graph's nodes once
 * (depth-first post-order over the edges each node captured when it was
 * made), walks them in reverse, sums gradients that reach a node along
 * several paths, reduces broadcast gradients to their input's shape, and
 * accumulates into the leaves' `.grad`. Unless `retainGraph`, the graph's
 * saved values are released afterwards.
 */
export function runBackward(root: Tensor, gradient: Tensor, retainGraph: boolean): void {
  noGrad(() => withRecycling((buffers) => walk(root, gradient, retainGraph, buffers)));
}

function walk(
  root: Tensor,
  gradient: Tensor,
  retainGraph: boolean,
  { release, isFresh }: PassBuffers,
): void {
  // Storage already owned elsewhere: the caller's gradient, and every buffer
  // handed to a leaf. A leaf gets such storage copied; fresh storage (the
  // usual case: a backward rule's own output) is adopted without a copy.
  // A gradient that is a view (a rule's `permute`, `expand` or `narrow` of
  // another gradient) shares storage, so a leaf gets it as a copy too.
  const owned = new Set<TypedArray>([gradient._storage]);
  // For recycling (tensor/recycle.ts): how many pending gradients use each
  // buffer, and the buffers that left the engine (a leaf's or a retained
  // `.grad`). A consumed gradient's buffer is released when neither holds it.
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
  // A leaf's existing `.grad` takes the new gradient in place, as PyTorch's
  // AccumulateGrad does (`variable_grad += new_grad` without create_graph):
  // the same tensor, its version bumped, its views and every reference to it
  // seeing the sum; no new buffer, and the consumed gradient's can be
  // recycled. Not where its storage is the caller's gradient or adopted in
  // this pass (other gradients of the pass may share that storage), and not
  // for a retained non-leaf gradient, which PyTorch 1.13 replaces by
  // `grad + new_grad`. A `.grad` that is an expanded view throws, as in
  // PyTorch. `add_` rounds once: the bits of `grad.add(g)`.
  const accumulateLeaf = (leaf: Tensor, g: Tensor, inPlace: boolean): void => {
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
  refreshView(root);
  const rootFn = root.gradFn;
  if (!rootFn) {
    accumulateLeaf(root, gradient, true);
    return;
  }
  const order = topologicalOrder(rootFn);
  const grads = new Map<GradFn, Tensor>();
  grads.set(rootFn, gradient);
  hold(gradient);
  const consumed: Tensor[] = [];
  for (let k = order.length - 1; k >= 0; k--) {
    const fn = order[k];
    const g = grads.get(fn);
    grads.delete(fn);
    if (!g) continue;
    drop(g);
    consumed.push(g);
    if (fn.retained) accumulateLeaf(fn.retained, g, false);
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
      const conformed = conform(gi, input, fn.name);
      consumed.push(gi, conformed);
      if (edge instanceof GradFn) {
        const prev = grads.get(edge);
        const next = prev ? prev.add(conformed) : conformed;
        if (prev) {
          drop(prev);
          consumed.push(prev);
        }
        grads.set(edge, next);
        hold(next);
      } else if (edge.requiresGrad) {
        accumulateLeaf(edge, conformed, true);
      }
    });
    // Only now, with every edge served (one tensor may feed several).
    for (const t of consumed) {
      const b = t._storage.buffer;
      if (!pending.has(b) && !escaped.has(b) && b instanceof ArrayBuffer) release(b);
    }
    consumed.length = 0;
  }
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

function topologicalOrder(root: GradFn): GradFn[] {
  const order: GradFn[] = [];
  const visited = new Set<GradFn>([root]);
  const stack: { fn: GradFn; next: number }[] = [{ fn: root, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const edges = top.fn.edges;
    if (top.next < edges.length) {
      const child = edges[top.next++];
      if (child instanceof GradFn && !visited.has(child)) {
        visited.add(child);
        stack.push({ fn: child, next: 0 });
      }
    } else {
      order.push(top.fn);
      stack.pop();
    }
  }
  return order;
}
