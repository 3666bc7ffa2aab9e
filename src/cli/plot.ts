/**
 * `nnkit plot <activation>`: one activation's curve, and optionally its
 * derivative, as an SVG (or a PNG rasterised by Chromium) — the lecture's
 * figures without writing code.
 *
 * The activations and their options come from the registry (./plottable.ts).
 * Options after the activation's name are passed to the function as its
 * options object (kebab-case or camelCase keys), so the function itself
 * validates them and its error messages are the ones the user sees. The
 * derivative is nnkit's autograd gradient, never a second formula.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REGISTRY } from '../registry/index.js';
import { callSource } from '../registry/variants.js';
import { linspace } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  PLOTTABLE,
  argsOf,
  callPlottable,
  type OptionValue,
  type PlotOption,
  type Plottable,
} from './plottable.js';
import { lineChart, type Series } from './svg.js';
import { svgToPng } from './png.js';

/** An error in what the user typed: printed without a stack trace, exit code 2. */
export class UsageError extends Error {}

const num = (v: number): string => String(Number(v.toPrecision(4)));

/** `--negative-slope 0.01 [-1, 1]`, `--approximate none (none, tanh)`, `--weight 0.25*`. */
export function optionText(o: PlotOption): string {
  const value =
    o.value === undefined ? 'V' : typeof o.value === 'number' ? num(o.value) : String(o.value);
  const choices = o.param.type.ts.match(/'[^']*'/g);
  const hint = o.param.range
    ? ` [${o.param.range.map(num).join(', ')}]`
    : choices && choices.length > 1
      ? ` (${choices.map((c) => c.slice(1, -1)).join(', ')})`
      : '';
  return `${o.flag} ${value}${o.required ? '*' : ''}${hint}`;
}

/** One activation's line of `--help`: its name and options, wrapped at 80 columns. */
export function helpLine(p: Plottable): string {
  const indent = ' '.repeat(15);
  const lines = [`  ${p.name.padEnd(13)}`];
  for (const text of p.options.map(optionText)) {
    const last = lines[lines.length - 1];
    if (last.length > indent.length && last.length + 2 + text.length > 80)
      lines.push(indent + text);
    else lines[lines.length - 1] = last.length > indent.length ? `${last}  ${text}` : last + text;
  }
  return lines.join('\n').trimEnd();
}

export const PLOT_USAGE = `Usage: nnkit plot <activation> [--derivative] [--<option> <value> ...]
                  [--range LO,HI] [--points N] [--out FILE.svg|FILE.png|-]

Draws an activation f(x) over a range and, with --derivative, its gradient
f'(x) from nnkit's autograd (dashed), as an SVG, or as a PNG rasterised with
Chromium or Chrome if one is installed (2x pixels; set CHROME_PATH to choose one).

  <activation>     a name below, in any spelling: leakyRelu, leaky-relu, leaky_relu, LeakyReLU
  --<option> V     the activation's options, kebab-case or camelCase:
                   --negative-slope 0.2, --approximate tanh, --beta 2
                   (inplace, which changes no curve, is not listed)
  --derivative     also draw f'(x)
  --range LO,HI    the x range (default -5,5)
  --points N       samples over the range (default 401)
  --width W        figure width in CSS pixels (default 480)
  --height H       figure height (default 300)
  --out FILE       .svg or .png (default <activation>.svg); - writes the SVG to stdout
  --help           this text

Activations and their options at PyTorch's defaults; [LO, HI] is a typical range,
(a, b) the choices; * marks an argument the function requires: the value shown
(the gallery's) is used unless you give one:
${PLOTTABLE.map(helpLine).join('\n')}

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

/** The activation the user typed, or a UsageError listing the choices. */
export function resolveActivation(typed: string): Plottable {
  const hit = PLOTTABLE.find((p) => squash(p.name) === squash(typed));
  if (hit) return hit;
  const other = REGISTRY.find((e) => squash(e.name) === squash(typed));
  if (other && (other.category === 'activation' || other.category === 'softmax')) {
    throw new UsageError(
      `${typed} is not elementwise (each output depends on several inputs), so it has no f(x) curve to plot`,
    );
  }
  if (other?.category === 'dropout') {
    throw new UsageError(
      `${typed} is random (it zeroes a random share of its input in training), so it has no f(x) curve to plot`,
    );
  }
  if (other) {
    throw new UsageError(
      `${typed} is a ${other.category} of several tensors, not an activation, so it has no f(x) curve to plot`,
    );
  }
  throw new UsageError(
    `unknown activation '${typed}' (one of: ${PLOTTABLE.map((p) => p.name).join(', ')})`,
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
  const p = resolveActivation(a.activation);
  let s: ReturnType<typeof sampleActivation>;
  let title: string;
  try {
    title = callSource(p.entry, argsOf(p, a.options));
    s = sampleActivation((x) => callPlottable(p, x, a.options), a.range, a.points);
  } catch (e) {
    // The functional API's message names the function, the option and the value.
    throw new UsageError((e as Error).message);
  }
  const series: Series[] = [{ label: 'f(x)', xs: s.xs, ys: s.ys }];
  if (a.derivative) series.push({ label: "f'(x) (autograd)", xs: s.xs, ys: s.dys, dashed: true });
  return lineChart({ title, xLabel: 'x', width: a.width, height: a.height }, series);
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
  const out = a.out || `${resolveActivation(a.activation).name}.svg`;
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
