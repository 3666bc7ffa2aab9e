/**
 * Strided views against PyTorch (test/golden/views.json, written by
 * scripts/golden/views.py): every scenario below is the fixture script's,
 * line for line, run on every backend. Values after in-place writes, the
 * leaves' gradients, the views' strides and storage offsets, and which
 * scenarios PyTorch refuses must all agree.
 */
import { describe, expect, it } from 'vitest';
import {
  F,
  Tensor,
  gradcheck,
  linspace,
  nn,
  noGrad,
  optim,
  tensor,
  zeros,
  type DType,
} from '../src/index.js';
import { expectClose, loadGolden, type EncodedTensor } from './helpers/golden.js';
import { forEachBackend } from './helpers/backends.js';
// nn.Linear's op (F.linear is not public): a transposed weight view is read in place by the GEMM.
import { linear } from '../src/ops/linalg.js';

interface Layout {
  shape: number[];
  stride: number[];
  offset: number;
  contiguous: boolean;
}

interface ViewCase {
  name: string;
  inputs: Record<string, EncodedTensor>;
  outputs: Record<string, EncodedTensor>;
  layouts: Record<string, Layout>;
  error: boolean;
}

const golden = loadGolden<ViewCase>('views');

/** The fixture script's `grid`: distinct values of both signs, none near zero. */
function grid(
  shape: number[],
  { scale = 1, shift = 0, dtype = 'float32' as DType, requiresGrad = false } = {},
): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const v = Array.from({ length: n }, (_, i) => {
    let x = ((i * 0.37 + 0.11) % 2.0) - 1.0 + shift;
    if (Math.abs(x) < 0.05) x += 0.1;
    return x * scale;
  });
  return tensor(v, { shape, dtype, requiresGrad });
}

const leafOpts = { requiresGrad: true };

type Result = [Record<string, Tensor>, Record<string, Tensor>, Record<string, Tensor>];

const layoutOf = (t: Tensor): Layout => ({
  shape: [...t.shape],
  stride: t.stride(),
  offset: t.storageOffset(),
  contiguous: t.isContiguous(),
});

