/**
 * Whether operations record the graph for autograd (PyTorch's grad mode).
 *
 * The mode is one global flag, switched for the duration of a synchronous
 * call. PyTorch's mode is per thread; JavaScript's async functions interleave
 * on one thread, so a mode held across an `await` would leak into whatever
 * else runs meanwhile. `noGrad` and `enableGrad` therefore refuse async
 * functions (and functions that return a promise) with a clear error: wrap
 * the synchronous work inside the async function instead.
 */
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

function isThenable(v: unknown): boolean {
  return (
    (typeof v === 'object' || typeof v === 'function') &&
    v !== null &&
    typeof (v as { then?: unknown }).then === 'function'
  );
}

function withMode<T>(name: string, enabled: boolean, fn: () => T): T {
  if (typeof fn !== 'function') {
    throw new Error(
      `${name}: fn must be a function, got ${fn === null ? 'null' : Array.isArray(fn) ? 'an array' : typeof fn}`,
    );
  }
  if (
    fn.constructor?.name === 'AsyncFunction' ||
    fn.constructor?.name === 'AsyncGeneratorFunction'
  ) {
    throw new Error(
      `${name}: async functions are not supported (the grad mode would leak across their awaits); call ${name} around the synchronous part inside the async function instead`,
    );
  }
  const prev = gradEnabled;
  gradEnabled = enabled;
  let result: T;
  try {
    result = fn();
  } finally {
    gradEnabled = prev;
  }
  if (isThenable(result)) {
    throw new Error(
      `${name}: the function returned a promise; only its synchronous part ran with the mode set (the rest would leak across awaits). Call ${name} around synchronous code`,
    );
  }
  return result;
}

/**
 * Runs `fn` without recording gradients, like `with torch.no_grad():`.
 * Synchronous functions only (see the module's note on async functions).
 * @example
 * ```ts
 * import { isGradEnabled, nn, noGrad, zeros } from 'nnkit';
 * const model = new nn.Linear(2, 1);
 * const x = zeros([4, 2]);
 * console.log(model.forward(x).requiresGrad); // true
 * const y = noGrad(() => model.forward(x));
 * console.log(y.requiresGrad, isGradEnabled()); // false true
 * ```
 * @param fn - A synchronous function of no arguments; its result is returned.
 */
export function noGrad<T>(fn: () => T): T {
  return withMode('noGrad', false, fn);
}

/**
 * Runs `fn` with gradient recording on, even inside `noGrad`, like `torch.enable_grad()`.
 * @example
 * ```ts
 * import { enableGrad, noGrad, tensor } from 'nnkit';
 * const x = tensor([1, 2], { requiresGrad: true });
 * const y = noGrad(() => enableGrad(() => x.mul(2)));
 * console.log(y.requiresGrad); // true
 * ```
 * @param fn - A synchronous function of no arguments; its result is returned.
 */
export function enableGrad<T>(fn: () => T): T {
  return withMode('enableGrad', true, fn);
}
