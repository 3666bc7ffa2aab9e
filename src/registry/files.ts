/**
 * The registry's files, listed once: each declares entries (`relu`) and their
 * docs (`reluDocs`). The docs map, the generated API's imports and the
 * registry tests walk this list. `REGISTRY` (./index.ts), the entries in the
 * docs' order, imports the files itself: through this object a bundle would
 * keep every file's docs text.
 */
import * as activations from './activations.js';
import * as softmax from './softmax.js';
import * as losses from './losses.js';
import * as distances from './distances.js';
import * as dropout from './dropout.js';
import * as normalization from './normalization.js';
import * as padding from './padding.js';
import * as linear from './linear.js';
import * as conv from './conv.js';
import * as pool from './pool.js';
import * as upsampling from './upsampling.js';

/**
 * Each file's exports by the short name generated code imports it as
 * (`A.relu`); REGISTRY_FILE_NAMES gives its module name.
 */
export const REGISTRY_FILES = {
  A: activations,
  S: softmax,
  L: losses,
  D: distances,
  R: dropout,
  N: normalization,
  P: padding,
  Li: linear,
  Cv: conv,
  Po: pool,
  U: upsampling,
} as const;

/** Each file's module name (its path without `.js`), by short name. */
export const REGISTRY_FILE_NAMES: Readonly<Record<keyof typeof REGISTRY_FILES, string>> = {
  A: 'activations',
  S: 'softmax',
  L: 'losses',
  D: 'distances',
  R: 'dropout',
  N: 'normalization',
  P: 'padding',
  Li: 'linear',
  Cv: 'conv',
  Po: 'pool',
  U: 'upsampling',
};
