/**
 * The derivatives of cutting planes into windows and summing windows back
 * (forward: src/ops/windows.ts, `im2col` and `col2im`, the kernels of the same
 * names), and of summing boxes and spreading values over them (src/ops/boxes.ts,
 * `boxSum` and `boxSpread`): in each pair each is the other's adjoint, so each
 * backward is the other op, recorded in turn (a second derivative runs the first
 * again).
 */
import type { Derivatives } from './rule.js';

/**
 * The geometry of `batch·channels` planes of `size` cut into windows, whose
 * columns are laid out as `F.unfold`'s `(N, C·kH·kW, L)`: `L = out[0]·out[1]`
 * windows, a window's taps row by row.
 */
export interface Windows {
  readonly batch: number;
  readonly channels: number;
  /** (H, W) of each plane. */
  readonly size: readonly [number, number];
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  /** Padding before the first row and column (what lies after follows from `out`). */
  readonly padding: readonly [number, number];
  /** Windows per dimension. */
  readonly out: readonly [number, number];
  /** What `im2col` reads outside the planes (col2im drops those taps). */
  readonly padValue: number;
}

/**
 * Boxes over planes of (H, W), for average pooling: output position (y, z)
 * owns input rows `[rows[2y], rows[2y + 1])` and columns
 * `[cols[2z], cols[2z + 1])`, each bound in [0, H] or [0, W]; boxes may
 * overlap and differ in size.
 */
export interface Boxes {
  readonly rows: Int32Array;
  readonly cols: Int32Array;
}

/** Named as PyTorch names the nodes (Im2ColBackward0, Col2ImBackward0). */
export interface WindowContexts {
  im2Col: { windows: Windows };
  col2Im: { windows: Windows };
  boxSum: { boxes: Boxes; size: readonly [number, number] };
  boxSpread: { boxes: Boxes };
}

export const WINDOWS: Derivatives<WindowContexts> = {
  /** `C = im2col(x)`: `dx = col2im(G)`, each element the sum over the taps that read it. */
  im2Col: { saves: 'nothing', backward: (g, c) => [g._col2im(c.windows)] },
  /** `y = col2im(C)`: `dC = im2col(G)`, each tap reading the element it was added to (0 in the padding). */
  col2Im: { saves: 'nothing', backward: (g, c) => [g._im2col({ ...c.windows, padValue: 0 })] },
  /** `y = Σ_box x`: `dx = G` spread over each box (added up where boxes overlap). */
  boxSum: { saves: 'nothing', backward: (g, c) => [g._boxSpread(c.boxes, c.size)] },
  /** `y = spread(S)`: `dS = Σ_box G`, each box's sum of the gradient. */
  boxSpread: { saves: 'nothing', backward: (g, c) => [g._boxSum(c.boxes)] },
};
