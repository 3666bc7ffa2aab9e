/**
 * TEMPORARY STAND-IN for the registry of public functions (src/registry/, being built by the
 * lead): every activation in the README's table, its PyTorch options with defaults, sensible
 * ranges for controls, a formula and the PyTorch counterpart, written by hand. The registry's
 * entries carry the same facts; when it lands, this file is replaced by a mapping from it and
 * nothing else in the explorer changes.
 */

/** One argument of an activation, as a control. */
export interface OptionInfo {
  /** nnkit's name (camelCase), the key in the options object unless `positional`. */
  name: string;
  /** PyTorch's name (snake_case). */
  torchName: string;
  kind: 'number' | 'bool' | 'enum';
  /** PyTorch's default (for required arguments, a sensible starting value). */
  default: number | boolean | string;
  /** Range of the control for numbers. */
  range?: readonly [number, number];
  /** A slider on a log scale (for scale-like options). */
  logScale?: boolean;
  /** Choices for enums. */
  values?: readonly (string | number)[];
  /** Passed positionally, in order, before the options object (PyTorch requires it). */
  positional?: boolean;
  /** Passed as a one-element tensor (PReLU's learnable weight). */
  tensor?: boolean;
  /** Changes no value on screen (e.g. `inplace`): shown, and passed, for completeness. */
  noVisibleEffect?: boolean;
  /** The value that means "not given" for an enum (PyTorch's None). */
  none?: string;
}

/** How the plotted x becomes the function's input. */
export type InputLayout =
  /** f applied to x elementwise. */
  | 'elementwise'
  /** x is the first of three logits [x, 0, 0]; the plot shows output element 0. */
  | 'row'
  /** Both halves of the input are x: GLU([x, x]) = x·σ(x). */
  | 'glu';

export interface ActivationInfo {
  /** nnkit's functional name, `F.<name>`. */
  name: string;
  /** The module, `nn.<module>`. */
  module: string;
  /** PyTorch's functional counterpart. */
  torch: string;
  options: readonly OptionInfo[];
  /** The formula, in plain text. */
  formula: string;
  layout: InputLayout;
}

const inplace: OptionInfo = {
  name: 'inplace',
  torchName: 'inplace',
  kind: 'bool',
  default: false,
  noVisibleEffect: true,
};

const softmaxOptions: readonly OptionInfo[] = [
  { name: 'dim', torchName: 'dim', kind: 'enum', default: -1, values: [-1], positional: true },
  {
    name: 'temperature',
    torchName: 'temperature',
    kind: 'number',
    default: 1,
    range: [0.1, 10],
    logScale: true,
  },
  {
    name: 'dtype',
    torchName: 'dtype',
    kind: 'enum',
    default: 'none',
    values: ['none', 'float32', 'float64'],
    none: 'none',
  },
];

const lambd: OptionInfo = {
  name: 'lambd',
  torchName: 'lambd',
  kind: 'number',
  default: 0.5,
  range: [0, 3],
};

