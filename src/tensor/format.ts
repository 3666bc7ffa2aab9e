/**
 * Printing tensors exactly as PyTorch 1.13 prints them (`torch/_tensor_str.py`):
 * one number format per tensor chosen by `_Formatter`, columns padded to a
 * common width, rows wrapped at `linewidth`, tensors of more than `threshold`
 * elements summarised with `...`, and the suffixes (`size=`, `dtype=`,
 * `grad_fn=`, `requires_grad=`) in PyTorch's order.
 *
 * Only the elements that will be printed are read: a summarised 1000×1000
 * tensor costs 36 element reads, and an empty tensor none, whatever its shape.
 */
import type { Tensor } from './tensor.js';
import type { DType } from './dtype.js';
import { bindArgs, type Signature } from '../signature/bind.js';
import * as T from '../signature/types.js';

/** PyTorch's print options (`torch._tensor_str.PRINT_OPTS`). */
export interface PrintOptions {
  /** Digits after the decimal point (default 4). */
  precision: number;
  /** Tensors with more elements than this are summarised (default 1000; `Infinity` never). */
  threshold: number;
  /** Items shown at each end of a summarised dimension (default 3). */
  edgeitems: number;
  /** Characters per line before a row wraps (default 80). */
  linewidth: number;
  /** `true`/`false` forces scientific notation on/off; `null` lets the formatter choose. */
  sciMode: boolean | null;
}

const DEFAULTS: Readonly<PrintOptions> = {
  precision: 4,
  threshold: 1000,
  edgeitems: 3,
  linewidth: 80,
  sciMode: null,
};

