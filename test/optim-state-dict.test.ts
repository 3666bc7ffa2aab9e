/**
 * Optimizer state dicts: nnkit's layout against PyTorch 1.13's (keys, group
 * options, state entries), loading PyTorch's dict and continuing as PyTorch
 * continues, round trips, and loads that must fail without changing anything.
 */
import { describe, expect, it } from 'vitest';
import { optim, tensor, type Tensor } from '../src/index.js';
import {
  decodeNumber,
  decodeTensor,
  expectClose,
  loadGolden,
  type EncodedTensor,
} from './helpers/golden.js';

type SavedValue = { tensor: EncodedTensor } | { number: number } | null;
interface StateDictCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop';
  options: Record<string, unknown>;
  group_options: Record<string, unknown>;
  init: EncodedTensor[];
  steps: { grads: (EncodedTensor | null)[]; params: EncodedTensor[] }[];
  state_dict: {
    state: Record<string, Record<string, SavedValue>>;
    param_groups: Record<string, unknown>[];
  };
}

const golden = loadGolden<never>('optim') as unknown as { state_dicts: StateDictCase[] };

const camel = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(o).map(([k, v]) => [
      k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
      v,
    ]),
  );

function make(c: StateDictCase, params: Tensor[]): optim.Optimizer {
  const groups = [
    { params: params.slice(0, 2) },
    { params: params.slice(2), ...camel(c.group_options) },
  ];
  const opts = camel(c.options);
  switch (c.optimizer) {
    case 'SGD':
      return new optim.SGD(groups, opts);
    case 'Adam':
      return new optim.Adam(groups, opts);
    case 'AdamW':
      return new optim.AdamW(groups, opts);
    case 'RMSprop':
      return new optim.RMSprop(groups, opts);
  }
}

function feed(params: Tensor[], grads: (EncodedTensor | null)[]): void {
  grads.forEach((g, i) => {
    params[i].grad = g ? decodeTensor(g) : null;
  });
}

/** PyTorch's saved dict as nnkit tensors: `step` stays a one-element tensor, as torch saves it. */
function decodeTorchDict(sd: StateDictCase['state_dict']): optim.OptimizerStateDict {
  const state: optim.OptimizerStateDict['state'] = {};
  for (const [k, entry] of Object.entries(sd.state)) {
    state[Number(k)] = Object.fromEntries(
      Object.entries(entry).map(([key, v]) => [
        key,
        v === null ? null : 'tensor' in v ? decodeTensor(v.tensor) : v.number,
      ]),
    );
  }
  return {
    state,
    param_groups: structuredClone(sd.param_groups) as optim.OptimizerStateDict['param_groups'],
  };
}

