/**
 * PyTorch 1.13's transformer modules: `nn.TransformerEncoderLayer`,
 * `nn.TransformerDecoderLayer`, their stacks `nn.TransformerEncoder` and
 * `nn.TransformerDecoder`, and `nn.Transformer`. Built from
 * `nn.MultiheadAttention`, `nn.Linear`, `nn.LayerNorm` and `nn.Dropout` with
 * PyTorch's submodule names, so state dicts load both ways, and PyTorch's
 * order of random draws, so a seed gives PyTorch's weights and dropout masks.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { defaultGenerator } from '../tensor/random.js';
import { tensor } from '../tensor/creation.js';
import { noGrad } from '../autograd/grad-mode.js';
import { Module } from './module.js';
import { ModuleList } from './container.js';
import { Linear } from './linear.js';
import { MultiheadAttention } from './multihead-attention.js';
import { Dropout, LayerNorm } from './modules.generated.js';
import * as F from '../functional/index.js';
import * as init from './init.js';
import { bindArgs, prefixError, type Param } from '../signature/bind.js';
import * as T from '../signature/types.js';

/** A module used as the feed-forward activation (`new nn.GELU()`): anything with `forward`. */
export interface ActivationModule {
  /**
   * The activation applied to the feed-forward block's hidden features.
   *
   * @param x - The hidden features.
   */
  forward(x: Tensor): Tensor;
}

/** The feed-forward activation: PyTorch's `'relu'` or `'gelu'`, a function, or a module. */
export type TransformerActivation = 'relu' | 'gelu' | ((x: Tensor) => Tensor) | ActivationModule;

/** A module argument (a layer to copy, a final norm, a custom encoder). */
const MODULE: T.ParamType<Module> = {
  ts: 'Module',
  py: 'Module',
  validate: (v) => (v instanceof Module ? null : 'a module'),
};

const ACTIVATION: T.ParamType<TransformerActivation> = {
  ts: 'TransformerActivation',
  py: 'Union[str, Callable[[Tensor], Tensor]]',
  validate: (v) =>
    v === 'relu' ||
    v === 'gelu' ||
    typeof v === 'function' ||
    (v instanceof Module && typeof (v as { forward?: unknown }).forward === 'function')
      ? null
      : "'relu', 'gelu', a function or a module",
};

/** The parameters both layers share, in PyTorch's positional order. */
const LAYER_PARAMS: readonly Param[] = [
  { name: 'dModel', type: T.int({ min: 1 }), doc: 'features of every position' },
  { name: 'nhead', type: T.int({ min: 1 }), doc: 'attention heads' },
  { name: 'dimFeedforward', type: T.int({ min: 1 }), default: 2048, doc: 'hidden features' },
  { name: 'dropout', type: T.number({ min: 0, max: 1 }), default: 0.1, doc: 'dropout probability' },
  { name: 'activation', type: ACTIVATION, default: 'relu', doc: 'the feed-forward activation' },
  { name: 'layerNormEps', type: T.number({ gt: 0 }), default: 1e-5, doc: "the norms' eps" },
  { name: 'batchFirst', type: T.bool, default: false, doc: 'inputs are (N, L, E)' },
  { name: 'normFirst', type: T.bool, default: false, doc: 'normalise before each block' },
  { name: 'dtype', type: T.floatDtype, default: 'float32', kwOnly: true, doc: 'parameter dtype' },
];

/** Options of {@link TransformerEncoderLayer} and {@link TransformerDecoderLayer} after the sizes. */
export interface TransformerLayerOptions {
  /** Hidden features of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout probability everywhere in the layer (default 0.1). */
  dropout?: number;
  /** The feed-forward activation (default `'relu'`). */
  activation?: TransformerActivation;
  /** The layer norms' eps (default 1e-5). */
  layerNormEps?: number;
  /** Inputs and outputs are `(N, L, E)` instead of `(L, N, E)` (default false). */
  batchFirst?: boolean;
  /** Normalise before the attention and feed-forward blocks instead of after (default false). */
  normFirst?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/** Both layers' arguments after `dModel` and `nhead`: PyTorch's, by position or in one options object. */
export type TransformerLayerArgs =
  | [options?: TransformerLayerOptions]
  | [
      dimFeedforward?: number,
      dropout?: number,
      activation?: TransformerActivation,
      layerNormEps?: number,
      batchFirst?: boolean,
      normFirst?: boolean,
      options?: Pick<TransformerLayerOptions, 'dtype'>,
    ];

/** A layer's bound configuration, kept to rebuild it for a stack. */
type LayerConfig = Required<Omit<TransformerLayerOptions, 'dtype'>> & {
  dModel: number;
  nhead: number;
  dtype: 'float32' | 'float64';
};

/**
 * What the two layers share: the feed-forward block
 * `linear2(dropout(act(linear1(x))))`, the norms and dropouts, and the
 * activation as PyTorch keeps it (a module given is a submodule).
 */
abstract class TransformerLayerBase extends Module {
  /** The bound configuration. @internal */
  readonly config: LayerConfig;
  private readonly act: (x: Tensor) => Tensor;

