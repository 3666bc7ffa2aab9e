/**
 * A module written the PyTorch way — children and `nn.Parameter`s assigned
 * to properties — is registered as PyTorch's `__setattr__` registers it.
 * The expected names and reprs are PyTorch 1.13's for the same class in
 * Python (printed by /usr/bin/python3 with torch 1.13.0).
 */
import { describe, expect, it } from 'vitest';
import { nn, ones, optim, tensor, zeros, type Tensor } from '../src/index.js';

class Net extends nn.Module {
  fc1: nn.Linear;
  mid: nn.Linear;
  act: nn.RReLU;
  scale: Tensor;
  plain: Tensor;
  fc2: nn.Linear;
  tied: nn.Linear;
  constructor() {
    super();
    this.fc1 = new nn.Linear(3, 4);
    this.mid = this.registerModule('mid', new nn.Linear(4, 4));
    this.act = new nn.RReLU();
    this.scale = nn.Parameter(ones([2]));
    this.plain = ones([2]); // a plain tensor is not registered
    this.fc2 = new nn.Linear(4, 2);
    this.tied = this.fc1; // the same module under a second name
  }
  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.act.forward(this.mid.forward(this.fc1.forward(x))));
  }
}

describe('a module assigned to a property is registered under its name', () => {
  it("has PyTorch's state-dict keys, parameters and repr", () => {
    const net = new Net();
    // torch: [n for n, _ in Net().named_parameters()] lists a tied parameter once,
    // list(Net().state_dict().keys()) under both names.
    const named = [
      'scale',
      'fc1.weight',
      'fc1.bias',
      'mid.weight',
      'mid.bias',
      'fc2.weight',
      'fc2.bias',
    ];
    expect([...net.namedParameters()].map(([n]) => n)).toEqual(named);
    expect(Object.keys(net.stateDict())).toEqual([...named, 'tied.weight', 'tied.bias']);
    expect(net.parameters()).toHaveLength(7);
    expect(net.toString()).toBe(
      [
        'Net(',
        '  (fc1): Linear(in_features=3, out_features=4, bias=True)',
        '  (mid): Linear(in_features=4, out_features=4, bias=True)',
        '  (act): RReLU(lower=0.125, upper=0.3333333333333333)',
        '  (fc2): Linear(in_features=4, out_features=2, bias=True)',
        '  (tied): Linear(in_features=3, out_features=4, bias=True)',
        ')',
      ].join('\n'),
    );
  });
  it('eval(), to() and zeroGrad() reach the assigned children', () => {
    const net = new Net();
    net.eval();
    expect(net.act.training).toBe(false);
    net.to('float64');
    expect([net.scale.dtype, net.fc2.weight.dtype]).toEqual(['float64', 'float64']);
    net
      .forward(zeros([1, 3], { dtype: 'float64' }))
      .sum()
      .backward();
    expect(net.fc1.weight.grad).not.toBeNull();
    net.zeroGrad();
    expect(net.fc1.weight.grad).toBeNull();
  });
  it('trains: the optimizer sees every parameter once, and a state dict round-trips', () => {
    const net = new Net();
    const opt = new optim.SGD(net.parameters(), 0.1);
    const before = net.fc2.bias?.toArray();
    net
      .forward(tensor([[1, 2, 3]]))
      .sum()
      .backward();
    opt.step();
    expect(net.fc2.bias?.toArray()).not.toEqual(before);
    const copy = new Net();
    copy.loadStateDict(net.stateDict());
    expect(copy.fc1.weight.toArray()).toEqual(net.fc1.weight.toArray());
  });
  it('a property assigned again replaces the child under the same name', () => {
    const net = new Net();
    const fresh = new nn.Linear(4, 2, { bias: false });
    net.fc2 = fresh;
    expect(net.children()[3]).toBe(fresh);
    expect(Object.keys(net.stateDict())).not.toContain('fc2.bias');
  });
});

describe('apply and modules', () => {
  it('apply visits children before their parent, depth first, and returns the module', () => {
    const inner = new nn.Sequential(new nn.Linear(1, 1), new nn.Tanh());
    const outer = new nn.Sequential(inner, new nn.ReLU());
    const seen: string[] = [];
    expect(outer.apply((m) => seen.push(m.name))).toBe(outer);
    // PyTorch: Linear, Tanh, Sequential, ReLU, Sequential.
    expect(seen).toEqual(['Linear', 'Tanh', 'Sequential', 'ReLU', 'Sequential']);
    expect([...outer.modules()].map((m) => m.name)).toEqual([
      'Sequential',
      'Sequential',
      'Linear',
      'Tanh',
      'ReLU',
    ]);
    expect(() => outer.apply(3 as never)).toThrow(/Sequential.apply: fn must be a function, got 3/);
  });
});