/** Each scenario returns its leaves, the tensors it compares, and the views whose layout it compares. */
const SCENARIOS: Record<string, () => Result> = {
  transpose_relu_inplace() {
    const a = grid([3, 4], leafOpts);
    const w = grid([3, 4], { shift: 0.3, ...leafOpts });
    const b = a.clone();
    const v = b.t();
    F.relu(v, { inplace: true });
    b.mul(w).sum().backward();
    return [{ a, w }, { b, v }, { v }];
  },
  transpose_elu_inplace_used_twice() {
    const a = grid([3, 4], { scale: 2, ...leafOpts });
    const w = grid([4, 3], { shift: -0.2, ...leafOpts });
    const b = a.mul(1.5);
    const v = b.t();
    F.elu(v, { inplace: true });
    v.mul(w).sum().add(b.mul(b).sum()).backward();
    return [{ a, w }, { b, v }, { v }];
  },
  narrow_rows_inplace() {
    const a = grid([4, 3], leafOpts);
    const w = grid([4, 3], { shift: 0.5, ...leafOpts });
    const b = a.clone();
    const n = b.narrow(0, 1, 2);
    F.leakyRelu(n, 3, true);
    b.mul(w).sum().backward();
    return [{ a, w }, { b, n }, { n }];
  },
  narrow_columns_inplace() {
    const a = grid([3, 5], leafOpts);
    const w = grid([3, 5], { shift: -0.4, ...leafOpts });
    const b = a.clone();
    const n = b.narrow(1, 1, 3);
    F.hardtanh(n, -0.5, 0.5, true);
    b.mul(w).sum().backward();
    return [{ a, w }, { b, n }, { n }];
  },
  base_write_shows_in_view() {
    const a = grid([3, 4], leafOpts);
    const w = grid([4, 3], { shift: 0.2, ...leafOpts });
    const b = a.mul(2);
    const v = b.t();
    F.silu(b, { inplace: true });
    v.mul(w).sum().backward();
    return [{ a, w }, { b, v }, { v }];
  },
  write_through_one_view_read_another() {
    const a = grid([3, 4], leafOpts);
    const w = grid([4, 3], { shift: -0.1, ...leafOpts });
    const b = a.mul(1);
    const v1 = b.t();
    const v2 = b.narrow(1, 1, 2);
    F.elu(v2, { inplace: true });
    v1.mul(w).sum().add(b.mul(b).sum()).backward();
    return [
      { a, w },
      { b, v1, v2 },
      { v1, v2 },
    ];
  },
  permute_3d() {
    const a = grid([2, 3, 4], leafOpts);
    const w = grid([4, 2, 3], { shift: 0.3, ...leafOpts });
    const p = a.permute(2, 0, 1);
    const c = p.contiguous();
    const r = p.reshape(4, 6);
    p.mul(w).sum().add(r.mul(r).sum()).backward();
    return [
      { a, w },
      { p, c, r },
      { p, c, r },
    ];
  },
  transposes_of_3d() {
    const a = grid([2, 3, 4], leafOpts);
    const t1 = a.mT;
    const t2 = a.transpose(0, 2);
    const t3 = a.T;
    const u = t1.unsqueeze(0);
    t1.mul(t1).sum().add(t2.mul(3).sum()).add(t3.sum()).add(u.sum()).backward();
    return [{ a }, { t1, t2, t3, u }, { t1, t2, t3, u }];
  },
  expand_then_sum() {
    const a = grid([3, 1], leafOpts);
    const w = grid([2, 3, 4], { shift: 0.1, ...leafOpts });
    const e = a.expand(2, 3, 4);
    e.mul(w).sum().backward();
    return [{ a, w }, { e }, { e }];
  },
  expand_inplace_refused() {
    const e = grid([3, 1]).expand(3, 4);
    F.relu(e, { inplace: true });
    return [{}, {}, {}];
  },
  narrow_and_chunk() {
    const a = grid([4, 6], leafOpts);
    const parts = a.chunk(3, 1);
    const n = a.narrow(0, 1, 2);
    let loss = n.mul(5).sum();
    parts.forEach(
      (p, i) =>
        (loss = loss.add(
          p
            .mul(p)
            .sum()
            .mul(i + 1),
        )),
    );
    loss.backward();
    const out: Record<string, Tensor> = { n };
    parts.forEach((p, i) => (out[`chunk${i}`] = p));
    return [{ a }, out, out];
  },
  unfold_overlapping_windows() {
    const a = grid([2, 7], leafOpts);
    const w = grid([2, 3, 3], { shift: 0.2, ...leafOpts });
    const u = a.unfold(1, 3, 2);
    const p = a.t().unfold(0, 2, 3);
    u.mul(w).sum().add(p.mul(p).sum()).backward();
    return [
      { a, w },
      { u, p },
      { u, p },
    ];
  },
  unfold_patches_written_in_place() {
    const a = grid([1, 4, 5], leafOpts);
    const b = a.clone();
    const patches = b.unfold(1, 2, 2).unfold(2, 2, 1);
    b.mul_(2);
    patches.mul(patches).sum().backward();
    return [{ a }, { patches, b }, { patches }];
  },
  chunk_of_transpose_inplace() {
    const a = grid([4, 6], { dtype: 'float64', ...leafOpts });
    const b = a.clone();
    const parts = b.t().chunk(2, 0);
    F.relu(parts[1], { inplace: true });
    return [{}, {}, {}];
  },
  narrow_of_transpose_inplace() {
    const a = grid([4, 6], { dtype: 'float64', ...leafOpts });
    const b = a.clone();
    const t = b.t();
    const p0 = t.narrow(0, 0, 3);
    const p1 = t.narrow(0, 3, 3);
    F.relu(p1, { inplace: true });
    b.mul(b).sum().add(p0.mul(2).sum()).add(p1.mul(p1).mul(3).sum()).backward();
    return [{ a }, { b, p0, p1 }, { p0, p1 }];
  },
  view_made_without_grad_written_with_grad() {
    const a = grid([3, 4], leafOpts);
    const b = a.mul(1);
    const v = noGrad(() => b.t());
    F.relu(v, { inplace: true });
    return [{}, {}, {}];
  },
  view_made_without_grad_written_without_grad() {
    const a = grid([3, 4], leafOpts);
    const b = a.mul(2);
    const v = noGrad(() => {
      const t = b.t();
      F.relu(t, { inplace: true });
      return t;
    });
    b.mul(b).sum().backward();
    return [{ a }, { b, v }, { v }];
  },
  view_of_transpose_refused() {
    grid([3, 4]).t().view(12);
    return [{}, {}, {}];
  },
  reshape_of_transpose_copies() {
    const a = grid([3, 4]);
    const t = a.t();
    const r = t.reshape(12);
    const s = t.reshape(2, 2, 3);
    F.threshold(a, 10, 0, true);
    return [{}, { r, s, t }, { r, t }];
  },
  matmul_of_transposed_views() {
    const x = grid([3, 4], leafOpts);
    const wt = grid([4, 5], { shift: 0.2, ...leafOpts });
    const z = grid([3, 2], { shift: -0.3, ...leafOpts });
    const y1 = x.matmul(wt.t().t());
    const y2 = x.t().matmul(z);
    const y3 = linear(x, wt.t(), null);
    y1.mul(y1).sum().add(y2.mul(2).sum()).add(y3.mul(y3).sum()).backward();
    return [{ x, wt, z }, { y1, y2, y3 }, {}];
  },
  matmul_of_transposed_views_float64() {
    const x = grid([5, 3], { dtype: 'float64', ...leafOpts });
    const w = grid([5, 4], { shift: 0.2, dtype: 'float64', ...leafOpts });
    const y = x.t().matmul(w);
    const y4 = linear(w.t(), x.t(), grid([3], { dtype: 'float64' }));
    y.mul(y).sum().add(y4.mul(y4).sum()).backward();
    return [{ x, w }, { y, y4 }, {}];
  },
  // ---- the in-place tensor methods (add_, sub_, mul_, div_, clamp_, copy_, fill_, zero_)
  inplace_methods_nograd_update() {
    const w = grid([2, 3], leafOpts);
    w.mul(w).sum().backward();
    noGrad(() => {
      w.sub_(w.grad!, { alpha: 0.1 });
      w.add_(0.5);
      w.mul_(grid([3], { shift: 0.4 }));
      w.div_(2.0);
      w.clamp_(-0.3, 0.4);
    });
    const g = w.grad!;
    g.zero_();
    return [{}, { w: w.detach().clone(), g }, {}];
  },
  inplace_methods_leaf_refused() {
    const w = grid([2, 3], leafOpts);
    w.add_(1.0);
    return [{}, {}, {}];
  },
  inplace_add_mul_on_non_leaf() {
    const x = grid([2, 3], leafOpts);
    const y = grid([2, 3], { shift: 0.3, ...leafOpts });
    const b = grid([3], { shift: -0.2, ...leafOpts });
    const h = x.mul(2);
    h.add_(b, { alpha: 0.5 });
    h.mul_(y);
    h.sub_(b);
    h.mul(h).sum().backward();
    return [{ x, y, b }, { h }, {}];
  },
  inplace_div_clamp_on_non_leaf() {
    const x = grid([2, 3], leafOpts);
    const y = grid([2, 3], { shift: 1.5, ...leafOpts });
    const h = x.mul(1.5).add(2.0);
    h.div_(y);
    h.clamp_({ min: 0.6 });
    h.sum().backward();
    return [{ x, y }, { h }, {}];
  },
  inplace_add_through_a_view() {
    const x = grid([3, 4], leafOpts);
    const b = grid([4], { shift: 0.2, ...leafOpts });
    const w = grid([3, 4], { shift: -0.1, ...leafOpts });
    const h = x.mul(1);
    h.narrow(0, 1, 2).add_(b);
    h.t().mul_(2.0);
    h.mul(w).sum().backward();
    return [{ x, b, w }, { h }, {}];
  },
  inplace_copy_and_fill() {
    const x = grid([2, 3], leafOpts);
    const src = grid([3], { shift: 0.5, ...leafOpts });
    const w = grid([2, 3], { shift: -0.4, ...leafOpts });
    const h = x.mul(3);
    h.copy_(src);
    const k = x.mul(1);
    k.fill_(0.25);
    h.add(k).mul(w).sum().backward();
    return [{ x, src, w }, { h, k }, {}];
  },
  inplace_mul_of_a_saved_output_refused() {
    const x = grid([2, 3], leafOpts);
    const s = x.sigmoid();
    s.mul_(2.0);
    s.sum().backward();
    return [{ x }, {}, {}];
  },
  inplace_add_cannot_broadcast_the_tensor_written_to() {
    noGrad(() => grid([3]).add_(grid([2, 3])));
    return [{}, {}, {}];
  },
  inplace_add_into_a_view_of_a_plain_tensor() {
    const w = grid([2], leafOpts);
    const z = zeros([4]);
    z.narrow(0, 0, 2).add_(w);
    z.mul(grid([4], { shift: 0.3 }))
      .sum()
      .backward();
    return [{ w }, { z }, {}];
  },
  select_unbind_and_split_of_one_base() {
    const a = grid([3, 4, 5], leafOpts);
    const s = a.select(1, -1);
    const rows = a.unbind(0);
    const pieces = a.split([1, 4], 2);
    const t = a.mul(1.5).select(2, 0);
    let loss = s
      .mul(s)
      .sum()
      .add(pieces[1].mul(3).sum())
      .add(pieces[0].pow(3).sum())
      .add(t.mul(t).mul(t).sum());
    rows.forEach(
      (r, i) =>
        (loss = loss.add(
          r
            .mul(i + 2)
            .pow(2)
            .sum(),
        )),
    );
    loss.backward();
    const out = { s, t, row1: rows[1], piece0: pieces[0] };
    return [{ a }, out, out];
  },
  select_written_in_place() {
    const a = grid([3, 4], leafOpts);
    const c = a.mul(2);
    const v = c.select(1, 2);
    F.elu(v, { inplace: true });
    c.mul(c).sum().add(v.sum()).backward();
    return [{ a }, { c, v }, { v }];
  },
  inplace_float64_mul_float32_other() {
    const x = grid([2, 3], { dtype: 'float64', ...leafOpts });
    const y = grid([2, 3], { shift: 0.3, ...leafOpts });
    const h = x.mul(1);
    h.mul_(y);
    h.sum().backward();
    return [{ x, y }, { h }, {}];
  },
};

