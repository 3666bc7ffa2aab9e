/**
 * PyTorch's map-style data pipeline, `torch.utils.data`: `TensorDataset`,
 * `SequentialSampler`, `RandomSampler`, `BatchSampler` and `DataLoader`, in a
 * single process. The random order is drawn as PyTorch 1.13 draws it — each
 * epoch, the loader's iterator takes a 64-bit "base seed" (unused without
 * workers, but drawn), then `RandomSampler` seeds a fresh generator from the
 * global one (or uses the loader's) and takes a `randperm` — so after the
 * same `manualSeed` the batches come in PyTorch's order.
 */
import { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import { Generator, defaultGenerator, generatorType } from '../tensor/random.js';
import { fillInteger, fillPermutation } from '../tensor/sampling.js';
import { stack } from '../ops/shape-ops.js';
import { bindArgs, type Param, type Signature } from '../signature/bind.js';
import * as T from '../signature/types.js';

/**
 * A map-style dataset: `length` samples, sample `i` from `get(i)` (PyTorch's
 * `__len__` and `__getitem__`), or simply an array of samples.
 */
export type Dataset<S> =
  | {
      /** The number of samples. */
      readonly length: number;
      /** Sample `index`, for `index` in [0, length). */
      get(index: number): S;
    }
  | readonly S[];

function sizeOf(d: Dataset<unknown>): number {
  return d.length;
}

function item<S>(d: Dataset<S>, i: number): S {
  return Array.isArray(d) ? (d as readonly S[])[i] : (d as { get(i: number): S }).get(i);
}

const datasetType: T.ParamType = {
  ts: 'Dataset<S>',
  py: 'Dataset',
  validate: (v) =>
    Array.isArray(v) ||
    (typeof v === 'object' &&
      v !== null &&
      typeof (v as { get?: unknown }).get === 'function' &&
      Number.isSafeInteger((v as { length?: unknown }).length))
      ? null
      : 'an array or an object with length and get(index)',
};

const generatorParam: Param = {
  name: 'generator',
  type: generatorType,
  default: null,
  doc: 'the random source (default: a generator seeded from the global one each epoch)',
};

/**
 * Tensors sharing their first dimension; sample `i` is `[t[i] for each t]`.
 * Matches `torch.utils.data.TensorDataset`.
 * @example
 * ```ts
 * import { data, arange } from 'nnkit';
 * const ds = new data.TensorDataset(arange(6).reshape(3, 2), arange(3));
 * console.log(ds.length, ds.get(1)); // 3 [ tensor([2, 3], dtype=torch.int32), tensor(1, dtype=torch.int32) ]
 * ```
 */
export class TensorDataset {
  /** The tensors, in the order given. */
  readonly tensors: readonly Tensor[];

  /**
   * Creates the dataset from tensors of at least one dimension that share their first.
   *
   * @param tensors - The tensors, by position (e.g. inputs, then targets); sample `i` holds row
   *   `i` of each.
   */
  constructor(...tensors: Tensor[]) {
    tensors.forEach((t, i) => {
      if (!T.isTensor(t)) {
        throw new Error(`TensorDataset: tensors[${i}] must be a Tensor, got ${T.describeValue(t)}`);
      }
      if (t.ndim === 0) throw new Error(`TensorDataset: tensors[${i}] is 0-d; it has no samples`);
    });
    const n = tensors.length ? tensors[0].shape[0] : 0;
    if (tensors.some((t) => t.shape[0] !== n)) {
      throw new Error(
        `TensorDataset: size mismatch between tensors (first dimensions ${tensors.map((t) => t.shape[0]).join(', ')})`,
      );
    }
    this.tensors = tensors;
  }

  /** The number of samples (the tensors' first dimension). */
  get length(): number {
    return this.tensors.length ? this.tensors[0].shape[0] : 0;
  }

  /** Sample `index`: each tensor's row `index`. */
  get(index: number): Tensor[] {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new Error(`TensorDataset: index ${index} is out of range for ${this.length} samples`);
    }
    return this.tensors.map((t) => t.narrow(0, index, 1).squeeze(0));
  }
}

