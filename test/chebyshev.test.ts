import { describe, expect, it } from 'vitest';
import { gradcheck, linspace, manualSeed, nn, optim, randn, tensor, F } from '../src/index.js';

describe('nn.ChebyshevActivation', () => {
  it('starts as its init function: exactly for polynomials, closely for smooth ones', () => {
    const xs = linspace(-2, 2, 41, { dtype: 'float64' });
    const id = new nn.ChebyshevActivation({ dtype: 'float64' });
    const y = id.forward(xs);
    for (let i = 0; i < xs.size; i++) expect(y.data[i]).toBeCloseTo(xs.data[i], 12);
    const cubic = (x: number) => x ** 3 - 0.5 * x;
    const cub = new nn.ChebyshevActivation({ degree: 3, init: cubic, dtype: 'float64' });
    const yc = cub.forward(xs);
    for (let i = 0; i < xs.size; i++) expect(yc.data[i]).toBeCloseTo(cubic(xs.data[i]), 10);
    const th = new nn.ChebyshevActivation({ degree: 12, init: 'tanh', dtype: 'float64' });
    const yt = th.forward(xs);
    const ref = F.tanh(xs);
    for (let i = 0; i < xs.size; i++) expect(Math.abs(yt.data[i] - ref.data[i])).toBeLessThan(1e-3);
  });

  it('is flat outside its range (inputs are clamped)', () => {
    const act = new nn.ChebyshevActivation({ range: [-1, 1], dtype: 'float64' });
    const y = act.forward(tensor([-5, -1, 1, 7], { dtype: 'float64' }));
    expect(y.data[0]).toBeCloseTo(y.data[1], 12);
    expect(y.data[3]).toBeCloseTo(y.data[2], 12);
  });

  it('gradients to the input and to shared coefficients pass gradcheck', () => {
    manualSeed(1);
    const act = new nn.ChebyshevActivation({
      degree: 5,
      range: [-1.5, 2],
      init: 'tanh',
      dtype: 'float64',
    });
    // Random coefficients, and inputs both inside and outside the range.
    act.weight.data.set(randn([6], { dtype: 'float64' }).data);
    const x = randn([4, 3], { dtype: 'float64', requiresGrad: true })
      .mul(1.5)
      .detach()
      .requiresGrad_();
    const w = act.weight.detach().clone().requiresGrad_();
    expect(gradcheck((xi, wi) => nn.chebyshevExpansion(xi, wi, [-1.5, 2]), [x, w])).toBe(true);
    // The coefficient gradient through the module's own parameter.
    act.forward(x).sum().backward();
    expect(act.weight.grad).not.toBeNull();
  });

  it('per-channel coefficients: gradcheck, and channels are independent', () => {
    manualSeed(2);
    const act = new nn.ChebyshevActivation({ degree: 4, numParameters: 3, dtype: 'float64' });
    act.weight.data.set(randn([15], { dtype: 'float64' }).data);
    const x = randn([2, 3, 2], { dtype: 'float64', requiresGrad: true });
    const w = act.weight;
    expect(gradcheck((xi) => act.forward(xi), [x])).toBe(true);
    // gradcheck on the weight itself (shape (3, 5)).
    const wc = w.detach().clone().requiresGrad_();
    expect(gradcheck((xi, wi) => nn.chebyshevExpansion(xi, wi, [-2, 2]), [x, wc])).toBe(true);
    // Changing channel 1's coefficients changes only channel 1's outputs.
    const before = act.forward(x.detach());
    w.data[5] += 1;
    const after = act.forward(x.detach());
    for (let n = 0; n < 2; n++)
      for (let c = 0; c < 3; c++)
        for (let j = 0; j < 2; j++) {
          const i = n * 6 + c * 2 + j;
          if (c === 1) expect(after.data[i] - before.data[i]).toBeCloseTo(1, 12);
          else expect(after.data[i]).toBe(before.data[i]);
        }
  });

  it('learns a shape with Adam', () => {
    const xs = linspace(-2, 2, 64);
    const target = xs.abs();
    const act = new nn.ChebyshevActivation({ degree: 6 });
    const opt = new optim.Adam(act.parameters(), { lr: 0.05 });
    const lossOf = () => act.forward(xs).sub(target).square().mean();
    const initial = lossOf().item();
    for (let i = 0; i < 200; i++) {
      opt.zeroGrad();
      const l = lossOf();
      l.backward();
      opt.step();
    }
    expect(lossOf().item()).toBeLessThan(initial / 20);
  });

  it('checks its arguments, and prints like a PyTorch module', () => {
    expect(() => new nn.ChebyshevActivation({ degree: -1 })).toThrow(
      'ChebyshevActivation: degree must be an integer in [0, 1024], got -1',
    );
    expect(() => new nn.ChebyshevActivation({ range: [1, 1] })).toThrow(
      /range must be finite with a < b/,
    );
    expect(() => new nn.ChebyshevActivation({ numParameters: 3 }).forward(randn([2, 4]))).toThrow(
      /has 4 channels in dimension 1, but numParameters is 3/,
    );
    expect(() => new nn.ChebyshevActivation().forward(randn([2], { dtype: 'float64' }))).toThrow(
      /dtype/,
    );
    const m = new nn.ChebyshevActivation({ numParameters: 2 });
    expect(m.toString()).toBe('ChebyshevActivation(degree=8, num_parameters=2, range=(-2.0, 2.0))');
    expect(Object.keys(m.stateDict())).toEqual(['weight']);
    expect(m.weight.shape).toEqual([2, 9]);
  });
});
