/**
 * The normalization modules over a run, against PyTorch 1.13
 * (scripts/golden/normalization.py): BatchNorm's outputs, gradients and
 * running statistics after each training batch and in eval mode, for
 * momentum 0.1 and None (the cumulative average), without tracking and
 * without affine; LayerNorm and GroupNorm with learnt weights; and a small
 * MLP with BatchNorm1d trained by SGD, whose losses must follow PyTorch's.
 * Then the modules' errors, state dicts and the shape modules.
 */
import { describe, expect, it } from 'vitest';
import { F, Tensor, nn, ones, optim, randn, tensor, zeros } from '../src/index.js';
import {
  decodeTensor,
  expectClose,
  expectExact,
  loadGolden,
  type EncodedTensor,
} from './helpers/golden.js';
import { forEachBackend } from './helpers/backends.js';

type State = Record<string, EncodedTensor>;

interface Step {
  training: boolean;
  input: EncodedTensor;
  output: EncodedTensor;
  upstream: EncodedTensor;
  grads: Record<string, EncodedTensor>;
  state: State;
}

interface ModuleCase {
  name: string;
  note: string;
  repr?: string;
  init: State;
  steps?: Step[];
  input?: EncodedTensor;
  target?: EncodedTensor;
  losses?: number[];
  state?: State;
  eval?: EncodedTensor;
}

interface SignedZeroCase {
  fn: 'groupNorm' | 'layerNorm' | 'batchNorm';
  affine: 'none' | 'weight' | 'bias' | 'both';
  args: unknown[];
  input: EncodedTensor;
  output: EncodedTensor;
}

const golden = loadGolden<ModuleCase>('normalization') as ReturnType<
  typeof loadGolden<ModuleCase>
> & { signed_zeros: SignedZeroCase[] };

type Layer = nn.Module & { forward(x: Tensor): Tensor };

/** The module each case names, in float32 or float64 as the case says. */
const MAKE: Record<string, () => Layer> = {
  'BatchNorm1d(3)': () => new nn.BatchNorm1d(3),
  'BatchNorm1d(2, momentum=None)': () => new nn.BatchNorm1d(2, { momentum: null }),
  'BatchNorm2d(3, affine=False)': () => new nn.BatchNorm2d(3, { affine: false }),
  'BatchNorm1d(3, track_running_stats=False)': () =>
    new nn.BatchNorm1d(3, { trackRunningStats: false }),
  'BatchNorm1d(4) float32': () => new nn.BatchNorm1d(4),
  'LayerNorm([3, 4])': () => new nn.LayerNorm([3, 4]),
  'LayerNorm(5, elementwise_affine=False) float32': () =>
    new nn.LayerNorm(5, { elementwiseAffine: false }),
  'GroupNorm(2, 4)': () => new nn.GroupNorm(2, 4),
  'GroupNorm(3, 6, affine=False) float32': () => new nn.GroupNorm(3, 6, { affine: false }),
  'InstanceNorm1d(3)': () => new nn.InstanceNorm1d(3),
  'InstanceNorm1d(3) unbatched': () => new nn.InstanceNorm1d(3),
  'InstanceNorm2d(3, affine=True, track_running_stats=True)': () =>
    new nn.InstanceNorm2d(3, { affine: true, trackRunningStats: true }),
  'InstanceNorm1d(4, momentum=0.3, track_running_stats=True) float32': () =>
    new nn.InstanceNorm1d(4, { momentum: 0.3, trackRunningStats: true }),
  'InstanceNorm3d(2, affine=True) float32': () => new nn.InstanceNorm3d(2, { affine: true }),
};

const decodeState = (s: State): Record<string, Tensor> =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, decodeTensor(v)]));

function expectState(m: nn.Module, expected: State, label: string): void {
  const actual = m.stateDict();
  expect(Object.keys(actual), label).toEqual(Object.keys(expected));
  for (const [k, e] of Object.entries(expected)) {
    if (e.dtype === 'int32')
      expect(actual[k].toArray(), `${label} ${k}`).toEqual(decodeTensor(e).toArray());
    else expectClose(actual[k], e, `${label} ${k}`);
  }
}

