/**
 * `net[0]` on `nn.Sequential` and `nn.ModuleList`, as PyTorch's integer
 * `__getitem__` and `__setitem__`: reading gives the registered module
 * (negative indices count from the end), assigning replaces it under the
 * same name, an index out of range or not an integer throws, and indices
 * stay out of the module's own bookkeeping (state-dict keys, children,
 * `Object.keys`).
 */
import { describe, expect, it } from 'vitest';
import { nn, zeros } from '../src/index.js';

describe('integer indexing of containers', () => {
  it('Sequential: net[i] and net[-i] read, assigning replaces in place', () => {
    const net = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
    expect(net[0]).toBe(net.at(0));
    expect(net[2]).toBe(net.at(-1));
    expect(net[-1]).toBe(net[2]);
    expect(net[-3]).toBe(net[0]);
    expect((net[0] as nn.Linear).weight.shape).toEqual([8, 4]);
    const gelu = new nn.GELU();
    net[1] = gelu;
    expect(net.at(1)).toBe(gelu);
    const last = new nn.Linear(8, 3);
    net[-1] = last;
    expect(net[2]).toBe(last);
    expect(net.length).toBe(3);
    expect(net.toString()).toContain('(1): GELU(');
    expect(net.forward(zeros([5, 4])).shape).toEqual([5, 3]);
    expect(Object.keys(net.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(Object.keys(net).filter((k) => /^-?\d+$/.test(k))).toEqual([]);
    expect(0 in net && (-3) in net && !(3 in net) && !((-4) in net)).toBe(true);
  });
  it('an index out of range or not an integer throws, reading or writing', () => {
    const net = new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU());
    expect(() => net[2]).toThrow('Sequential: index 2 is out of range for 2 modules');
    expect(() => net[-3]).toThrow('Sequential: index -3 is out of range for 2 modules');
    expect(() => {
      net[5] = new nn.ReLU();
    }).toThrow('Sequential: index 5 is out of range for 2 modules');
    expect(() => {
      net[1.5] = new nn.ReLU();
    }).toThrow('Sequential: indices must be integers, got 1.5');
    expect(() => {
      (net as unknown as Record<number, unknown>)[0] = 3;
    }).toThrow('Sequential[0]: argument 0 must be a Module, got number');
    expect(net.length).toBe(2);
    expect(Object.keys(net.stateDict())).toEqual(['0.weight', '0.bias']);
  });
  it('Sequential iterates its modules and append makes the new index readable', () => {
    const relu = new nn.ReLU();
    const net = new nn.Sequential(relu);
    const lin = new nn.Linear(2, 2);
    net.append(lin);
    expect(net[1]).toBe(lin);
    expect([...net]).toEqual([relu, lin]);
  });
  it('ModuleList: heads[i], heads[-1], append and replacement', () => {
    const heads = new nn.ModuleList([new nn.Linear(4, 2)]);
    const second = new nn.Linear(4, 3);
    heads.append(second);
    expect(heads[1]).toBe(second);
    expect(heads[-1]).toBe(second);
    const third = new nn.Linear(4, 5);
    heads[0] = third;
    expect([...heads]).toEqual([third, second]);
    expect(() => {
      heads[3] = third;
    }).toThrow('ModuleList: index 3 is out of range for 2 modules');
    expect(Object.keys(heads.stateDict())).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
  });
  it('a subclass keeps indexing and its own assigned children', () => {
    class Net extends nn.Sequential {
      head = new nn.Linear(2, 1);
      constructor() {
        super(new nn.Linear(3, 2), new nn.ReLU());
      }
    }
    const n = new Net();
    expect(n[0]).toBeInstanceOf(nn.Linear);
    expect(Object.keys(n.stateDict())).toEqual(['0.weight', '0.bias', 'head.weight', 'head.bias']);
  });
});
