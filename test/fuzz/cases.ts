/**
 * What the fuzz suite calls, and with what: one generator per kind of
 * public entry point. Registry functions and modules are enumerated from
 * `REGISTRY` (each parameter's type and default decide the valid and invalid
 * values drawn for it); tensor methods, creation functions, the layers that
 * are not in the registry, optimizers, samplers, deserialisation and the
 * runtime settings have generators of their own.
 *
 * Each case says what must happen: `ok` (a correct result), `error` (a clear
 * nnkit error, because an argument is invalid for a reason the generator
 * knows independently of nnkit's checks), or `either`.
 */
import { REGISTRY, type FunctionEntry } from '../../src/registry/index.js';
import { moduleShape } from '../../src/registry/define.js';
import type { Param } from '../../src/signature/bind.js';
import { G, caseSeed, generate } from './gen.js';
import { decodeNum, num, type DTypeName, type Fill, type Spec } from './spec.js';
import { containerCase, mhaCase, newMethodCase, type Check } from './cases-extra.js';
import { randomCase } from './cases-random.js';

export type Expect = 'ok' | 'error' | 'either';

export interface Case {
  /** `F.relu`, `F.relu_`, `nn.ReLU`, `T.add`, `fn.cat`, `create.zeros`, `optim.Adam`, ... */
  target: string;
  /** The tensor a method is called on. */
  self?: Spec;
  /** Positional arguments (for modules: of `forward`). */
  args: Spec[];
  /** A module's constructor arguments. */
  ctor?: Spec[];
  expect: Expect;
  /** Why an error is expected. */
  why?: string;
  /** Accepted first words of an error message (the function's names). */
  names: string[];
  /** Back-propagate a Tensor result and compare the inputs' gradients too. */
  backward?: boolean;
  /** Compare a float32 result with the same call in float64. */
  ref?: boolean;
  /**
   * Why the backends' values are not compared (shapes and dtypes still are):
   * unspecified (`empty`), or chaotic (a huge learning rate).
   */
  incomparable?: string;
  /** What test/fuzz/checks.ts verifies about a result (the new methods, attention, containers). */
  check?: Check;
  /** A module's mode for the call (`mha.forward`): training (dropout on) or evaluation. */
  mode?: 'train' | 'eval';
}

// ---- registry functions and modules ----------------------------------------------------

const FUNCTIONS = REGISTRY.filter((e) => e.functional !== false);
const MODULES = REGISTRY.filter((e) => e.module);

