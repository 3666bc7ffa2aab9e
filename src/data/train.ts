/** The lecture's recipe for imbalanced classes: train balanced, then fine-tune at natural frequencies. */
import { Generator, defaultGenerator } from '../tensor/random.js';
import { BalancedBatchSampler, NaturalBatchSampler, type Labels } from './sampler.js';

/** Where a training step is in the two-phase schedule. */
export interface PhaseStepInfo {
  /** The phase: balanced sampling, or fine-tuning at natural frequencies. */
  phase: 'balanced' | 'fineTune';
  /** Epoch within the phase, from 0. */
  epoch: number;
  /** Minibatch within the epoch, from 0. */
  batch: number;
}

/** One epoch's record. */
export interface PhaseEpochRecord {
  /** The phase the epoch belongs to. */
  phase: 'balanced' | 'fineTune';
  /** Epoch within the phase, from 0. */
  epoch: number;
  /** Mean of the values returned by `step` over the epoch's minibatches. */
  meanLoss: number;
  /** Minibatches in the epoch. */
  batches: number;
}

/** Options of {@link trainBalancedThenFineTune}. */
export interface BalancedThenFineTuneOptions {
  /** Class labels of the training set. */
  labels: Labels;
  /** Runs one training step on the minibatch `indices` and returns its loss. */
  step: (indices: Int32Array, info: PhaseStepInfo) => number;
  /** The balanced phase: epochs and samples per class per minibatch (default 1). */
  balanced: {
    /** Epochs of balanced sampling. */
    epochs: number;
    /** Samples of each class per minibatch (default 1). */
    samplesPerClass?: number;
  };
  /**
   * The fine-tuning phase at natural frequencies: epochs (default 0 = none),
   * minibatch size (default: the balanced phase's batch size) and an optional
   * learning rate that replaces every group's `lr` when the phase starts
   * (requires `optimizer`).
   */
  fineTune?: {
    /** Epochs at natural frequencies (default 0: none). */
    epochs?: number;
    /** Minibatch size (default: the balanced phase's). */
    batchSize?: number;
    /** The learning rate set on every group when the phase starts (requires `optimizer`). */
    lr?: number;
  };
  /** The optimizer whose learning rate the fine-tuning phase may change. */
  optimizer?: {
    /** The groups whose `lr` the fine-tuning phase sets. */
    paramGroups: {
      /** The group's learning rate. */
      lr: number;
    }[];
  };
  /** Called after every epoch. */
  onEpoch?: (record: PhaseEpochRecord) => void;
  /** Random source for both samplers (default: seeded from the global generator). */
  generator?: Generator;
}

/**
 * Trains with a {@link BalancedBatchSampler} (every class equally often, so
 * rare classes are learnt) and then fine-tunes for a few epochs with a
 * {@link NaturalBatchSampler} (so the outputs return to the true class
 * frequencies), as the lecture recommends. The caller's `step` does the
 * forward pass, backward pass and optimizer step.
 *
 * @returns one record per epoch, balanced epochs first.
 * @example
 * ```ts
 * import { F, data, manualSeed, nn, optim, randn, tensor } from 'nnkit';
 * manualSeed(0);
 * const labels = tensor([0, 0, 0, 0, 0, 0, 0, 1], { dtype: 'int32' });
 * const x = randn([8, 2]);
 * const model = new nn.Linear(2, 2);
 * const opt = new optim.SGD(model.parameters(), 0.1);
 * const history = data.trainBalancedThenFineTune({
 *   labels,
 *   optimizer: opt,
 *   balanced: { epochs: 3, samplesPerClass: 2 },
 *   fineTune: { epochs: 1, batchSize: 4, lr: 0.01 },
 *   step: (idx) => {
 *     const batch = tensor(idx, { dtype: 'int32' });
 *     opt.zeroGrad();
 *     const loss = F.crossEntropy(model.forward(x.indexSelect(0, batch)), labels.indexSelect(0, batch));
 *     loss.backward();
 *     opt.step();
 *     return loss.item();
 *   },
 * });
 * console.log(history.map((r) => `${r.phase} ${r.epoch}: ${r.batches} batches`));
 * // [
 * //   'balanced 0: 4 batches',
 * //   'balanced 1: 4 batches',
 * //   'balanced 2: 4 batches',
 * //   'fineTune 0: 2 batches'
 * // ]
 * console.log(opt.paramGroups[0].lr); // 0.01
 * ```
 * @param opts - By name: `labels`, `step`, `balanced` (`{ epochs, samplesPerClass }`), and
 *   optionally `fineTune` (`{ epochs, batchSize, lr }`), `optimizer`, `onEpoch`, `generator`.
 */
export function trainBalancedThenFineTune(opts: BalancedThenFineTuneOptions): PhaseEpochRecord[] {
  const fn = 'trainBalancedThenFineTune';
  const gen = opts.generator ?? new Generator(defaultGenerator.nextUint32());
  const balanced = new BalancedBatchSampler(opts.labels, {
    samplesPerClass: opts.balanced.samplesPerClass ?? 1,
    generator: gen,
  });
  const ftEpochs = opts.fineTune?.epochs ?? 0;
  for (const [name, v] of [
    ['balanced.epochs', opts.balanced.epochs],
    ['fineTune.epochs', ftEpochs],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new Error(`${fn}: ${name} must be a non-negative integer, got ${v}`);
  }
  if (opts.fineTune?.lr !== undefined && !opts.optimizer) {
    throw new Error(`${fn}: fineTune.lr needs the optimizer option`);
  }
  const natural = new NaturalBatchSampler(opts.labels, {
    batchSize: opts.fineTune?.batchSize ?? balanced.batchSize,
    generator: gen,
  });
  const history: PhaseEpochRecord[] = [];
  const run = (
    phase: PhaseEpochRecord['phase'],
    epochs: number,
    sampler: Iterable<Int32Array>,
  ): void => {
    for (let epoch = 0; epoch < epochs; epoch++) {
      let total = 0;
      let batches = 0;
      for (const idx of sampler) total += opts.step(idx, { phase, epoch, batch: batches++ });
      const rec = { phase, epoch, meanLoss: batches ? total / batches : NaN, batches };
      history.push(rec);
      opts.onEpoch?.(rec);
    }
  };
  run('balanced', opts.balanced.epochs, balanced);
  if (ftEpochs > 0 && opts.fineTune?.lr !== undefined && opts.optimizer) {
    for (const g of opts.optimizer.paramGroups) g.lr = opts.fineTune.lr;
  }
  run('fineTune', ftEpochs, natural);
  return history;
}