/**
 * Indices `0 … n − 1` in order. Matches `torch.utils.data.SequentialSampler`.
 * @example
 * ```ts
 * import { data } from 'nnkit';
 * console.log([...new data.SequentialSampler([5, 6, 7])]); // [ 0, 1, 2 ]
 * ```
 */
export class SequentialSampler implements Iterable<number> {
  private readonly n: number;
  /**
   * Creates the sampler over a dataset's indices.
   *
   * @param dataSource - The dataset (PyTorch's `data_source`): an array, or an object with
   *   `length` and `get(index)`; only its length is used.
   */
  constructor(dataSource: Dataset<unknown>) {
    const b = bindArgs(
      {
        name: 'SequentialSampler',
        params: [{ name: 'dataSource', type: datasetType, doc: 'the dataset' }],
      },
      [dataSource],
    );
    this.n = sizeOf(b.dataSource as Dataset<unknown>);
  }
  /** The number of indices per epoch. */
  get length(): number {
    return this.n;
  }
  /** The indices `0 … n − 1`. */
  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.n; i++) yield i;
  }
}

const RANDOM_SAMPLER: Signature = {
  name: 'RandomSampler',
  params: [
    { name: 'dataSource', type: datasetType, doc: 'the dataset' },
    { name: 'replacement', type: T.bool, default: false, doc: 'draw with replacement' },
    {
      name: 'numSamples',
      type: T.optional(T.int({ min: 1 })),
      default: null,
      doc: 'samples per epoch (default: the dataset size)',
    },
    generatorParam,
  ],
};

/** Options of {@link RandomSampler}. */
export interface RandomSamplerOptions {
  /** Draw with replacement (default false). */
  replacement?: boolean;
  /** Samples per epoch (default: the dataset's size). */
  numSamples?: number | null;
  /** The random source (default: a fresh generator seeded from the global one each epoch). */
  generator?: Generator | null;
}

/**
 * Indices in random order, each epoch a new one: without a generator, every
 * epoch seeds a fresh `Generator` from a 64-bit draw of the global one, then
 * takes `randperm(n)` (or, with replacement, `randint(n)` in chunks of 32),
 * as PyTorch does — the same seed, the same order.
 * Matches `torch.utils.data.RandomSampler`.
 * @example
 * ```ts
 * import { data, manualSeed } from 'nnkit';
 * manualSeed(0);
 * console.log([...new data.RandomSampler([0, 0, 0, 0, 0])]); // [ 1, 3, 4, 2, 0 ]
 * ```
 */
export class RandomSampler implements Iterable<number> {
  private readonly n: number;
  private readonly replacement: boolean;
  private readonly count: number;
  private readonly generator: Generator | null;

  /**
   * Creates the sampler over a dataset's indices; see {@link RandomSamplerOptions} for each option.
   *
   * @param dataSource - The dataset (PyTorch's `data_source`): an array, or an object with
   *   `length` and `get(index)`; only its length is used.
   * @param options - By name: `replacement`, `numSamples`, `generator`.
   */
  constructor(dataSource: Dataset<unknown>, options?: RandomSamplerOptions);
  /**
   * Creates the sampler over a dataset's indices.
   *
   * @param dataSource - The dataset (PyTorch's `data_source`): an array, or an object with
   *   `length` and `get(index)`; only its length is used.
   * @param replacement - Draw with replacement. Default `false`.
   * @param numSamples - Indices per epoch, a positive integer (PyTorch's `num_samples`).
   *   Default `null`: the dataset's size.
   */
  constructor(dataSource: Dataset<unknown>, replacement?: boolean, numSamples?: number | null);
  constructor(...args: unknown[]) {
    const b = bindArgs(RANDOM_SAMPLER, args);
    this.n = sizeOf(b.dataSource as Dataset<unknown>);
    this.replacement = b.replacement as boolean;
    this.count = (b.numSamples as number | null) ?? this.n;
    this.generator = b.generator as Generator | null;
    if (this.count === 0) {
      throw new Error(
        'RandomSampler: numSamples should be a positive integer, but got numSamples=0 (an empty dataset)',
      );
    }
  }