/** Valid tensors for an entry's tensor parameters, by name. */
function recipe(g: G, e: FunctionEntry): Record<string, Spec> {
  const f = (
    shape: number[],
    fill: Fill = { k: 'randn', scale: 2 },
    dtype: DTypeName = 'float32',
  ) => g.tensor(shape, dtype, fill);
  const N = g.int(1, 4);
  const C = g.int(1, 5);
  const extra = g.bool(0.25) ? [g.int(1, 3)] : [];
  const batched = g.bool(0.8);
  const xs = batched ? [N, C, ...extra] : [C];
  const cls = (shape: number[]) => f(shape, { k: 'int', lo: 0, hi: C }, 'int32');
  const tShape = batched ? [N, ...extra] : [];
  const D = g.int(1, 4);
  const vec = batched ? [N, D] : [D];
  switch (e.name) {
    case 'prelu': {
      const s = g.shape(4);
      const ch = s.length >= 2 ? s[1] : 1;
      return { input: f(s), weight: f([g.bool() ? 1 : ch], { k: 'rand' }) };
    }
    case 'glu': {
      const s = g.shape(3, 1);
      s[s.length - 1] = 2 * g.int(1, 3);
      return { input: f(s) };
    }
    case 'softmax2d':
      return {
        input: f(
          g
            .shape(4, 3)
            .concat(g.bool() ? [] : [])
            .slice(0, g.pick([3, 4])),
        ),
      };
    case 'gumbelSoftmax':
      return { logits: f(g.shape(3, 1)) };
    // The channel dropouts take (N, C, …) inputs of fixed ranks (or one fewer, unbatched).
    case 'featureAlphaDropout':
      return { input: f(g.shape(4, 2)) };
    case 'dropout1d':
      return { input: f(g.shape(3, 2)) };
    case 'dropout2d':
      return { input: f(g.shape(4, 4)) };
    case 'dropout3d':
      return { input: f(g.shape(5, 4)) };
    case 'mseLoss':
    case 'l1Loss':
    case 'smoothL1Loss':
    case 'huberLoss': {
      const s = g.shape();
      return { input: f(s), target: f(s) };
    }
    case 'softMarginLoss':
    case 'hingeEmbeddingLoss': {
      const s = g.shape();
      return { input: f(s), target: f(s, { k: 'sign' }) };
    }
    case 'klDiv': {
      const s = g.shape();
      return { input: f(s, { k: 'rand', lo: -4, hi: 0 }), target: f(s, { k: 'rand' }) };
    }
    case 'binaryCrossEntropy': {
      const s = g.shape();
      return {
        input: f(s, { k: 'rand', lo: 0.01, hi: 0.99 }),
        target: f(s, { k: 'rand' }),
        ...(g.bool(0.3) ? { weight: f(s, { k: 'rand' }) } : {}),
      };
    }
    case 'binaryCrossEntropyWithLogits': {
      const s = g.shape(3, 1);
      return {
        input: f(s),
        target: f(s, { k: 'rand' }),
        ...(g.bool(0.3) ? { weight: f(s, { k: 'rand' }) } : {}),
        ...(g.bool(0.3) ? { posWeight: f([s[s.length - 1]], { k: 'rand', lo: 0, hi: 3 }) } : {}),
      };
    }
    case 'poissonNllLoss': {
      const s = g.shape();
      return { input: f(s), target: f(s, { k: 'rand', lo: 0, hi: 4 }) };
    }
    case 'multilabelSoftMarginLoss': {
      const s = batched ? [N, C] : [C];
      return {
        input: f(s),
        target: f(s, { k: 'int', lo: 0, hi: 2 }),
        ...(g.bool(0.3) ? { weight: f([C], { k: 'rand' }) } : {}),
      };
    }
    case 'nllLoss':
    case 'crossEntropy': {
      const probs = e.name === 'crossEntropy' && g.bool(0.3);
      return {
        input: f(
          xs,
          e.name === 'nllLoss' ? { k: 'rand', lo: -4, hi: 0 } : { k: 'randn', scale: 2 },
        ),
        target: probs ? f(xs, { k: 'rand' }) : cls(tShape),
        ...(g.bool(0.3) ? { weight: f([C], { k: 'rand' }) } : {}),
      };
    }
    case 'multiMarginLoss':
      return {
        input: f(batched ? [N, C] : [C]),
        target: cls(batched ? [N] : []),
        ...(g.bool(0.3) ? { weight: f([C], { k: 'rand' }) } : {}),
      };
    case 'multilabelMarginLoss':
      return {
        input: f(batched ? [N, C] : [C]),
        target: f(batched ? [N, C] : [C], { k: 'int', lo: -1, hi: C }, 'int32'),
      };
    case 'marginRankingLoss':
      return { input1: f([N]), input2: f([N]), target: f([N], { k: 'sign' }) };
    case 'cosineEmbeddingLoss':
      return {
        input1: f(vec),
        input2: f(vec),
        target: f(batched ? [N] : [], { k: 'sign' }),
      };
    case 'tripletMarginLoss':
    case 'tripletMarginWithDistanceLoss':
      return { anchor: f(vec), positive: f(vec), negative: f(vec) };
    case 'gaussianNllLoss':
      return {
        input: f(vec),
        target: f(vec),
        var: f(g.bool() ? vec : batched ? [N, 1] : [1], { k: 'rand', lo: 0.1, hi: 2 }),
      };
    case 'ctcLoss': {
      const T = g.int(1, 6);
      const S = g.int(1, 3);
      const Cc = g.int(2, 5);
      const lens = Array.from({ length: N }, () => g.int(1, T));
      const tlens = lens.map((l) => g.int(0, Math.min(S, l)));
      return {
        logProbs: f([T, N, Cc], { k: 'rand', lo: -3, hi: 0 }),
        targets: f([N, S], { k: 'int', lo: 1, hi: Cc }, 'int32'),
        inputLengths: g.bool()
          ? { t: 'json', v: lens }
          : { t: 'tensor', shape: [N], dtype: 'int32', fill: { k: 'const', v: lens[0] }, seed: 0 },
        targetLengths: { t: 'json', v: tlens },
      };
    }
    case 'pairwiseDistance':
    case 'cosineSimilarity':
      return { x1: f(vec), x2: f(g.bool(0.8) ? vec : [1, vec[vec.length - 1]]) };
    // Normalization: the trailing sizes, the groups and the running statistics fit the input.
    case 'layerNorm': {
      const s = g.shape(4, 1);
      const ns = s.slice(s.length - g.int(1, s.length));
      return {
        input: f(s),
        normalizedShape: { t: 'json', v: ns },
        ...(g.bool(0.5) ? { weight: f(ns), bias: f(ns) } : {}),
      };
    }
    case 'localResponseNorm':
      return {
        input: f([N, C, g.int(1, 3), ...extra]),
        size: num(g.int(1, 6)),
        ...(g.bool() ? { alpha: num(g.pick([1e-4, 0.5, 2])), k: num(g.pick([1, 2])) } : {}),
      };
    case 'groupNorm': {
      const groups = g.int(1, 3);
      const s = [N, groups * g.int(1, 2), ...extra];
      return {
        input: f(s),
        numGroups: num(groups),
        ...(g.bool(0.5) ? { weight: f([s[1]]), bias: f([s[1]]) } : {}),
      };
    }
    case 'batchNorm': {
      const s = [N + 1, C, ...extra];
      const running = g.bool(0.8);
      return {
        input: f(s),
        runningMean: running ? f([C]) : { t: 'json', v: null },
        runningVar: running ? f([C], { k: 'rand', lo: 0.1, hi: 2 }) : { t: 'json', v: null },
        ...(running ? {} : { training: { t: 'json', v: true } }),
        ...(g.bool(0.5) ? { weight: f([C]), bias: f([C]) } : {}),
      };
    }
    // Pooling: padding at most half the kernel, an input at least one window long.
    case 'maxPool1d':
    case 'maxPool2d':
    case 'maxPool3d':
    case 'avgPool1d':
    case 'avgPool2d':
    case 'avgPool3d': {
      const dims = Number(e.name[e.name.length - 2]);
      const max = e.name.startsWith('max');
      const k = g.int(1, 3);
      const padding = g.int(0, Math.floor(k / 2));
      const dilation = max ? g.int(1, 2) : 1;
      const span = dilation * (k - 1) + 1;
      const size = Array.from({ length: dims }, () =>
        Math.max(1, span - 2 * padding + g.int(0, 4)),
      );
      return {
        input: f([...(g.bool(0.8) ? [g.int(1, 2)] : []), g.int(1, 3), ...size], g.floatFill()),
        kernelSize: num(k),
        stride: g.bool() ? num(g.int(1, 3)) : { t: 'json', v: null },
        padding: num(padding),
        ...(max ? { dilation: num(dilation) } : { countIncludePad: { t: 'json', v: g.bool() } }),
        ceilMode: { t: 'json', v: g.bool() },
        ...(max ? { returnIndices: { t: 'json', v: g.bool() } } : {}),
      };
    }
    // Max unpooling: indices in range for the output (the default size, or one within a stride
    // of it, with or without N and C; an output of no elements takes any), repeats included.
    case 'maxUnpool1d':
    case 'maxUnpool2d':
    case 'maxUnpool3d': {
      const dims = Number(e.name[e.name.length - 2]);
      const k = g.int(1, 3);
      const stride = g.int(1, 3);
      const padding = g.int(0, Math.floor(k / 2));
      const size = Array.from({ length: dims }, () => g.int(1, 4));
      const lead = g.bool(0.8) ? [g.int(0, 2), g.int(1, 3)] : [g.int(0, 3)];
      const def = size.map((n) => (n - 1) * stride - 2 * padding + k);
      const out = g.bool(0.4)
        ? def.map((d) => Math.max(0, d + g.int(1 - stride, stride - 1)))
        : null;
      const plane = (out ?? def).reduce((p, v) => p * v, 1);
      return {
        input: f([...lead, ...size], g.floatFill()),
        indices: f([...lead, ...size], { k: 'int', lo: 0, hi: Math.max(1, plane) }, 'int32'),
        kernelSize: num(k),
        stride: g.bool(0.7)
          ? num(stride)
          : { t: 'json', v: stride === k ? null : new Array<number>(dims).fill(stride) },
        padding: num(padding),
        outputSize: {
          t: 'json',
          v: out && lead.length === 2 && g.bool() ? [...lead, ...out] : out,
        },
      };
    }
    // Adaptive pooling: non-empty sizes, any output size (0, smaller, larger; null keeps a
    // dimension's size in 2-D).
    case 'adaptiveAvgPool1d':
    case 'adaptiveAvgPool2d':
    case 'adaptiveAvgPool3d':
    case 'adaptiveMaxPool1d':
    case 'adaptiveMaxPool2d':
    case 'adaptiveMaxPool3d': {
      const dims = Number(e.name[e.name.length - 2]);
      const size = Array.from({ length: dims }, () => g.int(1, dims === 3 ? 5 : 9));
      const out = size.map((n) => (dims > 1 && g.bool(0.2) ? null : g.int(0, n + 3)));
      const max = e.name.startsWith('adaptiveMax');
      return {
        input: f([...(g.bool(0.8) ? [g.int(1, 2)] : []), g.int(1, 3), ...size], g.floatFill()),
        outputSize:
          out.every((o) => o !== null && o === out[0]) && g.bool()
            ? num(out[0] as number)
            : { t: 'json', v: out },
        ...(max ? { returnIndices: { t: 'json', v: g.bool() } } : {}),
      };
    }
    // Power-average pooling: no padding, so an input at least one window long; non-negative
    // inputs, where a fractional power is defined.
    case 'interpolate': {
      const dims = g.int(1, 3);
      const linear = dims === 1 ? 'linear' : dims === 2 ? 'bilinear' : 'trilinear';
      const mode = g.pick(['nearest', 'nearest-exact', linear, ...(dims < 3 ? ['area'] : [])]);
      const size = Array.from({ length: dims }, () => g.int(1, 5));
      const each = <T>(v: () => T): Spec => ({ t: 'json', v: size.map(v) });
      return {
        input: f([g.int(1, 2), g.int(1, 3), ...size], g.floatFill()),
        ...(g.bool()
          ? { size: g.bool() ? num(g.int(1, 7)) : each(() => g.int(1, 7)) }
          : {
              scaleFactor: g.bool() ? num(g.pick([1, 1.5, 2, 3.3])) : each(() => g.pick([1, 2.5])),
            }),
        mode: { t: 'json', v: mode },
        ...(mode === linear && g.bool() ? { alignCorners: { t: 'json', v: g.bool() } } : {}),
        antialias: { t: 'json', v: false },
      };
    }
    case 'embedding': {
      const rows = g.int(1, 5);
      return {
        input: f(g.shape(3), { k: 'int', lo: 0, hi: rows }, 'int32'),
        weight: f([rows, g.int(1, 4)], g.floatFill()),
        // nnkit has no sparse gradients (its docs say so): a valid call leaves them off.
        sparse: { t: 'json', v: false },
      };
    }
    case 'oneHot': {
      // Indices below numClasses, or numClasses left to infer (a nonempty input can).
      const classes = g.int(1, 5);
      const shape = g.shape(3);
      const infer = shape.every((d) => d > 0) && g.bool();
      return {
        input: f(shape, { k: 'int', lo: 0, hi: classes }, 'int32'),
        numClasses: num(infer ? -1 : classes),
      };
    }
    case 'channelShuffle': {
      const groups = g.int(1, 3);
      return { input: f([N, groups * g.int(1, 2), g.int(1, 3), ...extra]), groups: num(groups) };
    }
    case 'pixelShuffle':
    case 'pixelUnshuffle': {
      const r = g.int(1, 3);
      const [c, h, w] = [g.int(1, 2), g.int(1, 3), g.int(1, 3)];
      const lead = Array.from({ length: g.int(0, 2) }, () => g.int(1, 2));
      return e.name === 'pixelShuffle'
        ? { input: f([...lead, c * r * r, h, w], g.floatFill()), upscaleFactor: num(r) }
        : { input: f([...lead, c, h * r, w * r], g.floatFill()), downscaleFactor: num(r) };
    }
    case 'lpPool1d':
    case 'lpPool2d': {
      const dims = e.name.endsWith('1d') ? 1 : 2;
      const k = g.int(1, 3);
      return {
        input: f(
          [
            ...(g.bool(0.8) ? [g.int(1, 2)] : []),
            g.int(1, 3),
            ...Array.from({ length: dims }, () => k + g.int(0, 4)),
          ],
          g.bool(0.8) ? { k: 'rand', lo: 0, hi: 2 } : g.floatFill(),
        ),
        normType: num(g.pick([1, 1.5, 2, 3])),
        kernelSize: num(k),
        stride: g.bool() ? num(g.int(1, 3)) : { t: 'json', v: null },
        ceilMode: { t: 'json', v: g.bool() },
      };
    }
    // Convolutions: channels divisible by the groups, a kernel no wider than the padded input.
    case 'conv1d':
    case 'conv2d':
    case 'conv3d': {
      const dims = Number(e.name[4]);
      const groups = g.int(1, 2);
      const [cin, cout] = [groups * g.int(1, 2), groups * g.int(1, 2)];
      const kernel = Array.from({ length: dims }, () => g.int(1, 3));
      const dilation = g.int(1, 2);
      const padding = g.int(0, 1);
      const size = kernel.map((k) => dilation * (k - 1) + 1 - 2 * padding + g.int(0, 3));
      const batched = g.bool(0.8);
      return {
        input: f([...(batched ? [g.int(1, 2)] : []), cin, ...size.map((d) => Math.max(d, 1))]),
        weight: f([cout, cin / groups, ...kernel]),
        ...(g.bool() ? { bias: f([cout]) } : {}),
        stride: num(g.int(1, 2)),
        padding: num(padding),
        dilation: num(dilation),
        groups: num(groups),
      };
    }
    // Transposed convolutions: input channels divisible by the groups, an output padding below
    // the stride or the dilation, and padding that leaves every output size at least 1.
    case 'convTranspose1d':
    case 'convTranspose2d':
    case 'convTranspose3d': {
      const dims = Number(e.name[e.name.length - 2]);
      const groups = g.int(1, 2);
      const [cin, perGroup] = [groups * g.int(1, 2), g.int(1, 2)];
      const kernel = Array.from({ length: dims }, () => g.int(1, 3));
      const size = Array.from({ length: dims }, () => g.int(1, 4));
      const stride = g.int(1, 3);
      const dilation = g.int(1, 3);
      const outputPadding = g.int(0, Math.max(stride, dilation) - 1);
      const room = Math.min(
        ...size.map((s, i) => (s - 1) * stride + dilation * (kernel[i] - 1) + outputPadding),
      );
      const batched = g.bool(0.8);
      return {
        input: f([...(batched ? [g.bool(0.1) ? 0 : g.int(1, 2)] : []), cin, ...size]),
        weight: f([cin, perGroup, ...kernel]),
        ...(g.bool() ? { bias: f([perGroup * groups]) } : {}),
        stride: num(stride),
        padding: num(g.int(0, Math.floor(room / 2))),
        outputPadding: num(outputPadding),
        groups: num(groups),
        dilation: num(dilation),
      };
    }
    // Unfold and fold: windows within the padded planes; fold's columns are the windows unfold cuts.
    case 'unfold':
    case 'fold': {
      const kernel = [g.int(1, 3), g.int(1, 3)];
      const dilation = [g.int(1, 2), g.int(1, 2)];
      const padding = [g.int(0, 2), g.int(0, 2)];
      const stride = [g.int(1, 3), g.int(1, 3)];
      const span = kernel.map((k, i) => dilation[i] * (k - 1) + 1);
      const size = span.map((s, i) => Math.max(1, s - 2 * padding[i] + g.int(0, 4)));
      const geometry = {
        kernelSize: { t: 'json', v: kernel },
        dilation: { t: 'json', v: dilation },
        padding: { t: 'json', v: padding },
        stride: { t: 'json', v: stride },
      } as const;
      const lead = g.bool(0.8) ? [g.int(0, 2)] : [];
      const c = g.int(1, 3);
      if (e.name === 'unfold')
        return { input: f([...lead, c, ...size], g.floatFill()), ...geometry };
      const windows = size.map(
        (s, i) => Math.floor((s + 2 * padding[i] - span[i]) / stride[i]) + 1,
      );
      return {
        input: f([...lead, c * kernel[0] * kernel[1], windows[0] * windows[1]], g.floatFill()),
        outputSize: { t: 'json', v: size },
        ...geometry,
      };
    }
    // Linear maps: the weight's and bias's shapes fit the input's last dimension.
    case 'linear': {
      const s = g.shape(4, 1);
      const out = g.int(0, 4);
      return {
        input: f(s),
        weight: f([out, s[s.length - 1]]),
        ...(g.bool() ? { bias: f([out]) } : {}),
      };
    }
    case 'bilinear': {
      const lead = g.shape(3, 0);
      const [in1, in2, out] = [g.int(0, 4), g.int(0, 4), g.int(0, 4)];
      return {
        input1: f([...lead, in1]),
        input2: f([...lead, in2]),
        weight: f([out, in1, in2]),
        ...(g.bool() ? { bias: f([out]) } : {}),
      };
    }
    // Padding: amounts each mode accepts for the input (reflect < size, circular ≤ size).
    case 'pad': {
      const mode = g.pick(['constant', 'reflect', 'replicate', 'circular'] as const);
      const dims = g.int(1, 3);
      const s =
        mode === 'constant' ? g.shape(4, dims) : g.shape(dims + 2, dims + 1).map((d) => d + 1);
      const amount = (n: number): number =>
        mode === 'constant'
          ? g.int(-Math.floor(n / 2), 3) // two negative amounts crop at most n
          : g.int(0, mode === 'reflect' ? n - 1 : mode === 'circular' ? n : 4);
      const pad = s
        .slice(s.length - Math.min(dims, s.length))
        .reverse()
        .flatMap((n) => [amount(n), amount(n)]);
      return {
        input: f(s),
        pad: { t: 'json', v: pad },
        mode: { t: 'json', v: mode },
        value: { t: 'json', v: mode === 'constant' && g.bool() ? g.float(-2, 2) : null },
      };
    }
    case 'instanceNorm': {
      const s = [N, C, 1 + g.int(1, 3), ...extra];
      const running = g.bool(0.5);
      return {
        input: f(s),
        ...(running
          ? { runningMean: f([C]), runningVar: f([C], { k: 'rand', lo: 0.1, hi: 2 }) }
          : {}),
        // Without running statistics the input's own must normalise it.
        useInputStats: { t: 'json', v: !running || g.bool(0.7) },
        ...(g.bool(0.5) ? { weight: f([C]), bias: f([C]) } : {}),
      };
    }
    default: {
      // Pointwise activations and the softmax family: any shape, 0-d included.
      return { [e.params[0].name]: f(g.shape(4), g.floatFill()) };
    }
  }
}

