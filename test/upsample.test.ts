/**
 * The upsampling modules against PyTorch 1.13 (scripts/golden/upsample.py)
 * on every backend: reprs, outputs and input gradients, for every mode of
 * nn.Upsample and the two fixed-mode modules. F.interpolate's own samples
 * are the registry's. Then F.interpolate's refusals.
 */
import { describe, expect, it } from 'vitest';
import { F, tensor, zeros } from '../src/index.js';
import { checkModuleCases } from './helpers/module-cases.js';

checkModuleCases('upsampling modules', 'upsample');

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
