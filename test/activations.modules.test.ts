/** Modules against their functional forms; reprs, parameters, state dicts, modes, in-place. */
import { describe, expect, it } from 'vitest';
import { F, nn, randn, tensor, manualSeed, type Tensor } from '../src/index.js';

const x = (): Tensor => {
  manualSeed(7);
  return randn([3, 4, 2], { dtype: 'float64' }).mul(3);
};

const same = (a: Tensor, b: Tensor): void => expect(Array.from(a.data)).toEqual(Array.from(b.data));

describe('activation modules equal their functional forms', () => {
  const pairs: [nn.Module & { forward(t: Tensor): Tensor }, (t: Tensor) => Tensor][] = [
    [new nn.ReLU(), (t) => F.relu(t)],
    [new nn.LeakyReLU({ negativeSlope: 0.2 }), (t) => F.leakyRelu(t, { negativeSlope: 0.2 })],
    [new nn.Softplus({ beta: 2, threshold: 5 }), (t) => F.softplus(t, { beta: 2, threshold: 5 })],
    [new nn.ELU({ alpha: 0.7 }), (t) => F.elu(t, { alpha: 0.7 })],
    [new nn.CELU({ alpha: 2 }), (t) => F.celu(t, { alpha: 2 })],
    [new nn.SELU(), (t) => F.selu(t)],
    [new nn.GELU({ approximate: 'tanh' }), (t) => F.gelu(t, { approximate: 'tanh' })],
    [new nn.ReLU6(), (t) => F.relu6(t)],
    [new nn.Sigmoid(), (t) => F.sigmoid(t)],
    [new nn.Tanh(), (t) => F.tanh(t)],
    [new nn.Softsign(), (t) => F.softsign(t)],
    [
      new nn.Hardtanh({ minVal: -2, maxVal: 0.5 }),
      (t) => F.hardtanh(t, { minVal: -2, maxVal: 0.5 }),
    ],
    [new nn.Threshold(0.1, 20), (t) => F.threshold(t, 0.1, 20)],
    [new nn.Tanhshrink(), (t) => F.tanhshrink(t)],
    [new nn.Softshrink({ lambd: 0.3 }), (t) => F.softshrink(t, { lambd: 0.3 })],
    [new nn.Hardshrink({ lambd: 0.3 }), (t) => F.hardshrink(t, { lambd: 0.3 })],
    [new nn.LogSigmoid(), (t) => F.logsigmoid(t)],
    [new nn.Softmin({ dim: 1 }), (t) => F.softmin(t, 1)],
    [new nn.Softmax({ dim: 2, temperature: 3 }), (t) => F.softmax(t, 2, { temperature: 3 })],
    [new nn.LogSoftmax({ dim: 0 }), (t) => F.logSoftmax(t, 0)],
    [new nn.SiLU(), (t) => F.silu(t)],
    [new nn.Mish(), (t) => F.mish(t)],
    [new nn.Hardsigmoid(), (t) => F.hardsigmoid(t)],
    [new nn.Hardswish(), (t) => F.hardswish(t)],
    [new nn.GLU({ dim: 1 }), (t) => F.glu(t, 1)],
  ];
  for (const [m, f] of pairs) {
    it(m.toString(), () => same(m.forward(x()), f(x())));
  }
});

describe('toString matches PyTorch repr', () => {
  const cases: [nn.Module, string][] = [
    [new nn.ReLU(), 'ReLU()'],
    [new nn.ReLU({ inplace: true }), 'ReLU(inplace=True)'],
    [new nn.RReLU(), 'RReLU(lower=0.125, upper=0.3333333333333333)'],
    [new nn.LeakyReLU({ negativeSlope: 0.2 }), 'LeakyReLU(negative_slope=0.2)'],
    [new nn.LeakyReLU(), 'LeakyReLU(negative_slope=0.01)'],
    [new nn.PReLU({ numParameters: 3 }), 'PReLU(num_parameters=3)'],
    [new nn.Softplus(), 'Softplus(beta=1, threshold=20)'],
    [new nn.ELU(), 'ELU(alpha=1.0)'],
    [new nn.SELU(), 'SELU()'],
    [new nn.GELU(), "GELU(approximate='none')"],
    [new nn.GELU({ approximate: 'tanh' }), "GELU(approximate='tanh')"],
    [new nn.ReLU6(), 'ReLU6()'],
    [new nn.Hardtanh(), 'Hardtanh(min_val=-1.0, max_val=1.0)'],
    [new nn.Hardtanh({ minVal: -2, maxVal: 2 }), 'Hardtanh(min_val=-2, max_val=2)'],
    [new nn.Threshold(0.1, 20), 'Threshold(threshold=0.1, value=20)'],
    [new nn.Softshrink(), 'Softshrink(0.5)'],
    [new nn.Hardshrink({ lambd: 0.3 }), 'Hardshrink(0.3)'],
    [new nn.Softmax({ dim: 1 }), 'Softmax(dim=1)'],
    [new nn.Softmin({ dim: 0 }), 'Softmin(dim=0)'],
    [new nn.LogSoftmax({ dim: -1 }), 'LogSoftmax(dim=-1)'],
    [new nn.SiLU(), 'SiLU()'],
    [new nn.Mish(), 'Mish()'],
    [new nn.Hardsigmoid(), 'Hardsigmoid()'],
    [new nn.GLU(), 'GLU(dim=-1)'],
    [new nn.LogSigmoid(), 'LogSigmoid()'],
    [new nn.Tanhshrink(), 'Tanhshrink()'],
  ];
  for (const [m, repr] of cases) it(repr, () => expect(m.toString()).toBe(repr));
});

