#!/usr/bin/env python3
"""Module full backward hooks against PyTorch:
/usr/bin/python3 scripts/golden/module_hooks.py

Each scenario registers `register_full_backward_hook` hooks on modules whose
weights are stored in the fixture (nnkit loads them with loadStateDict),
runs a forward and a backward in float32, and records every hook call in
order — each entry of grad_input and grad_output (None where PyTorch passes
None) — and the gradients that reached the inputs and weights. The scenario
names are the keys test/module-hooks.golden.test.ts runs the same steps
under. Writes test/golden/module_hooks.json.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
from torch import nn  # noqa: E402

from common import encode_tensor, write  # noqa: E402


def enc(t):
    return None if t is None else encode_tensor(t)


class Recorder:
    """A hook that records its calls; `replace` maps grad_input to what it returns."""

    def __init__(self, out, tag, replace=None):
        self.out, self.tag, self.replace, self.calls = out, tag, replace, 0

    def __call__(self, module, grad_input, grad_output):
        k = self.calls
        self.calls += 1
        self.out[f'{self.tag}.calls'] = torch.tensor(float(self.calls))
        for i, g in enumerate(grad_input):
            self.out[f'{self.tag}.{k}.gi{i}'] = g
        for i, g in enumerate(grad_output):
            self.out[f'{self.tag}.{k}.go{i}'] = g
        return None if self.replace is None else self.replace(grad_input)


class FirstOfTwo(nn.Module):
    """Uses only its first input: the second's grad_input is zeros."""

    def forward(self, a, b):
        return a * 2


def build():
    """The modules of the scenarios, freshly initialised."""
    return {
        'mlp': nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 3)),
        'bilinear': nn.Bilinear(3, 2, 2),
        'mha': nn.MultiheadAttention(4, 2),
        'lstm': nn.LSTM(4, 3),
        'square': nn.Linear(4, 4),
    }


def modules(state):
    """The modules of the scenarios, with the weights of the fixture (keys `<module>.<param>`)."""
    built = build()
    for name, m in built.items():
        m.load_state_dict({k[len(name) + 1:]: v for k, v in state.items() if k.startswith(name + '.')})
    return built


def grads(out, **tensors):
    for k, t in tensors.items():
        out[k] = t.grad