/** The allowed strings of a `'a' | 'b'` union type. */
function unionStrings(p: Param): string[] {
  return [...p.type.ts.matchAll(/'([^']*)'/g)].map((m) => m[1]);
}

/** A valid value for a non-tensor parameter (given the input's rank for dims). */
function validValue(g: G, e: FunctionEntry, p: Param, rank: number): Spec | null {
  const py = p.type.py;
  if (p.name === 'dim') return num(g.int(-Math.max(rank, 1), Math.max(rank, 1) - 1));
  if (p.name === 'inplace') return { t: 'json', v: g.bool(0.3) };
  if (p.name === 'distanceFunction')
    return g.bool() ? { t: 'fn', name: 'pairwise' } : { t: 'json', v: null };
  if (e.name === 'multiMarginLoss' && p.name === 'p') return num(g.pick([1, 2]));
  if (e.name === 'ctcLoss' && p.name === 'blank') return num(0);
  if (e.name === 'rrelu' && (p.name === 'lower' || p.name === 'upper')) return null;
  if (e.name === 'hardtanh' && (p.name === 'minVal' || p.name === 'maxVal')) return null;
  if (e.name === 'nllLoss' || e.name === 'crossEntropy') {
    if (p.name === 'ignoreIndex') return num(g.pick([-100, 0, 1, -1]));
  }
  if (py === 'float') {
    const [lo, hi] = p.range ?? [0, 2];
    return num(Math.round(g.float(lo, hi) * 1000) / 1000);
  }
  if (py === 'int') return num(g.int(0, 3));
  if (py === 'bool') return { t: 'json', v: g.bool() };
  if (py === 'str' || py === 'torch.dtype' || py === 'Optional[torch.dtype]') {
    const opts = unionStrings(p);
    if (py.startsWith('Optional') && g.bool(0.4)) return { t: 'json', v: null };
    return opts.length ? { t: 'json', v: g.pick(opts) } : null;
  }
  if (py.startsWith('Optional')) return { t: 'json', v: null };
  return null;
}

/** A value that is invalid for `p` whatever nnkit's own checks say (wrong JS type), or null. */
function wrongType(g: G, p: Param): Spec | null {
  const py = p.type.py;
  const optional = py.startsWith('Optional');
  const pickNonNull = (s: Spec): Spec | null =>
    optional && s.t === 'json' && s.v === null ? null : s;
  if (py === 'float' || py === 'int') return pickNonNull(g.notNumber());
  if (py === 'bool')
    return g.pick<Spec>([num(1), num(0), { t: 'json', v: 'true' }, { t: 'json', v: null }]);
  if (py === 'str')
    return g.pick<Spec>([{ t: 'json', v: 'bogus' }, num(1), { t: 'json', v: null }]);
  if (py === 'Tensor' || py === 'Optional[Tensor]') return pickNonNull(g.notTensor());
  if (py.includes('torch.dtype'))
    return g.pick<Spec>([{ t: 'json', v: 'int64' }, { t: 'json', v: 'float16' }, num(32)]);
  return null;
}

