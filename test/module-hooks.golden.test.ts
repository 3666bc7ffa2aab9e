/**
 * Module full backward hooks (`registerFullBackwardHook`) against PyTorch
 * 1.13 (test/golden/module_hooks.json, scripts/golden/module_hooks.py):
 * each scenario runs the same steps as the script's function of that name,
 * with the same weights, on every backend; every hook call (each entry of
 * `gradInput` and `gradOutput`, null where PyTorch passes None), how many
 * calls there were, and the gradients that reached the inputs and weights
 * must be PyTorch's (SPEC §6 tolerance). Then the refusals.
 */
import { describe, expect, it } from 'vitest';
import { F, nn, noGrad, ones, tensor, type Tensor } from '../src/index.js';
import { forEachBackend } from './helpers/backends.js';
import { decodeTensor, expectResults, loadGolden, type EncodedTensor } from './helpers/golden.js';

interface HookCase {
  name: string;
  results: Record<string, EncodedTensor | null>;
}

const golden = loadGolden<HookCase>('module_hooks') as ReturnType<typeof loadGolden<HookCase>> & {
  data: Record<'x' | 't' | 'seq' | 'x1' | 'x2', EncodedTensor>;
  state: Record<string, EncodedTensor>;
};
const decoded = (r: Record<string, EncodedTensor>): Record<string, Tensor> =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, decodeTensor(v)]));
const data = decoded(golden.data);
const state = decoded(golden.state);

/** `m` with the fixture's weights stored under `name.` (the script's `modules`). */
function load<M extends nn.Module>(name: string, m: M): M {
  const prefix = `${name}.`;
  m.loadStateDict(
    Object.fromEntries(
      Object.entries(state)
        .filter(([k]) => k.startsWith(prefix))
        .map(([k, v]) => [k.slice(prefix.length), v]),
    ),
  );
  return m;
}

const modules = () => ({
  mlp: load('mlp', new nn.Sequential(new nn.Linear(4, 5), new nn.ReLU(), new nn.Linear(5, 3))),
  bilinear: load('bilinear', new nn.Bilinear(3, 2, 2)),
  mha: load('mha', new nn.MultiheadAttention(4, 2)),
  lstm: load('lstm', new nn.LSTM(4, 3)),
  square: load('square', new nn.Linear(4, 4)),
});

type Results = Record<string, Tensor | null>;
type GradList = readonly (Tensor | null)[];

/** A hook recording its calls under `tag` as the script's Recorder does; `replace` maps gradInput to what it returns. */
function recorder(out: Results, tag: string, replace?: (gi: GradList) => GradList) {
  let calls = 0;
  return (_m: unknown, gi: GradList, go: GradList): GradList | undefined => {
    const k = calls++;
    out[`${tag}.calls`] = tensor(calls);
    gi.forEach((g, i) => (out[`${tag}.${k}.gi${i}`] = g));
    go.forEach((g, i) => (out[`${tag}.${k}.go${i}`] = g));
    return replace?.(gi);
  };
}

/** Uses only its first input (the script's FirstOfTwo). */
class FirstOfTwo extends nn.Module {
  forward(a: Tensor, _b: Tensor): Tensor {
    return a.mul(2);
  }
}

const xGrad = (): Tensor => data.x.clone().requiresGrad_();
const meanSquare = (y: Tensor): Tensor => y.pow(2).mean();