  /** The number of indices per epoch (`numSamples`). */
  get length(): number {
    return this.count;
  }

  /** One epoch's indices, drawn when iteration starts. */
  *[Symbol.iterator](): Iterator<number> {
    const n = this.n;
    const g = this.generator ?? new Generator(int64Seed(defaultGenerator));
    if (this.replacement) {
      const chunk = new Int32Array(32);
      for (let done = 0; done < this.count; done += 32) {
        const part = chunk.subarray(0, Math.min(32, this.count - done));
        fillInteger(part, 0, n, g);
        yield* part;
      }
      return;
    }
    // As PyTorch's generator function: the whole permutations, then one more for the
    // remainder — drawn even when the remainder is 0, once the consumer asks past the end.
    const perm = new Int32Array(n);
    for (let k = 0; k < Math.floor(this.count / n); k++) {
      fillPermutation(perm, g);
      yield* perm;
    }
    fillPermutation(perm, g);
    yield* perm.subarray(0, this.count % n);
  }
}

/**
 * `torch.empty((), dtype=torch.int64).random_(generator)`: a 64-bit word
 * (two draws, the first high) below 2^63 — of which only the low 32 bits
 * seed an MT19937, so the high word is drawn and dropped.
 */
function int64Seed(g: Generator): number {
  g.nextUint32();
  return g.nextUint32();
}

const iterableType: T.ParamType = {
  ts: 'Iterable<number>',
  py: 'Iterable[int]',
  validate: (v) =>
    typeof v === 'object' && v !== null && Symbol.iterator in v ? null : 'an iterable of indices',
};

const BATCH_SAMPLER: Signature = {
  name: 'BatchSampler',
  params: [
    { name: 'sampler', type: iterableType, doc: 'indices' },
    { name: 'batchSize', type: T.int({ min: 1 }), doc: 'indices per batch' },
    { name: 'dropLast', type: T.bool, doc: 'drop a last, incomplete batch' },
  ],
};

/**
 * Groups a sampler's indices into batches of `batchSize` (the last one
 * shorter, or dropped with `dropLast`). Matches `torch.utils.data.BatchSampler`.
 * @example
 * ```ts
 * import { data } from 'nnkit';
 * const s = new data.SequentialSampler([1, 2, 3, 4, 5]);
 * console.log([...new data.BatchSampler(s, 2, false)]); // [ [ 0, 1 ], [ 2, 3 ], [ 4 ] ]
 * ```
 */
export class BatchSampler implements Iterable<number[]> {
  private readonly sampler: Iterable<number> & { length?: number };
  private readonly batchSize: number;
  private readonly dropLast: boolean;

  /**
   * Creates the batch sampler over `sampler`'s indices.
   *
   * @param sampler - The indices, e.g. a `SequentialSampler` or `RandomSampler` (any iterable of
   *   numbers; `length` is needed only for the batch sampler's `length`).
   * @param batchSize - Indices per batch, a positive integer (PyTorch's `batch_size`).
   * @param dropLast - Drop a last, incomplete batch (PyTorch's `drop_last`).
   */
  constructor(sampler: Iterable<number>, batchSize: number, dropLast: boolean);
  constructor(...args: unknown[]) {
    const b = bindArgs(BATCH_SAMPLER, args);
    this.sampler = b.sampler as Iterable<number> & { length?: number };
    this.batchSize = b.batchSize as number;
    this.dropLast = b.dropLast as boolean;
  }

