/**
 * Version counters against PyTorch: in-place activations on tensors that
 * autograd saved (test/golden/inplace.json, from scripts/golden/inplace.py).
 * For every scenario nnkit either raises PyTorch's "modified by an inplace
 * operation" error or computes PyTorch's gradients — never a wrong gradient
 * — and it raises exactly where PyTorch raises.
 */
import { describe, expect, it } from 'vitest';
import { F, Tensor } from '../../src/index.js';
import { decodeTensor, expectClose, loadGolden, type EncodedTensor } from '../helpers/golden.js';

interface Scenario {
  act1: string;
  act2: string;
  op: string;
  useH: boolean;
  torchError: boolean;
  xGrad: EncodedTensor;
  wGrad: EncodedTensor | null;
}

const golden = loadGolden<Scenario>('inplace') as ReturnType<typeof loadGolden<Scenario>> & {
  x: EncodedTensor;
  w: EncodedTensor;
};

type Act = (t: Tensor, inplace: boolean) => Tensor;
const fns = F as unknown as Record<string, (...a: unknown[]) => Tensor>;
const act = (name: string): Act => {
  if (name === 'threshold') return (t, inplace) => F.threshold(t, 0.1, 20, { inplace });
  if (name === 'rrelu') return (t, inplace) => F.rrelu(t, { training: false, inplace });
  return (t, inplace) => fns[name](t, { inplace });
};

function run(s: Scenario): { x: Tensor; w: Tensor } {
  const x = decodeTensor(golden.x, true);
  const w = decodeTensor(golden.w, true);
  const on = (t: Tensor): Tensor => {
    switch (s.op) {
      case 'add':
        return t.add(w);
      case 'sigmoid':
        return t.sigmoid();
      case 'sum':
        return t.sum();
      case 'reshape':
        return t.reshape(-1).mul(w.reshape(-1));
      case 'matmul':
        return t.matmul(w.t());
      default:
        return t.mul(w);
    }
  };
  const h = act(s.act1)(x.mul(1), false);
  let y: Tensor;
  if (s.op === 'viewInplace') {
    act(s.act2)(h.view(-1), true);
    y = on(h);
  } else {
    y = on(h);
    act(s.act2)(h, true);
  }
  (s.useH ? y.sum().add(h.sum()) : y.sum()).backward();
  return { x, w };
}

describe('in-place activations on saved tensors, against PyTorch', () => {
  const byAct = new Map<string, Scenario[]>();
  for (const s of golden.cases) byAct.set(s.act1, [...(byAct.get(s.act1) ?? []), s]);
  for (const [a1, scenarios] of byAct) {
    it(`${a1} then each in-place activation (${scenarios.length} scenarios)`, () => {
      const mismatched: string[] = [];
      for (const s of scenarios) {
        const label = `${s.act1} → ${s.op} → ${s.act2}_${s.useH ? ' (+ h.sum())' : ''}`;
        let got: { x: Tensor; w: Tensor } | null = null;
        try {
          got = run(s);
        } catch (e) {
          expect((e as Error).message, label).toMatch(
            /^backward: one of the variables needed for gradient computation has been modified by an inplace operation: \[float64 \[\d+(, \d+)*\]\], saved by \w+, is at version \d+; expected version \d+ instead\./,
          );
        }
        if ((got === null) !== s.torchError)
          mismatched.push(
            `${label}: PyTorch ${s.torchError ? 'raises' : 'computes'}, nnkit ${got ? 'computes' : 'raises'}`,
          );
        if (got) {
          // Whenever nnkit computes, it computes the gradients of the computation as written.
          expectClose(got.x.grad as Tensor, s.xGrad, `${label}: x.grad`);
          if (s.wGrad) expectClose(got.w.grad as Tensor, s.wGrad, `${label}: w.grad`);
          else expect(got.w.grad, label).toBeNull();
        }
      }
      expect(mismatched).toEqual([]);
    });
  }
});
