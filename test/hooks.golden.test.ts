/**
 * Gradient hooks (`registerHook`), `backward`'s `inputs` and
 * `autograd.grad` / `autograd.backward` against PyTorch 1.13
 * (test/golden/hooks.json, scripts/golden/hooks.py): each scenario runs the
 * same steps as the script's function of that name on the same float32
 * network, z = x·W1 + b1, h = relu(z), loss = mean((h·W2 − t)²), on every
 * backend, and its `.grad`s, the gradients its hooks saw and what
 * `autograd.grad` returned must be PyTorch's (SPEC §6 tolerance; a gradient
 * PyTorch leaves unset must stay null here). Then the errors: PyTorch's
 * refusals, with nnkit's messages.
 */
import { describe, expect, it } from 'vitest';
import { arange, autograd, tensor, zeros, type Tensor } from '../src/index.js';
import { forEachBackend } from './helpers/backends.js';
import { decodeTensor, expectResults, loadGolden, type EncodedTensor } from './helpers/golden.js';

interface HookCase {
  name: string;
  results: Record<string, EncodedTensor | null>;
}

const golden = loadGolden<HookCase>('hooks') as ReturnType<typeof loadGolden<HookCase>> & {
  data: Record<'x' | 'W1' | 'b1' | 'W2' | 't' | 'go', EncodedTensor>;
};
const data = Object.fromEntries(
  Object.entries(golden.data).map(([k, v]) => [k, decodeTensor(v)]),
) as Record<keyof typeof golden.data, Tensor>;

/** Fresh leaves from the data and the first layer, as the script's `network`. */
function network(): { W1: Tensor; b1: Tensor; W2: Tensor; z: Tensor } {
  const W1 = data.W1.clone().requiresGrad_();
  const b1 = data.b1.clone().requiresGrad_();
  const W2 = data.W2.clone().requiresGrad_();
  return { W1, b1, W2, z: data.x.matmul(W1).add(b1) };
}

const finish = (h: Tensor, W2: Tensor): Tensor => h.matmul(W2).sub(data.t).pow(2).mean();

type Results = Record<string, Tensor | null>;

/** The scenarios of scripts/golden/hooks.py, step for step. */
const SCENARIOS: Record<string, () => Results> = {
  leafHookScales() {
    const { W1, b1, W2, z } = network();
    W1.registerHook((g) => g.mul(0.5));
    finish(z.relu(), W2).backward();
    return { W1: W1.grad, b1: b1.grad, W2: W2.grad };
  },
  hiddenHookClamps() {
    const { W1, b1, W2, z } = network();
    const h = z.relu();
    const seen: Tensor[] = [];
    h.registerHook((g) => {
      seen.push(g);
      return g.clamp(-0.05, 0.05);
    });
    finish(h, W2).backward();
    return { seen0: seen[0], W1: W1.grad, b1: b1.grad, W2: W2.grad };
  },
  retainThenHook() {
    const { W1, W2, z } = network();
    z.retainGrad();
    z.registerHook((g) => g.mul(3));
    finish(z.relu(), W2).backward();
    return { z: z.grad, W1: W1.grad };
  },
  hookThenRetain() {
    const { W1, W2, z } = network();
    z.registerHook((g) => g.mul(3));
    z.retainGrad();
    finish(z.relu(), W2).backward();
    return { z: z.grad, W1: W1.grad };
  },
  hooksRunTogether() {
    const { W1, W2, z } = network();
    z.registerHook((g) => g.mul(3));
    z.retainGrad();
    z.registerHook((g) => g.mul(2));
    finish(z.relu(), W2).backward();
    return { z: z.grad, W1: W1.grad };
  },
  hooksStayInplace() {
    const { W1, W2, z } = network();
    const seen: Tensor[] = [];
    z.registerHook((g) => {
      seen.push(g);
      return g.mul(2);
    });
    z.retainGrad();
    z.mul_(1.5);
    z.registerHook((g) => void seen.push(g));
    finish(z.relu(), W2).backward();
    return { seen0: seen[0], seen1: seen[1], z: z.grad, W1: W1.grad };
  },
  leafHookOnSum() {
    const { W2, z } = network();
    const seen: Tensor[] = [];
    W2.registerHook((g) => void seen.push(g));
    const h = z.relu();
    finish(h, W2).add(h.matmul(W2).sum().mul(0.1)).backward();
    return { calls: tensor(seen.length), seen0: seen[0], W2: W2.grad };
  },
  backwardInputsLeaf() {
    const { W1, b1, W2, z } = network();
    W2.grad = zeros(W2.shape).add(0.25);
    finish(z.relu(), W2).backward({ inputs: [W2] });
    return { W1: W1.grad, b1: b1.grad, W2: W2.grad };
  },
  backwardInputsHidden() {
    const { W1, b1, W2, z } = network();
    const h = z.relu();
    const loss = finish(h, W2);
    loss.backward({ inputs: [h, b1], retainGraph: true });
    loss.backward({ inputs: h });
    return { h: h.grad, W1: W1.grad, b1: b1.grad, W2: W2.grad };
  },
  gradMany() {
    const { W1, W2, z } = network();
    const seen: Tensor[] = [];
    W1.registerHook((g) => g.mul(100));
    z.retainGrad();
    const h = z.relu();
    h.registerHook((g) => {
      seen.push(g);
      return g.mul(2);
    });
    const [gW1, gh, gW2] = autograd.grad(finish(h, W2), [W1, h, W2]);
    return {
      gW1,
      gh,
      gW2,
      W1: W1.grad,
      W2: W2.grad,
      z: z.grad,
      calls: tensor(seen.length),
    };
  },
  gradOutputs() {
    const { W1, z } = network();
    const unused = zeros([3], { requiresGrad: true });
    const [gW1, gu] = autograd.grad(z, [W1, unused], { gradOutputs: data.go, allowUnused: true });
    return { gW1, unused: gu };
  },
  backwardMany() {
    const { W1, b1, W2, z } = network();
    z.registerHook((g) => g.mul(-1));
    const h = z.relu();
    autograd.backward([finish(h, W2), h.sum()], [null, tensor(2)]);
    return { W1: W1.grad, b1: b1.grad, W2: W2.grad };
  },
};