  /** The number of batches (needs the sampler's `length`). */
  get length(): number {
    const n = this.sampler.length;
    if (typeof n !== 'number') throw new Error('BatchSampler: the sampler has no length');
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The batches of one pass over the sampler. */
  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const i of this.sampler) {
      batch.push(i);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
}

/** A batch as `collate` makes it from samples of one structure. */
export type Batch = Tensor | Batch[] | { [key: string]: Batch };

/**
 * The batch `defaultCollate` makes of samples of type `S`: tensors and
 * numbers become one tensor; arrays (tuples) and objects keep their
 * structure, each position or key collated.
 */
export type Collated<S> = S extends Tensor | number
  ? Tensor
  : S extends readonly unknown[]
    ? { -readonly [K in keyof S]: Collated<S[K]> }
    : S extends object
      ? { [K in keyof S]: Collated<S[K]> }
      : never;

/**
 * PyTorch's `default_collate`, for nnkit's values: tensors are stacked along
 * a new first dimension; numbers become a tensor (int32 when all are
 * integers — JavaScript cannot tell PyTorch's `int` from `float` — else
 * float64, as PyTorch makes Python floats); arrays (tuples) and plain
 * objects (dicts) are collated position by position, key by key.
 *
 * @param samples - The batch's samples, all of one structure (tensors of one shape, numbers,
 *   arrays of equal length, or objects with the same keys); not empty.
 */
export function defaultCollate(samples: readonly unknown[]): Batch {
  const first = samples[0];
  if (T.isTensor(first)) return stack(samples as Tensor[], 0);
  if (typeof first === 'number') {
    const values = samples as number[];
    return tensor(values, { dtype: values.every(Number.isInteger) ? 'int32' : 'float64' });
  }
  if (Array.isArray(first)) {
    if (samples.some((s) => !Array.isArray(s) || s.length !== first.length)) {
      throw new Error('defaultCollate: each element in the batch should be of equal size');
    }
    return first.map((_, k) => defaultCollate(samples.map((s) => (s as unknown[])[k])));
  }
  if (typeof first === 'object' && first !== null) {
    const out: { [key: string]: Batch } = {};
    for (const key of Object.keys(first)) {
      out[key] = defaultCollate(samples.map((s) => (s as Record<string, unknown>)[key]));
    }
    return out;
  }
  throw new Error(
    `defaultCollate: a batch must contain tensors, numbers, arrays or objects; found ${T.describeValue(first)}`,
  );
}

const LOADER: Signature = {
  name: 'DataLoader',
  params: [
    { name: 'dataset', type: datasetType, doc: 'the samples' },
    {
      name: 'batchSize',
      type: T.optional(T.int({ min: 1 })),
      default: 1,
      doc: 'samples per batch',
    },
    {
      name: 'shuffle',
      type: T.optional(T.bool),
      default: null,
      doc: 'a new random order each epoch',
    },
    { name: 'sampler', type: T.optional(iterableType), default: null, doc: 'the order of indices' },
    {
      name: 'batchSampler',
      type: T.optional({ ...iterableType, ts: 'Iterable<ArrayLike<number>>', py: 'Sampler' }),
      default: null,
      doc: 'batches of indices (exclusive with batchSize, shuffle, sampler, dropLast)',
    },
    {
      name: 'numWorkers',
      type: T.int({ min: 0, max: 0 }),
      default: 0,
      doc: '0: nnkit loads in-process',
    },
    {
      name: 'collateFn',
      type: T.optional(T.fn<(samples: unknown[]) => unknown>('(samples: S[]) => B')),
      default: null,
      doc: 'makes a batch from samples (default: defaultCollate)',
    },
    { name: 'pinMemory', type: T.bool, default: false, doc: 'ignored (no devices)' },
    { name: 'dropLast', type: T.bool, default: false, doc: 'drop a last, incomplete batch' },
    { ...generatorParam, doc: 'the random source of shuffling' },
  ],
};

/** Options of {@link DataLoader}. */
export interface DataLoaderOptions<S, B> {
  /** Samples per batch (default 1). */
  batchSize?: number | null;
  /** A new random order each epoch (default false). */
  shuffle?: boolean | null;
  /** The order of indices (exclusive with `shuffle`). */
  sampler?: Iterable<number> | null;
  /** Batches of indices, e.g. a `data.BalancedBatchSampler` (exclusive with batchSize, shuffle, sampler, dropLast). */
  batchSampler?: Iterable<ArrayLike<number>> | null;
  /** Worker processes: only 0 (nnkit loads in-process). */
  numWorkers?: number;
  /** Makes a batch from samples (default {@link defaultCollate}). */
  collateFn?: ((samples: S[]) => B) | null;
  /** Accepted and ignored, as on a CPU-only PyTorch. */
  pinMemory?: boolean;
  /** Drop a last, incomplete batch (default false). */
  dropLast?: boolean;
  /** The random source of shuffling (default: the global generator). */
  generator?: Generator | null;
}

/**
 * Batches of a dataset, epoch after epoch (iterate it once per epoch):
 * `for (const [x, y] of loader)`. With `shuffle`, a `RandomSampler` orders
 * each epoch; each epoch's iterator first draws PyTorch's 64-bit base seed
 * (from `generator`, or the global generator), so after the same
 * `manualSeed` the batches are PyTorch's. A `TensorDataset` is batched by
 * `indexSelect` on each tensor (one copy per batch), other datasets by
 * `collateFn`. Single-process: `numWorkers` must be 0. The batch type
 * follows the samples' ({@link Collated}: `Tensor[]` for a `TensorDataset`);
 * with a `collateFn` of your own, name it: `new data.DataLoader<Sample,
 * MyBatch>(...)`.
 *
 * Matches `torch.utils.data.DataLoader`.
 * @example
 * ```ts
 * import { arange, data, manualSeed } from 'nnkit';
 * manualSeed(0);
 * const ds = new data.TensorDataset(arange(10).float().unsqueeze(1), arange(10));
 * const loader = new data.DataLoader(ds, 4, true);
 * for (const [, y] of loader) console.log(y);
 * // tensor([6, 7, 1, 4], dtype=torch.int32)
 * // tensor([2, 0, 9, 8], dtype=torch.int32)
 * // tensor([3, 5], dtype=torch.int32)
 * ```
 */
export class DataLoader<S = unknown, B = Collated<S>> implements Iterable<B> {
  /** The samples. */
  readonly dataset: Dataset<S>;
  /** Samples per batch, or null with a `batchSampler`. */
  readonly batchSize: number | null;
  /** Whether a last, incomplete batch is dropped. */
  readonly dropLast: boolean;
  private readonly batches: Iterable<ArrayLike<number>> & { length?: number };
  private readonly collate: ((samples: S[]) => B) | null;
  private readonly generator: Generator | null;

