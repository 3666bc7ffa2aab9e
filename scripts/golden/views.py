"""Golden values of strided views (test/golden/views.json): transpose,
permute, expand, narrow, select, chunk, split, unbind, unfold and reshape share their base's storage, with
PyTorch's strides and storage offsets; in-place writes show through in both
directions; autograd through views (and through in-place writes into views
of non-leaf tensors, PyTorch's CopySlices) gives PyTorch's gradients.

Each case is a scenario written identically in test/views.golden.test.ts:
`inputs` are its leaves (all require grad), `outputs` the tensors it
compares (values after every write, and the leaves' gradients as
`grad.<leaf>`), `layouts` the (shape, stride, storage offset, contiguity)
of the views it makes, and `error` whether PyTorch refuses the scenario.
Run: /usr/bin/python3 scripts/golden/views.py
"""
import torch
import torch.nn.functional as F

from common import encode_tensor, write


def grid(*shape, scale=1.0, shift=0.0, dtype=torch.float32):
    """Distinct values of both signs, none zero (relu's kink stays out of the way)."""
    n = 1
    for d in shape:
        n *= d
    v = (torch.arange(n, dtype=torch.float64) * 0.37 + 0.11) % 2.0 - 1.0 + shift
    v = torch.where(v.abs() < 0.05, v + 0.1, v)
    return (v * scale).reshape(shape).to(dtype)


def layout(t):
    return {
        'shape': list(t.shape),
        'stride': list(t.stride()),
        'offset': t.storage_offset(),
        'contiguous': t.is_contiguous(),
    }


CASES = []


def case(fn):
    CASES.append(fn)
    return fn


@case
def transpose_relu_inplace():
    a = grid(3, 4).requires_grad_()
    w = grid(3, 4, shift=0.3).requires_grad_()
    b = a.clone()
    v = b.t()
    F.relu(v, inplace=True)
    loss = (b * w).sum()
    loss.backward()
    return {'a': a, 'w': w}, {'b': b, 'v': v}, {'v': layout(v)}


@case
def transpose_elu_inplace_used_twice():
    # The view written in place is used too: its new history and the base's CopySlices meet.
    a = grid(3, 4, scale=2).requires_grad_()
    w = grid(4, 3, shift=-0.2).requires_grad_()
    b = a * 1.5
    v = b.t()
    F.elu(v, inplace=True)
    loss = (v * w).sum() + (b * b).sum()
    loss.backward()
    return {'a': a, 'w': w}, {'b': b, 'v': v}, {'v': layout(v)}


@case
def narrow_rows_inplace():
    # A contiguous view from an offset: PyTorch's b.narrow(0, 1, 2).mul_(3), as leaky_relu_ with slope 3 on negatives.
    a = grid(4, 3).requires_grad_()
    w = grid(4, 3, shift=0.5).requires_grad_()
    b = a.clone()
    n = b.narrow(0, 1, 2)
    F.leaky_relu(n, 3.0, inplace=True)
    loss = (b * w).sum()
    loss.backward()
    return {'a': a, 'w': w}, {'b': b, 'n': n}, {'n': layout(n)}


@case
def narrow_columns_inplace():
    a = grid(3, 5).requires_grad_()
    w = grid(3, 5, shift=-0.4).requires_grad_()
    b = a.clone()
    n = b.narrow(1, 1, 3)
    F.hardtanh(n, -0.5, 0.5, inplace=True)
    loss = (b * w).sum()
    loss.backward()
    return {'a': a, 'w': w}, {'b': b, 'n': n}, {'n': layout(n)}


@case
def base_write_shows_in_view():
    # A view taken before its base is written in place reads the new values, and its
    # gradient flows through the base's new history.
    a = grid(3, 4).requires_grad_()
    w = grid(4, 3, shift=0.2).requires_grad_()
    b = a * 2
    v = b.t()
    F.silu(b, inplace=True)
    loss = (v * w).sum()
    loss.backward()
    return {'a': a, 'w': w}, {'b': b, 'v': v}, {'v': layout(v)}


