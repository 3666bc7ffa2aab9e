/**
 * `nn.utils.rnn`: sequences of different lengths for the recurrent layers,
 * after `torch.nn.utils.rnn`. A {@link PackedSequence} holds a batch's
 * steps time-major without padding — step t's rows are the sequences
 * longer than t, longest first — so that `nn.RNN`, `nn.LSTM` and `nn.GRU`
 * run each sequence exactly as far as it goes and return each one's own
 * last state. Lengths and indices are int32 (PyTorch: int64).
 */
import { Tensor } from '../../tensor/tensor.js';
import { full, tensor } from '../../tensor/creation.js';
import { formatShape } from '../../tensor/shape.js';
import { cat, stack } from '../../ops/shape-ops.js';
import * as T from '../../signature/types.js';

const int32 = (values: readonly number[]): Tensor => tensor(values, { dtype: 'int32' });

/** The inverse of a permutation: `out[perm[i]] = i`. */
function invertPermutation(perm: readonly number[]): number[] {
  const out = new Array<number>(perm.length);
  perm.forEach((p, i) => (out[p] = i));
  return out;
}

/**
 * A batch of sequences packed time-major without padding: `data` holds step
 * 0's row of every sequence, then step 1's row of every sequence longer
 * than 1, and so on (`batchSizes[t]` rows at step t, the longest sequences
 * first); `sortedIndices` orders the original batch by decreasing length
 * (null when it already was) and `unsortedIndices` undoes that. Made by
 * {@link packPaddedSequence} or {@link packSequence}, read back by
 * {@link padPackedSequence}. Matches `torch.nn.utils.rnn.PackedSequence`.
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * const padded = tensor([[1, 2, 3], [4, 5, 0]]); // (B, T): lengths 3 and 2
 * const p = nn.utils.rnn.packPaddedSequence(padded, [3, 2], { batchFirst: true });
 * console.log(p.data, p.batchSizes.toArray()); // tensor([1., 4., 2., 5., 3.]) [ 2, 2, 1 ]
 * ```
 */
export class PackedSequence {
  /** The packed rows, `(Σ lengths, *)`. */
  readonly data: Tensor;
  /** Rows per step (int32): how many sequences are longer than t. */
  readonly batchSizes: Tensor;
  /** The batch order by decreasing length (int32), or null if the batch was in that order. */
  readonly sortedIndices: Tensor | null;
  /** The inverse of `sortedIndices` (int32), or null. */
  readonly unsortedIndices: Tensor | null;

  /**
   * Wraps packed data (PyTorch's constructor; the functions below make these).
   *
   * @param data - The packed rows.
   * @param batchSizes - Rows per step, int32, non-increasing.
   * @param sortedIndices - The batch order by decreasing length, or null.
   * @param unsortedIndices - Its inverse, or null to compute it.
   */
  constructor(
    data: Tensor,
    batchSizes: Tensor,
    sortedIndices: Tensor | null = null,
    unsortedIndices: Tensor | null = null,
  ) {
    if (!T.isTensor(data) || !T.isTensor(batchSizes) || batchSizes.dtype !== 'int32') {
      throw new Error('PackedSequence: expects data (a Tensor) and batchSizes (an int32 Tensor)');
    }
    this.data = data;
    this.batchSizes = batchSizes;
    this.sortedIndices = sortedIndices;
    this.unsortedIndices =
      unsortedIndices ??
      (sortedIndices ? int32(invertPermutation(Array.from(sortedIndices.data))) : null);
  }

  /** `batchSizes` as numbers. @internal */
  get steps(): number[] {
    return Array.from(this.batchSizes.data);
  }
}

/** Lengths given as numbers or an int32 tensor, checked against the batch. */
function lengthsOf(fn: string, lengths: unknown, batch: number): number[] {
  let list: number[];
  if (T.isTensor(lengths)) list = Array.from((lengths as Tensor).data);
  else if (Array.isArray(lengths) && lengths.every((v) => Number.isInteger(v))) list = lengths;
  else throw new Error(`${fn}: lengths must be an array of integers or a Tensor`);
  if (list.length !== batch) {
    throw new Error(
      `${fn}: expected ${String(batch)} lengths (one per sequence of the batch), got ${String(list.length)}`,
    );
  }
  if (list.some((n) => n <= 0)) {
    throw new Error(
      `${fn}: length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0`,
    );
  }
  return list;
}

