"""The built-in adapters' registry (analytics/load/sources/__init__.py): names, options, and
no adapter writes to its input. Each adapter's own tests: tests/load/sources/test_<adapter>.py."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from helpers import ROOT

from analytics.errors import InputError
from analytics.load.sources import SOURCES, load_consumidor_gov, load_mapped, load_source, load_twcs

DATA = ROOT / "data"
TWCS = DATA / "twcs" / "twcs_head5000.csv.gz"
CONSUMIDOR_RAW = DATA / "consumidor_gov" / "raw" / "2014-08.csv.gz"
MAPPING = DATA / "mapping_example" / "mapping.toml"


def fingerprint(folder: Path) -> dict:
    return {path: (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


# --- registry --------------------------------------------------------------------------------

def test_registry_names_and_unknown_source():
    assert set(SOURCES) == {"twcs", "consumidor_gov"}
    with pytest.raises(InputError, match="--source.*unknown source 'zendesk'.*twcs, consumidor_gov"):
        load_source("zendesk", TWCS)


def test_load_source_passes_options():
    log = load_source("consumidor_gov", CONSUMIDOR_RAW, encoding="cp1252")
    assert len(log.conversation_attributes) == 5404


def test_inputs_are_not_modified():
    before = fingerprint(DATA)
    load_twcs(TWCS)
    load_consumidor_gov(CONSUMIDOR_RAW)
    load_consumidor_gov([CONSUMIDOR_RAW])
    load_mapped(MAPPING)
    assert fingerprint(DATA) == before