  protected constructor(name: string, args: unknown[]) {
    super();
    const a = bindArgs({ name, params: LAYER_PARAMS }, args);
    this.config = a as unknown as LayerConfig;
    if (this.config.dModel % this.config.nhead !== 0) {
      throw new Error(
        `${name}: dModel (${String(this.config.dModel)}) must be divisible by nhead (${String(this.config.nhead)})`,
      );
    }
    const act = this.config.activation;
    if (act === 'relu') this.act = (x) => F.relu(x);
    else if (act === 'gelu') this.act = (x) => F.gelu(x);
    else if (typeof act === 'function') this.act = act;
    else this.act = (x) => act.forward(x);
  }

  /** Registers `activation` where PyTorch's `self.activation = activation` would, if it is a module. */
  protected registerActivation(): void {
    const act = this.config.activation;
    if (act instanceof Module) addChild(this, 'activation', act);
  }

  /** `dropout_k(linear2(dropout(act(linear1(x)))))`. */
  protected feedForward(x: Tensor, out: Dropout): Tensor {
    const m = this as unknown as { linear1: Linear; linear2: Linear; dropout: Dropout };
    return out.forward(m.linear2.forward(m.dropout.forward(this.act(m.linear1.forward(x)))));
  }

  /** A layer of the same configuration and weights, drawing nothing from the global generator. */
  protected abstract rebuild(): TransformerLayerBase;

  /**
   * A deep copy, as PyTorch's `copy.deepcopy` makes for a stack: the same
   * configuration, its own copy of every weight, the same mode, and the
   * global generator where it was. A module given as the activation is
   * shared, not copied. @internal
   */
  cloneLayer(): this {
    const saved = defaultGenerator.clone();
    let copy: TransformerLayerBase;
    try {
      copy = this.rebuild();
    } finally {
      defaultGenerator.setState(saved);
    }
    noGrad(() => copy.loadStateDict(this.stateDict()));
    copy.train(this.training);
    return copy as this;
  }
}

function makeAttention(c: LayerConfig): MultiheadAttention {
  return new MultiheadAttention(c.dModel, c.nhead, {
    dropout: c.dropout,
    batchFirst: c.batchFirst,
    dtype: c.dtype,
  });
}

const ENCODER_FORWARD: readonly Param[] = [
  { name: 'src', type: T.tensor, doc: 'the sequence' },
  { name: 'srcMask', type: T.optional(T.tensor), default: null, doc: 'attention mask' },
  {
    name: 'srcKeyPaddingMask',
    type: T.optional(T.tensor),
    default: null,
    doc: 'positions of each batch element to ignore',
  },
];

/**
 * One transformer encoder layer (Vaswani et al., 2017): self-attention and
 * a feed-forward block, each with a residual connection and layer norm:
 * `x = norm1(x + dropout1(selfAttn(x)))`, `x = norm2(x + dropout2(ff(x)))`,
 * or with `normFirst`, `x = x + dropout1(selfAttn(norm1(x)))`,
 * `x = x + dropout2(ff(norm2(x)))`, where
 * `ff(x) = linear2(dropout(act(linear1(x))))`.
 *
 * Constructor: `(dModel, nhead, dimFeedforward = 2048, dropout = 0.1,
 * activation = 'relu', layerNormEps = 1e-5, batchFirst = false,
 * normFirst = false)` by position or name, `dtype` by name; submodules
 * `self_attn`, `linear1`, `dropout`, `linear2`, `norm1`, `norm2`,
 * `dropout1`, `dropout2` as PyTorch names them, drawn in that order.
 * `forward(src, srcMask?, srcKeyPaddingMask?)`; masks as
 * {@link MultiheadAttention}'s (int32 or float).
 *
 * Matches `torch.nn.TransformerEncoderLayer` of PyTorch 1.13 (its general
 * path; the fast path it takes in evaluation without autograd computes the
 * same function to float rounding).
 * @example
 * ```ts
 * import { manualSeed, nn, randn } from 'nnkit';
 * manualSeed(0);
 * const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true });
 * console.log(layer.forward(randn([4, 5, 8])).shape); // [ 4, 5, 8 ]
 * ```
 */
export class TransformerEncoderLayer extends TransformerLayerBase {
  /** Self-attention over the sequence. */
  declare readonly self_attn: MultiheadAttention;
  /** The feed-forward block's first map `dModel → dimFeedforward`. */
  declare readonly linear1: Linear;
  /** Dropout inside the feed-forward block. */
  declare readonly dropout: Dropout;
  /** The feed-forward block's second map `dimFeedforward → dModel`. */
  declare readonly linear2: Linear;
  /** The norm of the attention block. */
  declare readonly norm1: LayerNorm;
  /** The norm of the feed-forward block. */
  declare readonly norm2: LayerNorm;
  /** Dropout on the attention block's output. */
  declare readonly dropout1: Dropout;
  /** Dropout on the feed-forward block's output. */
  declare readonly dropout2: Dropout;