/**
 * Packs a padded batch `(T, B, *)` (`batchFirst`: `(B, T, *)`) whose
 * sequences have the given lengths. With `enforceSorted` (the default) the
 * lengths must not increase; otherwise the batch is sorted by decreasing
 * length first (stably) and the order kept in the result. Differentiable
 * with respect to `input`. Matches
 * `torch.nn.utils.rnn.pack_padded_sequence(input, lengths, batch_first=False,
 * enforce_sorted=True)`.
 *
 * @param input - The padded batch.
 * @param lengths - Each sequence's length (numbers or an int32 tensor), all ≥ 1 and ≤ T.
 * @param options - `batchFirst` (default false), `enforceSorted` (default true).
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * const padded = tensor([[1, 4], [0, 5]]); // (T, B): lengths 1 and 2, not sorted
 * const p = nn.utils.rnn.packPaddedSequence(padded, [1, 2], { enforceSorted: false });
 * console.log(p.data, p.sortedIndices?.toArray()); // tensor([4., 1., 5.]) [ 1, 0 ]
 * ```
 */
export function packPaddedSequence(
  input: Tensor,
  lengths: readonly number[] | Tensor,
  options: { batchFirst?: boolean; enforceSorted?: boolean } = {},
): PackedSequence {
  const fn = 'packPaddedSequence';
  if (!T.isTensor(input) || input.ndim < 2) {
    throw new Error(`${fn}: input must be a Tensor of at least 2 dimensions (T, B, *)`);
  }
  const batchFirst = options.batchFirst ?? false;
  const x = batchFirst ? input.transpose(0, 1) : input;
  const [steps, batch] = x.shape;
  const len = lengthsOf(fn, lengths, batch);
  let order: number[] | null = null;
  if (options.enforceSorted ?? true) {
    if (len.some((n, i) => i > 0 && n > len[i - 1])) {
      throw new Error(
        `${fn}: \`lengths\` array must be sorted in decreasing order when \`enforceSorted\` is true. You can pass \`enforceSorted: false\` to packPaddedSequence and/or packSequence to sidestep this requirement`,
      );
    }
  } else {
    // PyTorch's torch.sort(lengths, descending=True), whose order among equal lengths nnkit's
    // sort reproduces.
    order = Array.from(int32(len).sort(0, true).indices.data);
  }
  const sorted = order ? order.map((i) => len[i]) : len;
  if (sorted[0] > steps) {
    throw new Error(
      `${fn}: a length (${String(sorted[0])}) exceeds the input's ${String(steps)} steps`,
    );
  }
  // Row t·B + b of the time-major batch, for each packed row in order.
  const rows: number[] = [];
  const batchSizes: number[] = [];
  for (let t = 0; t < sorted[0]; t++) {
    let b = 0;
    while (b < batch && sorted[b] > t) {
      rows.push(t * batch + (order ? order[b] : b));
      b++;
    }
    batchSizes.push(b);
  }
  const flat = x.reshape([steps * batch, ...x.shape.slice(2)]);
  const sortedIndices = order ? int32(order) : null;
  return new PackedSequence(flat.indexSelect(0, int32(rows)), int32(batchSizes), sortedIndices);
}

/**
 * The padded batch `(T, B, *)` (`batchFirst`: `(B, T, *)`) of a packed
 * sequence, in the original batch order, padded with `paddingValue` to the
 * longest length or to `totalLength`, and each sequence's length (int32).
 * Differentiable with respect to the packed data. Matches
 * `torch.nn.utils.rnn.pad_packed_sequence`.
 *
 * @param sequence - The packed batch.
 * @param options - `batchFirst` (default false), `paddingValue` (default 0),
 *   `totalLength` (default null: the longest length; may not be shorter).
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * const p = nn.utils.rnn.packSequence([tensor([1, 2, 3]), tensor([4])]);
 * const [padded, lengths] = nn.utils.rnn.padPackedSequence(p, { batchFirst: true });
 * console.log(lengths.toArray()); // [ 3, 1 ]
 * console.log(padded);
 * // tensor([[1., 2., 3.],
 * //         [4., 0., 0.]])
 * ```
 */
