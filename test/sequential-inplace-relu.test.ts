/**
 * nn.Sequential writes a ReLU that directly follows a Linear into the
 * linear output. That must change nothing a user can see: outputs and every
 * gradient bit for bit those of the modules applied one by one, the ReLU
 * module and the linear layer untouched, and no fusion where a subclass
 * could keep the linear output.
 */
import { describe, expect, it } from 'vitest';
import { F, nn, manualSeed, randn, type Tensor } from '../src/index.js';
import { forEachBackend } from './helpers/backends.js';

function bits(t: Tensor): number[] {
  return Array.from(t.data as Float32Array);
}

/** A net, its input (with a few exact zeros, where ReLU's kink is), loss and gradients. */
function run(fused: boolean): { out: number[]; grads: number[][]; xGrad: number[] } {
  manualSeed(7);
  const layers = [
    new nn.Linear(5, 6),
    new nn.ReLU(),
    new nn.Linear(6, 6),
    new nn.ReLU(),
    new nn.Linear(6, 2),
  ];
  const x = randn([9, 5]);
  x.data[3] = 0;
  // A bias column that puts some pre-activations at exactly 0.
  (layers[0] as nn.Linear).weight.data.fill(0, 0, 5);
  (layers[0] as nn.Linear).bias!.data[0] = 0;
  x.requiresGrad_();
  let y: Tensor;
  if (fused) y = new nn.Sequential(...layers).forward(x);
  else {
    y = x;
    for (const m of layers) y = (m as nn.Linear).forward(y);
  }
  const loss = F.mseLoss(y, randn([9, 2]));
  loss.backward();
  const params = layers.flatMap((m) => m.parameters());
  return { out: bits(y), grads: params.map((p) => bits(p.grad!)), xGrad: bits(x.grad!) };
}

describe('nn.Sequential: ReLU in place after Linear', () => {
  forEachBackend(() => {
    it('gives the unfused outputs and gradients bit for bit', () => {
      const plain = run(false);
      const fused = run(true);
      expect(fused.out).toEqual(plain.out);
      expect(fused.grads).toEqual(plain.grads);
      expect(fused.xGrad).toEqual(plain.xGrad);
      // The kink is exercised: some hidden units are exactly 0 before the ReLU.
      expect(plain.grads[1].some((g) => g === 0)).toBe(true);
    });
  });

  it('rectifies the linear output in place, and only for exactly Linear then ReLU', () => {
    const lin = new nn.Linear(3, 4);
    const relu = new nn.ReLU();
    const x = randn([2, 3]);
    const y = new nn.Sequential(lin, relu).forward(x);
    // The ReLU wrote over the linear output (one in-place write), and is its grad_fn.
    expect(y._version).toBe(1);
    expect(relu.forward(lin.forward(x))._version).toBe(0);
    expect(y.gradFn?.name).toBe('relu');
    expect(Math.min(...bits(y))).toBeGreaterThanOrEqual(0);
    expect(relu.inplace).toBe(false);

    const seen: Tensor[] = [];
    class Recording extends nn.Linear {
      override forward(input: Tensor): Tensor {
        const out = super.forward(input);
        seen.push(out);
        return out;
      }
    }
    manualSeed(1);
    const rec = new Recording(3, 4);
    const kept = new nn.Sequential(rec, new nn.ReLU()).forward(randn([5, 3]));
    // The subclass kept the linear output, which must still hold negative values.
    expect(seen[0]).not.toBe(kept);
    expect(bits(seen[0]).some((v) => v < 0)).toBe(true);
  });
});
