/**
 * The dropout family against PyTorch, independently of the random stream
 * (which is PyTorch's too; test/random-streams.test.ts replays seeded masks):
 * test/golden/dropout.json (scripts/golden/dropout.py) records, for every
 * element, PyTorch's two possible outcomes: the kept value with
 * its gradient, and the dropped value. Every element nnkit produces must be
 * one of them, bit for bit (NaN, ±Infinity, −0, float32 overflow included),
 * feature dropouts must keep or drop whole channels, and the kept fraction
 * must be 1 − p. The deterministic cases (p = 0, p = 1, evaluation) are in
 * the registry's golden samples (test/registry/registry.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { F, Tensor, manualSeed, nn, ones, randn, tensor, zeros } from '../src/index.js';
import { decodeNumber, decodeTensor, loadGolden, type EncodedTensor } from './helpers/golden.js';
import { forEachBackend } from './helpers/backends.js';

interface DropoutCase {
  fn: 'dropout' | 'alphaDropout' | 'featureAlphaDropout' | 'dropout1d' | 'dropout2d' | 'dropout3d';
  p: number;
  input: EncodedTensor;
  kept: EncodedTensor;
  dropped: EncodedTensor;
  keptGrad: EncodedTensor;
}

const golden = loadGolden<DropoutCase>('dropout');
const fns = F as unknown as Record<string, (...args: unknown[]) => Tensor>;
const FEATURE = new Set(['featureAlphaDropout', 'dropout1d', 'dropout2d', 'dropout3d']);

/** Equal as PyTorch's bits: NaN equals NaN, −0 differs from 0. */
const same = (a: number, b: number) => Object.is(a, b);

/** Elements per channel draw: 1 for element-wise dropout, else the product of the dims after C. */
function channelSize(c: DropoutCase): number {
  if (!FEATURE.has(c.fn)) return 1;
  const batchedRank: Record<string, number> = { dropout1d: 3, dropout2d: 4, dropout3d: 5 };
  const batched = c.fn === 'featureAlphaDropout' || c.input.shape.length === batchedRank[c.fn];
  const rest = c.input.shape.slice(batched ? 2 : 1);
  return rest.reduce((a, b) => a * b, 1);
}

forEachBackend(() => {
  describe('every element is PyTorch’s kept or dropped outcome', () => {
    for (const [k, c] of golden.cases.entries()) {
      it(`${c.fn} p=${c.p} ${c.input.dtype} [${c.input.shape}] (case ${k})`, () => {
        const kept = c.kept.data.map(decodeNumber);
        const dropped = c.dropped.data.map(decodeNumber);
        const keptGrad = c.keptGrad.data.map(decodeNumber);
        const per = channelSize(c);
        let keptCount = 0;
        let total = 0;
        // Enough draws that both outcomes occur: with 64 draws of ≥ 3 channels, one outcome of
        // probability ≥ 0.1 is missed with probability ≤ 0.9^192 ≈ 2e-9.
        for (let seed = 0; seed < 64; seed++) {
          manualSeed(1000 * k + seed);
          const x = decodeTensor(c.input, true);
          const y = fns[c.fn](x, c.p, true);
          expect(y.shape).toEqual(c.input.shape);
          expect(y.dtype).toBe(c.input.dtype);
          y.backward(ones(y.shape, { dtype: y.dtype }));
          const out = Array.from(y.data);
          const grad = Array.from((x.grad as Tensor).data);
          for (let i = 0; i < out.length; i++) {
            const isKept = grad[i] !== 0;
            if (isKept) {
              expect(same(out[i], kept[i]), `element ${i}: ${out[i]} vs kept ${kept[i]}`).toBe(
                true,
              );
              expect(grad[i], `grad ${i}`).toBe(keptGrad[i]);
            } else {
              expect(
                same(out[i], dropped[i]),
                `element ${i}: ${out[i]} vs dropped ${dropped[i]}`,
              ).toBe(true);
            }
            // A channel is kept or dropped as a whole.
            if (i % per !== 0)
              expect(grad[i] !== 0, `channel of element ${i}`).toBe(grad[i - 1] !== 0);
            if (i % per === 0) {
              keptCount += isKept ? 1 : 0;
              total++;
            }
          }
        }
        expect(keptCount).toBeGreaterThan(0);
        expect(keptCount).toBeLessThan(total);
      });
    }
  });

  describe('the kept fraction is 1 − p', () => {
    const cases: [string, number[]][] = [
      ['dropout', [200, 500]],
      ['alphaDropout', [200, 500]],
      ['featureAlphaDropout', [200, 100, 3]],
      ['dropout1d', [200, 100, 3]],
      ['dropout2d', [200, 100, 1, 2]],
      ['dropout3d', [200, 100, 1, 1, 2]],
    ];
    for (const [fn, shape] of cases) {
      for (const p of [0.2, 0.5, 0.9]) {
        it(`${fn} p=${p}`, () => {
          manualSeed(7);
          const x = randn(shape, { requiresGrad: true });
          fns[fn](x, p, true).sum().backward();
          const g = (x.grad as Tensor).data;
          const per = FEATURE.has(fn) ? shape.slice(2).reduce((a, b) => a * b, 1) : 1;
          let kept = 0;
          for (let i = 0; i < g.length; i += per) kept += g[i] !== 0 ? 1 : 0;
          const n = g.length / per;
          const sigma = Math.sqrt(n * p * (1 - p));
          expect(Math.abs(kept - n * (1 - p))).toBeLessThan(5 * sigma);
        });
      }
    }
  });
});

