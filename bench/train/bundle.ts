/**
 * Hands the initial weights and data to PyTorch: one raw little-endian
 * file of float32 / int32 values and a JSON manifest of where each tensor
 * lies in it, so both sides start from the same bits.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tensor } from '../../src/index.js';
import type { WorkloadConfig } from './config.js';
import { instantiate, stateDict } from './build.js';

export interface TensorRef {
  dtype: 'float32' | 'int32';
  shape: number[];
  /** Byte offset in the data file. */
  offset: number;
}

export interface BundleWorkload {
  config: WorkloadConfig;
  warmup: number;
  steps: number;
  params: Record<string, TensorRef>;
  x: TensorRef[];
  y: TensorRef[];
}

export interface Manifest {
  dataFile: string;
  threads: number[];
  /** Also train this many steps in float64 (1 thread): PyTorch's own float32 error. */
  paritySteps: number;
  workloads: BundleWorkload[];
}

/** Writes `dir/data.bin` and returns the manifest that describes it. */
export function writeBundle(
  dir: string,
  runs: { config: WorkloadConfig; warmup: number; steps: number }[],
  threads: number[],
  paritySteps: number,
): Manifest {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const put = (t: Tensor): TensorRef => {
    if (t.dtype !== 'float32' && t.dtype !== 'int32')
      throw new Error(`bench:train: cannot hand ${t.dtype} tensors to PyTorch`);
    const d = t.contiguous().data;
    const bytes = new Uint8Array(d.buffer, d.byteOffset, d.byteLength).slice();
    chunks.push(bytes);
    const ref: TensorRef = { dtype: t.dtype, shape: [...t.shape], offset };
    offset += bytes.byteLength;
    return ref;
  };
  const workloads = runs.map(({ config, warmup, steps }) => {
    const { model, data } = instantiate(config);
    const params: Record<string, TensorRef> = {};
    for (const [k, v] of Object.entries(stateDict(model))) params[k] = put(v);
    return { config, warmup, steps, params, x: data.x.map(put), y: data.y.map(put) };
  });
  const dataFile = join(dir, 'data.bin');
  writeFileSync(dataFile, Buffer.concat(chunks));
  return { dataFile, threads, paritySteps, workloads };
}
