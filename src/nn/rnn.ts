/**
 * The recurrent layers `nn.RNN`, `nn.LSTM` and `nn.GRU`: PyTorch 1.13's
 * constructors, parameter names and initialisation, input layouts
 * (`(L, N, H_in)`, `batchFirst` `(N, L, H_in)`, unbatched `(L, H_in)`),
 * stacked layers with dropout between them, both directions, and LSTM's
 * projection. The arithmetic is in rnn-math.ts.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { PackedSequence } from './utils/rnn.js';
import { formatShape } from '../tensor/shape.js';
import { ones, zeros } from '../tensor/creation.js';
import { noGrad } from '../autograd/grad-mode.js';
import { cat, stack } from '../ops/shape-ops.js';
import { dropoutImpl } from '../functional/dropout.js';
import { Module, pyBool, pyNum } from './module.js';
import { emptyParameter } from './linear.js';
import * as init from './init.js';
import {
  GATES,
  cellStep,
  inputGates,
  type CellWeights,
  type RnnMode,
  type State,
} from './rnn-math.js';
import { bindArgs, prefixError, type Param } from '../signature/bind.js';
import * as T from '../signature/types.js';

const SIZE_PARAMS: readonly Param[] = [
  { name: 'inputSize', type: T.int({ min: 0 }), doc: 'features of each input step' },
  { name: 'hiddenSize', type: T.int({ min: 1 }), doc: 'features of the hidden state' },
  { name: 'numLayers', type: T.int({ min: 1 }), default: 1, doc: 'recurrent layers stacked' },
];
/** RNN's and RNNCell's activation parameter. @internal */
export const NONLINEARITY: Param = {
  name: 'nonlinearity',
  type: T.oneOf('tanh', 'relu'),
  default: 'tanh',
  doc: "the activation, 'tanh' or 'relu'",
};
const LAYOUT_PARAMS: readonly Param[] = [
  { name: 'bias', type: T.bool, default: true, doc: 'learn the biases b_ih and b_hh' },
  {
    name: 'batchFirst',
    type: T.bool,
    default: false,
    doc: 'input and output are (N, L, H) instead of (L, N, H)',
  },
  {
    name: 'dropout',
    type: T.number({ min: 0, max: 1 }),
    default: 0,
    doc: 'dropout on each layer’s output but the last, in training',
  },
  { name: 'bidirectional', type: T.bool, default: false, doc: 'run both directions' },
];
const PROJ_SIZE: Param = {
  name: 'projSize',
  type: T.int({ min: 0 }),
  default: 0,
  doc: 'LSTM only: project h to this size (0: no projection)',
};
/** The recurrent modules' `dtype`, by name only. @internal */
export const DTYPE: Param = {
  name: 'dtype',
  type: T.floatDtype,
  default: 'float32',
  kwOnly: true,
  doc: 'parameter dtype',
};

/**
 * The constructor parameters of each layer, in PyTorch's positional order
 * (built on use, so that a bundle without the layers drops them).
 */
function signatureOf(name: 'RNN' | 'LSTM' | 'GRU'): readonly Param[] {
  // PyTorch 1.13's RNN takes `nonlinearity` by name only (its positional arguments after the
  // sizes are RNNBase's: numLayers, bias, …); 2.x moved it to the fourth place.
  if (name === 'RNN')
    return [...SIZE_PARAMS, ...LAYOUT_PARAMS, { ...NONLINEARITY, kwOnly: true }, DTYPE];
  if (name === 'LSTM') return [...SIZE_PARAMS, ...LAYOUT_PARAMS, PROJ_SIZE, DTYPE];
  return [...SIZE_PARAMS, ...LAYOUT_PARAMS, DTYPE];
}

/** The positional arguments after the sizes that the three layers share, in PyTorch's order. */
type LayoutArgs = [
  numLayers?: number,
  bias?: boolean,
  batchFirst?: boolean,
  dropout?: number,
  bidirectional?: boolean,
];