function entryCase(g: G, e: FunctionEntry, asModule: boolean, inplaceVariant: boolean): Case {
  const tensors = recipe(g, e);
  const params = e.params;
  const first = tensors[params[0].name];
  const rank = first && first.t === 'tensor' ? first.shape.length : 1;
  const values: Record<string, Spec> = { ...tensors };
  for (const p of params) {
    if (p.name in values || p.type.py === 'Tensor') continue;
    const required = !Object.prototype.hasOwnProperty.call(p, 'default');
    if (required || g.bool(0.4)) {
      let v = validValue(g, e, p, rank);
      // A drawn value outside the parameter's declared range is left out (the default applies).
      if (
        v &&
        (v.t === 'num' || v.t === 'json') &&
        p.type.validate(v.t === 'num' ? decodeNum(v.v) : v.v)
      )
        v = null;
      if (v) values[p.name] = v;
      else if (required) values[p.name] = num(g.float(-1, 1));
    }
  }
  // Parameters whose valid values depend on the inputs.
  if (e.name === 'glu' && first?.t === 'tensor' && values.dim?.t === 'num') {
    const d = Number(values.dim.v);
    const k = d < 0 ? d + first.shape.length : d;
    first.shape[k] = 2 * Math.max(1, Math.ceil(first.shape[k] / 2));
  }
  // A `dim` (given, or its default) out of range for the input is refused, as PyTorch refuses
  // it: for a valid call, pick one in range (a 0-d input has dims 0 and -1, as in PyTorch).
  const dimParam = e.params.find((p) => p.name === 'dim' && p.type.ts === 'number');
  if (dimParam && first?.t === 'tensor' && !(values.dim && values.dim.t !== 'num')) {
    const given = values.dim ? Number(values.dim.v) : (dimParam.default as number | undefined);
    const m = Math.max(first.shape.length, 1);
    if (given !== undefined && given !== null && (given < -m || given >= m))
      values.dim = num(g.int(-m, m - 1));
  }
  if (
    e.name === 'crossEntropy' &&
    values.target?.t === 'tensor' &&
    values.target.dtype !== 'int32'
  ) {
    delete values.ignoreIndex;
  }
  if (inplaceVariant) delete values.inplace;
  let expect: Expect = 'ok';
  let why: string | undefined;
  const either = (): void => {
    if (expect === 'ok') expect = 'either';
  };
  const error = (reason: string): void => {
    expect = 'error';
    why = reason;
  };
  // Gradients: most floating tensors require grad.
  const wantGrad = g.bool(0.7);
  for (const v of Object.values(values)) {
    if (v.t === 'tensor' && v.dtype !== 'int32' && wantGrad && g.bool(0.8)) v.grad = true;
  }
  // ---- mutations
  const tensorNames = Object.keys(values).filter((k) => values[k].t === 'tensor');
  const optionParams = params.filter(
    (p) => p.type.py !== 'Tensor' && !(inplaceVariant && p.name === 'inplace'),
  );
  // One mutation at most, so that what makes a case invalid is known.
  const mutations = g.bool(0.35) ? 1 : 0;
  for (let m = 0; m < mutations; m++) {
    const kind = g.int(0, 12);
    const tn = tensorNames.length ? g.pick(tensorNames) : null;
    const ts = tn ? (values[tn] as Extract<Spec, { t: 'tensor' }>) : null;
    if (kind === 0 && optionParams.length) {
      const p = g.pick(optionParams);
      const w = wrongType(g, p);
      if (w) {
        values[p.name] = w;
        error(`${p.name} of the wrong type`);
      }
    } else if (kind === 1) {
      const numeric = optionParams.filter((q) => q.type.py === 'float' || q.type.py === 'int');
      if (numeric.length) {
        values[g.pick(numeric).name] = num(g.oddNumber());
        either();
      }
    } else if (kind === 2) {
      values.bogusOption = num(1);
      error('an unknown option');
    } else if (kind === 3 && ts) {
      ts.dtype = g.dtype();
      if (ts.dtype === 'int32') ts.grad = false;
      either();
    } else if (kind === 4 && ts) {
      ts.shape = g.shape();
      either();
    } else if (kind === 5 && ts && ts.dtype !== 'int32') {
      ts.fill = g.pick<Fill>([
        { k: 'special' },
        { k: 'const', v: 'NaN' },
        { k: 'const', v: 'Infinity' },
      ]);
      either();
    } else if (kind === 6 && ts && ts.dtype === 'int32' && ts.fill.k === 'int') {
      const bad = g.pick([ts.fill.hi, ts.fill.hi + 7, 2 ** 31 - 1, -(2 ** 31), -2, -101]);
      ts.fill = { k: 'const', v: bad };
      either();
    } else if (kind === 7 && tensorNames.length) {
      const huge = g.hugeEmptyShape();
      for (const k of tensorNames) {
        const v = values[k];
        if (v && v.t === 'tensor') v.shape = [...huge];
      }
      either();
    } else if (kind === 8 && ts) {
      ts.shape = [];
      either();
    } else if (kind === 9 && tn) {
      const optional = params.find((p) => p.name === tn)?.type.py.startsWith('Optional');
      let bad = g.notTensor();
      if (optional && bad.t === 'json' && bad.v === null) bad = { t: 'json', v: 'x' };
      values[tn] = bad;
      // PReLU's module creates its own weight: a bad one is never passed.
      if (asModule && e.name === 'prelu' && tn === 'weight') either();
      // CTC's lengths may be arrays of integers, as PyTorch takes lists: [1, 2, 3] is
      // valid where the batch has 3 sequences that long (seed 20261201, case 14097).
      else if (
        e.name === 'ctcLoss' &&
        tn.endsWith('Lengths') &&
        bad.t === 'json' &&
        Array.isArray(bad.v)
      )
        either();
      else error(`${tn} is not a Tensor`);
    } else if (
      kind === 10 &&
      tn &&
      !params.find((p) => p.name === tn)?.type.py.startsWith('Optional')
    ) {
      delete values[tn];
      error(`${tn} is missing`);
    } else if (kind === 11 && ts && ts.dtype !== 'int32') {
      ts.nonLeaf = false;
      ts.grad = true;
      if (params.some((p) => p.name === 'inplace')) {
        if (inplaceVariant || asModule) {
          either();
        } else {
          values.inplace = { t: 'json', v: true };
          // A dropout that draws nothing (p = 0, evaluation, no elements) writes nothing and
          // returns its input, as PyTorch's does, so it may accept a leaf.
          if (tn === params[0].name && e.category !== 'dropout')
            error('in place on a leaf that requires grad');
          else either();
        }
      }
    } else if (kind === 12 && ts) {
      ts.fill = { k: 'const', v: g.pick([0, -0, 1e30, -1e30]) };
      either();
    }
  }
  // In place on a leaf that requires grad is an error; make the first input a non-leaf unless
  // the mutation above asked for exactly that.
  const firstSpec = values[params[0].name];
  const inplace =
    inplaceVariant || (values.inplace && values.inplace.t === 'json' && values.inplace.v === true);
  if (
    inplace &&
    firstSpec &&
    firstSpec.t === 'tensor' &&
    firstSpec.grad &&
    why !== 'in place on a leaf that requires grad'
  ) {
    firstSpec.nonLeaf = true;
  }
  // ---- binding: positional up to a random point, the rest by name
  const names = asModule
    ? [e.module!.name, `${e.module!.name}.forward`, e.name]
    : inplaceVariant
      ? [`${e.name}_`, e.name]
      : [e.name];
  if (asModule) {
    return moduleCase(g, e, values, expect, why, names);
  }
  const sigParams = inplaceVariant ? params.filter((p) => p.name !== 'inplace') : params;
  const positional: Spec[] = [];
  const named: Record<string, Spec> = {};
  let cut = g.int(0, sigParams.length);
  // Keyword-only parameters cannot be positional.
  const firstKw = sigParams.findIndex((p) => p.kwOnly);
  if (firstKw >= 0) cut = Math.min(cut, firstKw);
  sigParams.forEach((p, i) => {
    if (!(p.name in values)) {
      if (i < cut) cut = i;
      return;
    }
    if (i < cut) positional.push(values[p.name]);
    else named[p.name] = values[p.name];
  });
  for (const k of Object.keys(values))
    if (!sigParams.some((p) => p.name === k)) named[k] = values[k];
  const args = [...positional];
  if (Object.keys(named).length || g.bool(0.1)) args.push({ t: 'opts', v: named });
  if (g.bool(0.03)) {
    args.push(num(1), num(2), num(3), num(4), num(5), num(6), num(7), num(8), num(9));
    error('too many positional arguments');
  }
  // An empty tensor is an edge case that PyTorch itself refuses in places (argmax over nothing).
  const empty = Object.values(values).some((v) => v.t === 'tensor' && v.shape.includes(0));
  if (empty && expect === 'ok') expect = 'either';
  const pointwise = e.pointwise === true || e.category === 'softmax';
  return {
    target: `F.${e.name}${inplaceVariant ? '_' : ''}`,
    args,
    expect,
    why,
    names,
    backward: true,
    ref: pointwise && expect === 'ok' && e.name !== 'rrelu' && e.name !== 'gumbelSoftmax',
  };
}

function moduleCase(
  g: G,
  e: FunctionEntry,
  values: Record<string, Spec>,
  expect: Expect,
  why: string | undefined,
  names: string[],
): Case {
  const spec = e.module!;
  const tensorInputs =
    spec.inputs ??
    e.params
      .filter((p) => p.type.py === 'Tensor' && !Object.prototype.hasOwnProperty.call(p, 'default'))
      .map((p) => p.name);
  const fwd = tensorInputs.filter((n) => n in values).map((n) => values[n]);
  if (fwd.length < tensorInputs.length) {
    expect = 'error';
    why = why ?? 'a forward input is missing';
  }
  // PReLU makes its own weight: a mutation of the function's weight does not reach the module.
  if (e.name === 'prelu' && expect === 'error' && why?.startsWith('weight ')) {
    expect = 'either';
    why = undefined;
  }
  const ctorNamed: Record<string, Spec> = {};
  const ctorParams = new Set(moduleShape(e).signature.params.map((p) => p.name));
  for (const [k, v] of Object.entries(values)) {
    if (tensorInputs.includes(k)) continue;
    // Function-only options (the softmax family's dtype) are not the module's; a bogus key stays.
    if (!ctorParams.has(k) && k !== 'bogusOption') {
      // The mutation that made the call invalid was on an option the module does not take.
      if (expect === 'error' && why?.startsWith(`${k} `)) {
        expect = 'either';
        why = undefined;
      }
      continue;
    }
    if (e.name === 'prelu' && k === 'weight') continue;
    if (spec.fromMode === k) continue;
    ctorNamed[k] = v;
  }
  if (e.name === 'groupNorm') {
    const input = values.input;
    // GroupNorm's own numChannels: the input's channels, which its weight and bias have.
    ctorNamed.numChannels = num(input && input.t === 'tensor' ? (input.shape[1] ?? 1) : 1);
  }
  if (e.name === 'prelu') {
    const input = values.input;
    const ch = input && input.t === 'tensor' && input.shape.length >= 2 ? input.shape[1] : 1;
    // nnkit refuses numParameters 0 (PyTorch builds an empty weight): docs/errors.md.
    if (g.bool()) ctorNamed.numParameters = num(g.bool() || ch === 0 ? 1 : ch);
  }
  return {
    target: `nn.${spec.name}`,
    ctor: Object.keys(ctorNamed).length || g.bool(0.2) ? [{ t: 'opts', v: ctorNamed }] : [],
    args: fwd,
    expect,
    why,
    names,
    backward: true,
  };
}

// ---- tensor methods and free functions ------------------------------------------------------

const UNARY_METHODS = [
  'neg',
  'abs',
  'exp',
  'expm1',
  'log',
  'log1p',
  'sqrt',
  'sign',
  'floor',
  'reciprocal',
  'square',
  'sigmoid',
  'tanh',
  'relu',
];
const BINARY_METHODS = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'lt',
  'le',
  'gt',
  'ge',
  'eq',
  'ne',
];
const REDUCE_METHODS = ['sum', 'mean', 'amax', 'amin', 'logsumexp'];