  /**
   * Creates the layer with PyTorch's initialisation.
   *
   * @param dModel - Features of every position. PyTorch's `d_model`.
   * @param nhead - Attention heads; must divide `dModel`.
   * @param rest - `dimFeedforward`, `dropout`, `activation`, `layerNormEps`, `batchFirst`,
   *   `normFirst` by position, or an options object with them and `dtype`.
   */
  constructor(dModel: number, nhead: number, ...rest: TransformerLayerArgs);
  constructor(...args: unknown[]) {
    super('TransformerEncoderLayer', args);
    const c = this.config;
    try {
      addChild(this, 'self_attn', makeAttention(c));
      addChild(this, 'linear1', new Linear(c.dModel, c.dimFeedforward, { dtype: c.dtype }));
      addChild(this, 'dropout', new Dropout(c.dropout));
      addChild(this, 'linear2', new Linear(c.dimFeedforward, c.dModel, { dtype: c.dtype }));
      addChild(this, 'norm1', norm(c));
      addChild(this, 'norm2', norm(c));
      addChild(this, 'dropout1', new Dropout(c.dropout));
      addChild(this, 'dropout2', new Dropout(c.dropout));
      this.registerActivation();
    } catch (e) {
      throw prefixError(e, 'TransformerEncoderLayer');
    }
  }

  protected rebuild(): TransformerEncoderLayer {
    const { dModel, nhead, ...options } = this.config;
    return new TransformerEncoderLayer(dModel, nhead, options);
  }

  /** The layer applied to `src` (`(L, N, E)`, `(N, L, E)` with `batchFirst`, or `(L, E)`). */
  forward(
    src: Tensor,
    ...rest:
      | [options?: { srcMask?: Tensor | null; srcKeyPaddingMask?: Tensor | null }]
      | [srcMask?: Tensor | null, srcKeyPaddingMask?: Tensor | null]
  ): Tensor;
  forward(...args: unknown[]): Tensor {
    const fn = 'TransformerEncoderLayer.forward';
    const a = bindArgs({ name: fn, params: ENCODER_FORWARD }, args);
    try {
      return this.encode(
        a.src as Tensor,
        a.srcMask as Tensor | null,
        a.srcKeyPaddingMask as Tensor | null,
      );
    } catch (e) {
      throw prefixError(e, fn);
    }
  }