describe('views.json', () => {
  it('has a scenario here for each of the fixture script', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(golden.cases.map((c) => c.name).sort());
  });
});

forEachBackend(() => {
  describe('views: PyTorch semantics', () => {
    for (const c of golden.cases) {
      it(c.name, () => {
        const run = SCENARIOS[c.name];
        if (c.error) {
          expect(run).toThrow(Error);
          return;
        }
        const [leaves, outs, views] = run();
        for (const [k, e] of Object.entries(c.inputs)) expectClose(leaves[k], e, `input ${k}`);
        for (const [k, e] of Object.entries(c.outputs)) {
          const t = k.startsWith('grad.') ? leaves[k.slice(5)].grad : outs[k];
          expect(t, `${c.name}: ${k}`).toBeInstanceOf(Tensor);
          expectClose(t!, e, `${c.name}: ${k}`);
        }
        for (const [k, layout] of Object.entries(c.layouts)) {
          expect(layoutOf(views[k]), `${c.name}: layout of ${k}`).toEqual(layout);
        }
      });
    }
  });
});

describe('views share storage', () => {
  it('writes into the base show in a transposed view, and back', () => {
    const b = linspace(-1, 1, 6).reshape(2, 3);
    const v = b.t();
    F.relu(b, { inplace: true });
    // torch.linspace(-1, 1, 6)[3] is 0.19999998807907104, one ulp below float32's 0.2.
    expect(v.toArray()).toEqual([
      [0, 0.19999998807907104],
      [0, 0.6000000238418579],
      [0, 1],
    ]);
    F.hardtanh(v, 0.5, 0.7, true);
    expect(b.toArray()).toEqual([
      [0.5, 0.5, 0.5],
      [0.5, 0.6000000238418579, 0.699999988079071],
    ]);
    expect(b._version).toBe(v._version);
  });

  it("a base written through a view prints PyTorch's grad_fn=<CopySlices>", () => {
    const b = grid([2, 3], leafOpts).mul(1);
    F.relu(b.t(), { inplace: true });
    expect(b.toString()).toMatch(/grad_fn=<CopySlices>\)$/);
  });

  it('a saved view of a tensor written in place is caught by the version check', () => {
    const a = grid([2, 3], leafOpts);
    const b = a.mul(1);
    const v = b.t();
    const y = v.mul(v);
    F.relu(b, { inplace: true });
    expect(() => y.sum().backward()).toThrow(/modified by an inplace operation/);
  });

  it('a non-contiguous view has a data copy; a contiguous one shares memory', () => {
    const b = grid([3, 4]);
    const rows = b.narrow(0, 1, 2);
    rows.data[0] = 42;
    expect(b.data[4]).toBe(42);
    expect(rows.data.length).toBe(8);
    const cols = b.narrow(1, 1, 2);
    cols.data[0] = 7;
    expect(b.data[1]).not.toBe(7);
    expect(cols.size).toBe(6);
    expect(cols.numel()).toBe(6);
  });
});