  /**
   * Creates the loader over `dataset`; see {@link DataLoaderOptions} for each option.
   *
   * @param dataset - The samples: a `TensorDataset`, an array, or an object with `length` and
   *   `get(index)`.
   * @param options - By name: `batchSize`, `shuffle`, `sampler`, `batchSampler`, `numWorkers`,
   *   `collateFn`, `pinMemory`, `dropLast`, `generator`.
   */
  constructor(dataset: Dataset<S>, options?: DataLoaderOptions<S, B>);
  /**
   * Creates the loader over `dataset`; see {@link DataLoaderOptions} for each option.
   *
   * @param dataset - The samples: a `TensorDataset`, an array, or an object with `length` and
   *   `get(index)`.
   * @param batchSize - Samples per batch, a positive integer (PyTorch's `batch_size`; `null`,
   *   no automatic batching, is not supported). Default `1`.
   * @param shuffle - A new random order each epoch. Default `false`.
   * @param options - By name: `sampler`, `batchSampler`, `numWorkers`, `collateFn`,
   *   `pinMemory`, `dropLast`, `generator`.
   */
  constructor(
    dataset: Dataset<S>,
    batchSize?: number | null,
    shuffle?: boolean | null,
    options?: DataLoaderOptions<S, B>,
  );
  constructor(...args: unknown[]) {
    const b = bindArgs(LOADER, args);
    this.dataset = b.dataset as Dataset<S>;
    this.generator = b.generator as Generator | null;
    this.collate = b.collateFn as ((samples: S[]) => B) | null;
    const shuffle = (b.shuffle as boolean | null) ?? false;
    const sampler = b.sampler as Iterable<number> | null;
    const batchSampler = b.batchSampler as Iterable<ArrayLike<number>> | null;
    if (batchSampler !== null) {
      if (b.batchSize !== 1 || shuffle || sampler !== null || b.dropLast) {
        throw new Error(
          'DataLoader: batchSampler option is mutually exclusive with batchSize, shuffle, sampler, and dropLast',
        );
      }
      this.batches = batchSampler;
      this.batchSize = null;
      this.dropLast = false;
      return;
    }
    if (sampler !== null && shuffle) {
      throw new Error('DataLoader: sampler option is mutually exclusive with shuffle');
    }
    const order =
      sampler ??
      (shuffle
        ? new RandomSampler(this.dataset, { generator: this.generator })
        : new SequentialSampler(this.dataset));
    const size = b.batchSize as number | null;
    if (size === null) {
      throw new Error('DataLoader: batchSize null (no automatic batching) is not supported');
    }
    this.batchSize = size;
    this.dropLast = b.dropLast as boolean;
    this.batches = new BatchSampler(order, size, this.dropLast);
  }

