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

describe('shuffles: a copy, never the input’s storage', () => {
  // PyTorch's results own their storage even where the permutation keeps the layout.
  const x4 = tensor([
    [
      [
        [1, 2],
        [3, 4],
      ],
    ],
  ]);
  const cases: [string, () => ReturnType<typeof F.pixelShuffle>][] = [
    ['pixelShuffle by 1', () => F.pixelShuffle(x4, 1)],
    ['pixelUnshuffle by 1', () => F.pixelUnshuffle(x4, 1)],
    ['channelShuffle of 1 group', () => F.channelShuffle(x4, 1)],
  ];
  for (const [label, call] of cases) {
    it(`${label}: writing the result leaves the input`, () => {
      const y = call();
      expect(y.shape).toEqual([1, 1, 2, 2]);
      y.add_(10);
      expect(Array.from(x4.data)).toEqual([1, 2, 3, 4]);
      expect(Array.from(y.contiguous().data)).toEqual([11, 12, 13, 14]);
    });
  }
});
