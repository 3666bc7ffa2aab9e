/**
 * The gradient a slice (`narrow`, and through it `chunk`, `split`,
 * `unbind`, `select`) sends to its base: the slice's gradient placed at its
 * position in a tensor of zeros of the base's shape — kept as that piece and
 * its position until the engine sums it, instead of written out.
 *
 * Why: a base sliced into L pieces gets L gradients. Written out, each is a
 * whole base of zeros, and summing them costs L² of the piece size (2,000
 * unbound rows of 256: 480 ms of backward; PyTorch's unbind, one node for
 * all pieces, 38 ms, and its per-row `narrow` loop 300 ms). Kept as pieces,
 * the engine allocates one sum per base and adds each piece into its place
 * (src/autograd/engine.ts).
 */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit, type TypedArray } from '../tensor/dtype.js';
import { sizeOf, type Shape } from '../tensor/shape.js';

/** The base's layout around the sliced dimension: (outer, size, inner) elements. */
export interface SliceGeometry {
  /** The base's shape. */
  readonly shape: Shape;
  /** The sliced dimension. */
  readonly dim: number;
  /** Elements before the sliced dimension (the product of the dims before it). */
  readonly outer: number;
  /** The base's length along the sliced dimension. */
  readonly size: number;
  /** Where the slice starts along it. */
  readonly start: number;
  /** The slice's length along it. */
  readonly length: number;
  /** Elements after it (the product of the dims after it). */
  readonly inner: number;
}

/** `piece` at its slice of a zero tensor of `at.shape`, not yet written out. */
export class SliceGradient {
  /**
   * @param piece - The slice's gradient, of the slice's shape.
   * @param at - Where the slice sits in its base.
   */
  constructor(
    readonly piece: Tensor,
    readonly at: SliceGeometry,
  ) {}

  /**
   * The gradient written out: zeros with the piece in its place (a new
   * plain tensor, in storage a backward pass can recycle).
   */
  dense(): Tensor {
    const { shape } = this.at;
    const out = allocUninit(this.piece.dtype, sizeOf(shape)).fill(0);
    this.addTo(out, true);
    return new Tensor(out, shape);
  }

  /**
   * Adds the piece into its slice of `into`, a tensor of the base's shape,
   * in place. Each element rounds once, as `add_` does (a float32 sum formed
   * in double and stored rounds to the float32 sum).
   */
  addInto(into: Tensor): void {
    if (into._isPlain) {
      this.addTo(into._storage, false);
      into._bumpVersion();
    } else {
      const { dim, start, length } = this.at;
      into.narrow(dim, start, length).add_(this.piece);
    }
  }

  /** Adds (or, into zeros, copies: a −0 stays −0) the piece into its slice of `out`. */
  private addTo(out: TypedArray, copy: boolean): void {
    const { outer, size, start, length, inner } = this.at;
    const run = length * inner;
    if (run === 0) return;
    const src = this.piece.data;
    for (let o = 0; o < outer; o++) {
      const from = o * run;
      const to = (o * size + start) * inner;
      if (copy) out.set(src.subarray(from, from + run), to);
      else for (let j = 0; j < run; j++) out[to + j] += src[from + j];
    }
  }
}
