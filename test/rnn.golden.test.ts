/**
 * nn.RNN, nn.LSTM, nn.GRU and their cells against PyTorch 1.13
 * (test/golden/rnn.json, scripts/golden/rnn.py), on every backend: each case
 * builds the module after `manualSeed(seed)` with PyTorch's arguments, and
 * its initial weights must be PyTorch's (the same draws in the same order);
 * then it runs on the fixture's input and initial state (a cell stepping
 * through the sequence, its state fed back), dropout cases seeded before the
 * forward pass, and the output, final states and the gradients of
 * ½·Σ output² + Σ h_n (+ ¼·Σ c_n) with respect to the input, the initial
 * states and every parameter must be PyTorch's (SPEC §6 tolerance, scaled
 * for the sums a backward pass through time accumulates). Then the errors.
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, nn, stack, tensor, zeros, type Tensor } from '../src/index.js';
import { forEachBackend } from './helpers/backends.js';
import { decodeTensor, expectClose, loadGolden, type EncodedTensor } from './helpers/golden.js';

interface RnnCase {
  name: string;
  cls: 'RNN' | 'LSTM' | 'GRU' | 'RNNCell' | 'LSTMCell' | 'GRUCell';
  args: unknown[];
  options: Record<string, unknown>;
  training: boolean;
  seed: number;
  forwardSeed: number;
  weights: Record<string, EncodedTensor>;
  input: EncodedTensor;
  h0: EncodedTensor | null;
  c0: EncodedTensor | null;
  output: EncodedTensor;
  h: EncodedTensor;
  c: EncodedTensor | null;
  gradInput: EncodedTensor;
  gradH0: EncodedTensor | null;
  gradC0: EncodedTensor | null;
  gradWeights: Record<string, EncodedTensor>;
  /** Packed cases: the lengths, whether they were sorted, and what packing made of the input. */
  lengths?: number[];
  enforceSorted?: boolean;
  packedData?: EncodedTensor;
  batchSizes?: number[];
  sortedIndices?: number[] | null;
  outputLengths?: number[];
}

const golden = loadGolden<RnnCase>('rnn');

type AnyRnn = nn.RNN | nn.LSTM | nn.GRU | nn.RNNCell | nn.LSTMCell | nn.GRUCell;
const CLASSES = {
  RNN: nn.RNN,
  LSTM: nn.LSTM,
  GRU: nn.GRU,
  RNNCell: nn.RNNCell,
  LSTMCell: nn.LSTMCell,
  GRUCell: nn.GRUCell,
} as const;

/** The module, built as PyTorch built it: positional arguments, then the options by name. */
function build(c: RnnCase): AnyRnn {
  manualSeed(c.seed);
  const Cls = CLASSES[c.cls] as unknown as new (...args: unknown[]) => AnyRnn;
  const args = Object.keys(c.options).length > 0 ? [...c.args, c.options] : c.args;
  const m = new Cls(...args);
  m.train(c.training);
  return m;
}

/** Runs the case's forward pass; returns the output and the final states. */
function run(
  c: RnnCase,
  m: AnyRnn,
  x: Tensor,
  h0: Tensor | null,
  c0: Tensor | null,
): { out: Tensor; h: Tensor; c: Tensor | null } {
  manualSeed(c.forwardSeed);
  if (c.lengths) {
    // Packed: through the layer, the loss taken on the padded output.
    const batchFirst = c.options.batchFirst === true;
    const packed = nn.utils.rnn.packPaddedSequence(x, c.lengths, {
      batchFirst,
      enforceSorted: c.enforceSorted,
    });
    expectClose(packed.data, c.packedData!, `${c.name}: packed data`);
    expect(packed.batchSizes.toArray()).toEqual(c.batchSizes);
    expect(packed.sortedIndices?.toArray() ?? null).toEqual(c.sortedIndices);
    const r =
      m instanceof nn.LSTM
        ? (([out, [h, cn]]) => ({ out, h, c: cn }))(m.forward(packed, h0 && c0 ? [h0, c0] : null))
        : (([out, h]) => ({ out, h, c: null }))((m as nn.RNN | nn.GRU).forward(packed, h0));
    const [padded, lengths] = nn.utils.rnn.padPackedSequence(r.out, { batchFirst });
    expect(lengths.toArray()).toEqual(c.outputLengths);
    return { out: padded, h: r.h, c: r.c };
  }
  if (m instanceof nn.LSTM) {
    const [out, [h, cn]] = m.forward(x, h0 && c0 ? [h0, c0] : null);
    return { out, h, c: cn };
  }
  if (m instanceof nn.RNN || m instanceof nn.GRU) {
    const [out, h] = m.forward(x, h0);
    return { out, h, c: null };
  }
  // A cell over every step, its state fed back.
  let h = h0;
  let cs = c0;
  const outs: Tensor[] = [];
  for (const xt of x.unbind(0)) {
    if (m instanceof nn.LSTMCell) [h, cs] = m.forward(xt, h && cs ? [h, cs] : null);
    else h = (m as nn.RNNCell | nn.GRUCell).forward(xt, h);
    outs.push(h);
  }
  return { out: stack(outs, 0), h: h!, c: cs };
}

