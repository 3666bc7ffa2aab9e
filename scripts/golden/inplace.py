"""Golden outcomes of in-place activations on tensors that autograd saved
(test/golden/inplace.json), for nnkit's version counters.

Each scenario applies activation `act1` to x, uses the result h in op `op`
(a product with w, a sum, a reshape, a matrix product, or — `viewInplace` —
writes `act2` into h through a view first), writes `act2` into h in place,
and back-propagates y.sum() (plus h.sum() when `useH`). PyTorch either
raises its "modified by an inplace operation" error or computes gradients;
`grads` are the gradients of the same computation written without in-place
ops (clone semantics), which nnkit must match whenever it does not raise.
Run: /usr/bin/python3 scripts/golden/inplace.py
"""
import torch
import torch.nn.functional as F

from common import encode_tensor, write

torch.set_default_dtype(torch.float64)

ACTS = {
    'relu': lambda t, ip: F.relu(t, inplace=ip),
    'rrelu': lambda t, ip: F.rrelu(t, training=False, inplace=ip),
    'leakyRelu': lambda t, ip: F.leaky_relu(t, inplace=ip),
    'elu': lambda t, ip: F.elu(t, inplace=ip),
    'celu': lambda t, ip: F.celu(t, inplace=ip),
    'selu': lambda t, ip: F.selu(t, inplace=ip),
    'relu6': lambda t, ip: F.relu6(t, inplace=ip),
    'hardtanh': lambda t, ip: F.hardtanh(t, inplace=ip),
    'threshold': lambda t, ip: F.threshold(t, 0.1, 20.0, inplace=ip),
    'silu': lambda t, ip: F.silu(t, inplace=ip),
    'mish': lambda t, ip: F.mish(t, inplace=ip),
    'hardsigmoid': lambda t, ip: F.hardsigmoid(t, inplace=ip),
    'hardswish': lambda t, ip: F.hardswish(t, inplace=ip),
}
# The second, in-place activation: the ones whose backward reads x, y or neither.
ACTS2 = ['relu', 'elu', 'selu', 'threshold', 'silu', 'mish', 'hardsigmoid', 'hardswish']
OPS = ['mul', 'add', 'sigmoid', 'sum', 'reshape', 'matmul', 'viewInplace']

X = torch.tensor([[-2.5, -1.0, -0.05, 0.0], [0.05, 0.3, 1.0, 2.5], [-3.5, 3.5, 6.5, -0.7]])
W = X * -0.5 + 0.25


def run(a1, a2, op, use_h, functional):
    x = X.clone().requires_grad_()
    w = W.clone().requires_grad_()

    def on(t):
        if op == 'add':
            return t + w
        if op == 'sigmoid':
            return t.sigmoid()
        if op == 'sum':
            return t.sum()
        if op == 'reshape':
            return t.reshape(-1) * w.reshape(-1)
        if op == 'matmul':
            return t @ w.t()
        return t * w

    h = ACTS[a1](x * 1, False)
    if op == 'viewInplace':
        if functional:
            after = ACTS[a2](h, False)
        else:
            ACTS[a2](h.view(-1), True)
            after = h
        y = on(after)
    else:
        y = on(h)
        after = ACTS[a2](h, False) if functional else ACTS[a2](h, True)
    loss = y.sum() + after.sum() if use_h else y.sum()
    loss.backward()
    return x.grad, w.grad


def main():
    scenarios = []
    for a1 in ACTS:
        for a2 in ACTS2:
            for op in OPS:
                for use_h in (False, True):
                    try:
                        run(a1, a2, op, use_h, False)
                        error = False
                    except RuntimeError as e:
                        if 'modified by an inplace operation' not in str(e):
                            raise
                        error = True
                    gx, gw = run(a1, a2, op, use_h, True)
                    scenarios.append({
                        'act1': a1, 'act2': a2, 'op': op, 'useH': use_h, 'torchError': error,
                        'xGrad': encode_tensor(gx),
                        'wGrad': None if gw is None else encode_tensor(gw),
                    })
    write('inplace', scenarios, {'x': encode_tensor(X), 'w': encode_tensor(W)})


if __name__ == '__main__':
    main()
