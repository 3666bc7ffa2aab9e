/**
 * The upsampling modules against PyTorch 1.13 (scripts/golden/upsample.py)
 * on every backend: reprs, outputs and input gradients, for every mode of
 * nn.Upsample and the two fixed-mode modules. F.interpolate's own samples
 * are the registry's. Then F.interpolate's refusals.
 */
import { describe, expect, it } from 'vitest';
import { F, nn, tensor, zeros, type Tensor } from '../src/index.js';
import { decodeTensor, expectClose, loadGolden, type EncodedTensor } from './helpers/golden.js';
import { forEachBackend } from './helpers/backends.js';

interface Case {
  ctor: string;
  args: unknown[];
  repr: string;
  input: EncodedTensor;
  output: EncodedTensor;
  upstream: EncodedTensor;
  grad: EncodedTensor;
}

const golden = loadGolden<Case>('upsample');

type UpsampleModule = nn.Module & { forward(x: Tensor): Tensor };

forEachBackend(() => {
  describe(`upsampling modules against PyTorch ${golden.torch_version}`, () => {
    for (const c of golden.cases) {
      it(`${c.repr} on ${JSON.stringify(c.input.shape)}: output and gradient`, () => {
        const Ctor = (nn as unknown as Record<string, new (...a: unknown[]) => UpsampleModule>)[
          c.ctor
        ];
        const m = new Ctor(...c.args);
        expect(m.toString()).toBe(c.repr);
        const x = decodeTensor(c.input, true);
        const y = m.forward(x);
        expectClose(y, c.output, `${c.repr} output`);
        y.backward(decodeTensor(c.upstream));
        expectClose(x.grad!, c.grad, `${c.repr} gradient`);
      });
    }
  });
});

describe('F.interpolate: refusals', () => {
  const x = tensor([[[1, 2, 3]]]);
  it('refuses what PyTorch refuses, and what nnkit does not compute, by name', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => F.interpolate(x), /^interpolate: either size or scaleFactor should be defined$/],
      [() => F.interpolate(x, 2, 2), /^interpolate: only one of size or scaleFactor/],
      [() => F.interpolate(x, { size: 4, alignCorners: true }), /alignCorners can only be set/],
      [() => F.interpolate(x, { size: 4, recomputeScaleFactor: true }), /not meaningful/],
      [
        () => F.interpolate(x, { size: 4, mode: 'bilinear' }),
        /3-D input, but bilinear mode needs a 4-D/,
      ],
      [() => F.interpolate(tensor([1, 2]), 4), /only 3-D, 4-D and 5-D inputs/],
      [() => F.interpolate(x, [2, 2]), /same number of spatial dimensions/],
      [() => F.interpolate(x, { scaleFactor: 0.2 }), /sizes should be greater than 0/],
      [() => F.interpolate(zeros([1, 1, 2, 2]), 4, null, 'bicubic'), /'bicubic' is not supported/],
      [
        () => F.interpolate(zeros([1, 1, 2, 2]), { size: 4, mode: 'bilinear', antialias: true }),
        /antialias/,
      ],
      [() => F.pixelShuffle(zeros([1, 3, 2, 2]), 2), /divisible by the square of upscaleFactor/],
      [() => F.pixelUnshuffle(zeros([1, 1, 3, 4]), 2), /divisible by downscaleFactor/],
      [() => F.pixelShuffle(zeros([4, 2]), 2), /at least 3 dimensions/],
    ];
    for (const [call, message] of cases) expect(call).toThrow(message);
  });

  it('keeps an empty batch empty, with a gradient path', () => {
    const e = zeros([0, 2, 3], { requiresGrad: true });
    const y = F.interpolate(e, { scaleFactor: 2, mode: 'linear' });
    expect(y.shape).toEqual([0, 2, 6]);
    y.sum().backward();
    expect(e.grad!.shape).toEqual([0, 2, 3]);
  });
});
