/**
 * The `nnkit` command: help texts listing the registry's activations and
 * options, an SVG whose curves are gelu and its autograd derivative (read
 * back from Plot's line marks and tick labels), PNG output when
 * Chromium is installed, and the errors and exit codes of bad input. A few
 * cases run src/cli/nnkit.ts as a process, the way `npx nnkit` runs it (exit
 * codes, no stack traces); the rest call its `cli()` in this process.
 */
import { describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { camelCase, helpLine, parsePlotArgs, plotSvg } from '../src/cli/plot.js';
import { PLOTTABLE, argsOf, callPlottable, plottableOf } from '../src/cli/plottable.js';
import { cli } from '../src/cli/command.js';
import { REGISTRY } from '../src/registry/index.js';
import { callFunction, defineFunction, param } from '../src/registry/define.js';
import * as T from '../src/signature/types.js';
import { input, num } from '../src/registry/params.js';
import { linspace } from '../src/tensor/creation.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { readPlot } from './helpers/plot-svg.js';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'src', 'cli', 'nnkit.ts');
/** tsx's loader by path, so that the command runs from any working directory. */
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

function nnkit(args: string[], cwd = ROOT): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', TSX, CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NNKIT_SILENT: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** `cli(args)` here, with what it wrote to stdout and stderr. */
function inProcess(args: string[], env: Record<string, string> = {}): ReturnType<typeof nnkit> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return { code: cli(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const gelu = (x: number): number => 0.5 * x * (1 + erf(x / Math.SQRT2));
const geluGrad = (x: number): number =>
  0.5 * (1 + erf(x / Math.SQRT2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
/** Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7): plenty for pixel-level checks. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return x < 0 ? -y : y;
}

describe('nnkit command', () => {
  it('runs as a process: help with exit code 0, usage errors with 2 and no stack trace', () => {
    const top = nnkit(['--help']);
    expect(top.code).toBe(0);
    expect(top.out).toMatch(/^Usage: nnkit <command>/);
    const bad = nnkit(['plot', 'leaky-relu', '--negative-slop', '0.2']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      "nnkit plot: leakyRelu: unknown option 'negativeSlop' (known: negativeSlope, inplace)\n",
    );
  });

  it('prints its help and each command’s help', () => {
    const top = inProcess(['--help']);
    expect(top.code).toBe(0);
    expect(top.out).toMatch(/^Usage: nnkit <command>/);
    expect(top.out).toContain('plot <activation>');
    expect(top.out).toContain('tour');
    const plot = inProcess(['plot', '--help']);
    expect(plot.code).toBe(0);
    expect(plot.out).toMatch(/^Usage: nnkit plot <activation>/);
    const tour = inProcess(['help', 'tour']);
    expect(tour.code).toBe(0);
    expect(tour.out).toMatch(/^Usage: nnkit tour \[options\]/);
    const none = inProcess([]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^Usage: nnkit/);
  });

  it('plots every pointwise registry entry, and lists each with its options and defaults', () => {
    const pointwise = REGISTRY.filter((e) => e.pointwise);
    expect(PLOTTABLE.map((p) => p.name)).toEqual(pointwise.map((e) => e.name));
    const help = inProcess(['plot', '--help']).out;
    // An activation's block: its line and the continuation lines under it.
    const block = (name: string): string =>
      help.match(new RegExp(`\n  ${name} *(.*(?:\n {15}.*)*)`))?.[1] ?? '';
    for (const e of pointwise) {
      expect(help, e.name).toMatch(new RegExp(`\n  ${e.name}\\b`));
      const text = block(e.name);
      for (const param of e.params.slice(1)) {
        const flag = `--${param.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
        if (param.name === 'inplace') {
          expect(text, e.name).not.toContain(flag);
          continue;
        }
        const m = text.match(new RegExp(`${flag} (\\S+?)(\\*?)(?: |$)`));
        expect(m, `${e.name} ${flag} in: ${text}`).not.toBeNull();
        const [, shown, star] = m ?? [];
        if ('default' in param) {
          expect(star, `${e.name} ${flag}`).toBe('');
          if (typeof param.default === 'number')
            expect(Number(shown)).toBeCloseTo(param.default, 3);
          else expect(shown).toBe(String(param.default));
        } else {
          expect(star, `${e.name} ${flag} is required`).toBe('*');
        }
        if (param.range)
          expect(text).toContain(`${flag} ${shown}${star} [${param.range.join(', ')}]`);
      }
    }
    expect(block('gelu')).toBe('--approximate none (none, tanh)');
  });

  it('has no activation option that the command’s own flags would take', () => {
    const own = ['--derivative', '--no-derivative', '--out', '--points', '--width', '--height'];
    for (const p of PLOTTABLE)
      for (const o of p.options)
        expect([...own, '--range', '--help'], p.name).not.toContain(o.flag);
  });

  it('accepts every option at the value --help lists, and its range ends are valid values', () => {
    for (const p of PLOTTABLE) {
      expect(() => callPlottable(p, linspace(-1, 1, 5), {}), p.name).not.toThrow();
      for (const o of p.options) {
        expect(o.value, `${p.name} ${o.name}`).toBeDefined();
        const given = { [o.name]: o.value as number | string | boolean };
        expect(
          () => callPlottable(p, linspace(-1, 1, 5), given),
          `${p.name} ${o.name}`,
        ).not.toThrow();
        for (const end of o.param.range ?? []) {
          expect(o.tensor || o.param.type.validate(end) === null, `${p.name} ${o.name}`).toBe(true);
        }
      }
    }
  });

  it('makes a new registry entry plottable with no change to the command', () => {
    // An entry the registry does not have: its options, defaults and required values come from
    // its declaration alone.
    const scaledCube = defineFunction({
      name: 'scaledCube',
      torch: 'none',
      category: 'activation',
      pointwise: true,
      params: [
        input(),
        num('offset', 0, 'Added before cubing.'),
        num('scale', 2, 'Multiplies the cube.', { range: [0.5, 4] }),
      ],
      impl: (a) =>
        (a.input as Tensor)
          .add(a.offset as number)
          .pow(3)
          .mul(a.scale as number),
      variants: [{ label: 'scaledCube', args: { scale: 3 } }],
    });
    const p = plottableOf(scaledCube);
    expect(p.options.map((o) => [o.flag, o.value, o.required])).toEqual([
      ['--offset', 0, false],
      ['--scale', 2, false],
    ]);
    expect(helpLine(p)).toBe('  scaledCube   --offset 0  --scale 2 [0.5, 4]');
    const x = linspace(-1, 1, 5, { dtype: 'float64' });
    const y = callPlottable(p, x, { offset: 1 });
    expect(Array.from(y.data)).toEqual([0, 0.25, 2, 6.75, 16]); // 2·(x + 1)³
    expect(() => callPlottable(p, x, { ofset: 1 })).toThrow(/scaledCube: unknown option 'ofset'/);
    // A required argument takes the representative call's value unless given.
    const shifted = defineFunction({
      name: 'shifted',
      torch: 'none',
      category: 'activation',
      pointwise: true,
      params: [input(), param('by', T.number(), { doc: 'Shift.' })],
      impl: (a) => (a.input as Tensor).add(a.by as number),
      variants: [{ label: 'shifted', args: { by: 0.5 } }],
    });
    const q = plottableOf(shifted);
    expect(helpLine(q)).toBe('  shifted      --by 0.5*');
    expect(argsOf(q, {})).toEqual({ by: 0.5 });
    expect(Array.from(callPlottable(q, x, { by: 1 }).data)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect((callFunction(shifted, [x, 0.5]) as Tensor).data).toEqual(callPlottable(q, x, {}).data);
  });

  it('writes an SVG of gelu and its autograd derivative', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnkit-cli-'));
    const out = join(dir, 'gelu.svg');
    const r = inProcess(['plot', 'gelu', '--derivative', '--range', '-4,4', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim()).toBe(`wrote ${out}`);
    const svg = readFileSync(out, 'utf8');
    expect(svg).toContain('F.gelu(x)');
    const plot = readPlot(svg);
    expect(plot.tickResidual, 'linear axes').toBeLessThan(0.01);
    const solid = plot.lines.filter((l) => !l.dashed);
    const dashed = plot.lines.filter((l) => l.dashed);
    expect([solid.length, dashed.length]).toEqual([1, 1]);
    const [f, df] = [solid[0].points, dashed[0].points];
    expect(f.length).toBe(401);
    expect(df.length).toBe(401);
    // Every point within half a pixel of gelu and its derivative (Plot writes 0.001 px).
    const xs = Array.from(linspace(-4, 4, 401, { dtype: 'float64' }).data);
    const off = (pts: [number, number][], g: (x: number) => number): number =>
      Math.max(
        ...xs.map((v, i) =>
          Math.max(Math.abs(pts[i][0] - plot.x(v)), Math.abs(pts[i][1] - plot.y(g(v)))),
        ),
      );
    expect(off(f, gelu)).toBeLessThan(0.5);
    expect(off(df, geluGrad)).toBeLessThan(0.5);
    // The tolerance tells gelu from its neighbours: silu, relu, gelu's tanh form's derivative.
    const silu = (v: number): number => v / (1 + Math.exp(-v));
    expect(off(f, silu)).toBeGreaterThan(5);
    expect(off(f, (v) => Math.max(0, v))).toBeGreaterThan(5);
    expect(off(df, gelu)).toBeGreaterThan(5);
  });

  it('takes options in kebab-case or camelCase and draws them', () => {
    const a = parsePlotArgs(['leaky-relu', '--negative-slope', '0.2', '--inplace']);
    expect(a.options).toEqual({ negativeSlope: 0.2, inplace: true });
    expect(parsePlotArgs(['gelu', '--approximate=tanh']).options).toEqual({ approximate: 'tanh' });
    expect(camelCase('min_val')).toBe('minVal');
    const r = inProcess([
      'plot',
      'LeakyReLU',
      '--negativeSlope',
      '0.2',
      '--range',
      '-2,2',
      '--out',
      '-',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('F.leakyRelu(x, { negativeSlope: 0.2 })');
    const plot = readPlot(r.out);
    const f = plot.lines[0].points;
    expect(Math.abs(f[0][1] - plot.y(-0.4))).toBeLessThan(0.5); // f(-2) = 0.2·(-2)
    expect(Math.abs(f[f.length - 1][1] - plot.y(2))).toBeLessThan(0.5);
  });

  it('draws the required arguments at the gallery’s values unless given, tensors from numbers', () => {
    const svg = plotSvg(parsePlotArgs(['threshold', '--range', '-2,2', '--points', '5']));
    expect(svg).toContain('F.threshold(x, { threshold: 0.5, value: -1 })');
    const t = readPlot(svg);
    // x = -2, -1, 0, 1, 2: replaced by -1 up to the threshold 0.5, then x.
    t.lines[0].points.forEach(([, py], i) =>
      expect(Math.abs(py - t.y([-1, -1, -1, 1, 2][i]))).toBeLessThan(0.5),
    );
    const prelu = plotSvg(parsePlotArgs(['prelu', '--weight', '0.1', '--range', '-2,2']));
    expect(prelu).toContain('F.prelu(x, { weight: tensor([0.1]) })');
    const p = readPlot(prelu);
    expect(Math.abs(p.lines[0].points[0][1] - p.y(-0.2))).toBeLessThan(0.5);
  });

  it('rejects an unknown activation, an unknown option and a bad value with one line', () => {
    const cases: [string[], RegExp][] = [
      [['plot', 'swish2'], /^nnkit plot: unknown activation 'swish2' \(one of: relu, /],
      [
        ['plot', 'leaky-relu', '--negative-slop', '0.2'],
        /^nnkit plot: leakyRelu: unknown option 'negativeSlop'/,
      ],
      [['plot', 'softplus', '--beta', '0'], /^nnkit plot: softplus: .*beta/],
      [['plot', 'softmax'], /^nnkit plot: softmax is not elementwise/],
      [
        ['plot', 'mse-loss'],
        /^nnkit plot: mse-loss is a loss of several tensors, not an activation/,
      ],
      [['plot', 'dropout'], /^nnkit plot: dropout is random \(it zeroes/],
      [['plot', 'prelu', '--weight', 'big'], /^nnkit plot: prelu: weight must be a number/],
      [['plot', 'gelu', '--approximate', 'exact'], /^nnkit plot: gelu: approximate must be one of/],
      [['plot', 'gelu', '--range', '5,1'], /^nnkit plot: --range must be LO,HI with LO < HI/],
      [['plot', 'gelu', '--out', 'gelu.pdf'], /^nnkit plot: --out must end in \.svg or \.png/],
      [['frobnicate'], /^nnkit: unknown command 'frobnicate'/],
    ];
    for (const [args, message] of cases) {
      const r = inProcess(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
      expect(r.err, 'no stack trace').not.toMatch(/\n\s+at /);
    }
  });

  const chromium = '/usr/bin/chromium';
  it.skipIf(!existsSync(chromium))(
    `writes a PNG through Chromium${existsSync(chromium) ? '' : ` (skipped: ${chromium} not installed)`}`,
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'nnkit-cli-'));
      const out = join(dir, 'tanh.png');
      const r = inProcess(['plot', 'tanh', '--derivative', '--out', out]);
      expect(r.code, r.err).toBe(0);
      const png = readFileSync(out);
      expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
      // IHDR: width and height at twice the SVG's 480×300.
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([960, 600]);
    },
  );

  it('says to write an SVG when no browser can draw the PNG, exit code 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnkit-cli-'));
    const out = join(dir, 'relu.png');
    const r = inProcess(['plot', 'relu', '--out', out], {
      CHROME_PATH: join(dir, 'no-such-browser'),
    });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^nnkit plot: PNG output needs Chromium or Chrome .* write an \.svg instead/,
    );
    expect(existsSync(out)).toBe(false);
  });
});
