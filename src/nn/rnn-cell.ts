/**
 * The recurrent cells `nn.RNNCell`, `nn.LSTMCell` and `nn.GRUCell`: one
 * step of rnn-math.ts's recurrences, for loops written by hand. PyTorch
 * 1.13's constructors, parameter names (`weight_ih`, `weight_hh`,
 * `bias_ih`, `bias_hh`) and initialisation; input `(N, H_in)` or unbatched
 * `(H_in)`.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { zeros } from '../tensor/creation.js';
import { Module, pyBool } from './module.js';
import { emptyParameter } from './linear.js';
import * as init from './init.js';
import { DTYPE, NONLINEARITY } from './rnn.js';
import { GATES, cellStep, inputGates, type CellWeights, type RnnMode } from './rnn-math.js';
import { bindArgs, prefixError, type Param } from '../signature/bind.js';
import * as T from '../signature/types.js';

const PARAMS: readonly Param[] = [
  { name: 'inputSize', type: T.int({ min: 0 }), doc: 'features of the input' },
  { name: 'hiddenSize', type: T.int({ min: 1 }), doc: 'features of the hidden state' },
  { name: 'bias', type: T.bool, default: true, doc: 'learn the biases b_ih and b_hh' },
];
/** Options of {@link RNNCell}, {@link LSTMCell} and {@link GRUCell} after the sizes. */
export interface RNNCellOptions {
  /** Learn the biases `b_ih` and `b_hh` (default true). */
  bias?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/**
 * What the cells share: `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`
 * drawn from `U(−1/√hiddenSize, 1/√hiddenSize)` in that order, and one
 * step with PyTorch's checks.
 */
export abstract class RNNCellBase extends Module {
  /** Which recurrence. */
  readonly mode: RnnMode;
  /** Features of the input. */
  readonly inputSize: number;
  /** Features of the hidden state. */
  readonly hiddenSize: number;

  /**
   * Binds PyTorch's constructor arguments and registers the parameters.
   *
   * @param name - The cell's class name, for the signature and errors.
   * @param mode - The recurrence (null: RNNCell's, from `nonlinearity`).
   * @param args - The constructor's arguments, as the subclass received them.
   */
  protected constructor(
    name: 'RNNCell' | 'LSTMCell' | 'GRUCell',
    mode: RnnMode | null,
    args: unknown[],
  ) {
    super();
    const params = name === 'RNNCell' ? [...PARAMS, NONLINEARITY, DTYPE] : [...PARAMS, DTYPE];
    const a = bindArgs({ name, params }, args);
    this.mode = mode ?? (a.nonlinearity === 'relu' ? 'RNN_RELU' : 'RNN_TANH');
    this.inputSize = a.inputSize as number;
    this.hiddenSize = a.hiddenSize as number;
    const dtype = a.dtype as 'float32' | 'float64';
    const gates = GATES[this.mode] * this.hiddenSize;
    try {
      const w = [
        this.registerParameter('weight_ih', emptyParameter([gates, this.inputSize], dtype)),
        this.registerParameter('weight_hh', emptyParameter([gates, this.hiddenSize], dtype)),
        this.registerParameter('bias_ih', a.bias ? emptyParameter([gates], dtype) : null),
        this.registerParameter('bias_hh', a.bias ? emptyParameter([gates], dtype) : null),
      ];
      const stdv = 1 / Math.sqrt(this.hiddenSize);
      for (const t of w) if (t) init.uniform_(t, -stdv, stdv);
    } catch (e) {
      throw prefixError(e, name);
    }
  }

  /** `(gates·hiddenSize, inputSize)`. */
  get weight_ih(): Tensor {
    return this.param('weight_ih');
  }
  /** `(gates·hiddenSize, hiddenSize)`. */
  get weight_hh(): Tensor {
    return this.param('weight_hh');
  }
  /** `(gates·hiddenSize)`, or null without bias. */
  get bias_ih(): Tensor | null {
    return this.paramOrNull('bias_ih');
  }
  /** `(gates·hiddenSize)`, or null without bias. */
  get bias_hh(): Tensor | null {
    return this.paramOrNull('bias_hh');
  }