const PROFILES: Record<'default' | 'short' | 'full', Omit<PrintOptions, 'sciMode'>> = {
  default: { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
};

const printOptions: PrintOptions = { ...DEFAULTS };

const SET_PRINT_OPTIONS: Signature = {
  name: 'setPrintOptions',
  params: [
    {
      name: 'precision',
      type: T.optional(T.int({ min: 0, max: 100 })),
      default: null,
      doc: 'digits after the decimal point',
    },
    {
      name: 'threshold',
      type: T.optional(T.number({ min: 0 })),
      default: null,
      doc: 'elements above which a tensor is summarised',
    },
    {
      name: 'edgeitems',
      type: T.optional(T.int({ min: 1 })),
      default: null,
      doc: 'items at each end of a summarised dimension',
    },
    {
      name: 'linewidth',
      type: T.optional(T.int({ min: 1 })),
      default: null,
      doc: 'characters per line',
    },
    {
      name: 'profile',
      type: T.optional(T.oneOf('default', 'short', 'full')),
      default: null,
      doc: "'default', 'short' or 'full' presets",
    },
    {
      name: 'sciMode',
      type: T.optional(T.bool),
      default: null,
      doc: 'force scientific notation on or off',
    },
  ],
};

/**
 * Sets how tensors print, like `torch.set_printoptions(precision, threshold,
 * edgeitems, linewidth, profile, sci_mode)`: arguments positionally in
 * PyTorch's order or by name; omitted ones keep their value, except
 * `sciMode`, which (as in PyTorch) returns to automatic (`null`) unless given.
 * `profile` (`'default'`, `'short'`, `'full'`) applies first. Differences:
 * `edgeitems` must be at least 1 (PyTorch accepts 0, then prints the last
 * dimension whole and fails on summarised matrices) and `precision` at most
 * 100.
 * @example
 * ```ts
 * import { setPrintOptions, tensor } from 'nnkit';
 * setPrintOptions({ precision: 2 });
 * console.log(tensor([1.12345, 2])); // tensor([1.12, 2.00])
 * setPrintOptions({ threshold: 5 });
 * console.log(tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])); // tensor([0., 1., 2.,  ..., 7., 8., 9.])
 * setPrintOptions({ profile: 'default' });
 * console.log(tensor([1.12345, 2])); // tensor([1.1235, 2.0000])
 * ```
 * @param args - `precision`, `threshold`, `edgeitems`, `linewidth`, `profile`, `sciMode` (PyTorch's `sci_mode`) by position, or one options object with those names; an omitted one keeps its current value, but `sciMode` returns to automatic (`null`).
 */
export function setPrintOptions(
  ...args:
    | [options?: SetPrintOptions]
    | [
        precision?: number | null,
        threshold?: number | null,
        edgeitems?: number | null,
        linewidth?: number | null,
        profile?: 'default' | 'short' | 'full' | null,
        sciMode?: boolean | null,
        options?: SetPrintOptions,
      ]
): void {
  const b = bindArgs(SET_PRINT_OPTIONS, args);
  const profile = b.profile as keyof typeof PROFILES | null;
  if (profile !== null) Object.assign(printOptions, PROFILES[profile]);
  for (const key of ['precision', 'threshold', 'edgeitems', 'linewidth'] as const) {
    const v = b[key] as number | null;
    if (v !== null) printOptions[key] = v;
  }
  printOptions.sciMode = b.sciMode as boolean | null;
}

/** The named form of `setPrintOptions`' arguments. */
export interface SetPrintOptions {
  /** Digits after the decimal point (PyTorch's default 4). */
  precision?: number | null;
  /** Tensors with more elements than this are summarised with `...` (default 1000). */
  threshold?: number | null;
  /** Items shown at each end of a summarised dimension (default 3). */
  edgeitems?: number | null;
  /** Characters per line before a row wraps (default 80). */
  linewidth?: number | null;
  /** A preset applied first: `'default'`, `'short'` (precision 2, edgeitems 2) or `'full'` (never summarise). */
  profile?: 'default' | 'short' | 'full' | null;
  /** `true`/`false` force scientific notation on/off; `null` lets the formatter choose. */
  sciMode?: boolean | null;
}

/**
 * The current print options (a copy), like PyTorch 2's `torch.get_printoptions()`.
 * @example
 * ```ts
 * import { getPrintOptions } from 'nnkit';
 * console.log(getPrintOptions().precision); // 4
 * ```
 */
export function getPrintOptions(): PrintOptions {
  return { ...printOptions };
}

/**
 * The PyTorch-like name of an autograd node: nnkit's op name with its first
 * letter capitalised and `Backward0` appended (`mul` → `MulBackward0`,
 * `relu` → `ReluBackward0`, `nllLoss` → `NllLossBackward0`,
 * `crossEntropy` → `CrossEntropyBackward0`). It coincides with PyTorch's
 * name wherever nnkit's op is PyTorch's primitive of the same name;
 * composites differ (PyTorch's cross-entropy ends in `NllLossBackward0`).
 * An in-place method's node is named after the method without its
 * underscore, as PyTorch's (`mul_` → `MulBackward0`). The node an in-place
 * write into a view gives the view's base is PyTorch's `CopySlices`, named
 * as PyTorch names it.
 * @example
 * ```ts
 * import { gradFnName } from 'nnkit';
 * console.log(gradFnName('mul'), gradFnName('mul_'), gradFnName('copySlices')); // MulBackward0 MulBackward0 CopySlices
 * ```
 * @param op - nnkit's op name, camelCase (`'nllLoss'`, `'mul_'`, `'copySlices'`).
 */
export function gradFnName(op: string): string {
  if (op === 'copySlices') return 'CopySlices';
  const base = op.endsWith('_') ? op.slice(0, -1) : op;
  return `${base.charAt(0).toUpperCase()}${base.slice(1)}Backward0`;
}

// ---- numbers, as Python's str.format writes them ----------------------

const FORMAT_BIG = 1e21; // from here on Number#toFixed switches to exponent notation

/** Replaces the odd last digit of a rounded string by the even digit below it (no borrow). */
function roundTieToEven(s: string): string {
  const d = s.charCodeAt(s.length - 1) - 48;
  return d % 2 === 1 ? s.slice(0, -1) + String(d - 1) : s;
}

/**
 * Python's `'{:.{p}f}'.format(v)`. `toFixed` is exact but rounds an exact
 * tie away from zero where Python rounds it to even. `|v|·10^p` ends in
 * exactly one half iff `|v|·2^(p+1)` is an odd integer (the 5^p factor is
 * then an odd multiplier), so ties are detected in floating point exactly.
 */
function fixed(v: number, p: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  let s: string;
  if (a >= FORMAT_BIG) {
    s = BigInt(a).toString() + (p > 0 ? '.' + '0'.repeat(p) : '');
  } else {
    s = a.toFixed(p);
    const t = a * 2 ** (p + 1);
    if (Number.isInteger(t) && t % 2 === 1) s = roundTieToEven(s);
  }
  return neg ? '-' + s : s;
}

/** True if `a·10^q` (q = precision − exponent) ends in exactly one half. */
function isSciTie(a: number, q: number): boolean {
  if (q >= 0) {
    const t = a * 2 ** (q + 1);
    return Number.isInteger(t) && t % 2 === 1;
  }
  // a / 10^r = n + 1/2 needs a to be an integer multiple of 5.
  if (!Number.isInteger(a) || a % 5 !== 0) return false;
  const twice = 2n * BigInt(a);
  const scale = 10n ** BigInt(-q);
  return twice % scale === 0n && (twice / scale) % 2n === 1n;
}

/** Python's `'{:.{p}e}'.format(v)`: at least two exponent digits, ties to even. */
function scientific(v: number, p: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  const s = a.toExponential(p);
  const at = s.indexOf('e');
  let mantissa = s.slice(0, at);
  const exp = Number(s.slice(at + 1));
  // A tie that toExponential rounded up across a power of ten (9.99995 →
  // 1.0000e+1) rounds up under ties-to-even too, so the exponent stands.
  if (isSciTie(a, p - exp)) mantissa = roundTieToEven(mantissa);
  const e = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return `${neg ? '-' : ''}${mantissa}e${e}`;
}

// ---- the formatter ------------------------------------------------------

/** PyTorch's `_Formatter`: one number format and width for a whole tensor. */
interface Formatter {
  readonly floating: boolean;
  readonly intMode: boolean;
  readonly sciMode: boolean;
  readonly width: number;
  readonly precision: number;
}

/**
 * Chooses the format from the elements that will be printed (`vals`): for
 * floats, integer mode (`1.`) if every non-zero finite value is an integer,
 * scientific if max/min of the non-zero finite magnitudes exceeds 1000 or
 * the max exceeds 1e8 (or, outside integer mode, the min is below 1e-4),
 * else fixed with `precision` digits. Non-finite values do not count towards
 * the width. A forced `sciMode` applies only when some value is non-zero and
 * finite — PyTorch returns early otherwise — and after the width was
 * measured in the automatic format.
 */
function makeFormatter(vals: Float64Array, dtype: DType, o: PrintOptions): Formatter {
  const p = o.precision;
  if (dtype === 'int32') {
    let width = 1;
    for (const v of vals) width = Math.max(width, String(v).length);
    return { floating: false, intMode: true, sciMode: false, width, precision: p };
  }
  let count = 0;
  let min = Infinity;
  let max = 0;
  let intMode = true;
  for (const v of vals) {
    if (v === 0 || !Number.isFinite(v)) continue;
    const a = Math.abs(v);
    count++;
    if (a < min) min = a;
    if (a > max) max = a;
    if (intMode && v !== Math.ceil(v)) intMode = false;
  }
  if (count === 0) return { floating: true, intMode: true, sciMode: false, width: 1, precision: p };
  let sciMode = max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4);
  let width = 1;
  for (const v of vals) {
    if (v === 0 || !Number.isFinite(v)) continue;
    const len = sciMode
      ? scientific(v, p).length
      : intMode
        ? fixed(v, 0).length + 1
        : fixed(v, p).length;
    if (len > width) width = len;
  }
  if (o.sciMode !== null) sciMode = o.sciMode;
  return { floating: true, intMode, sciMode, width, precision: p };
}