describe('recurrent layers and cells against PyTorch', () => {
  forEachBackend(() => {
    for (const c of golden.cases) {
      it(c.name, () => {
        const m = build(c);
        const params = Object.fromEntries(m.namedParameters());
        expect(Object.keys(params)).toEqual(Object.keys(c.weights));
        for (const [k, w] of Object.entries(c.weights)) {
          expectClose(params[k], w, `${c.name}: initial ${k}`);
        }
        const x = decodeTensor(c.input, true);
        const h0 = c.h0 ? decodeTensor(c.h0, true) : null;
        const c0 = c.c0 ? decodeTensor(c.c0, true) : null;
        const r = run(c, m, x, h0, c0);
        expectClose(r.out, c.output, `${c.name}: output`);
        expectClose(r.h, c.h, `${c.name}: h`);
        if (c.c) expectClose(r.c!, c.c, `${c.name}: c`);
        else expect(r.c).toBeNull();
        let loss = r.out.pow(2).sum().mul(0.5).add(r.h.sum());
        if (r.c) loss = loss.add(r.c.sum().mul(0.25));
        loss.backward();
        // Gradients sum over every step and layer: a few float32 roundings per term.
        const scale = 4;
        expectClose(x.grad!, c.gradInput, `${c.name}: input gradient`, scale);
        if (c.gradH0) expectClose(h0!.grad!, c.gradH0, `${c.name}: h0 gradient`, scale);
        if (c.gradC0) expectClose(c0!.grad!, c.gradC0, `${c.name}: c0 gradient`, scale);
        for (const [k, g] of Object.entries(c.gradWeights)) {
          expectClose(params[k].grad!, g, `${c.name}: ${k} gradient`, scale);
        }
      });
    }
  });
});

