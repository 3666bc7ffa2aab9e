/**
 * The training workloads of `npm run bench:train`, as plain data: the same
 * JSON drives the nnkit side (bench/train/build.ts) and the PyTorch side
 * (bench/torch_train.py), and scripts/golden/train.py writes small versions
 * of it for test/train-parity.test.ts.
 */

export type WorkloadId = 'a' | 'b' | 'c' | 'd-full' | 'd-adaptive' | 'e';

/** `Linear, act, Linear, act, …, Linear` over `dims`; or an adaptive softmax head. */
export type ModelConfig =
  | {
      kind: 'mlp';
      dims: number[];
      activation: 'ReLU' | 'GELU' | 'LeakyReLU';
      /** LeakyReLU's slope. */
      negativeSlope?: number;
    }
  | { kind: 'adaptive'; inFeatures: number; nClasses: number; cutoffs: number[] };

export type LossName = 'crossEntropy' | 'mseLoss' | 'adaptive';

export interface OptimizerConfig {
  name: 'Adam' | 'AdamW' | 'SGD';
  lr: number;
  weightDecay: number;
  momentum?: number;
}

/**
 * Where each step's batch comes from; the data is a pool of `pool` batches
 * used in turn (full-batch workloads have a pool of one).
 */
export type DataConfig =
  /** The classic 3-arm spiral: `perClass` points per arm, radius 0→1, angle noise σ. */
  | { kind: 'spiral'; perClass: number; classes: number; noise: number }
  /** Inputs uniform in [0, 1), labels uniform over `classes` (MNIST-shaped noise). */
  | { kind: 'classify'; batch: number; features: number; classes: number; pool: number }
  /** y = sin(1.5x) + 0.3x on `n` evenly spaced x in [−3, 3], input and target (n, 1). */
  | { kind: 'regression'; n: number }
  /** Standard-normal inputs, labels with P(k) ∝ 1/(k+1)^s (a Zipf vocabulary). */
  | { kind: 'zipf'; batch: number; features: number; classes: number; s: number; pool: number };

export interface WorkloadConfig {
  id: WorkloadId;
  /** One line for the table. */
  title: string;
  /** `manualSeed` before building the model and the data. */
  seed: number;
  model: ModelConfig;
  loss: LossName;
  optimizer: OptimizerConfig;
  data: DataConfig;
}

