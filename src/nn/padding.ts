/**
 * PyTorch 1.13's padding modules around `F.pad`: `ConstantPad1d/2d/3d`
 * (padding and a value), `ZeroPad2d`, `ReflectionPad1d/2d/3d` and
 * `ReplicationPad1d/2d/3d`. `padding` is one integer for every side, or
 * `[left, right]` (1d), `[left, right, top, bottom]` (2d),
 * `[left, right, top, bottom, front, back]` (3d).
 */
import type { Tensor } from '../tensor/tensor.js';
import { bindArgs, prefixError, type Param } from '../signature/bind.js';
import * as T from '../signature/types.js';
import { padImpl, type PadMode } from '../functional/padding.js';
import { Module, pyNum } from './module.js';

/** The padding amounts of a module padding `dims` dimensions: `padding` spread or checked. */
function amounts(name: string, dims: number, padding: number | readonly number[]): number[] {
  if (typeof padding === 'number') return new Array<number>(2 * dims).fill(padding);
  if (padding.length !== 2 * dims) {
    throw new Error(
      `${name}: padding must be an integer or a list of ${2 * dims} integers, got ${padding.length}`,
    );
  }
  return [...padding];
}

const PADDING: Param = {
  name: 'padding',
  type: T.either(T.int(), T.intList()),
  doc: 'an integer for every side, or the amounts before and after each dimension, last first',
};
const VALUE: Param = { name: 'value', type: T.number(), doc: 'the constant' };

/** What the padding modules share: the amounts, the mode, and calling `F.pad`. */
export abstract class PadNd extends Module {
  /** The amounts before and after each padded dimension, the last dimension first. */
  readonly padding: readonly number[];
  /** The constant (`ConstantPad*`; null for the others, `ZeroPad2d`'s meaning 0). */
  readonly value: number | null;
  /** `F.pad`'s mode. */
  protected abstract readonly mode: PadMode;

  /**
   * Called by subclasses; binds their constructor's arguments and checks the amounts.
   *
   * @param dims - How many trailing dimensions the module pads: 1, 2 or 3.
   * @param withValue - Whether the module takes a `value` after `padding` (`ConstantPad*`).
   * @param args - The subclass constructor's arguments: `padding`, then `value` if `withValue`,
   *   by position or as one options object with those names.
   */
  constructor(dims: number, withValue: boolean, args: unknown[]) {
    super();
    const params = withValue ? [PADDING, VALUE] : [PADDING];
    const a = bindArgs({ name: this.name, params }, args);
    this.padding = amounts(this.name, dims, a.padding as number | readonly number[]);
    this.value = withValue ? (a.value as number) : null;
  }

  /** Pads `input` (see `F.pad`). */
  forward(...args: [input: Tensor]): Tensor {
    const name = `${this.name}.forward`;
    if (args.length !== 1 || !T.isTensor(args[0])) {
      throw new Error(`${name}: takes 1 argument, the input Tensor`);
    }
    try {
      return padImpl({ input: args[0], pad: this.padding, mode: this.mode, value: this.value });
    } catch (e) {
      throw prefixError(e, name, ['pad']);
    }
  }

  override extraRepr(): string {
    const tuple = `(${this.padding.join(', ')})`;
    return this.value === null ? tuple : `padding=${tuple}, value=${pyNum(this.value)}`;
  }
}

/**
 * Pads the last dimension with a constant, as `torch.nn.ConstantPad1d`.
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * const pad = new nn.ConstantPad1d([1, 2], 3.5);
 * console.log(pad.toString()); // ConstantPad1d(padding=(1, 2), value=3.5)
 * console.log(pad.forward(tensor([[1, 2]])).toString()); // tensor([[3.5000, 1.0000, 2.0000, 3.5000, 3.5000]])
 * ```
 */
export class ConstantPad1d extends PadNd {
  protected readonly mode = 'constant';
  /**
   * Creates the module with `padding`'s amount on each side.
   *
   * @param padding - One integer for every side, or `[left, right]`.
   * @param value - The constant the padding holds.
   */
  constructor(padding: number | readonly number[], value: number);
  constructor(...args: unknown[]) {
    super(1, true, args);
  }
}

/**
 * Pads the last two dimensions with a constant, as `torch.nn.ConstantPad2d`.
 * @example
 * ```ts
 * import { nn, zeros } from 'nnkit';
 * console.log(new nn.ConstantPad2d(1, -1).forward(zeros([1, 2, 2])).shape); // [ 1, 4, 4 ]
 * ```
 */
export class ConstantPad2d extends PadNd {
  protected readonly mode = 'constant';
  /**
   * Creates the module with `padding`'s amount on each side.
   *
   * @param padding - One integer for every side, or `[left, right, top, bottom]`.
   * @param value - The constant the padding holds.
   */
  constructor(padding: number | readonly number[], value: number);
  constructor(...args: unknown[]) {
    super(2, true, args);
  }
}

/**
 * Pads the last three dimensions with a constant, as `torch.nn.ConstantPad3d`.
 * @example
 * ```ts
 * import { nn } from 'nnkit';
 * console.log(new nn.ConstantPad3d([1, 2, 3, 4, 5, 6], 0).toString()); // ConstantPad3d(padding=(1, 2, 3, 4, 5, 6), value=0.0)
 * ```
 */
export class ConstantPad3d extends PadNd {
  protected readonly mode = 'constant';
  /**
   * Creates the module with `padding`'s amount on each side.
   *
   * @param padding - One integer for every side, or `[left, right, top, bottom, front, back]`.
   * @param value - The constant the padding holds.
   */
  constructor(padding: number | readonly number[], value: number);
  constructor(...args: unknown[]) {
    super(3, true, args);
  }
}