  /** The number of batches per epoch. */
  get length(): number {
    const n = this.batches.length;
    if (typeof n !== 'number') throw new Error('DataLoader: the batch sampler has no length');
    return n;
  }

  /** One epoch's batches. */
  *[Symbol.iterator](): Iterator<B> {
    // The iterator's base seed (for workers in PyTorch): drawn, as PyTorch draws it, so that
    // the random order that follows comes from the same point of the stream.
    int64Seed(this.generator ?? defaultGenerator);
    for (const indices of this.batches) yield this.fetch(indices);
  }

  private fetch(indices: ArrayLike<number>): B {
    const n = sizeOf(this.dataset);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      if (!Number.isInteger(i) || i < 0 || i >= n) {
        throw new Error(`DataLoader: index ${i} from the sampler is out of range for ${n} samples`);
      }
    }
    if (this.collate === null && this.dataset instanceof TensorDataset) {
      const index = tensor(Array.from(indices), { dtype: 'int32' });
      return this.dataset.tensors.map((t) => t.indexSelect(0, index)) as unknown as B;
    }
    const samples = Array.from(indices, (i) => item(this.dataset, i));
    return (this.collate ?? (defaultCollate as unknown as (s: S[]) => B))(samples);
  }
}

/**
 * The samples of `dataset` at `indices`, in that order. Matches
 * `torch.utils.data.Subset`.
 * @example
 * ```ts
 * import { data } from 'nnkit';
 * const s = new data.Subset(['a', 'b', 'c', 'd'], [3, 1]);
 * console.log(s.length, s.get(0)); // 2 d
 * ```
 */
export class Subset<S> {
  /** The whole dataset. */
  readonly dataset: Dataset<S>;
  /** The positions in it, in this subset's order. */
  readonly indices: readonly number[];

  /**
   * Creates the subset view of `dataset` (no samples are copied).
   *
   * @param dataset - The whole dataset: an array, or an object with `length` and `get(index)`.
   * @param indices - Positions in it, in the subset's order (integers in [−n, n); a negative one
   *   counts from the end).
   */
  constructor(dataset: Dataset<S>, indices: ArrayLike<number>) {
    const b = bindArgs(
      {
        name: 'Subset',
        params: [
          { name: 'dataset', type: datasetType, doc: 'the whole dataset' },
          { name: 'indices', type: iterableType, doc: 'positions in it' },
        ],
      },
      [dataset, indices],
    );
    this.dataset = b.dataset as Dataset<S>;
    const n = sizeOf(this.dataset);
    this.indices = Array.from(indices);
    this.indices.forEach((i, k) => {
      if (!Number.isInteger(i) || i < -n || i >= n) {
        throw new Error(`Subset: indices[${k}] = ${i} is out of range for ${n} samples`);
      }
    });
  }

