/**
 * Minibatch samplers: the lecture's class-equalising sampler and the
 * natural-frequency sampler that goes with it. Samplers yield `Int32Array`s
 * of dataset indices; pass them to `Tensor.indexSelect(0, tensor(batch))` or
 * use them to index your own arrays.
 */
import { Tensor } from '../tensor/tensor.js';
import { Generator, defaultGenerator, generatorType } from '../tensor/random.js';
import { bindArgs, type Param } from '../signature/bind.js';
import * as T from '../signature/types.js';

/** Class labels: an int32 tensor of shape `(N)` or an array (or typed array) of integers. */
export type Labels = Tensor | ArrayLike<number>;

/** The most samples one minibatch may hold (2^24 indices, 64 MB). */
const MAX_BATCH = 2 ** 24;

const labelsType: T.ParamType<Labels> = {
  ts: 'Tensor | ArrayLike<number>',
  py: 'Sequence[int]',
  validate: (v) =>
    T.isTensor(v) || Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))
      ? null
      : 'an int32 tensor or an array of integers',
};

/**
 * Class labels as an array: class indices, as PyTorch's targets are —
 * integers in [0, 2^31), from a 1-D int32 tensor or an array. Float
 * tensors, fractions, negative or NaN labels are refused.
 */
function labelArray(labels: Labels, fn: string): ArrayLike<number> {
  if (labels instanceof Tensor) {
    if (labels.dtype !== 'int32') {
      throw new Error(
        `${fn}: labels must be an int32 tensor of class indices, got ${labels.dtype}`,
      );
    }
    if (labels.ndim !== 1) {
      throw new Error(`${fn}: labels must be 1-D, got shape [${labels.shape.join(', ')}]`);
    }
  }
  const arr = labels instanceof Tensor ? labels.data : labels;
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new Error(`${fn}: label ${T.describeValue(v)} at index ${i} is not an integer`);
    }
    if (v < 0 || v > 2 ** 31 - 1) {
      throw new Error(
        `${fn}: label ${v} at index ${i} is not a class index (an integer in [0, 2^31))`,
      );
    }
  }
  return arr;
}

/** A generator of its own, seeded from the global one so `manualSeed` makes runs reproducible. */
function ownGenerator(g: Generator | undefined): Generator {
  return g ?? new Generator(defaultGenerator.nextUint32());
}

