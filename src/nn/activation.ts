/**
 * Activation modules. Each wraps the functional form (src/functional) and
 * adds only PyTorch's constructor signature and repr; the formulas live in
 * the elementwise table.
 */
import type { Tensor } from '../tensor/tensor.js';
import { full } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import * as F from '../functional/activation.js';
import * as S from '../functional/softmax.js';
import { Module, pyNum } from './module.js';

/** Python prints defaults as floats (`1.0`); user-given numbers print as JavaScript writes them. */
const num = (v: number | undefined, def: number): string =>
  v === undefined || v === def ? pyNum(def) : String(v);

const inplaceRepr = (inplace: boolean | undefined, lead = ''): string =>
  inplace ? `${lead ? `${lead}, ` : ''}inplace=True` : lead;

/** Base of the stateless activation modules: stores resolved options. */
abstract class Activation<O extends object> extends Module {
  constructor(readonly options: O) {
    super();
  }
  abstract forward(input: Tensor): Tensor;
}

/** `ReLU()`: max(0, x). Matches `torch.nn.ReLU`. @example new nn.ReLU().forward(x) */
export class ReLU extends Activation<F.InplaceOption> {
  constructor(opts: F.InplaceOption = {}) {
    super(opts);
  }
  forward(input: Tensor): Tensor {
    return F.relu(input, this.options);
  }
  override extraRepr(): string {
    return inplaceRepr(this.options.inplace);
  }
}

/**
 * Randomized leaky ReLU: random slopes in U(lower, upper) in training mode,
 * (lower + upper)/2 in eval mode. Matches `torch.nn.RReLU`.
 * @example const m = new nn.RReLU({ lower: 0.1, upper: 0.3 }); m.eval();
 */
export class RReLU extends Activation<{ lower: number; upper: number; inplace?: boolean }> {
  constructor(opts: { lower?: number; upper?: number; inplace?: boolean } = {}) {
    super({ lower: opts.lower ?? 1 / 8, upper: opts.upper ?? 1 / 3, inplace: opts.inplace });
  }
  forward(input: Tensor): Tensor {
    return F.rrelu(input, { ...this.options, training: this.training });
  }
  override extraRepr(): string {
    return inplaceRepr(
      this.options.inplace,
      `lower=${this.options.lower}, upper=${this.options.upper}`,
    );
  }
}

/** LeakyReLU with `negativeSlope` (default 0.01). Matches `torch.nn.LeakyReLU`. @example new nn.LeakyReLU({ negativeSlope: 0.2 }) */
export class LeakyReLU extends Activation<F.LeakyReluOptions> {
  constructor(opts: F.LeakyReluOptions = {}) {
    super({ negativeSlope: 0.01, ...opts });
  }
  forward(input: Tensor): Tensor {
    return F.leakyRelu(input, this.options);
  }
  override extraRepr(): string {
    return inplaceRepr(
      this.options.inplace,
      `negative_slope=${num(this.options.negativeSlope, 0.01)}`,
    );
  }
}

export interface PReLUOptions {
  /** 1 (one shared slope) or the number of channels (dimension 1 of the input). */
  numParameters?: number;
  /** Initial slope (default 0.25). */
  init?: number;
  dtype?: DType;
}

/**
 * PReLU with a learnable slope `weight` of `numParameters` elements
 * (state-dict key `weight`). Matches `torch.nn.PReLU`.
 * @example const act = new nn.PReLU({ numParameters: 3, init: 0.1 });
 */
export class PReLU extends Module {
  readonly numParameters: number;
  constructor(opts: PReLUOptions = {}) {
    super();
    this.numParameters = opts.numParameters ?? 1;
    if (!Number.isInteger(this.numParameters) || this.numParameters < 1) {
      throw new Error(`PReLU: numParameters must be a positive integer, got ${this.numParameters}`);
    }
    this.registerParameter(
      'weight',
      full([this.numParameters], opts.init ?? 0.25, { dtype: opts.dtype }),
    );
  }
  get weight(): Tensor {
    return this.param('weight');
  }
  forward(input: Tensor): Tensor {
    return F.prelu(input, this.weight);
  }
  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}

/** Softplus {beta: 1, threshold: 20}. Matches `torch.nn.Softplus`. @example new nn.Softplus({ beta: 2 }) */
export class Softplus extends Activation<Required<F.SoftplusOptions>> {
  constructor(opts: F.SoftplusOptions = {}) {
    super({ beta: opts.beta ?? 1, threshold: opts.threshold ?? 20 });
  }
  forward(input: Tensor): Tensor {
    return F.softplus(input, this.options);
  }
  override extraRepr(): string {
    return `beta=${this.options.beta}, threshold=${this.options.threshold}`;
  }
}

/** ELU {alpha: 1}. Matches `torch.nn.ELU`. @example new nn.ELU({ alpha: 0.5 }) */
export class ELU extends Activation<F.EluOptions> {
  constructor(opts: F.EluOptions = {}) {
    super({ alpha: 1, ...opts });
  }
  forward(input: Tensor): Tensor {
    return F.elu(input, this.options);
  }
  override extraRepr(): string {
    return inplaceRepr(this.options.inplace, `alpha=${num(this.options.alpha, 1)}`);
  }
}

