/** Whether operations record the graph for autograd (PyTorch's grad mode). */
let gradEnabled = true;

/**
 * Whether operations record the graph now, like `torch.is_grad_enabled()`: false inside
 * {@link noGrad}.
 * @example
 * ```ts
 * import { isGradEnabled, noGrad } from 'nnkit';
 * console.log(isGradEnabled(), noGrad(() => isGradEnabled())); // true false
 * ```
 */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording gradients, like `with torch.no_grad():`.
 * @example
 * ```ts
 * import { isGradEnabled, nn, noGrad, zeros } from 'nnkit';
 * const model = new nn.Linear(2, 1);
 * const x = zeros([4, 2]);
 * console.log(model.forward(x).requiresGrad); // true
 * const y = noGrad(() => model.forward(x));
 * console.log(y.requiresGrad, isGradEnabled()); // false true
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** Runs `fn` with gradient recording on, even inside `noGrad`. */
export function enableGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = true;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}