/** Fisher–Yates shuffle of `a` in place. */
function shuffleInPlace(a: Int32Array, g: Generator): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = g.integer(0, i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/** One class's circular buffer: a permutation of its samples and a read position. */
class ClassBuffer {
  readonly order: Int32Array;
  private pos = 0;
  /** The epoch in which each local sample was last drawn (−1: never). */
  private readonly seenIn: Int32Array;

  constructor(
    readonly members: Int32Array,
    private readonly gen: Generator,
  ) {
    this.order = Int32Array.from(members.keys());
    this.seenIn = new Int32Array(members.length).fill(-1);
    shuffleInPlace(this.order, gen);
  }

  draw(epoch: number): number {
    if (this.pos === this.order.length) this.wrap(epoch);
    const local = this.order[this.pos++];
    this.seenIn[local] = epoch;
    return this.members[local];
  }

  /**
   * Reshuffles on wrap-around. Samples not yet drawn in the current epoch are
   * put first, so every epoch still covers every sample of every class even
   * when a wrap falls in the middle of one; the result is still a permutation,
   * so within each pass through the buffer no sample is left out or repeated.
   */
  private wrap(epoch: number): void {
    const unseen: number[] = [];
    const seen: number[] = [];
    for (let i = 0; i < this.order.length; i++) (this.seenIn[i] === epoch ? seen : unseen).push(i);
    const a = Int32Array.from(unseen);
    const b = Int32Array.from(seen);
    shuffleInPlace(a, this.gen);
    shuffleInPlace(b, this.gen);
    this.order.set(a, 0);
    this.order.set(b, a.length);
    this.pos = 0;
  }
}

const BALANCED_PARAMS: readonly Param[] = [
  { name: 'labels', type: labelsType, doc: 'class index of each sample' },
  {
    name: 'samplesPerClass',
    type: T.int({ min: 1 }),
    default: 1,
    kwOnly: true,
    doc: 'samples from each class per minibatch',
  },
  { name: 'generator', type: generatorType, default: null, kwOnly: true, doc: 'random source' },
];

const NATURAL_PARAMS: readonly Param[] = [
  {
    name: 'source',
    type: T.either(T.int({ min: 0, max: 2 ** 31 - 1 }), labelsType),
    doc: 'the number of samples, or their labels',
  },
  {
    name: 'batchSize',
    type: T.int({ min: 1 }),
    default: 32,
    kwOnly: true,
    doc: 'samples per minibatch',
  },
  {
    name: 'shuffle',
    type: T.bool,
    default: true,
    kwOnly: true,
    doc: 'a new random order each epoch',
  },
  {
    name: 'dropLast',
    type: T.bool,
    default: false,
    kwOnly: true,
    doc: 'drop the last, incomplete minibatch',
  },
  { name: 'generator', type: generatorType, default: null, kwOnly: true, doc: 'random source' },
];

/** Options of {@link BalancedBatchSampler}. */
export interface BalancedBatchSamplerOptions {
  /** Samples drawn from each class per minibatch (default 1); the batch size is this × the number of classes. */
  samplesPerClass?: number;
  /** Random source (default: a generator seeded from the global one, so `manualSeed` fixes it). */
  generator?: Generator;
}

/**
 * The lecture's class-equalising minibatch sampler. Each class has a
 * circular buffer holding a random permutation of its samples; every
 * minibatch takes `samplesPerClass` samples from each class's buffer. An
 * epoch has `ceil(N_max / samplesPerClass)` minibatches, where `N_max` is the
 * size of the largest class, so every sample of the largest class is used;
 * smaller classes wrap around. A buffer reshuffles whenever it wraps, and
 * the buffers persist across epochs, so no sample is ever left out: each
 * class's stream of draws is a concatenation of permutations of that class.
 * (Samples not yet drawn in the current epoch come first after a wrap, so
 * every epoch also covers every sample of every class.)
 *
 * Classes are the distinct label values present; batches list their samples
 * class by class, in ascending label order.
 *
 * @example
 * ```ts
 * import { data } from 'nnkit';
 * const labels = [0, 0, 0, 0, 0, 0, 1, 1, 2];
 * const sampler = new data.BalancedBatchSampler(labels, { samplesPerClass: 2 });
 * console.log(sampler.classSizes, sampler.batchesPerEpoch); // [ 6, 2, 1 ] 3
 * // every minibatch takes two samples of each class (the small ones wrap around):
 * for (const batch of sampler) console.log(Array.from(batch, (i) => labels[i]));
 * // [ 0, 0, 1, 1, 2, 2 ]
 * // [ 0, 0, 1, 1, 2, 2 ]
 * // [ 0, 0, 1, 1, 2, 2 ]
 * ```
 */
export class BalancedBatchSampler implements Iterable<Int32Array> {
  /** The distinct labels, ascending. */
  readonly classes: readonly number[];
  /** Number of samples of each class, in `classes` order. */
  readonly classSizes: readonly number[];
  /** Samples of each class in every minibatch. */
  readonly samplesPerClass: number;
  /** Samples per minibatch: `samplesPerClass × classes.length`. */
  readonly batchSize: number;
  /** Minibatches per epoch: `ceil(max(classSizes) / samplesPerClass)`. */
  readonly batchesPerEpoch: number;
  private readonly buffers: ClassBuffer[];
  private epochIndex = -1;

  /**
   * Creates the sampler, grouping the samples by label and shuffling each class's buffer.
   *
   * @param labels - The class index of each sample: a 1-D int32 tensor or an array (or typed
   *   array) of integers in [0, 2^31); not empty.
   * @param opts - By name: `samplesPerClass` (default 1), `generator` (default: seeded from the
   *   global one).
   */
  constructor(labels: Labels, opts: BalancedBatchSamplerOptions = {}) {
    const fn = 'BalancedBatchSampler';
    const a = bindArgs({ name: fn, params: BALANCED_PARAMS }, [labels, opts]);
    const arr = labelArray(labels, fn);
    if (arr.length === 0) throw new Error(`${fn}: labels must not be empty`);
    this.samplesPerClass = a.samplesPerClass as number;
    const byClass = new Map<number, number[]>();
    for (let i = 0; i < arr.length; i++) {
      const list = byClass.get(arr[i]) ?? [];
      list.push(i);
      byClass.set(arr[i], list);
    }
    this.classes = [...byClass.keys()].sort((x, y) => x - y);
    if (this.samplesPerClass * this.classes.length > MAX_BATCH) {
      throw new Error(
        `${fn}: samplesPerClass ${this.samplesPerClass} × ${this.classes.length} classes is a minibatch of more than 2^24 samples`,
      );
    }
    const gen = ownGenerator((a.generator as Generator | null) ?? undefined);
    this.buffers = this.classes.map(
      (c) => new ClassBuffer(Int32Array.from(byClass.get(c) ?? []), gen),
    );
    this.classSizes = this.buffers.map((b) => b.members.length);
    this.batchSize = this.samplesPerClass * this.classes.length;
    this.batchesPerEpoch = Math.ceil(Math.max(...this.classSizes) / this.samplesPerClass);
  }

  /** Epochs started so far. */
  get epochsStarted(): number {
    return this.epochIndex + 1;
  }

  /** Draws one balanced minibatch, continuing the current epoch. */
  private nextBatch(): Int32Array {
    const out = new Int32Array(this.batchSize);
    let k = 0;
    for (const b of this.buffers) {
      for (let j = 0; j < this.samplesPerClass; j++) out[k++] = b.draw(this.epochIndex);
    }
    return out;
  }

  /** The minibatches of the next epoch, as an array. */
  epoch(): Int32Array[] {
    return [...this];
  }

  /** Iterates the minibatches of the next epoch. */
  *[Symbol.iterator](): Iterator<Int32Array> {
    this.epochIndex += 1;
    for (let i = 0; i < this.batchesPerEpoch; i++) yield this.nextBatch();
  }
}

/** Options of {@link NaturalBatchSampler}. */
export interface NaturalBatchSamplerOptions {
  /** Samples per minibatch (default 32). */
  batchSize?: number;
  /** Draw a fresh random order each epoch (default true); otherwise sequential. */
  shuffle?: boolean;
  /** Drop the last, incomplete minibatch (default false). */
  dropLast?: boolean;
  /** Random source (default: a generator seeded from the global one). */
  generator?: Generator;
}

/**
 * Minibatches at the data's natural class frequencies: each epoch is a
 * random permutation of all `n` samples cut into minibatches, like
 * PyTorch's `DataLoader(shuffle=True)` (`RandomSampler` + `BatchSampler`).
 *
 * @example
 * ```ts
 * import { data } from 'nnkit';
 * const sampler = new data.NaturalBatchSampler(10, { batchSize: 4 });
 * const batches = sampler.epoch();
 * console.log(batches.map((b) => b.length)); // [ 4, 4, 2 ]
 * // one epoch is a permutation of all the samples:
 * console.log(batches.flatMap((b) => Array.from(b)).sort((a, b) => a - b));
 * // [
 * //   0, 1, 2, 3, 4,
 * //   5, 6, 7, 8, 9
 * // ]
 * ```
 */
export class NaturalBatchSampler implements Iterable<Int32Array> {
  /** The number of samples. */
  readonly size: number;
  /** Samples per minibatch (the last may be smaller unless `dropLast`). */
  readonly batchSize: number;
  /** Whether each epoch draws a fresh random order. */
  readonly shuffle: boolean;
  /** Whether the last, incomplete minibatch is dropped. */
  readonly dropLast: boolean;
  private readonly gen: Generator;

  /**
   * Creates the sampler over `source`'s samples.
   *
   * @param source - The number of samples, or their labels (only the count is used).
   * @param opts - By name: `batchSize` (default 32), `shuffle` (default true), `dropLast`
   *   (default false), `generator` (default: seeded from the global one).
   */
  constructor(source: number | Labels, opts: NaturalBatchSamplerOptions = {}) {
    const fn = 'NaturalBatchSampler';
    const a = bindArgs({ name: fn, params: NATURAL_PARAMS }, [source, opts]);
    this.size = typeof source === 'number' ? source : labelArray(source, fn).length;
    this.batchSize = a.batchSize as number;
    this.shuffle = a.shuffle as boolean;
    this.dropLast = a.dropLast as boolean;
    this.gen = ownGenerator((a.generator as Generator | null) ?? undefined);
  }

  /** Minibatches per epoch. */
  get batchesPerEpoch(): number {
    return this.dropLast
      ? Math.floor(this.size / this.batchSize)
      : Math.ceil(this.size / this.batchSize);
  }

  /** The minibatches of the next epoch, as an array. */
  epoch(): Int32Array[] {
    return [...this];
  }

  /** Iterates the minibatches of the next epoch. */
  *[Symbol.iterator](): Iterator<Int32Array> {
    const order = Int32Array.from({ length: this.size }, (_v, i) => i);
    if (this.shuffle) shuffleInPlace(order, this.gen);
    for (let b = 0; b < this.batchesPerEpoch; b++) {
      yield order.slice(b * this.batchSize, Math.min((b + 1) * this.batchSize, this.size));
    }
  }
}
