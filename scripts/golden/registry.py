#!/usr/bin/env python3
"""The registry against PyTorch: /usr/bin/python3 scripts/golden/registry.py

Reads scripts/golden/registry.generated.json (written by `npm run gen` from
src/registry/) and, for every entry:

1. checks its parameter list against PyTorch's own signature: the names and
   order of every parameter (the ones nnkit skips included), the defaults,
   and that each parameter nnkit binds by position is positional in
   PyTorch too (by calling PyTorch with it given by position);
2. does the same for the module class's constructor;
3. runs its samples in float64: PyTorch's output, the gradient of every
   floating input for a random upstream gradient, and the module's repr
   and output for the same arguments.

Writes test/golden/registry.json; exits non-zero if a signature differs.
"""
import inspect
import json
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from common import ROOT, encode_tensor, encode_value, write  # noqa: E402

CASES = os.path.join(ROOT, 'scripts', 'golden', 'registry.generated.json')


def resolve(path):
    obj = sys.modules['torch']
    for part in path.split('.')[1:]:
        obj = getattr(obj, part)
    return obj


def signature_source(path):
    """The callable whose signature `path` has: PyTorch's boolean_dispatch wrappers (F.max_pool1d,
    F.max_pool2d) take (*args, **kwargs) and switch on return_indices between two functions of one
    signature, which F.max_pool1d_with_indices carries."""
    fn = resolve(path)
    try:
        kinds = [p.kind for p in inspect.signature(fn).parameters.values()]
    except (ValueError, TypeError):
        return fn
    if kinds == [inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD]:
        return resolve(path + '_with_indices')
    return fn


def decode_default(v):
    if v == 'Infinity':
        return math.inf
    if v == '-Infinity':
        return -math.inf
    if v == 'NaN':
        return math.nan
    return v


def torch_signature(fn, skip_self=False):
    """[(name, default or inspect._empty, kind)] of a Python callable, or parsed from a builtin's docstring."""
    try:
        sig = inspect.signature(fn)
        params = list(sig.parameters.values())
        if skip_self:
            params = params[1:]
        return [(p.name, p.default, p.kind) for p in params]
    except (ValueError, TypeError):
        first = (fn.__doc__ or '').strip().split('\n')[0]
        m = re.match(r'\s*\w+\((.*)\)', first)
        if not m:
            raise RuntimeError(f'no signature for {fn}')
        out = []
        kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
        for part in [p.strip() for p in m.group(1).split(',') if p.strip()]:
            if part == '*':
                kind = inspect.Parameter.KEYWORD_ONLY
                continue
            if '=' in part:
                name, default = [s.strip() for s in part.split('=', 1)]
                out.append((name, eval(default, {'inf': math.inf}), kind))
            else:
                out.append((part, inspect.Parameter.empty, kind))
        return out


