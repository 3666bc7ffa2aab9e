/**
 * Forward hooks and pre-hooks (PyTorch 1.13's register_forward_hook and
 * register_forward_pre_hook): call order, replaced arguments and results,
 * removal, clear errors, and the two places where nnkit writes over a
 * module's output (Sequential's Linear + ReLU, the adaptive softmax's
 * scores), which must not touch an output a hook may have kept.
 */
import { describe, expect, it } from 'vitest';
import { F, manualSeed, nn, randint, randn, tensor, type Tensor } from '../src/index.js';

const values = (t: Tensor): number[] => Array.from(t.data);

describe('forward hooks', () => {
  it('run pre-hooks, forward, then hooks, in registration order, each on what the last left', () => {
    const lin = new nn.Linear(2, 2);
    const log: string[] = [];
    lin.registerForwardPreHook((m, input) => {
      expect(m).toBe(lin);
      log.push(`pre1 ${values(input[0] as Tensor)}`);
      return (input[0] as Tensor).mul(2); // a single value: the one argument
    });
    lin.registerForwardPreHook((_m, input) => {
      log.push(`pre2 ${values(input[0] as Tensor)}`);
      return undefined;
    });
    lin.registerForwardHook((_m, input, output) => {
      log.push(`post1 ${values(input[0] as Tensor)}`);
      return (output as Tensor).add(100);
    });
    let last: Tensor | null = null;
    lin.registerForwardHook((_m, _input, output) => {
      last = output as Tensor;
      log.push('post2');
      return null; // like PyTorch's None: the output stays
    });
    const x = tensor([[1, 2]]);
    const y = lin.forward(x);
    expect(log).toEqual(['pre1 1,2', 'pre2 2,4', 'post1 2,4', 'post2']);
    expect(last).toBe(y);
    const plain = new nn.Linear(2, 2);
    plain.loadStateDict(lin.stateDict());
    expect(values(y)).toEqual(values(plain.forward(x.mul(2)).add(100)));
  });

  it('take an array from a pre-hook as the new argument list (a loss: input and target)', () => {
    const mse = new nn.MSELoss();
    const seen: number[] = [];
    mse.registerForwardPreHook((_m, input) => {
      seen.push(input.length);
      return [input[1], input[0]];
    });
    const a = tensor([1, 2]);
    const b = tensor([1, 5]);
    expect(mse.forward(a, b).item()).toBe(4.5);
    expect(seen).toEqual([2]);
  });

  it('pass gradients through what a hook returns', () => {
    const relu = new nn.ReLU();
    relu.registerForwardHook((_m, _input, output) => (output as Tensor).mul(3));
    const x = tensor([-1, 2]).requiresGrad_();
    relu.forward(x).sum().backward();
    expect(values(x.grad!)).toEqual([0, 3]);
  });

  it('stop after remove(); a second remove() does nothing; removal inside a call waits for the next', () => {
    const relu = new nn.ReLU();
    let a = 0;
    let b = 0;
    const handleB = { remove: (): void => undefined };
    const ha = relu.registerForwardHook(() => {
      a++;
      handleB.remove();
    });
    const hb = relu.registerForwardHook(() => void b++);
    handleB.remove = () => hb.remove();
    relu.forward(tensor([1]));
    expect([a, b]).toEqual([1, 1]); // b removed during the call still ran in it
    relu.forward(tensor([1]));
    expect([a, b]).toEqual([2, 1]);
    ha.remove();
    ha.remove();
    relu.forward(tensor([1]));
    expect([a, b]).toEqual([2, 1]);
    expect(ha.id).not.toBe(hb.id);
    expect(relu._hasHooks()).toBe(false);
  });

  it('fire on children run by nn.Sequential', () => {
    const net = new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 1));
    const names: string[] = [];
    for (const m of net.children()) m.registerForwardHook((mod) => void names.push(mod.name));
    net.forward(randn([2, 3]));
    expect(names).toEqual(['Linear', 'Tanh', 'Linear']);
  });

  it('reject a hook that is not a function, and a module without forward', () => {
    const relu = new nn.ReLU();
    expect(() => relu.registerForwardHook(42 as never)).toThrow(
      'ReLU.registerForwardHook: hook must be a function, got 42',
    );
    class Bag extends nn.Module {}
    expect(() => new Bag().registerForwardPreHook(() => undefined)).toThrow(
      'Bag.registerForwardPreHook: the module has no forward() method to hook',
    );
  });

  it("keep Sequential's fused ReLU off a linear output a hook kept, with unchanged results", () => {
    manualSeed(3);
    const net = new nn.Sequential(new nn.Linear(3, 8), new nn.ReLU(), new nn.Linear(8, 2));
    const x = randn([16, 3]);
    const plain = net.forward(x);
    const kept: Tensor[] = [];
    const pre: Tensor[] = [];
    net.at(0).registerForwardHook((_m, _input, output) => void kept.push(output as Tensor));
    net.at(1).registerForwardPreHook((_m, input) => void pre.push(input[0] as Tensor));
    const hooked = net.forward(x);
    expect(values(hooked)).toEqual(values(plain));
    expect(pre[0]).toBe(kept[0]);
    // The pre-activation still has its negative values (in place, ReLU would have zeroed them).
    expect(values(kept[0]).some((v) => v < 0)).toBe(true);
    expect(kept[0]._version).toBe(0);
  });

  it("leave the adaptive softmax's head scores to a hook that kept them", () => {
    manualSeed(5);
    const asm = new nn.AdaptiveLogSoftmaxWithLoss(8, 20, [4, 10]);
    const input = randn([6, 8]).requiresGrad_();
    const target = randint(0, 20, [6]);
    const kept: Tensor[] = [];
    asm.head.registerForwardHook((_m, _input, output) => {
      kept.push(output as Tensor);
      return undefined;
    });
    const copy: number[][] = [];
    asm.head.registerForwardHook((_m, _input, output) => void copy.push(values(output as Tensor)));
    asm.forward(input, target).loss.backward();
    expect(values(kept[0])).toEqual(copy[0]);
    expect(input.grad).not.toBeNull();
  });

  it('work on a function module and under F', () => {
    const sm = new nn.Softmax({ dim: 1 });
    let t = 0;
    sm.registerForwardPreHook((_m, input) => [(input[0] as Tensor).div(2)]);
    sm.registerForwardHook(() => void t++);
    const x = tensor([[1, 3]]);
    expect(values(sm.forward(x))).toEqual(values(F.softmax(x.div(2), 1)));
    expect(t).toBe(1);
  });
});