function methodCase(g: G): Case {
  const dtype = g.bool(0.8) ? 'float32' : g.dtype();
  const shape = g.bool(0.05) ? g.hugeEmptyShape() : g.shape();
  const self: Extract<Spec, { t: 'tensor' }> = {
    t: 'tensor',
    shape,
    dtype,
    fill: g.floatFill(),
    seed: g.seed(),
  };
  if (dtype !== 'int32' && g.bool(0.6)) self.grad = true;
  const rank = shape.length;
  const dimArg = (): Spec =>
    g.bool(0.85)
      ? num(g.int(-Math.max(rank, 1), Math.max(rank, 1) - 1))
      : g.bool()
        ? num(g.pick([rank + 1, -rank - 2, 1.5, NaN]))
        : g.notNumber();
  const kind = g.int(0, 9);
  const make = (
    name: string,
    args: Spec[],
    expect: Expect = 'either',
    why?: string,
    names = [name],
  ): Case => ({
    target: `T.${name}`,
    self,
    args,
    expect,
    why,
    names,
    backward: true,
  });
  switch (kind) {
    case 0: {
      const name = g.pick(UNARY_METHODS);
      return make(name, g.bool(0.05) ? [num(1)] : []);
    }
    case 1: {
      const name = g.pick(BINARY_METHODS);
      const r = g.int(0, 3);
      if (r === 0) return make(name, [num(g.bool() ? g.float(-3, 3) : g.oddNumber())]);
      if (r === 1) return make(name, [g.notNumber()], 'error', 'other is not a Tensor or number');
      let otherShape = g.bool(0.6) ? shape.slice(g.int(0, shape.length)) : g.shape();
      // The trailing dims of a huge empty shape can be huge and not empty ([2^26] of [2^26, 0,
      // 2^26]): too big to build; broadcast a one-element or empty operand instead.
      if (otherShape.reduce((p, d) => p * d, 1) > 1 << 16) otherShape = g.pick([[1], [0]]);
      const other: Spec = {
        t: 'tensor',
        shape: otherShape,
        dtype: g.bool(0.8) ? dtype : g.dtype(),
        fill: g.floatFill(),
        seed: g.seed(),
        grad: g.bool(0.3),
      };
      if ((other as { dtype: string }).dtype === 'int32')
        (other as { grad?: boolean }).grad = false;
      return make(name, [other]);
    }
    case 2: {
      const name = g.pick(REDUCE_METHODS);
      const args: Spec[] = [];
      if (g.bool(0.7) || name === 'logsumexp')
        args.push(g.bool(0.2) ? { t: 'json', v: [0, -1] } : dimArg());
      if (g.bool(0.4)) args.push(g.bool(0.9) ? { t: 'json', v: g.bool() } : num(1));
      return make(name, args);
    }
    case 3: {
      const name = g.pick(['max', 'min', 'argmax']);
      return make(
        name,
        name === 'argmax' && g.bool(0.3)
          ? []
          : [dimArg(), ...(g.bool() ? [{ t: 'json', v: g.bool() } as Spec] : [])],
      );
    }
    case 4: {
      const name = g.pick(['reshape', 'view', 'expand']);
      const size = shape.reduce((p, d) => p * d, 1);
      const target =
        name === 'expand'
          ? [g.int(1, 3), ...shape.map((d) => (d === 1 ? g.int(1, 3) : g.bool(0.2) ? -1 : d))]
          : g.pick([
              [size],
              [-1],
              [...shape].reverse(),
              [size, 1],
              g.shape(),
              [-1, -1],
              [1.5],
              [-2, -size],
            ]);
      return make(
        name,
        g.bool() ? [{ t: 'json', v: target }] : target.map((d) => num(d)),
        'either',
        undefined,
        name === 'view' ? ['view', 'reshape'] : [name],
      );
    }
    case 5: {
      const name = g.pick([
        'flatten',
        'unsqueeze',
        'squeeze',
        'transpose',
        'permute',
        't',
        'narrow',
        'select',
        'unfold',
        'chunk',
      ]);
      switch (name) {
        case 'flatten':
          return make(name, g.bool() ? [] : [dimArg(), dimArg()]);
        case 'unsqueeze':
          return make(name, [num(g.int(-rank - 2, rank + 1))]);
        case 'squeeze':
          return make(name, g.bool() ? [] : [dimArg()]);
        case 'transpose':
          return make(name, [dimArg(), dimArg()]);
        case 'permute': {
          const perm = shape.map((_, i) => i).sort(() => (g.bool() ? 1 : -1));
          if (g.bool(0.2)) perm.push(0);
          return make(name, [{ t: 'json', v: perm }]);
        }
        case 't':
          return make(name, []);
        case 'narrow':
          return make(name, [dimArg(), num(g.int(-2, 3)), num(g.int(-1, 4))]);
        case 'select':
          return make(name, [dimArg(), num(g.pick([0, 1, -1, 3, -4, 1.5]))]);
        case 'unfold':
          return make(name, [dimArg(), num(g.int(-1, 4)), num(g.pick([1, 2, 3, 0, -1, 1.5]))]);
        default:
          return make(name, [num(g.pick([1, 2, 3, 0, -1, 1.5])), ...(g.bool() ? [dimArg()] : [])]);
      }
    }
    case 6: {
      const name = g.pick([
        'clone',
        'to',
        'float',
        'double',
        'int',
        'detach',
        'contiguous',
        'clamp',
      ]);
      if (name === 'to')
        return make(name, [
          { t: 'json', v: g.pick(['float32', 'float64', 'int32', 'int64', 'float16', null]) },
        ]);
      if (name === 'clamp')
        return make(name, [
          g.bool(0.8) ? num(g.float(-2, 0)) : g.bool() ? { t: 'undef' } : g.notNumber(),
          g.bool(0.8) ? num(g.float(0, 2)) : num(g.oddNumber()),
        ]);
      return make(name, []);
    }
    case 7: {
      const name = g.pick(['gather', 'indexSelect', 'maskedFill', 'where']);
      const d = g.int(0, Math.max(rank - 1, 0));
      const size = rank ? shape[d] : 1;
      if (name === 'gather') {
        const idxShape = shape.map((s, i) => (i === d ? g.int(0, 4) : g.int(0, Math.min(s, 5))));
        return make(name, [
          num(d),
          {
            t: 'tensor',
            shape: idxShape,
            dtype: g.bool(0.9) ? 'int32' : 'float32',
            fill: { k: 'int', lo: g.bool(0.9) ? 0 : -1, hi: size + (g.bool(0.1) ? 1 : 0) },
            seed: g.seed(),
          },
        ]);
      }
      if (name === 'indexSelect') {
        return make(name, [
          num(d),
          {
            t: 'tensor',
            shape: [g.int(0, 4)],
            dtype: g.bool(0.9) ? 'int32' : 'float64',
            fill: { k: 'int', lo: 0, hi: size + (g.bool(0.1) ? 2 : 0) },
            seed: g.seed(),
          },
        ]);
      }
      const mask: Spec = {
        t: 'tensor',
        shape: g.bool(0.8) ? shape : g.shape(),
        dtype: g.bool(0.8) ? 'int32' : 'float32',
        fill: { k: 'int', lo: 0, hi: 2 },
        seed: g.seed(),
      };
      return make(name, [
        mask,
        g.bool(0.8) ? num(g.float(-1, 1)) : g.bool() ? num(g.oddNumber()) : g.notNumber(),
      ]);
    }
    case 8: {
      const last = shape.length ? shape[shape.length - 1] : 1;
      const k = last > 8 ? 0 : last;
      const otherShape = g.bool(0.7) ? [g.bool(0.9) ? k : k + 1, g.int(0, 4)] : g.shape();
      return make('matmul', [
        {
          t: 'tensor',
          shape: otherShape,
          dtype: g.bool(0.9) ? dtype : g.dtype(),
          fill: g.floatFill(),
          seed: g.seed(),
        },
      ]);
    }
    default: {
      const name = g.pick([
        'item',
        'toArray',
        'toString',
        'numel',
        'dim',
        'dimSize',
        'backward',
        'requiresGrad_',
        'retainGrad',
        'toJSON',
        'setGrad',
      ]);
      if (name === 'dimSize') return make(name, [dimArg()]);
      if (name === 'requiresGrad_')
        return make(
          name,
          g.bool() ? [] : [g.bool(0.7) ? { t: 'json', v: g.bool() } : g.notNumber()],
        );
      if (name === 'backward') {
        const grad: Spec = g.pick<Spec>([
          { t: 'undef' },
          num(1),
          { t: 'tensor', shape: [...shape], dtype, fill: { k: 'randn' }, seed: g.seed() },
          { t: 'tensor', shape: [...shape].reverse(), dtype, fill: { k: 'randn' }, seed: g.seed() },
          {
            t: 'tensor',
            shape: [...shape],
            dtype: g.dtype(),
            fill: { k: 'randn' },
            seed: g.seed(),
          },
          g.notTensor(),
        ]);
        return { ...make(name, [grad]), backward: false };
      }
      if (name === 'setGrad') {
        const grad: Spec = g.pick<Spec>([
          { t: 'json', v: null },
          { t: 'tensor', shape: [...shape], dtype, fill: { k: 'randn' }, seed: g.seed() },
          { t: 'tensor', shape: [...shape].reverse(), dtype, fill: { k: 'randn' }, seed: g.seed() },
          {
            t: 'tensor',
            shape: [...shape],
            dtype: g.dtype(),
            fill: { k: 'randn' },
            seed: g.seed(),
          },
          g.notTensor(),
        ]);
        return { ...make(name, [grad], 'either', undefined, ['grad']), backward: false };
      }
      return { ...make(name, []), backward: false };
    }
  }
}

function freeFunctionCase(g: G): Case {
  const name = g.pick(['cat', 'stack', 'where', 'matmul']);
  const shape = g.bool(0.05) ? g.hugeEmptyShape() : g.shape(3, 1);
  const t = (s: number[], dtype: DTypeName = g.bool(0.85) ? 'float32' : g.dtype()): Spec => ({
    t: 'tensor',
    shape: s,
    dtype,
    fill: g.floatFill(),
    seed: g.seed(),
    grad: dtype !== 'int32' && g.bool(0.5),
  });
  if (name === 'cat' || name === 'stack') {
    const n = g.int(0, 3);
    const d = g.int(-shape.length - 1, shape.length);
    const list: Spec[] = Array.from({ length: n }, () => {
      const s = [...shape];
      if (name === 'cat' && s.length && s.every((x) => x <= 8) && g.bool(0.5))
        s[((d % s.length) + s.length) % s.length] = g.int(0, 3);
      return g.bool(0.95) ? t(s) : g.notTensor();
    });
    return {
      target: `fn.${name}`,
      args: [
        g.bool(0.95) ? { t: 'list', v: list } : g.notTensor(),
        g.bool(0.9) ? num(d) : g.notNumber(),
      ],
      expect: 'either',
      names: [name],
      backward: true,
    };
  }
  if (name === 'where') {
    return {
      target: 'fn.where',
      args: [
        t(shape, 'int32'),
        g.bool(0.8) ? t(shape) : num(1),
        g.bool(0.8) ? t(g.bool(0.7) ? shape : g.shape()) : num(0),
      ],
      expect: 'either',
      names: ['where'],
      backward: true,
    };
  }
  const k = shape.some((d) => d > 8) ? 0 : g.int(0, 4);
  const a = g.bool(0.9) ? [...shape.slice(0, -1), k] : g.shape();
  const b = g.bool(0.9) ? [k, g.int(0, 4)] : g.bool() ? [k] : g.shape();
  if (g.bool(0.05))
    return {
      target: 'fn.matmul',
      args: [t([2 ** 16, 0]), t([0, 2 ** 16])],
      expect: 'error',
      why: 'a 2^32-element result',
      names: ['matmul'],
    };
  return {
    target: 'fn.matmul',
    args: [t(a), t(b)],
    expect: 'either',
    names: ['matmul'],
    backward: true,
  };
}

// ---- creation functions ---------------------------------------------------------------------

function sizeArgs(g: G): { args: Spec[]; bad: boolean } {
  const r = g.int(0, 9);
  if (r < 5) {
    const s = g.shape(3);
    return { args: g.bool() ? [{ t: 'json', v: s }] : s.map((d) => num(d)), bad: false };
  }
  if (r === 5) return { args: [{ t: 'json', v: g.hugeEmptyShape() }], bad: false };
  const bad = g.pick<unknown[]>([
    [-1],
    [2, -3],
    [1.5],
    [NaN],
    [2 ** 31, 2 ** 31],
    [2 ** 53],
    ['3'],
    [null],
    [[2, 3]],
    [Infinity],
  ]);
  return { args: [{ t: 'json', v: bad }], bad: true };
}

