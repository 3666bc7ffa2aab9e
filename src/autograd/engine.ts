import type { Tensor } from '../tensor/tensor.js';
import type { TypedArray } from '../tensor/dtype.js';
import { sameShape, formatShape } from '../tensor/shape.js';
import { noGrad } from './grad-mode.js';

/**
 * Reverse-mode differentiation from `root`: sorts the graph once
 * (depth-first post-order), walks it in reverse, sums gradients that reach a
 * tensor along several paths, reduces broadcast gradients to their input's
 * shape, and accumulates into the leaves' `.grad`. Unless `retainGraph`, the
 * graph's saved values are released afterwards.
 */
export function runBackward(root: Tensor, gradient: Tensor, retainGraph: boolean): void {
  const order = topologicalOrder(root);
  const grads = new Map<Tensor, Tensor>();
  grads.set(root, gradient);
  // Storage already owned elsewhere: the caller's gradient, and every buffer
  // handed to a leaf. A leaf gets such storage copied; fresh storage (the
  // usual case: a backward rule's own output) is adopted without a copy.
  const owned = new Set<TypedArray>([gradient.data]);
  const accumulateLeaf = (leaf: Tensor, g: Tensor): void => {
    if (leaf.grad) {
      leaf.grad = leaf.grad.add(g);
    } else {
      leaf.grad = owned.has(g.data) ? g.clone() : g;
      owned.add(g.data);
    }
  };
  noGrad(() => {
    if (!root.gradFn) {
      accumulateLeaf(root, gradient);
      return;
    }
    for (let k = order.length - 1; k >= 0; k--) {
      const t = order[k];
      const g = grads.get(t);
      grads.delete(t);
      const fn = t.gradFn;
      if (!fn || !g) continue;
      if (t._retainsGrad) accumulateLeaf(t, g);
      const inputGrads = fn.apply(g);
      if (!retainGraph) fn.release();
      fn.inputs.forEach((input, i) => {
        const gi = inputGrads[i];
        if (!input || !gi || !input.requiresGrad) return;
        const conformed = conform(gi, input, fn.name);
        if (input.gradFn) {
          const prev = grads.get(input);
          grads.set(input, prev ? prev.add(conformed) : conformed);
        } else {
          accumulateLeaf(input, conformed);
        }
      });
    }
  });
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

function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: { t: Tensor; next: number }[] = [{ t: root, next: 0 }];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const inputs = top.t.gradFn ? top.t.gradFn.inputs : [];
    if (top.next < inputs.length) {
      const child = inputs[top.next++];
      if (child && child.requiresGrad && child.gradFn && !visited.has(child)) {
        visited.add(child);
        stack.push({ t: child, next: 0 });
      }
    } else {
      order.push(top.t);
      stack.pop();
    }
  }
  return order;
}
