/**
 * Storage recycling (src/tensor/recycle.ts): the backward pass returns the
 * buffers of the gradients it consumed, later allocations reuse them, and
 * nothing that outlives the pass — a leaf's `.grad`, a retained gradient,
 * the caller's gradient, a forward output — ever loses its buffer.
 */
import { describe, expect, it, vi } from 'vitest';
import { F, manualSeed, nn, optim, randint, randn, type Tensor } from '../src/index.js';
import { takeRecycled } from '../src/tensor/recycle.js';

const N = 4096; // 16 KB of float32: above the shared small-buffer pool

/** The values, copied. */
const snap = (t: Tensor): number[] => Array.from(t.data);

describe('recycling consumed gradients', () => {
  it('reuses the buffer of a consumed intermediate gradient', () => {
    const x = randn([N], { requiresGrad: true });
    // The second mul's input gradient (N floats) reaches the first mul's node
    // and is consumed there (mul is not a unary op that writes over it).
    x.mul(2).mul(3).sum().backward();
    const buf = takeRecycled(4 * N);
    expect(buf).toBeInstanceOf(ArrayBuffer);
    expect(buf).not.toBe(x.grad?.data.buffer);
  });

  it('never hands out storage that outlives the pass', () => {
    manualSeed(5);
    const w = randn([N], { requiresGrad: true });
    const b = randn([N], { requiresGrad: true });
    const gOut = randn([N]);
    const gOutBefore = snap(gOut);
    const h = F.relu(w.mul(2).add(b));
    h.retainGrad();
    const y = h.mul(h).tanh();
    const yBefore = snap(y);
    y.backward(gOut);
    const kept = [w.grad, b.grad, h.grad].map((t) => {
      if (!t) throw new Error('missing gradient');
      return t;
    });
    const before = kept.map(snap);
    // Allocate (and overwrite) many buffers of that size: a wrongly recycled
    // one would change a kept tensor.
    for (let i = 0; i < 16; i++)
      randn([N])
        .mul(0)
        .add(i + 1);
    kept.forEach((t, i) => expect(snap(t)).toEqual(before[i]));
    expect(snap(gOut)).toEqual(gOutBefore);
    expect(snap(y)).toEqual(yBefore);
    // Three leaves/retained gradients, three distinct buffers.
    expect(new Set(kept.map((t) => t.data.buffer)).size).toBe(3);
  });

  it('keeps a gradient that feeds two inputs until both are served', () => {
    manualSeed(6);
    const a = randn([N], { requiresGrad: true });
    const ref = a.detach().mul(2).exp().mul(2);
    // add's rule returns the same gradient for both inputs (one node each).
    const u = a.mul(1);
    const v = a.mul(1);
    u.add(v).exp().sum().backward();
    // d/da exp(2a) = 2·exp(2a)
    const got = a.grad?.data;
    expect(got).toBeDefined();
    for (let i = 0; i < N; i += 97) expect(got?.[i]).toBeCloseTo(ref.data[i], 3);
  });

  // 1 MB: a C heap block (memory out of the cache when new); just over
  // 32 MB: freshly mapped memory when new.
  it.each([
    ['1 MB', 1 << 20],
    ['just over 32 MB', (32 << 20) + 4096],
  ])('keeps a consumed gradient of %s for the next pass only', (_, bytes) => {
    manualSeed(7);
    const M = bytes / 4;
    const x = randn([M], { requiresGrad: true });
    const ref = x.detach().mul(0).add(6);
    const big: number[] = [];
    const spy = vi.spyOn(Buffer, 'allocUnsafeSlow');
    const countBig = (): number => spy.mock.calls.filter(([n]) => n === bytes).length;
    try {
      const pass = (): number => {
        // The second mul's input gradient (M floats) is consumed by the first mul's node.
        const loss = x.mul(2).mul(3).sum();
        x.grad = null;
        const before = countBig();
        loss.backward();
        return countBig() - before;
      };
      big.push(pass(), pass(), pass());
      // Each pass makes the gradients of sum and of both muls; from the
      // second on, one of them reuses what the pass before consumed.
      expect(big).toEqual([big[0], big[0] - 1, big[0] - 1]);
      // A forward output never gets a kept large buffer.
      const before = countBig();
      const y = x.detach().mul(2);
      expect(countBig() - before).toBe(1);
      expect(y.data[M - 1]).toBe(2 * x.data[M - 1]);
    } finally {
      spy.mockRestore();
    }
    // The last pass alone: x.grad = 2·3.
    const got = x.grad?.data;
    expect(got).toBeDefined();
    for (let i = 0; i < M; i += 100_003) expect(got?.[i]).toBeCloseTo(ref.data[i], 4);
  });

  describe("AdaptiveLogSoftmaxWithLoss's scores, handed over to the loss", () => {
    // Head: 300 shortlist classes + 2 cluster logits over 256 rows: 309 KB, a buffer of its own.
    const HEAD_BYTES = 256 * 302 * 4;
    const build = (): { asm: nn.AdaptiveLogSoftmaxWithLoss; x: Tensor; y: Tensor } => {
      manualSeed(11);
      const asm = new nn.AdaptiveLogSoftmaxWithLoss(32, 4000, [300, 1000]);
      return { asm, x: randn([256, 32]), y: randint(0, 4000, [256]) };
    };

    it('come back to the pool for the next forward, and only then', () => {
      const { asm, x, y } = build();
      // Empty the pool of earlier tests' buffers of that size.
      while (takeRecycled(HEAD_BYTES) !== undefined);
      asm.forward(x, y).loss.backward(undefined, { retainGraph: true });
      // A graph kept for another pass keeps its scores.
      expect(takeRecycled(HEAD_BYTES)).toBeUndefined();
      asm.forward(x, y).loss.backward();
      // The next forward output of that size takes the one buffer, once.
      const a = randn([HEAD_BYTES / 4]);
      expect(takeRecycled(HEAD_BYTES)).toBeUndefined();
      const b = randn([HEAD_BYTES / 4]);
      expect(b.data.buffer).not.toBe(a.data.buffer);
      asm.forward(x, y).loss.backward();
      expect(takeRecycled(HEAD_BYTES)).toBeInstanceOf(ArrayBuffer);
    });

    it('give the losses and gradients of a run that keeps every buffer, bit for bit', () => {
      const run = (handOver: boolean): number[][] => {
        const { asm, x, y } = build();
        // A forward hook on each scoring layer turns the hand-over off.
        if (!handOver)
          for (const m of [asm.head, ...asm.tail]) m.registerForwardHook(() => undefined);
        const opt = new optim.Adam(asm.parameters(), { lr: 0.01 });
        const out: number[][] = [];
        for (let k = 0; k < 6; k++) {
          opt.zeroGrad();
          const { output, loss } = asm.forward(k % 2 ? x.mul(-1) : x, y);
          loss.backward();
          opt.step();
          out.push([loss.item(), ...snap(output), ...snap(asm.head.weight.grad!)]);
          // Allocations between steps that could take a wrongly kept buffer.
          for (let i = 0; i < 4; i++) randn([HEAD_BYTES / 4]).add(i);
        }
        return out;
      };
      expect(run(true)).toEqual(run(false));
    });
  });
});
