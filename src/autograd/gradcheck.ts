/**
 * `gradcheck`: compares autograd's gradients with central finite differences
 * in float64, like `torch.autograd.gradcheck`.
 */
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from './grad-mode.js';

/** Options of {@link gradcheck}; the defaults are PyTorch's `gradcheck`'s. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Throw on mismatch (default true, as in PyTorch); otherwise return false. */
  raiseException?: boolean;
}

function outputsOf(r: Tensor | readonly Tensor[]): Tensor[] {
  return Array.isArray(r) ? [...(r as readonly Tensor[])] : [r as Tensor];
}

/**
 * Checks the gradients of `fn` at `inputs` (float64 tensors; those with
 * `requiresGrad` are checked). Every output element's vector–Jacobian product
 * is compared with (f(x + eps) − f(x − eps)) / 2eps for every input element.
 * @example
 * ```ts
 * import { F, gradcheck, manualSeed, randn } from 'nnkit';
 * manualSeed(0);
 * const x = randn([5], { dtype: 'float64', requiresGrad: true });
 * console.log(gradcheck((t) => F.softplus(t, { beta: 2 }), [x])); // true
 * // a wrong backward is caught: detach() hides the second factor's gradient
 * console.log(gradcheck((t) => t.mul(t.detach()), [x], { raiseException: false })); // false
 * ```
 * @param fn - The function to check: takes `inputs` as arguments, returns a tensor or an array of tensors.
 * @param inputs - The arguments of `fn`; those with `requiresGrad` (float64) are checked.
 * @param opts - By name: `eps` (default `1e-6`), `atol` (default `1e-5`), `rtol` (default `1e-3`), `raiseException` (PyTorch's `raise_exception`; default `true`).
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor | readonly Tensor[],
  inputs: readonly Tensor[],
  opts: GradcheckOptions = {},
): boolean {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  const raise = opts.raiseException ?? true;
  for (const t of inputs) {
    if (t.requiresGrad && t.dtype !== 'float64') {
      throw new Error(`gradcheck: inputs that require grad must be float64, got ${t.dtype}`);
    }
  }
  const checked = inputs.filter((t) => t.requiresGrad);
  const base = outputsOf(fn(...inputs));
  const fail = (msg: string): boolean => {
    if (raise) throw new Error(`gradcheck: ${msg}`);
    return false;
  };
  for (let o = 0; o < base.length; o++) {
    const out = base[o];
    if (!out.requiresGrad) continue;
    // Analytical Jacobian rows, one backward per output element.
    const analytical: Float64Array[][] = checked.map(() => []);
    for (let j = 0; j < out.size; j++) {
      for (const t of checked) t.grad = null;
      const outs = outputsOf(fn(...inputs));
      const seed = new Float64Array(out.size);
      seed[j] = 1;
      outs[o].backward(new Tensor(seed, out.shape).to(outs[o].dtype));
      checked.forEach((t, k) => {
        analytical[k].push(t.grad ? Float64Array.from(t.grad.data) : new Float64Array(t.size));
      });
    }
    // Numerical Jacobian columns by central differences.
    for (let k = 0; k < checked.length; k++) {
      const t = checked[k];
      const data = t.data as Float64Array;
      for (let i = 0; i < t.size; i++) {
        const orig = data[i];
        data[i] = orig + eps;
        const plus = noGrad(() => Float64Array.from(outputsOf(fn(...inputs))[o].data));
        data[i] = orig - eps;
        const minus = noGrad(() => Float64Array.from(outputsOf(fn(...inputs))[o].data));
        data[i] = orig;
        for (let j = 0; j < out.size; j++) {
          const numeric = (plus[j] - minus[j]) / (2 * eps);
          const analytic = analytical[k][j][i];
          if (!(Math.abs(numeric - analytic) <= atol + rtol * Math.abs(numeric))) {
            return fail(
              `Jacobian mismatch for output ${o} element ${j} with respect to input ${k} element ${i}: numerical ${numeric}, analytical ${analytic}`,
            );
          }
        }
      }
    }
  }
  for (const t of checked) t.grad = null;
  return true;
}
