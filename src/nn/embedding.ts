/** The lookup table, `nn.Embedding`. */
import { Tensor } from '../tensor/tensor.js';
import { isFloating, type DType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { noGrad } from '../autograd/grad-mode.js';
import { embeddingImpl, type EmbeddingArgs } from '../functional/embedding.js';
import { Module, pyBool } from './module.js';
import { emptyParameter } from './linear.js';
import * as init from './init.js';
import { bindArgs, prefixError, type Param } from '../signature/bind.js';
import * as T from '../signature/types.js';
import { embedding } from '../registry/linear.js';

const NAME = 'Embedding';

/** `F.embedding`'s parameter `name`. */
function functionParam(name: string): Param {
  const p = embedding.params.find((q) => q.name === name);
  if (!p) throw new Error(`${NAME}: F.embedding has no parameter ${name}`);
  return p;
}

const PARAMS: readonly Param[] = [
  { name: 'numEmbeddings', type: T.int({ min: 0 }), doc: 'rows of the table' },
  { name: 'embeddingDim', type: T.int({ min: 0 }), doc: 'size of each row' },
  // F.embedding's options, declared once in the registry.
  ...['paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse'].map(functionParam),
  {
    name: '_weight',
    type: T.optional(T.tensor),
    default: null,
    doc: 'the table to use instead of drawing one (copied; no padding row zeroed)',
  },
  { name: 'dtype', type: T.floatDtype, default: 'float32', kwOnly: true, doc: 'parameter dtype' },
];

/** Options of {@link Embedding}. */
export interface EmbeddingOptions {
  /** A row that stays as it is (zero at first) and gets no gradient; negative counts from the end. */
  paddingIdx?: number | null;
  /** Rows looked up are renormalised in place to at most this `normType`-norm. */
  maxNorm?: number | null;
  /** p of the norm for `maxNorm` (default 2). */
  normType?: number;
  /** Scale each row's gradient by 1 / its count in the batch (default false). */
  scaleGradByFreq?: boolean;
  /** Sparse gradients: only false (nnkit has no sparse tensors). */
  sparse?: boolean;
  /**
   * PyTorch's `_weight`: a `(numEmbeddings, embeddingDim)` table used instead
   * of drawing one (its values, copied; the padding row is not zeroed).
   */
  _weight?: Tensor | null;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/**
 * A table of `numEmbeddings` vectors of size `embeddingDim`; `forward(input)`
 * looks up the rows named by an int32 `input` of any shape and returns
 * `(*input.shape, embeddingDim)`. The gradient accumulates into the rows
 * looked up (in the positions' order, as PyTorch's), none into
 * `paddingIdx`. Initialised as PyTorch's: `normal_(weight)`, then the
 * padding row zeroed — after the same `manualSeed`, PyTorch's table.
 *
 * Matches `torch.nn.Embedding`; `sparse: true` throws (no sparse tensors),
 * and `maxNorm` renormalises with nnkit's norm (PyTorch's float32 norm may
 * differ in the last bit).
 * @example
 * ```ts
 * import { manualSeed, nn, tensor } from 'nnkit';
 * manualSeed(0);
 * const emb = new nn.Embedding(27, 2); // makemore's C = torch.randn((27, 2))
 * console.log(emb.toString()); // Embedding(27, 2)
 * const x = emb.forward(tensor([[5, 13], [0, 0]], { dtype: 'int32' }));
 * console.log(x.shape); // [ 2, 2, 2 ]
 * ```
 */
export class Embedding extends Module {
  /** Rows of the table. */
  readonly numEmbeddings: number;
  /** Size of each row. */
  readonly embeddingDim: number;
  /** The padding row (normalised to be non-negative), or null. */
  readonly paddingIdx: number | null;
  /** The largest norm a looked-up row keeps, or null. */
  readonly maxNorm: number | null;
  /** p of the norm for `maxNorm`. */
  readonly normType: number;
  /** Whether a row's gradient is scaled by 1 / its count in the batch. */
  readonly scaleGradByFreq: boolean;

  /**
   * Creates the table, drawn from N(0, 1) as PyTorch draws it (unless `_weight` is given); see
   * {@link EmbeddingOptions}.
   *
   * @param numEmbeddings - Rows of the table. PyTorch's `num_embeddings`.
   * @param embeddingDim - Size of each row. PyTorch's `embedding_dim`.
   * @param options - By name: `paddingIdx`, `maxNorm`, `normType`, `scaleGradByFreq`, `sparse`,
   *   `_weight`, `dtype`.
   */
  constructor(numEmbeddings: number, embeddingDim: number, options?: EmbeddingOptions);
  /**
   * Creates the table with a padding row given by position; see {@link EmbeddingOptions}.
   *
   * @param numEmbeddings - Rows of the table. PyTorch's `num_embeddings`.
   * @param embeddingDim - Size of each row. PyTorch's `embedding_dim`.
   * @param paddingIdx - A row that stays as it is (zero at first) and gets no gradient; negative
   *   counts from the end. Default `null` (none). PyTorch's `padding_idx`.
   * @param options - By name: `maxNorm`, `normType`, `scaleGradByFreq`, `sparse`, `_weight`,
   *   `dtype`.
   */
  constructor(
    numEmbeddings: number,
    embeddingDim: number,
    paddingIdx?: number | null,
    options?: Omit<EmbeddingOptions, 'paddingIdx'>,
  );
  constructor(...args: unknown[]) {
    super();
    const a = bindArgs({ name: NAME, params: PARAMS }, args);
    const n = a.numEmbeddings as number;
    this.numEmbeddings = n;
    this.embeddingDim = a.embeddingDim as number;
    this.paddingIdx = checkPadding(a.paddingIdx as number | null, n);
    this.maxNorm = a.maxNorm as number | null;
    this.normType = a.normType as number;
    this.scaleGradByFreq = a.scaleGradByFreq as boolean;
    if (a.sparse === true) {
      throw new Error(`${NAME}: sparse gradients are not supported (nnkit has no sparse tensors)`);
    }
    const given = a._weight as Tensor | null;
    if (given) {
      // PyTorch's `_weight`: no draw, the padding row kept. PyTorch wraps the tensor itself in a
      // Parameter, which nnkit's leaves cannot alias; its values, copied, train the same.
      if (given.ndim !== 2 || given.shape[0] !== n || given.shape[1] !== this.embeddingDim) {
        throw new Error(
          `${NAME}: _weight of shape ${formatShape(given.shape)} does not match numEmbeddings and embeddingDim [${n}, ${this.embeddingDim}]`,
        );
      }
      this.registerParameter(
        'weight',
        given
          .detach()
          .to(a.dtype as DType)
          .clone(),
      );
      return;
    }
    try {
      const weight = emptyParameter([n, this.embeddingDim], a.dtype as DType);
      init.normal_(weight);
      this.registerParameter('weight', weight);
    } catch (e) {
      throw prefixError(e, NAME);
    }
    this.zeroPaddingRow();
  }

  /**
   * A table from given vectors, `(numEmbeddings, embeddingDim)` (copied; no
   * draw, and a `paddingIdx` row is kept as given); with `freeze` (default
   * true) the weight does not require grad. Matches
   * `torch.nn.Embedding.from_pretrained`.
   */
  static fromPretrained(
    embeddings: Tensor,
    options: { freeze?: boolean } & Omit<EmbeddingOptions, 'dtype'> = {},
  ): Embedding {
    if (!T.isTensor(embeddings) || embeddings.ndim !== 2 || !isFloating(embeddings.dtype)) {
      throw new Error(
        `Embedding.fromPretrained: embeddings must be a 2-D floating-point tensor, got ${T.isTensor(embeddings) ? `${embeddings.dtype} of shape ${formatShape(embeddings.shape)}` : T.describeValue(embeddings)}`,
      );
    }
    const { freeze = true, ...rest } = options;
    const [rows, cols] = embeddings.shape;
    const e = new Embedding(rows, cols, { ...rest, _weight: embeddings, dtype: embeddings.dtype });
    e.weight.requiresGrad_(!freeze);
    return e;
  }

  /** `(numEmbeddings, embeddingDim)`. */
  get weight(): Tensor {
    return this.param('weight');
  }

  private zeroPaddingRow(): void {
    if (this.paddingIdx === null) return;
    const w = this.weight;
    noGrad(() => w.narrow(0, this.paddingIdx!, 1).zero_());
  }

  /** The rows of `input` (int32, any shape): `(*input.shape, embeddingDim)` (see `F.embedding`). */
  forward(...args: [input: Tensor]): Tensor {
    if (args.length !== 1) {
      throw new Error(`${NAME}.forward: takes 1 argument (input) but ${args.length} were given`);
    }
    const a: EmbeddingArgs = {
      input: args[0],
      weight: this.weight,
      paddingIdx: this.paddingIdx,
      maxNorm: this.maxNorm,
      normType: this.normType,
      scaleGradByFreq: this.scaleGradByFreq,
      sparse: false,
    };
    return embeddingImpl(a, `${NAME}.forward`);
  }

  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    if (this.maxNorm !== null) s += `, max_norm=${pyFloat(this.maxNorm)}`;
    if (this.normType !== 2) s += `, norm_type=${pyFloat(this.normType)}`;
    if (this.scaleGradByFreq) s += `, scale_grad_by_freq=${pyBool(true)}`;
    return s;
  }
}

/** A Python float's repr for whole numbers (`1.0`). */
function pyFloat(v: number): string {
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

/** `paddingIdx` in [−n, n), made non-negative (PyTorch's check and normalisation). */
function checkPadding(p: number | null, n: number): number | null {
  if (p === null) return null;
  if (p >= n || p < -n) {
    throw new Error(`${NAME}: paddingIdx (${p}) must be within numEmbeddings (${n})`);
  }
  return p < 0 ? p + n : p;
}