  private encode(src: Tensor, mask: Tensor | null, padding: Tensor | null): Tensor {
    const sa = (x: Tensor): Tensor =>
      this.dropout1.forward(
        this.self_attn.forward(x, x, x, {
          attnMask: mask,
          keyPaddingMask: padding,
          needWeights: false,
        })[0],
      );
    let x = src;
    if (this.config.normFirst) {
      x = x.add(sa(this.norm1.forward(x)));
      x = x.add(this.feedForward(this.norm2.forward(x), this.dropout2));
    } else {
      x = this.norm1.forward(x.add(sa(x)));
      x = this.norm2.forward(x.add(this.feedForward(x, this.dropout2)));
    }
    return x;
  }
}

const DECODER_FORWARD: readonly Param[] = [
  { name: 'tgt', type: T.tensor, doc: 'the target sequence' },
  { name: 'memory', type: T.tensor, doc: "the encoder's output" },
  { name: 'tgtMask', type: T.optional(T.tensor), default: null, doc: 'self-attention mask' },
  { name: 'memoryMask', type: T.optional(T.tensor), default: null, doc: 'cross-attention mask' },
  {
    name: 'tgtKeyPaddingMask',
    type: T.optional(T.tensor),
    default: null,
    doc: 'target positions to ignore',
  },
  {
    name: 'memoryKeyPaddingMask',
    type: T.optional(T.tensor),
    default: null,
    doc: 'memory positions to ignore',
  },
];

/** The decoder's masks by name. */
export interface TransformerDecoderMasks {
  /** Self-attention mask `(T, T)`. */
  tgtMask?: Tensor | null;
  /** Cross-attention mask `(T, S)`. */
  memoryMask?: Tensor | null;
  /** Target positions to ignore, `(N, T)`. */
  tgtKeyPaddingMask?: Tensor | null;
  /** Memory positions to ignore, `(N, S)`. */
  memoryKeyPaddingMask?: Tensor | null;
}

/**
 * One transformer decoder layer: self-attention, attention over the
 * encoder's output (`memory`) and a feed-forward block, each with a
 * residual connection and layer norm (`norm1`–`norm3`, after each block or,
 * with `normFirst`, before it), dropouts `dropout1`–`dropout3` on the
 * blocks' outputs.
 *
 * Constructor as {@link TransformerEncoderLayer}'s; submodules `self_attn`,
 * `multihead_attn`, `linear1`, `dropout`, `linear2`, `norm1`, `norm2`,
 * `norm3`, `dropout1`, `dropout2`, `dropout3`, drawn in that order.
 * `forward(tgt, memory, tgtMask?, memoryMask?, tgtKeyPaddingMask?,
 * memoryKeyPaddingMask?)`.
 *
 * Matches `torch.nn.TransformerDecoderLayer` of PyTorch 1.13.
 * @example
 * ```ts
 * import { manualSeed, nn, randn } from 'nnkit';
 * manualSeed(0);
 * const layer = new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16 });
 * const memory = randn([6, 3, 8]);
 * const causal = nn.Transformer.generateSquareSubsequentMask(5);
 * console.log(layer.forward(randn([5, 3, 8]), memory, { tgtMask: causal }).shape); // [ 5, 3, 8 ]
 * ```
 */
export class TransformerDecoderLayer extends TransformerLayerBase {
  /** Self-attention over the target. */
  declare readonly self_attn: MultiheadAttention;
  /** Attention from the target to the memory. */
  declare readonly multihead_attn: MultiheadAttention;
  /** The feed-forward block's first map. */
  declare readonly linear1: Linear;
  /** Dropout inside the feed-forward block. */
  declare readonly dropout: Dropout;
  /** The feed-forward block's second map. */
  declare readonly linear2: Linear;
  /** The norm of the self-attention block. */
  declare readonly norm1: LayerNorm;
  /** The norm of the cross-attention block. */
  declare readonly norm2: LayerNorm;
  /** The norm of the feed-forward block. */
  declare readonly norm3: LayerNorm;
  /** Dropout on the self-attention block's output. */
  declare readonly dropout1: Dropout;
  /** Dropout on the cross-attention block's output. */
  declare readonly dropout2: Dropout;
  /** Dropout on the feed-forward block's output. */
  declare readonly dropout3: Dropout;

  /**
   * Creates the layer with PyTorch's initialisation.
   *
   * @param dModel - Features of every position. PyTorch's `d_model`.
   * @param nhead - Attention heads; must divide `dModel`.
   * @param rest - `dimFeedforward`, `dropout`, `activation`, `layerNormEps`, `batchFirst`,
   *   `normFirst` by position, or an options object with them and `dtype`.
   */
  constructor(dModel: number, nhead: number, ...rest: TransformerLayerArgs);
  constructor(...args: unknown[]) {
    super('TransformerDecoderLayer', args);
    const c = this.config;
    try {
      addChild(this, 'self_attn', makeAttention(c));
      addChild(this, 'multihead_attn', makeAttention(c));
      addChild(this, 'linear1', new Linear(c.dModel, c.dimFeedforward, { dtype: c.dtype }));
      addChild(this, 'dropout', new Dropout(c.dropout));
      addChild(this, 'linear2', new Linear(c.dimFeedforward, c.dModel, { dtype: c.dtype }));
      addChild(this, 'norm1', norm(c));
      addChild(this, 'norm2', norm(c));
      addChild(this, 'norm3', norm(c));
      addChild(this, 'dropout1', new Dropout(c.dropout));
      addChild(this, 'dropout2', new Dropout(c.dropout));
      addChild(this, 'dropout3', new Dropout(c.dropout));
      this.registerActivation();
    } catch (e) {
      throw prefixError(e, 'TransformerDecoderLayer');
    }
  }

  protected rebuild(): TransformerDecoderLayer {
    const { dModel, nhead, ...options } = this.config;
    return new TransformerDecoderLayer(dModel, nhead, options);
  }

  /** The layer applied to `tgt` attending to `memory`. */
  forward(
    tgt: Tensor,
    memory: Tensor,
    ...rest:
      | [options?: TransformerDecoderMasks]
      | [
          tgtMask?: Tensor | null,
          memoryMask?: Tensor | null,
          tgtKeyPaddingMask?: Tensor | null,
          memoryKeyPaddingMask?: Tensor | null,
        ]
  ): Tensor;
  forward(...args: unknown[]): Tensor {
    const fn = 'TransformerDecoderLayer.forward';
    const a = bindArgs({ name: fn, params: DECODER_FORWARD }, args);
    try {
      return this.decode(a.tgt as Tensor, a.memory as Tensor, a as TransformerDecoderMasks);
    } catch (e) {
      throw prefixError(e, fn);
    }
  }