/** The scenarios of scripts/golden/module_hooks.py, step for step. */
const SCENARIOS: Record<string, () => Results> = {
  linearHook() {
    const out: Results = {};
    const { mlp } = modules();
    const x = xGrad();
    mlp.at(0).registerFullBackwardHook(recorder(out, 'h'));
    meanSquare(mlp.forward(x)).backward();
    const [l0, , l2] = mlp.children() as nn.Linear[];
    return { ...out, x: x.grad, W0: l0.weight.grad, W2: l2.weight.grad };
  },
  replaceGradInput() {
    const out: Results = {};
    const { mlp } = modules();
    const x = xGrad();
    mlp.at(2).registerFullBackwardHook(recorder(out, 'h', (gi) => [gi[0]!.mul(0.5)]));
    meanSquare(mlp.forward(x)).backward();
    const [l0, , l2] = mlp.children() as nn.Linear[];
    return { ...out, x: x.grad, W0: l0.weight.grad, b0: l0.bias!.grad, W2: l2.weight.grad };
  },
  hooksChain() {
    const out: Results = {};
    const { mlp } = modules();
    const x = xGrad();
    const lin = mlp.at(0);
    lin.registerFullBackwardHook(recorder(out, 'a', (gi) => [gi[0]!.mul(2)]));
    lin.registerFullBackwardHook(recorder(out, 'b', (gi) => [gi[0]!.add(1)]));
    lin.registerFullBackwardHook(recorder(out, 'c')).remove();
    meanSquare(mlp.forward(x)).backward();
    return { ...out, x: x.grad };
  },
  outputTensorHook() {
    const out: Results = {};
    const { mlp } = modules();
    const x = xGrad();
    const lin = mlp.at(0);
    lin.registerFullBackwardHook(recorder(out, 'h'));
    const y = lin.forward(x);
    y.retainGrad();
    y.registerHook((g) => g.mul(3));
    meanSquare(y.relu()).backward();
    return { ...out, x: x.grad, y: y.grad };
  },
  noInputGrad() {
    const out: Results = {};
    const { mlp } = modules();
    mlp.at(0).registerFullBackwardHook(recorder(out, 'h'));
    meanSquare(mlp.forward(data.x)).backward();
    return { ...out, W0: (mlp.at(0) as nn.Linear).weight.grad };
  },
  sequentialHook() {
    const out: Results = {};
    const { mlp } = modules();
    const x = xGrad();
    mlp.registerFullBackwardHook(recorder(out, 'seq'));
    mlp.at(2).registerFullBackwardHook(recorder(out, 'last'));
    meanSquare(mlp.forward(x)).backward();
    return { ...out, x: x.grad };
  },
  bilinearOneInput() {
    const out: Results = {};
    const { bilinear } = modules();
    const x1 = data.x1.clone().requiresGrad_();
    bilinear.registerFullBackwardHook(recorder(out, 'h'));
    bilinear.forward(x1, data.x2).sum().backward();
    return { ...out, x1: x1.grad };
  },
  attentionTwoOutputs() {
    const out: Results = {};
    const { mha } = modules();
    const q = data.seq.clone().requiresGrad_();
    mha.registerFullBackwardHook(recorder(out, 'h'));
    const [attn] = mha.forward(q, q, data.seq);
    attn.pow(2).sum().backward();
    return { ...out, q: q.grad };
  },
  lstmNestedState() {
    const out: Results = {};
    const { lstm } = modules();
    const x = data.seq.clone().requiresGrad_();
    lstm.registerFullBackwardHook(recorder(out, 'h'));
    const [y, [h]] = lstm.forward(x);
    y.sum().add(h.sum()).backward();
    return { ...out, x: x.grad };
  },
  lstmStateOnly() {
    const out: Results = {};
    const { lstm } = modules();
    const x = data.seq.clone().requiresGrad_();
    lstm.registerFullBackwardHook(recorder(out, 'h'));
    const [, [, c]] = lstm.forward(x);
    c!.sum().backward();
    return { ...out, x: x.grad };
  },
  sharedTwice() {
    const out: Results = {};
    const { square } = modules();
    const x = xGrad();
    square.registerFullBackwardHook(recorder(out, 'h'));
    square.forward(square.forward(x).tanh()).sum().backward();
    return { ...out, x: x.grad, W: square.weight.grad };
  },
  unusedInput() {
    const out: Results = {};
    const a = data.x.narrow(0, 0, 1).reshape([4]).clone().requiresGrad_();
    const b = data.x.narrow(0, 1, 1).reshape([4]).clone().requiresGrad_();
    const f = new FirstOfTwo();
    f.registerFullBackwardHook(recorder(out, 'h'));
    f.forward(a, b).sum().backward();
    return { ...out, a: a.grad, b: b.grad };
  },
  lossModule() {
    const out: Results = {};
    const p = xGrad();
    const mse = new nn.MSELoss();
    mse.registerFullBackwardHook(recorder(out, 'h'));
    mse.forward(p, data.t).backward();
    return { ...out, p: p.grad };
  },
};

describe('module full backward hooks against PyTorch', () => {
  it('has a scenario for every golden case and a golden case for every scenario', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(golden.cases.map((c) => c.name).sort());
  });
  forEachBackend(() => {
    for (const c of golden.cases) {
      it(c.name, () => expectResults(c.name, SCENARIOS[c.name](), c.results));
    }
  });
});

describe('module full backward hook refusals', () => {
  const x = () => ones([1, 2], { requiresGrad: true });

  it('refuses an in-place write into a hooked module output, as PyTorch does', () => {
    const lin = new nn.Linear(2, 2);
    lin.registerFullBackwardHook(() => undefined);
    expect(() => F.relu(lin.forward(x()), { inplace: true })).toThrow(
      /output 0 of BackwardHookFunctionBackward is being modified in place; it wraps a tensor of a module with a full backward hook/,
    );
  });

  it('keeps nn.Sequential from fusing a hooked Linear and its ReLU in place', () => {
    const seq = new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU());
    let calls = 0;
    seq.at(0).registerFullBackwardHook(() => void calls++);
    seq.forward(x()).sum().backward();
    expect(calls).toBe(1);
  });

  it('refuses a replacement of the wrong length, shape or kind', () => {
    const bad: [unknown, RegExp][] = [
      [[ones([1, 2]), ones([1, 2])], /returned 2 gradients for 1 inputs/],
      [[ones([2, 1])], /returned a gradient of shape \[2, 1\] for input 0, of shape \[1, 2\]/],
      [ones([1, 2]), /must return an array of gradients/],
    ];
    for (const [r, message] of bad) {
      const lin = new nn.Linear(2, 1);
      lin.registerFullBackwardHook(() => r as GradList);
      expect(() => lin.forward(x()).sum().backward()).toThrow(message);
    }
  });

  it('refuses a replacement when no input requires grad', () => {
    const lin = new nn.Linear(2, 1);
    lin.registerFullBackwardHook(() => [ones([1, 2])]);
    expect(() =>
      lin
        .forward(ones([1, 2]))
        .sum()
        .backward(),
    ).toThrow(
      /none of whose inputs requires grad must return undefined, null or an array of nulls/,
    );
  });

  it('wraps nothing under noGrad, and refuses a hook that is not a function', () => {
    const lin = new nn.Linear(2, 1);
    expect(() => lin.registerFullBackwardHook(3 as never)).toThrow(/hook must be a function/);
    lin.registerFullBackwardHook(() => undefined);
    expect(lin.forward(x()).gradFn?.name).toBe('BackwardHookFunctionBackward');
    const y = noGrad(() => lin.forward(x()));
    expect(y.gradFn).toBeNull();
    expect(F.relu(y, { inplace: true })).toBe(y);
  });
});
