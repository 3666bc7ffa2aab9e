/**
 * The recurrent cells' arithmetic, written once for the layers (`nn.RNN`,
 * `nn.LSTM`, `nn.GRU`) and the cells (`nn.RNNCell`, `nn.LSTMCell`,
 * `nn.GRUCell`), in PyTorch 1.13's order of operations (ATen's RNN.cpp): the
 * input's gate contribution `x·W_ihᵀ + b_ih` is added to the hidden state's
 * `h·W_hhᵀ + b_hh`, gates are cut from one product (`chunk`), and
 *
 * - RNN:  h' = act(h·W_hhᵀ + b_hh + x·W_ihᵀ + b_ih), act tanh or relu;
 * - LSTM: i, f, g, o = σ, σ, tanh, σ of the four gate blocks;
 *         c' = f·c + i·g;  h' = o·tanh(c')  (then h'·W_hrᵀ with a projection);
 * - GRU:  r, z = σ of the first two blocks (input part + hidden part);
 *         n = tanh(x_n + r·h_n);  h' = (h − n)·z + n.
 *
 * Autograd differentiates through the ops; nothing here is a kernel of its own.
 */
import type { Tensor } from '../tensor/tensor.js';
import { linear } from '../ops/linalg.js';

/** Which recurrence: PyTorch's `mode` strings. */
export type RnnMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

/** The gate blocks per mode: the first dimension of `W_ih` is this times the hidden size. */
export const GATES: Record<RnnMode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

/** One direction of one layer's weights (or a cell's); `wHr` only for an LSTM with a projection. */
export interface CellWeights {
  readonly wIh: Tensor;
  readonly wHh: Tensor;
  readonly bIh: Tensor | null;
  readonly bHh: Tensor | null;
  readonly wHr: Tensor | null;
}

/** A hidden state: `h` (batch, hidden or projection size) and, for an LSTM, the cell state `c`. */
export interface State {
  readonly h: Tensor;
  readonly c: Tensor | null;
}

/** `x·W_ihᵀ + b_ih` of 2-D `x` (rows, features): the input's share of every gate. */
export function inputGates(x: Tensor, w: CellWeights): Tensor {
  return linear(x, w.wIh, w.bIh);
}

/** One step: the next state from the input's gate share `xg` (rows, gates·H) and the state. */
export function cellStep(mode: RnnMode, xg: Tensor, state: State, w: CellWeights): State {
  const hg = linear(state.h, w.wHh, w.bHh);
  switch (mode) {
    case 'RNN_TANH':
      return { h: hg.add(xg).tanh(), c: null };
    case 'RNN_RELU':
      return { h: hg.add(xg).relu(), c: null };
    case 'LSTM': {
      const [i, f, g, o] = hg.add(xg).chunk(4, 1);
      const c = f.sigmoid().mul(state.c!).add(i.sigmoid().mul(g.tanh()));
      const h = o.sigmoid().mul(c.tanh());
      return { h: w.wHr ? linear(h, w.wHr, null) : h, c };
    }
    case 'GRU': {
      const [xr, xz, xn] = xg.chunk(3, 1);
      const [hr, hz, hn] = hg.chunk(3, 1);
      const r = hr.add(xr).sigmoid();
      const z = hz.add(xz).sigmoid();
      const n = xn.add(hn.mul(r)).tanh();
      return { h: state.h.sub(n).mul(z).add(n), c: null };
    }
  }
}
