"""A page summary to edit: the demo's October 2026 summary of the back-test (expected file),
a fresh copy per test, whose figures a test overwrites with its own hand-chosen ones."""

import copy
import json
from functools import cache
from pathlib import Path

import pytest

EXPECTED = Path(__file__).parents[2] / "expected" / "demo" / "2026-10" / "summary.json"


@cache
def _demo_summary() -> dict:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture
def summary() -> dict:
    """September 2026 (1,916 contacts) against October 2026 (1,669): comparable periods."""
    return copy.deepcopy(_demo_summary())


@pytest.fixture
def alone() -> dict:
    """Another copy whose previous period is too small to compare (35 contacts)."""
    summary = copy.deepcopy(_demo_summary())
    summary["previous"]["contacts"] = 35
    return summary