@case
def write_through_one_view_read_another():
    a = grid(3, 4).requires_grad_()
    w = grid(4, 3, shift=-0.1).requires_grad_()
    b = a * 1
    v1 = b.t()
    v2 = b.narrow(1, 1, 2)
    F.elu(v2, inplace=True)
    loss = (v1 * w).sum() + (b * b).sum()
    loss.backward()
    return {'a': a, 'w': w}, {'b': b, 'v1': v1, 'v2': v2}, {'v1': layout(v1), 'v2': layout(v2)}


@case
def permute_3d():
    a = grid(2, 3, 4).requires_grad_()
    w = grid(4, 2, 3, shift=0.3).requires_grad_()
    p = a.permute(2, 0, 1)
    c = p.contiguous()
    r = p.reshape(4, 6)
    loss = (p * w).sum() + (r * r).sum()
    loss.backward()
    return {'a': a, 'w': w}, {'p': p, 'c': c, 'r': r}, {'p': layout(p), 'c': layout(c), 'r': layout(r)}


@case
def transposes_of_3d():
    a = grid(2, 3, 4).requires_grad_()
    t1 = a.mT
    t2 = a.transpose(0, 2)
    t3 = a.permute(2, 1, 0)  # a.T in PyTorch 1.13 (deprecated for ndim != 2)
    u = t1.unsqueeze(0)
    loss = (t1 * t1).sum() + (t2 * 3).sum() + t3.sum() + u.sum()
    loss.backward()
    return {'a': a}, {'t1': t1, 't2': t2, 't3': t3, 'u': u}, {
        't1': layout(t1), 't2': layout(t2), 't3': layout(t3), 'u': layout(u),
    }


@case
def expand_then_sum():
    a = grid(3, 1).requires_grad_()
    w = grid(2, 3, 4, shift=0.1).requires_grad_()
    e = a.expand(2, 3, 4)
    loss = (e * w).sum()
    loss.backward()
    return {'a': a, 'w': w}, {'e': e}, {'e': layout(e)}


@case
def expand_inplace_refused():
    a = grid(3, 1)
    e = a.expand(3, 4)
    F.relu(e, inplace=True)
    return {}, {}, {}


@case
def narrow_and_chunk():
    a = grid(4, 6).requires_grad_()
    parts = a.chunk(3, 1)
    n = a.narrow(0, 1, 2)
    loss = sum((p * p).sum() * (i + 1) for i, p in enumerate(parts)) + (n * 5).sum()
    loss.backward()
    out = {f'chunk{i}': p for i, p in enumerate(parts)}
    out['n'] = n
    return {'a': a}, out, {k: layout(v) for k, v in out.items()}


@case
def unfold_overlapping_windows():
    a = grid(2, 7).requires_grad_()
    w = grid(2, 3, 3, shift=0.2).requires_grad_()
    u = a.unfold(1, 3, 2)
    p = a.t().unfold(0, 2, 3)
    (u * w).sum().add((p * p).sum()).backward()
    return {'a': a, 'w': w}, {'u': u, 'p': p}, {'u': layout(u), 'p': layout(p)}


@case
def unfold_patches_written_in_place():
    a = grid(1, 4, 5).requires_grad_()
    b = a.clone()
    patches = b.unfold(1, 2, 2).unfold(2, 2, 1)
    b.mul_(2)
    loss = (patches * patches).sum()
    loss.backward()
    return {'a': a}, {'patches': patches, 'b': b}, {'patches': layout(patches)}


@case
def chunk_of_transpose_inplace():
    # PyTorch refuses to write in place into an output of a function returning several views.
    a = grid(4, 6, dtype=torch.float64).requires_grad_()
    b = a.clone()
    parts = b.t().chunk(2, 0)
    F.relu(parts[1], inplace=True)
    loss = (b * b).sum() + (parts[0] * 2).sum()
    loss.backward()
    return {'a': a}, {'b': b, 'p0': parts[0], 'p1': parts[1]}, {
        'p0': layout(parts[0]), 'p1': layout(parts[1]),
    }


