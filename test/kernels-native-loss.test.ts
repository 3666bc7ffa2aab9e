/**
 * The native addon's fused NLL and class-probability cross-entropy kernels
 * against the JavaScript kernels (src/kernels/js/loss-kernels.ts): outputs,
 * returned total weights and gradients on random inputs, float32 and
 * float64, every instruction set this CPU has, one thread and four.
 * Tolerances: float32 1e-5 abs + 1e-5 rel, float64 1e-12 abs + 1e-9 rel.
 * Also checks that the addon declines what it does not implement, and that
 * F.nllLoss / F.crossEntropy give the same values and gradients with the
 * native backend active as with the JS one. Running the 4-thread variants
 * after the 1-thread ones also covers the pool's resize (new workers once
 * reran the previous job).
 */
import { describe, expect, it } from 'vitest';
import { F, Tensor, getBackend, setBackend } from '../src/index.js';
import { activeBackend, availableBackends } from '../src/kernels/backend.js';
import { nativeAddon } from '../src/kernels/native/index.js';
import * as js from '../src/kernels/js/loss-kernels.js';
import type { Floats } from '../src/kernels/js/types.js';
import { rng } from './helpers/random.js';

const TOL = { float32: [1e-5, 1e-5], float64: [1e-12, 1e-9] } as const;
type DT = keyof typeof TOL;
const DTYPES: DT[] = ['float32', 'float64'];

function alloc(dt: DT, n: number): Floats {
  return dt === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

function fill(dt: DT, n: number, f: (i: number) => number): Floats {
  const a = alloc(dt, n);
  for (let i = 0; i < n; i++) a[i] = f(i);
  return a;
}

function expectClose(dt: DT, actual: ArrayLike<number>, expected: ArrayLike<number>, what: string) {
  const [abs, rel] = TOL[dt];
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e)) {
      expect(Number.isNaN(a), `${what}[${i}]: ${a} vs NaN`).toBe(true);
    } else if (!Number.isFinite(e)) {
      expect(a, `${what}[${i}]`).toBe(e);
    } else if (!(Math.abs(a - e) <= abs + rel * Math.abs(e))) {
      expect.fail(`${what}[${i}]: native ${a} vs js ${e} (${dt})`);
    }
  }
}

function expectTotal(dt: DT, actual: number | false, expected: number, what: string) {
  expect(actual, what).not.toBe(false);
  expectClose(dt, [actual as number], [expected], what);
}

/** Instruction sets to run the addon with (all this CPU supports). */
function isas(): string[] {
  return nativeAddon ? nativeAddon.isas() : [];
}

// The addon is built by `npm install` / `npm run build:native`; without it
// (no C++ toolchain, a browser, NNKIT_NATIVE=0) there is nothing to compare,
// and every backend already runs the JS kernels these tests compare against.
const SKIP_REASON = nativeAddon ? null : 'native addon unavailable (not built or NNKIT_NATIVE=0)';
if (SKIP_REASON) console.warn(`kernels-native-loss: skipped: ${SKIP_REASON}`);

/** Shapes (outer, C, inner); the last ones are large enough to use the thread pool. */
const NLL_SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [5, 3, 1],
  [7, 17, 1],
  [4, 5, 3],
  [3, 33, 2],
  [0, 4, 1],
  [2100, 40, 1],
  [300, 12, 30],
  [33000, 3, 2],
];
/** (outer, C, inner): inner > 1 puts the class dimension before others ([N, C, d1, …]). */
const PROB_SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [5, 3, 1],
  [6, 4, 1],
  [7, 8, 1],
  [3, 9, 1],
  [4, 16, 1],
  [5, 33, 1],
  [2, 257, 1],
  [0, 5, 1],
  [2100, 40, 1],
  [3, 5, 7],
  [2, 9, 16],
  [300, 6, 20],
];
const REDUCTIONS = ['none', 'mean', 'sum'] as const;