  private decode(tgt: Tensor, memory: Tensor, m: TransformerDecoderMasks): Tensor {
    const sa = (x: Tensor): Tensor =>
      this.dropout1.forward(
        this.self_attn.forward(x, x, x, {
          attnMask: m.tgtMask ?? null,
          keyPaddingMask: m.tgtKeyPaddingMask ?? null,
          needWeights: false,
        })[0],
      );
    const ca = (x: Tensor): Tensor =>
      this.dropout2.forward(
        this.multihead_attn.forward(x, memory, memory, {
          attnMask: m.memoryMask ?? null,
          keyPaddingMask: m.memoryKeyPaddingMask ?? null,
          needWeights: false,
        })[0],
      );
    let x = tgt;
    if (this.config.normFirst) {
      x = x.add(sa(this.norm1.forward(x)));
      x = x.add(ca(this.norm2.forward(x)));
      x = x.add(this.feedForward(this.norm3.forward(x), this.dropout3));
    } else {
      x = this.norm1.forward(x.add(sa(x)));
      x = this.norm2.forward(x.add(ca(x)));
      x = this.norm3.forward(x.add(this.feedForward(x, this.dropout3)));
    }
    return x;
  }
}

function norm(c: LayerConfig): LayerNorm {
  return new LayerNorm([c.dModel], c.layerNormEps, { dtype: c.dtype });
}

/** Registers `m` as `owner`'s child `name`, readable as `owner[name]` (PyTorch's attribute). */
function addChild<M extends Module>(owner: Module, name: string, m: M): M {
  owner.registerModule(name, m);
  Object.defineProperty(owner, name, { configurable: true, enumerable: false, value: m });
  return m;
}

const STACK_PARAMS = (layer: string): readonly Param[] => [
  { name: layer, type: MODULE, doc: 'the layer to copy' },
  { name: 'numLayers', type: T.int({ min: 0 }), doc: 'copies stacked' },
  { name: 'norm', type: T.optional(MODULE), default: null, doc: 'a final norm' },
];

/** A stack's layers: `numLayers` deep copies of `layer`, as PyTorch's `_get_clones`. */
function clones<L extends TransformerLayerBase>(
  fn: string,
  layer: unknown,
  Cls: abstract new (...args: any[]) => L, // eslint-disable-line @typescript-eslint/no-explicit-any
  n: number,
): ModuleList<L> {
  if (!(layer instanceof Cls)) {
    throw new Error(
      `${fn}: expects an nn.${Cls.name} to copy, got ${T.describeValue(layer)} (nnkit copies only its own transformer layers)`,
    );
  }
  return new ModuleList(Array.from({ length: n }, () => layer.cloneLayer()));
}

/**
 * `numLayers` copies of a {@link TransformerEncoderLayer} applied in turn,
 * then `norm` if given. The copies start with the given layer's weights
 * (PyTorch deep-copies it: all layers start equal) and draw nothing from
 * the global generator. Submodules `layers` (a ModuleList) and `norm`.
 *
 * Constructor `(encoderLayer, numLayers, norm = null, enableNestedTensor =
 * true)` (the last is accepted and ignored: nnkit has no nested tensors);
 * `forward(src, mask?, srcKeyPaddingMask?)`.
 *
 * Matches `torch.nn.TransformerEncoder` of PyTorch 1.13.
 * @example
 * ```ts
 * import { manualSeed, nn, randn } from 'nnkit';
 * manualSeed(0);
 * const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
 * const encoder = new nn.TransformerEncoder(layer, 3);
 * console.log(encoder.forward(randn([5, 2, 8])).shape); // [ 5, 2, 8 ]
 * console.log(encoder.layers.length); // 3
 * ```
 */
export class TransformerEncoder extends Module {
  /** The stacked layers. */
  declare readonly layers: ModuleList<TransformerEncoderLayer>;
  /** The final norm, or null. */
  readonly norm: Module | null;
  /** Layers stacked. */
  readonly numLayers: number;

  /**
   * Stacks copies of `encoderLayer`.
   *
   * @param encoderLayer - The layer to copy (an `nn.TransformerEncoderLayer`). PyTorch's `encoder_layer`.
   * @param numLayers - Copies stacked. PyTorch's `num_layers`.
   * @param rest - `norm` (a module applied last, e.g. `nn.LayerNorm`) and
   *   `enableNestedTensor` (ignored), by position or by name.
   */
  constructor(
    encoderLayer: TransformerEncoderLayer,
    numLayers: number,
    ...rest:
      | [options?: { norm?: Module | null; enableNestedTensor?: boolean }]
      | [norm?: Module | null, enableNestedTensor?: boolean]
  );
  constructor(...args: unknown[]) {
    super();
    const fn = 'TransformerEncoder';
    const a = bindArgs(
      {
        name: fn,
        params: [
          ...STACK_PARAMS('encoderLayer'),
          { name: 'enableNestedTensor', type: T.bool, default: true, doc: 'ignored' },
        ],
      },
      args,
    );
    this.numLayers = a.numLayers as number;
    addChild(this, 'layers', clones(fn, a.encoderLayer, TransformerEncoderLayer, this.numLayers));
    this.norm = checkNorm(fn, a.norm);
    if (this.norm) addChild(this, 'norm', this.norm);
  }

