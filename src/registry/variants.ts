/**
 * The one-input functions' representative calls, for every surface that
 * shows or times them (the gallery, the benchmark, the explorer, the CLI):
 * each is a label, the entry, the arguments, the call as source text, and
 * the call itself.
 */
import type { Tensor } from '../tensor/tensor.js';
import { isTensor } from '../signature/types.js';
import { REGISTRY } from './index.js';
import { callFunction, tensorOf, variantsOf, type FunctionEntry } from './define.js';

export interface CurveVariant {
  /** `leakyRelu`, `geluTanh`, `rrelu (eval)`. */
  readonly label: string;
  readonly entry: FunctionEntry;
  readonly args: Readonly<Record<string, unknown>>;
  /** `F.leakyRelu(x, { negativeSlope: 0.1 })` */
  readonly call: string;
  readonly fn: (x: Tensor) => Tensor;
}

function source(v: unknown): string {
  if (isTensor(v)) return `tensor(${JSON.stringify((v as Tensor).toArray())})`;
  return typeof v === 'string' ? `'${v}'` : String(v);
}

/** `F.name(x)` or `F.name(x, { a: 1 })`. */
export function callSource(entry: FunctionEntry, args: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(args);
  if (keys.length === 0) return `F.${entry.name}(x)`;
  return `F.${entry.name}(x, { ${keys.map((k) => `${k}: ${source(args[k])}`).join(', ')} })`;
}

/** Every variant of the functions that map one tensor to a tensor of its shape, elementwise. */
export function curveVariants(): CurveVariant[] {
  return REGISTRY.filter((e) => e.pointwise).flatMap((entry) =>
    variantsOf(entry).map((v) => {
      const args = v.args ?? {};
      return {
        label: v.label,
        entry,
        args,
        call: callSource(entry, args),
        fn: (x: Tensor) => tensorOf(callFunction(entry, [x, args])),
      };
    }),
  );
}