describe.skipIf(SKIP_REASON !== null)('native nll / probability cross-entropy kernels', () => {
  const addon = nativeAddon!;
  const variants = isas().flatMap((isa) => [1, 4].map((threads) => ({ isa, threads })));

  function withVariant(v: { isa: string; threads: number }, body: () => void) {
    const isa = addon.isa();
    const threads = addon.getNumThreads();
    addon.useIsa(v.isa);
    addon.setNumThreads(v.threads);
    try {
      body();
    } finally {
      addon.useIsa(isa);
      addon.setNumThreads(threads);
    }
  }

  for (const v of variants) {
    for (const dt of DTYPES) {
      it(`nll matches js (${v.isa}, ${v.threads} thread(s), ${dt})`, () => {
        withVariant(v, () => {
          let seed = 1;
          for (const [outer, C, inner] of NLL_SHAPES) {
            for (const weighted of [false, true]) {
              for (const ignoreMode of ['none', 'some', 'all'] as const) {
                const r = rng(seed++);
                const P = outer * inner;
                const ignoreIndex = ignoreMode === 'none' ? -100 : C > 1 ? 1 : 0;
                const x = fill(dt, outer * C * inner, () => -8 * r() + (r() < 0.05 ? -50 : 0));
                const weight = weighted ? fill(dt, C, () => 0.1 + 2 * r()) : null;
                const target = new Int32Array(P);
                for (let p = 0; p < P; p++) {
                  target[p] =
                    ignoreMode === 'all'
                      ? ignoreIndex
                      : ignoreMode === 'some' && r() < 0.3
                        ? ignoreIndex
                        : Math.floor(r() * C);
                }
                const what = `nll ${outer}x${C}x${inner} w=${weighted} ignore=${ignoreMode}`;
                const lossJ = alloc(dt, P);
                const lossN = alloc(dt, P).fill(Number.NaN);
                const totalJ = js.nllForward(
                  outer,
                  C,
                  inner,
                  x,
                  target,
                  weight,
                  ignoreIndex,
                  lossJ,
                );
                const totalN = addon.nllForward(
                  outer,
                  C,
                  inner,
                  x,
                  target,
                  weight,
                  ignoreIndex,
                  lossN,
                );
                expectTotal(dt, totalN, totalJ, `${what} total`);
                expectClose(dt, lossN, lossJ, `${what} loss`);
                for (const reduction of REDUCTIONS) {
                  const stride = reduction === 'none' ? 1 : 0;
                  const grad = fill(dt, stride ? P : 1, () => 2 * r() - 1);
                  const divisor = reduction === 'mean' ? totalJ : 1;
                  const dxJ = alloc(dt, outer * C * inner);
                  const dxN = alloc(dt, outer * C * inner);
                  js.nllBackward(
                    outer,
                    C,
                    inner,
                    target,
                    weight,
                    ignoreIndex,
                    grad,
                    stride,
                    divisor,
                    dxJ,
                  );
                  const ok = addon.nllBackward(
                    outer,
                    C,
                    inner,
                    target,
                    weight,
                    ignoreIndex,
                    grad,
                    stride,
                    divisor,
                    dxN,
                  );
                  expect(ok, `${what} ${reduction} accepted`).toBe(true);
                  expectClose(dt, dxN, dxJ, `${what} ${reduction} dx`);
                }
              }
            }
          }
        });
      });

      it(`probability-target cross-entropy matches js (${v.isa}, ${v.threads} thread(s), ${dt})`, () => {
        withVariant(v, () => {
          let seed = 1000;
          for (const [outer, C, inner] of PROB_SHAPES) {
            for (const weighted of [false, true]) {
              for (const eps of [0, 0.1, 1]) {
                for (const scale of [1, 300]) {
                  const r = rng(seed++);
                  const P = outer * inner;
                  const n = P * C;
                  const x = fill(dt, n, () => scale * (2 * r() - 1) + (scale > 1 ? 1000 : 0));
                  // Mostly probabilities (rows summing to 1), some arbitrary targets.
                  const target = fill(dt, n, () => r());
                  if (seed % 3 !== 0) {
                    for (let o = 0; o < outer; o++) {
                      for (let i = 0; i < inner; i++) {
                        const at = (c: number): number => (o * C + c) * inner + i;
                        let s = 0;
                        for (let c = 0; c < C; c++) s += target[at(c)];
                        for (let c = 0; c < C; c++) target[at(c)] /= s;
                      }
                    }
                  } else {
                    for (let i = 0; i < n; i++) target[i] = 4 * target[i] - 2;
                  }
                  const weight = weighted ? fill(dt, C, () => 0.1 + 2 * r()) : null;
                  const what = `prob ce ${outer}x${C}x${inner} w=${weighted} eps=${eps} scale=${scale}`;
                  const lossJ = alloc(dt, P);
                  const lossN = alloc(dt, P).fill(Number.NaN);
                  const lseJ = new Float64Array(2 * P);
                  const lseN = new Float64Array(2 * P).fill(Number.NaN);
                  js.crossEntropyProbForward(outer, C, inner, x, target, weight, eps, lossJ, lseJ);
                  const ok = addon.crossEntropyProbForward(
                    outer,
                    C,
                    inner,
                    x,
                    target,
                    weight,
                    eps,
                    lossN,
                    lseN,
                  );
                  expect(ok, `${what} accepted`).toBe(true);
                  expectClose(dt, lossN, lossJ, `${what} loss`);
                  expectClose(dt, lseN, lseJ, `${what} lse`);
                  for (const reduction of REDUCTIONS) {
                    for (const which of ['both', 'dx', 'dtarget'] as const) {
                      const stride = reduction === 'none' ? 1 : 0;
                      const grad = fill(dt, stride ? P : 1, () => 2 * r() - 1);
                      const divisor = reduction === 'mean' ? P : 1;
                      const mk = (want: boolean) => (want ? alloc(dt, n).fill(Number.NaN) : null);
                      const dxJ = mk(which !== 'dtarget');
                      const dtJ = mk(which !== 'dx');
                      const dxN = mk(which !== 'dtarget');
                      const dtN = mk(which !== 'dx');
                      js.crossEntropyProbBackward(
                        outer,
                        C,
                        inner,
                        x,
                        target,
                        weight,
                        eps,
                        lseJ,
                        grad,
                        stride,
                        divisor,
                        dxJ,
                        dtJ,
                      );
                      const done = addon.crossEntropyProbBackward(
                        outer,
                        C,
                        inner,
                        x,
                        target,
                        weight,
                        eps,
                        lseN,
                        grad,
                        stride,
                        divisor,
                        dxN,
                        dtN,
                      );
                      expect(done, `${what} ${reduction} ${which} accepted`).toBe(true);
                      if (dxJ) expectClose(dt, dxN!, dxJ, `${what} ${reduction} dx`);
                      if (dtJ) expectClose(dt, dtN!, dtJ, `${what} ${reduction} dtarget`);
                    }
                  }
                }
              }
            }
          }
        });
      });
    }
  }

  it('matches js on edge values (NaN, ±∞, zero targets on −∞ logits)', () => {
    for (const dt of DTYPES) {
      for (const eps of [0, 0.25]) {
        const C = 11;
        const rows = [
          (c: number) => (c === 3 ? Number.NaN : c),
          (c: number) => (c === 0 ? Number.POSITIVE_INFINITY : c),
          () => Number.NEGATIVE_INFINITY,
          (c: number) => (c % 2 ? Number.NEGATIVE_INFINITY : 0.5 * c),
          (c: number) => (dt === 'float32' ? 3e38 : 1e300) * (c === 5 ? 1 : 0.5),
        ];
        const outer = rows.length;
        const x = fill(dt, outer * C, (i) => rows[Math.floor(i / C)](i % C));
        const target = fill(dt, outer * C, (i) => (i % 3 === 0 ? 0 : 0.5));
        const weight = fill(dt, C, (c) => 1 + c / 4);
        const lossJ = alloc(dt, outer);
        const lossN = alloc(dt, outer);
        const lseJ = new Float64Array(2 * outer);
        const lseN = new Float64Array(2 * outer);
        js.crossEntropyProbForward(outer, C, 1, x, target, weight, eps, lossJ, lseJ);
        expect(
          addon.crossEntropyProbForward(outer, C, 1, x, target, weight, eps, lossN, lseN),
        ).toBe(true);
        expectClose(dt, lossN, lossJ, `edge loss ${dt} eps=${eps}`);
        const grad = fill(dt, 1, () => 0.75);
        const [dxJ, dtJ, dxN, dtN] = [0, 1, 2, 3].map(() => alloc(dt, outer * C));
        js.crossEntropyProbBackward(
          outer,
          C,
          1,
          x,
          target,
          weight,
          eps,
          lseJ,
          grad,
          0,
          5,
          dxJ,
          dtJ,
        );
        expect(
          addon.crossEntropyProbBackward(
            outer,
            C,
            1,
            x,
            target,
            weight,
            eps,
            lseN,
            grad,
            0,
            5,
            dxN,
            dtN,
          ),
        ).toBe(true);
        expectClose(dt, dxN, dxJ, `edge dx ${dt} eps=${eps}`);
        expectClose(dt, dtN, dtJ, `edge dtarget ${dt} eps=${eps}`);
        // NLL on the same rows as log-probabilities, every class as target once per row.
        const t = new Int32Array(outer).map((_, o) => (o * 3) % C);
        const nJ = alloc(dt, outer);
        const nN = alloc(dt, outer);
        const totJ = js.nllForward(outer, C, 1, x, t, weight, -100, nJ);
        expectTotal(
          dt,
          addon.nllForward(outer, C, 1, x, t, weight, -100, nN),
          totJ,
          'edge nll total',
        );
        expectClose(dt, nN, nJ, `edge nll ${dt}`);
      }
    }
  });

  it("is registered as the native backend's hooks", () => {
    const previous = getBackend();
    setBackend('native');
    try {
      const b = activeBackend();
      expect(b.name).toBe('native');
      for (const hook of [
        'nllForward',
        'nllBackward',
        'crossEntropyProbForward',
        'crossEntropyProbBackward',
      ] as const) {
        expect(typeof b[hook], hook).toBe('function');
      }
    } finally {
      setBackend(previous);
    }
  });

  it('declines dtype combinations it does not implement, so the JS kernels run', () => {
    const x32 = new Float32Array(12);
    const x64 = new Float64Array(12);
    const t = new Int32Array([0, 1, 2, 1]);
    const lse = new Float64Array(8);
    // Mixed dtypes: a float64 target or weight with float32 logits.
    expect(
      addon.crossEntropyProbForward(4, 3, 1, x32, x64, null, 0, new Float32Array(4), lse),
    ).toBe(false);
    expect(
      addon.crossEntropyProbForward(
        4,
        3,
        1,
        x32,
        x32,
        new Float64Array(3),
        0,
        new Float32Array(4),
        lse,
      ),
    ).toBe(false);
    expect(addon.nllForward(4, 3, 1, x32, t, new Float64Array(3), -100, new Float32Array(4))).toBe(
      false,
    );
    // An ignored position may hold any index.
    expect(
      addon.nllForward(4, 3, 1, x32, new Int32Array([0, 7, 1, 7]), null, 7, new Float32Array(4)),
    ).toBe(2);
  });

  it('throws on arguments that break the kernel contract, before reading any array', () => {
    const x32 = new Float32Array(12);
    const t = new Int32Array([0, 1, 2, 1]);
    const lse = new Float64Array(8);
    const call =
      (name: string, ...args: unknown[]) =>
      () =>
        (addon as unknown as Record<string, (...a: unknown[]) => unknown>)[name](...args);
    const K = 'nnkit native kernel';
    expect(
      call('crossEntropyProbForward', 2, 3, 4, x32, x32, null, 0, new Float32Array(8), lse),
    ).toThrow(`${K} crossEntropyProbForward: x holds 12 elements, needs outer*C*inner = 24`);
    expect(
      call(
        'crossEntropyProbForward',
        4,
        3,
        1,
        new Int32Array(12),
        x32,
        null,
        0,
        new Float32Array(4),
        lse,
      ),
    ).toThrow(`${K} crossEntropyProbForward: x must be a Float32Array or Float64Array`);
    expect(
      call(
        'crossEntropyProbBackward',
        4,
        3,
        1,
        x32,
        x32,
        null,
        0,
        lse,
        new Float64Array(1),
        0,
        1,
        x32,
        null,
      ),
    ).toThrow(`${K} crossEntropyProbBackward: grad must be the dtype of x`);
    // Class indices are checked where the kernels index with them.
    expect(
      call(
        'nllForward',
        4,
        3,
        1,
        x32,
        new Int32Array([0, 3, 1, 1]),
        null,
        -100,
        new Float32Array(4),
      ),
    ).toThrow(`${K} nllForward: target[1] = 3 is out of range for 3 classes`);
    expect(
      call(
        'nllForward',
        4,
        3,
        1,
        x32,
        new Int32Array([0, -1, 1, 1]),
        null,
        -100,
        new Float32Array(4),
      ),
    ).toThrow(`${K} nllForward: target[1] = -1 is out of range for 3 classes`);
    expect(call('nllForward', 4, 4, 1, x32, t, null, -100, new Float32Array(4))).toThrow(
      `${K} nllForward: x holds 12 elements, needs outer*C*inner = 16`,
    );
    expect(call('nllForward', 4, 3, 1, x32, t, null, -100, new Float64Array(4))).toThrow(
      `${K} nllForward: loss must be the dtype of x`,
    );
    // Sizes that would overflow size_t are caught: the lengths are computed in float64.
    expect(call('softmaxForward', false, 2 ** 40, 2 ** 40, 2 ** 40, x32, x32, 1)).toThrow(
      `${K} softmaxForward: out holds 12 elements, needs outer*size*inner`,
    );
    expect(call('softmaxForward', false, -2, -2, 1, x32, x32, 1)).toThrow(
      `${K} softmaxForward: outer must be a non-negative integer`,
    );
  });
});

