/** Tensors back from their JSON form (`Tensor.prototype.toJSON`'s output). */
import { Tensor } from '../tensor/tensor.js';
import { parseTensorJSON } from '../tensor/json.js';

/**
 * A tensor from its JSON form `{ dtype, shape, data }` (flat data; NaN,
 * ±Infinity and −0 as the strings `'NaN'`, `'Infinity'`, `'-Infinity'`,
 * `'-0'`), as `JSON.stringify(t)` writes it; the inverse of
 * `Tensor.prototype.toJSON`, bit for bit. The dtype, shape and element count
 * are checked; int32 elements must be integers in range.
 * @example
 * ```ts
 * import { io, tensor } from 'nnkit';
 * const json = JSON.stringify(tensor([1, NaN, -0]));
 * console.log(json); // {"dtype":"float32","shape":[3],"data":[1,"NaN","-0"]}
 * console.log(io.tensorFromJSON(JSON.parse(json))); // tensor([1., nan, -0.])
 * ```
 * @param json - The parsed JSON form: an object with `dtype`, `shape` and flat `data`.
 */
export function tensorFromJSON(json: unknown): Tensor {
  const { data, shape } = parseTensorJSON(json, 'io.tensorFromJSON');
  return new Tensor(data, shape);
}
