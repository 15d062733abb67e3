"""The state of scheduled runs (analytics/publish/status.py): the PAUSED gate and the latest
outcome per report in _status.json."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from analytics.errors import OperationalError
from analytics.publish.status import PAUSE_FILE, STATUS_FILE, paused, record_status


def test_no_gate_means_not_paused(tmp_path):
    assert paused(tmp_path) is None
    assert paused(tmp_path / "not-made-yet") is None


def test_the_gate_gives_its_reason_or_says_none_was_given(tmp_path):
    (tmp_path / PAUSE_FILE).write_text("  warehouse migration until Monday \n")
    assert paused(tmp_path) == "warehouse migration until Monday"
    (tmp_path / PAUSE_FILE).write_text("\n")
    assert paused(tmp_path) == "no reason given"


def test_a_gate_that_is_not_a_file_stops_everything(tmp_path):
    (tmp_path / PAUSE_FILE).mkdir()
    with pytest.raises(OperationalError, match="PAUSED is not a file; nothing rendered"):
        paused(tmp_path)


def test_the_latest_outcome_per_report_and_period_is_kept(tmp_path):
    output = tmp_path / "reports"
    record_status(output, "demo", "2026-10", "failed", "kernel died")
    record_status(output, "twcs", "2017-W44", "published")
    record_status(output, "demo", "2026-10", "published")
    status = json.loads((output / STATUS_FILE).read_text(encoding="utf-8"))
    assert sorted(status) == ["demo/2026-10", "twcs/2017-W44"]
    assert status["demo/2026-10"]["state"] == "published"
    assert status["demo/2026-10"]["message"] == ""
    at = dt.datetime.fromisoformat(status["twcs/2017-W44"]["at"])
    assert at.tzinfo is not None and abs(dt.datetime.now(dt.UTC) - at) < dt.timedelta(minutes=5)


def test_a_broken_status_file_starts_again_from_this_run(tmp_path):
    (tmp_path / STATUS_FILE).write_text("{not json")
    record_status(tmp_path, "demo", "2026-10", "postponed", "data not complete")
    status = json.loads((tmp_path / STATUS_FILE).read_text(encoding="utf-8"))
    assert status == {"demo/2026-10": {"state": "postponed", "at": status["demo/2026-10"]["at"],
                                        "message": "data not complete"}}