function creationCase(g: G): Case {
  const name = g.pick([
    'tensor',
    'zeros',
    'ones',
    'empty',
    'full',
    'rand',
    'randn',
    'randint',
    'arange',
    'linspace',
    'zerosLike',
    'onesLike',
    'fullLike',
    'randLike',
    'randnLike',
    'Tensor',
  ]);
  const dtype: Spec = {
    t: 'json',
    v: g.pick(['float32', 'float64', 'int32', 'int64', 'bool', 'float']),
  };
  const opts = (): Spec[] =>
    g.bool(0.6)
      ? [
          {
            t: 'opts',
            v: {
              ...(g.bool(0.8) ? { dtype } : {}),
              ...(g.bool(0.3) ? { requiresGrad: { t: 'json', v: g.bool() } } : {}),
              ...(g.bool(0.05) ? { bogus: num(1) } : {}),
            },
          },
        ]
      : [];
  const c = (args: Spec[], expect: Expect = 'either', why?: string): Case => ({
    target: `create.${name}`,
    args,
    expect,
    why,
    names: [name],
  });
  switch (name) {
    case 'tensor': {
      const r = g.int(0, 5);
      const values: unknown =
        r === 0
          ? g.float(-10, 10)
          : r === 1
            ? Array.from({ length: g.int(0, 5) }, () =>
                g.pick([1, -2, 3.5, 1e40, 3e9, 2 ** 31, -(2 ** 31), 0]),
              )
            : r === 2
              ? [[1, 2], [3, g.bool(0.8) ? 4 : 5], ...(g.bool(0.2) ? [[1]] : [])]
              : r === 3
                ? g.pick([null, 'abc', { a: 1 }, [[1], 2], [NaN], [Infinity]])
                : [];
      const spec: Spec =
        r === 4
          ? {
              t: 'typed',
              kind: g.pick(['Float32Array', 'Int32Array', 'Uint8Array', 'Float64Array'] as const),
              n: g.int(0, 4),
            }
          : { t: 'json', v: values };
      return c([spec, ...opts()]);
    }
    case 'zeros':
    case 'ones':
    case 'empty':
    case 'rand':
    case 'randn': {
      const { args, bad } = sizeArgs(g);
      const made = c(
        [...args, ...opts()],
        bad ? 'error' : 'either',
        bad ? 'a bad size' : undefined,
      );
      return name === 'empty' ? { ...made, incomparable: 'uninitialised memory' } : made;
    }
    case 'full': {
      const { args, bad } = sizeArgs(g);
      const v = g.bool(0.7)
        ? num(g.pick([1, 2.5, -3, 3e9, NaN, Infinity, 2 ** 31]))
        : g.notNumber();
      return c(
        [
          args.length === 1 ? args[0] : { t: 'json', v: args.map((a) => (a as { v: number }).v) },
          v,
          ...opts(),
        ],
        bad ? 'error' : 'either',
        bad ? 'a bad size' : undefined,
      );
    }
    case 'randint': {
      const lo = g.pick([0, -5, 3, 2 ** 31, NaN, 1.5]);
      const hi = g.pick([5, 10, 3, 2 ** 31, 3e9, -1, 0.5]);
      const size: Spec = { t: 'json', v: g.bool(0.9) ? g.shape(2) : g.pick([[-1], null, 'x']) };
      return c(g.bool() ? [num(hi), size, ...opts()] : [num(lo), num(hi), size, ...opts()]);
    }
    case 'arange': {
      const n = (): Spec =>
        g.bool(0.9)
          ? num(g.pick([0, 1, 5, -3, 2.5, 0.1, 3e9, 2 ** 31, NaN, Infinity, 1e15]))
          : g.notNumber();
      const k = g.int(1, 3);
      const args = Array.from({ length: k }, n);
      // A valid arange of hundreds of millions of elements (arange(2.5, 2 ** 31, 5)) is slow, not
      // wrong: keep valid lengths small, leave lengths beyond the typed-array limit to be refused.
      const v = args.map((a) => (a.t === 'num' ? decodeNum(a.v) : NaN));
      const [start, end, step] = k === 1 ? [0, v[0], 1] : [v[0], v[1], k === 3 ? v[2] : 1];
      const count = Math.ceil((end - start) / step);
      if (count > 2 ** 20 && count <= 2 ** 30) args[k === 3 ? 2 : 0] = num(k === 3 ? 1e9 : 5);
      return c([...args, ...opts()]);
    }
    case 'linspace':
      return c([
        num(g.float(-3, 3)),
        num(g.pick([1, 5, NaN, Infinity])),
        g.bool(0.9) ? num(g.pick([0, 1, 5, -1, 1.5, 2 ** 31])) : g.notNumber(),
        ...opts(),
      ]);
    case 'Tensor': {
      const shape = g.bool(0.7)
        ? g.shape(3)
        : g.pick([[-2, -2], [2.5], [2 ** 31], [null], 'abc', [2 ** 53, 0]]);
      const n =
        Array.isArray(shape) &&
        shape.every((d) => typeof d === 'number' && d >= 0 && Number.isInteger(d))
          ? (shape as number[]).reduce((p, d) => p * d, 1)
          : 4;
      return c(
        [
          {
            t: 'typed',
            kind: g.pick(['Float32Array', 'Float64Array', 'Int32Array', 'Uint8Array'] as const),
            n: g.bool(0.8) ? Math.min(n, 1000) : n + 1,
          },
          { t: 'json', v: shape },
        ],
        'either',
        undefined,
      );
    }
    default: {
      const like: Spec = g.bool(0.9)
        ? { t: 'tensor', shape: g.shape(), dtype: g.dtype(), fill: { k: 'randn' }, seed: g.seed() }
        : g.notTensor();
      return c([
        like,
        ...(name === 'fullLike'
          ? [g.bool(0.8) ? num(g.pick([1, 3e9, NaN, 2.5])) : g.notNumber()]
          : []),
        ...opts(),
      ]);
    }
  }
}

// ---- layers, optimizers, samplers, deserialisation, runtime ------------------------------------

