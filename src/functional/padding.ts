/**
 * `F.pad`: constant padding (or, with negative amounts, cropping) of any
 * trailing dimensions, and reflect, replicate and circular padding of the
 * last 1–3 dimensions of a batch, as `torch.nn.functional.pad`. Built from
 * differentiable tensor ops: constant padding concatenates blocks of the
 * value, the other modes select the input's elements by index along each
 * padded dimension, so each gradient element is the sum over the output
 * elements that copy it, as in PyTorch. Signature and docs:
 * src/registry/padding.ts.
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { cat, full, narrow } from '../ops/shape-ops.js';
import { indexSelect } from '../ops/index-ops.js';
import { fail } from './validate.js';

export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/** Where output position `j` of a dimension of `n` elements reads, for the non-constant modes. */
const SOURCE: Record<Exclude<PadMode, 'constant'>, (j: number, n: number) => number> = {
  // Mirror about the edge elements, which are not repeated: [a b c] → b [a b c] b.
  reflect: (j, n) => (j < 0 ? -j : j >= n ? 2 * (n - 1) - j : j),
  replicate: (j, n) => Math.min(Math.max(j, 0), n - 1),
  circular: (j, n) => ((j % n) + n) % n,
};

/** The (before, after) pairs of `pad`, last dimension first, as the dimensions they pad. */
function padPairs(
  input: Tensor,
  pad: readonly number[],
): [dim: number, before: number, after: number][] {
  const fn = 'pad';
  if (pad.length % 2 !== 0) fail(fn, `pad must have an even number of elements, got ${pad.length}`);
  if (pad.length / 2 > input.ndim) {
    fail(
      fn,
      `pad of ${pad.length} elements pads ${pad.length / 2} dimensions, but the input of shape ${formatShape(input.shape)} has ${input.ndim}`,
    );
  }
  return Array.from({ length: pad.length / 2 }, (_, i) => [
    input.ndim - 1 - i,
    pad[2 * i],
    pad[2 * i + 1],
  ]);
}

/** Constant padding: blocks of `value` before and after, or a narrower view for negative amounts. */
function constantPad(input: Tensor, pairs: ReturnType<typeof padPairs>, value: number): Tensor {
  let out = input;
  for (const [d, before, after] of pairs) {
    const size = out.shape[d];
    if (size + before + after < 0) {
      fail(
        'pad',
        `the input of shape ${formatShape(input.shape)} with padding (${before}, ${after}) at dimension ${d} would have a negative size, ${size + before + after}`,
      );
    }
    // Output position j reads input j − before, where that is inside; the value elsewhere.
    const total = size + before + after;
    const lo = Math.max(0, -before);
    const keep = Math.max(0, Math.min(size, size + after) - lo);
    const first = Math.min(Math.max(before, 0), total);
    const last = total - first - keep;
    if (keep < size) out = narrow(out, d, Math.min(lo, size), keep);
    const block = (n: number) =>
      full(
        out.shape.map((s, i) => (i === d ? n : s)),
        value,
        out.dtype,
      );
    const parts = [...(first > 0 ? [block(first)] : []), out, ...(last > 0 ? [block(last)] : [])];
    if (parts.length > 1) out = cat(parts, d);
  }
  // PyTorch's constant_pad_nd always returns a new tensor.
  return out === input || out._base !== null ? out.clone() : out;
}

/** Reflect, replicate or circular padding: the input's elements selected along each dimension. */
function indexPad(
  input: Tensor,
  pairs: ReturnType<typeof padPairs>,
  mode: Exclude<PadMode, 'constant'>,
): Tensor {
  const fn = 'pad';
  const dims = pairs.length;
  // PyTorch 1.13 pads the last 1, 2 or 3 dimensions of a batched or unbatched input so.
  if (dims > 3 || (input.ndim !== dims + 1 && input.ndim !== dims + 2)) {
    fail(
      fn,
      `${mode} padding of ${dims} dimension${dims === 1 ? '' : 's'} needs an input of ${dims + 1} or ${dims + 2} dimensions, got shape ${formatShape(input.shape)}`,
    );
  }
  let out = input;
  for (const [d, before, after] of pairs) {
    const n = input.shape[d];
    if (before < 0 || after < 0) {
      fail(fn, `${mode} padding must not be negative, got (${before}, ${after}) at dimension ${d}`);
    }
    if (n === 0)
      fail(
        fn,
        `${mode} padding needs elements to copy, dimension ${d} of ${formatShape(input.shape)} has none`,
      );
    const limit = mode === 'reflect' ? n - 1 : mode === 'circular' ? n : Infinity;
    if (before > limit || after > limit) {
      fail(
        fn,
        `${mode} padding (${before}, ${after}) at dimension ${d} must be ${mode === 'reflect' ? 'less than' : 'at most'} the input's size there, ${n}`,
      );
    }
    if (before === 0 && after === 0) continue;
    if (out.size === 0) {
      // Empty beside another dimension: the padded result is empty too, so no index (of
      // perhaps 2^40 nominal entries) is built.
      out = out.reshape(out.shape.map((s, k) => (k === d ? before + n + after : s)));
      continue;
    }
    const index = Int32Array.from({ length: before + n + after }, (_, j) =>
      SOURCE[mode](j - before, n),
    );
    out = indexSelect(out, d, new Tensor(index, [index.length]));
  }
  return out === input ? input.clone() : out;
}

/**
 * Pads the last `pairs.length` dimensions of `input`, `pairs[i]` = (before,
 * after) of spatial dimension i in order (F.pad lists them last first);
 * the input itself where every amount is 0. The convolutions and pooling
 * pad so.
 */
export function padSpatial(
  input: Tensor,
  pairs: readonly (readonly [number, number])[],
  mode: PadMode,
  value: number | null,
): Tensor {
  const pad = pairs
    .slice()
    .reverse()
    .flatMap(([b, e]) => [b, e]);
  return pad.some((p) => p !== 0) ? padImpl({ input, pad, mode, value }) : input;
}

/** `torch.nn.functional.pad(input, pad, mode, value)`. */
export function padImpl(a: {
  input: Tensor;
  pad: readonly number[];
  mode: PadMode;
  value: number | null;
}): Tensor {
  const { input, pad, mode, value } = a;
  const pairs = padPairs(input, pad);
  if (mode === 'constant') return constantPad(input, pairs, value ?? 0);
  if (value !== null) fail('pad', `mode '${mode}' takes no value, got ${value}`);
  return indexPad(input, pairs, mode);
}
