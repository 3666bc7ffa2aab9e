/**
 * The derivatives table (src/autograd/derivatives/): every backward rule
 * outside the elementwise table is an entry, every entry is documented and
 * reached by a gradcheck that records a node of its name, and no op records
 * a backward of its own.
 */
import { embeddingLookup } from '../src/ops/embedding.js';
import { unpoolScatter } from '../src/ops/index-ops.js';
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  F,
  cat,
  gradcheck,
  manualSeed,
  matmul,
  nn,
  randn,
  tensor,
  where,
  type Tensor,
} from '../src/index.js';
import { DERIVATIVES, type OpName } from '../src/autograd/derivatives/index.js';
import { BINARY, UNARY } from '../src/ops/elementwise/table.js';
import type { GradFn } from '../src/autograd/node.js';

const SRC = join(__dirname, '..', 'src');
const TABLE_NAMES = new Set([...Object.keys(UNARY), ...Object.keys(BINARY)]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** A float64 leaf of `shape`, normal entries scaled by `scale`. */
function leaf(shape: number[], scale = 1): Tensor {
  return randn(shape, { dtype: 'float64' }).mul(scale).requiresGrad_();
}

/** The names of all nodes in the graph behind `t`. */
function nodeNames(t: Tensor): Set<string> {
  const names = new Set<string>();
  const seen = new Set<GradFn>();
  const stack: GradFn[] = t.gradFn ? [t.gradFn] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    names.add(node.name);
    for (const e of node.edges) if (e && !('shape' in e)) stack.push(e);
  }
  return names;
}

interface Case {
  /** What is checked (when an entry has several forwards). */
  label: string;
  inputs: () => Tensor[];
  fn: (...inputs: Tensor[]) => Tensor;
  eps?: number;
}

const c = (
  label: string,
  inputs: () => Tensor[],
  fn: (...inputs: Tensor[]) => Tensor,
  eps?: number,
): Case => ({ label, inputs, fn, eps });

let linearLayer = new nn.Linear(4, 2, { dtype: 'float64' });
function linearInputs(): Tensor[] {
  linearLayer = new nn.Linear(4, 2, { dtype: 'float64' });
  return [leaf([3, 4]), linearLayer.weight, linearLayer.bias!];
}

