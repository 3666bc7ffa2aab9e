/**
 * nn.MultiheadAttention against PyTorch 1.13 (scripts/golden/multihead_attention.py):
 * PyTorch's weights load by its state-dict keys and reproduce its output,
 * attention weights, input gradients and every parameter gradient, on every
 * backend; plus binding, errors, initialisation, dropout and a training run.
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, nn, noGrad, optim, randn, tensor, zeros, type Tensor } from '../src/index.js';
import { forEachBackend } from './helpers/backends.js';
import { decodeTensor, expectClose, loadGolden, type EncodedTensor } from './helpers/golden.js';

interface MhaCase {
  name: string;
  dtype: 'float32' | 'float64';
  args: Record<string, number | boolean | null> & { embedDim: number; numHeads: number };
  training: boolean;
  repr: string;
  state: Record<string, EncodedTensor>;
  inputs: { query: EncodedTensor; key?: EncodedTensor; value?: EncodedTensor };
  keyPaddingMask: EncodedTensor | null;
  attnMask: EncodedTensor | null;
  needWeights: boolean;
  averageAttnWeights: boolean;
  output: EncodedTensor;
  weights: EncodedTensor | null;
  upstreamOutput: EncodedTensor;
  upstreamWeights: EncodedTensor | null;
  inputGrads: Record<string, EncodedTensor>;
  paramGrads: Record<string, EncodedTensor>;
  fast?: { output: EncodedTensor; weights: EncodedTensor };
}

interface MhaGolden {
  torch_version: string;
  cases: MhaCase[];
  reprs: Record<string, string>;
  stateKeys: Record<string, string[]>;
}

const golden = loadGolden<MhaCase>('multihead_attention') as unknown as MhaGolden;

function build(c: MhaCase): nn.MultiheadAttention {
  const { embedDim, numHeads, ...rest } = c.args;
  const m = new nn.MultiheadAttention(embedDim, numHeads, { ...rest, dtype: c.dtype });
  m.loadStateDict(
    Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decodeTensor(v)])),
  );
  m.train(c.training);
  return m;
}

function run(c: MhaCase) {
  const m = build(c);
  const q = decodeTensor(c.inputs.query, true);
  const k = c.inputs.key ? decodeTensor(c.inputs.key, true) : q;
  const v = c.inputs.value ? decodeTensor(c.inputs.value, true) : k;
  const named: Record<string, Tensor> = { query: q, key: k, value: v };
  const [out, w] = m.forward(q, k, v, {
    keyPaddingMask: c.keyPaddingMask && decodeTensor(c.keyPaddingMask),
    attnMask: c.attnMask && decodeTensor(c.attnMask),
    needWeights: c.needWeights,
    averageAttnWeights: c.averageAttnWeights,
  });
  return { m, named, out, w };
}

describe(`MultiheadAttention vs PyTorch ${golden.torch_version}`, () => {
  forEachBackend(() => {
    for (const c of golden.cases) {
      it(c.name, () => {
        const { m, named, out, w } = run(c);
        expect(m.toString()).toBe(c.repr);
        expect(Object.keys(m.stateDict())).toEqual(Object.keys(c.state));
        expectClose(out, c.output, 'output');
        if (c.weights === null) expect(w).toBeNull();
        else expectClose(w as Tensor, c.weights, 'weights');
        if (c.fast) {
          // PyTorch's fast path (no autograd, eval, batch_first self-attention) agrees too.
          expectClose(out, c.fast.output, 'output (fast path)');
          expectClose(w as Tensor, c.fast.weights, 'weights (fast path)');
        }
        let total = out.mul(decodeTensor(c.upstreamOutput)).sum();
        if (w && c.upstreamWeights) total = total.add(w.mul(decodeTensor(c.upstreamWeights)).sum());
        total.backward();
        for (const [k, g] of Object.entries(c.inputGrads)) {
          expectClose(named[k].grad as Tensor, g, `grad of ${k}`);
        }
        const params = new Map(m.namedParameters());
        expect([...params.keys()]).toEqual(Object.keys(c.paramGrads));
        for (const [k, g] of Object.entries(c.paramGrads)) {
          expectClose(params.get(k)?.grad as Tensor, g, `grad of ${k}`);
        }
      });
    }
  });
});

describe('MultiheadAttention module', () => {
  it("has PyTorch's repr and state-dict keys", () => {
    expect(new nn.MultiheadAttention(8, 2).toString()).toBe(golden.reprs.default);
    const odd = new nn.MultiheadAttention(8, 2, {
      bias: false,
      kdim: 3,
      vdim: 5,
      addBiasKv: true,
    });
    expect(odd.toString()).toBe(golden.reprs.kdimNoBias);
    expect(Object.keys(new nn.MultiheadAttention(8, 2).stateDict())).toEqual(
      golden.stateKeys.default,
    );
    expect(Object.keys(odd.stateDict())).toEqual(golden.stateKeys.kdimNoBias);
    expect(
      Object.keys(new nn.MultiheadAttention(8, 2, { kdim: 3, addBiasKv: true }).stateDict()),
    ).toEqual(golden.stateKeys.kdimBiasKv);
    const sd = odd.stateDict();
    expect(sd.k_proj_weight.shape).toEqual([8, 3]);
    expect(sd.v_proj_weight.shape).toEqual([8, 5]);
    expect(sd.bias_k.shape).toEqual([1, 1, 8]);
    expect(odd.inProjWeight).toBeNull();
    expect(odd.inProjBias).toBeNull();
    expect(odd.outProj.bias).toBeNull();
    expect(odd.kProjWeight?.shape).toEqual([8, 3]);
    expect(odd.biasV?.shape).toEqual([1, 1, 8]);
  });

  it('binds constructor arguments by position and by name', () => {
    const a = new nn.MultiheadAttention(6, 3, 0.25, false, true, true, 4, 5, true);
    const b = new nn.MultiheadAttention({
      embedDim: 6,
      numHeads: 3,
      dropout: 0.25,
      bias: false,
      addBiasKv: true,
      addZeroAttn: true,
      kdim: 4,
      vdim: 5,
      batchFirst: true,
    });
    const c = new nn.MultiheadAttention(6, 3, 0.25, {
      bias: false,
      addBiasKv: true,
      addZeroAttn: true,
      kdim: 4,
      vdim: 5,
      batchFirst: true,
    });
    for (const m of [a, b, c]) {
      expect([m.embedDim, m.numHeads, m.headDim, m.dropout, m.kdim, m.vdim]).toEqual([
        6, 3, 2, 0.25, 4, 5,
      ]);
      expect([m.batchFirst, m.addZeroAttn, m.qkvSameEmbedDim]).toEqual([true, true, false]);
      expect(Object.keys(m.stateDict())).toEqual([
        'q_proj_weight',
        'k_proj_weight',
        'v_proj_weight',
        'bias_k',
        'bias_v',
        'out_proj.weight',
      ]);
    }
    const d = new nn.MultiheadAttention(4, 2, { dtype: 'float64' });
    expect(d.inProjWeight?.dtype).toBe('float64');
    expect(d.outProj.weight.dtype).toBe('float64');
    const kv = new nn.MultiheadAttention(4, 1, { kdim: 4, vdim: null });
    expect(kv.qkvSameEmbedDim).toBe(true);
  });

  it('rejects misspelt, unknown and bad constructor arguments', () => {
    expect(() => new nn.MultiheadAttention(8, 2, { batch_first: true } as never)).toThrow(
      "MultiheadAttention: unknown option 'batch_first' (did you mean 'batchFirst'?)",
    );
    expect(() => new nn.MultiheadAttention(8, 2, { addbiaskv: true } as never)).toThrow(
      /did you mean 'addBiasKv'/,
    );
    expect(() => new nn.MultiheadAttention(8, 2, { bogus: 1 } as never)).toThrow(
      /unknown option 'bogus' \(known: dropout, bias, addBiasKv/,
    );
    expect(() => new nn.MultiheadAttention(7, 2)).toThrow(
      'MultiheadAttention: embedDim must be divisible by numHeads, got embedDim = 7 and numHeads = 2',
    );
    expect(() => new nn.MultiheadAttention(8, 0)).toThrow(
      'MultiheadAttention: numHeads must be an integer ≥ 1, got 0',
    );
    expect(() => new nn.MultiheadAttention(8.5, 1)).toThrow(/embedDim must be an integer/);
    expect(() => new nn.MultiheadAttention(8, 2, 1.5)).toThrow(
      'MultiheadAttention: dropout must be a number in [0, 1], got 1.5',
    );
    expect(() => new nn.MultiheadAttention(8, 2, 0, 'yes' as never)).toThrow(/bias must be/);
    expect(() => new nn.MultiheadAttention(8, 2, { kdim: -1 })).toThrow(/kdim must be/);
    const Untyped = nn.MultiheadAttention as unknown as new (...a: unknown[]) => unknown;
    expect(() => new Untyped(8)).toThrow(/missing required argument 'numHeads'/);
    expect(
      () =>
        new nn.MultiheadAttention(
          8,
          2,
          0,
          true,
          false,
          false,
          null,
          null,
          false,
          'float64' as never,
        ),
    ).toThrow(/at most 9 positional arguments.*dtype can only be given by name/);
  });

  it('binds forward arguments by position and by name', () => {
    manualSeed(3);
    const m = new nn.MultiheadAttention(4, 2, { dtype: 'float64' }).eval();
    const q = randn([3, 2, 4], { dtype: 'float64' });
    const k = randn([5, 2, 4], { dtype: 'float64' });
    const kpm = tensor(
      [
        [0, 0, 1, 0, 0],
        [1, 0, 0, 0, 0],
      ],
      { dtype: 'int32' },
    );
    const mask = randn([3, 5], { dtype: 'float64' });
    const [o1, w1] = m.forward(q, k, k, kpm, true, mask, false);
    const [o2, w2] = m.forward(q, k, k, {
      attnMask: mask,
      keyPaddingMask: kpm,
      averageAttnWeights: false,
    });
    const anyForward = m.forward.bind(m) as (...a: unknown[]) => [Tensor, Tensor | null];
    const [o3, w3] = anyForward({
      query: q,
      key: k,
      value: k,
      keyPaddingMask: kpm,
      attnMask: mask,
      averageAttnWeights: false,
    });
    for (const [o, w] of [
      [o2, w2],
      [o3, w3],
    ] as const) {
      expect(Array.from(o.data)).toEqual(Array.from(o1.data));
      expect(Array.from((w as Tensor).data)).toEqual(Array.from((w1 as Tensor).data));
    }
    expect(w1?.shape).toEqual([2, 2, 3, 5]);
    const [, none] = m.forward(q, k, k, null, false);
    expect(none).toBeNull();
    expect(() => m.forward(q, k, k, { need_weights: false } as never)).toThrow(
      "MultiheadAttention.forward: unknown option 'need_weights' (did you mean 'needWeights'?)",
    );
    expect(() => m.forward(q, k, k, { attn_mask: mask } as never)).toThrow(
      /did you mean 'attnMask'/,
    );
    expect(() => anyForward(q, k)).toThrow(/missing required argument 'value'/);
  });

  it('checks shapes, dtypes and masks before any work', () => {
    const m = new nn.MultiheadAttention(4, 2);
    const q = randn([3, 2, 4]);
    const k = randn([5, 2, 4]);
    const f = 'MultiheadAttention.forward: ';
    expect(() => m.forward(q, k, randn([5, 4]))).toThrow(
      `${f}for a batched (3-D) query, key and value must be 3-D, got 3-D and 2-D`,
    );
    expect(() => m.forward(randn([3, 4]), randn([5, 4]), randn([5, 2, 4]))).toThrow(
      /for an unbatched \(2-D\) query, key and value must be 2-D/,
    );
    expect(() => m.forward(randn([1, 3, 2, 4]), k, k)).toThrow(
      `${f}query must be an unbatched 2-D or batched 3-D tensor, got 4-D`,
    );
    expect(() => m.forward(randn([3, 2, 6]), k, k)).toThrow(
      `${f}query of shape [3, 2, 6] should have embedDim = 4 features in its last dimension`,
    );
    expect(() => m.forward(q, randn([5, 2, 3]), k)).toThrow(
      /key of shape \[5, 2, 3\] should have kdim = 4/,
    );
    expect(() => m.forward(q, k, randn([6, 2, 4]))).toThrow(
      /must have the same sequence length and batch size/,
    );
    expect(() => m.forward(q, randn([5, 3, 4]), randn([5, 3, 4]))).toThrow(
      /must have the same batch size/,
    );
    expect(() => m.forward(q.double(), k, k)).toThrow(
      `${f}query has dtype float64 but the module's parameters are float32`,
    );
    expect(() => m.forward(q, k, k, zeros([2, 4], { dtype: 'int32' }))).toThrow(
      `${f}keyPaddingMask should have shape [2, 5] (N, S), got [2, 4]`,
    );
    expect(() => m.forward(q, k, k, zeros([5], { dtype: 'int32' }))).toThrow(
      /keyPaddingMask must be null or 2-D, got 1-D/,
    );
    expect(() => m.forward(q, k, k, zeros([2, 5], { dtype: 'float64' }))).toThrow(
      /keyPaddingMask has dtype float64 but query is float32/,
    );
    expect(() => m.forward(q, k, k, { attnMask: zeros([3, 4]) })).toThrow(
      `${f}the shape of the 2-D attnMask is [3, 4], but should be [3, 5] (L, S)`,
    );
    expect(() => m.forward(q, k, k, { attnMask: zeros([2, 3, 5]) })).toThrow(
      `${f}the shape of the 3-D attnMask is [2, 3, 5], but should be [4, 3, 5] (N·numHeads, L, S)`,
    );
    expect(() => m.forward(q, k, k, { attnMask: zeros([5]) })).toThrow(
      /attnMask must be 2-D \(L, S\) or 3-D \(N·numHeads, L, S\), got 1-D/,
    );
    expect(() =>
      m.forward(q, k, k, { attnMask: zeros([3, 5]), keyPaddingMask: zeros([2, 5]) }),
    ).toThrow(/a float attnMask cannot be combined with a float keyPaddingMask/);
    // unbatched 3-D attnMask is (numHeads, L, S)
    expect(() =>
      m.forward(randn([3, 4]), randn([5, 4]), randn([5, 4]), { attnMask: zeros([4, 3, 5]) }),
    ).toThrow(/should be \[2, 3, 5\]/);
  });

  it("initialises as PyTorch's _reset_parameters", () => {
    manualSeed(11);
    const e = 64;
    const m = new nn.MultiheadAttention(e, 4, { addBiasKv: true, dtype: 'float64' });
    const w = m.inProjWeight as Tensor;
    const bound = Math.sqrt(6 / (e + 3 * e)); // xavier_uniform_ on (3E, E)
    const wd = Array.from(w.data);
    expect(Math.max(...wd.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...wd.map(Math.abs))).toBeGreaterThan(0.95 * bound);
    const mean = wd.reduce((s, x) => s + x, 0) / wd.length;
    const variance = wd.reduce((s, x) => s + (x - mean) ** 2, 0) / wd.length;
    expect(Math.abs(variance / ((bound * bound) / 3) - 1)).toBeLessThan(0.05);
    expect(Array.from((m.inProjBias as Tensor).data).every((x) => x === 0)).toBe(true);
    expect(Array.from((m.outProj.bias as Tensor).data).every((x) => x === 0)).toBe(true);
    // out_proj.weight keeps nn.Linear's U(−1/√E, 1/√E)
    const ow = Array.from(m.outProj.weight.data);
    expect(Math.max(...ow.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(e));
    expect(Math.max(...ow.map(Math.abs))).toBeGreaterThan(0.9 / Math.sqrt(e));
    // xavier_normal_ on (1, 1, E): std = √(2 / (E + E))
    const bk: number[] = [];
    for (let i = 0; i < 64; i++) {
      const small = new nn.MultiheadAttention(64, 1, { addBiasKv: true, dtype: 'float64' });
      bk.push(
        ...Array.from((small.biasK as Tensor).data),
        ...Array.from((small.biasV as Tensor).data),
      );
    }
    const sd = Math.sqrt(bk.reduce((s, x) => s + x * x, 0) / bk.length);
    expect(Math.abs(sd * Math.sqrt(64) - 1)).toBeLessThan(0.05);
    // kdim/vdim: three xavier_uniform_ weights
    const sep = new nn.MultiheadAttention(8, 2, { kdim: 24, dtype: 'float64' });
    const kb = Math.sqrt(6 / (8 + 24));
    expect(
      Math.max(...Array.from((sep.kProjWeight as Tensor).data).map(Math.abs)),
    ).toBeLessThanOrEqual(kb);
    manualSeed(5);
    const a = new nn.MultiheadAttention(8, 2).stateDict();
    manualSeed(5);
    const b = new nn.MultiheadAttention(8, 2).stateDict();
    expect(Array.from(a.in_proj_weight.data)).toEqual(Array.from(b.in_proj_weight.data));
  });

  it('drops attention weights only in training mode', () => {
    manualSeed(7);
    const m = new nn.MultiheadAttention(8, 2, { dropout: 0.5, dtype: 'float64' });
    const q = randn([6, 3, 8], { dtype: 'float64' });
    const k = randn([10, 3, 8], { dtype: 'float64' });
    const [, wPer] = m.forward(q, k, k, { averageAttnWeights: false });
    const data = Array.from((wPer as Tensor).data);
    const zerosN = data.filter((x) => x === 0).length;
    expect(zerosN / data.length).toBeGreaterThan(0.4);
    expect(zerosN / data.length).toBeLessThan(0.6);
    // kept weights are the eval-mode softmax scaled by 1/(1 − p)
    m.eval();
    const [outEval, wEval] = m.forward(q, k, k, { averageAttnWeights: false });
    const ref = Array.from((wEval as Tensor).data);
    data.forEach((x, i) => {
      if (x !== 0) expect(Math.abs(x - 2 * ref[i])).toBeLessThan(1e-12);
    });
    // eval mode is deterministic; p = 0 in training equals eval
    const [outEval2] = m.forward(q, k, k);
    expect(Array.from(outEval2.data)).toEqual(Array.from(outEval.data));
    const m0 = new nn.MultiheadAttention(8, 2, { dtype: 'float64' });
    m0.loadStateDict(m.stateDict());
    const [o0] = m0.forward(q, k, k);
    expect(Array.from(o0.data)).toEqual(Array.from(outEval.data));
    // the same seed gives the same dropout mask
    m.train();
    manualSeed(9);
    const [oa] = m.forward(q, k, k);
    manualSeed(9);
    const [ob] = m.forward(q, k, k);
    expect(Array.from(oa.data)).toEqual(Array.from(ob.data));
    expect(Array.from(oa.data)).not.toEqual(Array.from(outEval.data));
  });

  it('keeps batchFirst outputs consistent with sequence-first ones', () => {
    manualSeed(2);
    const a = new nn.MultiheadAttention(6, 3, { dtype: 'float64' });
    const b = new nn.MultiheadAttention(6, 3, { batchFirst: true, dtype: 'float64' });
    b.loadStateDict(a.stateDict());
    const x = randn([4, 2, 6], { dtype: 'float64' });
    const [oa, wa] = a.forward(x, x, x);
    const xb = x.transpose(0, 1).contiguous();
    const [ob, wb] = b.forward(xb, xb, xb);
    expect(ob.shape).toEqual([2, 4, 6]);
    const diff = ob.transpose(0, 1).sub(oa).abs().max().item();
    expect(diff).toBeLessThan(1e-12);
    expect(
      (wb as Tensor)
        .sub(wa as Tensor)
        .abs()
        .max()
        .item(),
    ).toBeLessThan(1e-12);
  });

  it('trains: the loss decreases', () => {
    manualSeed(1);
    const m = new nn.MultiheadAttention(8, 2, { batchFirst: true });
    const x = randn([4, 5, 8]);
    const target = randn([4, 5, 8]);
    const opt = new optim.Adam(m.parameters(), { lr: 0.01 });
    const loss = (): Tensor => m.forward(x, x, x)[0].sub(target).square().mean();
    const first = noGrad(loss).item();
    for (let i = 0; i < 60; i++) {
      opt.zeroGrad();
      const l = loss();
      l.backward();
      opt.step();
    }
    const last = noGrad(loss).item();
    expect(last).toBeLessThan(0.8 * first);
    for (const p of m.parameters()) expect(p.grad).not.toBeNull();
  });
});
