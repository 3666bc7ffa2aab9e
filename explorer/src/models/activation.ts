/**
 * An activation's curve and its derivative, both from nnkit: f(x) by calling `F.<name>`, f′(x)
 * by autograd (`y.sum().backward()` puts ∂Σy/∂xᵢ = f′(xᵢ) in `x.grad`, since each output
 * depends on its own x only). There is no second formula for the derivative anywhere.
 */
import { F, cat, manualSeed, tensor, zeros, type Tensor } from 'nnkit';
import type { ActivationInfo, OptionInfo } from '../activation-info';

export type OptionValue = number | boolean | string;
export type OptionValues = Record<string, OptionValue>;

/** Seed of nnkit's generator before each evaluation, so RReLU in training draws the same slopes. */
export const RRELU_SEED = 0;

type Fn = (...args: unknown[]) => Tensor;
const functions = new Map<string, unknown>(Object.entries(F));

function fnOf(name: string): Fn {
  const f = functions.get(name);
  if (typeof f !== 'function') throw new Error(`explorer: F.${name} is not a function`);
  return f as Fn;
}

export function defaults(info: ActivationInfo): OptionValues {
  return Object.fromEntries(info.options.map((o) => [o.name, o.default]));
}

function isGiven(o: OptionInfo, v: OptionValue): boolean {
  return !(o.none !== undefined && v === o.none);
}

/** Positional arguments and the options object, as nnkit takes them. */
export function callArgs(info: ActivationInfo, values: OptionValues): unknown[] {
  const args: unknown[] = [];
  const opts: Record<string, OptionValue> = {};
  for (const o of info.options) {
    const v = values[o.name] ?? o.default;
    if (o.positional) args.push(o.tensor ? tensor([Number(v)]) : v);
    else if (isGiven(o, v)) opts[o.name] = v;
  }
  return Object.keys(opts).length ? [...args, opts] : args;
}

/** Applies the activation to a 1-D x as the layout says; the result is 1-D like x. */
function apply(info: ActivationInfo, x: Tensor, values: OptionValues): Tensor {
  const f = fnOf(info.name);
  const n = x.shape[0];
  // In-place needs a tensor that is not a leaf requiring grad: work on a copy of x in the graph.
  const input = values.inplace === true ? x.clone() : x;
  if (info.layout === 'row') {
    const rows = cat([input.unsqueeze(1), zeros([n, 2], { dtype: x.dtype })], 1);
    return f(rows, ...callArgs(info, values))
      .narrow(1, 0, 1)
      .reshape([n]);
  }
  if (info.layout === 'glu') {
    const rows = cat([input.unsqueeze(1), input.unsqueeze(1)], 1);
    return f(rows, ...callArgs(info, values)).reshape([n]);
  }
  return f(input, ...callArgs(info, values));
}

export interface Curve {
  xs: number[];
  ys: number[];
  dys: number[];
}

/** f and its autograd derivative at `xs` (float32, the wasm backend's dtype). */
export function evaluate(info: ActivationInfo, values: OptionValues, xs: readonly number[]): Curve {
  manualSeed(RRELU_SEED);
  const x = tensor([...xs], { requiresGrad: true });
  const y = apply(info, x, values);
  y.sum().backward();
  return {
    xs: [...xs],
    ys: Array.from(y.data),
    dys: Array.from(x.grad?.data ?? []),
  };
}

/** The x grid of the plots. */
export function grid(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_v, i) => lo + ((hi - lo) * i) / (n - 1));
}

const fmtNum = (v: number): string => String(Number(v.toPrecision(6)));

/** Values that differ from the defaults, or positional ones, as code. */
function changed(info: ActivationInfo, values: OptionValues): OptionInfo[] {
  return info.options.filter((o) => o.positional || values[o.name] !== o.default);
}

function jsValue(o: OptionInfo, v: OptionValue): string {
  if (typeof v === 'number') return fmtNum(v);
  if (typeof v === 'string') return `'${v}'`;
  return String(v);
}

function pyValue(o: OptionInfo, v: OptionValue): string {
  if (o.name === 'dtype') return `torch.${String(v)}`;
  if (typeof v === 'number') return fmtNum(v);
  if (typeof v === 'string') return `'${v}'`;
  return v ? 'True' : 'False';
}

/** The nnkit call for what is on screen, e.g. `F.leakyRelu(x, { negativeSlope: 0.2 })`. */
export function nnkitCall(info: ActivationInfo, values: OptionValues, input = 'x'): string {
  const pos: string[] = [];
  const kw: string[] = [];
  for (const o of changed(info, values)) {
    const v = values[o.name] ?? o.default;
    if (o.positional) pos.push(o.tensor ? `tensor([${jsValue(o, v)}])` : jsValue(o, v));
    else if (isGiven(o, v)) kw.push(`${o.name}: ${jsValue(o, v)}`);
  }
  const args = [input, ...pos, ...(kw.length ? [`{ ${kw.join(', ')} }`] : [])];
  return `F.${info.name}(${args.join(', ')})`;
}

/** The PyTorch call for what is on screen, e.g. `F.leaky_relu(x, negative_slope=0.2)`. */
export function torchCall(info: ActivationInfo, values: OptionValues, input = 'x'): string {
  const args = [input];
  for (const o of changed(info, values)) {
    const v = values[o.name] ?? o.default;
    if (!isGiven(o, v)) continue;
    if (o.positional) args.push(o.tensor ? `torch.tensor([${pyValue(o, v)}])` : `${pyValue(o, v)}`);
    else args.push(`${o.torchName}=${pyValue(o, v)}`);
  }
  return `F.${info.torch}(${args.join(', ')})`;
}

/** How the plotted x is fed to the function, in both languages. */
export function inputCode(info: ActivationInfo): { torch: string; nnkit: string } {
  if (info.layout === 'row') {
    return {
      torch: 'z = torch.stack([x, torch.zeros_like(x), torch.zeros_like(x)], 1)',
      nnkit: 'const z = cat([x.unsqueeze(1), zeros([x.shape[0], 2])], 1);',
    };
  }
  if (info.layout === 'glu') {
    return {
      torch: 'z = torch.stack([x, x], 1)',
      nnkit: 'const z = cat([x.unsqueeze(1), x.unsqueeze(1)], 1);',
    };
  }
  return { torch: '', nnkit: '' };
}
