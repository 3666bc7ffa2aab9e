/**
 * nn.TransformerEncoderLayer, nn.TransformerDecoderLayer, their stacks and
 * nn.Transformer against PyTorch 1.13 (test/golden/transformer.json,
 * scripts/golden/transformer.py), on every backend: built after
 * `manualSeed(seed)`, the state dict must be PyTorch's (same draws, same
 * order, stacks deep-copied without drawing); then, on the fixture's inputs
 * and masks (key padding masks int32 where PyTorch's are bool), in training
 * mode with dropout seeded as PyTorch's or in evaluation mode, the output
 * and the gradients of ½·Σ out² + Σ out with respect to the inputs and every
 * parameter must be PyTorch's (SPEC §6 tolerance, scaled for the sums over
 * positions and layers). Then the API's errors.
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, nn, randn, zeros, type Tensor } from '../src/index.js';
import { forEachBackend } from './helpers/backends.js';
import { decodeTensor, expectClose, loadGolden, type EncodedTensor } from './helpers/golden.js';

type LayerConfig = Record<string, unknown> & { dModel: number; nhead: number };

interface TransformerCase {
  name: string;
  kind: 'encoderLayer' | 'decoderLayer' | 'encoder' | 'decoder' | 'transformer';
  config: Record<string, unknown>;
  training: boolean;
  seed: number;
  forwardSeed: number;
  state: Record<string, EncodedTensor>;
  inputs: Record<string, EncodedTensor>;
  masks: Record<string, EncodedTensor>;
  output: EncodedTensor;
  gradInputs: Record<string, EncodedTensor>;
  gradParams: Record<string, EncodedTensor>;
}

const golden = loadGolden<TransformerCase>('transformer');

type Built = { forward(...args: unknown[]): Tensor } & nn.Module;

/** The module, built as the script built it. */
function build(c: TransformerCase): Built {
  manualSeed(c.seed);
  const layer = <L>(Cls: new (d: number, h: number, o: object) => L, cfg: LayerConfig): L => {
    const { dModel, nhead, ...options } = cfg;
    return new Cls(dModel, nhead, options);
  };
  const cfg = c.config;
  let m: nn.Module;
  switch (c.kind) {
    case 'encoderLayer':
      m = layer(nn.TransformerEncoderLayer, cfg as LayerConfig);
      break;
    case 'decoderLayer':
      m = layer(nn.TransformerDecoderLayer, cfg as LayerConfig);
      break;
    case 'encoder':
    case 'decoder': {
      const lc = cfg.layer as LayerConfig;
      const norm = cfg.norm ? new nn.LayerNorm(lc.dModel) : null;
      m =
        c.kind === 'encoder'
          ? new nn.TransformerEncoder(
              layer(nn.TransformerEncoderLayer, lc),
              cfg.numLayers as number,
              norm,
            )
          : new nn.TransformerDecoder(
              layer(nn.TransformerDecoderLayer, lc),
              cfg.numLayers as number,
              norm,
            );
      break;
    }
    case 'transformer':
      m = new nn.Transformer(cfg);
      break;
  }
  m.train(c.training);
  return m as Built;
}

describe('transformer modules against PyTorch', () => {
  forEachBackend(() => {
    for (const c of golden.cases) {
      it(c.name, () => {
        const m = build(c);
        const state = m.stateDict();
        expect(Object.keys(state)).toEqual(Object.keys(c.state));
        for (const [k, v] of Object.entries(c.state)) {
          expectClose(state[k], v, `${c.name}: initial ${k}`);
        }
        const inputs = Object.values(c.inputs).map((e) => decodeTensor(e, true));
        const masks = Object.fromEntries(
          Object.entries(c.masks).map(([k, v]) => [k, decodeTensor(v)]),
        );
        manualSeed(c.forwardSeed);
        const out = m.forward(...inputs, masks);
        expectClose(out, c.output, `${c.name}: output`, 4);
        out.pow(2).sum().mul(0.5).add(out.sum()).backward();
        const scale = 16;
        Object.keys(c.inputs).forEach((k, i) => {
          expectClose(inputs[i].grad!, c.gradInputs[k], `${c.name}: ${k} gradient`, scale);
        });
        const params = Object.fromEntries(m.namedParameters());
        expect(Object.keys(params)).toEqual(Object.keys(c.gradParams));
        for (const [k, g] of Object.entries(c.gradParams)) {
          expectClose(params[k].grad!, g, `${c.name}: ${k} gradient`, scale);
        }
      });
    }
  });
});

describe('transformer API', () => {
  it('copies the layer for a stack without drawing, each copy its own weights', () => {
    manualSeed(1);
    const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
    const next = randn([1]).item();
    manualSeed(1);
    const again = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
    const stack = new nn.TransformerEncoder(again, 2);
    expect(randn([1]).item()).toBe(next);
    const [a, b] = stack.layers;
    expect(a.linear1.weight.toArray()).toEqual(layer.linear1.weight.toArray());
    a.linear1.weight.requiresGrad_(false).mul_(0);
    expect(b.linear1.weight.toArray()).toEqual(layer.linear1.weight.toArray());
  });

  it('registers a module activation as PyTorch does, and calls a function one', () => {
    const layer = new nn.TransformerEncoderLayer(4, 2, {
      dimFeedforward: 8,
      activation: new nn.GELU(),
    });
    expect(layer.toString()).toContain("(activation): GELU(approximate='none')");
    let calls = 0;
    const f = new nn.TransformerEncoderLayer(4, 2, {
      dimFeedforward: 8,
      activation: (x: Tensor) => {
        calls++;
        return x.tanh();
      },
    });
    f.forward(zeros([3, 4]));
    expect(calls).toBe(1);
  });

  it('makes the causal mask', () => {
    expect(nn.Transformer.generateSquareSubsequentMask(3).toArray()).toEqual([
      [0, -Infinity, -Infinity],
      [0, 0, -Infinity],
      [0, 0, 0],
    ]);
  });

  it("refuses PyTorch's errors with nnkit's messages", () => {
    const tiny = () =>
      new nn.Transformer({
        dModel: 4,
        nhead: 2,
        numEncoderLayers: 1,
        numDecoderLayers: 1,
        dimFeedforward: 4,
      });
    const cases: [() => unknown, string][] = [
      [() => new nn.TransformerEncoderLayer(6, 4), 'dModel (6) must be divisible by nhead (4)'],
      [
        () => new nn.TransformerEncoderLayer(4, 2, { activation: 'tanh' as never }),
        "activation must be 'relu', 'gelu', a function or a module",
      ],
      [
        () => new nn.TransformerEncoder(new nn.Linear(2, 2) as never, 2),
        'expects an nn.TransformerEncoderLayer',
      ],
      [
        () => tiny().forward(zeros([3, 2, 4]), zeros([3, 1, 4])),
        'the batch number of src and tgt must be equal',
      ],
      [
        () => tiny().forward(zeros([3, 2, 4]), zeros([3, 2, 5])),
        'the feature number of src and tgt must be equal to dModel',
      ],
    ];
    for (const [f, message] of cases) expect(f).toThrow(message);
  });
});
