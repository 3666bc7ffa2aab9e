/** Times one workload's training steps in this process, with the active backend and threads. */
import type { WorkloadConfig } from './config.js';
import { instantiate, makeTrainer } from './build.js';

export interface RunResult {
  /** Median milliseconds per timed step. */
  medianMs: number;
  meanMs: number;
  /** Process CPU time per timed step (all threads); cpuMs / meanMs shows how much CPU the run got. */
  cpuMs: number;
  /** Median milliseconds of the optimizer's `step()` alone, over the timed steps. */
  optimizerMs: number;
  warmup: number;
  steps: number;
  /** The loss of every step, warm-up included (step 1 first). */
  losses: number[];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * Builds the workload from its seed (same initial weights and data every
 * time), runs `warmup` untimed steps, then `steps` timed ones.
 */
export function runWorkload(
  w: WorkloadConfig,
  warmup: number,
  steps: number,
  hooks: { beforeTimed?: () => void; afterTimed?: () => void } = {},
): RunResult {
  const { model, data } = instantiate(w);
  const optimizerMs: number[] = [];
  const step = makeTrainer(w, model, data, optimizerMs);
  const losses: number[] = [];
  const times: number[] = [];
  for (let k = 0; k < warmup; k++) losses.push(step(k));
  hooks.beforeTimed?.();
  optimizerMs.length = 0;
  const cpu0 = process.cpuUsage();
  for (let k = warmup; k < warmup + steps; k++) {
    const t0 = performance.now();
    losses.push(step(k));
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  hooks.afterTimed?.();
  return {
    medianMs: median(times),
    meanMs: times.reduce((s, t) => s + t, 0) / times.length,
    cpuMs: (cpu.user + cpu.system) / 1000 / steps,
    optimizerMs: median(optimizerMs),
    warmup,
    steps,
    losses,
  };
}