@case
def narrow_of_transpose_inplace():
    # As above with narrow, which PyTorch allows: a view of a view written in place.
    a = grid(4, 6, dtype=torch.float64).requires_grad_()
    b = a.clone()
    t = b.t()
    p0 = t.narrow(0, 0, 3)
    p1 = t.narrow(0, 3, 3)
    F.relu(p1, inplace=True)
    loss = (b * b).sum() + (p0 * 2).sum() + (p1 * p1 * 3).sum()
    loss.backward()
    return {'a': a}, {'b': b, 'p0': p0, 'p1': p1}, {'p0': layout(p0), 'p1': layout(p1)}


@case
def view_made_without_grad_written_with_grad():
    a = grid(3, 4).requires_grad_()
    b = a * 1
    with torch.no_grad():
        v = b.t()
    F.relu(v, inplace=True)
    return {}, {}, {}


@case
def view_made_without_grad_written_without_grad():
    # Both inside no_grad: allowed, and the write is not tracked.
    a = grid(3, 4).requires_grad_()
    b = a * 2
    with torch.no_grad():
        v = b.t()
        F.relu(v, inplace=True)
    loss = (b * b).sum()
    loss.backward()
    return {'a': a}, {'b': b, 'v': v}, {'v': layout(v)}


@case
def view_of_transpose_refused():
    a = grid(3, 4)
    a.t().view(12)
    return {}, {}, {}


@case
def reshape_of_transpose_copies():
    a = grid(3, 4)
    t = a.t()
    r = t.reshape(12)
    s = t.reshape(2, 2, 3)
    # PyTorch's reshape of a non-viewable view is a copy: it keeps the old values.
    F.threshold(a, 10.0, 0.0, inplace=True)
    return {}, {'r': r, 's': s, 't': t}, {'r': layout(r), 't': layout(t)}


@case
def matmul_of_transposed_views():
    x = grid(3, 4).requires_grad_()
    wt = grid(4, 5, shift=0.2).requires_grad_()
    z = grid(3, 2, shift=-0.3).requires_grad_()
    y1 = x @ wt.t().t()
    y2 = x.t() @ z
    y3 = F.linear(x, wt.t())
    loss = (y1 * y1).sum() + (y2 * 2).sum() + (y3 * y3).sum()
    loss.backward()
    return {'x': x, 'wt': wt, 'z': z}, {'y1': y1, 'y2': y2, 'y3': y3}, {}


@case
def matmul_of_transposed_views_float64():
    x = grid(5, 3, dtype=torch.float64).requires_grad_()
    w = grid(5, 4, shift=0.2, dtype=torch.float64).requires_grad_()
    y = x.t() @ w
    y4 = F.linear(w.t(), x.t(), grid(3, dtype=torch.float64))
    loss = (y * y).sum() + (y4 * y4).sum()
    loss.backward()
    return {'x': x, 'w': w}, {'y': y, 'y4': y4}, {}


# ---- the in-place tensor methods (add_, sub_, mul_, div_, clamp_, copy_, fill_, zero_)


@case
def inplace_methods_nograd_update():
    w = grid(2, 3).requires_grad_()
    (w * w).sum().backward()
    with torch.no_grad():
        w.sub_(w.grad, alpha=0.1)
        w.add_(0.5)
        w.mul_(grid(3, shift=0.4))
        w.div_(2.0)
        w.clamp_(-0.3, 0.4)
    g = w.grad
    g.zero_()
    return {}, {'w': w.detach().clone(), 'g': g}, {}


@case
def inplace_methods_leaf_refused():
    w = grid(2, 3).requires_grad_()
    w.add_(1.0)
    return {}, {}, {}


@case
def inplace_add_mul_on_non_leaf():
    x = grid(2, 3).requires_grad_()
    y = grid(2, 3, shift=0.3).requires_grad_()
    b = grid(3, shift=-0.2).requires_grad_()
    h = x * 2
    h.add_(b, alpha=0.5)
    h.mul_(y)
    h.sub_(b)
    (h * h).sum().backward()
    return {'x': x, 'y': y, 'b': b}, {'h': h}, {}