describe('optimizer state dicts against PyTorch', () => {
  for (const c of golden.state_dicts) {
    const dtype = c.init[0].dtype;
    const fresh = (): Tensor[] => c.init.map((e) => decodeTensor(e, true));

    it(`${c.name} (${dtype}): nnkit's stateDict has PyTorch's layout and values`, () => {
      const params = fresh();
      const opt = make(c, params);
      for (const s of c.steps.slice(0, 2)) {
        feed(params, s.grads);
        opt.step();
      }
      const sd = opt.stateDict();
      const ref = c.state_dict;
      expect(sd.param_groups.length).toBe(ref.param_groups.length);
      sd.param_groups.forEach((g, i) => {
        expect(Object.keys(g).sort(), `group ${i} keys`).toEqual(
          Object.keys(ref.param_groups[i]).sort(),
        );
        for (const [k, v] of Object.entries(ref.param_groups[i])) {
          const mine = g[k];
          if (typeof v === 'number' || typeof v === 'string') expect(mine, k).toBe(decodeNumber(v));
          else expect(mine, k).toEqual(v);
        }
      });
      expect(Object.keys(sd.state).sort()).toEqual(Object.keys(ref.state).sort());
      for (const [k, entry] of Object.entries(ref.state)) {
        const mine = sd.state[Number(k)];
        expect(Object.keys(mine).sort(), `state ${k} keys`).toEqual(Object.keys(entry).sort());
        for (const [key, v] of Object.entries(entry)) {
          if (v === null) expect(mine[key]).toBeNull();
          else if ('number' in v) expect(mine[key]).toBe(v.number);
          else if (key === 'step')
            expect(mine[key]).toBe(decodeNumber(v.tensor.data[0])); // nnkit: a number
          else expectClose(mine[key] as Tensor, v.tensor, `state ${k}.${key}`);
        }
      }
    });

    it(`${c.name} (${dtype}): loads PyTorch's dict and continues as PyTorch does`, () => {
      const params = c.steps[1].params.map((e) => decodeTensor(e, true));
      const opt = make(c, params);
      opt.loadStateDict(decodeTorchDict(c.state_dict));
      feed(params, c.steps[2].grads);
      opt.step();
      c.steps[2].params.forEach((e, i) => expectClose(params[i], e, `param ${i} after step 3`));
    });

    for (const via of ['stateDict', 'JSON'] as const) {
      it(`${c.name} (${dtype}): a round trip through ${via} continues bit for bit`, () => {
        const a = fresh();
        const optA = make(c, a);
        for (const s of c.steps.slice(0, 2)) {
          feed(a, s.grads);
          optA.step();
        }
        const saved =
          via === 'JSON'
            ? (JSON.parse(JSON.stringify({ opt: optA.stateDict() })) as { opt: never }).opt
            : optA.stateDict();
        const b = a.map((t) => tensor(t.data.slice(), { shape: [...t.shape], requiresGrad: true }));
        const optB = make(c, b);
        optB.loadStateDict(saved);
        // The saved tensors are copies: changing the live state does not change them.
        for (const s of [c.steps[2], c.steps[0], c.steps[1]]) {
          feed(a, s.grads);
          feed(b, s.grads);
          optA.step();
          optB.step();
        }
        a.forEach((t, i) => expect(Array.from(b[i].data)).toEqual(Array.from(t.data)));
        expect(optB.stateDict()).toEqual(optA.stateDict());
      });
    }
  }
});