function layerCase(g: G): Case {
  const name = g.pick([
    'Linear',
    'ConvTranspose',
    'AdaptiveLogSoftmaxWithLoss',
    'ChebyshevActivation',
    'Sequential',
    'loadStateDict',
    'to',
  ]);
  const fdt: DTypeName = g.bool(0.8) ? 'float32' : g.dtype();
  const inF = g.int(0, 4);
  switch (name) {
    case 'Linear': {
      const ctor: Spec[] = [
        g.bool(0.9) ? num(inF) : g.bool() ? num(-1) : g.notNumber(),
        num(g.int(0, 3)),
      ];
      if (g.bool(0.5))
        ctor.push({
          t: 'opts',
          v: {
            ...(g.bool() ? { bias: { t: 'json', v: g.bool() } } : {}),
            ...(g.bool(0.3)
              ? { dtype: { t: 'json', v: g.pick(['float64', 'int32', 'float16']) } }
              : {}),
            ...(g.bool(0.1) ? { bogus: num(1) } : {}),
          },
        });
      const x: Spec = {
        t: 'tensor',
        shape: [...g.shape(2), g.bool(0.9) ? inF : inF + 1],
        dtype: fdt,
        fill: { k: 'randn' },
        seed: g.seed(),
        grad: fdt !== 'int32' && g.bool(),
      };
      return {
        target: 'nn.Linear',
        ctor,
        args: [x],
        expect: 'either',
        names: ['Linear', 'Linear.forward'],
        backward: true,
      };
    }
    // A transposed convolution module: mostly valid geometry (an output padding sometimes at
    // the limit, a padding mode PyTorch refuses), forward with or without an outputSize near
    // the valid range, given as the spatial sizes or the whole shape.
    case 'ConvTranspose': {
      const dims = g.int(1, 2);
      const groups = g.int(1, 2);
      const [cin, cout] = [groups * g.int(1, 2), groups * g.int(1, 2)];
      const [k, stride, dilation, padding] = [g.int(1, 3), g.int(1, 3), g.int(1, 2), g.int(0, 2)];
      const outputPadding = g.int(0, Math.max(stride, dilation) - (g.bool(0.9) ? 1 : 0));
      const opts: Record<string, Spec> = {
        padding: num(padding),
        outputPadding: num(outputPadding),
        groups: num(groups),
        dilation: num(dilation),
      };
      if (g.bool(0.3)) opts.bias = { t: 'json', v: false };
      if (g.bool(0.05)) opts.paddingMode = { t: 'json', v: 'reflect' };
      const float64 = g.bool(0.2);
      if (float64) opts.dtype = { t: 'json', v: 'float64' };
      const size = Array.from({ length: dims }, () => g.int(1, 4));
      const lead = g.bool(0.8) ? [g.int(0, 2)] : [];
      const x: Spec = {
        t: 'tensor',
        shape: [...lead, g.bool(0.95) ? cin : cin + 1, ...size],
        dtype: float64 ? 'float64' : 'float32',
        fill: { k: 'randn' },
        seed: g.seed(),
        grad: true,
      };
      const args: Spec[] = [x];
      if (g.bool(0.5)) {
        const spatial = size.map(
          (s) => (s - 1) * stride - 2 * padding + dilation * (k - 1) + 1 + g.int(-1, stride),
        );
        const whole = g.bool(0.3) ? [...lead, cout, ...spatial] : spatial;
        args.push(
          g.bool()
            ? { t: 'json', v: whole }
            : { t: 'opts', v: { outputSize: { t: 'json', v: whole } } },
        );
      }
      const name = `ConvTranspose${dims}d`;
      return {
        target: `nn.${name}`,
        ctor: [num(cin), num(cout), num(k), num(stride), { t: 'opts', v: opts }],
        args,
        expect: 'either',
        names: [name, `${name}.forward`, `convTranspose${dims}d`],
        backward: true,
      };
    }
    case 'AdaptiveLogSoftmaxWithLoss': {
      const nc = g.int(2, 12);
      const cutoffs = g.bool(0.8) ? [g.int(1, nc - 1)] : g.pick([[0], [nc], [3, 2], [], [1.5]]);
      const ctor: Spec[] = [num(Math.max(inF, 1)), num(nc), { t: 'json', v: cutoffs }];
      if (g.bool(0.4))
        ctor.push({
          t: 'opts',
          v: {
            ...(g.bool() ? { divValue: num(g.pick([2, 4, 0, -1, NaN])) } : {}),
            ...(g.bool(0.2) ? { bogus: num(1) } : {}),
          },
        });
      const N = g.int(0, 3);
      return {
        target: 'nn.AdaptiveLogSoftmaxWithLoss',
        ctor,
        args: [
          {
            t: 'tensor',
            shape: [N, g.bool(0.9) ? Math.max(inF, 1) : 7],
            dtype: fdt,
            fill: { k: 'randn' },
            seed: g.seed(),
            grad: fdt !== 'int32',
          },
          {
            t: 'tensor',
            shape: [N],
            dtype: g.bool(0.9) ? 'int32' : 'float32',
            fill: { k: 'int', lo: 0, hi: nc + (g.bool(0.1) ? 1 : 0) },
            seed: g.seed(),
          },
        ],
        expect: 'either',
        names: ['AdaptiveLogSoftmaxWithLoss', 'AdaptiveLogSoftmaxWithLoss.forward'],
        backward: true,
      };
    }
    case 'ChebyshevActivation': {
      const opts: Record<string, Spec> = {};
      if (g.bool()) opts.degree = num(g.pick([0, 1, 4, 8, -1, 2.5]));
      if (g.bool()) opts.numParameters = num(g.pick([1, 2, 3, 0]));
      if (g.bool(0.3))
        opts.range = {
          t: 'json',
          v: g.pick([
            [-1, 1],
            [1, -1],
            [0, 0],
            [NaN, 1],
          ]),
        };
      if (g.bool(0.1)) opts.bogus = num(1);
      return {
        target: 'nn.ChebyshevActivation',
        ctor: [{ t: 'opts', v: opts }],
        args: [
          {
            t: 'tensor',
            shape: g.shape(3),
            dtype: fdt,
            fill: g.floatFill(),
            seed: g.seed(),
            grad: fdt !== 'int32',
          },
        ],
        expect: 'either',
        names: ['ChebyshevActivation', 'ChebyshevActivation.forward'],
        backward: true,
      };
    }
    case 'Sequential':
      return {
        target: 'nn.Sequential',
        ctor: [],
        args: [
          {
            t: 'tensor',
            shape: [g.int(0, 3), 3],
            dtype: fdt,
            fill: { k: 'randn' },
            seed: g.seed(),
          },
        ],
        expect: 'either',
        names: ['Sequential', 'Linear', 'Linear.forward', 'relu'],
        backward: true,
      };
    case 'loadStateDict': {
      const entry = (): Spec =>
        g.pick<Spec>([
          { t: 'tensor', shape: [2, 3], dtype: g.dtype(), fill: g.floatFill(), seed: g.seed() },
          { t: 'tensor', shape: [3, 2], dtype: 'float32', fill: { k: 'randn' }, seed: g.seed() },
          { t: 'json', v: null },
          { t: 'undef' },
          {
            t: 'json',
            v: {
              dtype: 'float32',
              shape: [2, 3],
              data: [1, 2, 3, 4, 5, g.pick([6, 'NaN', 'x', null])],
            },
          },
          { t: 'json', v: { dtype: 'int64', shape: [2], data: [1, 2] } },
          g.notTensor(),
        ]);
      const dict: Record<string, Spec> = {};
      if (g.bool(0.9)) dict.weight = entry();
      if (g.bool(0.9))
        dict.bias = g.bool(0.7)
          ? { t: 'tensor', shape: [2], dtype: 'float32', fill: { k: 'randn' }, seed: g.seed() }
          : entry();
      if (g.bool(0.1)) dict.extra = entry();
      return {
        target: 'nn.loadStateDict',
        args: [
          { t: 'opts', v: dict },
          ...(g.bool(0.3)
            ? [
                g.bool(0.8)
                  ? ({ t: 'opts', v: { strict: { t: 'json', v: g.bool() } } } as Spec)
                  : g.notNumber(),
              ]
            : []),
        ],
        expect: 'either',
        names: ['Linear.loadStateDict'],
      };
    }
    default:
      return {
        target: 'nn.to',
        args: [{ t: 'json', v: g.pick(['float64', 'float32', 'int32', 'int64', null, 3]) }],
        expect: 'either',
        names: ['Linear.to'],
      };
  }
}

const OPTIMIZERS = ['SGD', 'Adam', 'AdamW', 'RMSprop'];

function optimCase(g: G): Case {
  const name = g.pick(OPTIMIZERS);
  const opts: Record<string, Spec> = {};
  const keys: Record<string, () => Spec> = {
    lr: () => num(g.pick([0.1, 0.01, 0, -0.1, NaN, Infinity, 1e10])),
    momentum: () => num(g.pick([0, 0.9, -1, NaN])),
    weightDecay: () => num(g.pick([0, 0.01, -1])),
    betas: () => ({
      t: 'json',
      v: g.pick([[0.9, 0.999], [0.9], [1.5, 0.9], [0.9, NaN], 'x', [0.5, 0.5, 0.5]]),
    }),
    eps: () => num(g.pick([1e-8, 0, -1, NaN])),
    alpha: () => num(g.pick([0.99, 0, -1, 2])),
    nesterov: () => ({ t: 'json', v: g.bool() }),
    amsgrad: () => ({ t: 'json', v: g.bool() }),
    centered: () => ({ t: 'json', v: g.bool() }),
    maximize: () => ({ t: 'json', v: g.bool() }),
    bogus: () => num(1),
  };
  const own: Record<string, string[]> = {
    SGD: ['lr', 'momentum', 'weightDecay', 'nesterov', 'maximize'],
    Adam: ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'],
    AdamW: ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'],
    RMSprop: ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize'],
  };
  for (const k of own[name]) if (g.bool(0.3)) opts[k] = g.bool(0.9) ? keys[k]() : g.notNumber();
  if (g.bool(0.05)) opts.bogus = num(1);
  if (name === 'SGD' && opts.nesterov?.t === 'json' && opts.nesterov.v === true)
    opts.momentum = num(0.9);
  const steps = g.int(1, 3);
  const groupPatch: Spec = g.bool(0.3)
    ? {
        t: 'opts',
        v: {
          [g.pick(['lr', 'betas', 'momentum', 'eps', 'weightDecay'])]: g.bool()
            ? g.notNumber()
            : num(g.oddNumber()),
        },
      }
    : { t: 'opts', v: {} };
  const toDtype: Spec = { t: 'json', v: g.bool(0.2) ? 'float64' : null };
  // With lr 1e10 a parameter of 1e11 is the difference of two such numbers after one step: a
  // one-ulp difference in a gradient (the GEMM's summation order, which backends may choose)
  // becomes a different trajectory, as between two BLAS builds of PyTorch (seed 3, case 122731).
  const hugeLr = opts.lr?.t === 'num' && Math.abs(Number(opts.lr.v)) > 1 && steps > 1;
  return {
    target: `optim.${name}`,
    args: [{ t: 'opts', v: opts }, num(steps), groupPatch, toDtype],
    expect: 'either',
    names: [name, `${name}.step`, 'Linear.to'],
    ...(hugeLr ? { incomparable: 'a chaotic trajectory (learning rate above 1)' } : {}),
  };
}

function dataCase(g: G): Case {
  const name = g.pick(['BalancedBatchSampler', 'NaturalBatchSampler']);
  const n = g.int(0, 12);
  const labels: Spec = g.pick<Spec>([
    {
      t: 'tensor',
      shape: [n],
      dtype: 'int32',
      fill: { k: 'int', lo: 0, hi: g.int(1, 4) },
      seed: g.seed(),
    },
    { t: 'tensor', shape: [n], dtype: 'int32', fill: { k: 'int', lo: -2, hi: 3 }, seed: g.seed() },
    {
      t: 'tensor',
      shape: [n],
      dtype: 'float32',
      fill: { k: 'rand', lo: 0, hi: 3 },
      seed: g.seed(),
    },
    {
      t: 'tensor',
      shape: [n, 2],
      dtype: 'int32',
      fill: { k: 'int', lo: 0, hi: 3 },
      seed: g.seed(),
    },
    { t: 'json', v: [0, 1, 1, 2, 0] },
    g.notTensor(),
  ]);
  const opts: Record<string, Spec> = {};
  if (g.bool(0.8))
    opts[name === 'BalancedBatchSampler' ? 'samplesPerClass' : 'batchSize'] = num(
      g.pick([1, 2, 3, 0, -1, 1.5, NaN, 1e9]),
    );
  if (g.bool(0.3)) opts.seed = num(g.pick([0, 1, -1, 1.5]));
  if (g.bool(0.1)) opts.bogus = num(1);
  return {
    target: `data.${name}`,
    args: [labels, { t: 'opts', v: opts }],
    expect: 'either',
    names: [name],
  };
}

function ioCase(g: G): Case {
  if (g.bool()) {
    const json = g.pick<unknown>([
      { dtype: 'float32', shape: [2], data: [1, 2] },
      { dtype: 'float32', shape: [3], data: [1, 2] },
      { dtype: 'int32', shape: [2], data: [1.5, 2] },
      { dtype: 'int32', shape: [1], data: [3e9] },
      { dtype: 'float64', shape: [-1], data: [] },
      { dtype: 'float64', shape: [2 ** 40, 0], data: [] },
      { dtype: 'float32', shape: [1], data: ['NaN'] },
      { dtype: 'float32', shape: [1], data: ['nan'] },
      { dtype: 'bogus', shape: [1], data: [1] },
      { shape: [1], data: [1] },
      null,
      [1, 2],
    ]);
    return {
      target: 'io.tensorFromJSON',
      args: [{ t: 'json', v: json }],
      expect: 'either',
      names: ['io.tensorFromJSON'],
    };
  }
  return {
    target: 'io.loadSafetensors',
    args: [num(g.int(0, 2 ** 30)), num(g.int(0, 5))],
    expect: 'either',
    names: ['io.loadSafetensors'],
  };
}

