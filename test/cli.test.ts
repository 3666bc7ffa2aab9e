/**
 * The `nnkit` command: help texts, an SVG whose curves are gelu and its
 * autograd derivative (read back from the path's points), PNG output when
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
import { PLOTTABLE, camelCase, parsePlotArgs } from '../src/cli/plot.js';
import { cli } from '../src/cli/command.js';
import { linspace } from '../src/tensor/creation.js';

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

/** The points of each `<path d="M…L…">` in an SVG, in pixels. */
function paths(svg: string): [number, number][][] {
  return [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) =>
    [...m[1].matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((p) => [Number(p[1]), Number(p[2])]),
  );
}

/** The linear map from data to pixels that the chart's tick labels state. */
function axes(svg: string): { x: (px: number) => number; y: (py: number) => number } {
  const xt = [
    ...svg.matchAll(/<text x="([\d.]+)" y="[\d.]+" text-anchor="middle">(-?[\d.]+)<\/text>/g),
  ];
  const yt = [
    ...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)" text-anchor="end">(-?[\d.]+)<\/text>/g),
  ];
  const fit = (ticks: RegExpMatchArray[], offset: number) => {
    const [a, b] = [ticks[0], ticks[ticks.length - 1]];
    const [pa, pb] = [Number(a[1]) - offset, Number(b[1]) - offset];
    const [va, vb] = [Number(a[2]), Number(b[2])];
    return (p: number) => va + ((p - pa) / (pb - pa)) * (vb - va);
  };
  // y labels sit 4 px below their grid line.
  return { x: fit(xt, 0), y: fit(yt, 4) };
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
    for (const name of Object.keys(PLOTTABLE))
      expect(plot.out).toMatch(new RegExp(`\n  ${name}\\b`));
    const tour = inProcess(['help', 'tour']);
    expect(tour.code).toBe(0);
    expect(tour.out).toMatch(/^Usage: nnkit tour \[options\]/);
    const none = inProcess([]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^Usage: nnkit/);
  });

  it('documents options that each activation accepts', () => {
    // Every option --help lists, at its default, is accepted by the function.
    for (const [name, [doc, fn]] of Object.entries(PLOTTABLE)) {
      const opts: Record<string, number | string> = {};
      for (const m of doc.matchAll(/(\w+) (-?[\d.]+)/g)) opts[m[1]] = Number(m[2]);
      if (name === 'gelu') opts.approximate = 'tanh';
      if (name === 'threshold') Object.assign(opts, { threshold: 0.5, value: -1 });
      expect(() => fn(linspace(-1, 1, 5), opts), name).not.toThrow();
    }
  });

  it('writes an SVG of gelu and its autograd derivative', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnkit-cli-'));
    const out = join(dir, 'gelu.svg');
    const r = inProcess(['plot', 'gelu', '--derivative', '--range', '-4,4', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim()).toBe(`wrote ${out}`);
    const svg = readFileSync(out, 'utf8');
    expect(svg).toContain('F.gelu(x)');
    const [f, df] = paths(svg);
    expect(f.length).toBe(401);
    expect(df.length).toBe(401);
    const { x, y } = axes(svg);
    // Pixels are rounded to 0.1 px; the plot is ~400 px for 8 units of x.
    const xs = Array.from(linspace(-4, 4, 401, { dtype: 'float64' }).data);
    for (const i of [0, 100, 150, 200, 230, 300, 400]) {
      expect(x(f[i][0])).toBeCloseTo(xs[i], 1);
      expect(Math.abs(y(f[i][1]) - gelu(xs[i]))).toBeLessThan(0.05);
      expect(Math.abs(y(df[i][1]) - geluGrad(xs[i]))).toBeLessThan(0.05);
    }
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
    const [f] = paths(r.out);
    const { y } = axes(r.out);
    expect(Math.abs(y(f[0][1]) - -0.4)).toBeLessThan(0.02); // f(-2) = 0.2·(-2)
    expect(Math.abs(y(f[f.length - 1][1]) - 2)).toBeLessThan(0.02);
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