  /**
   * One step from `input` and the states as given (null: zeros); returns
   * the new `h` and, for an LSTM cell, `c`, unbatched where the input is.
   * @internal
   */
  protected step(
    fn: string,
    input: unknown,
    h0: unknown,
    c0: unknown,
  ): { h: Tensor; c: Tensor | null } {
    if (!T.isTensor(input)) {
      throw new Error(`${fn}: input must be a Tensor, got ${T.describeValue(input)}`);
    }
    const x0 = input as Tensor;
    if (x0.ndim !== 1 && x0.ndim !== 2) {
      throw new Error(
        `${fn}: expected input to be 1-D or 2-D but received ${String(x0.ndim)}-D tensor`,
      );
    }
    const weights: CellWeights = {
      wIh: this.weight_ih,
      wHh: this.weight_hh,
      bIh: this.bias_ih,
      bHh: this.bias_hh,
      wHr: null,
    };
    if (x0.dtype !== weights.wIh.dtype) {
      throw new Error(
        `${fn}: input has dtype ${x0.dtype} but the cell's parameters are ${weights.wIh.dtype}; convert one with .to()`,
      );
    }
    if (x0.shape[x0.ndim - 1] !== this.inputSize) {
      throw new Error(
        `${fn}: input has inconsistent input size: got ${String(x0.shape[x0.ndim - 1])}, expected ${String(this.inputSize)}`,
      );
    }
    const batched = x0.ndim === 2;
    const x = batched ? x0 : x0.unsqueeze(0);
    const state = (s: unknown, which: string): Tensor => {
      if (s === null || s === undefined) {
        return zeros([x.shape[0], this.hiddenSize], { dtype: x.dtype });
      }
      if (!T.isTensor(s)) {
        throw new Error(`${fn}: ${which} must be a Tensor or null, got ${T.describeValue(s)}`);
      }
      const t = s as Tensor;
      if (t.ndim !== x0.ndim || t.dtype !== x.dtype) {
        throw new Error(
          `${fn}: ${which} should be a ${String(x0.ndim)}-D ${x.dtype} tensor like the input, got ${String(t.ndim)}-D ${t.dtype}`,
        );
      }
      const b = batched ? t : t.unsqueeze(0);
      if (b.shape[0] !== x.shape[0] || b.shape[1] !== this.hiddenSize) {
        throw new Error(
          `${fn}: ${which} has shape ${formatShape(t.shape)}, expected ${formatShape(batched ? [x.shape[0], this.hiddenSize] : [this.hiddenSize])}`,
        );
      }
      return b;
    };
    const h = state(h0, 'hx');
    const c = this.mode === 'LSTM' ? state(c0, 'cx') : null;
    const next = cellStep(this.mode, inputGates(x, weights), { h, c }, weights);
    return {
      h: batched ? next.h : next.h.squeeze(0),
      c: next.c && !batched ? next.c.squeeze(0) : next.c,
    };
  }

  override extraRepr(): string {
    let s = `${String(this.inputSize)}, ${String(this.hiddenSize)}`;
    if (this.bias_ih === null) s += `, bias=${pyBool(false)}`;
    if (this.mode === 'RNN_RELU') s += `, nonlinearity=relu`;
    return s;
  }
}

function call<R>(fn: string, args: unknown[], body: () => R): R {
  if (args.length < 1 || args.length > 2) {
    throw new Error(
      `${fn}: takes 1 or 2 arguments (input, hx) but ${String(args.length)} were given`,
    );
  }
  try {
    return body();
  } catch (e) {
    throw prefixError(e, fn);
  }
}

/**
 * One step of an Elman recurrence,
 * `h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)`, act `tanh` or `relu`.
 * Constructor `(inputSize, hiddenSize, bias = true, nonlinearity = 'tanh')`,
 * `dtype` by name; `forward(input, hx?)` returns `h'`.
 *
 * Matches `torch.nn.RNNCell`.
 * @example
 * ```ts
 * import { manualSeed, nn, randn } from 'nnkit';
 * manualSeed(0);
 * const cell = new nn.RNNCell(10, 20);
 * let h = cell.forward(randn([3, 10]));
 * h = cell.forward(randn([3, 10]), h);
 * console.log(h.shape, cell.toString()); // [ 3, 20 ] RNNCell(10, 20)
 * ```
 */
export class RNNCell extends RNNCellBase {
  /**
   * Creates the cell with PyTorch's initialisation.
   *
   * @param inputSize - Features of the input. PyTorch's `input_size`.
   * @param hiddenSize - Features of the hidden state. PyTorch's `hidden_size`.
   * @param rest - `bias` and `nonlinearity` by position, or an options object with them and `dtype`.
   */
  constructor(
    inputSize: number,
    hiddenSize: number,
    ...rest:
      | [options?: RNNCellOptions & { nonlinearity?: 'tanh' | 'relu' }]
      | [bias?: boolean, nonlinearity?: 'tanh' | 'relu', options?: { dtype?: DType }]
  );
  constructor(...args: unknown[]) {
    super('RNNCell', null, args);
  }