/** Options of {@link RNN}, {@link LSTM} and {@link GRU} after the sizes. */
export interface RNNBaseOptions {
  /** Recurrent layers stacked (default 1). */
  numLayers?: number;
  /** Learn the biases `b_ih` and `b_hh` (default true). */
  bias?: boolean;
  /** Input and output as `(N, L, H)` instead of `(L, N, H)` (default false). */
  batchFirst?: boolean;
  /** Dropout probability on each layer's output except the last's, in training mode (default 0). */
  dropout?: number;
  /** Run a second, reversed recurrence and concatenate both outputs (default false). */
  bidirectional?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/** Options of {@link RNN}. */
export interface RNNOptions extends RNNBaseOptions {
  /** `'tanh'` (default) or `'relu'`. */
  nonlinearity?: 'tanh' | 'relu';
}

/** Options of {@link LSTM}. */
export interface LSTMOptions extends RNNBaseOptions {
  /** Project each step's hidden state to this size with a learned `W_hr` (default 0: none). */
  projSize?: number;
}

/**
 * What the recurrent layers share: the parameters, registered and drawn
 * from `U(−1/√hiddenSize, 1/√hiddenSize)` in PyTorch's order, and the
 * forward pass over layers, directions and steps.
 */
export abstract class RNNBase extends Module {
  /** PyTorch's mode string: which recurrence. */
  readonly mode: RnnMode;
  /** Features of each input step. */
  readonly inputSize: number;
  /** Features of the hidden state. */
  readonly hiddenSize: number;
  /** Recurrent layers stacked. */
  readonly numLayers: number;
  /** Whether the layers learn biases. */
  readonly bias: boolean;
  /** Input and output as `(N, L, H)`. */
  readonly batchFirst: boolean;
  /** Dropout probability between layers, in training mode. */
  readonly dropout: number;
  /** Whether a reversed recurrence runs beside the forward one. */
  readonly bidirectional: boolean;
  /** LSTM's projection size (0: none). */
  readonly projSize: number;
  // `m.weight_ih_l0` and its kin are getters defined per instance (their number depends on
  // the layers and directions); the first layer's are typed here.
  /** The first layer's input weights `(gates·hiddenSize, inputSize)`. */
  declare readonly weight_ih_l0: Tensor;
  /** The first layer's hidden weights `(gates·hiddenSize, h)`. */
  declare readonly weight_hh_l0: Tensor;
  /** The first layer's input bias `(gates·hiddenSize)`; undefined without `bias`, as in PyTorch. */
  declare readonly bias_ih_l0: Tensor | undefined;
  /** The first layer's hidden bias `(gates·hiddenSize)`; undefined without `bias`, as in PyTorch. */
  declare readonly bias_hh_l0: Tensor | undefined;

  /**
   * Binds PyTorch's constructor arguments and registers the parameters.
   *
   * @param name - The layer's class name (`'LSTM'`), for the signature and errors.
   * @param mode - The recurrence.
   * @param args - The constructor's arguments, as the subclass received them.
   */
  protected constructor(name: 'RNN' | 'LSTM' | 'GRU', mode: RnnMode | null, args: unknown[]) {
    super();
    const a = bindArgs({ name, params: signatureOf(name) }, args);
    this.mode = mode ?? (a.nonlinearity === 'relu' ? 'RNN_RELU' : 'RNN_TANH');
    this.inputSize = a.inputSize as number;
    this.hiddenSize = a.hiddenSize as number;
    this.numLayers = a.numLayers as number;
    this.bias = a.bias as boolean;
    this.batchFirst = a.batchFirst as boolean;
    this.dropout = a.dropout as number;
    this.bidirectional = a.bidirectional as boolean;
    this.projSize = (a.projSize as number | undefined) ?? 0;
    if (this.projSize >= this.hiddenSize) {
      throw new Error(
        `${name}: projSize (${String(this.projSize)}) has to be smaller than hiddenSize (${String(this.hiddenSize)})`,
      );
    }
    const dtype = a.dtype as 'float32' | 'float64';
    try {
      this.registerWeights(dtype);
    } catch (e) {
      throw prefixError(e, name);
    }
  }

