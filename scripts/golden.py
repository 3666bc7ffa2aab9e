#!/usr/bin/env python3
"""Regenerates every golden fixture from PyTorch: /usr/bin/python3 scripts/golden.py

Requires Debian's python3-torch (apt-get install --no-install-recommends python3-torch).
Each module in scripts/golden/ writes one test/golden/<name>.json.
"""
import os
import subprocess
import sys

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden')

# Each module runs as its own process, as `/usr/bin/python3 scripts/golden/x.py` would:
# torch's global state (default dtype, seeds, threads) set by one cannot leak into the next.
for name in sorted(os.listdir(HERE)):
    if name.endswith('.py') and name != 'common.py':
        subprocess.run([sys.executable, os.path.join(HERE, name)], check=True)
