/**
 * `nnkit plot <activation>`: one activation's curve, and optionally its
 * derivative, as an SVG (or a PNG rasterised by Chromium) — the lecture's
 * figures without writing code.
 *
 * Options after the activation's name are passed to the functional API as
 * its options object (kebab-case or camelCase keys), so the function itself
 * validates them and its error messages are the ones the user sees. The
 * derivative is nnkit's autograd gradient, never a second formula.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as F from '../functional/index.js';
import { linspace, tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { lineChart, type Series } from './svg.js';
import { svgToPng } from './png.js';

/** An error in what the user typed: printed without a stack trace, exit code 2. */
export class UsageError extends Error {}

/** An option's value as typed: a number, true/false, or a string such as 'tanh'. */
type OptionValue = number | string | boolean;

/** The options object as the functional API receives it (it validates the keys and values). */
type Options = Record<string, OptionValue>;

const none =
  (name: string, f: (x: Tensor) => Tensor) =>
  (x: Tensor, o: Options): Tensor => {
    const keys = Object.keys(o);
    if (keys.length)
      throw new UsageError(`${name}: unknown option '${keys[0]}' (${name} has no options)`);
    return f(x);
  };

/**
 * The activations `nnkit plot` draws (the elementwise ones; the softmax
 * family and GLU mix elements and have no f(x) curve): their options with
 * PyTorch's defaults as `--help` lists them, and how each is called.
 * `threshold` and `prelu` take positional arguments; every other activation
 * gets the options object as typed, so the function validates it.
 */
export const PLOTTABLE: Readonly<
  Record<string, readonly [string, (x: Tensor, o: Options) => Tensor]>
> = {
  relu: ['', (x, o: object) => F.relu(x, o)],
  rrelu: ['lower 0.125, upper 0.3333 (eval: the mean slope)', (x, o: object) => F.rrelu(x, o)],
  leakyRelu: ['negativeSlope 0.01', (x, o: object) => F.leakyRelu(x, o)],
  prelu: ['weight 0.25 (one shared slope)', prelu],
  softplus: ['beta 1, threshold 20', (x, o: object) => F.softplus(x, o)],
  elu: ['alpha 1', (x, o: object) => F.elu(x, o)],
  celu: ['alpha 1', (x, o: object) => F.celu(x, o)],
  selu: ['', (x, o: object) => F.selu(x, o)],
  gelu: ["approximate 'none' | 'tanh'", (x, o: object) => F.gelu(x, o)],
  relu6: ['', (x, o: object) => F.relu6(x, o)],
  sigmoid: ['', none('sigmoid', F.sigmoid)],
  tanh: ['', none('tanh', F.tanh)],
  softsign: ['', none('softsign', F.softsign)],
  hardtanh: ['minVal -1, maxVal 1', (x, o: object) => F.hardtanh(x, o)],
  threshold: ['threshold, value (both required)', threshold],
  tanhshrink: ['', none('tanhshrink', F.tanhshrink)],
  softshrink: ['lambd 0.5', (x, o: object) => F.softshrink(x, o)],
  hardshrink: ['lambd 0.5', (x, o: object) => F.hardshrink(x, o)],
  logsigmoid: ['', none('logsigmoid', F.logsigmoid)],
  silu: ['', (x, o: object) => F.silu(x, o)],
  mish: ['', (x, o: object) => F.mish(x, o)],
  hardsigmoid: ['', (x, o: object) => F.hardsigmoid(x, o)],
  hardswish: ['', (x, o: object) => F.hardswish(x, o)],
};

/** `--threshold T --value V` are F.threshold's positional arguments. */
function threshold(x: Tensor, o: Options): Tensor {
  const { threshold: t, value, ...rest } = o;
  return F.threshold(x, t as number, value as number, rest);
}

/** `--weight W` becomes PReLU's one-element weight tensor. */
function prelu(x: Tensor, o: Options): Tensor {
  const { weight = 0.25, ...rest } = o;
  const keys = Object.keys(rest);
  if (keys.length)
    throw new UsageError(`prelu: unknown option '${keys[0]}' (prelu takes --weight)`);
  if (typeof weight !== 'number' || Number.isNaN(weight)) {
    throw new UsageError(`prelu: weight must be a number, got ${String(weight)}`);
  }
  return F.prelu(x, tensor([weight], { dtype: x.dtype }));
}