describe('autograd through views matches finite differences', () => {
  const x64 = () => grid([3, 4], { dtype: 'float64', scale: 1.3, ...leafOpts });
  const checks: [string, (x: Tensor) => Tensor][] = [
    [
      'an in-place write into a transposed view (CopySlices)',
      (x) => {
        const b = x.mul(1);
        F.elu(b.t(), { inplace: true });
        return b.mul(b);
      },
    ],
    [
      'an in-place write into a narrowed view of a transpose, the view used too',
      (x) => {
        const b = x.mul(2);
        const v = b.t().narrow(0, 1, 2);
        F.silu(v, { inplace: true });
        return v.mul(v).sum().add(b.sum());
      },
    ],
    [
      'a view read after its base was written in place (as_strided)',
      (x) => {
        const b = x.mul(1);
        const v = b.narrow(1, 1, 3).t();
        F.selu(b, { inplace: true });
        return v.mul(v);
      },
    ],
    [
      'expand, permute and a non-viewable reshape',
      (x) =>
        x
          .unsqueeze(0)
          .expand(2, 3, 4)
          .permute(2, 0, 1)
          .reshape(8, 3)
          .matmul(x.narrow(1, 0, 3).t()),
    ],
  ];
  for (const [label, fn] of checks) {
    it(label, () => {
      expect(gradcheck(fn, [x64()])).toBe(true);
    });
  }
});

