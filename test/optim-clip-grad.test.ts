/** `nn.utils.clipGradNorm_` and `clipGradValue_` against PyTorch 1.13. */
import { describe, expect, it } from 'vitest';
import { nn, tensor, zeros, type DType, type Tensor } from '../src/index.js';
import {
  decodeNumber,
  decodeTensor,
  expectClose,
  loadGolden,
  type EncodedTensor,
} from './helpers/golden.js';

interface ClipCase {
  fn: 'norm' | 'value';
  dtype: DType;
  grads: (EncodedTensor | null)[];
  max_norm?: number;
  norm_type?: number | string;
  clip_value?: number;
  total_norm?: EncodedTensor;
  error_if_nonfinite_raises?: boolean;
  clipped: (EncodedTensor | null)[];
}

const golden = loadGolden<never>('optim') as unknown as { clip_grad: ClipCase[] };
const SHAPES = [[4, 3], [6], [2]];

function setup(c: ClipCase): Tensor[] {
  return c.grads.map((g, i) => {
    const p = zeros(g ? g.shape : SHAPES[i], { dtype: c.dtype, requiresGrad: true });
    p.grad = g ? decodeTensor(g) : null;
    return p;
  });
}

describe('gradient clipping against PyTorch', () => {
  golden.clip_grad.forEach((c, k) => {
    const label =
      c.fn === 'norm'
        ? `clipGradNorm_ maxNorm ${c.max_norm} normType ${c.norm_type}`
        : `clipGradValue_ ${c.clip_value}`;
    const special = c.grads.some((g) => g?.data.some((v) => typeof v === 'string'))
      ? ' (non-finite gradient)'
      : '';
    it(`#${k} ${label}${special} (${c.dtype})`, () => {
      const params = setup(c);
      if (c.fn === 'norm') {
        const normType = decodeNumber(c.norm_type as number | string);
        const total = nn.utils.clipGradNorm_(params, c.max_norm as number, normType);
        expectClose(total, c.total_norm as EncodedTensor, 'total norm');
        if (c.error_if_nonfinite_raises !== undefined) {
          const again = setup(c);
          const call = () => nn.utils.clipGradNorm_(again, c.max_norm as number, normType, true);
          if (c.error_if_nonfinite_raises) expect(call).toThrow(/non-finite/);
          else expect(call).not.toThrow();
        }
      } else {
        nn.utils.clipGradValue_(params, c.clip_value as number);
      }
      c.clipped.forEach((e, i) => {
        if (e === null) expect(params[i].grad).toBeNull();
        else expectClose(params[i].grad as Tensor, e, `grad ${i}`);
      });
    });
  });
});

describe('gradient clipping arguments', () => {
  it("takes one tensor or an iterable, and 'inf' or Infinity for the maximum norm", () => {
    const w = tensor([3, 4], { requiresGrad: true });
    w.grad = tensor([30, -40]);
    expect(nn.utils.clipGradNorm_(w, 5, 'inf').item()).toBe(40);
    expect(nn.utils.clipGradNorm_(new Set([w]), 5, { normType: Infinity }).item()).toBeCloseTo(
      5,
      5,
    );
    const v = tensor([1], { requiresGrad: true });
    v.grad = tensor([-3]);
    nn.utils.clipGradValue_(v, { clipValue: 2 });
    expect(v.grad.item()).toBe(-2);
  });

  it('rejects what would poison the gradients, naming the argument', () => {
    const w = tensor([1], { requiresGrad: true });
    w.grad = tensor([1]);
    expect(() => nn.utils.clipGradNorm_([w], -1)).toThrow(
      'clipGradNorm_: maxNorm must be a number ≥ 0, got -1',
    );
    expect(() => nn.utils.clipGradNorm_([w], NaN)).toThrow('maxNorm must be a number (not NaN)');
    expect(() => nn.utils.clipGradNorm_([w], 1, 'two' as never)).toThrow(
      "clipGradNorm_: normType must be a number or 'inf', got 'two'",
    );
    expect(() => nn.utils.clipGradValue_([w], -0.5)).toThrow(
      'clipGradValue_: clipValue must be a number ≥ 0, got -0.5',
    );
    expect(() => nn.utils.clipGradNorm_([w, 3 as never], 1)).toThrow(
      'clipGradNorm_: parameters[1] must be a Tensor, got 3',
    );
    expect(() => nn.utils.clipGradNorm_(5 as never, 1)).toThrow(
      'clipGradNorm_: parameters must be a Tensor or an iterable of Tensors, got 5',
    );
    expect(w.grad.item()).toBe(1);
  });
});
