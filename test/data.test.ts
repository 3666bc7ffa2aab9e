import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { data, Generator, tensor } from '../src/index.js';

/** Labels with the given class sizes, in a scrambled order. */
function makeLabels(sizes: number[], seed: number): number[] {
  const labels = sizes.flatMap((n, c) => Array<number>(n).fill(c * 3 + 1)); // non-contiguous label values
  const g = new Generator(seed);
  for (let i = labels.length - 1; i > 0; i--) {
    const j = g.integer(0, i + 1);
    [labels[i], labels[j]] = [labels[j], labels[i]];
  }
  return labels;
}

const arbSetup = fc.record({
  sizes: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
  m: fc.integer({ min: 1, max: 7 }),
  epochs: fc.integer({ min: 1, max: 4 }),
  seed: fc.integer({ min: 0, max: 1e6 }),
});

describe('BalancedBatchSampler invariants (property tests)', () => {
  it('every minibatch takes exactly samplesPerClass from each class', () => {
    fc.assert(
      fc.property(arbSetup, ({ sizes, m, epochs, seed }) => {
        const labels = makeLabels(sizes, seed);
        const s = new data.BalancedBatchSampler(labels, {
          samplesPerClass: m,
          generator: new Generator(seed),
        });
        expect(s.batchSize).toBe(m * sizes.length);
        for (let e = 0; e < epochs; e++) {
          for (const batch of s) {
            expect(batch.length).toBe(m * sizes.length);
            const counts = new Map<number, number>();
            for (const i of batch) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
            expect(counts.size).toBe(sizes.length);
            for (const v of counts.values()) expect(v).toBe(m);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('an epoch ends once every sample of the largest class is used, and covers every sample', () => {
    fc.assert(
      fc.property(arbSetup, ({ sizes, m, epochs, seed }) => {
        const labels = makeLabels(sizes, seed);
        const s = new data.BalancedBatchSampler(labels, {
          samplesPerClass: m,
          generator: new Generator(seed),
        });
        const nMax = Math.max(...sizes);
        for (let e = 0; e < epochs; e++) {
          const batches = s.epoch();
          // As few minibatches as possible: one fewer could not reach every sample of the largest class.
          expect(batches.length).toBe(Math.ceil(nMax / m));
          expect((batches.length - 1) * m).toBeLessThan(nMax);
          const used = new Set(batches.flatMap((b) => Array.from(b)));
          expect(used.size).toBe(labels.length);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("each class's stream is a sequence of fresh permutations: no sample left out or repeated early", () => {
    fc.assert(
      fc.property(arbSetup, ({ sizes, m, epochs, seed }) => {
        const labels = makeLabels(sizes, seed);
        const s = new data.BalancedBatchSampler(labels, {
          samplesPerClass: m,
          generator: new Generator(seed),
        });
        const streams = new Map<number, number[]>();
        for (let e = 0; e < epochs; e++) {
          for (const b of s)
            for (const i of b) streams.set(labels[i], [...(streams.get(labels[i]) ?? []), i]);
        }
        for (const [c, stream] of streams) {
          const members = labels.flatMap((l, i) => (l === c ? [i] : [])).sort((a, b) => a - b);
          for (let k = 0; k + members.length <= stream.length; k += members.length) {
            const block = stream.slice(k, k + members.length).sort((a, b) => a - b);
            expect(block).toEqual(members);
          }
          // The incomplete tail has no repeats either.
          const tail = stream.slice(stream.length - (stream.length % members.length));
          expect(new Set(tail).size).toBe(tail.length);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('reshuffles when a buffer wraps', () => {
    const labels = [...Array<number>(200).fill(0), ...Array<number>(20).fill(1)];
    const s = new data.BalancedBatchSampler(labels, {
      samplesPerClass: 4,
      generator: new Generator(7),
    });
    const stream = s.epoch().flatMap((b) => Array.from(b.slice(4)));
    const passes = Array.from({ length: 10 }, (_v, k) =>
      stream.slice(k * 20, k * 20 + 20).join(','),
    );
    expect(new Set(passes).size).toBeGreaterThan(8);
  });

  it('is deterministic for a seed and accepts an int32 tensor of labels', () => {
    const labels = makeLabels([30, 5, 2], 3);
    const a = new data.BalancedBatchSampler(tensor(labels, { dtype: 'int32' }), {
      samplesPerClass: 2,
      generator: new Generator(1),
    });
    const b = new data.BalancedBatchSampler(labels, {
      samplesPerClass: 2,
      generator: new Generator(1),
    });
    const c = new data.BalancedBatchSampler(labels, {
      samplesPerClass: 2,
      generator: new Generator(2),
    });
    const ea = a.epoch().map((x) => Array.from(x));
    expect(ea).toEqual(b.epoch().map((x) => Array.from(x)));
    expect(ea).not.toEqual(c.epoch().map((x) => Array.from(x)));
  });

  it('rejects bad arguments', () => {
    expect(() => new data.BalancedBatchSampler([])).toThrow(/labels must not be empty/);
    expect(() => new data.BalancedBatchSampler([0, 1], { samplesPerClass: 0 })).toThrow(
      'BalancedBatchSampler: samplesPerClass must be an integer ≥ 1, got 0',
    );
    expect(() => new data.BalancedBatchSampler([0, 1.5])).toThrow(/label 1.5 at index 1/);
  });
});

describe('NaturalBatchSampler', () => {
  it('each epoch is a permutation of all samples in minibatches of batchSize', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 50 }),
        fc.boolean(),
        fc.integer(),
        (n, bs, dropLast, seed) => {
          const s = new data.NaturalBatchSampler(n, {
            batchSize: bs,
            dropLast,
            generator: new Generator(seed),
          });
          const batches = s.epoch();
          expect(batches.length).toBe(s.batchesPerEpoch);
          batches.forEach((b, i) => {
            if (i < batches.length - 1 || dropLast) expect(b.length).toBe(bs);
          });
          const all = batches.flatMap((b) => Array.from(b));
          expect(new Set(all).size).toBe(all.length);
          expect(all.length).toBe(dropLast ? Math.floor(n / bs) * bs : n);
          if (!dropLast)
            expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_v, i) => i));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('trainBalancedThenFineTune', () => {
  it('runs the balanced epochs, switches the learning rate, then fine-tunes at natural frequency', () => {
    const labels = makeLabels([50, 10, 3], 11);
    const opt = { paramGroups: [{ lr: 0.1 }, { lr: 0.2 }] };
    const seen: { phase: string; n: number; lr: number; counts: number[] }[] = [];
    const history = data.trainBalancedThenFineTune({
      labels,
      optimizer: opt,
      balanced: { epochs: 3, samplesPerClass: 5 },
      fineTune: { epochs: 2, batchSize: 16, lr: 0.01 },
      generator: new Generator(5),
      step: (idx, info) => {
        const counts = [1, 4, 7].map((c) => Array.from(idx).filter((i) => labels[i] === c).length);
        seen.push({ phase: info.phase, n: idx.length, lr: opt.paramGroups[1].lr, counts });
        return info.phase === 'balanced' ? 1 : 2;
      },
    });
    expect(history.map((h) => [h.phase, h.epoch, h.meanLoss])).toEqual([
      ['balanced', 0, 1],
      ['balanced', 1, 1],
      ['balanced', 2, 1],
      ['fineTune', 0, 2],
      ['fineTune', 1, 2],
    ]);
    const bal = seen.filter((s) => s.phase === 'balanced');
    expect(bal.length).toBe(3 * Math.ceil(50 / 5));
    for (const s of bal) {
      expect(s.counts).toEqual([5, 5, 5]);
      expect(s.lr).toBe(0.2);
    }
    const ft = seen.filter((s) => s.phase === 'fineTune');
    expect(ft.length).toBe(2 * Math.ceil(63 / 16));
    for (const s of ft) expect(s.lr).toBe(0.01);
    // Natural frequency: over an epoch, each class appears exactly as often as in the data.
    const firstEpoch = ft.slice(0, Math.ceil(63 / 16));
    expect([0, 1, 2].map((k) => firstEpoch.reduce((a, s) => a + s.counts[k], 0))).toEqual([
      50, 10, 3,
    ]);
  });
});