/** One or more gradchecks per entry, each recording a node of the entry's name. */
const CASES: Record<OpName, Case[]> = {
  // Linear in x, so a step large enough to survive float32 rounding is still exact.
  to: [
    c(
      'float64 → float32',
      () => [leaf([4])],
      (x) => x.to('float32'),
      1e-2,
    ),
  ],
  clone: [
    c(
      'clone',
      () => [leaf([2, 3])],
      (x) => x.clone(),
    ),
  ],
  reshape: [
    c(
      'reshape',
      () => [leaf([2, 3])],
      (x) => x.reshape([3, 2]),
    ),
  ],
  view: [
    c(
      'a base re-derived from a view written in place',
      () => [leaf([2, 3])],
      (x) => {
        const y = x.mul(1);
        F.relu(y.reshape([6]), { inplace: true });
        return y;
      },
    ),
  ],
  asStrided: [
    c(
      'a view re-derived after its base was written in place through another view',
      () => [leaf([3, 4])],
      (x) => {
        const y = x.mul(1);
        const v = y.t();
        F.elu(y.narrow(1, 1, 2), { inplace: true });
        return v.mul(v);
      },
    ),
  ],
  copySlices: [
    c(
      'a base after a transposed, narrowed view was written in place',
      () => [leaf([3, 4])],
      (x) => {
        const y = x.mul(2);
        F.elu(y.t().narrow(0, 1, 2), { inplace: true });
        return y.mul(y);
      },
    ),
  ],
  permute: [
    c(
      'permute',
      () => [leaf([2, 3, 4])],
      (x) => x.permute(2, 0, 1),
    ),
  ],
  expand: [
    c(
      'expand',
      () => [leaf([1, 3])],
      (x) => x.expand(2, 3),
    ),
  ],
  narrow: [
    c(
      'narrow',
      () => [leaf([2, 5])],
      (x) => x.narrow(1, 1, 3),
    ),
  ],
  im2Col: [
    c(
      'unfold with padding, dilation and strides',
      () => [leaf([2, 2, 5, 6])],
      (x) => F.unfold(x, [2, 3], [1, 2], 1, [2, 1]),
    ),
    c(
      'conv1d with padding (one row of windows)',
      () => [leaf([1, 2, 7]), leaf([3, 2, 3])],
      (x, w) => F.conv1d(x, w, null, 2, 2),
    ),
    c(
      'maxPool2d in ceil mode, overlapping windows',
      () => [leaf([1, 2, 5, 5])],
      (x) => F.maxPool2d(x, 3, 2, 1, 1, true),
    ),
  ],
  boxSum: [
    c(
      'avgPool2d with padding and overlapping windows, without the padding counted',
      () => [leaf([2, 2, 5, 6])],
      (x) => F.avgPool2d(x, 3, 2, 1, false, false),
    ),
    c(
      'adaptiveAvgPool2d to uneven, overlapping windows',
      () => [leaf([1, 3, 7, 5])],
      (x) => F.adaptiveAvgPool2d(x, [3, 4]),
    ),
    c(
      'adaptiveAvgPool1d to more windows than elements',
      () => [leaf([2, 3])],
      (x) => F.adaptiveAvgPool1d(x, 5),
    ),
  ],
  boxSpread: [
    c(
      'values spread over overlapping boxes of unequal sizes (the gradient of average pooling)',
      () => [leaf([2, 2, 3])],
      (g) =>
        g._boxSpread(
          { rows: Int32Array.from([0, 2, 1, 4]), cols: Int32Array.from([0, 3, 2, 5, 4, 4]) },
          [4, 5],
        ),
    ),
  ],
  col2Im: [
    c(
      'fold of overlapping windows with padding',
      () => [leaf([2, 8, 9])],
      (x) => F.fold(x, [4, 5], 2, 1, 1, [2, 2]),
    ),
  ],
  unfold: [
    c(
      'unfold with overlapping windows',
      () => [leaf([2, 7])],
      (x) => x.unfold(1, 3, 2),
    ),
    c(
      'unfold of a transposed view, windows apart',
      () => [leaf([5, 3])],
      (x) => x.t().unfold(1, 2, 3).mul(2),
    ),
    c(
      'unfold twice (2-D patches)',
      () => [leaf([1, 5, 6])],
      (x) => x.unfold(1, 3, 1).unfold(2, 2, 2),
    ),
  ],
  cat: [
    c(
      'cat',
      () => [leaf([2, 1]), leaf([2, 3])],
      (a, b) => cat([a, b], 1),
    ),
  ],
  gather: [
    c(
      'gather, repeated indices',
      () => [leaf([2, 3])],
      (x) =>
        x.gather(
          1,
          tensor(
            [
              [0, 0],
              [2, 1],
            ],
            { dtype: 'int32' },
          ),
        ),
    ),
  ],
  // Distinct indices: with a repeat PyTorch's gradient (a gather, kept) is not the true one.
  unpoolScatter: [
    c(
      'unpoolScatter, distinct indices',
      () => [leaf([2, 3])],
      (x) =>
        unpoolScatter(
          x,
          tensor(
            [
              [4, 0, 2],
              [1, 5, 3],
            ],
            { dtype: 'int32' },
          ),
          6,
        ),
    ),
  ],
  // The true derivative: no padding row, no frequency scaling (both deliberately depart from
  // it, as PyTorch's; their values are tested against PyTorch in test/embedding.test.ts).
  embedding: [
    c(
      'embedding, repeated rows, 2-D indices',
      () => [leaf([4, 3])],
      (w) =>
        embeddingLookup(
          w,
          tensor(
            [
              [2, 0],
              [2, 3],
            ],
            { dtype: 'int32' },
          ),
          -1,
          false,
        ),
    ),
  ],
  indexSelect: [
    c(
      'indexSelect, repeated indices',
      () => [leaf([3, 2])],
      (x) => x.indexSelect(0, tensor([2, 0, 2], { dtype: 'int32' })),
    ),
  ],
  where: [
    c(
      'where, broadcast branches',
      () => [leaf([2, 3]), leaf([3])],
      (a, b) =>
        where(
          tensor([
            [1, 0, 1],
            [0, 0, 1],
          ]),
          a,
          b,
        ),
    ),
  ],
  matmul: [
    c(
      'matmul',
      () => [leaf([2, 3]), leaf([3, 4])],
      (a, b) => matmul(a, b),
    ),
    c(
      'batched matmul',
      () => [leaf([2, 2, 3]), leaf([2, 3, 2])],
      (a, b) => matmul(a, b),
    ),
  ],
  linear: [
    // nn.Linear's one GEMM reads W transposed in place; W and b are checked as inputs too.
    c('nn.Linear, x·Wᵀ + b', linearInputs, (x) => linearLayer.forward(x)),
  ],
  sum: [
    c(
      'sum over a dim',
      () => [leaf([2, 3])],
      (x) => x.sum(1),
    ),
  ],
  amax: [
    c(
      'amax',
      () => [leaf([3, 4])],
      (x) => x.amax(1),
    ),
  ],
  amin: [
    c(
      'amin',
      () => [leaf([3, 4])],
      (x) => x.amin(0, true),
    ),
  ],
  max: [
    c(
      'max values',
      () => [leaf([3, 4])],
      (x) => x.max(1).values,
    ),
  ],
  min: [
    c(
      'min values',
      () => [leaf([3, 4])],
      (x) => x.min(0).values,
    ),
  ],
  maxAll: [
    c(
      'max of all',
      () => [leaf([3, 4])],
      (x) => x.max(),
    ),
  ],
  minAll: [
    c(
      'min of all',
      () => [leaf([3, 4])],
      (x) => x.min(),
    ),
  ],
  // The only node logsumexp records is over an empty dim (the gradient is empty, but runs).
  logsumexp: [
    c(
      'logsumexp over an empty dim',
      () => [leaf([2, 0])],
      (x) => x.logsumexp(1),
    ),
  ],
  softmax: [
    c(
      'softmax',
      () => [leaf([2, 4])],
      (x) => F.softmax(x, 1, { temperature: 0.7 }),
    ),
  ],
  logSoftmax: [
    c(
      'logSoftmax',
      () => [leaf([2, 4])],
      (x) => F.logSoftmax(x, 0),
    ),
  ],
  softmin: [
    c(
      'softmin',
      () => [leaf([2, 4])],
      (x) => F.softmin(x, 1),
    ),
  ],
  Softmax2d: [
    c(
      'Softmax2d',
      () => [leaf([1, 3, 2, 2])],
      (x) => new nn.Softmax2d().forward(x),
    ),
  ],
  gumbelSoftmax: [
    c(
      'gumbelSoftmax, soft',
      () => [leaf([2, 4])],
      (x) => {
        manualSeed(3);
        return F.gumbelSoftmax(x, { tau: 0.8 });
      },
    ),
  ],
  rrelu: [
    c(
      'rrelu in place, training',
      () => [leaf([8])],
      (x) => {
        manualSeed(5);
        const y = x.mul(1);
        return F.rrelu(y, { training: true, inplace: true });
      },
    ),
  ],
  nllLoss: [
    c(
      'nllLoss, weighted mean',
      () => [leaf([3, 4])],
      (x) =>
        F.nllLoss(x, tensor([0, 3, 1], { dtype: 'int32' }), {
          weight: tensor([1, 2, 0.5, 1], { dtype: 'float64' }),
        }),
    ),
  ],
  crossEntropy: [
    c(
      'class indices, label smoothing',
      () => [leaf([3, 4])],
      (x) => F.crossEntropy(x, tensor([0, 3, 1], { dtype: 'int32' }), { labelSmoothing: 0.1 }),
    ),
    c(
      'class probabilities',
      () => [leaf([3, 4]), leaf([3, 4])],
      (x, p) => F.crossEntropy(x, p, { reduction: 'sum' }),
    ),
  ],
  clampNoGrad: [
    c(
      "gaussianNllLoss's variance",
      () => [leaf([4]), leaf([4]), randn([4], { dtype: 'float64' }).abs().add(0.5).requiresGrad_()],
      (input, target, variance) => F.gaussianNllLoss(input, target, variance),
    ),
  ],
  ctcLoss: [
    c(
      // PyTorch's CTC gradient assumes normalised log-probabilities: checked through logSoftmax.
      'ctcLoss of logSoftmax, batched, padded targets',
      () => [leaf([5, 2, 4])],
      (x) =>
        F.ctcLoss(
          F.logSoftmax(x, 2),
          tensor(
            [
              [1, 2],
              [3, 3],
            ],
            { dtype: 'int32' },
          ),
          [5, 4],
          [2, 2],
          {
            reduction: 'sum',
          },
        ),
    ),
  ],
  norm: [
    c(
      'pairwiseDistance',
      () => [leaf([3, 4]), leaf([3, 4])],
      (a, b) => F.pairwiseDistance(a, b),
    ),
  ],
  ChebyshevActivation: [
    c(
      'per-channel expansion',
      () => [leaf([2, 2, 3], 0.8), leaf([2, 4])],
      (x, w) => nn.chebyshevExpansion(x, w, [-2, 2]),
    ),
  ],
  var: [
    c(
      'var over a dim list, correction 2',
      () => [leaf([3, 4, 2])],
      (x) => x.var([0, 2], { correction: 2 }),
    ),
    c(
      'var of all',
      () => [leaf([3, 4])],
      (x) => x.var(),
    ),
  ],
  std: [
    c(
      'std over a dim, keepdim',
      () => [leaf([3, 4])],
      (x) => x.std(1, true, true),
    ),
  ],
  prod: [
    c(
      'prod over a dim',
      () => [leaf([3, 4])],
      (x) => x.prod(1),
    ),
    c(
      'prod of all, one zero',
      () => [tensor([0.5, 0, -1.5, 2], { dtype: 'float64', requiresGrad: true })],
      (x) => x.prod(),
    ),
    c(
      'prod over a dim, zeros',
      () => [
        tensor(
          [
            [0.5, 0, -1.5],
            [2, 1.5, 0.7],
          ],
          { dtype: 'float64', requiresGrad: true },
        ),
      ],
      (x) => x.prod(1),
    ),
  ],
  cumsum: [
    c(
      'cumsum',
      () => [leaf([3, 4])],
      (x) => x.cumsum(0),
    ),
  ],
  sin: [
    c(
      'sin',
      () => [leaf([5])],
      (x) => x.sin(),
    ),
  ],
  cos: [
    c(
      'cos',
      () => [leaf([5])],
      (x) => x.cos(),
    ),
  ],
  sort: [
    c(
      'sort descending along dim 0',
      () => [leaf([4, 3])],
      (x) => x.sort(0, true).values,
    ),
  ],
  topk: [
    c(
      'topk of the last dim',
      () => [leaf([3, 5])],
      (x) => x.topk(2).values,
    ),
  ],
  // x.sub_(o, alpha) on a non-leaf copy of x: the fused add's history becomes the copy's.
  addScaled: [
    c(
      'sub_ with alpha',
      () => [
        tensor([0.3, -1.2, 2.7], { dtype: 'float64', requiresGrad: true }),
        tensor([1.5, 0.25, -2], { dtype: 'float64', requiresGrad: true }),
      ],
      (x, o) => x.mul(1).sub_(o, { alpha: 0.7 }),
    ),
    c(
      'add_ of a broadcast row',
      () => [
        tensor([0.3, -1.2, 2.7, 0.9], { dtype: 'float64', requiresGrad: true, shape: [2, 2] }),
        tensor([1.5, -0.5], { dtype: 'float64', requiresGrad: true }),
      ],
      (x, o) => x.mul(1).add_(o, { alpha: -1.3 }),
    ),
  ],
  // Piecewise constant: gradcheck's differences away from the ties are 0, as is the rule.
  nativeLayerNorm: [
    c(
      'layerNorm, weight and bias',
      () => [leaf([3, 4]), leaf([4]), leaf([4])],
      (x, w, b) => F.layerNorm(x, [4], w, b),
    ),
  ],
  nativeGroupNorm: [
    c(
      'groupNorm of a transposed input',
      () => [leaf([3, 4, 2])],
      (x) => F.groupNorm(x.transpose(1, 2), 2),
    ),
  ],
  nativeBatchNorm: [
    c(
      'batchNorm in training, weight and bias',
      () => [leaf([4, 3, 2]), leaf([3]), leaf([3])],
      (x, w, b) => F.batchNorm(x, null, null, w, b, true),
    ),
  ],
  round: [
    c(
      'round',
      () => [tensor([0.3, -1.2, 2.7], { dtype: 'float64', requiresGrad: true })],
      (x) => x.round(),
    ),
  ],
};

