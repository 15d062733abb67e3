"""Pseudonyms and the publication guards on their own (no kernel)."""

import hashlib
import hmac
import json
import os
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.errors import InputError, ReportLockedError
from analytics.publish.guard import ReportLock, remove_leftovers, report_name
from analytics.publish.pseudonym import ensure_key, pseudonyms, read_key

KEY = b"k" * 32


def test_a_pseudonym_is_the_keyed_hmac_of_the_id():
    want = "c-" + hmac.new(KEY, b"ana@example.com", hashlib.sha256).hexdigest()[:16]
    assert pseudonyms(pd.Series(["ana@example.com"]), KEY, "c-").tolist() == [want]


@given(st.lists(st.one_of(st.none(), st.text(min_size=1, max_size=12)), max_size=40))
def test_pseudonyms_keep_equality_missing_values_and_the_index(ids):
    series = pd.Series(ids, index=range(100, 100 + len(ids)), dtype=object)
    out = pseudonyms(series, KEY, "a-")
    assert out.index.equals(series.index)
    assert (out.isna() == series.isna()).all()
    given_ids = series.dropna()
    pairs = set(zip(given_ids, out[given_ids.index], strict=True))
    assert len({p for _, p in pairs}) == len(set(given_ids))  # one pseudonym per id


def test_another_key_gives_other_pseudonyms():
    ids = pd.Series(["123.456.789-09"])
    assert pseudonyms(ids, KEY, "c-")[0] != pseudonyms(ids, b"j" * 32, "c-")[0]


def test_the_key_is_made_once_private_and_outside_the_reports(tmp_path):
    path = ensure_key(tmp_path / "conf" / "id-key")
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    key = read_key(path)
    assert len(key) == 32 and ensure_key(path) == path and read_key(path) == key
    with pytest.raises(InputError, match="inside the reports folder"):
        ensure_key(tmp_path / "reports" / "id-key", output=tmp_path / "reports")


def test_the_report_name_comes_from_the_option_the_mapping_or_the_source(tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text('[input]\nmessages = "x.csv"\nname = "north_desk"\n')
    assert report_name("mapping", str(mapping)) == "north_desk"
    assert report_name("mapping", str(mapping), "south") == "south"
    assert report_name("messages", "log.csv") == "messages"
    with pytest.raises(InputError, match="cannot name a report folder"):
        report_name("messages", "", "../escape")


def test_a_lock_refuses_a_live_holder_and_takes_over_a_dead_one(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    lock = tmp_path / "demo" / ".lock-2026-10"
    lock.parent.mkdir()
    lock.write_text(json.dumps({"pid": int(dead), "started": "x"}))
    with ReportLock(tmp_path / "demo", "2026-10"):
        assert json.loads(lock.read_text())["pid"] == os.getpid()
        with pytest.raises(ReportLockedError, match=f"pid {os.getpid()}"):
            ReportLock(tmp_path / "demo", "2026-10").__enter__()
    assert not lock.exists()


def test_leftovers_of_dead_runs_go_and_those_of_live_runs_stay(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    folder = tmp_path / "demo"
    gone = [folder / f".tmp-2026-10-20261101T063000Z-{dead}", folder / f".old-2026-10-{dead}"]
    kept = [folder / f".tmp-2026-09-20261101T063000Z-{os.getpid()}", folder / "2026-10"]
    for path in gone + kept:
        path.mkdir(parents=True)
    remove_leftovers(folder)
    assert [p.exists() for p in gone + kept] == [False, False, True, True]