export const PLOT_USAGE = `Usage: nnkit plot <activation> [--derivative] [--<option> <value> ...]
                  [--range LO,HI] [--points N] [--out FILE.svg|FILE.png|-]

Draws an activation f(x) over a range and, with --derivative, its gradient
f'(x) from nnkit's autograd (dashed), as an SVG, or as a PNG rasterised with
Chromium or Chrome if one is installed (2x pixels; set CHROME_PATH to choose one).

  <activation>     a name below, in any spelling: leakyRelu, leaky-relu, leaky_relu, LeakyReLU
  --<option> V     the activation's options, kebab-case or camelCase:
                   --negative-slope 0.2, --approximate tanh, --beta 2
  --derivative     also draw f'(x)
  --range LO,HI    the x range (default -5,5)
  --points N       samples over the range (default 401)
  --width W        figure width in CSS pixels (default 480)
  --height H       figure height (default 300)
  --out FILE       .svg or .png (default <activation>.svg); - writes the SVG to stdout
  --help           this text

Activations and their options (PyTorch's defaults):
${Object.entries(PLOTTABLE)
  .map(([name, [opts]]) => `  ${name.padEnd(13)}${opts}`)
  .join('\n')}

Example: nnkit plot gelu --approximate tanh --derivative --out gelu.svg`;

export interface PlotArgs {
  help: boolean;
  activation: string;
  options: Record<string, OptionValue>;
  derivative: boolean;
  range: [number, number];
  points: number;
  width: number;
  height: number;
  out: string;
}

/** `negative-slope`, `negative_slope` or `negativeSlope` → `negativeSlope`. */
export const camelCase = (key: string): string =>
  key.replace(/[-_]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());

const squash = (name: string): string => name.replace(/[-_\s]/g, '').toLowerCase();

/** The functional name for what the user typed, or a UsageError listing the choices. */
export function resolveActivation(typed: string): string {
  const hit = Object.keys(PLOTTABLE).find((k) => squash(k) === squash(typed));
  if (hit) return hit;
  const notElementwise = ['softmax', 'logsoftmax', 'softmin', 'glu'];
  if (notElementwise.includes(squash(typed))) {
    throw new UsageError(
      `${typed} is not elementwise (each output depends on several inputs), so it has no f(x) curve to plot`,
    );
  }
  throw new UsageError(
    `unknown activation '${typed}' (one of: ${Object.keys(PLOTTABLE).join(', ')})`,
  );
}

function parseValue(text: string): OptionValue {
  if (text === 'true') return true;
  if (text === 'false') return false;
  const n = Number(text);
  if (text.trim() !== '' && !Number.isNaN(n)) return n;
  if (/^[+-]?(inf|infinity)$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  return text;
}

function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 2)
    throw new UsageError(`${flag} must be an integer ≥ 2, got ${text}`);
  return n;
}

/** Parses `nnkit plot`'s arguments (after `plot`). */
export function parsePlotArgs(argv: readonly string[]): PlotArgs {
  const a: PlotArgs = {
    help: false,
    activation: '',
    options: {},
    derivative: false,
    range: [-5, 5],
    points: 401,
    width: 480,
    height: 300,
    out: '',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      a.help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      if (a.activation) throw new UsageError(`unexpected argument '${arg}'`);
      a.activation = arg;
      continue;
    }
    const eq = arg.indexOf('=');
    const key = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const next = argv[i + 1];
    const hasValue = eq > 0 || (next !== undefined && !next.startsWith('--'));
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      if (!hasValue) throw new UsageError(`--${key} needs a value`);
      return argv[++i];
    };
    if (key === 'derivative') a.derivative = true;
    else if (key === 'no-derivative') a.derivative = false;
    else if (key === 'out') a.out = value();
    else if (key === 'points') a.points = positiveInt('--points', value());
    else if (key === 'width') a.width = positiveInt('--width', value());
    else if (key === 'height') a.height = positiveInt('--height', value());
    else if (key === 'range') {
      const text = value();
      const r = text.split(',').map(Number);
      if (r.length !== 2 || !r.every(Number.isFinite) || !(r[0] < r[1])) {
        throw new UsageError(`--range must be LO,HI with LO < HI, got ${text}`);
      }
      a.range = [r[0], r[1]];
    } else {
      // An activation option: `--inplace` alone means true.
      a.options[camelCase(key)] = hasValue ? parseValue(value()) : true;
    }
  }
  if (!a.help && !a.activation)
    throw new UsageError('which activation? (nnkit plot --help lists them)');
  return a;
}