function runtimeCase(g: G): Case {
  const name = g.pick(['setNumThreads', 'setPrintOptions']);
  if (name === 'setNumThreads') {
    const v = g.pick<Spec>([
      num(1),
      num(2),
      num(0),
      num(-1),
      num(1.5),
      num(NaN),
      num(1e9),
      num(2 ** 31),
      g.notNumber(),
    ]);
    const bad = v.t !== 'num' || ![1, 2].includes(v.v as number);
    return {
      target: 'rt.setNumThreads',
      args: [v],
      expect: bad ? 'error' : 'ok',
      why: bad ? 'not a thread count' : undefined,
      names: ['setNumThreads'],
    };
  }
  return {
    target: 'rt.setPrintOptions',
    args: [
      {
        t: 'opts',
        v: {
          [g.pick(['precision', 'threshold', 'edgeitems', 'linewidth', 'sciMode', 'bogus'])]:
            g.bool() ? num(g.oddNumber()) : g.notNumber(),
        },
      },
    ],
    expect: 'either',
    names: ['setPrintOptions'],
  };
}

/** Learning-rate and temperature schedules, gradient clipping, optimizer state dicts. */
function trainingToolCase(g: G): Case {
  const n = (): Spec =>
    g.bool(0.85)
      ? num(g.pick([0.5, 0.1, 1, 2, 10, 0, -1, NaN, Infinity, 1.5, 1e9]))
      : g.notNumber();
  const name = g.pick([
    'StepLR',
    'ExponentialLR',
    'CosineAnnealingLR',
    'LambdaLR',
    'OneCycleLR',
    'beta',
    'clipGradNorm_',
    'clipGradValue_',
    'optimLoadStateDict',
  ]);
  switch (name) {
    case 'StepLR':
      return {
        target: 'sched.StepLR',
        args: [n(), ...(g.bool() ? [n()] : [])],
        expect: 'either',
        names: ['StepLR', 'StepLR.step'],
      };
    case 'ExponentialLR':
      return {
        target: 'sched.ExponentialLR',
        args: [n()],
        expect: 'either',
        names: ['ExponentialLR', 'ExponentialLR.step'],
      };
    case 'CosineAnnealingLR':
      return {
        target: 'sched.CosineAnnealingLR',
        args: [n(), ...(g.bool() ? [n()] : [])],
        expect: 'either',
        names: ['CosineAnnealingLR', 'CosineAnnealingLR.step'],
      };
    case 'LambdaLR':
      return {
        target: 'sched.LambdaLR',
        args: [
          g.bool(0.8)
            ? { t: 'fn', name: g.pick(['pairwise', 'nan', 'throws'] as const) }
            : g.notNumber(),
        ],
        expect: 'either',
        names: ['LambdaLR', 'LambdaLR.step', 'distanceFunction', 'PairwiseDistance.forward'],
      };
    case 'OneCycleLR':
      return {
        target: 'sched.OneCycleLR',
        args: [
          n(),
          {
            t: 'opts',
            v: {
              ...(g.bool(0.8)
                ? { totalSteps: g.bool(0.8) ? num(g.pick([5, 10, 1, 0, -3, 2.5])) : g.notNumber() }
                : {}),
              ...(g.bool(0.3) ? { pctStart: n() } : {}),
              ...(g.bool(0.2)
                ? { anneal: { t: 'json', v: g.pick(['cos', 'linear', 'bogus']) } }
                : {}),
            },
          },
        ],
        expect: 'either',
        names: ['OneCycleLR', 'OneCycleLR.step'],
      };
    case 'beta':
      return {
        target: 'sched.beta',
        args: [
          { t: 'json', v: g.pick(['constantBeta', 'linearBeta', 'exponentialBeta']) },
          {
            t: 'opts',
            v: {
              start: n(),
              end: n(),
              steps: g.bool(0.8) ? num(g.pick([10, 1, 0, -1, 2.5])) : g.notNumber(),
            },
          },
          n(),
        ],
        expect: 'either',
        names: [
          'constantBeta',
          'linearBeta',
          'exponentialBeta',
          'betaAt',
          'BetaSchedule',
          'BetaSchedule.betaAt',
        ],
      };
    case 'clipGradNorm_':
      return {
        target: 'clip.clipGradNorm_',
        args: [
          n(),
          ...(g.bool()
            ? [
                {
                  t: 'opts',
                  v: {
                    normType: g.bool(0.8)
                      ? num(g.pick([2, 1, Infinity, -Infinity, 0, 0.5, NaN, -1]))
                      : g.notNumber(),
                    ...(g.bool(0.3) ? { errorIfNonfinite: { t: 'json', v: g.bool() } } : {}),
                  },
                } as Spec,
              ]
            : []),
          { t: 'tensor', shape: [2, 3], dtype: 'float32', fill: g.floatFill(), seed: g.seed() },
        ],
        expect: 'either',
        names: ['clipGradNorm_'],
      };
    case 'clipGradValue_':
      return {
        target: 'clip.clipGradValue_',
        args: [
          n(),
          { t: 'tensor', shape: [2, 3], dtype: 'float32', fill: g.floatFill(), seed: g.seed() },
        ],
        expect: 'either',
        names: ['clipGradValue_'],
      };
    default: {
      const state = g.pick<unknown>([
        'valid',
        null,
        {},
        { state: {}, param_groups: [] },
        { state: { 0: { step: -1 } }, param_groups: 'x' },
        { state: {}, param_groups: [{ lr: 'x', params: [0, 1] }] },
        { state: {}, param_groups: [{ params: [0, 1, 2] }] },
      ]);
      return {
        target: 'optimState.Adam',
        args: [
          { t: 'json', v: state },
          { t: 'json', v: g.pick(['none', 'lr', 'step', 'exp_avg', 'params']) },
        ],
        expect: 'either',
        names: ['Adam', 'Adam.loadStateDict'],
      };
    }
  }
}

/** manualSeed, noGrad, setBackend with values of every kind. */
function globalsCase(g: G): Case {
  const name = g.pick(['manualSeed', 'noGrad', 'setBackend', 'gradcheck']);
  if (name === 'manualSeed')
    return {
      target: 'rt.manualSeed',
      args: [g.bool(0.7) ? num(g.pick([0, 42, -1, 1.5, 2 ** 53, NaN, Infinity])) : g.notNumber()],
      expect: 'either',
      names: ['manualSeed'],
    };
  if (name === 'noGrad')
    return {
      target: 'rt.noGrad',
      args: [g.bool(0.5) ? { t: 'fn', name: 'pairwise' } : g.notNumber()],
      expect: 'either',
      names: ['noGrad', 'PairwiseDistance.forward'],
    };
  if (name === 'setBackend')
    return {
      target: 'rt.setBackend',
      args: [{ t: 'json', v: g.pick(['js', 'wasm', 'native', 'cuda', '', null, 3]) }],
      expect: 'either',
      names: ['setBackend'],
    };
  const f = g.pick(['tanh', 'sigmoid', 'relu', 'pow']);
  // The function gradcheck calls raises its own errors (an int32 input: 'relu: input must be ...').
  return {
    target: 'rt.gradcheck',
    args: [
      {
        t: 'tensor',
        shape: g.shape(2),
        dtype: g.dtype(),
        fill: { k: 'randn' },
        seed: g.seed(),
        grad: g.bool(0.8),
      },
      { t: 'json', v: f },
    ],
    expect: 'either',
    names: ['gradcheck', 'requiresGrad_', f],
  };
}

/** An in-place activation on a tensor that a later op's backward reads (or not), then backward. */
function inplaceScenario(g: G): Case {
  // The channel dropouts take fixed ranks, not this scenario's [3, 4] and its flat view.
  const fixedRank = ['dropout1d', 'dropout2d', 'dropout3d'];
  const acts = REGISTRY.filter(
    (e) =>
      (e.inplaceVariant || e.params.some((p) => p.name === 'inplace')) &&
      !fixedRank.includes(e.name),
  ).map((e) => e.name);
  return {
    target: 'scenario.inplace',
    args: [
      { t: 'json', v: g.pick(acts) },
      { t: 'json', v: g.pick(acts) },
      {
        t: 'json',
        v: g.pick(['mul', 'add', 'sigmoid', 'sum', 'reshape', 'viewInplace', 'matmul']),
      },
      { t: 'tensor', shape: [3, 4], dtype: g.dtype(true), fill: g.floatFill(), seed: g.seed() },
      { t: 'json', v: g.bool() },
    ],
    expect: 'either',
    names: ['backward'],
  };
}

/** The kinds of cases, with their weights in a run. */
const KINDS: [number, (g: G) => Case][] = [
  [30, (g) => entryCase(g, g.pick(FUNCTIONS), false, false)],
  [
    6,
    (g) => {
      const e = g.pick(FUNCTIONS.filter((x) => x.inplaceVariant));
      return entryCase(g, e, false, true);
    },
  ],
  [10, (g) => entryCase(g, g.pick(MODULES), true, false)],
  [20, methodCase],
  // The methods, attention and container indexing added after the first suite (cases-extra.ts).
  [8, newMethodCase],
  [3, mhaCase],
  [2, containerCase],
  // The random API: Generator, samplers, nn.init, dropout's mask (cases-random.ts).
  [8, randomCase],
  [6, freeFunctionCase],
  [10, creationCase],
  [6, layerCase],
  [4, optimCase],
  [3, dataCase],
  [3, ioCase],
  [2, runtimeCase],
  [6, inplaceScenario],
  [4, trainingToolCase],
  [2, globalsCase],
];
const TOTAL = KINDS.reduce((s, [w]) => s + w, 0);

/** Case `index` of the run seeded `seed`. */
export function makeCase(seed: number, index: number): Case {
  // NNKIT_FUZZ_ONLY=random: only the random API's cases (replay them with the same variable).
  if (process.env.NNKIT_FUZZ_ONLY === 'random') return generate(caseSeed(seed, index), randomCase);
  return generate(caseSeed(seed, index), (g) => {
    let r = g.int(0, TOTAL - 1);
    for (const [w, make] of KINDS) {
      if (r < w) return make(g);
      r -= w;
    }
    return KINDS[0][1](g);
  });
}