describe('loadStateDict checks everything before changing anything', () => {
  const setup = () => {
    const p = [
      tensor(
        [
          [1, 2],
          [3, 4],
        ],
        { requiresGrad: true },
      ),
      tensor([5, 6], { requiresGrad: true }),
    ];
    const opt = new optim.Adam([{ params: [p[0]] }, { params: [p[1]], lr: 0.01 }], 0.1, {
      amsgrad: true,
    });
    p.forEach(
      (t) =>
        (t.grad = tensor(
          Array.from(t.data, (v) => v / 10),
          { shape: [...t.shape] },
        )),
    );
    opt.step();
    return { p, opt, sd: opt.stateDict() };
  };

  const cases: [string, (sd: optim.OptimizerStateDict) => unknown, string][] = [
    [
      'group count',
      (sd) => ({ ...sd, param_groups: sd.param_groups.slice(0, 1) }),
      'the dict has 1 parameter groups, the optimizer 2',
    ],
    [
      'group size',
      (sd) => {
        sd.param_groups[1].params = [1, 2];
      },
      'param_groups[1] has 2 parameters',
    ],
    [
      'unknown option',
      (sd) => {
        sd.param_groups[0].learning_rate = 1;
      },
      "param_groups[0]: unknown option 'learning_rate'",
    ],
    [
      'missing option',
      (sd) => {
        delete sd.param_groups[0].lr;
      },
      "param_groups[0]: missing option 'lr'",
    ],
    [
      'bad option',
      (sd) => {
        sd.param_groups[1].betas = [0.9, 2];
      },
      'param_groups[1]: betas must be a pair',
    ],
    [
      'bad lr',
      (sd) => {
        sd.param_groups[0].lr = 'x';
      },
      "param_groups[0]: lr must be a number, got 'x'",
    ],
    [
      'state shape',
      (sd) => {
        sd.state[0].exp_avg = tensor([1, 2, 3, 4]);
      },
      'state[0].exp_avg has shape [4], its parameter [2, 2]',
    ],
    [
      'unknown state',
      (sd) => {
        sd.state[1].momentum_buffer = tensor([0, 0]);
      },
      "state[1]: unknown state 'momentum_buffer'",
    ],
    [
      'missing state',
      (sd) => {
        delete sd.state[1].exp_avg_sq;
      },
      "state[1]: missing 'exp_avg_sq'",
    ],
    [
      'bad step',
      (sd) => {
        sd.state[0].step = 1.5;
      },
      'state[0].step must be a step count (an integer ≥ 0), got 1.5',
    ],
    [
      'stray index',
      (sd) => {
        sd.state[7] = sd.state[0];
      },
      'state[7]: no parameter group lists a parameter with index 7',
    ],
    [
      'int state',
      (sd) => {
        sd.state[1].exp_avg = tensor([1, 2], { dtype: 'int32' });
      },
      'state[1].exp_avg must be a floating tensor',
    ],
    ['not a dict', () => 42, 'expected { state, param_groups }, got 42'],
    [
      'state neither a tensor nor its JSON form',
      (sd) => {
        sd.state[0].exp_avg = { shape: [2, 2] } as never;
      },
      'Adam.loadStateDict: state[0].exp_avg must be a Tensor or its JSON form { dtype, shape, data }, got an object',
    ],
    [
      'bad JSON tensor',
      (sd) => {
        sd.state[0].exp_avg = { dtype: 'float32', shape: [2, 2], data: [1, 2, 3] } as never;
      },
      'Adam.loadStateDict: state[0].exp_avg: data must be a flat array of 4 elements for shape [2, 2], got 3',
    ],
    [
      'JSON tensor of the wrong shape',
      (sd) => {
        sd.state[1].exp_avg_sq = { dtype: 'float64', shape: [1], data: [0] } as never;
      },
      'Adam.loadStateDict: state[1].exp_avg_sq has shape [1], its parameter [2]',
    ],
    [
      'JSON step of two elements',
      (sd) => {
        sd.state[1].step = { dtype: 'float32', shape: [2], data: [1, 1] } as never;
      },
      'Adam.loadStateDict: state[1].step must be a number or a one-element tensor, got shape [2]',
    ],
  ];
  for (const [label, mutate, message] of cases) {
    it(label, () => {
      const { opt, sd } = setup();
      const before = opt.stateDict();
      const bad = structuredClone(sd);
      // structuredClone drops the Tensor prototype: restore the tensors from the original.
      for (const k of Object.keys(sd.state)) bad.state[Number(k)] = { ...sd.state[Number(k)] };
      const replaced = mutate(bad);
      const arg = replaced === undefined ? bad : replaced;
      expect(() => opt.loadStateDict(arg as optim.OptimizerStateDict)).toThrow(message);
      expect(opt.stateDict()).toEqual(before);
    });
  }

  it("accepts an older PyTorch dict without 'maximize' and PyTorch's own keys with any value", () => {
    const { opt, sd } = setup();
    delete sd.param_groups[0].maximize;
    sd.param_groups[1].foreach = true;
    opt.paramGroups[0].maximize = true;
    opt.loadStateDict(sd);
    expect(opt.paramGroups[0].maximize).toBe(false);
  });

  it('casts state to the parameter dtype and accepts a one-element step tensor', () => {
    const { opt, sd, p } = setup();
    sd.state[0].exp_avg = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float64' },
    );
    sd.state[0].step = tensor([3], { dtype: 'float32' });
    opt.loadStateDict(sd);
    const s = opt.state.get(p[0]);
    expect(s?.expAvg).toBeInstanceOf(Float32Array);
    expect(Array.from(s?.expAvg ?? [])).toEqual([1, 2, 3, 4]);
    expect(s?.step).toBe(3);
  });

  it("accepts PyTorch's scalar step tensor and -0, NaN in their JSON form", () => {
    const { opt, sd, p } = setup();
    const json = JSON.parse(JSON.stringify(sd)) as optim.OptimizerStateDict;
    json.state[0].step = { dtype: 'float32', shape: [], data: [4] } as never;
    json.state[0].exp_avg = { dtype: 'float32', shape: [2, 2], data: ['-0', 'NaN', 1, 2] } as never;
    opt.loadStateDict(json);
    const s = opt.state.get(p[0]);
    expect(s?.step).toBe(4);
    expect(Object.is(s?.expAvg[0], -0)).toBe(true);
    expect(Number.isNaN(s?.expAvg[1])).toBe(true);
  });
});
