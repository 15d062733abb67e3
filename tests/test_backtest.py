"""Back-test: the figures of the three bundled samples never move by accident.

For each ``[[defaults]]`` entry of the registry (what ``make reports`` renders), the data the
renderer publishes beside the pages, ``summary.json`` and ``conversations.csv``, is built by the
renderer's own writer and compared with the files committed under ``tests/expected/<source>/
<period>/``: every summary value exactly (floats to the last bit), every conversation row
exactly, as text. A change that moves a figure on purpose regenerates them and says so in its
commit::

    .venv/bin/python -m tests.test_backtest      # rewrites tests/expected/
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from analytics.publish.registry import load_registry
from analytics.publish.run import _write_data
from analytics.report.context import prepare

EXPECTED = Path(__file__).resolve().parent / "expected"
#: A fixed pseudonym key for the back-test only (a published render makes its own key).
ID_KEY = Path(__file__).resolve().parent / "fixtures" / "id-key"
DEFAULTS = load_registry()["defaults"]


def _ids(entries):
    return [f"{e['source']}-{e['period']}" for e in entries]


def _produce(entry: dict, folder: Path) -> Path:
    report = prepare(**entry, id_key=str(ID_KEY))
    target = folder / entry["source"] / report.period.slug
    target.mkdir(parents=True, exist_ok=True)
    _write_data(report, target)
    return target


def _flatten(value, prefix=""):
    """``{"a": {"b": 1}}`` -> ``{"a.b": 1}``; lists by position, so an order change shows."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((str(i), v) for i, v in enumerate(value))
    else:
        return {prefix: value}
    flat = {}
    for key, item in items:
        flat.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    return flat


@pytest.mark.parametrize("entry", DEFAULTS, ids=_ids(DEFAULTS))
def test_summary_and_conversations_equal_the_committed_back_test(entry, tmp_path):
    produced = _produce(entry, tmp_path)
    expected = EXPECTED / produced.relative_to(tmp_path)
    assert expected.is_dir(), f"no expected files for {expected.name}: run python -m tests.test_backtest"
    got = _flatten(json.loads((produced / "summary.json").read_text(encoding="utf-8")))
    want = _flatten(json.loads((expected / "summary.json").read_text(encoding="utf-8")))
    assert sorted(got) == sorted(want), "summary.json keys differ"
    moved = {key: (want[key], got[key]) for key in want if got[key] != want[key]}
    assert not moved, f"figures moved (expected, got): {moved}"
    got_rows = (produced / "conversations.csv").read_text(encoding="utf-8").splitlines()
    want_rows = (expected / "conversations.csv").read_text(encoding="utf-8").splitlines()
    assert got_rows[0] == want_rows[0], "conversations.csv columns differ"
    assert len(got_rows) == len(want_rows), "conversations.csv row count differs"
    changed = [i for i, (g, w) in enumerate(zip(got_rows, want_rows, strict=True)) if g != w]
    assert not changed, f"{len(changed)} rows differ, first: {want_rows[changed[0]]!r} -> {got_rows[changed[0]]!r}"


def test_the_back_test_covers_every_bundled_sample():
    assert {e["source"] for e in DEFAULTS} == {"demo", "twcs", "consumidor_gov"}


def regenerate() -> None:
    """Rewrite ``tests/expected/`` from the current code (a deliberate figure change)."""
    for entry in DEFAULTS:
        folder = _produce(entry, EXPECTED)
        print(f"wrote {folder.relative_to(EXPECTED.parent.parent)}", file=sys.stderr)


if __name__ == "__main__":
    regenerate()