forEachBackend(() => {
  describe(`normalization modules against PyTorch ${golden.torch_version}`, () => {
    for (const c of golden.cases.filter((x) => x.steps)) {
      it(`${c.name}${c.note ? ` (${c.note})` : ''}: every step's output, gradients and state`, () => {
        const make = MAKE[c.name];
        expect(make, `no module for ${c.name}`).toBeDefined();
        let m = make();
        if (!c.name.endsWith('float32')) m = m.to('float64') as Layer;
        expect(m.toString()).toBe(c.repr);
        expect(m.loadStateDict(decodeState(c.init))).toEqual({
          missingKeys: [],
          unexpectedKeys: [],
        });
        c.steps!.forEach((s, i) => {
          const label = `${c.name} step ${i} (${s.training ? 'train' : 'eval'})`;
          m.train(s.training);
          const x = decodeTensor(s.input, true);
          const y = m.forward(x);
          expectClose(y, s.output, `${label} output`);
          m.zeroGrad();
          y.backward(decodeTensor(s.upstream));
          expectClose(x.grad!, s.grads.input, `${label} grad input`);
          for (const [name, p] of m.namedParameters()) {
            expectClose(p.grad!, s.grads[name], `${label} grad ${name}`);
          }
          expectState(m, s.state, label);
        });
      });
    }

    it('the sign of a zero output is PyTorch’s: −0 kept only by a group norm without affine', () => {
      expect(golden.signed_zeros.length).toBeGreaterThan(0);
      for (const c of golden.signed_zeros) {
        const x = decodeTensor(c.input);
        const size = c.fn === 'layerNorm' ? x.shape[x.ndim - 1] : x.shape[1];
        const weight =
          c.affine === 'weight' || c.affine === 'both' ? ones([size], { dtype: x.dtype }) : null;
        const bias =
          c.affine === 'bias' || c.affine === 'both' ? zeros([size], { dtype: x.dtype }) : null;
        const label = `${c.fn}(${JSON.stringify(c.args)}, ${c.affine}) of ${x.dtype} ${JSON.stringify(x.shape)}`;
        const call = F[c.fn] as (...a: unknown[]) => Tensor;
        const options = c.fn === 'batchNorm' ? { weight, bias, training: true } : { weight, bias };
        expectExact(call(x, ...c.args, options), c.output, label);
      }
    });

    it('an MLP with BatchNorm1d follows PyTorch through 8 SGD steps, then eval', () => {
      const c = golden.cases.find((x) => x.name === 'mlp')!;
      const mlp = new nn.Sequential(
        new nn.Linear(4, 8),
        new nn.BatchNorm1d(8),
        new nn.ReLU(),
        new nn.Linear(8, 3),
      );
      mlp.loadStateDict(decodeState(c.init));
      const opt = new optim.SGD(mlp.parameters(), { lr: 0.1, momentum: 0.9 });
      const x = decodeTensor(c.input!);
      const t = decodeTensor(c.target!);
      const losses: number[] = [];
      for (let i = 0; i < 8; i++) {
        opt.zeroGrad();
        const loss = F.crossEntropy(mlp.forward(x), t);
        loss.backward();
        opt.step();
        losses.push(loss.item());
      }
      // float32 through 8 steps: each loss within 1e-5 + 1e-5·|ref|, SPEC's one-step bound
      // (the largest measured: 1.5e-7 relative, on wasm).
      losses.forEach((l, i) => {
        expect(
          Math.abs(l - c.losses![i]),
          `loss ${i}: ${l} vs ${c.losses![i]}`,
        ).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(c.losses![i]));
      });
      expectState(mlp, c.state!, 'trained mlp');
      mlp.eval();
      expectClose(mlp.forward(x), c.eval!, 'eval output');
    });
  });
});