/** CELU {alpha: 1}. Matches `torch.nn.CELU`. @example new nn.CELU({ alpha: 2 }) */
export class CELU extends Activation<F.EluOptions> {
  constructor(opts: F.EluOptions = {}) {
    super({ alpha: 1, ...opts });
  }
  forward(input: Tensor): Tensor {
    return F.celu(input, this.options);
  }
  override extraRepr(): string {
    return inplaceRepr(this.options.inplace, `alpha=${num(this.options.alpha, 1)}`);
  }
}

/** SELU. Matches `torch.nn.SELU`. @example new nn.SELU() */
export class SELU extends Activation<F.InplaceOption> {
  constructor(opts: F.InplaceOption = {}) {
    super(opts);
  }
  forward(input: Tensor): Tensor {
    return F.selu(input, this.options);
  }
  override extraRepr(): string {
    return inplaceRepr(this.options.inplace);
  }
}

/** GELU {approximate: 'none' | 'tanh'}. Matches `torch.nn.GELU`. @example new nn.GELU({ approximate: 'tanh' }) */
export class GELU extends Activation<F.GeluOptions> {
  constructor(opts: F.GeluOptions = {}) {
    super({ approximate: opts.approximate ?? 'none' });
  }
  forward(input: Tensor): Tensor {
    return F.gelu(input, this.options);
  }
  override extraRepr(): string {
    return `approximate='${this.options.approximate}'`;
  }
}

/** ReLU6 = hardtanh(x, 0, 6). Matches `torch.nn.ReLU6`. @example new nn.ReLU6() */
export class ReLU6 extends Activation<F.InplaceOption> {
  constructor(opts: F.InplaceOption = {}) {
    super(opts);
  }
  forward(input: Tensor): Tensor {
    return F.relu6(input, this.options);
  }
  override extraRepr(): string {
    return inplaceRepr(this.options.inplace);
  }
}

/** Sigmoid. Matches `torch.nn.Sigmoid`. @example new nn.Sigmoid() */
export class Sigmoid extends Activation<object> {
  constructor() {
    super({});
  }
  forward(input: Tensor): Tensor {
    return F.sigmoid(input);
  }
}

/** Tanh. Matches `torch.nn.Tanh`. @example new nn.Tanh() */
export class Tanh extends Activation<object> {
  constructor() {
    super({});
  }
  forward(input: Tensor): Tensor {
    return F.tanh(input);
  }
}

/** Softsign. Matches `torch.nn.Softsign`. @example new nn.Softsign() */
export class Softsign extends Activation<object> {
  constructor() {
    super({});
  }
  forward(input: Tensor): Tensor {
    return F.softsign(input);
  }
}

/** Hardtanh {minVal: −1, maxVal: 1}. Matches `torch.nn.Hardtanh`. @example new nn.Hardtanh({ minVal: -2, maxVal: 2 }) */
export class Hardtanh extends Activation<F.HardtanhOptions> {
  constructor(opts: F.HardtanhOptions = {}) {
    super({ minVal: -1, maxVal: 1, ...opts });
    F.hardtanh(full([0], 0), { minVal: this.options.minVal, maxVal: this.options.maxVal });
  }
  forward(input: Tensor): Tensor {
    return F.hardtanh(input, this.options);
  }
  override extraRepr(): string {
    return inplaceRepr(
      this.options.inplace,
      `min_val=${num(this.options.minVal, -1)}, max_val=${num(this.options.maxVal, 1)}`,
    );
  }
}

/** Threshold(threshold, value): x if x > threshold else value. Matches `torch.nn.Threshold`. @example new nn.Threshold(0.1, 20) */
export class Threshold extends Module {
  constructor(
    readonly threshold: number,
    readonly value: number,
    readonly options: F.InplaceOption = {},
  ) {
    super();
  }
  forward(input: Tensor): Tensor {
    return F.threshold(input, this.threshold, this.value, this.options);
  }
  override extraRepr(): string {
    return inplaceRepr(this.options.inplace, `threshold=${this.threshold}, value=${this.value}`);
  }
}

/** Tanhshrink. Matches `torch.nn.Tanhshrink`. @example new nn.Tanhshrink() */
export class Tanhshrink extends Activation<object> {
  constructor() {
    super({});
  }
  forward(input: Tensor): Tensor {
    return F.tanhshrink(input);
  }
}

/** Softshrink {lambd: 0.5}. Matches `torch.nn.Softshrink`. @example new nn.Softshrink({ lambd: 0.3 }) */
export class Softshrink extends Activation<Required<F.ShrinkOptions>> {
  constructor(opts: F.ShrinkOptions = {}) {
    super({ lambd: opts.lambd ?? 0.5 });
    F.softshrink(full([0], 0), this.options);
  }
  forward(input: Tensor): Tensor {
    return F.softshrink(input, this.options);
  }
  override extraRepr(): string {
    return String(this.options.lambd);
  }
}