describe('alpha dropout keeps zero mean and unit variance', () => {
  for (const p of [0.1, 0.5, 0.8]) {
    it(`p=${p}`, () => {
      manualSeed(3);
      const n = 200_000;
      const y = F.alphaDropout(randn([n], { dtype: 'float64' }), p, true);
      const mean = y.mean().item();
      const variance = y.sub(mean).pow(2).mean().item();
      // Standard errors at n = 2e5: about 0.0022 for the mean, 0.01 for the variance.
      expect(Math.abs(mean)).toBeLessThan(0.012);
      expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    });
  }
});

describe('what PyTorch returns without drawing', () => {
  const all = [
    'dropout',
    'alphaDropout',
    'featureAlphaDropout',
    'dropout1d',
    'dropout2d',
    'dropout3d',
  ];
  const shapeFor = (fn: string) =>
    fn === 'dropout3d' ? [2, 3, 1, 2, 2] : fn === 'dropout2d' ? [2, 3, 2, 2] : [2, 3, 4];
  for (const fn of all) {
    it(`${fn}: p = 0, training = false and empty inputs give the input itself`, () => {
      const x = randn(shapeFor(fn));
      expect(fns[fn](x, 0, true)).toBe(x);
      expect(fns[fn](x, 0.5, false)).toBe(x);
      const empty = zeros([0, 3, ...shapeFor(fn).slice(2)]);
      expect(fns[fn](empty, 0.5, true)).toBe(empty);
    });
    it(`${fn}: p = 1 multiplies by zero (NaN stays NaN, −x gives −0)`, () => {
      const x = tensor([NaN, Infinity, -2, 3, -0, 0], { requiresGrad: true });
      const shaped =
        fn === 'dropout' || fn === 'alphaDropout'
          ? x
          : x.reshape(
              shapeFor(fn).length === 5
                ? [1, 6, 1, 1, 1]
                : shapeFor(fn).length === 4
                  ? [1, 6, 1, 1]
                  : [1, 6, 1],
            );
      const y = fns[fn](shaped, 1, true);
      expect(Array.from(y.data).map((v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual([
        'NaN',
        'NaN',
        '-0',
        '0',
        '-0',
        '0',
      ]);
      y.sum().backward();
      expect(Array.from((x.grad as Tensor).data)).toEqual([0, 0, 0, 0, 0, 0]);
    });
  }
});

describe('in place', () => {
  it('F.dropout(x, p, true, true) writes into x and returns it', () => {
    manualSeed(1);
    const x = ones([1000]);
    const y = F.dropout(x, 0.25, true, true);
    expect(y).toBe(x);
    const v = new Set(Array.from(x.data));
    expect(v).toEqual(new Set([0, Math.fround(1 / Math.fround(0.75))]));
  });
  it('an unbatched dropout1d in place writes through and keeps the shape', () => {
    manualSeed(2);
    const x = ones([50, 4]);
    const y = F.dropout1d(x, 0.5, true, true);
    expect(y).toBe(x);
    expect(x.shape).toEqual([50, 4]);
    const rows = Array.from({ length: 50 }, (_, r) =>
      Array.from(x.data.subarray(4 * r, 4 * r + 4)),
    );
    expect(rows.every((r) => r.every((v) => v === r[0]))).toBe(true);
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set([0, 2]));
  });
  it('in place on a leaf that requires grad throws, as in PyTorch', () => {
    expect(() => F.dropout(ones([3], { requiresGrad: true }), 0.5, true, true)).toThrow(/leaf/);
  });
  it('nn.AlphaDropout(inplace=true) keeps inplace for its repr but never writes in place', () => {
    const m = new nn.AlphaDropout(0.5, true);
    expect(m.toString()).toBe('AlphaDropout(p=0.5, inplace=True)');
    const x = ones([100]);
    const y = m.forward(x);
    expect(y).not.toBe(x);
    expect(Array.from(x.data).every((v) => v === 1)).toBe(true);
    const f = new nn.FeatureAlphaDropout({ inplace: true });
    const z = ones([4, 5, 2]);
    expect(f.forward(z)).not.toBe(z);
    expect(Array.from(z.data).every((v) => v === 1)).toBe(true);
  });
});

describe('modules', () => {
  it('drop in training mode only', () => {
    const m = new nn.Dropout(0.5);
    expect(m.toString()).toBe('Dropout(p=0.5, inplace=False)');
    const x = ones([1000]);
    manualSeed(4);
    const y = m.forward(x);
    expect(new Set(Array.from(y.data))).toEqual(new Set([0, 2]));
    m.eval();
    expect(m.forward(x)).toBe(x);
  });
  it('follow train()/eval() inside a Sequential, and a network with dropout trains', () => {
    manualSeed(5);
    const net = new nn.Sequential(
      new nn.Linear(4, 32),
      new nn.ReLU(),
      new nn.Dropout(0.2),
      new nn.Linear(32, 1),
    );
    const x = randn([64, 4]);
    const target = x.sum(1, { keepdim: true });
    const loss = () => F.mseLoss(net.forward(x), target);
    net.eval();
    const a = net.forward(x);
    const b = net.forward(x);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const before = loss().item();
    net.train();
    const train1 = net.forward(x);
    expect(Array.from(train1.data)).not.toEqual(Array.from(a.data));
    for (let step = 0; step < 200; step++) {
      net.zeroGrad();
      loss().backward();
      for (const w of net.parameters())
        w.data.set(w.data.map((v, i) => v - 0.02 * (w.grad as Tensor).data[i]));
    }
    net.eval();
    expect(loss().item()).toBeLessThan(before / 4);
  });
  it('are reproducible under manualSeed', () => {
    const x = randn([20, 10]);
    manualSeed(9);
    const a = F.dropout(x);
    manualSeed(9);
    const b = F.dropout(x);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });
  it('print PyTorch’s reprs', () => {
    expect(new nn.Dropout(1).toString()).toBe('Dropout(p=1, inplace=False)');
    expect(new nn.Dropout2d({ p: 0.1, inplace: true }).toString()).toBe(
      'Dropout2d(p=0.1, inplace=True)',
    );
    expect(new nn.Dropout3d().toString()).toBe('Dropout3d(p=0.5, inplace=False)');
    expect(new nn.Dropout1d(0.3).toString()).toBe('Dropout1d(p=0.3, inplace=False)');
    expect(new nn.FeatureAlphaDropout().toString()).toBe(
      'FeatureAlphaDropout(p=0.5, inplace=False)',
    );
  });
});

describe('errors', () => {
  it('p outside [0, 1] or NaN', () => {
    expect(() => F.dropout(ones([3]), 1.5)).toThrow(
      'dropout: p must be a number in [0, 1], got 1.5',
    );
    expect(() => F.alphaDropout(ones([3]), -0.1)).toThrow(
      /^alphaDropout: p must be a number in \[0, 1\]/,
    );
    expect(() => F.dropout(ones([3]), NaN)).toThrow(/^dropout: p must be a number \(not NaN\)/);
    expect(() => new nn.Dropout(2)).toThrow(/^Dropout: p must be a number in \[0, 1\], got 2/);
  });
  it('channel dropouts check the rank, as PyTorch (or where it only warns)', () => {
    expect(() => F.dropout1d(ones([4]), 0.5)).toThrow(
      'dropout1d: expected a 2-D (C, L) or 3-D (N, C, L) input, got a 1-D input',
    );
    expect(() => F.dropout2d(ones([3, 4, 4]), 0.5)).toThrow(
      /^dropout2d: expected a 4-D \(N, C, H, W\) input, got a 3-D input; PyTorch 1.13 reads a 3-D input as \(N, C, L\)/,
    );
    expect(() => F.dropout3d(ones([2, 2]), 0.5, false)).toThrow(
      /^dropout3d: expected a 4-D \(C, D, H, W\) or 5-D \(N, C, D, H, W\) input, got a 2-D input; PyTorch 1.13 accepts it with a deprecation warning/,
    );
  });
  it('feature alpha dropout needs 2 dimensions when it draws', () => {
    expect(() => F.featureAlphaDropout(ones([4]), 0.5, true)).toThrow(
      'featureAlphaDropout: Feature dropout requires at least 2 dimensions in the input',
    );
    const x = ones([4]);
    expect(F.featureAlphaDropout(x, 0.5, false)).toBe(x);
  });
  it('integer inputs when drawing', () => {
    const i = tensor([1, 2], { dtype: 'int32' });
    expect(() => F.dropout(i, 0.5)).toThrow(/^dropout: .*float/);
    expect(F.dropout(i, 0.5, false)).toBe(i);
  });
});