function formatValue(f: Formatter, v: number): string {
  let s: string;
  if (!f.floating) s = String(v);
  else if (f.sciMode) s = scientific(v, f.precision);
  else if (f.intMode) s = Number.isFinite(v) ? fixed(v, 0) + '.' : fixed(v, 0);
  else s = fixed(v, f.precision);
  return s.length < f.width ? ' '.repeat(f.width - s.length) + s : s;
}

// ---- layout -------------------------------------------------------------

/** Indices printed along a dimension of `n`: all, or `edge` at each end when summarising. */
function shownIndices(n: number, summarize: boolean, edge: number): number[] {
  const idx: number[] = [];
  if (summarize && n > 2 * edge) {
    for (let i = 0; i < edge; i++) idx.push(i);
    for (let i = n - edge; i < n; i++) idx.push(i);
  } else {
    for (let i = 0; i < n; i++) idx.push(i);
  }
  return idx;
}

/** The printed elements in print order (PyTorch's `get_summarized_data`), read straight from storage. */
function gatherShown(t: Tensor, shown: readonly number[][]): Float64Array {
  const shape = t.shape;
  const data = t.data;
  let total = 1;
  for (const s of shown) total *= s.length;
  const out = new Float64Array(total);
  const strides: number[] = new Array<number>(shape.length);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= shape[d];
  }
  let k = 0;
  const walk = (d: number, offset: number): void => {
    if (d === shape.length) {
      out[k++] = data[offset];
      return;
    }
    for (const i of shown[d]) walk(d + 1, offset + i * strides[d]);
  };
  walk(0, 0);
  return out;
}

