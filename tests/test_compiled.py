"""The package's compiled loops import and run where numba cannot write its cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from analytics.compiled import compiled, read_only

ROOT = Path(__file__).resolve().parents[1]


def test_a_compiled_function_takes_read_only_arrays():
    from numba import types

    @compiled([types.int64(read_only(types.int64))])
    def total(values):
        out = 0
        for v in values:
            out += v
        return out

    values = np.arange(5, dtype=np.int64)
    values.setflags(write=False)
    assert total(values) == 10
    with pytest.raises(TypeError):  # explicit signatures: no compilation for other types
        total(np.arange(5, dtype=np.float64))


def test_without_a_writable_cache_the_package_compiles_and_warns_once(tmp_path):
    # Only the IPython locator: numba finds nowhere to cache a module's functions, as on a
    # read-only install run by an account without a home folder.
    env = {**os.environ, "NUMBA_CACHE_LOCATOR_CLASSES": "IPythonCacheLocator",
           "PYTHONPATH": str(ROOT)}
    env.pop("NUMBA_CACHE_DIR", None)
    script = ("import pandas as pd\n"
              "from analytics.metrics.facts import conversation_facts\n"
              "from analytics.load.schema import validate_messages\n"
              "raw = pd.DataFrame({'message_id': ['m1', 'm2'], 'conversation_id': ['A', 'A'],"
              " 'customer_id': ['c1', None], 'channel': ['chat', 'chat'],"
              " 'sent_at': ['2024-03-04T10:00:00Z', '2024-03-04T10:30:00Z'],"
              " 'direction': ['inbound', 'outbound'], 'author_type': ['customer', 'agent']})\n"
              "facts = conversation_facts(validate_messages(raw))\n"
              "print(facts['first_response_s'].iloc[0])\n")
    run = subprocess.run([sys.executable, "-c", script], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "1800.0"
    assert run.stderr.count("numba cannot cache") == 1
    assert "NUMBA_CACHE_DIR" in run.stderr