  /** The size of `h`: the projection's, or the hidden size. */
  get outputHiddenSize(): number {
    return this.projSize > 0 ? this.projSize : this.hiddenSize;
  }

  private get directions(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** The parameter names of one layer and direction, PyTorch's `_flat_weights_names` for it. */
  private weightNames(layer: number, direction: number): string[] {
    const s = `_l${String(layer)}${direction === 1 ? '_reverse' : ''}`;
    const names = [`weight_ih${s}`, `weight_hh${s}`];
    if (this.bias) names.push(`bias_ih${s}`, `bias_hh${s}`);
    if (this.projSize > 0) names.push(`weight_hr${s}`);
    return names;
  }

  /** Every parameter name, in PyTorch's registration order. */
  private allWeightNames(): string[] {
    const names: string[] = [];
    for (let l = 0; l < this.numLayers; l++) {
      for (let d = 0; d < this.directions; d++) names.push(...this.weightNames(l, d));
    }
    return names;
  }

  private registerWeights(dtype: DType): void {
    const gates = GATES[this.mode] * this.hiddenSize;
    const h = this.outputHiddenSize;
    const stdv = 1 / Math.sqrt(this.hiddenSize);
    for (let l = 0; l < this.numLayers; l++) {
      const inputs = l === 0 ? this.inputSize : h * this.directions;
      for (let d = 0; d < this.directions; d++) {
        const shapes: number[][] = [
          [gates, inputs],
          [gates, h],
        ];
        if (this.bias) shapes.push([gates], [gates]);
        if (this.projSize > 0) shapes.push([this.projSize, this.hiddenSize]);
        this.weightNames(l, d).forEach((name, k) => {
          this.registerParameter(name, emptyParameter(shapes[k], dtype));
          // `m.weight_ih_l0`, as in PyTorch, reading whatever is registered now.
          Object.defineProperty(this, name, {
            configurable: true,
            enumerable: false,
            get: () => this.param(name),
          });
        });
      }
    }
    // PyTorch's reset_parameters: every parameter in order from U(−stdv, stdv).
    for (const name of this.allWeightNames()) init.uniform_(this.param(name), -stdv, stdv);
  }

  /**
   * The parameters per layer and direction, each list in PyTorch's order
   * (`W_ih`, `W_hh`, then `b_ih`, `b_hh` with biases, then `W_hr` with a
   * projection): PyTorch's `all_weights`.
   */
  get allWeights(): Tensor[][] {
    const out: Tensor[][] = [];
    for (let l = 0; l < this.numLayers; l++) {
      for (let d = 0; d < this.directions; d++) {
        out.push(this.weightNames(l, d).map((n) => this.param(n)));
      }
    }
    return out;
  }

  private weightsOf(layer: number, direction: number): CellWeights {
    const s = `_l${String(layer)}${direction === 1 ? '_reverse' : ''}`;
    return {
      wIh: this.param(`weight_ih${s}`),
      wHh: this.param(`weight_hh${s}`),
      bIh: this.bias ? this.param(`bias_ih${s}`) : null,
      bHh: this.bias ? this.param(`bias_hh${s}`) : null,
      wHr: this.projSize > 0 ? this.param(`weight_hr${s}`) : null,
    };
  }

  /**
   * The whole forward pass: `input` as given (a tensor, or a
   * {@link PackedSequence}), `h0` and `c0` (LSTM) as given or null for
   * zeros. Returns the output in the input's layout and the final states
   * `(numLayers·directions, N, ·)` (unbatched: no N; packed: in the
   * original batch order, each sequence's state after its own last step).
   * @internal
   */
  protected run(
    fn: string,
    input: unknown,
    h0: unknown,
    c0: unknown,
  ): { output: Tensor | PackedSequence; h: Tensor; c: Tensor | null } {
    const packed = input instanceof PackedSequence ? input : null;
    if (!packed && !T.isTensor(input)) {
      throw new Error(
        `${fn}: input must be a Tensor or a PackedSequence, got ${T.describeValue(input)}`,
      );
    }
    const x0 = packed ? packed.data : (input as Tensor);
    if (packed ? x0.ndim !== 2 : x0.ndim !== 2 && x0.ndim !== 3) {
      throw new Error(
        packed
          ? `${fn}: a PackedSequence's data must be 2-D (rows, inputSize), got ${formatShape(x0.shape)}`
          : `${fn}: expected input to be 2-D or 3-D but received ${String(x0.ndim)}-D tensor`,
      );
    }
    const dtype = this.param(this.allWeightNames()[0]).dtype;
    if (x0.dtype !== dtype) {
      throw new Error(
        `${fn}: input has dtype ${x0.dtype} but the layer's parameters are ${dtype}; convert one with .to()`,
      );
    }
    if (x0.shape[x0.ndim - 1] !== this.inputSize) {
      throw new Error(
        `${fn}: input.size(-1) must be equal to inputSize. Expected ${String(this.inputSize)}, got ${String(x0.shape[x0.ndim - 1])}`,
      );
    }
    const batched = packed !== null || x0.ndim === 3;
    const states = this.mode === 'LSTM' ? [h0, c0] : [h0];
    for (const s of states) {
      if (s === null || s === undefined) continue;
      if (!T.isTensor(s)) {
        throw new Error(`${fn}: hx must be a Tensor or null, got ${T.describeValue(s)}`);
      }
      const nd = (s as Tensor).ndim;
      if (batched ? nd !== 3 : nd !== 2) {
        throw new Error(
          batched
            ? `${fn}: for batched 3-D input, hx should also be 3-D but got ${String(nd)}-D tensor`
            : `${fn}: for unbatched 2-D input, hx should also be 2-D but got ${String(nd)}-D tensor`,
        );
      }
      if ((s as Tensor).dtype !== dtype) {
        throw new Error(`${fn}: hx has dtype ${(s as Tensor).dtype}, expected ${dtype}`);
      }
    }
    // The recurrence walks a list of steps: dense input (L, N, H_in) as L tensors (N, H_in),
    // packed input as its rows per step. Layers hand their steps on as a list too: stacking
    // a layer's outputs into one tensor only to slice it again would copy every step, forward
    // and backward, for nothing.
    const sizes = packed ? packed.steps : null;
    let xs: Tensor[];
    if (sizes) {
      let row = 0;
      xs = sizes.map((b) => ((row += b), x0.narrow(0, row - b, b)));
    } else {
      const x = batched ? (this.batchFirst ? x0.transpose(0, 1) : x0) : x0.unsqueeze(1);
      xs = x.unbind(0);
    }
    const batch = sizes ? (sizes[0] ?? 0) : batched ? x0.shape[this.batchFirst ? 0 : 1] : 1;
    const layers = this.numLayers * this.directions;
    const initial = (s: unknown, size: number, which: string): Tensor => {
      if (s === null || s === undefined) return zeros([layers, batch, size], { dtype });
      const t = batched ? (s as Tensor) : (s as Tensor).unsqueeze(1);
      const want = [layers, batch, size];
      if (t.shape.some((d, i) => d !== want[i])) {
        throw new Error(
          `${fn}: expected ${which} size (${want.join(', ')}), got ${formatShape(batched ? t.shape : (s as Tensor).shape)}`,
        );
      }
      // A packed batch runs sorted by length: its states too (PyTorch's permute_hidden).
      return packed?.sortedIndices ? t.indexSelect(1, packed.sortedIndices) : t;
    };
    const hAll = initial(h0, this.outputHiddenSize, this.mode === 'LSTM' ? 'hidden[0]' : 'hidden');
    const cAll = this.mode === 'LSTM' ? initial(c0, this.hiddenSize, 'hidden[1]') : null;
    const [hInit, cInit] = [hAll.unbind(0), cAll ? cAll.unbind(0) : null];
    const hOut: Tensor[] = [];
    const cOut: Tensor[] = [];
    const width = this.outputHiddenSize * this.directions;
    for (let l = 0; l < this.numLayers; l++) {
      const perDirection: Tensor[][] = [];
      for (let d = 0; d < this.directions; d++) {
        const k = l * this.directions + d;
        const start: State = { h: hInit[k], c: cInit ? cInit[k] : null };
        const r = this.direction(xs, sizes, start, this.weightsOf(l, d), d === 1);
        perDirection.push(r.hs);
        hOut.push(r.last.h);
        if (r.last.c) cOut.push(r.last.c);
      }
      const [forward, backward] = perDirection;
      xs = backward ? forward.map((h, t) => cat([h, backward[t]], 1)) : forward;
      if (this.dropout > 0 && this.training && l < this.numLayers - 1) {
        xs = this.dropSteps(xs, sizes, width, dtype);
      }
    }
    let h = stack(hOut, 0);
    let c = cAll ? stack(cOut, 0) : null;
    if (packed) {
      const back = packed.unsortedIndices;
      if (back) {
        h = h.indexSelect(1, back);
        c = c ? c.indexSelect(1, back) : null;
      }
      const data = xs.length > 0 ? cat(xs, 0) : zeros([0, width], { dtype });
      return {
        output: new PackedSequence(data, packed.batchSizes, packed.sortedIndices, back),
        h,
        c,
      };
    }
    let output = xs.length > 0 ? stack(xs, 0) : zeros([0, batch, width], { dtype });
    if (!batched) {
      output = output.squeeze(1);
      h = h.squeeze(1);
      c = c ? c.squeeze(1) : null;
    } else if (this.batchFirst) output = output.transpose(0, 1);
    return { output, h, c };
  }

  /**
   * Dropout between layers, drawn as PyTorch draws it over the whole layer
   * output `(L, N, D·H)` (packed: `(rows, D·H)`) and applied step by step:
   * the noise (`bernoulli(1 − p) / (1 − p)`, a constant) is made once and
   * each step multiplied by its slice, the product PyTorch's `input · noise`.
   */
  private dropSteps(
    xs: readonly Tensor[],
    sizes: readonly number[] | null,
    width: number,
    dtype: DType,
  ): Tensor[] {
    const rows = sizes ? sizes.reduce((a, b) => a + b, 0) : 0;
    const shape = sizes ? [rows, width] : [xs.length, xs[0]?.shape[0] ?? 0, width];
    const noise = noGrad(() =>
      dropoutImpl({
        input: ones(shape, { dtype }),
        p: this.dropout,
        training: true,
        inplace: false,
      }),
    );
    let row = 0;
    const slices = sizes
      ? sizes.map((b) => ((row += b), noise.narrow(0, row - b, b)))
      : noise.unbind(0);
    return xs.map((x, t) => x.mul(slices[t]));
  }

  /**
   * One direction of one layer over the steps: each step's `h` and the
   * last state of every sequence (sorted order when packed). Dense steps
   * all have the batch's rows. Packed steps are walked as ATen's
   * PackedLayer and ReversedPackedLayer walk them: forward, the state keeps
   * the first `sizes[t]` rows at step t and a sequence that ends leaves its
   * last state behind; reversed, the walk starts from the shortest step and
   * takes each sequence's initial state as it joins.
   */
  private direction(
    xs: readonly Tensor[],
    sizes: readonly number[] | null,
    start: State,
    w: CellWeights,
    reverse: boolean,
  ): { hs: Tensor[]; last: State } {
    const steps = xs.length;
    const hs = new Array<Tensor>(steps);
    const step = (t: number, state: State): State => {
      const next = cellStep(this.mode, inputGates(xs[t], w), state, w);
      hs[t] = next.h;
      return next;
    };
    if (!sizes) {
      let state = start;
      for (let s = 0; s < steps; s++) state = step(reverse ? steps - 1 - s : s, state);
      return { hs, last: state };
    }
    const slice = (s: State, from: number, to: number): State => ({
      h: s.h.narrow(0, from, to - from),
      c: s.c ? s.c.narrow(0, from, to - from) : null,
    });
    const join = (parts: State[]): State => ({
      h:
        parts.length === 1
          ? parts[0].h
          : cat(
              parts.map((p) => p.h),
              0,
            ),
      c: parts[0].c
        ? parts.length === 1
          ? parts[0].c
          : cat(
              parts.map((p) => p.c!),
              0,
            )
        : null,
    });
    if (!reverse) {
      let state = start;
      let last = sizes[0];
      const ended: State[] = [];
      for (let t = 0; t < steps; t++) {
        const b = sizes[t];
        if (b < last) {
          ended.push(slice(state, b, last));
          state = slice(state, 0, b);
        }
        last = b;
        state = step(t, state);
      }
      ended.push(state);
      return { hs, last: join(ended.reverse()) };
    }
    let last = sizes[steps - 1];
    let state = slice(start, 0, last);
    for (let t = steps - 1; t >= 0; t--) {
      const b = sizes[t];
      if (b > last) state = join([state, slice(start, last, b)]);
      last = b;
      state = step(t, state);
    }
    return { hs, last: state };
  }

  /** `forward` of the layers with one state (RNN, GRU): the output and `hN`. @internal */
  protected runHidden(
    fn: string,
    args: [input: Tensor | PackedSequence, hx?: Tensor | null],
  ): [output: Tensor | PackedSequence, hN: Tensor] {
    checkArity(fn, args);
    return guarded(fn, () => {
      const r = this.run(fn, args[0], args[1] ?? null, null);
      return [r.output, r.h];
    });
  }

  override extraRepr(): string {
    let s = `${String(this.inputSize)}, ${String(this.hiddenSize)}`;
    if (this.projSize !== 0) s += `, proj_size=${String(this.projSize)}`;
    if (this.numLayers !== 1) s += `, num_layers=${String(this.numLayers)}`;
    if (!this.bias) s += `, bias=${pyBool(false)}`;
    if (this.batchFirst) s += `, batch_first=${pyBool(true)}`;
    if (this.dropout !== 0) s += `, dropout=${pyNum(this.dropout)}`;
    if (this.bidirectional) s += `, bidirectional=${pyBool(true)}`;
    return s;
  }
}

/** Runs `forward`'s body, prefixing any error with the layer's name. */
function guarded<R>(fn: string, body: () => R): R {
  try {
    return body();
  } catch (e) {
    throw prefixError(e, fn);
  }
}

function checkArity(fn: string, args: unknown[]): void {
  if (args.length < 1 || args.length > 2) {
    throw new Error(
      `${fn}: takes 1 or 2 arguments (input, hx) but ${String(args.length)} were given`,
    );
  }
}

/**
 * An Elman recurrent layer: `h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh)`
 * with act `tanh` or `relu`, over every step of a sequence, in
 * `numLayers` stacked layers (each one's output the next one's input),
 * optionally in both directions. Parameters `weight_ih_l{k}`,
 * `weight_hh_l{k}`, `bias_ih_l{k}`, `bias_hh_l{k}` (`_reverse` for the
 * second direction), all from `U(−1/√hiddenSize, 1/√hiddenSize)` in that
 * order, so a seed gives PyTorch's weights.
 *
 * Constructor: `(inputSize, hiddenSize, numLayers = 1, bias = true,
 * batchFirst = false, dropout = 0, bidirectional = false)` by position or
 * name, `nonlinearity = 'tanh'` and `dtype` by name (PyTorch 1.13's order:
 * its `RNN(10, 20, 2, 'relu')` binds `'relu'` to `bias`, which nnkit
 * refuses). `forward(input, hx?)`
 * returns `[output, hN]`: output `(L, N, D·H)` (`batchFirst`: `(N, L, D·H)`,
 * unbatched input `(L, H_in)`: `(L, D·H)`), `hN` `(D·numLayers, N, H)`.
 *
 * Matches `torch.nn.RNN`.
 * @example
 * ```ts
 * import { manualSeed, nn, randn } from 'nnkit';
 * manualSeed(0);
 * const rnn = new nn.RNN(10, 20, 2);
 * const [output, hN] = rnn.forward(randn([5, 3, 10]));
 * console.log(output.shape, hN.shape); // [ 5, 3, 20 ] [ 2, 3, 20 ]
 * console.log(rnn.toString()); // RNN(10, 20, num_layers=2)
 * ```
 */
export class RNN extends RNNBase {
  /**
   * Creates the layer with PyTorch's initialisation; see {@link RNNOptions}.
   *
   * @param inputSize - Features of each input step. PyTorch's `input_size`.
   * @param hiddenSize - Features of the hidden state. PyTorch's `hidden_size`.
   * @param rest - `numLayers`, `bias`, `batchFirst`, `dropout`, `bidirectional` by
   *   position, then an options object with `nonlinearity` and `dtype`; or one options
   *   object with them all.
   */
  constructor(
    inputSize: number,
    hiddenSize: number,
    ...rest:
      | [options?: RNNOptions]
      | [...LayoutArgs, options?: { nonlinearity?: 'tanh' | 'relu'; dtype?: DType }]
  );
  constructor(...args: unknown[]) {
    super('RNN', null, args);
  }