/** PyTorch's `_tensor_str_with_formatter` over the gathered values, consumed in order. */
function layout(
  shape: readonly number[],
  vals: Float64Array,
  f: Formatter,
  o: PrintOptions,
  summarize: boolean,
): string {
  let k = 0;
  const edge = o.edgeitems;
  const vector = (n: number, indent: number): string => {
    const elementLength = f.width + 2;
    const perLine = Math.max(1, Math.floor((o.linewidth - indent) / elementLength));
    const items: string[] = [];
    if (summarize && n > 2 * edge) {
      for (let i = 0; i < edge; i++) items.push(formatValue(f, vals[k++]));
      items.push(' ...');
      for (let i = 0; i < edge; i++) items.push(formatValue(f, vals[k++]));
    } else {
      for (let i = 0; i < n; i++) items.push(formatValue(f, vals[k++]));
    }
    const lines: string[] = [];
    for (let i = 0; i < items.length; i += perLine)
      lines.push(items.slice(i, i + perLine).join(', '));
    return '[' + lines.join(',\n' + ' '.repeat(indent + 1)) + ']';
  };
  const nested = (d: number, indent: number): string => {
    const dims = shape.length - d;
    if (dims === 1) return vector(shape[d], indent);
    const n = shape[d];
    const slices: string[] = [];
    if (summarize && n > 2 * edge) {
      for (let i = 0; i < edge; i++) slices.push(nested(d + 1, indent + 1));
      slices.push('...');
      for (let i = 0; i < edge; i++) slices.push(nested(d + 1, indent + 1));
    } else {
      for (let i = 0; i < n; i++) slices.push(nested(d + 1, indent + 1));
    }
    return '[' + slices.join(',' + '\n'.repeat(dims - 1) + ' '.repeat(indent + 1)) + ']';
  };
  return shape.length === 0 ? formatValue(f, vals[0]) : nested(0, 'tensor('.length);
}

/** PyTorch's `_add_suffixes`, including its count of the last line's length. */
function addSuffixes(text: string, suffixes: readonly string[], indent: number, o: PrintOptions) {
  const parts = [text];
  let lastLineLen = text.length - text.lastIndexOf('\n') + 1;
  for (const s of suffixes) {
    if (lastLineLen + s.length + 2 > o.linewidth) {
      parts.push(',\n' + ' '.repeat(indent) + s);
      lastLineLen = indent + s.length;
    } else {
      parts.push(', ' + s);
      lastLineLen += s.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}

/**
 * A tensor as PyTorch prints it (`str(t)`), under the current print options.
 * float32 and int32's peers are PyTorch's defaults except that int32 prints
 * `dtype=torch.int32` (nnkit's int32 plays PyTorch's int64 role, but an
 * int32 tensor is what it is). `grad_fn` names follow {@link gradFnName}.
 * @example
 * ```ts
 * import { tensor, zeros } from 'nnkit';
 * console.log(tensor([0.09, 1, -2.5])); // tensor([ 0.0900,  1.0000, -2.5000])
 * console.log(tensor([1e-5, 1])); // tensor([1.0000e-05, 1.0000e+00])
 * console.log(tensor(2.5)); // tensor(2.5000)
 * console.log(zeros(0, 3)); // tensor([], size=(0, 3))
 * console.log(tensor([1, 2], { dtype: 'int32' })); // tensor([1, 2], dtype=torch.int32)
 * console.log(tensor([1, 2], { requiresGrad: true }).mul(2)); // tensor([2., 4.], grad_fn=<MulBackward0>)
 * ```
 */
export function formatTensor(t: Tensor): string {
  const o = printOptions;
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  let body: string;
  if (t.size === 0) {
    if (t.shape.length !== 1) suffixes.push(`size=(${t.shape.join(', ')})`);
    if (t.dtype !== 'float32') suffixes.push(`dtype=torch.${t.dtype}`);
    body = '[]';
  } else {
    if (t.dtype !== 'float32') suffixes.push(`dtype=torch.${t.dtype}`);
    const summarize = t.size > o.threshold;
    const shown = t.shape.map((n) => shownIndices(n, summarize, o.edgeitems));
    const vals = gatherShown(t, shown);
    body = layout(t.shape, vals, makeFormatter(vals, t.dtype, o), o, summarize);
  }
  if (t.gradFn) suffixes.push(`grad_fn=<${gradFnName(t.gradFn.name)}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  return addSuffixes(prefix + body, suffixes, indent, o);
}