forEachBackend(() => {
  describe('binary ops read views with unit or zero row strides in place', () => {
    // Each pair: a view and an operand it broadcasts with. The reference is the
    // same op on contiguous copies (the flat path), which must agree bit for bit.
    const base = () => grid([4, 6], { dtype: 'float64', shift: 0.2, ...leafOpts });
    const views: [string, (x: Tensor) => Tensor, number[]][] = [
      ['narrow of columns', (x) => x.narrow(1, 1, 4), [4, 4]],
      ['expand of a column', (x) => x.narrow(1, 2, 1).expand(4, 5), [4, 5]],
      ['expand with new leading dims', (x) => x.narrow(0, 1, 1).expand(3, 2, 6), [2, 6]],
      ['permute keeping the last dim', (x) => x.reshape(2, 2, 6).permute(1, 0, 2), [2, 2, 6]],
      ['a transpose (copied)', (x) => x.t(), [6, 4]],
    ];
    const ops = ['add', 'sub', 'mul', 'div', 'maximum', 'pow'] as const;
    for (const [label, make, otherShape] of views) {
      for (const op of ops) {
        it(`${op}: ${label}`, () => {
          const x = base();
          const y = grid(otherShape, { dtype: 'float64', scale: 0.7, shift: 1.5, ...leafOpts });
          const v = make(x);
          const got = v[op](y);
          const x2 = base();
          const y2 = grid(otherShape, { dtype: 'float64', scale: 0.7, shift: 1.5, ...leafOpts });
          const want = make(x2).contiguous()[op](y2);
          const same = (u: Tensor, w: Tensor, what: string) => {
            // Rows read with stride 0 may take the kernels' broadcast path: the last bit may differ.
            const ud = u.data;
            const wd = w.data;
            expect(ud.length, what).toBe(wd.length);
            for (let i = 0; i < ud.length; i++) {
              const ok =
                Object.is(ud[i], wd[i]) || Math.abs(ud[i] - wd[i]) <= 1e-14 * Math.abs(wd[i]);
              if (!ok) expect.fail(`${what}: element ${i} is ${ud[i]}, the copy gives ${wd[i]}`);
            }
          };
          same(got, want, 'forward');
          const back = y[op](v);
          same(back, y2[op](make(x2).contiguous()), 'forward, view second');
          got.sum().add(back.sum()).backward();
          want
            .sum()
            .add(y2[op](make(x2).contiguous()).sum())
            .backward();
          same(x.grad!, x2.grad!, 'gradient of the view');
          same(y.grad!, y2.grad!, 'gradient of the other operand');
        });
      }
    }
  });
});

