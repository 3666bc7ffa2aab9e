/** Multi-head attention ("Attention Is All You Need"), `nn.MultiheadAttention`. */
import { Tensor } from '../tensor/tensor.js';
import { isFloating, type DType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { zeros } from '../tensor/creation.js';
import { cat } from '../ops/shape-ops.js';
import { linear, matmul } from '../ops/linalg.js';
import { noGrad } from '../autograd/grad-mode.js';
import { dropoutImpl } from '../functional/dropout.js';
import { Module } from './module.js';
import { Linear, emptyParameter } from './linear.js';
import * as init from './init.js';
import { bindArgs, prefixError, type Param } from '../signature/bind.js';
import * as T from '../signature/types.js';

const NAME = 'MultiheadAttention';
const FWD = `${NAME}.forward`;

const PARAMS: readonly Param[] = [
  { name: 'embedDim', type: T.int({ min: 1 }), doc: 'total dimension of the model' },
  { name: 'numHeads', type: T.int({ min: 1 }), doc: 'number of parallel attention heads' },
  {
    name: 'dropout',
    type: T.number({ min: 0, max: 1 }),
    default: 0,
    doc: 'dropout probability on the attention weights',
  },
  { name: 'bias', type: T.bool, default: true, doc: 'in- and out-projections have biases' },
  { name: 'addBiasKv', type: T.bool, default: false, doc: 'append a learnt key and value' },
  { name: 'addZeroAttn', type: T.bool, default: false, doc: 'append a zero key and value' },
  { name: 'kdim', type: T.optional(T.int({ min: 0 })), default: null, doc: 'features of key' },
  { name: 'vdim', type: T.optional(T.int({ min: 0 })), default: null, doc: 'features of value' },
  { name: 'batchFirst', type: T.bool, default: false, doc: 'inputs are (N, L, E)' },
  // PyTorch's `device` comes before `dtype`: nnkit has no devices, so `dtype` is by name only.
  { name: 'dtype', type: T.floatDtype, default: 'float32', kwOnly: true, doc: 'parameter dtype' },
];

const FORWARD_PARAMS: readonly Param[] = [
  { name: 'query', type: T.tensor, doc: 'queries' },
  { name: 'key', type: T.tensor, doc: 'keys' },
  { name: 'value', type: T.tensor, doc: 'values' },
  {
    name: 'keyPaddingMask',
    type: T.optional(T.tensor),
    default: null,
    doc: 'keys to ignore',
  },
  { name: 'needWeights', type: T.bool, default: true, doc: 'return the attention weights' },
  { name: 'attnMask', type: T.optional(T.tensor), default: null, doc: 'positions not to attend' },
  {
    name: 'averageAttnWeights',
    type: T.bool,
    default: true,
    doc: 'average the returned weights over the heads',
  },
];

/** Options of {@link MultiheadAttention}. */
export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights, in training mode (default 0). */
  dropout?: number;
  /** The in- and out-projections have biases (default true). */
  bias?: boolean;
  /** Append a learnt key `bias_k` and value `bias_v` to the sequences (default false). */
  addBiasKv?: boolean;
  /** Append a key and a value of zeros to the sequences (default false). */
  addZeroAttn?: boolean;
  /** Features of `key` (default null: `embedDim`). */
  kdim?: number | null;
  /** Features of `value` (default null: `embedDim`). */
  vdim?: number | null;
  /** Inputs and output are `(N, L, E)` rather than `(L, N, E)` (default false). */
  batchFirst?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/** The optional arguments of {@link MultiheadAttention.forward}, by name. */
export interface MultiheadAttentionForwardOptions {
  /**
   * `(N, S)` (or `(S)` unbatched): keys to ignore. An int32 mask is PyTorch's
   * boolean one (non-zero: ignored); a float mask is added to the scores.
   */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights (default true); otherwise the second element is null. */
  needWeights?: boolean;
  /**
   * `(L, S)` or `(N·numHeads, L, S)`: positions not to attend. int32
   * (non-zero: not allowed) or float (added to the scores).
   */
  attnMask?: Tensor | null;
  /** Average the returned weights over the heads (default true). */
  averageAttnWeights?: boolean;
}

/**
 * `[attnOutput, attnWeights]`, PyTorch's tuple: `attnOutput` is `(L, N, E)`
 * (`(N, L, E)` with `batchFirst`, `(L, E)` unbatched); `attnWeights` is
 * `(N, L, S)` (`(N, numHeads, L, S)` without averaging; no `N` unbatched),
 * or null when `needWeights` is false.
 */
export type MultiheadAttentionOutput = [attnOutput: Tensor, attnWeights: Tensor | null];

/** `x` `(L, N, in)` through `y = x·wᵀ + b`, as `(L, N, out)`. */
function project(x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  const [l, n, f] = x.shape;
  return linear(x.reshape([l * n, f]), w, b).reshape([l, n, w.shape[0]]);
}

/** `mask` with one more column of zeros (PyTorch's `pad(mask, (0, 1))`). */
function padColumn(mask: Tensor): Tensor {
  return cat([mask, zeros([...mask.shape.slice(0, -1), 1], { dtype: mask.dtype })], -1);
}

/** Element-wise `a ∨ b` of two masks (non-zero is true), int32 0/1, broadcasting. */
function logicalOr(a: Tensor, b: Tensor): Tensor {
  return a.ne(0).add(b.ne(0)).ne(0);
}

/** The output projection; PyTorch's class of that name, which its repr shows. */
class NonDynamicallyQuantizableLinear extends Linear {}

/**
 * Multi-head attention:
 * `MultiHead(Q, K, V) = Concat(head₁, …, head_h)·W_Oᵀ + b_O` with
 * `head_i = softmax(Q_i·K_iᵀ / √d + M)·V_i`, where `Q_i`, `K_i`, `V_i` are the
 * `i`-th of `numHeads` slices (of `d = embedDim / numHeads` features) of the
 * projections `Q = query·W_Qᵀ + b_Q`, `K = key·W_Kᵀ + b_K`,
 * `V = value·W_Vᵀ + b_V`, and `M` is the mask (`−∞` where a boolean mask is
 * set, the values of a float mask).
 *
 * Parameters and state-dict keys are PyTorch's: `in_proj_weight`
 * `(3·embedDim, embedDim)` (`W_Q`, `W_K`, `W_V` stacked) — or `q_proj_weight`,
 * `k_proj_weight` `(embedDim, kdim)` and `v_proj_weight` `(embedDim, vdim)`
 * when `kdim` or `vdim` differs from `embedDim` — then `in_proj_bias`
 * `(3·embedDim)` (with `bias`), `bias_k` and `bias_v` `(1, 1, embedDim)` (with
 * `addBiasKv`), `out_proj.weight` and `out_proj.bias`. Initialisation is
 * PyTorch's: `xavier_uniform_` for the projection weights, zeros for the
 * in-projection and output biases, `xavier_normal_` for `bias_k`/`bias_v`, and
 * `out_proj.weight` as `nn.Linear`'s, drawn in PyTorch's order: after the same
 * `manualSeed`, the weights are PyTorch's.
 *
 * Constructor: `(embedDim, numHeads, dropout = 0, bias = true,
 * addBiasKv = false, addZeroAttn = false, kdim = null, vdim = null,
 * batchFirst = false)` by position or by name, and `dtype` by name. `embedDim`
 * must be divisible by `numHeads`.
 *
 * Matches `torch.nn.MultiheadAttention` of PyTorch 1.13 (its general path,
 * `F.multi_head_attention_forward`; the fast path PyTorch takes in evaluation
 * without autograd computes the same numbers to float rounding). Differences:
 * masks are int32 (PyTorch: bool) or float; a float `attnMask` together with a
 * float `keyPaddingMask` is refused (PyTorch 1.13's `masked_fill` needs a
 * boolean mask); `dropout` outside `[0, 1]` throws in the constructor
 * (PyTorch: at the first training-mode forward).
 * @example
 * ```ts
 * import { manualSeed, nn, randn } from 'nnkit';
 * manualSeed(0);
 * const mha = new nn.MultiheadAttention(8, 2, { batchFirst: true });
 * console.log(mha.toString());
 * // MultiheadAttention(
 * //   (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)
 * // )
 * const x = randn([4, 5, 8]); // (N, L, E)
 * const [out, weights] = mha.forward(x, x, x);
 * console.log(out.shape, weights?.shape); // [ 4, 5, 8 ] [ 4, 5, 5 ]
 * console.log(Object.keys(mha.stateDict()));
 * // [
 * //   'in_proj_weight',
 * //   'in_proj_bias',
 * //   'out_proj.weight',
 * //   'out_proj.bias'
 * // ]
 * ```
 */
export class MultiheadAttention extends Module {
  /** Total dimension of the model, `E`. */
  readonly embedDim: number;
  /** Features of `key` (`embedDim` unless given). */
  readonly kdim: number;
  /** Features of `value` (`embedDim` unless given). */
  readonly vdim: number;
  /** Number of heads. */
  readonly numHeads: number;
  /** Features per head: `embedDim / numHeads`. */
  readonly headDim: number;
  /** Dropout probability on the attention weights (training mode only). */
  readonly dropout: number;
  /** Inputs and output are `(N, L, E)`. */
  readonly batchFirst: boolean;
  /** A key and a value of zeros are appended. */
  readonly addZeroAttn: boolean;
  /** Whether `kdim` and `vdim` equal `embedDim` (one packed `in_proj_weight`). */
  readonly qkvSameEmbedDim: boolean;

  /**
   * Creates the layer with PyTorch's initialisation; see {@link MultiheadAttentionOptions}.
   *
   * @param embedDim - Total dimension of the model, `E`; divisible by `numHeads`. PyTorch's
   *   `embed_dim`.
   * @param numHeads - Number of parallel attention heads. PyTorch's `num_heads`.
   * @param rest - `dropout`, `bias`, `addBiasKv`, `addZeroAttn`, `kdim`, `vdim`, `batchFirst` by
   *   position, then an options object with the rest (and `dtype`); or one options object with
   *   those names.
   */
  constructor(
    embedDim: number,
    numHeads: number,
    ...rest:
      | [opts?: MultiheadAttentionOptions]
      | [dropout: number, opts?: Omit<MultiheadAttentionOptions, 'dropout'>]
      | [dropout: number, bias: boolean, opts?: Omit<MultiheadAttentionOptions, 'dropout' | 'bias'>]
      | [
          dropout: number,
          bias: boolean,
          addBiasKv: boolean,
          opts?: Omit<MultiheadAttentionOptions, 'dropout' | 'bias' | 'addBiasKv'>,
        ]
      | [
          dropout: number,
          bias: boolean,
          addBiasKv: boolean,
          addZeroAttn: boolean,
          kdim?: number | null,
          vdim?: number | null,
          batchFirst?: boolean,
          opts?: { dtype?: DType },
        ]
  );
  /**
   * Every argument by name: `new nn.MultiheadAttention({ embedDim: 8, numHeads: 2 })`.
   *
   * @param options - By name: `embedDim`, `numHeads`, `dropout`, `bias`, `addBiasKv`,
   *   `addZeroAttn`, `kdim`, `vdim`, `batchFirst`, `dtype`.
   */
  constructor(options: MultiheadAttentionOptions & { embedDim: number; numHeads: number });
  constructor(...args: unknown[]) {
    super();
    const a = bindArgs({ name: NAME, params: PARAMS }, args);
    const embedDim = a.embedDim as number;
    const numHeads = a.numHeads as number;
    if (embedDim % numHeads !== 0) {
      throw new Error(
        `${NAME}: embedDim must be divisible by numHeads, got embedDim = ${embedDim} and numHeads = ${numHeads}`,
      );
    }
    const dtype = a.dtype as DType;
    const bias = a.bias as boolean;
    this.embedDim = embedDim;
    this.kdim = (a.kdim as number | null) ?? embedDim;
    this.vdim = (a.vdim as number | null) ?? embedDim;
    this.qkvSameEmbedDim = this.kdim === embedDim && this.vdim === embedDim;
    this.numHeads = numHeads;
    this.headDim = embedDim / numHeads;
    this.dropout = a.dropout as number;
    this.batchFirst = a.batchFirst as boolean;
    this.addZeroAttn = a.addZeroAttn as boolean;
    try {
      const e = embedDim;
      // Registration order is PyTorch's, so the state-dict keys come in its order; so is the
      // order of the draws (out_proj's Linear init first, then `_reset_parameters`), so the
      // same seed gives PyTorch's weights.
      const inProj = this.qkvSameEmbedDim
        ? [emptyParameter([3 * e, e], dtype)]
        : [e, this.kdim, this.vdim].map((d) => emptyParameter([e, d], dtype));
      if (this.qkvSameEmbedDim) {
        this.registerParameter('in_proj_weight', inProj[0]);
        for (const n of ['q', 'k', 'v']) this.registerParameter(`${n}_proj_weight`, null);
      } else {
        ['q', 'k', 'v'].forEach((n, i) => this.registerParameter(`${n}_proj_weight`, inProj[i]));
        this.registerParameter('in_proj_weight', null);
      }
      this.registerParameter('in_proj_bias', bias ? zeros([3 * e], { dtype }) : null);
      const outProj = this.registerModule(
        'out_proj',
        new NonDynamicallyQuantizableLinear(e, e, { bias, dtype }),
      );
      for (const w of inProj) init.xavierUniform_(w);
      if (bias) noGrad(() => outProj.bias?.zero_());
      if (a.addBiasKv as boolean) {
        this.registerParameter('bias_k', init.xavierNormal_(emptyParameter([1, 1, e], dtype)));
        this.registerParameter('bias_v', init.xavierNormal_(emptyParameter([1, 1, e], dtype)));
      }
    } catch (err) {
      // A projection too large to allocate: the error names the module.
      throw prefixError(err, NAME);
    }
  }

  /** This module's own parameter `name`, or null. */
  private own(name: string): Tensor | null {
    for (const [n, p] of this.namedParameters({ recurse: false })) if (n === name) return p;
    return null;
  }

  /** `(3·embedDim, embedDim)`: `W_Q`, `W_K`, `W_V` stacked; null when kdim/vdim differ. */
  get inProjWeight(): Tensor | null {
    return this.own('in_proj_weight');
  }
  /** `(3·embedDim)`, or null without bias. */
  get inProjBias(): Tensor | null {
    return this.own('in_proj_bias');
  }
  /** `(embedDim, embedDim)` when kdim/vdim differ from embedDim, else null. */
  get qProjWeight(): Tensor | null {
    return this.own('q_proj_weight');
  }
  /** `(embedDim, kdim)` when kdim/vdim differ from embedDim, else null. */
  get kProjWeight(): Tensor | null {
    return this.own('k_proj_weight');
  }
  /** `(embedDim, vdim)` when kdim/vdim differ from embedDim, else null. */
  get vProjWeight(): Tensor | null {
    return this.own('v_proj_weight');
  }
  /** `(1, 1, embedDim)`: the appended key (with `addBiasKv`), else null. */
  get biasK(): Tensor | null {
    return this.own('bias_k');
  }
  /** `(1, 1, embedDim)`: the appended value (with `addBiasKv`), else null. */
  get biasV(): Tensor | null {
    return this.own('bias_v');
  }
  /** The output projection (state-dict prefix `out_proj.`). */
  get outProj(): Linear {
    for (const [n, m] of this.namedModules()) if (n === 'out_proj') return m as Linear;
    throw new Error(`${NAME}: no out_proj module`);
  }

  /**
   * Attends from `query` to `key`/`value` and returns `[attnOutput, attnWeights]`.
   *
   * Shapes (`L` target length, `S` source length, `N` batch): `query`
   * `(L, N, embedDim)`, `key` `(S, N, kdim)`, `value` `(S, N, vdim)` — with
   * `batchFirst` `(N, L, ·)` and `(N, S, ·)`, unbatched `(L, ·)` and `(S, ·)`.
   * `keyPaddingMask` `(N, S)` (unbatched `(S)`), `attnMask` `(L, S)` or
   * `(N·numHeads, L, S)`: int32 masks are PyTorch's boolean ones (non-zero:
   * not attended), float masks are added to the scores. Masks merge as in
   * PyTorch 1.13: with a boolean `attnMask`, the positions set in either
   * mask (a float `keyPaddingMask` counts where it is non-zero); with a float
   * `attnMask`, `−∞` where a boolean `keyPaddingMask` is set. A query whose
   * every key is masked gives NaN, as in PyTorch. Dropout on the weights only
   * in training mode, drawn as PyTorch's `dropout` draws it.
   *
   * Arguments by position in PyTorch's order `(query, key, value,
   * keyPaddingMask = null, needWeights = true, attnMask = null,
   * averageAttnWeights = true)` or by name after `value`.
   *
   * @param query - `(L, N, embedDim)`, `(N, L, embedDim)` with `batchFirst`, or `(L, embedDim)`.
   * @param key - `(S, N, kdim)`, `(N, S, kdim)` with `batchFirst`, or `(S, kdim)`.
   * @param value - `(S, N, vdim)`, `(N, S, vdim)` with `batchFirst`, or `(S, vdim)`.
   * @param rest - `keyPaddingMask` (default null), `needWeights` (default true), `attnMask`
   *   (default null), `averageAttnWeights` (default true), by position or by name.
   * @returns `[attnOutput, attnWeights]` (`attnWeights` null without `needWeights`).
   * @example
   * ```ts
   * import { manualSeed, nn, randn, tensor } from 'nnkit';
   * manualSeed(0);
   * const mha = new nn.MultiheadAttention(4, 2);
   * const x = randn([3, 4]); // unbatched (L, E)
   * const causal = tensor([[0, 1, 1], [0, 0, 1], [0, 0, 0]], { dtype: 'int32' }); // 1: not attended
   * const [out, w] = mha.forward(x, x, x, { attnMask: causal });
   * console.log(out.shape, w?.shape); // [ 3, 4 ] [ 3, 3 ]
   * console.log(w?.detach().narrow(0, 0, 1)); // tensor([[1., 0., 0.]])
   * const [, perHead] = mha.forward(x, x, x, null, true, causal, false); // averageAttnWeights false
   * console.log(perHead?.shape); // [ 2, 3, 3 ]
   * ```
   */
  forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    ...rest:
      | [opts?: MultiheadAttentionForwardOptions]
      | [
          keyPaddingMask: Tensor | null,
          opts?: Omit<MultiheadAttentionForwardOptions, 'keyPaddingMask'>,
        ]
      | [
          keyPaddingMask: Tensor | null,
          needWeights: boolean,
          opts?: Omit<MultiheadAttentionForwardOptions, 'keyPaddingMask' | 'needWeights'>,
        ]
      | [
          keyPaddingMask: Tensor | null,
          needWeights: boolean,
          attnMask: Tensor | null,
          averageAttnWeights?: boolean | { averageAttnWeights?: boolean },
        ]
  ): MultiheadAttentionOutput;
  forward(...args: unknown[]): MultiheadAttentionOutput {
    const a = bindArgs({ name: FWD, params: FORWARD_PARAMS }, args);
    const q0 = a.query as Tensor;
    const k0 = a.key as Tensor;
    const v0 = a.value as Tensor;
    let kpm = a.keyPaddingMask as Tensor | null;
    let mask = a.attnMask as Tensor | null;
    this.check(q0, k0, v0, kpm, mask);
    const batched = q0.ndim === 3;
    const h = this.numHeads;
    const hd = this.headDim;
    const e = this.embedDim;
    let query = q0;
    let key = k0;
    let value = v0;
    if (this.batchFirst && batched) {
      query = query.transpose(1, 0);
      key = key.transpose(1, 0);
      value = value.transpose(1, 0);
    }
    if (!batched) {
      query = query.unsqueeze(1);
      key = key.unsqueeze(1);
      value = value.unsqueeze(1);
      if (kpm) kpm = kpm.unsqueeze(0);
    }
    const [tgtLen, bsz] = query.shape;

    // In-projection (PyTorch's _in_projection_packed / _in_projection).
    const b = this.inProjBias;
    const part = (t: Tensor | null, i: number): Tensor | null => t && t.narrow(0, i * e, e);
    let q: Tensor;
    let k: Tensor;
    let v: Tensor;
    const w = this.inProjWeight;
    if (w && q0 === k0 && k0 === v0) {
      [q, k, v] = project(query, w, b).chunk(3, -1);
    } else if (w) {
      q = project(query, part(w, 0) as Tensor, part(b, 0));
      k = project(key, part(w, 1) as Tensor, part(b, 1));
      v = project(value, part(w, 2) as Tensor, part(b, 2));
    } else {
      q = project(query, this.qProjWeight as Tensor, part(b, 0));
      k = project(key, this.kProjWeight as Tensor, part(b, 1));
      v = project(value, this.vProjWeight as Tensor, part(b, 2));
    }

    if (mask && mask.ndim === 2) mask = mask.unsqueeze(0);
    const biasK = this.biasK;
    const biasV = this.biasV;
    if (biasK && biasV) {
      k = cat([k, biasK.expand([1, bsz, e])]);
      v = cat([v, biasV.expand([1, bsz, e])]);
      if (mask) mask = padColumn(mask);
      if (kpm) kpm = padColumn(kpm);
    }
    // (L, N, E) → (N·numHeads, L, headDim)
    q = q
      .contiguous()
      .view([tgtLen, bsz * h, hd])
      .transpose(0, 1);
    k = k
      .contiguous()
      .view([k.shape[0], bsz * h, hd])
      .transpose(0, 1);
    v = v
      .contiguous()
      .view([v.shape[0], bsz * h, hd])
      .transpose(0, 1);
    if (this.addZeroAttn) {
      const z = zeros([bsz * h, 1, hd], { dtype: q.dtype });
      k = cat([k, z], 1);
      v = cat([v, z], 1);
      if (mask) mask = padColumn(mask);
      if (kpm) kpm = padColumn(kpm);
    }
    const srcLen = k.shape[1];

    // Merge the key padding mask into the attention mask, as PyTorch 1.13 does.
    if (kpm) {
      const kp = kpm
        .view([bsz, 1, 1, srcLen])
        .expand([bsz, h, 1, srcLen])
        .reshape([bsz * h, 1, srcLen]);
      if (!mask) mask = kp;
      else if (mask.dtype === 'int32') mask = logicalOr(mask, kp);
      else mask = mask.maskedFill(kp, -Infinity);
    }
    if (mask && mask.dtype === 'int32') {
      mask = zeros(mask.shape, { dtype: q.dtype }).maskedFill(mask, -Infinity);
    }

    // softmax(q·kᵀ/√d + mask)·v, then the output projection.
    const qScaled = q.div(Math.sqrt(hd));
    let scores = matmul(qScaled, k.transpose(-2, -1));
    if (mask) scores = mask.add(scores);
    let weights = scores.softmax(-1);
    if (this.training && this.dropout > 0) {
      weights = dropoutImpl({ input: weights, p: this.dropout, training: true, inplace: false });
    }
    const outProj = this.outProj;
    let out = matmul(weights, v)
      .transpose(0, 1)
      .contiguous()
      .view([tgtLen * bsz, e]);
    out = linear(out, outProj.weight, outProj.bias).view([tgtLen, bsz, e]);
    let attnWeights: Tensor | null = null;
    if (a.needWeights as boolean) {
      attnWeights = weights.view([bsz, h, tgtLen, srcLen]);
      if (a.averageAttnWeights as boolean) attnWeights = attnWeights.sum(1).div(h);
      if (!batched) attnWeights = attnWeights.squeeze(0);
    }
    if (!batched) out = out.squeeze(1);
    else if (this.batchFirst) out = out.transpose(1, 0);
    return [out, attnWeights];
  }

  /** PyTorch's `_mha_shape_check` and the checks of `multi_head_attention_forward`, up front. */
  private check(q: Tensor, k: Tensor, v: Tensor, kpm: Tensor | null, mask: Tensor | null): void {
    const fail = (msg: string): never => {
      throw new Error(`${FWD}: ${msg}`);
    };
    const dtype = this.outProj.weight.dtype;
    for (const [n, t] of [
      ['query', q],
      ['key', k],
      ['value', v],
    ] as const) {
      if (t.dtype !== dtype) {
        fail(
          `${n} has dtype ${t.dtype} but the module's parameters are ${dtype}; convert it with .to('${dtype}') or the module with .to('${t.dtype}')`,
        );
      }
    }
    const batched = q.ndim === 3;
    if (q.ndim === 3) {
      if (k.ndim !== 3 || v.ndim !== 3) {
        fail(
          `for a batched (3-D) query, key and value must be 3-D, got ${k.ndim}-D and ${v.ndim}-D`,
        );
      }
      if (kpm && kpm.ndim !== 2) {
        fail(`for a batched (3-D) query, keyPaddingMask must be null or 2-D, got ${kpm.ndim}-D`);
      }
    } else if (q.ndim === 2) {
      if (k.ndim !== 2 || v.ndim !== 2) {
        fail(
          `for an unbatched (2-D) query, key and value must be 2-D, got ${k.ndim}-D and ${v.ndim}-D`,
        );
      }
      if (kpm && kpm.ndim !== 1) {
        fail(`for an unbatched (2-D) query, keyPaddingMask must be null or 1-D, got ${kpm.ndim}-D`);
      }
    } else {
      fail(`query must be an unbatched 2-D or batched 3-D tensor, got ${q.ndim}-D`);
    }
    const bf = this.batchFirst && batched;
    const seq = (t: Tensor): number => (bf ? t.shape[1] : t.shape[0]);
    const batch = (t: Tensor): number => (batched ? (bf ? t.shape[0] : t.shape[1]) : 1);
    const feat = (t: Tensor): number => t.shape[t.ndim - 1];
    if (feat(q) !== this.embedDim) {
      fail(
        `query of shape ${formatShape(q.shape)} should have embedDim = ${this.embedDim} features in its last dimension`,
      );
    }
    if (feat(k) !== this.kdim) {
      fail(
        `key of shape ${formatShape(k.shape)} should have kdim = ${this.kdim} features in its last dimension`,
      );
    }
    if (feat(v) !== this.vdim) {
      fail(
        `value of shape ${formatShape(v.shape)} should have vdim = ${this.vdim} features in its last dimension`,
      );
    }
    if (seq(k) !== seq(v) || batch(k) !== batch(v)) {
      fail(
        `key of shape ${formatShape(k.shape)} and value of shape ${formatShape(v.shape)} must have the same sequence length and batch size`,
      );
    }
    if (batch(k) !== batch(q)) {
      fail(
        `query of shape ${formatShape(q.shape)} and key of shape ${formatShape(k.shape)} must have the same batch size`,
      );
    }
    const n = batch(q);
    const tgt = seq(q);
    const src = seq(k);
    if (kpm) {
      if (kpm.dtype !== 'int32' && kpm.dtype !== dtype) {
        fail(
          `keyPaddingMask has dtype ${kpm.dtype} but query is ${dtype}: a float mask must have the query's dtype (an int32 mask is boolean)`,
        );
      }
      const want = batched ? [n, src] : [src];
      if (kpm.shape.length !== want.length || kpm.shape.some((d, i) => d !== want[i])) {
        fail(
          `keyPaddingMask should have shape ${formatShape(want)} (${batched ? 'N, S' : 'S'}), got ${formatShape(kpm.shape)}`,
        );
      }
    }
    if (mask) {
      if (mask.dtype !== 'int32' && mask.dtype !== dtype) {
        fail(
          `attnMask has dtype ${mask.dtype} but query is ${dtype}: a float mask must have the query's dtype (an int32 mask is boolean)`,
        );
      }
      if (isFloating(mask.dtype) && kpm && isFloating(kpm.dtype)) {
        fail(
          'a float attnMask cannot be combined with a float keyPaddingMask (PyTorch 1.13 fills a float attnMask only where a boolean keyPaddingMask is set); pass keyPaddingMask as an int32 0/1 mask, or add it into attnMask',
        );
      }
      if (mask.ndim === 2) {
        if (mask.shape[0] !== tgt || mask.shape[1] !== src) {
          fail(
            `the shape of the 2-D attnMask is ${formatShape(mask.shape)}, but should be ${formatShape([tgt, src])} (L, S)`,
          );
        }
      } else if (mask.ndim === 3) {
        const want = [n * this.numHeads, tgt, src];
        if (mask.shape.some((d, i) => d !== want[i])) {
          fail(
            `the shape of the 3-D attnMask is ${formatShape(mask.shape)}, but should be ${formatShape(want)} (N·numHeads, L, S)`,
          );
        }
      } else {
        fail(`attnMask must be 2-D (L, S) or 3-D (N·numHeads, L, S), got ${mask.ndim}-D`);
      }
    }
  }
}