def same_default(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return a == b or (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-12 * max(1, abs(a))
    return a == b


def check_params(where, torch_params, declared_torch_names, params, errors):
    """Names and order (skipped ones included) and defaults against PyTorch's signature."""
    names = [n for n, _, _ in torch_params if n not in ('out',)]
    if names[:len(declared_torch_names)] != declared_torch_names or len(names) != len(declared_torch_names):
        errors.append(f'{where}: PyTorch has ({", ".join(names)}), the registry declares ({", ".join(declared_torch_names)})')
        return
    defaults = {n: d for n, d, _ in torch_params}
    for p in params:
        t = p['torchName']
        if t is None:
            continue
        d = defaults.get(t, inspect.Parameter.empty)
        if p['hasDefault'] and d is not inspect.Parameter.empty:
            if not same_default(decode_default(p['default']), d):
                errors.append(f'{where}: default of {p["name"]} is {p["default"]!r}, PyTorch has {d!r}')
        if not p['hasDefault'] and d is not inspect.Parameter.empty and p['name'] not in ('dim',):
            # nnkit may require what PyTorch defaults to None only where it documents why (softmax's dim).
            errors.append(f'{where}: {p["name"]} is required in nnkit but defaults to {d!r} in PyTorch')


def make_namespace(gen):
    def randn(*s):
        return torch.randn(*s, generator=gen, dtype=torch.float64)

    def rand(*s):
        return torch.rand(*s, generator=gen, dtype=torch.float64)

    def randint(lo, hi, s):
        return torch.randint(lo, hi, s, generator=gen)

    return {
        'randn': randn,
        'rand': rand,
        'randint': randint,
        'sign': lambda t: torch.where(t >= 0, 1.0, -1.0).to(torch.float64),
        'softmax': lambda t: torch.softmax(t, -1),
        'log_softmax': lambda t: torch.log_softmax(t, -1),
        'tensor': lambda v: torch.tensor(v),
        # Indices of the maxima of a random input of `shape` (F.max_unpool1d/2d/3d's `indices`).
        'max_pool1d_indices': lambda shape, *a: F.max_pool1d(randn(*shape), *a, return_indices=True)[1],
        'max_pool2d_indices': lambda shape, *a: F.max_pool2d(randn(*shape), *a, return_indices=True)[1],
        'max_pool3d_indices': lambda shape, *a: F.max_pool3d(randn(*shape), *a, return_indices=True)[1],
    }


# PyTorch 1.13 computes these without a derivative ("derivative for channel_shuffle is not
# implemented"). The outputs recorded are still its function's; the gradients come from the same
# rearrangement written with differentiable ops, checked to give those outputs bit for bit.
DIFFERENTIABLE_REFERENCE = {
    'channelShuffle': lambda input, groups: (
        input.reshape(input.shape[0], groups, input.shape[1] // groups, *input.shape[2:])
        .transpose(1, 2).reshape(input.shape)),
}


def run_samples(entry, errors):
    out = []
    fn = resolve(entry['torch']) if entry['functional'] else None
    params = {p['name']: p for p in entry['params']}
    for k, sample in enumerate(entry['samples']):
        gen = torch.Generator().manual_seed(4242 + 97 * k + sum(map(ord, entry['name'])))
        ns = make_namespace(gen)
        inputs = {name: eval(expr, ns) for name, expr in sample['inputs'].items()}
        args = {}
        for name, v in sample.get('args', {}).items():
            args[name] = eval(v, ns) if params[name]['tensor'] and isinstance(v, str) else decode_default(v)
        kwargs = {params[n]['torchName']: v for n, v in args.items()}
        # Differentiate every floating input PyTorch allows (it refuses e.g. soft_margin_loss's target).
        wanted = {n for n, t in inputs.items() if t.is_floating_point()}
        while True:
            ins = {n: (t.detach().clone().requires_grad_(n in wanted) if t.is_floating_point() else t)
                   for n, t in inputs.items()}
            try:
                if fn is not None:
                    # Inputs that lead PyTorch's signature go by position, the others (layer_norm's
                    # weight, after normalized_shape) by name.
                    lead = []
                    for p in entry['params']:
                        if p['name'] not in ins:
                            break
                        lead.append(p['name'])
                    later = {params[n]['torchName']: t for n, t in ins.items() if n not in lead}
                    y = fn(*[ins[n] for n in lead], **later, **kwargs)
                else:
                    y = resolve(entry['torch'])(**kwargs)(*ins.values())
                break
            except RuntimeError as e:
                m = re.search(r"not differentiable with respect to argument '(\w+)'", str(e))
                if not m or m.group(1) not in wanted:
                    raise
                wanted.discard(m.group(1))
        # With return_indices, PyTorch's tuple (output, indices): the indices are compared exactly.
        indices = None
        if isinstance(y, tuple):
            y, indices = y
        case = {
            'inputs': {n: encode_tensor(t) for n, t in inputs.items()},
            'args': {n: encode_value(v) for n, v in args.items()},
            'positional': sample.get('positional', 0),
            'output': encode_tensor(y),
        }
        # An integer output (one_hot's) has no gradient: the case records the output alone.
        if y.is_floating_point():
            upstream = torch.randn(y.shape, generator=gen, dtype=torch.float64)
            floating = [n for n in ins if n in wanted]
            reference = DIFFERENTIABLE_REFERENCE.get(entry['name'])
            if reference is not None:
                y_ref = reference(**ins, **args)
                if not torch.equal(y_ref.detach(), y.detach()):
                    errors.append(f'{entry["name"]}: the differentiable reference differs from PyTorch for sample {k}')
                y = y_ref
            grads = torch.autograd.grad(y, [ins[n] for n in floating], upstream, allow_unused=True)
            case['upstream'] = encode_tensor(upstream)
            case['grads'] = {n: (encode_tensor(g) if g is not None else None) for n, g in zip(floating, grads)}
        if indices is not None:
            case['indices'] = encode_tensor(indices)
        mod = entry['module']
        if mod:
            mparams = {p['name']: p for p in mod['params']}
            margs = {**{n: v for n, v in args.items() if n in mparams}, **sample.get('moduleArgs', {})}
            # A JavaScript array stands for the tuple PyTorch's callers pass (nn.Unfold((2, 3)),
            # nn.AdaptiveAvgPool2d((5, 7))), which is what the module's repr prints.
            mkwargs = {mparams[n]['torchName']: tuple(v) if isinstance(v, list) else v
                       for n, v in margs.items() if mparams[n]['torchName']}
            m = getattr(nn, mod['name'])(**mkwargs).double()
            # The module takes the function's mode argument from train()/eval(): the sample's value,
            # or the function's default (F.dropout's training=True, F.rrelu's False).
            if mod['fromMode'] and not args.get(mod['fromMode'], params[mod['fromMode']]['default']):
                m.eval()
            case['moduleArgs'] = {n: encode_value(v) for n, v in margs.items()}
            case['moduleRepr'] = repr(m)
            ym = m(*[inputs[n] if n in inputs else args[n] for n in mod['inputs']])
            if isinstance(ym, tuple):
                if not torch.equal(ym[1], indices):
                    errors.append(f'{entry["name"]}: module and function indices differ in PyTorch for sample {k}')
                ym = ym[0]
            # A module with learnable parameters (PReLU) has its own weights: nothing to compare.
            if not list(m.parameters()) and not torch.allclose(ym, y.detach(), equal_nan=True):
                errors.append(f'{entry["name"]}: module and function outputs differ in PyTorch for sample {k}')
        out.append(case)
    return out


def check_positional(entry, errors):
    """Every parameter nnkit binds by position must be positional in PyTorch too."""
    if not entry['functional']:
        return
    fn = resolve(entry['torch'])
    inputs = [p for p in entry['params'] if not p['hasDefault']]
    positional = [p for p in entry['params'] if p['hasDefault'] and not p['kwOnly'] and p['torchName']]
    if not positional or not entry['samples']:
        return
    sample = entry['samples'][0]
    ns = make_namespace(torch.Generator().manual_seed(1))
    def value(p):
        if p['name'] in sample['inputs']:
            return eval(sample['inputs'][p['name']], ns)
        v = sample.get('args', {}).get(p['name'])
        # Tensor arguments (batch_norm's running statistics) are expressions, as in run_samples.
        return eval(v, ns) if p['tensor'] and isinstance(v, str) else decode_default(v)

    args = [value(p) for p in inputs]
    extra = [decode_default(p['default']) for p in positional]
    try:
        fn(*args, *extra)
    except TypeError as e:
        errors.append(f'{entry["name"]}: PyTorch does not take ({", ".join(p["name"] for p in positional)}) by position: {e}')
    except (RuntimeError, ValueError):
        pass  # bound fine; the default values do not suit this sample's shapes


def main():
    with open(CASES) as f:
        spec = json.load(f)
    errors = []
    cases = []
    module_reprs = []
    for entry in spec['entries']:
        if entry['functional']:
            check_params(entry['name'], torch_signature(signature_source(entry['torch'])), entry['torchParams'], entry['params'], errors)
            check_positional(entry, errors)
        mod = entry['module']
        if mod:
            cls = getattr(nn, mod['name'])
            check_params(mod['name'], torch_signature(cls.__init__, skip_self=True), mod['torchParams'], mod['params'], errors)
            # Keyword-only in PyTorch's constructor must be keyword-only in nnkit's.
            kinds = {n: k for n, _, k in torch_signature(cls.__init__, skip_self=True)}
            for p in mod['params']:
                if p['torchName'] and kinds.get(p['torchName']) == inspect.Parameter.KEYWORD_ONLY and not p['kwOnly']:
                    errors.append(f'{mod["name"]}: {p["name"]} is keyword-only in PyTorch')
            if all(p['hasDefault'] for p in mod['params']):
                module_reprs.append({'module': mod['name'], 'repr': repr(cls())})
        cases.append({'name': entry['name'], 'samples': run_samples(entry, errors)})
    for e in errors:
        print('MISMATCH', e, file=sys.stderr)
    write('registry', cases, {'moduleReprs': module_reprs})
    if errors:
        sys.exit(1)


if __name__ == '__main__':
    main()