/**
 * Pads the last two dimensions with zeros, as `torch.nn.ZeroPad2d`.
 * @example
 * ```ts
 * import { nn, ones } from 'nnkit';
 * const pad = new nn.ZeroPad2d([1, 0, 0, 1]);
 * console.log(pad.toString()); // ZeroPad2d((1, 0, 0, 1))
 * console.log(pad.forward(ones([1, 1, 2])).toString());
 * // tensor([[[0., 1., 1.],
 * //          [0., 0., 0.]]])
 * ```
 */
export class ZeroPad2d extends PadNd {
  protected readonly mode = 'constant';
  /**
   * Creates the module with `padding`'s amount on each side.
   *
   * @param padding - One integer for every side, or `[left, right, top, bottom]`.
   */
  constructor(padding: number | readonly number[]);
  constructor(...args: unknown[]) {
    super(2, false, args);
  }
}

/**
 * Pads the last dimension with its reflection (edges not repeated), as
 * `torch.nn.ReflectionPad1d`; input `(N, C, L)` or `(C, L)`.
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * console.log(new nn.ReflectionPad1d(2).forward(tensor([[1, 2, 3]])).toString()); // tensor([[3., 2., 1., 2., 3., 2., 1.]])
 * ```
 */
export class ReflectionPad1d extends PadNd {
  protected readonly mode = 'reflect';
  /**
   * Creates the module; each amount must be less than the padded dimension's size.
   *
   * @param padding - One integer for every side, or `[left, right]`.
   */
  constructor(padding: number | readonly number[]);
  constructor(...args: unknown[]) {
    super(1, false, args);
  }
}

/**
 * Pads the last two dimensions with their reflection, as
 * `torch.nn.ReflectionPad2d`; input `(N, C, H, W)` or `(C, H, W)`.
 * @example
 * ```ts
 * import { nn, zeros } from 'nnkit';
 * console.log(new nn.ReflectionPad2d([1, 1, 2, 0]).forward(zeros([1, 3, 4, 4])).shape); // [ 1, 3, 6, 6 ]
 * ```
 */
export class ReflectionPad2d extends PadNd {
  protected readonly mode = 'reflect';
  /**
   * Creates the module; each amount must be less than the padded dimension's size.
   *
   * @param padding - One integer for every side, or `[left, right, top, bottom]`.
   */
  constructor(padding: number | readonly number[]);
  constructor(...args: unknown[]) {
    super(2, false, args);
  }
}

/**
 * Pads the last three dimensions with their reflection, as
 * `torch.nn.ReflectionPad3d`; input `(N, C, D, H, W)` or `(C, D, H, W)`.
 * @example
 * ```ts
 * import { nn } from 'nnkit';
 * console.log(new nn.ReflectionPad3d(1).toString()); // ReflectionPad3d((1, 1, 1, 1, 1, 1))
 * ```
 */
export class ReflectionPad3d extends PadNd {
  protected readonly mode = 'reflect';
  /**
   * Creates the module; each amount must be less than the padded dimension's size.
   *
   * @param padding - One integer for every side, or `[left, right, top, bottom, front, back]`.
   */
  constructor(padding: number | readonly number[]);
  constructor(...args: unknown[]) {
    super(3, false, args);
  }
}

/**
 * Pads the last dimension by repeating its edge elements, as
 * `torch.nn.ReplicationPad1d`; input `(N, C, L)` or `(C, L)`.
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * console.log(new nn.ReplicationPad1d([2, 1]).forward(tensor([[1, 2, 3]])).toString()); // tensor([[1., 1., 1., 2., 3., 3.]])
 * ```
 */
export class ReplicationPad1d extends PadNd {
  protected readonly mode = 'replicate';
  /**
   * Creates the module with `padding`'s amount on each side.
   *
   * @param padding - One integer for every side, or `[left, right]`.
   */
  constructor(padding: number | readonly number[]);
  constructor(...args: unknown[]) {
    super(1, false, args);
  }
}

/**
 * Pads the last two dimensions by repeating their edges, as
 * `torch.nn.ReplicationPad2d`; input `(N, C, H, W)` or `(C, H, W)`.
 * @example
 * ```ts
 * import { nn, zeros } from 'nnkit';
 * console.log(new nn.ReplicationPad2d(3).forward(zeros([2, 1, 2, 2])).shape); // [ 2, 1, 8, 8 ]
 * ```
 */
export class ReplicationPad2d extends PadNd {
  protected readonly mode = 'replicate';
  /**
   * Creates the module with `padding`'s amount on each side.
   *
   * @param padding - One integer for every side, or `[left, right, top, bottom]`.
   */
  constructor(padding: number | readonly number[]);
  constructor(...args: unknown[]) {
    super(2, false, args);
  }
}

/**
 * Pads the last three dimensions by repeating their edges, as
 * `torch.nn.ReplicationPad3d`; input `(N, C, D, H, W)` or `(C, D, H, W)`.
 * @example
 * ```ts
 * import { nn } from 'nnkit';
 * console.log(new nn.ReplicationPad3d([1, 0, 0, 1, 2, 2]).toString()); // ReplicationPad3d((1, 0, 0, 1, 2, 2))
 * ```
 */
export class ReplicationPad3d extends PadNd {
  protected readonly mode = 'replicate';
  /**
   * Creates the module with `padding`'s amount on each side.
   *
   * @param padding - One integer for every side, or `[left, right, top, bottom, front, back]`.
   */
  constructor(padding: number | readonly number[]);
  constructor(...args: unknown[]) {
    super(3, false, args);
  }
}
