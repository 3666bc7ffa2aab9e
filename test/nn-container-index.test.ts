/**
 * `net[0]` on `nn.Sequential` and `nn.ModuleList`, as PyTorch's integer
 * `__getitem__` and `__setitem__`: reading gives the registered module,
 * assigning replaces it under the same name, and the accessors stay out of
 * the module's own bookkeeping (state-dict keys, children, `Object.keys`).
 */
import { describe, expect, it } from 'vitest';
import { nn } from '../src/index.js';

describe('integer indexing of containers', () => {
  it('Sequential: net[i] is the i-th module, and assigning replaces it in place', () => {
    const net = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
    expect(net[0]).toBe(net.at(0));
    expect(net[2]).toBe(net.at(-1));
    expect(net[3]).toBeUndefined();
    expect((net[0] as nn.Linear).weight.shape).toEqual([8, 4]);
    const gelu = new nn.GELU();
    net[1] = gelu;
    expect(net.at(1)).toBe(gelu);
    expect(net.toString()).toContain('(1): GELU(');
    expect(Object.keys(net.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(net.children()).toHaveLength(3);
    expect(Object.keys(net).filter((k) => /^\d+$/.test(k))).toEqual([]);
  });
  it('Sequential.append makes the new index readable', () => {
    const net = new nn.Sequential(new nn.ReLU());
    const lin = new nn.Linear(2, 2);
    net.append(lin);
    expect(net[1]).toBe(lin);
  });
  it('ModuleList: heads[i], append and replacement', () => {
    const heads = new nn.ModuleList([new nn.Linear(4, 2)]);
    const second = new nn.Linear(4, 3);
    heads.append(second);
    expect(heads[1]).toBe(second);
    const third = new nn.Linear(4, 5);
    heads[0] = third;
    expect([...heads]).toEqual([third, second]);
    expect(Object.keys(heads.stateDict())).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
  });
  it('assigning something that is not a module throws', () => {
    const net = new nn.Sequential(new nn.ReLU());
    expect(() => {
      (net as unknown as Record<number, unknown>)[0] = 3;
    }).toThrow('Sequential[0]: argument 0 must be a Module, got number');
  });
});