  /** Every layer in turn, then the norm. */
  forward(
    src: Tensor,
    ...rest:
      | [options?: { mask?: Tensor | null; srcKeyPaddingMask?: Tensor | null }]
      | [mask?: Tensor | null, srcKeyPaddingMask?: Tensor | null]
  ): Tensor;
  forward(...args: unknown[]): Tensor {
    const fn = 'TransformerEncoder.forward';
    const a = bindArgs(
      {
        name: fn,
        params: [
          { name: 'src', type: T.tensor, doc: 'the sequence' },
          { name: 'mask', type: T.optional(T.tensor), default: null, doc: 'attention mask' },
          { ...ENCODER_FORWARD[2] },
        ],
      },
      args,
    );
    let x = a.src as Tensor;
    for (const layer of this.layers) {
      x = layer.forward(x, a.mask as Tensor | null, a.srcKeyPaddingMask as Tensor | null);
    }
    return this.norm ? (this.norm as unknown as { forward(x: Tensor): Tensor }).forward(x) : x;
  }
}

function checkNorm(fn: string, norm: unknown): Module | null {
  if (norm === null) return null;
  if (!(norm instanceof Module) || typeof (norm as { forward?: unknown }).forward !== 'function') {
    throw new Error(`${fn}: norm must be a module (e.g. nn.LayerNorm) or null`);
  }
  return norm;
}

/**
 * `numLayers` copies of a {@link TransformerDecoderLayer} applied in turn to
 * the target, each attending to the same `memory`, then `norm` if given.
 * Copies as {@link TransformerEncoder}'s.
 *
 * Constructor `(decoderLayer, numLayers, norm = null)`;
 * `forward(tgt, memory, tgtMask?, memoryMask?, tgtKeyPaddingMask?,
 * memoryKeyPaddingMask?)`.
 *
 * Matches `torch.nn.TransformerDecoder` of PyTorch 1.13.
 * @example
 * ```ts
 * import { manualSeed, nn, randn } from 'nnkit';
 * manualSeed(0);
 * const decoder = new nn.TransformerDecoder(new nn.TransformerDecoderLayer(8, 2, 16), 2);
 * console.log(decoder.forward(randn([4, 8]), randn([6, 8])).shape); // [ 4, 8 ]
 * ```
 */
export class TransformerDecoder extends Module {
  /** The stacked layers. */
  declare readonly layers: ModuleList<TransformerDecoderLayer>;
  /** The final norm, or null. */
  readonly norm: Module | null;
  /** Layers stacked. */
  readonly numLayers: number;

  /**
   * Stacks copies of `decoderLayer`.
   *
   * @param decoderLayer - The layer to copy (an `nn.TransformerDecoderLayer`). PyTorch's `decoder_layer`.
   * @param numLayers - Copies stacked. PyTorch's `num_layers`.
   * @param rest - `norm` (a module applied last), by position or by name.
   */
  constructor(
    decoderLayer: TransformerDecoderLayer,
    numLayers: number,
    ...rest: [options?: { norm?: Module | null }] | [norm?: Module | null]
  );
  constructor(...args: unknown[]) {
    super();
    const fn = 'TransformerDecoder';
    const a = bindArgs({ name: fn, params: STACK_PARAMS('decoderLayer') }, args);
    this.numLayers = a.numLayers as number;
    addChild(this, 'layers', clones(fn, a.decoderLayer, TransformerDecoderLayer, this.numLayers));
    this.norm = checkNorm(fn, a.norm);
    if (this.norm) addChild(this, 'norm', this.norm);
  }