/** The five workloads of the issue ((d) twice: full softmax and adaptive softmax), float32. */
export const WORKLOADS: readonly WorkloadConfig[] = [
  {
    id: 'a',
    title: 'spiral MLP 2-100-3, ReLU, 3,000 points full batch, cross-entropy, Adam (weight decay)',
    seed: 1,
    model: { kind: 'mlp', dims: [2, 100, 3], activation: 'ReLU' },
    loss: 'crossEntropy',
    optimizer: { name: 'Adam', lr: 1e-2, weightDecay: 1e-3 },
    data: { kind: 'spiral', perClass: 1000, classes: 3, noise: 0.2 },
  },
  {
    id: 'b',
    title: 'MLP 784-512-512-10, ReLU, batch 128, cross-entropy, Adam',
    seed: 2,
    model: { kind: 'mlp', dims: [784, 512, 512, 10], activation: 'ReLU' },
    loss: 'crossEntropy',
    optimizer: { name: 'Adam', lr: 1e-3, weightDecay: 0 },
    data: { kind: 'classify', batch: 128, features: 784, classes: 10, pool: 4 },
  },
  {
    id: 'c',
    title:
      'deep skinny net 1-16-14-12-10-8-6-5-4-3-1 (10 Linear), LeakyReLU(0.1), 1,024 points, MSE, SGD momentum 0.9',
    seed: 3,
    model: {
      kind: 'mlp',
      dims: [1, 16, 14, 12, 10, 8, 6, 5, 4, 3, 1],
      activation: 'LeakyReLU',
      negativeSlope: 0.1,
    },
    loss: 'mseLoss',
    optimizer: { name: 'SGD', lr: 1e-2, weightDecay: 0, momentum: 0.9 },
    data: { kind: 'regression', n: 1024 },
  },
  {
    id: 'd-full',
    title: '50,000-class head: Linear 64→50,000 + cross-entropy, batch 256 (Zipf targets), Adam',
    seed: 4,
    model: { kind: 'mlp', dims: [64, 50000], activation: 'ReLU' },
    loss: 'crossEntropy',
    optimizer: { name: 'Adam', lr: 1e-3, weightDecay: 0 },
    data: { kind: 'zipf', batch: 256, features: 64, classes: 50000, s: 1.1, pool: 4 },
  },
  {
    id: 'd-adaptive',
    title:
      '50,000-class head: AdaptiveLogSoftmaxWithLoss(64, 50000, [1000, 10000]), batch 256 (Zipf targets), Adam',
    seed: 4,
    model: { kind: 'adaptive', inFeatures: 64, nClasses: 50000, cutoffs: [1000, 10000] },
    loss: 'adaptive',
    optimizer: { name: 'Adam', lr: 1e-3, weightDecay: 0 },
    data: { kind: 'zipf', batch: 256, features: 64, classes: 50000, s: 1.1, pool: 4 },
  },
  {
    id: 'e',
    title: 'MLP 784-512-512-10, GELU, batch 128, cross-entropy, AdamW (weight decay 0.01)',
    seed: 2,
    model: { kind: 'mlp', dims: [784, 512, 512, 10], activation: 'GELU' },
    loss: 'crossEntropy',
    optimizer: { name: 'AdamW', lr: 1e-3, weightDecay: 1e-2 },
    data: { kind: 'classify', batch: 128, features: 784, classes: 10, pool: 4 },
  },
];

/**
 * Steps per run: `warmup` untimed steps, then `steps` timed ones; the
 * losses of the first PARITY_STEPS steps (warm-up and timed alike) are
 * compared with PyTorch's. Sized so that the whole run takes about ten
 * minutes on the 2-core development VM when it is idle (d-full's wasm steps,
 * a 64×50,000 GEMM on four f32x4 lanes, take the longest).
 */
export const STEPS: Record<WorkloadId, { warmup: number; steps: number }> = {
  // The warm-ups cover the start of a fresh process, which the table does
  // not measure: until V8's and glibc's heaps have grown to the working
  // size of the run (garbage tensors return to malloc only at V8's
  // collections), steps fault in new pages and run several times slower.
  // Native, 1 thread, minor page faults and ms per step averaged over
  // blocks of 10 steps (AMD EPYC VM, 2026-12-02): b 69/17.8, 18/8.9,
  // 59/14.2, then 0–3/4.2–4.6 from step 40; e alike to step 40;
  // d-adaptive 67/24.4, 33/11.4, 19/8.9, then 0–1/4.2–5.6; a grows twice,
  // to step 30 and again over steps 70–100 (32/6.3–6.7 ms), then
  // 0–3/0.8–1.2; d-full's first 8 steps take 45–330 ms, then 43–50. With
  // 10 warm-up steps a third of b's 60 timed steps fell in the growth.
  a: { warmup: 120, steps: 200 },
  b: { warmup: 40, steps: 60 },
  // c's steps are short (under a millisecond): after 20 warm-up steps V8
  // was still compiling its hot functions with TurboFan on background
  // threads during the timed steps (75 compilations, doubling the process
  // CPU time per step), so c warms up for as many steps as it times.
  c: { warmup: 300, steps: 300 },
  'd-full': { warmup: 10, steps: 15 },
  'd-adaptive': { warmup: 40, steps: 60 },
  e: { warmup: 40, steps: 60 },
};

/** The number of leading steps whose losses are compared with PyTorch's. */
export const PARITY_STEPS = 20;