describe('recurrent layer API', () => {
  it("prints PyTorch's reprs and names PyTorch's parameters", () => {
    expect(new nn.RNN(10, 20, { numLayers: 2, nonlinearity: 'relu', dropout: 1 }).toString()).toBe(
      'RNN(10, 20, num_layers=2, dropout=1.0)',
    );
    expect(new nn.LSTM(10, 20, { projSize: 5, dropout: 0.25 }).toString()).toBe(
      'LSTM(10, 20, proj_size=5, dropout=0.25)',
    );
    expect(new nn.GRU(3, 4, 1, false, true, 0, true).toString()).toBe(
      'GRU(3, 4, bias=False, batch_first=True, bidirectional=True)',
    );
    expect(new nn.RNNCell(3, 4, false, 'relu').toString()).toBe(
      'RNNCell(3, 4, bias=False, nonlinearity=relu)',
    );
    const lstm = new nn.LSTM(3, 4, 2);
    expect(lstm.weight_ih_l0.shape).toEqual([16, 3]);
    expect(lstm.allWeights.map((ws) => ws.length)).toEqual([4, 4]);
    expect(Object.keys(lstm.stateDict())).toContain('bias_hh_l1');
  });

  it('follows loadStateDict and to(dtype) through its named weights', () => {
    const a = new nn.GRU(3, 4);
    const b = new nn.GRU(3, 4);
    b.loadStateDict(a.stateDict());
    expect(b.weight_hh_l0.toArray()).toEqual(a.weight_hh_l0.toArray());
    b.to('float64');
    expect(b.weight_hh_l0.dtype).toBe('float64');
    expect(b.forward(zeros([5, 3], { dtype: 'float64' }))[0].dtype).toBe('float64');
  });

  it('pads and packs sequences as torch.nn.utils.rnn does, and refuses what it refuses', () => {
    const { padSequence, packSequence, packPaddedSequence, padPackedSequence } = nn.utils.rnn;
    const seqs = [
      tensor([[1, 1]]),
      tensor([
        [2, 2],
        [3, 3],
        [4, 4],
      ]),
    ];
    expect(padSequence(seqs, { paddingValue: -1 }).toArray()).toEqual([
      [
        [1, 1],
        [2, 2],
      ],
      [
        [-1, -1],
        [3, 3],
      ],
      [
        [-1, -1],
        [4, 4],
      ],
    ]);
    const p = packSequence(seqs, { enforceSorted: false });
    expect([
      p.batchSizes.toArray(),
      p.sortedIndices?.toArray(),
      p.unsortedIndices?.toArray(),
    ]).toEqual([
      [2, 1, 1],
      [1, 0],
      [1, 0],
    ]);
    const [padded, lengths] = padPackedSequence(p, { batchFirst: true, totalLength: 4 });
    expect([padded.shape, lengths.toArray()]).toEqual([
      [2, 4, 2],
      [1, 3],
    ]);
    expect(() => packSequence(seqs)).toThrow('must be sorted in decreasing order');
    expect(() => packPaddedSequence(zeros([3, 2]), [3, 0])).toThrow('greater than 0');
    expect(() => packPaddedSequence(zeros([3, 2]), [4, 1])).toThrow('exceeds the input');
    expect(() => padPackedSequence(p, { totalLength: 2 })).toThrow(
      'expected totalLength to be at least the length of the longest sequence',
    );
  });

  it("refuses PyTorch 1.13's errors with nnkit's messages", () => {
    const lstm = new nn.LSTM(3, 4);
    const x = zeros([5, 2, 3]);
    const cases: [() => unknown, string][] = [
      [() => lstm.forward(zeros([5, 2, 3, 1])), 'expected input to be 2-D or 3-D but received 4-D'],
      [
        () => lstm.forward(zeros([5, 2, 2])),
        'input.size(-1) must be equal to inputSize. Expected 3, got 2',
      ],
      [
        () => lstm.forward(x, [zeros([1, 3, 4]), zeros([1, 2, 4])]),
        'expected hidden[0] size (1, 2, 4), got [1, 3, 4]',
      ],
      [
        () => lstm.forward(x, [zeros([2, 4]), zeros([2, 4])]),
        'for batched 3-D input, hx should also be 3-D but got 2-D',
      ],
      [() => lstm.forward(x, zeros([1, 2, 4]) as never), 'hx must be a pair [h0, c0] or null'],
      [() => lstm.forward(x.to('float64')), 'input has dtype float64'],
      [
        () => new nn.LSTM(3, 4, { projSize: 4 }),
        'projSize (4) has to be smaller than hiddenSize (4)',
      ],
      [() => new nn.GRU(3, 4, { projSize: 2 } as never), "unknown option 'projSize'"],
      [() => new nn.RNN(3, 4, 2, 'relu' as never), 'bias must be'],
      [() => new nn.LSTM(3, 4, { dropout: 1.5 }), 'dropout'],
      [
        () => new nn.GRUCell(3, 4).forward(zeros([2, 5])),
        'input has inconsistent input size: got 5, expected 3',
      ],
      [
        () => new nn.GRUCell(3, 4).forward(zeros([2, 3]), zeros([3, 4])),
        'hx has shape [3, 4], expected [2, 4]',
      ],
    ];
    for (const [f, message] of cases) expect(f).toThrow(message);
  });
});