const functionalSkip = availableBackends().includes('native')
  ? null
  : 'native backend not registered (addon unavailable)';

describe.skipIf(functionalSkip !== null)('F.nllLoss / F.crossEntropy: native backend vs js', () => {
  type Run = { out: number[]; grads: number[][] };

  function run(backend: 'native' | 'js', f: () => { out: Tensor; leaves: Tensor[] }): Run {
    const previous = getBackend();
    setBackend(backend);
    try {
      const { out, leaves } = f();
      out.mul(out.detach().add(0.5)).sum().backward();
      return { out: Array.from(out.data), grads: leaves.map((l) => Array.from(l.grad!.data)) };
    } finally {
      setBackend(previous);
    }
  }

  function leaf(dt: DT, shape: number[], f: (i: number) => number): Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    return new Tensor(fill(dt, n, f), shape).requiresGrad_();
  }

  for (const dt of DTYPES) {
    for (const reduction of REDUCTIONS) {
      it(`nllLoss with weight and ignoreIndex (${dt}, ${reduction})`, () => {
        const body = () => {
          const r = rng(7);
          const x = leaf(dt, [6, 5, 2], () => -5 * r());
          const t = new Tensor(
            new Int32Array(12).map(() => Math.floor(r() * 6) - 1),
            [6, 2],
          );
          const weight = new Tensor(
            fill(dt, 5, () => 0.5 + r()),
            [5],
          );
          return { out: F.nllLoss(x, t, { weight, ignoreIndex: -1, reduction }), leaves: [x] };
        };
        const n = run('native', body);
        const j = run('js', body);
        expectClose(dt, n.out, j.out, 'loss');
        expectClose(dt, n.grads[0], j.grads[0], 'dx');
      });

      it(`crossEntropy with probability targets, weight, label smoothing (${dt}, ${reduction})`, () => {
        const body = () => {
          const r = rng(11);
          const x = leaf(dt, [9, 7], () => 6 * r() - 3);
          const t = leaf(dt, [9, 7], () => r());
          const weight = new Tensor(
            fill(dt, 7, () => 0.5 + r()),
            [7],
          );
          const out = F.crossEntropy(x, t, { weight, labelSmoothing: 0.2, reduction });
          return { out, leaves: [x, t] };
        };
        const n = run('native', body);
        const j = run('js', body);
        expectClose(dt, n.out, j.out, 'loss');
        expectClose(dt, n.grads[0], j.grads[0], 'dx');
        expectClose(dt, n.grads[1], j.grads[1], 'dtarget');
      });
    }
  }
});
