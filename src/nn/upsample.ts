/**
 * PyTorch 1.13's upsampling modules around `F.interpolate`: `Upsample`
 * (every mode), `UpsamplingNearest2d` and `UpsamplingBilinear2d` (bilinear
 * with `alignCorners: true`). Their parameters are `F.interpolate`'s, as the
 * registry declares them (src/registry/upsampling.ts).
 */
import type { Tensor } from '../tensor/tensor.js';
import { bindArgs, prefixError, type Param } from '../signature/bind.js';
import * as T from '../signature/types.js';
import { interpolate } from '../registry/upsampling.js';
import {
  checkInterpolate,
  interpolateImpl,
  type InterpolateArgs,
  type InterpolateMode,
} from '../functional/interpolate.js';
import { Module, pyNum } from './module.js';

/** A size or a scale factor: one number for every spatial dimension, one each, or none. */
export type UpsampleAmount = number | readonly number[] | null;

/** `F.interpolate`'s parameter `name`, as declared once in the registry. */
const param = (name: string): Param => {
  const p = interpolate.params.find((q) => q.name === name);
  if (!p) throw new Error(`Upsample: F.interpolate has no parameter ${name}`);
  return p;
};

/** A size or factor as PyTorch's repr prints it: `4`, `2.0`, `(4, 4)`. */
function pyValue(v: UpsampleAmount, asFloat: boolean): string {
  const one = (x: number) => (asFloat ? pyNum(x) : String(x));
  if (v === null) return 'None';
  return typeof v === 'number' ? one(v) : `(${v.map(one).join(', ')})`;
}

/** What the upsampling modules share: `F.interpolate`'s arguments but the input. */
export abstract class UpsampleBase extends Module {
  /** The output size (one integer for every spatial dimension, or one each), or null. */
  readonly size: UpsampleAmount;
  /** The factor each spatial size is multiplied by, or null. */
  readonly scaleFactor: UpsampleAmount;
  /** `F.interpolate`'s mode. */
  readonly mode: InterpolateMode;
  /** For the linear modes: whether corner elements map onto each other. */
  readonly alignCorners: boolean | null;
  /** Whether the scale is recomputed from the output size. */
  readonly recomputeScaleFactor: boolean | null;

  /**
   * Called by subclasses with their bound arguments.
   *
   * @param a - `size`, `scaleFactor`, `mode`, `alignCorners` and `recomputeScaleFactor`.
   */
  constructor(a: Readonly<Record<string, unknown>>) {
    super();
    this.size = a.size as UpsampleAmount;
    this.scaleFactor = a.scaleFactor as UpsampleAmount;
    this.mode = a.mode as InterpolateMode;
    this.alignCorners = a.alignCorners as boolean | null;
    this.recomputeScaleFactor = a.recomputeScaleFactor as boolean | null;
  }

  /** Resizes `input` (see `F.interpolate`). */
  forward(...args: [input: Tensor]): Tensor {
    const name = `${this.name}.forward`;
    if (args.length !== 1 || !T.isTensor(args[0])) {
      throw new Error(`${name}: takes 1 argument, the input Tensor`);
    }
    const a: InterpolateArgs = {
      input: args[0],
      size: this.size,
      scaleFactor: this.scaleFactor,
      mode: this.mode,
      alignCorners: this.alignCorners,
      recomputeScaleFactor: this.recomputeScaleFactor,
      antialias: false,
    };
    try {
      checkInterpolate(a);
      return interpolateImpl(a);
    } catch (e) {
      throw prefixError(e, name, ['interpolate']);
    }
  }

  override extraRepr(): string {
    const what =
      this.scaleFactor !== null
        ? `scale_factor=${pyValue(this.scaleFactor, true)}`
        : `size=${pyValue(this.size, false)}`;
    return `${what}, mode=${this.mode}`;
  }
}

/**
 * Upsamples a batch of 1-, 2- or 3-D data, as `torch.nn.Upsample`: `forward`
 * is `F.interpolate(input, size, scaleFactor, mode, alignCorners,
 * recomputeScaleFactor)`.
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * const up = new nn.Upsample({ scaleFactor: 2, mode: 'bilinear' });
 * console.log(up.toString()); // Upsample(scale_factor=2.0, mode=bilinear)
 * console.log(up.forward(tensor([[[[1, 2]]]])).toString());
 * // tensor([[[[1.0000, 1.2500, 1.7500, 2.0000],
 * //           [1.0000, 1.2500, 1.7500, 2.0000]]]])
 * ```
 */
