/** nn.Linear and nn.Sequential: PyTorch's values, initialisation bounds, reprs and state dicts. */
import { describe, expect, it } from 'vitest';
import { manualSeed, nn, randn, type Tensor } from '../src/index.js';
import { decodeTensor, expectClose, loadGolden, type EncodedTensor } from './helpers/golden.js';

interface LinearCase {
  name: string;
  dtype: 'float32' | 'float64';
  args: { inFeatures: number; outFeatures: number; bias: boolean };
  repr: string;
  state: Record<string, EncodedTensor>;
  input: EncodedTensor;
  output: EncodedTensor;
  upstream: EncodedTensor;
  inputGrad: EncodedTensor;
  paramGrads: Record<string, EncodedTensor>;
}

const golden = loadGolden<unknown>('losses-adaptive') as unknown as { linear: LinearCase[] };

describe('nn.Linear vs PyTorch', () => {
  for (const c of golden.linear) {
    it(c.name, () => {
      const m = new nn.Linear(c.args.inFeatures, c.args.outFeatures, {
        bias: c.args.bias,
        dtype: c.dtype,
      });
      expect(m.toString()).toBe(c.repr);
      m.loadStateDict(
        Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decodeTensor(v)])),
      );
      const x = decodeTensor(c.input, true);
      const y = m.forward(x);
      expectClose(y, c.output, 'output');
      y.backward(decodeTensor(c.upstream));
      expectClose(x.grad as Tensor, c.inputGrad, 'input grad');
      for (const [k, p] of m.namedParameters())
        expectClose(p.grad as Tensor, c.paramGrads[k], `grad of ${k}`);
    });
  }
});

describe('nn.Linear initialisation', () => {
  it('draws weight and bias from U(±1/√inFeatures) (kaiming_uniform with a = √5), spread over the range', () => {
    manualSeed(1);
    const m = new nn.Linear(400, 50);
    const bound = 1 / Math.sqrt(400);
    for (const p of [m.weight, m.bias as Tensor]) {
      const d = Array.from(p.data);
      expect(Math.max(...d)).toBeLessThanOrEqual(bound);
      expect(Math.min(...d)).toBeGreaterThanOrEqual(-bound);
      expect(Math.max(...d)).toBeGreaterThan(0.9 * bound);
      expect(Math.min(...d)).toBeLessThan(-0.9 * bound);
    }
    // Uniform variance bound²/3.
    const w = Array.from(m.weight.data);
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const variance = w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length;
    expect(Math.abs(variance / ((bound * bound) / 3) - 1)).toBeLessThan(0.05);
    expect(m.weight.shape).toEqual([50, 400]);
    expect(m.weight.requiresGrad).toBe(true);
  });
  it('is reproducible under manualSeed and honours dtype and bias: false', () => {
    manualSeed(7);
    const a = new nn.Linear(3, 2, { dtype: 'float64' });
    manualSeed(7);
    const b = new nn.Linear(3, 2, { dtype: 'float64' });
    expect(a.weight.toArray()).toEqual(b.weight.toArray());
    expect(a.weight.dtype).toBe('float64');
    const c = new nn.Linear(3, 2, { bias: false });
    expect(c.bias).toBeNull();
    expect(Object.keys(c.stateDict())).toEqual(['weight']);
    expect(c.toString()).toBe('Linear(in_features=3, out_features=2, bias=False)');
  });
  it('rejects inputs with the wrong feature count', () => {
    expect(() => new nn.Linear(3, 2).forward(randn([4, 5]))).toThrow(
      'Linear: input of shape [4, 5] should have 3 features',
    );
  });
});

describe('nn.Sequential', () => {
  it('chains modules, names children 0, 1, ... and prints like PyTorch', () => {
    const l1 = new nn.Linear(4, 3);
    const l2 = new nn.Linear(3, 2, { bias: false });
    const net = new nn.Sequential(l1, new nn.ReLU(), l2);
    const x = randn([5, 4]);
    expect(net.forward(x).toArray()).toEqual(l2.forward(l1.forward(x).relu()).toArray());
    expect(Object.keys(net.stateDict())).toEqual(['0.weight', '0.bias', '2.weight']);
    expect(net.toString()).toBe(
      [
        'Sequential(',
        '  (0): Linear(in_features=4, out_features=3, bias=True)',
        '  (1): ReLU()',
        '  (2): Linear(in_features=3, out_features=2, bias=False)',
        ')',
      ].join('\n'),
    );
    expect(net.length).toBe(3);
    expect(net.at(-1)).toBe(l2);
  });
  it('rejects non-modules', () => {
    expect(() => new nn.Sequential({} as unknown as nn.Linear)).toThrow(
      'Sequential: argument 0 must be a Module',
    );
  });
});
