/**
 * A quick single-backend timing for iterating on one kernel (not the benchmark of record):
 * `npx tsx bench/micro.ts wasm gelu,tanh,relu`. Softmax-family and cross-entropy run on
 * 4096×1000 logits (rows of classes), mseLoss on two 4M-float tensors; append `:bwd` to
 * a name (e.g. `mseLoss:bwd`) to time forward+backward.
 */
import {
  F,
  randn,
  setBackend,
  tensor,
  wasmReady,
  type BackendName,
  type Tensor,
} from '../src/index.js';

await wasmReady;
const [backend = 'wasm', names = 'relu,gelu,tanh,softplus,sigmoid'] = process.argv.slice(2);
setBackend(backend as BackendName);
const x = randn([4 << 20]);
const t = randn([4 << 20]);
const logits = randn([4096, 1000]);
const labels = tensor(
  Int32Array.from({ length: 4096 }, (_, i) => (i * 7919) % 1000),
  { dtype: 'int32' },
);
const fns = F as unknown as Record<string, (...args: unknown[]) => Tensor>;
const SPECIAL: Record<string, () => [Tensor, ...unknown[]]> = {
  softmax: () => [logits, 1],
  logSoftmax: () => [logits, 1],
  softmin: () => [logits, 1],
  crossEntropy: () => [logits, labels],
};
const BINARY_LOSSES = new Set(['mseLoss', 'l1Loss', 'smoothL1Loss', 'huberLoss', 'softMarginLoss']);
for (const spec of names.split(',')) {
  const [name, mode] = spec.split(':');
  const args: [Tensor, ...unknown[]] =
    SPECIAL[name]?.() ?? (BINARY_LOSSES.has(name) ? [x, t] : [x]);
  const bwd = mode === 'bwd';
  const leaf = bwd ? args[0].detach().requiresGrad_() : args[0];
  const times: number[] = [];
  for (let r = 0; r < 15; r++) {
    leaf.grad = null;
    const t0 = performance.now();
    const y = fns[name](leaf, ...args.slice(1));
    if (bwd) (y.size === 1 ? y : y.sum()).backward();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`${backend} ${name} ${bwd ? 'fwd+bwd' : 'fwd'}: median ${times[7].toFixed(2)} ms`);
}