describe('normalization modules: errors and state', () => {
  it('BatchNorm checks the rank, the channels and batches of one', () => {
    expect(() => new nn.BatchNorm1d(3).forward(zeros([2, 3, 4, 5]))).toThrow(
      /^BatchNorm1d\.forward: expected 2D or 3D input \(got 4D input\)$/,
    );
    expect(() => new nn.BatchNorm2d(3).forward(zeros([2, 3, 4]))).toThrow(
      /^BatchNorm2d\.forward: expected 4D input \(got 3D input\)$/,
    );
    expect(() => new nn.BatchNorm1d(3).forward(zeros([4, 2]))).toThrow(
      /^BatchNorm1d\.forward: expected 3 channels \(dimension 1 of the input\), got input of shape \[4, 2\]$/,
    );
    expect(() => new nn.BatchNorm1d(3).forward(zeros([1, 3]))).toThrow(
      /^batchNorm: expected more than 1 value per channel when training, got input of shape \[1, 3\]$/,
    );
    // In eval mode one sample is fine, as in PyTorch.
    const bn = new nn.BatchNorm1d(3);
    bn.eval();
    expect(bn.forward(tensor([[1, 2, 3]])).data[2]).toBeCloseTo(3 / Math.sqrt(1 + 1e-5), 6);
    expect(() => new nn.BatchNorm1d(3, { momentum: 1.5 })).toThrow(
      /^BatchNorm1d: momentum must be /,
    );
    expect(() => new nn.BatchNorm1d(-1)).toThrow(/^BatchNorm1d: numFeatures must be /);
  });

  it('InstanceNorm checks the rank, the channels it needs, the positions and momentum', () => {
    expect(() => new nn.InstanceNorm1d(3).forward(zeros([2, 3, 4, 5]))).toThrow(
      /^InstanceNorm1d\.forward: expected 2D or 3D input \(got 4D input\)$/,
    );
    expect(() => new nn.InstanceNorm2d(3).forward(zeros([2, 3]))).toThrow(
      /^InstanceNorm2d\.forward: expected 3D or 4D input \(got 2D input\)$/,
    );
    // numFeatures is unused without weights or statistics: PyTorch warns, nnkit goes on.
    expect(new nn.InstanceNorm1d(3).forward(randn([2, 4, 5])).shape).toEqual([2, 4, 5]);
    expect(() => new nn.InstanceNorm1d(3, { affine: true }).forward(zeros([2, 4, 5]))).toThrow(
      /^InstanceNorm1d\.forward: expected 3 channels \(dimension 1 of the input\), got input of shape \[2, 4, 5\]$/,
    );
    expect(() =>
      new nn.InstanceNorm1d(3, { trackRunningStats: true }).forward(zeros([4, 5])),
    ).toThrow(/expected 3 channels \(dimension 0 of the input\), got input of shape \[4, 5\]$/);
    expect(() => new nn.InstanceNorm2d(3).forward(zeros([2, 3, 1, 1]))).toThrow(
      /^instanceNorm: expected more than 1 spatial element when using the input's statistics, got input of shape \[2, 3, 1, 1\]$/,
    );
    expect(() => new nn.InstanceNorm1d(3, { momentum: null as unknown as number })).toThrow(
      /^InstanceNorm1d: momentum must be /,
    );
    expect(() => F.instanceNorm(zeros([2, 3, 4]), null, null, { useInputStats: false })).toThrow(
      /^instanceNorm: runningMean and runningVar must be given when useInputStats is false$/,
    );
    // Eval mode with running statistics normalises with them, also a single position.
    const norm = new nn.InstanceNorm1d(2, { trackRunningStats: true });
    norm.eval();
    const y = norm.forward(tensor([[[3], [-2]]]));
    expect(y.data[0]).toBeCloseTo(3 / Math.sqrt(1 + 1e-5), 6);
    expect(norm.numBatchesTracked!.item()).toBe(0);
  });

  it('an empty batch changes no running statistic, as in PyTorch', () => {
    const bn = new nn.BatchNorm1d(2);
    expect(bn.forward(zeros([0, 2])).shape).toEqual([0, 2]);
    expect(bn.runningMean!.toArray()).toEqual([0, 0]);
    expect(bn.runningVar!.toArray()).toEqual([1, 1]);
    expect(bn.numBatchesTracked!.item()).toBe(1);
  });

  it('zeros come out +0, as PyTorch adds its β = 0 (layer norm, batch norm in both modes)', () => {
    const x = tensor([[-0, 0]]);
    const positive = (t: Tensor) => [...t.data].every((v) => Object.is(v, 0));
    expect(positive(F.layerNorm(x, [2]))).toBe(true);
    expect(positive(F.batchNorm(x, zeros([2]), ones([2])))).toBe(true);
    expect(positive(F.batchNorm(tensor([[-0], [-0]]), null, null, { training: true }))).toBe(true);
  });

  it('huge empty inputs return at once (no statistics of empty groups)', () => {
    const x = zeros([2 ** 26, 0, 2 ** 26], { requiresGrad: true });
    const y = F.groupNorm(x, 3);
    expect(y.shape).toEqual([2 ** 26, 0, 2 ** 26]);
    y.sum().backward();
    expect(x.grad!.shape).toEqual(x.shape);
    const w = zeros([0], { requiresGrad: true });
    const z = F.layerNorm(zeros([2 ** 26, 0]), [0], w);
    expect(z.shape).toEqual([2 ** 26, 0]);
    z.sum().backward();
    expect(w.grad!.shape).toEqual([0]);
  });

  it('resetRunningStats, and dtype for parameters and statistics', () => {
    const bn = new nn.BatchNorm1d(2, { dtype: 'float64' });
    bn.forward(
      tensor(
        [
          [1, 2],
          [3, 5],
        ],
        { dtype: 'float64' },
      ),
    );
    // 0.1 · batch mean + 0.9 · 0, in float64 as PyTorch computes it.
    expect(bn.runningMean!.toArray()).toEqual([0.1 * 2, 0.1 * 3.5]);
    bn.resetRunningStats();
    expect([
      bn.runningMean!.toArray(),
      bn.runningVar!.toArray(),
      bn.numBatchesTracked!.item(),
    ]).toEqual([[0, 0], [1, 1], 0]);
    expect(bn.weight!.dtype).toBe('float64');
    expect(new nn.BatchNorm1d(2, { affine: false }).weight).toBeNull();
    expect(new nn.LayerNorm(3, { elementwiseAffine: false }).parameters()).toEqual([]);
  });

  it('F.layerNorm and F.groupNorm name what does not fit', () => {
    expect(() => F.layerNorm(zeros([3, 5]), [4])).toThrow(
      /^layerNorm: normalizedShape \[4\] must match the input's last dimensions: expected an input of shape \[\*, 4\], got \[3, 5\]$/,
    );
    expect(() => F.layerNorm(zeros([3, 4]), [])).toThrow(
      /^layerNorm: normalizedShape must have at least one dimension/,
    );
    expect(() => F.layerNorm(zeros([3, 4]), [4], zeros([3]))).toThrow(
      /^layerNorm: weight of shape \[3\] must have shape \[4\]/,
    );
    expect(() => F.groupNorm(zeros([3, 4]), 3)).toThrow(
      /^groupNorm: the number of channels must be divisible by numGroups, got input of shape \[3, 4\] and numGroups = 3$/,
    );
    expect(() => new nn.GroupNorm(3, 4)).toThrow(
      /^GroupNorm: numChannels must be divisible by numGroups/,
    );
    expect(() => F.batchNorm(zeros([4, 3]), null, null)).toThrow(
      /^batchNorm: runningMean and runningVar must be given when training is false$/,
    );
    expect(() => F.layerNorm(zeros([2, 4], { dtype: 'float64' }), [4], zeros([4]))).toThrow(
      /^layerNorm: weight must have the input's dtype float64, got float32$/,
    );
  });

  it('loads the state dict of a PyTorch Sequential with BatchNorm1d', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { io } = await import('../src/index.js');
    const state = io.load(
      readFileSync(join(import.meta.dirname, 'golden', 'torch', 'sequential_state_dict.pt')),
    ) as Record<string, Tensor>;
    const model = new nn.Sequential(new nn.Linear(3, 2), new nn.BatchNorm1d(2), new nn.PReLU());
    expect(model.loadStateDict(state)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect((model.at(1) as nn.BatchNorm1d).numBatchesTracked!.item()).toBe(1);
  });
});