  /** The output at every step and the last hidden state of every layer and direction. */
  forward(input: Tensor, hx?: Tensor | null): [output: Tensor, hN: Tensor];
  /** A packed batch's outputs, packed alike, and every sequence's last hidden state. */
  forward(input: PackedSequence, hx?: Tensor | null): [output: PackedSequence, hN: Tensor];
  forward(
    ...args: [input: Tensor | PackedSequence, hx?: Tensor | null]
  ): [output: Tensor | PackedSequence, hN: Tensor] {
    return this.runHidden('RNN.forward', args);
  }
}

/**
 * A long short-term memory layer over every step of a sequence:
 * `i, f, g, o = σ, σ, tanh, σ (x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh)`
 * (four blocks of `hiddenSize`), `c_t = f·c_{t−1} + i·g`,
 * `h_t = o·tanh(c_t)` (times `W_hrᵀ` with `projSize`), in `numLayers`
 * stacked layers, optionally in both directions. Parameters as
 * {@link RNN}'s, plus `weight_hr_l{k}` with a projection.
 *
 * Constructor: `(inputSize, hiddenSize, numLayers = 1, bias = true,
 * batchFirst = false, dropout = 0, bidirectional = false, projSize = 0)`
 * by position or name, `dtype` by name. `forward(input, [h0, c0]?)`
 * returns `[output, [hN, cN]]`.
 *
 * Matches `torch.nn.LSTM`.
 * @example
 * ```ts
 * import { manualSeed, nn, randn } from 'nnkit';
 * manualSeed(0);
 * const lstm = new nn.LSTM(10, 20, { batchFirst: true });
 * const [output, [hN, cN]] = lstm.forward(randn([3, 5, 10]));
 * console.log(output.shape, hN.shape, cN.shape); // [ 3, 5, 20 ] [ 1, 3, 20 ] [ 1, 3, 20 ]
 * console.log(lstm.weight_ih_l0.shape); // [ 80, 10 ]
 * ```
 */
export class LSTM extends RNNBase {
  /**
   * Creates the layer with PyTorch's initialisation; see {@link LSTMOptions}.
   *
   * @param inputSize - Features of each input step. PyTorch's `input_size`.
   * @param hiddenSize - Features of the cell and hidden state. PyTorch's `hidden_size`.
   * @param rest - `numLayers`, `bias`, `batchFirst`, `dropout`, `bidirectional`,
   *   `projSize` by position, or an options object with them and `dtype`.
   */
  constructor(
    inputSize: number,
    hiddenSize: number,
    ...rest:
      [options?: LSTMOptions] | [...LayoutArgs, projSize?: number, options?: { dtype?: DType }]
  );
  constructor(...args: unknown[]) {
    super('LSTM', 'LSTM', args);
  }

