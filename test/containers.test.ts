/**
 * nn.ModuleDict, nn.ParameterList and nn.ParameterDict against PyTorch 1.13
 * (scripts/golden/containers.py): reprs, state-dict keys, key order (a
 * ParameterDict from a plain object sorts its keys), pop and update, the
 * three nested in a module, and PyTorch's errors for bad names. Then what
 * the containers hand to autograd and optimizers.
 */
import { describe, expect, it } from 'vitest';
import { nn, ones, optim, tensor, zeros, type Tensor } from '../src/index.js';
import { loadGolden, type GoldenFile } from './helpers/golden.js';

interface Case {
  name: string;
  repr: string;
  stateKeys: string[];
  keys: string[];
  parameters: number;
}

const golden = loadGolden<Case>('containers') as GoldenFile<Case> & {
  errors: Record<string, string>;
};

class Net extends nn.Module {
  heads = new nn.ModuleDict({ x: new nn.Linear(1, 1) });
  scales = new nn.ParameterList([zeros([1]), zeros([2])]);
  extra = new nn.ParameterDict({ q: zeros([1]) });
}

const f64 = (shape: number[]): Tensor => zeros(shape, { dtype: 'float64' });

/** The container each case names, built as the script builds it, and its keys. */
const BUILD: Record<string, () => [nn.Module, string[]]> = {
  ModuleDict: () => {
    const d = new nn.ModuleDict({ b: new nn.Linear(2, 3), a: new nn.ReLU() });
    d.set('c', new nn.Linear(3, 1, { bias: false }));
    return [d, [...d.keys()]];
  },
  'ModuleDict after pop': () => {
    const d = BUILD.ModuleDict()[0] as nn.ModuleDict;
    expect(d.pop('a').toString()).toBe('ReLU()');
    return [d, [...d]];
  },
  'empty ModuleDict': () => [new nn.ModuleDict(), []],
  ParameterList: () => {
    const p = new nn.ParameterList([zeros([2, 3]), f64([3])]);
    p.append(tensor(1));
    return [p, Object.keys(p.stateDict())];
  },
  'ParameterList of one': () => [new nn.ParameterList([zeros([4])]), ['0']],
  'empty ParameterList': () => [new nn.ParameterList(), []],
  ParameterDict: () => {
    const p = new nn.ParameterDict({ w: zeros([2]), b: zeros([1]), a: f64([2, 2]) });
    return [p, [...p.keys()]];
  },
  'ParameterDict updated from pairs': () => {
    const p = BUILD.ParameterDict()[0] as nn.ParameterDict;
    p.update([
      ['z', zeros([3])],
      ['c', zeros([1])],
    ]);
    return [p, [...p]];
  },
  'Net with the three': () => [new Net(), []],
};

describe(`keyed and parameter containers against PyTorch ${golden.torch_version}`, () => {
  for (const c of golden.cases) {
    it(`${c.name}: repr, state-dict keys, order and parameters`, () => {
      const build = BUILD[c.name];
      expect(build, `no container for ${c.name}`).toBeDefined();
      const [m, keys] = build();
      expect(m.toString()).toBe(c.repr);
      expect(Object.keys(m.stateDict())).toEqual(c.stateKeys);
      expect(keys).toEqual(c.keys);
      expect(m.parameters().length).toBe(c.parameters);
    });
  }

  it("refuses names PyTorch refuses, in PyTorch's words", () => {
    const e = golden.errors;
    expect(() => new nn.ModuleDict({ 'a.b': new nn.ReLU() })).toThrow(`ModuleDict: ${e.dot}`);
    expect(() => new nn.ModuleDict({ '': new nn.ReLU() })).toThrow(`ModuleDict: ${e.empty}`);
    expect(() => new nn.ParameterDict({ 'a.b': zeros([1]) })).toThrow(
      `ParameterDict: ${e['parameter dot']}`,
    );
    expect(() => new nn.ModuleDict({ a: zeros([1]) as unknown as nn.Module })).toThrow(
      /^ModuleDict: the value for 'a' must be a Module$/,
    );
    expect(() => new nn.ParameterList([new nn.ReLU() as unknown as Tensor])).toThrow(
      /^ParameterList\.append: the value must be a Tensor$/,
    );
    expect(() => new nn.ModuleDict().pop('x')).toThrow(/^ModuleDict\.pop: no module named 'x'$/);
    expect(() => new nn.ParameterList([zeros([1])])[1]).toThrow(/out of range for 1 parameters/);
  });

  it('parameters require grad and train through an optimizer, by index and by name', () => {
    const list = new nn.ParameterList([ones([2]), ones([3])]);
    const dict = new nn.ParameterDict({ w: ones([2]) });
    expect(list[-1].requiresGrad && dict.get('w')!.requiresGrad).toBe(true);
    const opt = new optim.SGD([...list.parameters(), ...dict.parameters()], { lr: 0.5 });
    list[0].sum().add(list.at(1).sum()).add(dict.get('w')!.mul(2).sum()).backward();
    opt.step();
    expect(list[0].toArray()).toEqual([0.5, 0.5]);
    expect(list[1].toArray()).toEqual([0.5, 0.5, 0.5]);
    expect(dict.get('w')!.toArray()).toEqual([0, 0]);
    expect([...list].length).toBe(2);
    const heads = new nn.ModuleDict([
      ['b', new nn.Linear(2, 1)],
      ['a', new nn.Linear(2, 1)],
    ]);
    expect([...heads.keys()]).toEqual(['b', 'a']);
    heads.clear();
    expect(heads.length).toBe(0);
  });
});
