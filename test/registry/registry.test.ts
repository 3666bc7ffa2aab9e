/**
 * Every registry entry, through its generated surfaces, against PyTorch
 * (test/golden/registry.json, written by scripts/golden/registry.py, which
 * also checked each declared signature against PyTorch's own):
 *
 * - `F.<name>` with the sample's options by name, and with as many of them
 *   by position (PyTorch's order) as the sample says: the same output and
 *   gradients as PyTorch;
 * - the module, built with the same arguments by position and by name:
 *   the same output, and PyTorch's repr;
 * - the in-place variants `F.<name>_`;
 * - binding errors, generically: too many positional arguments, an unknown
 *   option, a wrongly typed value for every parameter;
 * - the docs: each entry's `<name>Docs` beside it in its file, none for a
 *   non-entry, and none of their text in a page that does not use `registry`.
 */
import { describe, expect, it } from 'vitest';
import { F, nn, Tensor } from '../../src/index.js';
import { REGISTRY } from '../../src/registry/index.js';
import { moduleShape, type FunctionEntry } from '../../src/registry/define.js';
import { DOCS, docsOf } from '../../src/registry/docs.js';
import { REGISTRY_FILES, REGISTRY_FILE_NAMES } from '../../src/registry/files.js';
import { build } from 'esbuild';
import { join } from 'node:path';
import {
  decodeTensor,
  expectClose,
  isEncodedTensor,
  loadGolden,
  decodeNumber,
  type EncodedTensor,
} from '../helpers/golden.js';
import { forEachBackend } from '../helpers/backends.js';

interface Sample {
  inputs: Record<string, EncodedTensor>;
  args: Record<string, unknown>;
  positional: number;
  output: EncodedTensor;
  /** With `returnIndices`: PyTorch's indices, which must match exactly. */
  indices?: EncodedTensor;
  /** Absent for an integer output (F.oneHot's), which has no gradient. */
  upstream?: EncodedTensor;
  grads?: Record<string, EncodedTensor | null>;
  moduleArgs?: Record<string, unknown>;
  moduleRepr?: string;
}

interface Case {
  name: string;
  samples: Sample[];
}

const golden = loadGolden<Case>('registry') as ReturnType<typeof loadGolden<Case>> & {
  moduleReprs: { module: string; repr: string }[];
};
const byName = new Map(golden.cases.map((c) => [c.name, c]));
type Callable = (...args: unknown[]) => Tensor | [Tensor, Tensor];

/** The output of a call; with `returnIndices`, the indices checked against PyTorch's first. */
function outputOf(y: Tensor | [Tensor, Tensor], s: Sample, label: string): Tensor {
  expect(Array.isArray(y), `${label} returns a pair`).toBe(s.indices !== undefined);
  if (!Array.isArray(y)) return y;
  const [output, indices] = y;
  const want = s.indices as EncodedTensor;
  expect(indices.dtype, `${label} indices`).toBe('int32');
  expect(indices.requiresGrad, `${label} indices`).toBe(false);
  expect(indices.shape, `${label} indices`).toEqual(want.shape);
  expect(Array.from(indices.data), `${label} indices`).toEqual(want.data);
  return output;
}
const fns = F as unknown as Record<string, Callable>;
const modules = nn as unknown as Record<
  string,
  new (...args: unknown[]) => nn.Module & { forward: Callable }
>;

function decodeValue(v: unknown, requiresGrad = false): unknown {
  if (isEncodedTensor(v)) return decodeTensor(v, requiresGrad);
  if (typeof v === 'string' && ['NaN', 'Infinity', '-Infinity'].includes(v)) return decodeNumber(v);
  return v;
}

/** The sample's inputs, in the entry's order, as fresh leaves. */
function inputsOf(e: FunctionEntry, s: Sample): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const p of e.params) {
    const enc = s.inputs[p.name];
    if (enc) out[p.name] = decodeTensor(enc, enc.dtype !== 'int32' && p.name in (s.grads ?? {}));
  }
  return out;
}

/**
 * The call's arguments in the entry's order: inputs by position while every
 * parameter before them is; `positional` option values by position, the rest
 * (inputs after them included, layerNorm's `weight`) by name.
 */
function callArgs(
  e: FunctionEntry,
  s: Sample,
  inputs: Record<string, Tensor>,
  positional: number,
): unknown[] {
  const args: unknown[] = [];
  const named: Record<string, unknown> = {};
  let k = 0;
  let byPosition = true;
  for (const p of e.params) {
    const isInput = p.name in inputs;
    const given = isInput || p.name in s.args;
    const value = isInput ? inputs[p.name] : decodeValue(s.args[p.name]);
    if (byPosition && !p.kwOnly && (isInput || k < positional)) {
      if (!isInput) k++;
      args.push(given ? value : undefined);
    } else {
      byPosition = false;
      if (given) named[p.name] = value;
    }
  }
  return Object.keys(named).length ? [...args, named] : args;
}