  /** Every layer in turn on the target, each attending to `memory`, then the norm. */
  forward(
    tgt: Tensor,
    memory: Tensor,
    ...rest:
      | [options?: TransformerDecoderMasks]
      | [
          tgtMask?: Tensor | null,
          memoryMask?: Tensor | null,
          tgtKeyPaddingMask?: Tensor | null,
          memoryKeyPaddingMask?: Tensor | null,
        ]
  ): Tensor;
  forward(...args: unknown[]): Tensor {
    const a = bindArgs({ name: 'TransformerDecoder.forward', params: DECODER_FORWARD }, args);
    const masks: TransformerDecoderMasks = {
      tgtMask: a.tgtMask as Tensor | null,
      memoryMask: a.memoryMask as Tensor | null,
      tgtKeyPaddingMask: a.tgtKeyPaddingMask as Tensor | null,
      memoryKeyPaddingMask: a.memoryKeyPaddingMask as Tensor | null,
    };
    let x = a.tgt as Tensor;
    for (const layer of this.layers) x = layer.forward(x, a.memory as Tensor, masks);
    return this.norm ? (this.norm as unknown as { forward(x: Tensor): Tensor }).forward(x) : x;
  }
}

/** nn.Transformer's constructor parameters (built on use, so that a bundle without it drops them). */
function transformerParams(): readonly Param[] {
  return [
    { name: 'dModel', type: T.int({ min: 1 }), default: 512, doc: 'features of every position' },
    { name: 'nhead', type: T.int({ min: 1 }), default: 8, doc: 'attention heads' },
    { name: 'numEncoderLayers', type: T.int({ min: 0 }), default: 6, doc: 'encoder layers' },
    { name: 'numDecoderLayers', type: T.int({ min: 0 }), default: 6, doc: 'decoder layers' },
    ...LAYER_PARAMS.slice(2, 5),
    {
      name: 'customEncoder',
      type: T.optional(MODULE),
      default: null,
      doc: 'an encoder to use instead',
    },
    {
      name: 'customDecoder',
      type: T.optional(MODULE),
      default: null,
      doc: 'a decoder to use instead',
    },
    ...LAYER_PARAMS.slice(5),
  ];
}

/** Options of {@link Transformer}. */
export interface TransformerOptions extends TransformerLayerOptions {
  /** Features of every position (default 512). */
  dModel?: number;
  /** Attention heads (default 8). */
  nhead?: number;
  /** Encoder layers (default 6). */
  numEncoderLayers?: number;
  /** Decoder layers (default 6). */
  numDecoderLayers?: number;
  /** A module used as the encoder instead of the stack (its `forward(src, mask, padding)`). */
  customEncoder?: Module | null;
  /** A module used as the decoder instead of the stack. */
  customDecoder?: Module | null;
}

/** The masks of {@link Transformer.forward} by name. */
export interface TransformerMasks extends TransformerDecoderMasks {
  /** Encoder self-attention mask `(S, S)`. */
  srcMask?: Tensor | null;
  /** Source positions to ignore, `(N, S)`. */
  srcKeyPaddingMask?: Tensor | null;
}

/**
 * The encoder-decoder transformer of "Attention Is All You Need": an
 * {@link TransformerEncoder} of `numEncoderLayers` layers and a
 * {@link TransformerDecoder} of `numDecoderLayers`, each ending in a
 * `LayerNorm`; after construction every parameter of two or more dimensions
 * is redrawn with `xavierUniform_`, in order, as PyTorch's
 * `_reset_parameters` does. No embeddings or positional encodings: inputs
 * are already `dModel` features.
 *
 * Constructor: `(dModel = 512, nhead = 8, numEncoderLayers = 6,
 * numDecoderLayers = 6, dimFeedforward = 2048, dropout = 0.1, activation =
 * 'relu', customEncoder = null, customDecoder = null, layerNormEps = 1e-5,
 * batchFirst = false, normFirst = false)` by position or name, `dtype` by
 * name. `forward(src, tgt, srcMask?, tgtMask?, memoryMask?,
 * srcKeyPaddingMask?, tgtKeyPaddingMask?, memoryKeyPaddingMask?)`.
 *
 * Matches `torch.nn.Transformer` of PyTorch 1.13.
 * @example
 * ```ts
 * import { manualSeed, nn, randn } from 'nnkit';
 * manualSeed(0);
 * const model = new nn.Transformer({ dModel: 16, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 32 });
 * const tgtMask = nn.Transformer.generateSquareSubsequentMask(7);
 * console.log(model.forward(randn([10, 2, 16]), randn([7, 2, 16]), { tgtMask }).shape); // [ 7, 2, 16 ]
 * ```
 */
export class Transformer extends Module {
  /** The encoder. */
  declare readonly encoder: Module;
  /** The decoder. */
  declare readonly decoder: Module;
  /** Features of every position. */
  readonly dModel: number;
  /** Attention heads. */
  readonly nhead: number;
  /** Inputs and outputs are `(N, L, E)`. */
  readonly batchFirst: boolean;

