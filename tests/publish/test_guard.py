"""The publication guards (analytics/publish/guard.py), on their own (no kernel): the report's
name, the input's fingerprint, refusing another input or a worse report, the lock of one run
per report, the clean-up of dead runs' leftovers, atomic writes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.errors import InputError, ReportLockedError
from analytics.period import parse_period
from analytics.publish.guard import (
    ReportLock,
    input_fingerprint,
    refuse_other_input,
    refuse_worse_report,
    remove_leftovers,
    report_name,
    write_atomically,
)


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


def test_the_fingerprint_is_which_files_not_what_they_hold(tmp_path, monkeypatch):
    log = tmp_path / "log.csv"
    log.write_text("a\n")
    params = {"source": "messages", "input_path": str(log)}
    first = input_fingerprint(params)
    assert first.startswith("sha256:") and len(first) == len("sha256:") + 16
    log.write_text("a\nb\n")  # the log grows between scheduled runs: the same input
    assert input_fingerprint(params) == first
    monkeypatch.chdir(tmp_path)  # a relative path is resolved: the same file, the same input
    assert input_fingerprint({"source": "messages", "input_path": "log.csv"}) == first
    assert input_fingerprint({"source": "messages", "input_path": str(tmp_path / "other.csv")}) \
        != first
    assert input_fingerprint({"source": "twcs", "input_path": str(log)}) != first
    dsn = {"source": "chatwoot", "input_path": "postgresql://u@db:5432/cw"}
    assert input_fingerprint(dsn) == input_fingerprint(dict(dsn))


def test_another_input_under_a_name_in_use_is_refused(tmp_path):
    folder = tmp_path / "demo"
    (folder / "2026-10").mkdir(parents=True)
    (folder / "2026-10" / "render.json").write_text(json.dumps(
        {"input": {"fingerprint": "sha256:aaaa"}}))
    (folder / ".tmp-2026-11-x-1").mkdir()  # a run's temporary folder does not count
    (folder / ".tmp-2026-11-x-1" / "render.json").write_text(json.dumps(
        {"input": {"fingerprint": "sha256:cccc"}}))
    refuse_other_input(folder, "sha256:aaaa", "demo")  # the same input: fine
    with pytest.raises(InputError, match="the report name 'demo' holds 2026-10 of another input"
                                         "; expected --name NAME for this input, or --replace"):
        refuse_other_input(folder, "sha256:bbbb", "demo")


def test_a_worse_report_never_replaces_one_with_contacts(tmp_path):
    period = parse_period("2026-10", "UTC")
    (tmp_path / "summary.json").write_text(json.dumps({"contacts": 1669}))
    refuse_worse_report(tmp_path, {"contacts": 1500, "as_of": "2026-10-31T00:00:00Z"}, period)
    with pytest.raises(InputError, match="has no contacts; the published report has 1,669"):
        refuse_worse_report(tmp_path, {"contacts": 0}, period)
    with pytest.raises(InputError, match=r"has a cut-off \(2026-09-30T23:00:00Z\) before the "
                                         "period starts"):
        refuse_worse_report(tmp_path, {"contacts": 10, "as_of": "2026-09-30T23:00:00Z"}, period)
    (tmp_path / "summary.json").write_text(json.dumps({"contacts": 0}))
    refuse_worse_report(tmp_path, {"contacts": 0}, period)  # nothing better to keep
    refuse_worse_report(tmp_path / "never-published", {"contacts": 0}, period)


def test_an_atomic_write_leaves_the_old_file_when_it_fails(tmp_path, monkeypatch):
    path = tmp_path / "index.html"
    write_atomically(path, "old")
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["index.html"]

    def full_disk(self, *args, **kwargs):
        raise OSError(28, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_text", full_disk)
    with pytest.raises(OSError):
        write_atomically(path, "new")
    monkeypatch.undo()
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["index.html"]
