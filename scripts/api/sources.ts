/** Where each registry entry is declared, so generated code can import it by name. */
import { REGISTRY, type FunctionEntry } from '../../src/registry/index.js';
import * as activations from '../../src/registry/activations.js';
import * as softmax from '../../src/registry/softmax.js';
import * as losses from '../../src/registry/losses.js';
import * as distances from '../../src/registry/distances.js';
import * as dropout from '../../src/registry/dropout.js';
import * as normalization from '../../src/registry/normalization.js';
import * as padding from '../../src/registry/padding.js';
import * as linear from '../../src/registry/linear.js';
import * as conv from '../../src/registry/conv.js';
import * as pool from '../../src/registry/pool.js';
import * as upsampling from '../../src/registry/upsampling.js';

export interface SourceFile {
  readonly alias: string;
  readonly path: string;
}

export interface EntrySource {
  readonly entry: FunctionEntry;
  readonly file: SourceFile;
  /** `A.relu`: how generated code refers to the entry. */
  readonly ref: string;
}

const FILES: [SourceFile, Record<string, unknown>][] = [
  [{ alias: 'A', path: 'activations.js' }, activations],
  [{ alias: 'S', path: 'softmax.js' }, softmax],
  [{ alias: 'L', path: 'losses.js' }, losses],
  [{ alias: 'D', path: 'distances.js' }, distances],
  [{ alias: 'R', path: 'dropout.js' }, dropout],
  [{ alias: 'N', path: 'normalization.js' }, normalization],
  [{ alias: 'P', path: 'padding.js' }, padding],
  [{ alias: 'Li', path: 'linear.js' }, linear],
  [{ alias: 'Cv', path: 'conv.js' }, conv],
  [{ alias: 'Po', path: 'pool.js' }, pool],
  [{ alias: 'U', path: 'upsampling.js' }, upsampling],
];

/** Every registry entry in registry order, with the file and export that declare it. */
export function entrySources(): EntrySource[] {
  return REGISTRY.map((entry) => {
    for (const [file, ns] of FILES) {
      for (const [exportName, value] of Object.entries(ns)) {
        if (value === entry) return { entry, file, ref: `${file.alias}.${exportName}` };
      }
    }
    throw new Error(`gen-api: registry entry ${entry.name} is not exported by a registry file`);
  });
}