describe('gradient hooks, backward inputs and autograd.grad against PyTorch', () => {
  it('has a scenario for every golden case and a golden case for every scenario', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(golden.cases.map((c) => c.name).sort());
  });
  forEachBackend(() => {
    for (const c of golden.cases) {
      it(c.name, () => expectResults(c.name, SCENARIOS[c.name](), c.results));
    }
  });
});

describe('hook and autograd.grad errors', () => {
  const leaf = (): Tensor => tensor([1, 2], { requiresGrad: true });

  it('refuses a hook on a tensor that does not require grad, and a non-function', () => {
    expect(() => tensor([1]).registerHook((g) => g)).toThrow(
      "registerHook: cannot register a hook on a tensor that doesn't require gradient",
    );
    expect(() => leaf().registerHook(5 as never)).toThrow(
      'registerHook: hook must be a function, got 5',
    );
  });

  it("refuses a hook's result of another shape or dtype, or not a tensor", () => {
    const cases: [(g: Tensor) => unknown, string][] = [
      [(g) => g.sum(), "changed the gradient's shape from [2] to []"],
      [(g) => g.to('float64'), "changed the gradient's dtype from float32 to float64"],
      [() => 5, 'a hook must return a Tensor, undefined or null; it returned 5'],
    ];
    for (const [hook, message] of cases) {
      const x = leaf();
      x.registerHook(hook as never);
      expect(() => x.mul(2).sum().backward()).toThrow(message);
    }
  });

  it('runs a hook until its handle is removed; undefined keeps the gradient', () => {
    const x = leaf();
    let calls = 0;
    const handle = x.registerHook((g) => {
      calls++;
      return g.mul(10);
    });
    x.mul(2).sum().backward();
    expect(x.grad!.toArray()).toEqual([20, 20]);
    handle.remove();
    handle.remove();
    x.mul(2).sum().backward();
    expect(x.grad!.toArray()).toEqual([22, 22]);
    expect(calls).toBe(1);
  });

  it('keeps what a hook saw: the engine does not write the next gradient over it', () => {
    // Large enough (8 kB) for whole buffers that the pass may reuse as scratch.
    const n = 2048;
    const x = arange(n, { dtype: 'float32' })
      .sub(n / 2)
      .requiresGrad_();
    const c = arange(n, { dtype: 'float32' }).add(1);
    const seen: Tensor[] = [];
    const h = x.mul(3).relu();
    h.registerHook((g) => void seen.push(g));
    h.mul(c).sum().backward();
    // relu's backward may write its gradient (c where x > 0, else 0) over a scratch gradient,
    // never over this one.
    expect(seen[0].toArray()).toEqual(c.toArray());
    expect(x.grad!.toArray()).toEqual(c.mul(x.gt(0)).mul(3).toArray());
  });

  it("refuses backward's and autograd.grad's bad inputs as PyTorch does", () => {
    const x = leaf();
    expect(() => x.mul(2).sum().backward({ inputs: [] })).toThrow(
      "'inputs' argument to backward() cannot be empty",
    );
    expect(() =>
      x
        .mul(2)
        .sum()
        .backward({ inputs: [tensor([1, 2])] }),
    ).toThrow('an input does not require grad');
    expect(() => autograd.grad(x.mul(2).sum(), [x, leaf()])).toThrow(
      'appears to not have been used in the graph',
    );
    expect(() => autograd.grad(x.mul(2).sum(), [])).toThrow('grad requires non-empty inputs');
    expect(() => autograd.grad(x.mul(2).sum(), tensor([1]))).toThrow(
      'one of the differentiated Tensors does not require grad',
    );
    expect(() => autograd.grad(x.mul(2), x)).toThrow(
      'grad can be implicitly created only for one-element outputs',
    );
    expect(() => autograd.grad(tensor([1, 2]).sum(), x)).toThrow(
      'element 0 of tensors does not require grad',
    );
    expect(() => autograd.grad([x.sum(), x.sum()], x, [tensor(1)])).toThrow(
      'got 2 tensors and 1 gradients',
    );
    expect(() => autograd.grad(x.sum(), x, { createGraph: true })).toThrow(
      'createGraph (higher-order gradients) is not supported',
    );
  });

  it('frees the graph after autograd.grad unless retainGraph', () => {
    const x = leaf();
    const y = x.mul(x).sum();
    expect(autograd.grad(y, x, { retainGraph: true })[0]!.toArray()).toEqual([2, 4]);
    expect(autograd.grad(y, x)[0]!.toArray()).toEqual([2, 4]);
    expect(() => autograd.grad(y, x)).toThrow('backward through the graph a second time');
    expect(x.grad).toBeNull();
  });

  it('gives each input its own tensor, and leaves the caller its gradient', () => {
    const x = leaf();
    const [a, b] = autograd.grad(x.mul(2).sum(), [x, x]);
    expect(a).not.toBe(b);
    a!.mul_(0);
    expect(b!.toArray()).toEqual([2, 2]);
    const go = tensor([1, 5]);
    const [g] = autograd.grad(x, x, go);
    expect(g!.toArray()).toEqual([1, 5]);
    g!.mul_(0);
    expect(go.toArray()).toEqual([1, 5]);
  });
});
