/**
 * Every public function of `F` (and its `nn` module), in the order the docs
 * list them: the lecture's activations first, then the rest of PyTorch's;
 * the softmax family; the losses; the distances; the dropouts; the
 * normalization layers; padding; linear maps; convolutions; pooling;
 * upsampling.
 */
import type { FunctionEntry } from './define.js';
import * as A from './activations.js';
import * as S from './softmax.js';
import * as L from './losses.js';
import * as D from './distances.js';
import * as R from './dropout.js';
import * as N from './normalization.js';
import * as P from './padding.js';
import * as Li from './linear.js';
import * as Cv from './conv.js';
import * as Po from './pool.js';
import * as U from './upsampling.js';

export const REGISTRY: readonly FunctionEntry[] = [
  A.relu,
  A.rrelu,
  A.leakyRelu,
  A.prelu,
  A.softplus,
  A.elu,
  A.celu,
  A.selu,
  A.gelu,
  A.relu6,
  A.sigmoid,
  A.tanh,
  A.softsign,
  A.hardtanh,
  A.threshold,
  A.tanhshrink,
  A.softshrink,
  A.hardshrink,
  A.logsigmoid,
  A.silu,
  A.mish,
  A.hardsigmoid,
  A.hardswish,
  A.glu,
  A.normalize,
  S.softmin,
  S.softmax,
  S.logSoftmax,
  S.softmax2d,
  S.gumbelSoftmax,
  L.mseLoss,
  L.l1Loss,
  L.smoothL1Loss,
  L.huberLoss,
  L.nllLoss,
  L.crossEntropy,
  L.klDiv,
  L.binaryCrossEntropy,
  L.binaryCrossEntropyWithLogits,
  L.marginRankingLoss,
  L.hingeEmbeddingLoss,
  L.multilabelMarginLoss,
  L.softMarginLoss,
  L.multilabelSoftMarginLoss,
  L.cosineEmbeddingLoss,
  L.multiMarginLoss,
  L.tripletMarginLoss,
  L.tripletMarginWithDistanceLoss,
  L.poissonNllLoss,
  L.gaussianNllLoss,
  L.ctcLoss,
  D.pairwiseDistance,
  D.cosineSimilarity,
  R.dropout,
  R.dropout1d,
  R.dropout2d,
  R.dropout3d,
  R.alphaDropout,
  R.featureAlphaDropout,
  N.layerNorm,
  N.groupNorm,
  N.batchNorm,
  N.instanceNorm,
  N.localResponseNorm,
  P.pad,
  Li.linear,
  Li.bilinear,
  Li.embedding,
  Li.oneHot,
  Cv.conv1d,
  Cv.conv2d,
  Cv.conv3d,
  Cv.convTranspose1d,
  Cv.convTranspose2d,
  Cv.convTranspose3d,
  Cv.unfold,
  Cv.fold,
  Po.maxPool1d,
  Po.maxPool2d,
  Po.maxPool3d,
  Po.avgPool1d,
  Po.avgPool2d,
  Po.avgPool3d,
  Po.maxUnpool1d,
  Po.maxUnpool2d,
  Po.maxUnpool3d,
  Po.adaptiveAvgPool1d,
  Po.adaptiveAvgPool2d,
  Po.adaptiveAvgPool3d,
  Po.adaptiveMaxPool1d,
  Po.adaptiveMaxPool2d,
  Po.adaptiveMaxPool3d,
  Po.lpPool1d,
  Po.lpPool2d,
  U.interpolate,
  U.pixelShuffle,
  U.pixelUnshuffle,
  U.channelShuffle,
];

/** The entry named `name` (nnkit's camelCase name). */
export function entry(name: string): FunctionEntry {
  const e = REGISTRY.find((x) => x.name === name);
  if (!e) throw new Error(`registry: no function named '${name}'`);
  return e;
}

export type { FunctionEntry } from './define.js';