describe('PReLU', () => {
  it('has a learnable weight with PyTorch state-dict key, defaults and dtype', () => {
    const m = new nn.PReLU({ numParameters: 3, init: 0.1, dtype: 'float64' });
    const params = [...m.namedParameters()];
    expect(params.map(([n]) => n)).toEqual(['weight']);
    expect(m.weight.dtype).toBe('float64');
    expect(Array.from(m.weight.data)).toEqual([0.1, 0.1, 0.1]);
    const input = tensor([[[-1, 2]], [[-3, 4]], [[-5, 6]]], { dtype: 'float64' }).permute(1, 0, 2);
    m.forward(input).sum().backward();
    // d/dw of Σ prelu = Σ x over x ≤ 0 per channel
    expect(Array.from(m.weight.grad!.data)).toEqual([-1, -3, -5]);
  });

  it('loads a state dict (casting dtype) and rejects bad keys and shapes', () => {
    const m = new nn.PReLU({ numParameters: 2 });
    m.loadStateDict({ weight: tensor([0.5, -0.5], { dtype: 'float64' }) });
    expect(Array.from(m.weight.data)).toEqual([0.5, -0.5]);
    expect(m.weight.dtype).toBe('float32');
    expect(() => m.loadStateDict({})).toThrow(/missing keys: weight/);
    expect(() => m.loadStateDict({ weight: tensor([1, 2]), bias: tensor([1]) })).toThrow(
      /unexpected keys: bias/,
    );
    expect(() => m.loadStateDict({ weight: tensor([1, 2, 3]) })).toThrow(
      /size mismatch for weight/,
    );
  });

  it('converts with to(dtype)', () => {
    const m = new nn.PReLU().to('float64');
    expect(m.weight.dtype).toBe('float64');
    expect(m.parameters()[0].requiresGrad).toBe(true);
  });
});

describe('RReLU train/eval', () => {
  it('uses (lower+upper)/2 in eval and random slopes within bounds in training', () => {
    const m = new nn.RReLU({ lower: 0.1, upper: 0.3 });
    expect(m.training).toBe(true);
    const input = tensor(new Array(1000).fill(-1), { dtype: 'float64' });
    const y = m.forward(input).data;
    const slopes = Array.from(y, (v) => -v);
    expect(Math.min(...slopes)).toBeGreaterThanOrEqual(0.1);
    expect(Math.max(...slopes)).toBeLessThanOrEqual(0.3);
    expect(new Set(slopes).size).toBeGreaterThan(900);
    m.eval();
    expect(Array.from(m.forward(input).data).every((v) => Math.abs(v + 0.2) < 1e-15)).toBe(true);
  });

  it('training gradient equals the sampled slope', () => {
    manualSeed(3);
    const input = tensor([-1, -2, 3], { dtype: 'float64', requiresGrad: true });
    const y = F.rrelu(input, { training: true });
    y.sum().backward();
    const g = input.grad!.data;
    expect(g[0]).toBeCloseTo(y.data[0] / -1, 14);
    expect(g[1]).toBeCloseTo(y.data[1] / -2, 14);
    expect(g[2]).toBe(1);
  });
});

describe('in-place activations', () => {
  it('write into the input and return it', () => {
    const t = tensor([-1, 0.5, 2]);
    const r = F.relu(t, { inplace: true });
    expect(r).toBe(t);
    expect(Array.from(t.data)).toEqual([0, 0.5, 2]);
  });

  it('keep gradients correct on non-leaf tensors', () => {
    const a = tensor([-1, 0.5, 2], { dtype: 'float64', requiresGrad: true });
    const h = a.mul(2);
    F.leakyRelu(h, { negativeSlope: 0.1, inplace: true });
    h.sum().backward();
    expect(Array.from(a.grad!.data)).toEqual([0.2, 2, 2]);
    const b = tensor([-1, 0.5, 2], { dtype: 'float64', requiresGrad: true });
    const e = b.mul(1);
    F.elu(e, { inplace: true });
    e.sum().backward();
    expect(b.grad!.data[0]).toBeCloseTo(Math.exp(-1), 14);
  });

  it('refuse leaves that require grad', () => {
    const leaf = tensor([1, 2], { requiresGrad: true });
    expect(() => F.relu(leaf, { inplace: true })).toThrow(/relu: a leaf tensor that requires grad/);
  });
});