def scenarios(state, data):
    res = {}

    def run(name, body):
        out = {}
        body(out, modules(state))
        res[name] = out

    def x_grad():
        return data['x'].clone().requires_grad_(True)

    def linear_hook(out, m):
        x = x_grad()
        m['mlp'][0].register_full_backward_hook(Recorder(out, 'h'))
        (m['mlp'](x) ** 2).mean().backward()
        grads(out, x=x, W0=m['mlp'][0].weight, W2=m['mlp'][2].weight)
    run('linearHook', linear_hook)

    def replace_grad_input(out, m):
        x = x_grad()
        m['mlp'][2].register_full_backward_hook(Recorder(out, 'h', lambda gi: (gi[0] * 0.5,)))
        (m['mlp'](x) ** 2).mean().backward()
        grads(out, x=x, W0=m['mlp'][0].weight, b0=m['mlp'][0].bias, W2=m['mlp'][2].weight)
    run('replaceGradInput', replace_grad_input)

    def hooks_chain(out, m):
        x = x_grad()
        lin = m['mlp'][0]
        lin.register_full_backward_hook(Recorder(out, 'a', lambda gi: (gi[0] * 2,)))
        lin.register_full_backward_hook(Recorder(out, 'b', lambda gi: (gi[0] + 1,)))
        removed = lin.register_full_backward_hook(Recorder(out, 'c'))
        removed.remove()
        (m['mlp'](x) ** 2).mean().backward()
        grads(out, x=x)
    run('hooksChain', hooks_chain)

    def output_tensor_hook(out, m):
        # The output's own hook runs first (a pre-hook of PyTorch's wrapper node): the module
        # hook's grad_output is what it returned; retain_grad keeps what reached the output.
        x = x_grad()
        lin = m['mlp'][0]
        lin.register_full_backward_hook(Recorder(out, 'h'))
        y = lin(x)
        y.retain_grad()
        y.register_hook(lambda g: g * 3)
        (torch.relu(y) ** 2).mean().backward()
        grads(out, x=x, y=y)
    run('outputTensorHook', output_tensor_hook)

    def no_input_grad(out, m):
        m['mlp'][0].register_full_backward_hook(Recorder(out, 'h'))
        (m['mlp'](data['x']) ** 2).mean().backward()
        grads(out, W0=m['mlp'][0].weight)
    run('noInputGrad', no_input_grad)

    def sequential_hook(out, m):
        x = x_grad()
        m['mlp'].register_full_backward_hook(Recorder(out, 'seq'))
        m['mlp'][2].register_full_backward_hook(Recorder(out, 'last'))
        (m['mlp'](x) ** 2).mean().backward()
        grads(out, x=x)
    run('sequentialHook', sequential_hook)

    def bilinear_one_input(out, m):
        x1 = data['x1'].clone().requires_grad_(True)
        m['bilinear'].register_full_backward_hook(Recorder(out, 'h'))
        m['bilinear'](x1, data['x2']).sum().backward()
        grads(out, x1=x1)
    run('bilinearOneInput', bilinear_one_input)

    def attention_two_outputs(out, m):
        q = data['seq'].clone().requires_grad_(True)
        m['mha'].register_full_backward_hook(Recorder(out, 'h'))
        attn, _ = m['mha'](q, q, data['seq'])
        (attn ** 2).sum().backward()
        grads(out, q=q)
    run('attentionTwoOutputs', attention_two_outputs)

    def lstm_nested_state(out, m):
        x = data['seq'].clone().requires_grad_(True)
        m['lstm'].register_full_backward_hook(Recorder(out, 'h'))
        y, (h, c) = m['lstm'](x)
        (y.sum() + h.sum()).backward()
        grads(out, x=x)
    run('lstmNestedState', lstm_nested_state)

    def lstm_state_only(out, m):
        x = data['seq'].clone().requires_grad_(True)
        m['lstm'].register_full_backward_hook(Recorder(out, 'h'))
        _, (h, c) = m['lstm'](x)
        c.sum().backward()
        grads(out, x=x)
    run('lstmStateOnly', lstm_state_only)

    def shared_twice(out, m):
        x = x_grad()
        m['square'].register_full_backward_hook(Recorder(out, 'h'))
        m['square'](torch.tanh(m['square'](x))).sum().backward()
        grads(out, x=x, W=m['square'].weight)
    run('sharedTwice', shared_twice)

    def unused_input(out, m):
        a = data['x'][0].clone().requires_grad_(True)
        b = data['x'][1].clone().requires_grad_(True)
        f = FirstOfTwo()
        f.register_full_backward_hook(Recorder(out, 'h'))
        f(a, b).sum().backward()
        grads(out, a=a, b=b)
    run('unusedInput', unused_input)

    def loss_module(out, m):
        p = x_grad()
        mse = nn.MSELoss()
        mse.register_full_backward_hook(Recorder(out, 'h'))
        mse(p, data['t']).backward()
        grads(out, p=p)
    run('lossModule', loss_module)

    return {name: {k: enc(v) for k, v in r.items()} for name, r in res.items()}


def main():
    torch.manual_seed(20261203)
    state = {f'{name}.{k}': v.clone() for name, m in build().items() for k, v in m.state_dict().items()}
    gen = torch.Generator().manual_seed(20261204)
    data = {
        'x': torch.randn(6, 4, generator=gen),
        't': torch.randn(6, 4, generator=gen),
        'seq': torch.randn(5, 2, 4, generator=gen),
        'x1': torch.randn(6, 3, generator=gen),
        'x2': torch.randn(6, 2, generator=gen),
    }
    cases = [{'name': k, 'results': v} for k, v in scenarios(state, data).items()]
    write('module_hooks', cases, {
        'data': {k: encode_tensor(v) for k, v in data.items()},
        'state': {k: encode_tensor(v) for k, v in state.items()},
    })


if __name__ == '__main__':
    main()
