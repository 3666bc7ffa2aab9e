/**
 * Rearrangements between channels and space: `F.pixelShuffle`,
 * `F.pixelUnshuffle` and `F.channelShuffle`, as `torch.nn.functional`'s.
 * Each is a reshape, a permutation and a copy, so autograd runs through the
 * views; the copy is made even where the permutation keeps the layout (a
 * factor or a group count of 1), since PyTorch's result never shares the
 * input's storage. Signatures and docs: src/registry/upsampling.ts.
 */
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { fail } from './validate.js';

/** The arguments of `F.pixelShuffle` / `F.pixelUnshuffle`, as bound. */
export interface PixelShuffleArgs {
  input: Tensor;
  upscaleFactor?: number;
  downscaleFactor?: number;
}

/**
 * `F.pixelShuffle`: `(*, C·r², H, W) → (*, C, H·r, W·r)`,
 * `out[…, c, h·r + i, w·r + j] = x[…, c·r² + i·r + j, h, w]`.
 */
export function pixelShuffleImpl(a: PixelShuffleArgs): Tensor {
  const { input: x } = a;
  const r = a.upscaleFactor as number;
  const fn = 'pixelShuffle';
  if (x.ndim < 3)
    fail(fn, `expected an input of at least 3 dimensions, got shape ${formatShape(x.shape)}`);
  const [c, h, w] = x.shape.slice(-3);
  if (c % (r * r) !== 0) {
    fail(fn, `the channels (${c}) must be divisible by the square of upscaleFactor (${r * r})`);
  }
  const lead = x.shape.slice(0, -3);
  const k = lead.length;
  const oc = c / (r * r);
  return x
    .reshape([...lead, oc, r, r, h, w])
    .permute([...lead.keys(), k, k + 3, k + 1, k + 4, k + 2])
    .clone()
    .reshape([...lead, oc, h * r, w * r]);
}

/** `F.pixelUnshuffle`: the inverse, `(*, C, H·r, W·r) → (*, C·r², H, W)`. */
export function pixelUnshuffleImpl(a: PixelShuffleArgs): Tensor {
  const { input: x } = a;
  const r = a.downscaleFactor as number;
  const fn = 'pixelUnshuffle';
  if (x.ndim < 3)
    fail(fn, `expected an input of at least 3 dimensions, got shape ${formatShape(x.shape)}`);
  const [c, h, w] = x.shape.slice(-3);
  if (h % r !== 0 || w % r !== 0) {
    fail(fn, `the height (${h}) and width (${w}) must be divisible by downscaleFactor (${r})`);
  }
  const lead = x.shape.slice(0, -3);
  const k = lead.length;
  return x
    .reshape([...lead, c, h / r, r, w / r, r])
    .permute([...lead.keys(), k, k + 2, k + 4, k + 1, k + 3])
    .clone()
    .reshape([...lead, c * r * r, h / r, w / r]);
}

/** The arguments of `F.channelShuffle`, as bound. */
export interface ChannelShuffleArgs {
  input: Tensor;
  groups: number;
}

/**
 * `F.channelShuffle`: channels `(g, C/g)` read as `(C/g, g)`, a copy of the input's shape
 * (ShuffleNet's mixing between grouped convolutions).
 */
export function channelShuffleImpl({ input: x, groups }: ChannelShuffleArgs): Tensor {
  const fn = 'channelShuffle';
  if (x.ndim < 3) {
    fail(
      fn,
      `expected an input of at least 3 dimensions (N, C, *), got shape ${formatShape(x.shape)}`,
    );
  }
  const [n, c, ...rest] = x.shape;
  if (c % groups !== 0) {
    fail(fn, `the channels (${c}) must be divisible by groups (${groups})`);
  }
  return x
    .reshape([n, groups, c / groups, ...rest])
    .transpose(1, 2)
    .clone()
    .reshape(x.shape);
}
