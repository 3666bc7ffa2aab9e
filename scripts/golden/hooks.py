#!/usr/bin/env python3
"""Gradient hooks, backward's inputs and autograd.grad against PyTorch:
/usr/bin/python3 scripts/golden/hooks.py

Each case runs one scenario on a small two-layer network, z = x·W1 + b1,
h = relu(z), y = h·W2, loss = mean((y − t)²), in float32, and records what
PyTorch 1.13 computes: the leaves' and retained `.grad` (absent: None), the
gradients the hooks were called with, in call order, and what
autograd.grad returned. The scenario names are the keys test/hooks.golden.test.ts
runs the same steps under. Writes test/golden/hooks.json.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from common import encode_tensor, write  # noqa: E402


def enc(t):
    return None if t is None else encode_tensor(t)


def network(data):
    """Fresh leaves from the data, the forward pass, and the intermediate tensors."""
    W1 = data['W1'].clone().requires_grad_(True)
    b1 = data['b1'].clone().requires_grad_(True)
    W2 = data['W2'].clone().requires_grad_(True)
    z = data['x'] @ W1 + b1
    return W1, b1, W2, z


def finish(h, W2, data):
    return ((h @ W2 - data['t']) ** 2).mean()


def scenarios(data):
    out = {}

    # A leaf's hook scales its gradient; the other leaves are untouched.
    W1, b1, W2, z = network(data)
    W1.register_hook(lambda g: g * 0.5)
    finish(z.relu(), W2, data).backward()
    out['leafHookScales'] = {'W1': W1.grad, 'b1': b1.grad, 'W2': W2.grad}

    # A hook on a hidden activation sees its gradient and clamps it.
    W1, b1, W2, z = network(data)
    h = z.relu()
    seen = []

    def clamp(g):
        seen.append(g)
        return g.clamp(-0.05, 0.05)

    h.register_hook(clamp)
    finish(h, W2, data).backward()
    out['hiddenHookClamps'] = {'seen0': seen[0], 'W1': W1.grad, 'b1': b1.grad, 'W2': W2.grad}

    # retainGrad before a hook keeps the gradient the hook was given; after, what it returned.
    for name, retain_first in (('retainThenHook', True), ('hookThenRetain', False)):
        W1, b1, W2, z = network(data)
        if retain_first:
            z.retain_grad()
        z.register_hook(lambda g: g * 3)
        if not retain_first:
            z.retain_grad()
        finish(z.relu(), W2, data).backward()
        out[name] = {'z': z.grad, 'W1': W1.grad}

    # A non-leaf's hooks run together where the first was registered: hook, retain_grad,
    # hook keeps in .grad what both hooks made of the gradient.
    W1, b1, W2, z = network(data)
    z.register_hook(lambda g: g * 3)
    z.retain_grad()
    z.register_hook(lambda g: g * 2)
    finish(z.relu(), W2, data).backward()
    out['hooksRunTogether'] = {'z': z.grad, 'W1': W1.grad}

    # Hooks stay on the node of their first registration through an in-place op (both see
    # the gradient of z before mul_), while retain_grad follows z to mul_'s node.
    W1, b1, W2, z = network(data)
    seen = []
    z.register_hook(lambda g: (seen.append(g), g * 2)[1])
    z.retain_grad()
    z.mul_(1.5)
    z.register_hook(lambda g: seen.append(g))
    finish(z.relu(), W2, data).backward()
    out['hooksStayInplace'] = {'seen0': seen[0], 'seen1': seen[1], 'z': z.grad, 'W1': W1.grad}

    # A leaf used twice: its hook runs once, on the sum.
    W1, b1, W2, z = network(data)
    seen = []
    W2.register_hook(lambda g: seen.append(g))
    h = z.relu()
    (finish(h, W2, data) + (h @ W2).sum() * 0.1).backward()
    out['leafHookOnSum'] = {'calls': torch.tensor(float(len(seen))), 'seen0': seen[0], 'W2': W2.grad}

    # backward(inputs=[W2]): only W2's gradient, a leaf with an existing .grad.
    W1, b1, W2, z = network(data)
    W2.grad = torch.full_like(W2, 0.25)
    finish(z.relu(), W2, data).backward(inputs=[W2])
    out['backwardInputsLeaf'] = {'W1': W1.grad, 'b1': b1.grad, 'W2': W2.grad}

    # backward(inputs=[h]): a non-leaf input retains its gradient, twice summed.
    W1, b1, W2, z = network(data)
    h = z.relu()
    loss = finish(h, W2, data)
    loss.backward(inputs=[h, b1], retain_graph=True)
    loss.backward(inputs=h)
    out['backwardInputsHidden'] = {'h': h.grad, 'W1': W1.grad, 'b1': b1.grad, 'W2': W2.grad}

    # autograd.grad: leaves and a hidden tensor, no .grad touched; hooks on the way run,
    # the inputs' own hooks do not; retained gradients on the way fill in.
    W1, b1, W2, z = network(data)
    seen = []
    W1.register_hook(lambda g: g * 100)
    z.retain_grad()
    h = z.relu()
    h.register_hook(lambda g: (seen.append(g), g * 2)[1])
    gW1, gh, gW2 = torch.autograd.grad(finish(h, W2, data), [W1, h, W2])
    out['gradMany'] = {'gW1': gW1, 'gh': gh, 'gW2': gW2, 'W1': W1.grad, 'W2': W2.grad,
                       'z': z.grad, 'calls': torch.tensor(float(len(seen)))}

    # autograd.grad of a non-scalar output with grad_outputs, and an unused input.
    W1, b1, W2, z = network(data)
    unused = torch.zeros(3, requires_grad=True)
    gW1, gu = torch.autograd.grad(z, [W1, unused], grad_outputs=data['go'], allow_unused=True)
    out['gradOutputs'] = {'gW1': gW1, 'unused': gu}

    # autograd.backward of two losses, the second weighted by 2, and a hook on the shared z.
    W1, b1, W2, z = network(data)
    z.register_hook(lambda g: g * -1)
    h = z.relu()
    torch.autograd.backward([finish(h, W2, data), h.sum()], [None, torch.tensor(2.0)])
    out['backwardMany'] = {'W1': W1.grad, 'b1': b1.grad, 'W2': W2.grad}

    return {name: {k: enc(v) for k, v in r.items()} for name, r in out.items()}


def main():
    gen = torch.Generator().manual_seed(20261203)
    data = {
        'x': torch.randn(6, 4, generator=gen),
        'W1': torch.randn(4, 5, generator=gen) * 0.5,
        'b1': torch.randn(5, generator=gen) * 0.1,
        'W2': torch.randn(5, 3, generator=gen) * 0.5,
        't': torch.randn(6, 3, generator=gen),
        'go': torch.randn(6, 5, generator=gen),
    }
    cases = [{'name': k, 'results': v} for k, v in scenarios(data).items()]
    write('hooks', cases, {'data': {k: encode_tensor(v) for k, v in data.items()}})


if __name__ == '__main__':
    main()