/** `{ negativeSlope: 0.2 }` as the README writes options. */
function formatOptions(options: Record<string, OptionValue>): string {
  const parts = Object.entries(options).map(
    ([k, v]) => `${k}: ${typeof v === 'string' ? `'${v}'` : String(v)}`,
  );
  return parts.length ? `{ ${parts.join(', ')} }` : '';
}

/** The call as the README writes it, for the figure's title. */
export function callText(name: string, options: Options): string {
  if (name === 'threshold') {
    const { threshold: t, value, ...rest } = options;
    const extra = formatOptions(rest);
    return `F.threshold(x, ${String(t)}, ${String(value)}${extra ? `, ${extra}` : ''})`;
  }
  if (name === 'prelu') return `F.prelu(x, tensor([${String(options.weight ?? 0.25)}]))`;
  const extra = formatOptions(options);
  return `F.${name}(x${extra ? `, ${extra}` : ''})`;
}

/** f(x) and, from autograd, f'(x) over `points` values of x in float64. */
export function sampleActivation(
  fn: (x: Tensor) => Tensor,
  range: [number, number],
  points: number,
): { xs: number[]; ys: number[]; dys: number[] } {
  const x = linspace(range[0], range[1], points, { dtype: 'float64', requiresGrad: true });
  const y = fn(x);
  y.sum().backward();
  return {
    xs: Array.from(x.data),
    ys: Array.from(y.data),
    dys: Array.from(x.grad?.data ?? []),
  };
}

/** The SVG of a parsed `nnkit plot` command. */
export function plotSvg(a: PlotArgs): string {
  const name = resolveActivation(a.activation);
  const fn = PLOTTABLE[name][1];
  let s: ReturnType<typeof sampleActivation>;
  try {
    s = sampleActivation((x) => fn(x, a.options), a.range, a.points);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    // The functional API's message names the function, the option and the value.
    throw new UsageError((e as Error).message);
  }
  const series: Series[] = [{ label: 'f(x)', xs: s.xs, ys: s.ys }];
  if (a.derivative) series.push({ label: "f'(x) (autograd)", xs: s.xs, ys: s.dys, dashed: true });
  return lineChart(
    { title: callText(name, a.options), xLabel: 'x', width: a.width, height: a.height },
    series,
  );
}

/** Runs `nnkit plot`; returns the exit code. */
export function plot(argv: readonly string[]): number {
  let a: PlotArgs;
  let svg: string;
  try {
    a = parsePlotArgs(argv);
    if (a.help) {
      process.stdout.write(`${PLOT_USAGE}\n`);
      return 0;
    }
    svg = plotSvg(a);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`nnkit plot: ${e.message}\n`);
    return 2;
  }
  const out = a.out || `${resolveActivation(a.activation)}.svg`;
  if (out === '-') {
    process.stdout.write(`${svg}\n`);
    return 0;
  }
  const lower = out.toLowerCase();
  if (lower.endsWith('.svg')) {
    writeFileSync(out, `${svg}\n`);
  } else if (lower.endsWith('.png')) {
    try {
      writeFileSync(out, svgToPng(svg, a.width, a.height));
    } catch (e) {
      process.stderr.write(`nnkit plot: ${(e as Error).message}\n`);
      return 1;
    }
  } else {
    process.stderr.write(`nnkit plot: --out must end in .svg or .png, got ${out}\n`);
    return 2;
  }
  process.stdout.write(`wrote ${resolve(out)}\n`);
  return 0;
}