function checkCall(e: FunctionEntry, s: Sample, positional: number, label: string): void {
  const inputs = inputsOf(e, s);
  const y = outputOf(fns[e.name](...callArgs(e, s, inputs, positional)), s, label);
  expectClose(y, s.output, `${label} output`);
  if (s.upstream === undefined) {
    expect(y.requiresGrad, `${label} output requires no grad`).toBe(false);
    return;
  }
  y.backward(decodeTensor(s.upstream));
  for (const [name, g] of Object.entries(s.grads ?? {})) {
    if (g === null) continue;
    expect(inputs[name].grad, `${label} grad ${name}`).not.toBeNull();
    expectClose(inputs[name].grad as Tensor, g, `${label} grad ${name}`);
  }
}

forEachBackend(() =>
  describe(`registry entries against PyTorch ${golden.torch_version}`, () => {
    for (const e of REGISTRY) {
      const samples = byName.get(e.name)?.samples ?? [];
      if (e.functional !== false) {
        for (const [k, s] of samples.entries()) {
          it(`F.${e.name} sample ${k}: by name and by position`, () => {
            checkCall(e, s, 0, `F.${e.name} by name`);
            if (s.positional) checkCall(e, s, s.positional, `F.${e.name} by position`);
          });
        }
      }
      if (e.module) {
        const shape = moduleShape(e);
        for (const [k, s] of samples.entries()) {
          it(`nn.${shape.spec.name} sample ${k}: repr and forward`, () => {
            const ctorArgs = Object.fromEntries(
              Object.entries(s.moduleArgs ?? {}).filter(
                ([key]) => !shape.inputs.some((p) => p.name === key),
              ),
            );
            const named = Object.fromEntries(
              Object.entries(ctorArgs).map(([key, v]) => [key, decodeValue(v)]),
            );
            const m = new modules[shape.spec.name](named);
            if (s.moduleRepr !== undefined) expect(m.toString()).toBe(s.moduleRepr);
            // The same arguments by position, in PyTorch's order, where they can be.
            const positional: unknown[] = [];
            for (const p of shape.signature.params) {
              if (p.kwOnly || !(p.name in named)) break;
              positional.push(named[p.name]);
            }
            const rest = Object.fromEntries(
              Object.entries(named).filter(
                ([key]) =>
                  !shape.signature.params.slice(0, positional.length).some((p) => p.name === key),
              ),
            );
            const m2 = new modules[shape.spec.name](...positional, rest);
            expect(m2.toString()).toBe(m.toString());
            if (shape.spec.parameters?.length) return; // its own learnable weights
            // The mode stands for the function's argument: the sample's value, or its default.
            const mode = shape.spec.fromMode;
            if (mode) {
              const given = s.args[mode];
              const def = e.params.find((q) => q.name === mode)?.default;
              if (!(given === undefined ? def : decodeValue(given))) m.eval();
            }
            const inputs = inputsOf(e, s);
            const y = outputOf(
              m.forward(
                ...shape.inputs.map((p) =>
                  p.name in inputs ? inputs[p.name] : decodeValue(s.args[p.name]),
                ),
              ),
              s,
              `nn.${shape.spec.name}`,
            );
            expectClose(y, s.output, `nn.${shape.spec.name} output`);
          });
        }
      }
    }
  }),
);

describe('module reprs with default arguments', () => {
  for (const { module, repr } of golden.moduleReprs) {
    it(`${module}() prints ${repr}`, () => {
      expect(new modules[module]().toString()).toBe(repr);
    });
  }
});

describe('every entry is covered', () => {
  it('has samples recorded from PyTorch (except the random gumbelSoftmax)', () => {
    const missing = REGISTRY.filter((e) => !byName.get(e.name)?.samples.length).map((e) => e.name);
    expect(missing).toEqual(['gumbelSoftmax']);
  });
});

describe('binding errors name the function and the parameter', () => {
  for (const e of REGISTRY) {
    if (e.functional === false) continue;
    const f = fns[e.name];
    const sample = byName.get(e.name)?.samples[0];
    it(`F.${e.name}`, () => {
      const slots = e.params.filter((p) => !p.kwOnly).length;
      expect(() => f(...new Array(slots + 1).fill(0))).toThrow(
        new RegExp(`^${e.name}: takes at most ${slots} positional argument`),
      );
      if (!sample) return;
      const inputs = inputsOf(e, sample);
      const valid: Record<string, unknown> = { ...inputs };
      for (const [k, v] of Object.entries(sample.args)) valid[k] = decodeValue(v);
      expect(() => f({ ...valid, bogusOption: 1 })).toThrow(
        `${e.name}: unknown option 'bogusOption'`,
      );
      for (const p of e.params) {
        // A symbol is a valid value for no parameter type.
        expect(() => f({ ...valid, [p.name]: Symbol('bad') }), p.name).toThrow(
          new RegExp(`^${e.name}: ${p.name} must be .*, got`),
        );
      }
    });
  }
});

