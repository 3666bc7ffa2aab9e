/**
 * The dropout family of `torch.nn`: one entry each, PyTorch's signature and
 * module. The computation is `src/functional/dropout.ts`; every module takes
 * `training` from its mode (`train()` / `eval()`), where `F.*` takes it as an
 * argument (default `true` for the dropouts, `false` for the alpha ones,
 * as in PyTorch).
 */
import * as T from '../signature/types.js';
import { defineFunction, param, type Docs } from './define.js';
import { input, inplace } from './params.js';
import {
  alphaDropoutImpl,
  channelDropout,
  dropoutImpl,
  featureAlphaDropoutImpl,
} from '../functional/dropout.js';

const p = (what: string) =>
  param('p', T.number({ min: 0, max: 1 }), {
    default: 0.5,
    doc: `Probability of ${what} being dropped, in [0, 1].`,
    range: [0, 1],
  });

const training = (def: boolean) =>
  param('training', T.bool, {
    default: def,
    doc: 'Apply dropout (`true`) or return the input unchanged (`false`).',
  });

const RANDOM =
  "The mask is drawn as PyTorch draws it (`bernoulli_(1 − p)`, one double uniform per element or channel), so after the same `manualSeed` it is PyTorch's mask.";

const SCALED =
  'A kept element is `x · fl(1 / fl(1 − p))`, in the input’s dtype, as PyTorch computes it; a dropped one is `x · 0`, so NaN and ±Infinity stay NaN. `p = 0`, `training = false` or an empty input return the input itself; `p = 1` multiplies by zero. The gradient is the upstream gradient times the same mask.';

/**
 * Sentences joined by spaces: the docs that share the sentences above. A bundler keeps a template
 * or a `+` over them, so the docs join them by a call marked pure, which it drops with the docs
 * from a page that does not read them (see src/registry/docs.ts).
 */
const sentences = (...parts: string[]): string => parts.join(' ');

/**
 * The module of a dropout: `(p=0.5, inplace=False)`, `training` from the
 * module's mode. PyTorch's AlphaDropout and FeatureAlphaDropout keep
 * `inplace` (and print it) but never pass it on.
 */
const dropoutModule = (name: string, passesInplace = true) => ({
  name,
  params: ['p', 'inplace'],
  fromMode: 'training',
  ...(passesInplace ? {} : { unforwarded: ['inplace'] }),
  repr: ['p', 'inplace'],
});

/** The golden samples of a dropout, on the input `input` (a Python expression). */
const samples = (input: string) => [
  { inputs: { input }, args: { p: 0.0 } },
  { inputs: { input }, args: { p: 1.0 } },
  { inputs: { input }, args: { p: 0.3, training: false }, positional: 2 },
];

export const dropout = defineFunction({
  name: 'dropout',
  torch: 'torch.nn.functional.dropout',
  category: 'dropout',
  params: [input(), p('an element'), training(true), inplace()],
  impl: dropoutImpl,
  module: dropoutModule('Dropout'),
});

export const dropoutDocs: Docs = {
  summary:
    'Zeroes each element with probability p during training and scales the rest by 1/(1 − p), so the expected value is unchanged.',
  formula: 'dropout(x)ᵢ = mᵢ · xᵢ / (1 − p),  mᵢ ~ Bernoulli(1 − p)',
  details: /* @__PURE__ */ sentences(
    SCALED,
    RANDOM,
    'The module `nn.Dropout` drops only in training mode: call `eval()` before evaluating.',
  ),
  example: `manualSeed(0);
const x = ones([6]);
console.log(F.dropout(x, 0.5).toString()); // tensor([0., 0., 2., 0., 0., 0.])
console.log(F.dropout(x, 0.5, false).toString()); // tensor([1., 1., 1., 1., 1., 1.])`,
  samples: /* @__PURE__ */ samples('randn(4, 3)'),
};

export const alphaDropout = defineFunction({
  name: 'alphaDropout',
  torch: 'torch.nn.functional.alpha_dropout',
  category: 'dropout',
  params: [input(), p('an element'), training(false), inplace()],
  impl: alphaDropoutImpl,
  module: dropoutModule('AlphaDropout', false),
});

export const alphaDropoutDocs: Docs = {
  summary:
    'Dropout for self-normalizing (SELU) networks: dropped elements take SELU’s saturation value, then an affine map restores zero mean and unit variance.',
  formula:
    "alphaDropout(x)ᵢ = a·(mᵢxᵢ + (1 − mᵢ)(−α')) + b,  mᵢ ~ Bernoulli(1 − p),\nα' = λα = 1.7580993408473766,  a = ((1 − p)(1 + pα'²))^(−1/2),  b = α'ap",
  details: /* @__PURE__ */ sentences(
    "Computed as PyTorch does, step by step in the input's dtype: the shift `(m − 1)·α'a + α'ap` and the scale `m·a`, then `x·scale + shift`. `p = 1` multiplies by zero, as PyTorch (no shift).",
    RANDOM,
    "`F.alphaDropout`'s `training` defaults to `false`, as in PyTorch. `nn.AlphaDropout` keeps `inplace` for its repr but, like PyTorch's, never writes in place.",
  ),
  example: `manualSeed(0);
const x = zeros([4]);
console.log(F.alphaDropout(x, 0.5, true).toString()); // tensor([-0.7792, -0.7792,  0.7792, -0.7792])`,
  samples: /* @__PURE__ */ samples('randn(4, 3)'),
};