describe('writers that go through data store into a view', () => {
  // Each writes into `data`, a copy for a non-contiguous view: the copy is written back.
  it('an optimizer step updates a transposed parameter in its storage', () => {
    const base = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const p = base.t().detach().requiresGrad_();
    p.grad = tensor([
      [1, 10],
      [2, 20],
      [3, 30],
    ]);
    new optim.SGD([p], { lr: 0.5 }).step();
    expect(base.toArray()).toEqual([
      [0.5, 1, 1.5],
      [-1, -5, -9],
    ]);
  });

  it('zeroGrad(false) and clipGradValue_ write a transposed gradient in its storage', () => {
    const p = zeros(2, 3).requiresGrad_();
    const g = tensor([
      [-5, 1],
      [0.5, -2],
      [7, 3],
    ]);
    p.grad = g.t();
    nn.utils.clipGradValue_([p], 1);
    expect(g.toArray()).toEqual([
      [-1, 1],
      [0.5, -1],
      [1, 1],
    ]);
    new optim.SGD([p], { lr: 0.1 }).zeroGrad(false);
    expect(g.toArray()).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
  });

  it('loadStateDict writes into a parameter that is a view', () => {
    const base = zeros(2, 3);
    class Holder extends nn.Module {
      w = this.registerParameter('w', base.t().detach().requiresGrad_()) as Tensor;
      forward(x: Tensor): Tensor {
        return x.matmul(this.w);
      }
    }
    const m = new Holder();
    m.loadStateDict({
      w: tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    });
    expect(base.toArray()).toEqual([
      [1, 3, 5],
      [2, 4, 6],
    ]);
  });
});