describe('in-place variants', () => {
  for (const e of REGISTRY.filter((x) => x.inplaceVariant)) {
    it(`F.${e.name}_ writes into its input and equals F.${e.name}`, () => {
      const make = () => new Tensor(Float32Array.from([-2, -0.5, 0, 0.5, 2]), [5]);
      const args = e.name === 'threshold' ? [0.1, 20] : [];
      const x = make();
      const y = fns[`${e.name}_`](x, ...args);
      expect(y).toBe(x);
      expect(Array.from(x.data)).toEqual(Array.from((fns[e.name](make(), ...args) as Tensor).data));
    });
  }
});

describe('docs', () => {
  const files: Record<string, Record<string, unknown>> = Object.fromEntries(
    Object.entries(REGISTRY_FILES).map(([alias, exports]) => [
      REGISTRY_FILE_NAMES[alias as keyof typeof REGISTRY_FILES],
      exports,
    ]),
  );

  it('every entry has docs, declared as <name>Docs in the file that declares it', () => {
    const undocumented: string[] = [];
    for (const e of REGISTRY) {
      const found = Object.entries(files).flatMap(([file, exports]) =>
        Object.entries(exports)
          .filter(([, v]) => v === e)
          .map(([key]) => ({ file, exports, key })),
      );
      expect(found.length, `${e.name} is exported by one registry file`).toBe(1);
      const { exports, key } = found[0];
      const docs = exports[`${key}Docs`];
      if (docs === undefined) undocumented.push(e.name);
      else expect(docsOf(e), e.name).toBe(docs);
    }
    expect(undocumented).toEqual([]);
    expect([...DOCS.keys()].sort()).toEqual(REGISTRY.map((e) => e.name).sort());
  });

  it('no docs belong to a non-entry', () => {
    const orphans = Object.entries(files).flatMap(([file, exports]) =>
      Object.keys(exports)
        .filter((key) => key.endsWith('Docs'))
        .filter((key) => !REGISTRY.includes(exports[key.slice(0, -4)] as FunctionEntry))
        .map((key) => `${file}.${key}`),
    );
    expect(orphans).toEqual([]);
    expect(() => docsOf('noSuchFunction')).toThrow('registry: noSuchFunction has no docs');
  });

  const FIELDS = ['summary', 'formula', 'details', 'differences', 'example'] as const;
  /** The fields of Docs that are not text: the golden declarations only the tools read. */
  const DATA_FIELDS = ['samples', 'golden'];

  it('each has a summary and an example, and only the fields of Docs', () => {
    for (const [name, d] of DOCS) {
      expect(d.summary, name).toMatch(/\S/);
      expect(d.example, name).toMatch(/console\.log/);
      expect(
        Object.keys(d).filter((k) => ![...FIELDS, ...DATA_FIELDS].includes(k)),
        name,
      ).toEqual([]);
      for (const k of FIELDS)
        if (k in d) expect(typeof d[k as keyof typeof d], `${name}.${k}`).toBe('string');
    }
  });

  /** The minified bundle of a page whose script is `code` (importing from the package root). */
  async function page(code: string): Promise<string> {
    const root = join(import.meta.dirname, '..', '..');
    const out = await build({
      stdin: { contents: code, resolveDir: root, loader: 'ts' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      charset: 'utf8', // the text as written, for the comparisons below
      write: false,
      logLevel: 'silent',
    });
    return out.outputFiles[0].text;
  }

  /** Text that only an entry's docs hold: their lines and sentences of 40 characters or more. */
  const textsOf = (name: string): string[] => {
    const d = docsOf(name);
    return FIELDS.flatMap((k) => (d[k] ?? '').split(/\n|(?<=\.) /)).filter((t) => t.length >= 40);
  };
  /** The golden samples' input expressions (`randn(4, 3)`), as a minifier writes them. */
  const sampleTextsOf = (name: string): string[] =>
    (docsOf(name).samples ?? []).flatMap((s) => Object.values(s.inputs).map((v) => `"${v}"`));
  const names = REGISTRY.map((e) => e.name);

  it('stay out of a page that does not use registry (esbuild)', async () => {
    const js = await page(
      "import { F, tensor } from './src/browser.ts';\nconsole.log(F.gelu(tensor([1])).toString());",
    );
    const leaked = names.flatMap(textsOf).filter((t) => js.includes(t));
    expect(leaked, 'docs text in a page without registry').toEqual([]);
    const leakedSamples = names.flatMap(sampleTextsOf).filter((t) => js.includes(t));
    expect(leakedSamples, 'golden samples in a page without registry').toEqual([]);
    // The control: in the same page using registry, every entry's docs are found.
    const withRegistry = await page(
      "import { registry } from './src/browser.ts';\nconsole.log(registry.length);",
    );
    expect(names.filter((n) => !textsOf(n).some((t) => withRegistry.includes(t)))).toEqual([]);
    expect(names.filter((n) => !sampleTextsOf(n).every((t) => withRegistry.includes(t)))).toEqual(
      [],
    );
  }, 60_000);
});