export const featureAlphaDropout = defineFunction({
  name: 'featureAlphaDropout',
  torch: 'torch.nn.functional.feature_alpha_dropout',
  category: 'dropout',
  params: [input('A `(N, C, …)` tensor.'), p('a channel'), training(false), inplace()],
  impl: featureAlphaDropoutImpl,
  module: dropoutModule('FeatureAlphaDropout', false),
});

export const featureAlphaDropoutDocs: Docs = {
  summary:
    'Alpha dropout of whole channels: one draw per (sample, channel), shared by every element of the channel.',
  formula: 'as alphaDropout, with m of shape (N, C, 1, …, 1)',
  details: /* @__PURE__ */ sentences(
    'Needs at least 2 dimensions when it draws.',
    RANDOM,
    "`F.featureAlphaDropout`'s `training` defaults to `false`, as in PyTorch; `nn.FeatureAlphaDropout` never writes in place, as PyTorch's.",
  ),
  example: `manualSeed(0);
const x = zeros([1, 2, 2]);
console.log(F.featureAlphaDropout(x, 0.5, true).toString());
// tensor([[[-0.7792, -0.7792],
//          [-0.7792, -0.7792]]])`,
  samples: /* @__PURE__ */ samples('randn(2, 3, 2)'),
};

/** The three channel dropouts differ only in how many spatial dimensions follow the channel. */
function channelEntry(spatial: 1 | 2 | 3, shapes: string) {
  return defineFunction({
    name: `dropout${spatial}d`,
    torch: `torch.nn.functional.dropout${spatial}d`,
    category: 'dropout',
    params: [input(`A ${shapes} tensor.`), p('a channel'), training(true), inplace()],
    impl: channelDropout(spatial),
    module: dropoutModule(`Dropout${spatial}d`),
  });
}

/**
 * The docs of a channel dropout. Its callers mark the call pure, so a bundle that never reads the
 * docs drops it (see src/registry/docs.ts).
 */
function channelDocs(
  spatial: 1 | 2 | 3,
  shapes: string,
  sampleInput: string,
  example: string,
): Docs {
  return {
    summary: `Zeroes whole channels of a ${shapes} input with probability p during training and scales the rest by 1/(1 − p).`,
    formula: 'y[n, c, …] = m[n, c] · x[n, c, …] / (1 − p),  m[n, c] ~ Bernoulli(1 − p)',
    details: `${spatial === 2 ? 'Only 4-D inputs: PyTorch 1.13 reads a 3-D input as (N, C, L), not as one (C, H, W) image, with a deprecation warning, and nnkit throws (use `dropout1d`, or `unsqueeze(0)` an image)' : 'An unbatched input (no N) draws one mask value per channel'}. Other ranks throw${spatial === 1 ? ', as in PyTorch' : '; PyTorch 1.13 accepts them with a deprecation warning'}. ${SCALED} ${RANDOM}`,
    example,
    samples: samples(sampleInput),
  };
}

const DROPOUT1D_SHAPES = '`(N, C, L)` or `(C, L)`';
export const dropout1d = channelEntry(1, DROPOUT1D_SHAPES);

export const dropout1dDocs = /* @__PURE__ */ channelDocs(
  1,
  DROPOUT1D_SHAPES,
  'randn(2, 3, 4)',
  `manualSeed(0);
const x = ones([3, 2]);
console.log(F.dropout1d(x, 0.5).toString());
// tensor([[0., 0.],
//         [0., 0.],
//         [2., 2.]])`,
);

const DROPOUT2D_SHAPES = '`(N, C, H, W)`';
export const dropout2d = channelEntry(2, DROPOUT2D_SHAPES);

export const dropout2dDocs = /* @__PURE__ */ channelDocs(
  2,
  DROPOUT2D_SHAPES,
  'randn(2, 3, 2, 2)',
  `manualSeed(0);
const x = ones([1, 3, 1, 2]);
console.log(F.dropout2d(x, 0.5).flatten().toString()); // tensor([0., 0., 0., 0., 2., 2.])`,
);

const DROPOUT3D_SHAPES = '`(N, C, D, H, W)` or `(C, D, H, W)`';
export const dropout3d = channelEntry(3, DROPOUT3D_SHAPES);

export const dropout3dDocs = /* @__PURE__ */ channelDocs(
  3,
  DROPOUT3D_SHAPES,
  'randn(2, 2, 2, 1, 2)',
  `manualSeed(0);
const x = ones([3, 1, 1, 2]);
console.log(F.dropout3d(x, 0.5).flatten().toString()); // tensor([0., 0., 0., 0., 2., 2.])`,
);