  /** The next hidden state. */
  forward(...args: [input: Tensor, hx?: Tensor | null]): Tensor {
    return call(
      'RNNCell.forward',
      args,
      () => this.step('RNNCell.forward', args[0], args[1], null).h,
    );
  }
}

/**
 * One step of a long short-term memory:
 * `i, f, g, o = σ, σ, tanh, σ (x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)`,
 * `c' = f·c + i·g`, `h' = o·tanh(c')`. Constructor
 * `(inputSize, hiddenSize, bias = true)`, `dtype` by name;
 * `forward(input, [hx, cx]?)` returns `[h', c']`.
 *
 * Matches `torch.nn.LSTMCell`.
 * @example
 * ```ts
 * import { manualSeed, nn, randn } from 'nnkit';
 * manualSeed(0);
 * const cell = new nn.LSTMCell(10, 20);
 * let [h, c] = cell.forward(randn([3, 10]));
 * [h, c] = cell.forward(randn([3, 10]), [h, c]);
 * console.log(h.shape, c.shape); // [ 3, 20 ] [ 3, 20 ]
 * ```
 */
export class LSTMCell extends RNNCellBase {
  /**
   * Creates the cell with PyTorch's initialisation.
   *
   * @param inputSize - Features of the input. PyTorch's `input_size`.
   * @param hiddenSize - Features of the cell and hidden state. PyTorch's `hidden_size`.
   * @param rest - `bias` by position, or an options object with it and `dtype`.
   */
  constructor(
    inputSize: number,
    hiddenSize: number,
    ...rest: [options?: RNNCellOptions] | [bias?: boolean, options?: { dtype?: DType }]
  );
  constructor(...args: unknown[]) {
    super('LSTMCell', 'LSTM', args);
  }

  /** The next hidden and cell states. */
  forward(
    ...args: [input: Tensor, hx?: readonly [hx: Tensor, cx: Tensor] | null]
  ): [h: Tensor, c: Tensor] {
    return call('LSTMCell.forward', args, () => {
      const hx = args[1] ?? null;
      if (hx !== null && !(Array.isArray(hx) && hx.length === 2)) {
        throw new Error(`hx must be a pair [hx, cx] or null, got ${T.describeValue(hx)}`);
      }
      const r = this.step('LSTMCell.forward', args[0], hx?.[0] ?? null, hx?.[1] ?? null);
      return [r.h, r.c!];
    });
  }
}

/**
 * One step of a gated recurrent unit: `r, z = σ(…)`,
 * `n = tanh(x·W_inᵀ + b_in + r·(h·W_hnᵀ + b_hn))`, `h' = (1 − z)·n + z·h`.
 * Constructor `(inputSize, hiddenSize, bias = true)`, `dtype` by name;
 * `forward(input, hx?)` returns `h'`.
 *
 * Matches `torch.nn.GRUCell`.
 * @example
 * ```ts
 * import { manualSeed, nn, randn } from 'nnkit';
 * manualSeed(0);
 * const cell = new nn.GRUCell(4, 8);
 * console.log(cell.forward(randn([4])).shape); // [ 8 ]
 * ```
 */
export class GRUCell extends RNNCellBase {
  /**
   * Creates the cell with PyTorch's initialisation.
   *
   * @param inputSize - Features of the input. PyTorch's `input_size`.
   * @param hiddenSize - Features of the hidden state. PyTorch's `hidden_size`.
   * @param rest - `bias` by position, or an options object with it and `dtype`.
   */
  constructor(
    inputSize: number,
    hiddenSize: number,
    ...rest: [options?: RNNCellOptions] | [bias?: boolean, options?: { dtype?: DType }]
  );
  constructor(...args: unknown[]) {
    super('GRUCell', 'GRU', args);
  }

  /** The next hidden state. */
  forward(...args: [input: Tensor, hx?: Tensor | null]): Tensor {
    return call(
      'GRUCell.forward',
      args,
      () => this.step('GRUCell.forward', args[0], args[1], null).h,
    );
  }
}