@case
def inplace_div_clamp_on_non_leaf():
    x = grid(2, 3).requires_grad_()
    y = grid(2, 3, shift=1.5).requires_grad_()
    h = x * 1.5 + 2.0
    h.div_(y)
    h.clamp_(min=0.6)
    h.sum().backward()
    return {'x': x, 'y': y}, {'h': h}, {}


@case
def inplace_add_through_a_view():
    x = grid(3, 4).requires_grad_()
    b = grid(4, shift=0.2).requires_grad_()
    w = grid(3, 4, shift=-0.1).requires_grad_()
    h = x * 1
    h.narrow(0, 1, 2).add_(b)
    h.t().mul_(2.0)
    (h * w).sum().backward()
    return {'x': x, 'b': b, 'w': w}, {'h': h}, {}


@case
def inplace_copy_and_fill():
    x = grid(2, 3).requires_grad_()
    src = grid(3, shift=0.5).requires_grad_()
    w = grid(2, 3, shift=-0.4).requires_grad_()
    h = x * 3
    h.copy_(src)
    k = x * 1
    k.fill_(0.25)
    ((h + k) * w).sum().backward()
    return {'x': x, 'src': src, 'w': w}, {'h': h, 'k': k}, {}


@case
def inplace_mul_of_a_saved_output_refused():
    x = grid(2, 3).requires_grad_()
    s = x.sigmoid()
    s.mul_(2.0)
    s.sum().backward()
    return {'x': x}, {}, {}


@case
def inplace_add_cannot_broadcast_the_tensor_written_to():
    with torch.no_grad():
        x = grid(3)
        x.add_(grid(2, 3))
    return {}, {}, {}


@case
def inplace_float64_mul_float32_other():
    x = grid(2, 3, dtype=torch.float64).requires_grad_()
    y = grid(2, 3, shift=0.3).requires_grad_()
    h = x * 1
    h.mul_(y)
    h.sum().backward()
    return {'x': x, 'y': y}, {'h': h}, {}


@case
def inplace_add_into_a_view_of_a_plain_tensor():
    w = grid(2).requires_grad_()
    z = torch.zeros(4)
    z.narrow(0, 0, 2).add_(w)
    (z * grid(4, shift=0.3)).sum().backward()
    return {'w': w}, {'z': z}, {}


@case
def select_unbind_and_split_of_one_base():
    # Many slices of one base, each weighted differently: their gradients sum into one.
    a = grid(3, 4, 5).requires_grad_()
    s = a.select(1, -1)
    rows = a.unbind(0)
    pieces = a.split([1, 4], 2)
    t = (a * 1.5).select(2, 0)
    loss = (s * s).sum() + (pieces[1] * 3).sum() + (pieces[0] ** 3).sum() + (t * t * t).sum()
    for i, r in enumerate(rows):
        loss = loss + (r * (i + 2)).pow(2).sum()
    loss.backward()
    out = {'s': s, 't': t, 'row1': rows[1], 'piece0': pieces[0]}
    return {'a': a}, out, {k: layout(v) for k, v in out.items()}


@case
def select_written_in_place():
    # select returns one view (not several), which PyTorch lets an in-place op write.
    a = grid(3, 4).requires_grad_()
    c = a * 2
    v = c.select(1, 2)
    F.elu(v, inplace=True)
    loss = (c * c).sum() + v.sum()
    loss.backward()
    return {'a': a}, {'c': c, 'v': v}, {'v': layout(v)}


def main():
    cases = []
    for fn in CASES:
        name = fn.__name__
        try:
            leaves, outs, layouts = fn()
            error = False
        except RuntimeError:
            leaves, outs, layouts, error = {}, {}, {}, True
        outputs = {k: encode_tensor(v) for k, v in outs.items()}
        for k, leaf in leaves.items():
            outputs[f'grad.{k}'] = encode_tensor(leaf.grad)
        cases.append({
            'name': name,
            'inputs': {k: encode_tensor(v) for k, v in leaves.items()},
            'outputs': outputs,
            'layouts': layouts,
            'error': error,
        })
    write('views', cases)


if __name__ == '__main__':
    main()
