#!/usr/bin/env python3
"""Keyed and parameter containers: /usr/bin/python3 scripts/golden/containers.py

ModuleDict, ParameterList and ParameterDict as PyTorch 1.13 prints and
saves them: each case's repr, state-dict keys and iteration order, and the
KeyErrors of bad names. test/containers.test.ts builds the same containers.
Writes test/golden/containers.json.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

from common import write  # noqa: E402

CASES = []


def record(name, m, keys):
    CASES.append({'name': name, 'repr': repr(m), 'stateKeys': list(m.state_dict().keys()),
                  'keys': list(keys), 'parameters': len(list(m.parameters()))})


d = nn.ModuleDict({'b': nn.Linear(2, 3), 'a': nn.ReLU()})
d['c'] = nn.Linear(3, 1, bias=False)
record('ModuleDict', d, d.keys())
d.pop('a')
record('ModuleDict after pop', d, d.keys())
record('empty ModuleDict', nn.ModuleDict(), [])

pl = nn.ParameterList([torch.zeros(2, 3), torch.zeros(3, dtype=torch.float64)])
pl.append(torch.tensor(1.0))
record('ParameterList', pl, [str(i) for i in range(len(pl))])
record('ParameterList of one', nn.ParameterList([torch.zeros(4)]), ['0'])
record('empty ParameterList', nn.ParameterList(), [])

pd = nn.ParameterDict({'w': torch.zeros(2), 'b': torch.zeros(1), 'a': torch.zeros(2, 2, dtype=torch.float64)})
record('ParameterDict', pd, pd.keys())
pd.update([('z', torch.zeros(3)), ('c', torch.zeros(1))])
record('ParameterDict updated from pairs', pd, pd.keys())


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.heads = nn.ModuleDict({'x': nn.Linear(1, 1)})
        self.scales = nn.ParameterList([torch.zeros(1), torch.zeros(2)])
        self.extra = nn.ParameterDict({'q': torch.zeros(1)})


record('Net with the three', Net(), [])

errors = {}
for label, make in [('dot', lambda: nn.ModuleDict({'a.b': nn.ReLU()})),
                    ('empty', lambda: nn.ModuleDict({'': nn.ReLU()})),
                    ('parameter dot', lambda: nn.ParameterDict({'a.b': torch.zeros(1)}))]:
    try:
        make()
    except KeyError as e:
        errors[label] = str(e.args[0])
write('containers', CASES, {'errors': errors})