export function padPackedSequence(
  sequence: PackedSequence,
  options: { batchFirst?: boolean; paddingValue?: number; totalLength?: number | null } = {},
): [padded: Tensor, lengths: Tensor] {
  const fn = 'padPackedSequence';
  if (!(sequence instanceof PackedSequence)) {
    throw new Error(`${fn}: expects a PackedSequence, got ${T.describeValue(sequence)}`);
  }
  const sizes = sequence.steps;
  const longest = sizes.length;
  const total = options.totalLength ?? longest;
  if (total < longest) {
    throw new Error(
      `${fn}: expected totalLength to be at least the length of the longest sequence in input, but got totalLength=${String(total)} and max sequence length being ${String(longest)}`,
    );
  }
  const batch = sizes[0] ?? 0;
  const data = sequence.data;
  const rows = data.shape[0];
  // Each padded position (t, b), time-major, reads a packed row or the padding row (index `rows`).
  const index: number[] = [];
  let offset = 0;
  const lengths = new Array<number>(batch).fill(0);
  const starts = sizes.map((s) => ((offset += s), offset - s));
  for (let t = 0; t < total; t++) {
    for (let b = 0; b < batch; b++) {
      const inside = t < longest && b < sizes[t];
      index.push(inside ? starts[t] + b : rows);
      if (inside) lengths[b] = t + 1;
    }
  }
  const pad = full([1, ...data.shape.slice(1)], options.paddingValue ?? 0, { dtype: data.dtype });
  let padded = cat([data, pad], 0)
    .indexSelect(0, int32(index))
    .reshape([total, batch, ...data.shape.slice(1)]);
  let lens = lengths;
  const unsorted = sequence.unsortedIndices;
  if (unsorted) {
    padded = padded.indexSelect(1, unsorted);
    lens = Array.from(unsorted.data).map((i) => lengths[i]);
  }
  if (options.batchFirst) padded = padded.transpose(0, 1);
  return [padded, int32(lens)];
}

/**
 * Pads a list of sequences `(L_i, *)` to the longest into `(max L, B, *)`
 * (`batchFirst`: `(B, max L, *)`) with `paddingValue`. Matches
 * `torch.nn.utils.rnn.pad_sequence`.
 *
 * @param sequences - The sequences, all with the same trailing shape and dtype.
 * @param options - `batchFirst` (default false), `paddingValue` (default 0).
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * console.log(nn.utils.rnn.padSequence([tensor([1, 2]), tensor([3])], { batchFirst: true }));
 * // tensor([[1., 2.],
 * //         [3., 0.]])
 * ```
 */
export function padSequence(
  sequences: readonly Tensor[],
  options: { batchFirst?: boolean; paddingValue?: number } = {},
): Tensor {
  const fn = 'padSequence';
  if (!Array.isArray(sequences) || sequences.length === 0 || !sequences.every(T.isTensor)) {
    throw new Error(`${fn}: expects a non-empty array of Tensors`);
  }
  const first = sequences[0];
  const trailing = first.shape.slice(1);
  const longest = Math.max(...sequences.map((s) => s.shape[0]));
  const padded = sequences.map((s, i) => {
    if (
      s.ndim < 1 ||
      s.dtype !== first.dtype ||
      formatShape(s.shape.slice(1)) !== formatShape(trailing)
    ) {
      throw new Error(
        `${fn}: sequence ${String(i)} has shape ${formatShape(s.shape)} and dtype ${s.dtype}; every sequence must be (L, ${trailing.join(', ')}) ${first.dtype}`,
      );
    }
    const missing = longest - s.shape[0];
    if (missing === 0) return s;
    const pad = full([missing, ...trailing], options.paddingValue ?? 0, { dtype: s.dtype });
    return cat([s, pad], 0);
  });
  return stack(padded, options.batchFirst ? 0 : 1);
}

/**
 * Packs a list of sequences `(L_i, *)`: {@link padSequence}, then
 * {@link packPaddedSequence} with their lengths. Matches
 * `torch.nn.utils.rnn.pack_sequence(sequences, enforce_sorted=True)`.
 *
 * @param sequences - The sequences, longest first unless `enforceSorted` is false.
 * @param options - `enforceSorted` (default true).
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * const p = nn.utils.rnn.packSequence([tensor([1]), tensor([2, 3])], { enforceSorted: false });
 * console.log(p.data, p.batchSizes.toArray()); // tensor([2., 1., 3.]) [ 2, 1 ]
 * ```
 */
export function packSequence(
  sequences: readonly Tensor[],
  options: { enforceSorted?: boolean } = {},
): PackedSequence {
  const padded = padSequence(sequences);
  return packPaddedSequence(
    padded,
    sequences.map((s) => s.shape[0]),
    { enforceSorted: options.enforceSorted ?? true },
  );
}
