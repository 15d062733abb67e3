"""A report over a Parquet log reads only the span it needs, and gives the figures of a full read.

The demo company's log (Aug-Oct 2026) is written once as CSV (read whole) and once as Parquet
(read through ``report.open_for_period``); the two reports must agree figure for figure.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from helpers import agent, inbound, raw, t

from analytics.errors import InputError
from analytics.load import log as inputs
from analytics.load.log import (
    LOOKAHEAD_DAYS,
    TREND_WEEKS,
    data_window,
    open_log,
    open_parquet_window,
)
from analytics.metrics.summary import Settings
from analytics.period import parse_period
from analytics.report.context import prepare


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("window")
    log = open_log("demo")
    messages = log.messages.drop(columns=["true_intent", "true_topic", "pii"])
    messages.to_csv(folder / "messages.csv", index=False)
    # The Parquet file also carries columns no report reads.
    log.messages.to_parquet(folder / "messages.parquet", row_group_size=2_000)
    log.events.to_csv(folder / "events.csv", index=False)
    monthly = folder / "monthly"
    monthly.mkdir()
    month = messages["sent_at"].dt.strftime("%Y-%m")
    for name, part in messages.groupby(month):
        part.to_parquet(monthly / f"{name}.parquet", row_group_size=2_000)
    return folder


def _report(folder, name, **kw):
    return prepare(source="messages", input_path=str(folder / name),
                   events_path=str(folder / "events.csv"), tz="America/Sao_Paulo", **kw)


def _figures(report) -> dict:
    """The summary without what describes the reading: the rows read (``data``), the file
    name, and the cut-off the windowed read sets explicitly (the effective ``as_of`` stays)."""
    summary = {k: v for k, v in report.summary.items() if k not in ("data", "description")}
    parameters = {k: v for k, v in summary.pop("parameters").items()
                  if k not in ("data_read", "as_of")}
    return {**summary, "parameters": parameters}


@pytest.mark.parametrize("name", ["messages.parquet", "monthly"])
def test_parquet_report_equals_the_full_read(demo_files, name):
    full = _report(demo_files, "messages.csv", period="2026-10")
    windowed = _report(demo_files, name, period="2026-10")
    assert _figures(windowed) == _figures(full)
    contacts = ["conversation_id", "start", "first_response_s", "repeated", "intent"]
    pd.testing.assert_frame_equal(
        windowed.contacts[contacts].sort_values("conversation_id").reset_index(drop=True),
        full.contacts[contacts].sort_values("conversation_id").reset_index(drop=True))
    read = windowed.summary["parameters"]["data_read"]
    assert read["as_of_capped"] is False
    assert "data_read" not in full.summary["parameters"]


def test_parquet_read_stays_inside_the_window(demo_files):
    period = parse_period("2026-09", "America/Sao_Paulo")
    start, end = data_window(period, Settings())
    assert start == min(period.previous().start, period.end - pd.Timedelta(weeks=TREND_WEEKS + 1))
    assert end == period.end + pd.Timedelta(days=LOOKAHEAD_DAYS)
    log, latest = open_parquet_window(demo_files / "messages.parquet", start, end,
                                      events=demo_files / "events.csv")
    whole = pd.read_parquet(demo_files / "messages.parquet")
    assert latest == max(whole["sent_at"].max(), open_log("demo").events["at"].max())
    sent = log.messages["sent_at"]
    assert sent.min() >= start and sent.max() < end
    assert len(log.messages) < len(whole)
    # Every conversation read is whole (none began before the window).
    first = whole.groupby("conversation_id")["sent_at"].min()
    assert (first[log.messages["conversation_id"].unique()] >= start).all()
    assert log.events["conversation_id"].isin(log.messages["conversation_id"]).all()
    # Columns no figure reads are not read (the demo's file has them).
    assert "lang" in log.messages and "true_intent" in whole
    assert "true_intent" not in log.messages


def test_old_period_is_cut_at_the_window_end_like_a_full_read_with_that_cut_off(demo_files):
    windowed = _report(demo_files, "messages.parquet", period="2026-08")
    read = windowed.summary["parameters"]["data_read"]
    assert read["as_of_capped"] is True
    cut = pd.Timestamp(read["to"])
    assert cut == parse_period("2026-08", "America/Sao_Paulo").end + pd.Timedelta(days=30)
    full = _report(demo_files, "messages.csv", period="2026-08", as_of=cut.isoformat())
    assert _figures(windowed) == _figures(full)
    assert windowed.summary["as_of"] == cut.tz_convert("UTC").isoformat()


def _write(frame: pd.DataFrame, path, *, aware=True):
    frame = frame.copy()
    if aware:
        frame["sent_at"] = pd.to_datetime(frame["sent_at"], utc=True)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    return path


def _straddling():
    return raw(
        # c-old begins before the window and goes on inside it: left out whole.
        inbound("c-old", "2024-03-20 10:00", customer="a"),
        agent("c-old", "2024-04-02 09:00", customer="a"),
        inbound("c-old", "2024-04-03 09:00", customer="a"),
        # c-in starts inside.
        inbound("c-in", "2024-04-05 10:00", customer="b"),
        agent("c-in", "2024-04-05 10:30", customer="b"),
        # after the window: not read.
        inbound("c-late", "2024-06-20 10:00", customer="b"),
    )


@pytest.mark.parametrize("aware", [True, False])
def test_conversations_begun_before_the_window_are_left_out_whole(tmp_path, aware):
    path = _write(_straddling(), tmp_path / "log.parquet", aware=aware)
    log, latest = open_parquet_window(path, t("2024-04-01"), t("2024-05-01"))
    assert log.messages["conversation_id"].tolist() == ["c-in", "c-in"]
    assert latest == t("2024-06-20 10:00")


def test_text_timestamps_are_read_whole_and_cut_like_the_pushed_read(tmp_path):
    frame = _straddling()
    pushed, _ = open_parquet_window(_write(frame, tmp_path / "a.parquet"),
                                    t("2024-04-01"), t("2024-05-01"))
    assert not inputs._aware_sent_at(_write(frame, tmp_path / "b.parquet", aware=False))
    whole, _ = open_parquet_window(tmp_path / "b.parquet", t("2024-04-01"), t("2024-05-01"))
    pd.testing.assert_frame_equal(pushed.messages, whole.messages)


def test_bad_row_is_reported_with_the_row_of_the_file(tmp_path):
    frame = _straddling()
    frame.loc[4, "direction"] = "sideways"  # c-in's agent reply, the file's fifth data row
    path = _write(frame, tmp_path / "log.parquet")
    with pytest.raises(InputError) as error:
        open_parquet_window(path, t("2024-04-01"), t("2024-05-01"))
    assert error.value.row == 5 and error.value.column == "direction"
