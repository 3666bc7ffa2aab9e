#!/usr/bin/env python3
"""Regenerates every golden fixture from PyTorch: /usr/bin/python3 scripts/golden.py

Requires Debian's python3-torch (apt-get install --no-install-recommends python3-torch).
Each module in scripts/golden/ writes one test/golden/<name>.json.
"""
import importlib.util
import os
import sys

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden')
sys.path.insert(0, HERE)

for name in sorted(os.listdir(HERE)):
    if not name.endswith('.py') or name == 'common.py':
        continue
    spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(HERE, name))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main()