  /** The number of samples in the subset. */
  get length(): number {
    return this.indices.length;
  }

  /** Sample `index` of the subset (a negative index counts from the end of the dataset, as in Python). */
  get(index: number): S {
    const i = this.indices[index];
    if (i === undefined) {
      throw new Error(`Subset: index ${index} is out of range for ${this.indices.length} samples`);
    }
    return item(this.dataset, i < 0 ? i + sizeOf(this.dataset) : i);
  }
}

const lengthsType: T.ParamType = {
  ts: 'readonly number[]',
  py: 'Sequence[Union[int, float]]',
  validate: (v) =>
    Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x))
      ? null
      : 'a non-empty array of sizes or fractions',
};

const RANDOM_SPLIT: Signature = {
  name: 'randomSplit',
  params: [
    { name: 'dataset', type: datasetType, doc: 'the dataset to split' },
    { name: 'lengths', type: lengthsType, doc: 'sizes, or fractions summing to 1' },
    { ...generatorParam, doc: 'the random source (default: the global generator)' },
  ],
};

/**
 * Splits a dataset into non-overlapping random subsets of the given
 * `lengths` — sizes summing to the dataset's, or fractions summing to 1
 * (floored, the remainder handed out one by one from the first) — from one
 * `randperm` of the generator (default: the global one), as PyTorch 1.13
 * does: after the same seed, the same split.
 * Matches `torch.utils.data.random_split`.
 * @example
 * ```ts
 * import { data, manualSeed } from 'nnkit';
 * manualSeed(0);
 * const [train, test] = data.randomSplit([0, 1, 2, 3, 4], [0.6, 0.4]);
 * console.log(train.indices, test.indices); // [ 4, 0, 1 ] [ 3, 2 ]
 * ```
 * @param dataset - The dataset to split: an array, or an object with `length` and `get(index)`.
 * @param lengths - The subsets' sizes (non-negative integers summing to the dataset's length),
 *   or fractions summing to 1.
 * @param generator - The random source of the permutation. Default `null`: the global
 *   generator.
 */
export function randomSplit<S>(
  dataset: Dataset<S>,
  lengths: readonly number[],
  generator?: Generator | null,
): Subset<S>[];
export function randomSplit<S>(...args: unknown[]): Subset<S>[] {
  const fn = 'randomSplit';
  const b = bindArgs(RANDOM_SPLIT, args);
  const dataset = b.dataset as Dataset<S>;
  const n = sizeOf(dataset);
  let lengths = [...(b.lengths as number[])];
  const total = lengths.reduce((a, v) => a + v, 0);
  if (Math.abs(total - 1) <= 1e-9 * Math.max(1, Math.abs(total)) && total <= 1) {
    // Fractions (Python's math.isclose(sum, 1) and sum <= 1).
    lengths = lengths.map((f, i) => {
      if (f < 0 || f > 1)
        throw new Error(`${fn}: fraction at index ${i} (${f}) is not between 0 and 1`);
      return Math.floor(n * f);
    });
    const remainder = n - lengths.reduce((a, v) => a + v, 0);
    for (let i = 0; i < remainder; i++) lengths[i % lengths.length] += 1;
  }
  lengths.forEach((l, i) => {
    if (!Number.isInteger(l) || l < 0) {
      throw new Error(
        `${fn}: lengths[${i}] must be a non-negative integer or a fraction, got ${l}`,
      );
    }
  });
  if (lengths.reduce((a, v) => a + v, 0) !== n) {
    throw new Error(
      `${fn}: sum of input lengths (${lengths.join(' + ')}) does not equal the length of the input dataset (${n})`,
    );
  }
  const perm = new Int32Array(n);
  fillPermutation(perm, (b.generator as Generator | null) ?? defaultGenerator);
  let offset = 0;
  return lengths.map((l) => new Subset(dataset, perm.subarray(offset, (offset += l))));
}