  /** The output at every step, and the last hidden and cell states of every layer and direction. */
  forward(
    input: Tensor,
    hx?: readonly [h0: Tensor, c0: Tensor] | null,
  ): [output: Tensor, state: [hN: Tensor, cN: Tensor]];
  /** A packed batch's outputs, packed alike, and every sequence's last hidden and cell states. */
  forward(
    input: PackedSequence,
    hx?: readonly [h0: Tensor, c0: Tensor] | null,
  ): [output: PackedSequence, state: [hN: Tensor, cN: Tensor]];
  forward(
    ...args: [input: Tensor | PackedSequence, hx?: readonly [h0: Tensor, c0: Tensor] | null]
  ): [output: Tensor | PackedSequence, state: [hN: Tensor, cN: Tensor]] {
    checkArity('LSTM.forward', args);
    return guarded('LSTM.forward', () => {
      const hx = args[1] ?? null;
      if (hx !== null && !(Array.isArray(hx) && hx.length === 2)) {
        throw new Error(
          `LSTM.forward: hx must be a pair [h0, c0] or null, got ${T.describeValue(hx)}`,
        );
      }
      const r = this.run('LSTM.forward', args[0], hx?.[0] ?? null, hx?.[1] ?? null);
      return [r.output, [r.h, r.c!]];
    });
  }
}

/**
 * A gated recurrent unit layer over every step of a sequence:
 * `r, z = σ(x_t·W_i{r,z}ᵀ + b_i{r,z} + h_{t−1}·W_h{r,z}ᵀ + b_h{r,z})`,
 * `n = tanh(x_t·W_inᵀ + b_in + r·(h_{t−1}·W_hnᵀ + b_hn))`,
 * `h_t = (1 − z)·n + z·h_{t−1}` (computed as `(h − n)·z + n`, PyTorch's
 * rounding), in `numLayers` stacked layers, optionally in both directions.
 * Parameters as {@link RNN}'s, each with three blocks.
 *
 * Constructor: `(inputSize, hiddenSize, numLayers = 1, bias = true,
 * batchFirst = false, dropout = 0, bidirectional = false)` by position or
 * name, `dtype` by name. `forward(input, hx?)` returns `[output, hN]`.
 *
 * Matches `torch.nn.GRU`.
 * @example
 * ```ts
 * import { manualSeed, nn, randn } from 'nnkit';
 * manualSeed(0);
 * const gru = new nn.GRU(4, 8, { bidirectional: true });
 * const [output, hN] = gru.forward(randn([6, 4]));
 * console.log(output.shape, hN.shape); // [ 6, 16 ] [ 2, 8 ]
 * ```
 */
export class GRU extends RNNBase {
  /**
   * Creates the layer with PyTorch's initialisation; see {@link RNNBaseOptions}.
   *
   * @param inputSize - Features of each input step. PyTorch's `input_size`.
   * @param hiddenSize - Features of the hidden state. PyTorch's `hidden_size`.
   * @param rest - `numLayers`, `bias`, `batchFirst`, `dropout`, `bidirectional`
   *   by position, or an options object with them and `dtype`.
   */
  constructor(
    inputSize: number,
    hiddenSize: number,
    ...rest: [options?: RNNBaseOptions] | [...LayoutArgs, options?: { dtype?: DType }]
  );
  constructor(...args: unknown[]) {
    super('GRU', 'GRU', args);
  }

  /** The output at every step and the last hidden state of every layer and direction. */
  forward(input: Tensor, hx?: Tensor | null): [output: Tensor, hN: Tensor];
  /** A packed batch's outputs, packed alike, and every sequence's last hidden state. */
  forward(input: PackedSequence, hx?: Tensor | null): [output: PackedSequence, hN: Tensor];
  forward(
    ...args: [input: Tensor | PackedSequence, hx?: Tensor | null]
  ): [output: Tensor | PackedSequence, hN: Tensor] {
    return this.runHidden('GRU.forward', args);
  }
}