describe('derivatives table', () => {
  it('has a gradcheck case for every entry and no case without an entry', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(DERIVATIVES).sort());
  });

  it('shares no name with the elementwise table', () => {
    expect(Object.keys(DERIVATIVES).filter((n) => TABLE_NAMES.has(n))).toEqual([]);
  });

  it('gives every entry a doc comment', () => {
    const dir = join(SRC, 'autograd', 'derivatives');
    const text = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    const undocumented = Object.keys(DERIVATIVES).filter(
      (name) => !new RegExp(`\\*/\\n\\s*${name}: `).test(text),
    );
    expect(undocumented).toEqual([]);
  });

  it('is the only place outside the elementwise runner that records a backward', () => {
    // src/autograd is the graph machinery and the table itself; apply.ts runs the
    // elementwise table's own derivatives (its record calls take table names only).
    const allowed = new Set(['ops/elementwise/apply.ts']);
    const offenders = sourceFiles(SRC)
      .map((f) => relative(SRC, f).split('\\').join('/'))
      .filter((f) => !f.startsWith('autograd/') && !allowed.has(f))
      .filter((f) =>
        /\brecord\(|\bcommitInplace\(|new GradFn\(/.test(readFileSync(join(SRC, f), 'utf8')),
      );
    expect(offenders).toEqual([]);
  });

  for (const [name, cases] of Object.entries(CASES)) {
    for (const k of cases) {
      it(`${name}: ${k.label} passes gradcheck through a ${name} node`, () => {
        manualSeed(0);
        const inputs = k.inputs();
        const names = nodeNames(k.fn(...inputs));
        expect(names.has(name)).toBe(true);
        // Every node on the way is an entry here or an elementwise-table op, or the node an
        // in-place tensor method (`sub_`) gives its tensor, which passes the gradient through.
        const unknown = [...names].filter(
          (n) => !(n in DERIVATIVES) && !TABLE_NAMES.has(n) && !n.endsWith('_'),
        );
        expect(unknown).toEqual([]);
        expect(gradcheck(k.fn, inputs, k.eps === undefined ? {} : { eps: k.eps })).toBe(true);
      });
    }
  }
});
