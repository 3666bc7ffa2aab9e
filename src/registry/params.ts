/**
 * Parameters that many entries share, declared once: the input tensor,
 * `inplace`, `reduction`, class weights, `dim`.
 */
import * as T from '../signature/types.js';
import { param } from './define.js';

/** The tensor the function applies to. */
export const input = (doc = 'The input tensor (float32 or float64).') =>
  param('input', T.tensor, { doc });

/** A second required tensor, e.g. `target`. */
export const tensorArg = <const N extends string>(name: N, doc: string) =>
  param(name, T.tensor, { doc });

/** PyTorch's `inplace=False`. */
export const inplace = () =>
  param('inplace', T.bool, {
    default: false,
    doc: 'Write the result into `input` instead of a new tensor.',
  });

/** A floating-point option with a default (`negativeSlope`, `alpha`, ...). */
export const num = <const N extends string>(
  name: N,
  def: number,
  doc: string,
  extra: { range?: readonly [number, number]; logScale?: boolean; pyDefault?: string } & Parameters<
    typeof T.number
  >[0] = {},
) => {
  const { range, logScale, pyDefault, ...bounds } = extra;
  return param(name, T.number(bounds), { default: def, doc, range, logScale, pyDefault });
};

/** `reduction: 'none' | 'mean' | 'sum'` (and `'batchmean'` for `klDiv`). */
export const reduction = (withBatchmean = false) =>
  param(
    'reduction',
    withBatchmean ? T.oneOf('none', 'mean', 'sum', 'batchmean') : T.oneOf('none', 'mean', 'sum'),
    {
      default: 'mean',
      doc: withBatchmean
        ? "`'mean'` (over all elements), `'batchmean'` (sum / batch size, the true KL divergence), `'sum'` or `'none'`."
        : "`'mean'` (the default), `'sum'`, or `'none'` for one loss per element.",
    },
  );

/** An optional tensor of class weights (`weight=None`). */
export const classWeight = (doc = 'Manual rescaling weight for each class, of size `C`.') =>
  param('weight', T.optional(T.tensor), { default: null, doc });

/** A required dimension. */
export const dim = (doc: string) => param('dim', T.int(), { doc });

/** A dimension with a default. */
export const dimDefault = (def: number, doc: string) =>
  param('dim', T.int(), { default: def, doc });