export class Upsample extends UpsampleBase {
  /**
   * Creates the module; give `size` or `scaleFactor`.
   *
   * @param size - The output size: one integer for every spatial dimension, or one each.
   * @param scaleFactor - The factor each spatial size is multiplied by.
   * @param mode - `'nearest'` (default), `'nearest-exact'`, `'linear'`, `'bilinear'`, `'trilinear'` or `'area'`.
   * @param alignCorners - For the linear modes: map corner elements onto each other.
   * @param recomputeScaleFactor - Interpolate as if the computed output size had been given.
   */
  constructor(
    size?: UpsampleAmount,
    scaleFactor?: UpsampleAmount,
    mode?: InterpolateMode,
    alignCorners?: boolean | null,
    recomputeScaleFactor?: boolean | null,
  );
  /**
   * Creates the module from options.
   *
   * @param options - The constructor's parameters by name.
   */
  constructor(options: {
    size?: UpsampleAmount;
    scaleFactor?: UpsampleAmount;
    mode?: InterpolateMode;
    alignCorners?: boolean | null;
    recomputeScaleFactor?: boolean | null;
  });
  constructor(...args: unknown[]) {
    const names = ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor'];
    super(bindArgs({ name: 'Upsample', params: names.map(param) }, args));
  }
}

/**
 * What `UpsamplingNearest2d` and `UpsamplingBilinear2d` share: only `size`
 * and `scaleFactor` are theirs, the mode is fixed.
 */
export abstract class FixedModeUpsample extends UpsampleBase {
  /**
   * Called by subclasses with their constructor's arguments.
   *
   * @param name - The class name, for errors.
   * @param mode - The mode it fixes.
   * @param alignCorners - The corner alignment it fixes (null for nearest).
   * @param args - `size` and `scaleFactor`, by position or as one options object.
   */
  constructor(name: string, mode: InterpolateMode, alignCorners: boolean | null, args: unknown[]) {
    const a = bindArgs({ name, params: ['size', 'scaleFactor'].map(param) }, args);
    super({ ...a, mode, alignCorners, recomputeScaleFactor: null });
  }
}

/**
 * Nearest-neighbour upsampling of images, as `torch.nn.UpsamplingNearest2d`
 * (PyTorch's deprecated spelling of `nn.Upsample` with `mode: 'nearest'`).
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * const up = new nn.UpsamplingNearest2d({ scaleFactor: 2 });
 * console.log(up.forward(tensor([[[[1, 2]]]])).flatten().toString()); // tensor([1., 1., 2., 2., 1., 1., 2., 2.])
 * ```
 */
export class UpsamplingNearest2d extends FixedModeUpsample {
  /**
   * Creates the module; give `size` or `scaleFactor`.
   *
   * @param size - The output size `[H, W]`, or one integer for both.
   * @param scaleFactor - The factor height and width are multiplied by.
   */
  constructor(size?: UpsampleAmount, scaleFactor?: UpsampleAmount);
  /**
   * Creates the module from options.
   *
   * @param options - `size` or `scaleFactor` by name.
   */
  constructor(options: { size?: UpsampleAmount; scaleFactor?: UpsampleAmount });
  constructor(...args: unknown[]) {
    super('UpsamplingNearest2d', 'nearest', null, args);
  }
}

/**
 * Bilinear upsampling of images with the corners aligned, as
 * `torch.nn.UpsamplingBilinear2d` (PyTorch's deprecated spelling of
 * `nn.Upsample` with `mode: 'bilinear'` and `alignCorners: true`).
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * const up = new nn.UpsamplingBilinear2d({ size: [1, 3] });
 * console.log(up.toString()); // UpsamplingBilinear2d(size=(1, 3), mode=bilinear)
 * console.log(up.forward(tensor([[[[1, 2]]]])).flatten().toArray()); // [ 1, 1.5, 2 ]
 * ```
 */
export class UpsamplingBilinear2d extends FixedModeUpsample {
  /**
   * Creates the module; give `size` or `scaleFactor`.
   *
   * @param size - The output size `[H, W]`, or one integer for both.
   * @param scaleFactor - The factor height and width are multiplied by.
   */
  constructor(size?: UpsampleAmount, scaleFactor?: UpsampleAmount);
  /**
   * Creates the module from options.
   *
   * @param options - `size` or `scaleFactor` by name.
   */
  constructor(options: { size?: UpsampleAmount; scaleFactor?: UpsampleAmount });
  constructor(...args: unknown[]) {
    super('UpsamplingBilinear2d', 'bilinear', true, args);
  }
}