/** Hardshrink {lambd: 0.5}. Matches `torch.nn.Hardshrink`. @example new nn.Hardshrink({ lambd: 0.3 }) */
export class Hardshrink extends Activation<Required<F.ShrinkOptions>> {
  constructor(opts: F.ShrinkOptions = {}) {
    super({ lambd: opts.lambd ?? 0.5 });
    F.hardshrink(full([0], 0), this.options);
  }
  forward(input: Tensor): Tensor {
    return F.hardshrink(input, this.options);
  }
  override extraRepr(): string {
    return String(this.options.lambd);
  }
}

/** LogSigmoid. Matches `torch.nn.LogSigmoid`. @example new nn.LogSigmoid() */
export class LogSigmoid extends Activation<object> {
  constructor() {
    super({});
  }
  forward(input: Tensor): Tensor {
    return F.logsigmoid(input);
  }
}

export interface SoftmaxModuleOptions extends S.SoftmaxOptions {
  /** The dimension to normalise over (required at forward time, as in PyTorch 2). */
  dim?: number;
}

abstract class SoftmaxLike extends Module {
  readonly dim: number | undefined;
  readonly temperature: number;
  constructor(opts: SoftmaxModuleOptions) {
    super();
    this.dim = opts.dim;
    this.temperature = opts.temperature ?? 1;
  }
  protected abstract apply(input: Tensor, dim: number, opts: S.SoftmaxOptions): Tensor;
  forward(input: Tensor): Tensor {
    return this.apply(input, this.dim as number, { temperature: this.temperature });
  }
  override extraRepr(): string {
    const dim = `dim=${this.dim === undefined ? 'None' : this.dim}`;
    return this.temperature === 1 ? dim : `${dim}, temperature=${this.temperature}`;
  }
}

/** Softmin over `dim`. Matches `torch.nn.Softmin` (plus temperature). @example new nn.Softmin({ dim: 1 }) */
export class Softmin extends SoftmaxLike {
  constructor(opts: SoftmaxModuleOptions = {}) {
    super(opts);
  }
  protected apply(input: Tensor, dim: number, opts: S.SoftmaxOptions): Tensor {
    return S.softmin(input, dim, opts);
  }
}

/** Softmax over `dim`. Matches `torch.nn.Softmax` (plus temperature). @example new nn.Softmax({ dim: 1, temperature: 2 }) */
export class Softmax extends SoftmaxLike {
  constructor(opts: SoftmaxModuleOptions = {}) {
    super(opts);
  }
  protected apply(input: Tensor, dim: number, opts: S.SoftmaxOptions): Tensor {
    return S.softmax(input, dim, opts);
  }
}

/** LogSoftmax over `dim`. Matches `torch.nn.LogSoftmax` (plus temperature). @example new nn.LogSoftmax({ dim: 1 }) */
export class LogSoftmax extends SoftmaxLike {
  constructor(opts: SoftmaxModuleOptions = {}) {
    super(opts);
  }
  protected apply(input: Tensor, dim: number, opts: S.SoftmaxOptions): Tensor {
    return S.logSoftmax(input, dim, opts);
  }
}

/** SiLU. Matches `torch.nn.SiLU`. @example new nn.SiLU() */
export class SiLU extends Activation<F.InplaceOption> {
  constructor(opts: F.InplaceOption = {}) {
    super(opts);
  }
  forward(input: Tensor): Tensor {
    return F.silu(input, this.options);
  }
  override extraRepr(): string {
    return inplaceRepr(this.options.inplace);
  }
}

/** Mish. Matches `torch.nn.Mish`. @example new nn.Mish() */
export class Mish extends Activation<F.InplaceOption> {
  constructor(opts: F.InplaceOption = {}) {
    super(opts);
  }
  forward(input: Tensor): Tensor {
    return F.mish(input, this.options);
  }
  override extraRepr(): string {
    return inplaceRepr(this.options.inplace);
  }
}

/** Hardsigmoid. Matches `torch.nn.Hardsigmoid`. @example new nn.Hardsigmoid() */
export class Hardsigmoid extends Activation<F.InplaceOption> {
  constructor(opts: F.InplaceOption = {}) {
    super(opts);
  }
  forward(input: Tensor): Tensor {
    return F.hardsigmoid(input, this.options);
  }
}

/** Hardswish. Matches `torch.nn.Hardswish`. @example new nn.Hardswish() */
export class Hardswish extends Activation<F.InplaceOption> {
  constructor(opts: F.InplaceOption = {}) {
    super(opts);
  }
  forward(input: Tensor): Tensor {
    return F.hardswish(input, this.options);
  }
}

/** GLU over `dim` (default −1). Matches `torch.nn.GLU`. @example new nn.GLU({ dim: 1 }) */
export class GLU extends Activation<{ dim: number }> {
  constructor(opts: { dim?: number } = {}) {
    super({ dim: opts.dim ?? -1 });
  }
  forward(input: Tensor): Tensor {
    return F.glu(input, this.options.dim);
  }
  override extraRepr(): string {
    return `dim=${this.options.dim}`;
  }
}