  /**
   * Builds the encoder and decoder with PyTorch's initialisation.
   *
   * @param rest - The parameters above by position (`dtype` in a final options object), or one
   *   options object with them all ({@link TransformerOptions}).
   */
  constructor(
    ...rest:
      | [options?: TransformerOptions]
      | [
          dModel?: number,
          nhead?: number,
          numEncoderLayers?: number,
          numDecoderLayers?: number,
          dimFeedforward?: number,
          dropout?: number,
          activation?: TransformerActivation,
          customEncoder?: Module | null,
          customDecoder?: Module | null,
          layerNormEps?: number,
          batchFirst?: boolean,
          normFirst?: boolean,
          options?: { dtype?: DType },
        ]
  );
  constructor(...args: unknown[]) {
    super();
    const a = bindArgs({ name: 'Transformer', params: transformerParams() }, args);
    this.dModel = a.dModel as number;
    this.nhead = a.nhead as number;
    this.batchFirst = a.batchFirst as boolean;
    const layer = {
      dimFeedforward: a.dimFeedforward as number,
      dropout: a.dropout as number,
      activation: a.activation as TransformerActivation,
      layerNormEps: a.layerNormEps as number,
      batchFirst: this.batchFirst,
      normFirst: a.normFirst as boolean,
      dtype: a.dtype as 'float32' | 'float64',
    };
    const finalNorm = (): LayerNorm =>
      new LayerNorm([this.dModel], layer.layerNormEps, { dtype: layer.dtype });
    const encoder =
      (a.customEncoder as Module | null) ??
      new TransformerEncoder(
        new TransformerEncoderLayer(this.dModel, this.nhead, layer),
        a.numEncoderLayers as number,
        finalNorm(),
      );
    const decoder =
      (a.customDecoder as Module | null) ??
      new TransformerDecoder(
        new TransformerDecoderLayer(this.dModel, this.nhead, layer),
        a.numDecoderLayers as number,
        finalNorm(),
      );
    addChild(this, 'encoder', encoder);
    addChild(this, 'decoder', decoder);
    for (const p of this.parameters()) if (p.ndim > 1) init.xavierUniform_(p);
  }

  /**
   * A causal mask of size `sz`: −∞ above the diagonal (a position may not
   * attend to later ones), 0 elsewhere, float32. PyTorch's
   * `Transformer.generate_square_subsequent_mask`.
   *
   * @param sz - The sequence length.
   */
  static generateSquareSubsequentMask(sz: number): Tensor {
    if (!Number.isInteger(sz) || sz < 0) {
      throw new Error(
        `generateSquareSubsequentMask: sz must be a non-negative integer, got ${String(sz)}`,
      );
    }
    const data = new Float32Array(sz * sz);
    for (let i = 0; i < sz; i++) data.fill(-Infinity, i * sz + i + 1, (i + 1) * sz);
    return tensor(data, { shape: [sz, sz] });
  }

  /** The decoder's output for `tgt`, attending to the encoder's output for `src`. */
  forward(src: Tensor, tgt: Tensor, options?: TransformerMasks): Tensor;
  forward(
    src: Tensor,
    tgt: Tensor,
    srcMask?: Tensor | null,
    tgtMask?: Tensor | null,
    memoryMask?: Tensor | null,
    srcKeyPaddingMask?: Tensor | null,
    tgtKeyPaddingMask?: Tensor | null,
    memoryKeyPaddingMask?: Tensor | null,
  ): Tensor;
  forward(...args: unknown[]): Tensor {
    const fn = 'Transformer.forward';
    const opt = (name: string, doc: string): Param => ({
      name,
      type: T.optional(T.tensor),
      default: null,
      doc,
    });
    const a = bindArgs(
      {
        name: fn,
        params: [
          { name: 'src', type: T.tensor, doc: 'the source sequence' },
          { name: 'tgt', type: T.tensor, doc: 'the target sequence' },
          opt('srcMask', 'encoder mask'),
          opt('tgtMask', 'decoder self-attention mask'),
          opt('memoryMask', 'cross-attention mask'),
          opt('srcKeyPaddingMask', 'source positions to ignore'),
          opt('tgtKeyPaddingMask', 'target positions to ignore'),
          opt('memoryKeyPaddingMask', 'memory positions to ignore'),
        ],
      },
      args,
    );
    const src = a.src as Tensor;
    const tgt = a.tgt as Tensor;
    const batched = src.ndim === 3;
    const batchDim = this.batchFirst ? 0 : 1;
    if (batched && src.shape[batchDim] !== tgt.shape[batchDim]) {
      throw new Error(`${fn}: the batch number of src and tgt must be equal`);
    }
    if (src.shape[src.ndim - 1] !== this.dModel || tgt.shape[tgt.ndim - 1] !== this.dModel) {
      throw new Error(`${fn}: the feature number of src and tgt must be equal to dModel`);
    }
    type Encoder = { forward(x: Tensor, m: Tensor | null, p: Tensor | null): Tensor };
    type Decoder = { forward(t: Tensor, m: Tensor, masks: TransformerDecoderMasks): Tensor };
    const memory = (this.encoder as unknown as Encoder).forward(
      src,
      a.srcMask as Tensor | null,
      a.srcKeyPaddingMask as Tensor | null,
    );
    return (this.decoder as unknown as Decoder).forward(tgt, memory, {
      tgtMask: a.tgtMask as Tensor | null,
      memoryMask: a.memoryMask as Tensor | null,
      tgtKeyPaddingMask: a.tgtKeyPaddingMask as Tensor | null,
      memoryKeyPaddingMask: a.memoryKeyPaddingMask as Tensor | null,
    });
  }
}