describe('Flatten, Unflatten, Identity', () => {
  it('reshape as PyTorch does, print as PyTorch does', () => {
    const x = zeros([2, 3, 4, 5]);
    expect(new nn.Flatten().forward(x).shape).toEqual([2, 60]);
    expect(new nn.Flatten(0, 2).forward(x).shape).toEqual([24, 5]);
    expect(new nn.Flatten({ endDim: -2 }).forward(x).shape).toEqual([2, 12, 5]);
    expect(new nn.Flatten(2).toString()).toBe('Flatten(start_dim=2, end_dim=-1)');
    expect(new nn.Unflatten(1, [3, -1]).forward(zeros([2, 12])).shape).toEqual([2, 3, 4]);
    expect(new nn.Unflatten(-1, [2, 2, 3]).forward(zeros([5, 12])).shape).toEqual([5, 2, 2, 3]);
    expect(new nn.Unflatten(1, [4]).toString()).toBe('Unflatten(dim=1, unflattened_size=(4,))');
    expect(() => new nn.Unflatten(1, [5, 2]).forward(zeros([2, 12]))).toThrow(
      /^Unflatten\.forward: sizes \[5, 2\] don't multiply up to the size of dim 1 \(12\)/,
    );
    expect(() => new nn.Unflatten(1, [-1, -1])).toThrow(/at most one -1/);
    const y = tensor([1, 2]);
    expect(new nn.Identity(3, { unused: true }).forward(y)).toBe(y);
    expect(() => (new nn.Identity().forward as (...a: Tensor[]) => Tensor)(y, y)).toThrow(
      /^Identity\.forward: takes 1 argument \(input\) but 2 were given$/,
    );
  });

  it('a Sequential with Flatten, LayerNorm and Identity trains', () => {
    const model = new nn.Sequential(
      new nn.Flatten(),
      new nn.Linear(6, 4),
      new nn.LayerNorm(4),
      new nn.ReLU(),
      new nn.Identity(),
      new nn.Linear(4, 2),
    );
    const x = tensor([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [
        [6, 5, 4],
        [3, 2, 1],
      ],
    ]);
    const t = tensor([0, 1], { dtype: 'int32' });
    const opt = new optim.Adam(model.parameters(), { lr: 0.05 });
    const first = F.crossEntropy(model.forward(x), t).item();
    for (let i = 0; i < 30; i++) {
      opt.zeroGrad();
      F.crossEntropy(model.forward(x), t).backward();
      opt.step();
    }
    expect(F.crossEntropy(model.forward(x), t).item()).toBeLessThan(first / 10);
    expect(model.toString()).toContain('(2): LayerNorm((4,), eps=1e-05, elementwise_affine=True)');
  });
});
