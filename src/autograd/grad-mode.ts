/** Whether operations record the graph for autograd (PyTorch's grad mode). */
let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording gradients, like `with torch.no_grad():`.
 * @example const y = noGrad(() => model.forward(x));
 */
export function noGrad<T>(fn: () => T): T {
  checkFn('noGrad', fn);
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
  checkFn('enableGrad', fn);
  const prev = gradEnabled;
  gradEnabled = true;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

function checkFn(name: string, fn: unknown): void {
  if (typeof fn !== 'function')
    throw new Error(
      `${name}: fn must be a function, got ${fn === null ? 'null' : Array.isArray(fn) ? 'an array' : typeof fn}`,
    );
}
