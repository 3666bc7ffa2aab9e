/**
 * Every activation against PyTorch's golden values (test/golden/activations.json,
 * written by scripts/golden/activations.py): outputs and input gradients in
 * float32 and float64, on random shapes, edge values, kinks and empty tensors.
 */
import { describe, expect, it } from 'vitest';
import { F, type Tensor } from '../src/index.js';
import { decodeTensor, expectClose, loadGolden, type EncodedTensor } from './helpers/golden.js';
import { forEachBackend } from './helpers/backends.js';
import { REGISTRY } from '../src/registry/index.js';

interface ActivationCase {
  id: string;
  fn: string;
  call: 'options' | 'dim' | 'prelu' | 'glu';
  dtype: string;
  options: Record<string, number | string>;
  input: EncodedTensor;
  weight?: EncodedTensor;
  gradOutput: EncodedTensor;
  output: EncodedTensor;
  grads: Record<string, EncodedTensor>;
}

type Unary = (x: Tensor, o?: object) => Tensor;
type WithDim = (x: Tensor, dim: number, o?: object) => Tensor;

/** Calls the nnkit function for a fixture case; returns the output and the tensors to read grads from. */
export function runActivation(c: ActivationCase): { out: Tensor; inputs: Record<string, Tensor> } {
  const x = decodeTensor(c.input, true);
  const inputs: Record<string, Tensor> = { input: x };
  const fns = F as unknown as Record<string, Unary & WithDim>;
  let out: Tensor;
  switch (c.call) {
    case 'options':
      out = fns[c.fn](x, c.options);
      break;
    case 'dim': {
      const { dim, ...rest } = c.options;
      out = fns[c.fn](x, dim as number, rest);
      break;
    }
    case 'prelu': {
      const w = decodeTensor(c.weight as EncodedTensor, true);
      inputs.weight = w;
      out = F.prelu(x, w);
      break;
    }
    case 'glu':
      out = F.glu(x, c.options.dim as number);
      break;
  }
  return { out, inputs };
}

const golden = loadGolden<ActivationCase>('activations');

forEachBackend(() =>
  describe(`activations match PyTorch ${golden.torch_version}`, () => {
    const byFn = new Map<string, ActivationCase[]>();
    for (const c of golden.cases) byFn.set(c.fn, [...(byFn.get(c.fn) ?? []), c]);
    for (const [fn, cases] of byFn) {
      it(`${fn}: ${cases.length} cases, outputs and gradients`, () => {
        for (const c of cases) {
          const { out, inputs } = runActivation(c);
          expectClose(out, c.output, `${c.id} output`);
          out.backward(decodeTensor(c.gradOutput));
          for (const [name, expected] of Object.entries(c.grads)) {
            const g = inputs[name].grad;
            expect(g, `${c.id} grad ${name}`).not.toBeNull();
            expectClose(g as Tensor, expected, `${c.id} grad ${name}`);
          }
        }
      });
    }
    // Pointwise activations get their deep cases from the registry itself (scripts/golden/
    // activations.py reads it); the other activations (glu, normalize, …) are checked against
    // PyTorch through their registry samples (test/registry/), some also here.
    it('covers every pointwise activation and the softmax family (but the random gumbelSoftmax and the module-only Softmax2d)', () => {
      const expected = REGISTRY.filter(
        (e) => (e.pointwise === true || e.category === 'softmax') && e.functional !== false,
      )
        .map((e) => e.name)
        .filter((n) => n !== 'gumbelSoftmax');
      expect(expected.filter((n) => !byFn.has(n))).toEqual([]);
    });
  }),
);