export const ACTIVATIONS: readonly ActivationInfo[] = [
  {
    name: 'relu',
    module: 'ReLU',
    torch: 'relu',
    options: [inplace],
    formula: 'max(0, x)',
    layout: 'elementwise',
  },
  {
    name: 'rrelu',
    module: 'RReLU',
    torch: 'rrelu',
    options: [
      { name: 'lower', torchName: 'lower', kind: 'number', default: 1 / 8, range: [0, 1] },
      { name: 'upper', torchName: 'upper', kind: 'number', default: 1 / 3, range: [0, 1] },
      { name: 'training', torchName: 'training', kind: 'bool', default: false },
      inplace,
    ],
    formula:
      'x if x ≥ 0 else a·x, a ~ U(lower, upper) per element in training, (lower+upper)/2 in eval',
    layout: 'elementwise',
  },
  {
    name: 'leakyRelu',
    module: 'LeakyReLU',
    torch: 'leaky_relu',
    options: [
      {
        name: 'negativeSlope',
        torchName: 'negative_slope',
        kind: 'number',
        default: 0.01,
        range: [0, 1],
      },
      inplace,
    ],
    formula: 'x if x ≥ 0 else negativeSlope·x',
    layout: 'elementwise',
  },
  {
    name: 'prelu',
    module: 'PReLU',
    torch: 'prelu',
    options: [
      {
        name: 'weight',
        torchName: 'weight',
        kind: 'number',
        default: 0.25,
        range: [-1, 1],
        positional: true,
        tensor: true,
      },
    ],
    formula: 'x if x ≥ 0 else a·x, a learnable (nn.PReLU: init 0.25, numParameters 1)',
    layout: 'elementwise',
  },
  {
    name: 'softplus',
    module: 'Softplus',
    torch: 'softplus',
    options: [
      {
        name: 'beta',
        torchName: 'beta',
        kind: 'number',
        default: 1,
        range: [0.1, 10],
        logScale: true,
      },
      { name: 'threshold', torchName: 'threshold', kind: 'number', default: 20, range: [0.5, 40] },
    ],
    formula: '(1/β)·log(1 + exp(β·x)), x itself where β·x > threshold',
    layout: 'elementwise',
  },
  {
    name: 'elu',
    module: 'ELU',
    torch: 'elu',
    options: [
      { name: 'alpha', torchName: 'alpha', kind: 'number', default: 1, range: [0, 3] },
      inplace,
    ],
    formula: 'x if x > 0 else α·(exp(x) − 1)',
    layout: 'elementwise',
  },
  {
    name: 'celu',
    module: 'CELU',
    torch: 'celu',
    options: [
      { name: 'alpha', torchName: 'alpha', kind: 'number', default: 1, range: [0.1, 3] },
      inplace,
    ],
    formula: 'max(0, x) + min(0, α·(exp(x/α) − 1))',
    layout: 'elementwise',
  },
  {
    name: 'selu',
    module: 'SELU',
    torch: 'selu',
    options: [inplace],
    formula: 'scale·(max(0, x) + min(0, α·(exp(x) − 1))), α ≈ 1.6733, scale ≈ 1.0507',
    layout: 'elementwise',
  },
  {
    name: 'gelu',
    module: 'GELU',
    torch: 'gelu',
    options: [
      {
        name: 'approximate',
        torchName: 'approximate',
        kind: 'enum',
        default: 'none',
        values: ['none', 'tanh'],
      },
    ],
    formula: 'x·Φ(x) (Φ the normal CDF); tanh: 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))',
    layout: 'elementwise',
  },
  {
    name: 'relu6',
    module: 'ReLU6',
    torch: 'relu6',
    options: [inplace],
    formula: 'min(max(0, x), 6)',
    layout: 'elementwise',
  },
  {
    name: 'sigmoid',
    module: 'Sigmoid',
    torch: 'sigmoid',
    options: [],
    formula: '1 / (1 + exp(−x))',
    layout: 'elementwise',
  },
  {
    name: 'tanh',
    module: 'Tanh',
    torch: 'tanh',
    options: [],
    formula: '(exp(x) − exp(−x)) / (exp(x) + exp(−x))',
    layout: 'elementwise',
  },
  {
    name: 'softsign',
    module: 'Softsign',
    torch: 'softsign',
    options: [],
    formula: 'x / (1 + |x|)',
    layout: 'elementwise',
  },
  {
    name: 'hardtanh',
    module: 'Hardtanh',
    torch: 'hardtanh',
    options: [
      { name: 'minVal', torchName: 'min_val', kind: 'number', default: -1, range: [-3, 0] },
      { name: 'maxVal', torchName: 'max_val', kind: 'number', default: 1, range: [0, 3] },
      inplace,
    ],
    formula: 'min(max(x, minVal), maxVal)',
    layout: 'elementwise',
  },
  {
    name: 'threshold',
    module: 'Threshold',
    torch: 'threshold',
    options: [
      {
        name: 'threshold',
        torchName: 'threshold',
        kind: 'number',
        default: 0.5,
        range: [-3, 3],
        positional: true,
      },
      {
        name: 'value',
        torchName: 'value',
        kind: 'number',
        default: -1,
        range: [-3, 3],
        positional: true,
      },
      inplace,
    ],
    formula: 'x if x > threshold else value',
    layout: 'elementwise',
  },
  {
    name: 'tanhshrink',
    module: 'Tanhshrink',
    torch: 'tanhshrink',
    options: [],
    formula: 'x − tanh(x)',
    layout: 'elementwise',
  },
  {
    name: 'softshrink',
    module: 'Softshrink',
    torch: 'softshrink',
    options: [lambd],
    formula: 'x − λ if x > λ, x + λ if x < −λ, else 0',
    layout: 'elementwise',
  },
  {
    name: 'hardshrink',
    module: 'Hardshrink',
    torch: 'hardshrink',
    options: [lambd],
    formula: 'x if |x| > λ else 0',
    layout: 'elementwise',
  },
  {
    name: 'logsigmoid',
    module: 'LogSigmoid',
    torch: 'logsigmoid',
    options: [],
    formula: 'log(1 / (1 + exp(−x)))',
    layout: 'elementwise',
  },
  {
    name: 'softmin',
    module: 'Softmin',
    torch: 'softmin',
    options: softmaxOptions,
    formula: 'exp(−xᵢ/T) / Σⱼ exp(−xⱼ/T)',
    layout: 'row',
  },
  {
    name: 'softmax',
    module: 'Softmax',
    torch: 'softmax',
    options: softmaxOptions,
    formula: 'exp(xᵢ/T) / Σⱼ exp(xⱼ/T)',
    layout: 'row',
  },
  {
    name: 'logSoftmax',
    module: 'LogSoftmax',
    torch: 'log_softmax',
    options: softmaxOptions,
    formula: 'xᵢ/T − log Σⱼ exp(xⱼ/T)',
    layout: 'row',
  },
  {
    name: 'silu',
    module: 'SiLU',
    torch: 'silu',
    options: [inplace],
    formula: 'x·σ(x)',
    layout: 'elementwise',
  },
  {
    name: 'mish',
    module: 'Mish',
    torch: 'mish',
    options: [inplace],
    formula: 'x·tanh(softplus(x))',
    layout: 'elementwise',
  },
  {
    name: 'hardsigmoid',
    module: 'Hardsigmoid',
    torch: 'hardsigmoid',
    options: [inplace],
    formula: '0 if x ≤ −3, 1 if x ≥ 3, else x/6 + 1/2',
    layout: 'elementwise',
  },
  {
    name: 'hardswish',
    module: 'Hardswish',
    torch: 'hardswish',
    options: [inplace],
    formula: 'x·hardsigmoid(x)',
    layout: 'elementwise',
  },
  {
    name: 'glu',
    module: 'GLU',
    torch: 'glu',
    options: [
      { name: 'dim', torchName: 'dim', kind: 'enum', default: -1, values: [-1], positional: true },
    ],
    formula: 'a ⊗ σ(b), the input split in halves a, b along dim',
    layout: 'glu',
  },
];
