import { describe, expect, it } from 'vitest';
import { optim, tensor, type Tensor } from '../src/index.js';
import { decodeTensor, expectClose, loadGolden, type EncodedTensor } from './helpers/golden.js';

interface OptimCase {
  name: string;
  optimizer: 'SGD' | 'Adam';
  options: Record<string, number | boolean | number[]>;
  init: EncodedTensor[];
  steps: { grads: (EncodedTensor | null)[]; params: EncodedTensor[] }[];
}

const golden = loadGolden<OptimCase>('optim');

/** PyTorch's snake_case option names to nnkit's camelCase. */
function camel(opts: OptimCase['options']): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(opts).map(([k, v]) => [
      k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
      v,
    ]),
  );
}

function makeOptimizer(c: OptimCase, params: Tensor[]): optim.SGD | optim.Adam {
  const o = camel(c.options);
  return c.optimizer === 'SGD'
    ? new optim.SGD(params, o as Partial<optim.SGDOptions>)
    : new optim.Adam(params, o as Partial<optim.AdamOptions>);
}

describe('optimizers against PyTorch', () => {
  for (const c of golden.cases) {
    const dtype = c.init[0].dtype;
    it(`${c.name} (${dtype}), ${c.steps.length} steps`, () => {
      const params = c.init.map((e) => decodeTensor(e, true));
      const opt = makeOptimizer(c, params);
      c.steps.forEach((s, k) => {
        opt.zeroGrad();
        s.grads.forEach((g, i) => {
          params[i].grad = g ? decodeTensor(g) : null;
        });
        opt.step();
        s.params.forEach((e, i) => expectClose(params[i], e, `${c.name} step ${k + 1} param ${i}`));
      });
    });
  }
});

describe('optimizer API', () => {
  it('rejects bad options with messages that name them', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    expect(() => new optim.SGD([p], { lr: -1 })).toThrow(
      /SGD: invalid learning rate \(lr\) value: -1/,
    );
    expect(() => new optim.SGD([p], { nesterov: true })).toThrow(/Nesterov/);
    expect(() => new optim.Adam([p], { betas: [0.9, 1] })).toThrow(/beta parameter at index 1: 1/);
    expect(() => new optim.Adam([p], { eps: -1 })).toThrow(/eps/);
    expect(() => new optim.Adam([])).toThrow(/empty parameter list/);
    expect(() => new optim.SGD([tensor([1])])).toThrow(/require grad/);
  });

  it('parameter groups carry their own options and can be changed between steps', () => {
    const a = tensor([1], { requiresGrad: true });
    const b = tensor([1], { requiresGrad: true });
    const opt = new optim.SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
    a.grad = tensor([1]);
    b.grad = tensor([1]);
    opt.step();
    expect(a.item()).toBeCloseTo(0.9, 6);
    expect(b.item()).toBeCloseTo(0.5, 6);
    opt.paramGroups[0].lr = 0.2;
    opt.step();
    expect(a.item()).toBeCloseTo(0.7, 6);
  });

  it('zeroGrad clears or zero-fills gradients', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const opt = new optim.Adam([p]);
    p.grad = tensor([3, 4]);
    opt.zeroGrad(false);
    expect(Array.from(p.grad.data)).toEqual([0, 0]);
    opt.zeroGrad();
    expect(p.grad).toBeNull();
  });

  it('minimises a quadratic through autograd', () => {
    const target = tensor([3, -2, 0.5]);
    for (const make of [
      (p: Tensor) => new optim.SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true }),
      (p: Tensor) => new optim.Adam([p], { lr: 0.1 }),
    ]) {
      const p = tensor([0, 0, 0], { requiresGrad: true });
      const opt = make(p);
      for (let i = 0; i < 300; i++) {
        opt.zeroGrad();
        p.sub(target).square().sum().backward();
        opt.step();
      }
      Array.from(p.data).forEach((v, i) => expect(v).toBeCloseTo(target.data[i], 3));
    }
  });
});
