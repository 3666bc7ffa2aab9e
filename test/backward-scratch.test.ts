/**
 * Unary ops' backward writing over a scratch gradient (src/autograd/engine.ts
 * marks a gradient as scratch when this backward pass allocated it and
 * nothing else holds it; src/ops/elementwise/apply.ts then writes dx over
 * dy): one array fewer per activation, and nothing visible changes.
 */
import { describe, expect, it } from 'vitest';
import { F, manualSeed, randn, Tensor } from '../src/index.js';
import { record } from '../src/autograd/node.js';

// 512 KB of float32: whole buffers of their own (recycled by backward(), see
// tensor/recycle.ts, which is why the tests below follow buffers, not count them).
const N = 1 << 17;

/**
 * `x` through an identity node that notes the storage of the gradient its
 * backward receives and passes that very tensor on.
 */
function tap(x: Tensor, seen: ArrayBufferLike[]): Tensor {
  const out = new Tensor(x.data.slice(), x.shape);
  record(out, 'tap', [x], [], (g) => {
    seen.push(g.data.buffer);
    return [g];
  });
  return out;
}

describe('backward of unary ops over scratch gradients', () => {
  it('writes the input gradient over the output gradient, where a binary op makes a new one', () => {
    manualSeed(1);
    const x = randn([N], { requiresGrad: true });
    const seen = (op: (t: Tensor) => Tensor): ArrayBufferLike[] => {
      const buffers: ArrayBufferLike[] = [];
      // Backward: mul(3) makes the gradient, the outer tap sees it, `op`'s
      // rule runs, the inner tap sees its result.
      tap(op(tap(x.mul(2), buffers)), buffers)
        .mul(3)
        .sum()
        .backward();
      return buffers;
    };
    const [dyUnary, dxUnary] = seen((t) => t.tanh());
    const gUnary = (x.grad as Tensor).data.slice();
    x.grad = null;
    const [dyBinary, dxBinary] = seen((t) => t.mul(0.5));
    // (Booleans: a failing toBe would print two 512 KB buffers.)
    expect(dxUnary === dyUnary, 'tanh wrote dx over dy').toBe(true);
    expect(dxBinary === dyBinary, 'mul made a new dx').toBe(false);
    // And the gradient is right: d/dx 3·tanh(2x) = 6·(1 − tanh²(2x)).
    const t = x.detach().mul(2).tanh();
    for (let i = 0; i < N; i += 101) {
      expect(gUnary[i]).toBeCloseTo(6 * (1 - t.data[i] ** 2), 5);
    }
  });

  it("leaves a retained gradient, the caller's gradient and saved values intact", () => {
    manualSeed(2);
    const x = randn([N], { requiresGrad: true });
    const h = x.mul(2);
    const y = F.gelu(h);
    y.retainGrad();
    const z = F.sigmoid(y); // saves its output
    const gOut = randn([N]);
    const gBefore = Array.from(gOut.data);
    const zBefore = Array.from(z.data);
    z.backward(gOut);
    // sigmoid received the caller's gradient: not scratch.
    expect(Array.from(gOut.data)).toEqual(gBefore);
    expect(Array.from(z.data)).toEqual(zBefore);
    // y.grad = gOut·σ'(y) is retained, so gelu may not write over it.
    const s = z.data;
    for (let i = 0; i < N; i += 97) {
      expect((y.grad as Tensor).data[i]).toBeCloseTo(gOut.data[i] * s[i] * (1 - s[i]), 6);
    }
  });

  it('gives the same gradients again after a backward with retainGraph', () => {
    manualSeed(3);
    const x = randn([N], { requiresGrad: true });
    const loss = F.softplus(F.elu(x.mul(1.5)))
      .mul(2)
      .sum();
    loss.backward(undefined, { retainGraph: true });
    const once = Array.from((x.grad as Tensor).data);
    loss.backward();
    (x.grad as Tensor).data.forEach((g, i) => expect(g).toBeCloseTo(2 * once[i], 5));
  });

  it('does not write over a gradient that another node still has to read', () => {
    manualSeed(4);
    const x = randn([N], { requiresGrad: true });
    const h = x.mul(2);
    const u = F.gelu(h);
    const v = F.tanh(h);
    // An op whose rule hands the very same gradient tensor to both inputs:
    // the first unary node to run must leave it for the second.
    const both = new Tensor(
      u.data.map((e, i) => e + v.data[i]),
      u.shape,
    );
    record(both, 'twin', [u, v], [], (g) => [g, g]);
    both.mul(3).sum().backward();
    const hd = h.detach();
    const t = hd.tanh().data;
    const cdf = (z: number): number => 0.5 * (1 + erf(z / Math.SQRT2));
    const pdf = (z: number): number => Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
    for (let i = 0; i < N; i += 113) {
      const z = hd.data[i];
      // d/dx 3·(gelu(2x) + tanh(2x)) = 6·(Φ(2x) + 2x·φ(2x) + 1 − tanh²(2x))
      const want = 6 * (cdf(z) + z * pdf(z) + 1 - t[i] ** 2);
      expect((x.grad as Tensor).data[i]).toBeCloseTo(want, 4);
    }
  });
});

/** erf to 1e-7 (Abramowitz–Stegun 7.1.26 is too coarse; this is a series/continued split). */
function erf(v: number): number {
  const s = Math.sign(v);
  const a = Math.abs(v);
  if (a < 2.5) {
    // Maclaurin series.
    let term = a;
    let sum = a;
    for (let n = 1; n < 60; n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
    }
    return (s * 2 * sum) / Math.sqrt(Math.PI);
  }
  // Asymptotic tail: 1 − erfc, erfc(a) ≈ e^{−a²}/(a√π) · (1 − 1/(2a²) + 3/(4a⁴) − 15/(8a⁶)).
  const a2 = a * a;
  const tail =
    (Math.exp(-a2) / (a * Math.sqrt(Math.PI))) *
    (1 - 1 / (2 * a2) + 3 / (4 * a2 * a2) - 15 / (8 * a2 ** 3));
  return s * (1 - tail);
}
