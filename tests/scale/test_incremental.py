"""Incremental scheduled runs (issue 18): a facts store next to the log, and weekly runs that
read only what the new week can change, equal to a full run on the whole log."""

from __future__ import annotations

import json
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from helpers import agent, bot, inbound, raw, system, t
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.calendar import BusinessCalendar
from analytics.errors import InputError
from analytics.metrics.kernel import customer_facts
from analytics.scale import facts_store, load_messages
from analytics.scale.incremental import StoreFallback, default_store, run_incremental

CALENDAR = BusinessCalendar(tz="UTC", hours="mon-fri 09:00-18:00")
WAIT_KEYS = ["conversation_id", "wait_index"]


def write_log(path: Path, *rows: dict, unit: str = "us") -> Path:
    """The rows (``helpers`` builders) as a Parquet log, ``sent_at`` a UTC timestamp in
    ``unit`` (the kernel takes another path for nanoseconds)."""
    frame = raw(*rows)
    frame["sent_at"] = pd.to_datetime(frame["sent_at"], utc=True).dt.as_unit(unit)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    return path


def full_run(path, as_of, **kernel):
    return customer_facts(load_messages(path), as_of=as_of, **kernel)


def by_id(frame, keys=("conversation_id",)):
    return frame.sort_values(list(keys)).reset_index(drop=True)


def assert_same(run, path, as_of, since=None, **kernel):
    """The run's facts and waits are exactly those of ``customer_facts`` on the whole log
    (with ``since``, of its conversations with a message at or after then)."""
    facts, waits = full_run(path, as_of, **kernel)
    assert (run.conversations, run.wait_rows) == (len(facts), len(waits))
    if since is not None:
        facts = facts.loc[facts["last_message_at"] >= since]
        waits = waits.loc[waits["conversation_id"].isin(facts["conversation_id"])]
    pd.testing.assert_frame_equal(by_id(run.facts), by_id(facts), check_exact=True)
    pd.testing.assert_frame_equal(by_id(run.waits, WAIT_KEYS), by_id(waits, WAIT_KEYS),
                                  check_exact=True)


# --- hand-computed weeks -----------------------------------------------------------------------

WEEK_1 = t("2025-03-05 00:00")   # Wednesday: the store's cut-off
WEEK_2 = t("2025-03-12 00:00")   # a week later


@pytest.fixture
def weeks(tmp_path):
    """Four conversations, three customers:

    - ``old``: c9's contact of January, answered in 2 minutes: final long before week 1;
    - ``a``: c1's contact on Monday 3 March, answered (final, its window still open);
    - ``u``: c2's contact on Monday 3 March, unanswered at week 1, answered on Thursday;
    - ``b``: c1's next contact, Thursday 6 March: in the new week.
    """
    return write_log(
        tmp_path / "messages.parquet",
        inbound("old", "2025-01-06 10:00", customer="c9"),
        agent("old", "2025-01-06 10:02", customer="c9"),
        inbound("a", "2025-03-03 10:00", customer="c1"),
        agent("a", "2025-03-03 10:05", customer="c1"),
        inbound("u", "2025-03-03 11:00", customer="c2", channel="email"),
        agent("u", "2025-03-06 11:00", customer="c2", channel="email"),
        inbound("b", "2025-03-06 09:00", customer="c1", channel="email"),
        agent("b", "2025-03-06 09:30", customer="c1", channel="email"),
    )


def test_the_first_run_is_full_and_leaves_a_store_beside_the_log(weeks):
    run = run_incremental(weeks, as_of=WEEK_1)
    assert run.mode == "full" and "no facts store" in run.reason
    assert run.store == default_store(weeks) == weeks.parent / "messages.parquet.facts"
    assert (run.store / "CURRENT").exists()
    # Up to week 1: old (2 rows), a (2), u (its inbound only); b is later.
    assert run.rows_read == 5 and run.conversations_read == 3
    facts = run.facts.set_index("conversation_id")
    assert not facts.loc["u", "answered"]
    assert facts.loc["u", "unanswered_age_s"] == 37 * 3600   # 3 March 11:00 -> 5 March 00:00
    assert not facts.loc["a", "repeated"] and pd.isna(facts.loc["a", "next_start"])
    assert not facts.loc["a", "lookahead_complete"]          # 3 March + 7 days > 5 March
    assert_same(run, weeks, WEEK_1)


def test_the_weekly_run_reads_only_what_the_new_week_can_change(weeks):
    run_incremental(weeks, as_of=WEEK_1)
    run = run_incremental(weeks, as_of=WEEK_2)
    assert run.mode == "incremental" and run.reason is None
    # Read from the log: the new rows only, u's answer and b's two rows. Through the kernel:
    # u (unanswered at week 1: its first row comes from the store) and b. Neither ``old``
    # (final since January) nor ``a`` (answered; its repeat flags come again from the stored
    # contacts of c1) is read.
    assert run.new_rows == 3 and run.rows_read == 3
    assert run.rows_computed == 4 and run.conversations_read == 2
    facts = run.facts.set_index("conversation_id")
    # a becomes a repeat: c1 came back 2 days 23 hours later, on another channel.
    assert facts.loc["a", "repeated"] and facts.loc["a", "cross_channel"]
    assert facts.loc["a", "next_start"] == t("2025-03-06 09:00")
    assert facts.loc["a", "next_channel"] == "email"
    assert facts.loc["a", "days_to_next"] == pytest.approx(2 + 23 / 24, abs=0)
    assert facts.loc["a", "lookahead_complete"]              # 10 March 10:00 <= 12 March
    assert not facts.loc["b", "lookahead_complete"] and not facts.loc["b", "repeated"]
    # u is answered in the new week: after 72 hours, no longer an unanswered age.
    assert facts.loc["u", "answered"]
    assert facts.loc["u", "first_response_s"] == 72 * 3600
    assert np.isnan(facts.loc["u", "unanswered_age_s"])
    waits = run.waits.set_index("conversation_id")
    assert waits.loc["u", "answered"] and waits.loc["u", "wait_s"] == 72 * 3600
    # old is as it was: answered in 120 s, c9's only contact.
    assert facts.loc["old", "first_response_s"] == 120 and not facts.loc["old", "repeated"]
    assert_same(run, weeks, WEEK_2)
    # The next week reads nothing again (no new row, nothing left open).
    again = run_incremental(weeks, as_of=t("2025-03-19 00:00"))
    assert again.mode == "incremental" and again.rows_read == 0 and again.new_rows == 0
    assert_same(again, weeks, t("2025-03-19 00:00"))


def test_a_weekly_report_gets_only_the_conversations_active_since_a_date(weeks):
    first = run_incremental(weeks, as_of=WEEK_1, active_since=t("2025-03-03"))
    # Full run: old (January) is left out, a and u (3 March) are in.
    assert first.mode == "full" and sorted(first.facts["conversation_id"]) == ["a", "u"]
    assert sorted(first.waits["conversation_id"]) == ["a", "u"]
    assert (first.conversations, first.wait_rows) == (3, 3)
    assert_same(first, weeks, WEEK_1, since=t("2025-03-03"))
    # Week 2 from the store, active since 5 March: u (answered 6 March) and b; a's last
    # message is of 3 March, so it is not returned, yet its flags were computed again (c1
    # came back): the store holds them for a later report.
    run = run_incremental(weeks, as_of=WEEK_2, active_since=WEEK_1)
    assert run.mode == "incremental" and run.active_since == WEEK_1
    assert sorted(run.facts["conversation_id"]) == ["b", "u"]
    assert sorted(run.waits["conversation_id"]) == ["b", "u"]
    assert_same(run, weeks, WEEK_2, since=WEEK_1)
    later = run_incremental(weeks, as_of=t("2025-03-19"), active_since=t("2025-03-01"))
    assert later.facts.set_index("conversation_id").loc["a", "repeated"]
    assert_same(later, weeks, t("2025-03-19"), since=t("2025-03-01"))
    # A date with no time zone is refused with a message, not a traceback.
    with pytest.raises(InputError, match="active_since has no time zone"):
        run_incremental(weeks, as_of=WEEK_2, active_since="2025-03-01")


def test_the_parts_are_merged_when_there_would_be_too_many(weeks, monkeypatch):
    monkeypatch.setattr(facts_store, "MAX_PARTS", 2)
    run_incremental(weeks, as_of=WEEK_1)
    parts = [run_incremental(weeks, as_of=WEEK_1 + pd.Timedelta(days=day)).parts
             for day in (2, 3, 4)]
    assert parts == [2, 1, 2]
    run = run_incremental(weeks, as_of=WEEK_2)
    assert_same(run, weeks, WEEK_2)


def test_a_parameter_change_forces_a_full_rebuild(weeks):
    run_incremental(weeks, as_of=WEEK_1, window_days=7)
    with pytest.warns(StoreFallback, match="window_days: 7.0 then, 2.0 now"):
        run = run_incremental(weeks, as_of=WEEK_2, window_days=2)
    assert run.mode == "full" and "other parameters" in run.reason
    assert not run.facts.set_index("conversation_id").loc["a", "repeated"]  # 2.96 days > 2
    assert_same(run, weeks, WEEK_2, window_days=2)
    # The rebuilt store carries the new parameters: the next week is incremental again.
    later = run_incremental(weeks, as_of=t("2025-03-19"), window_days=2)
    assert later.mode == "incremental"
    with pytest.warns(StoreFallback, match="calendar"):
        assert run_incremental(weeks, as_of=t("2025-03-19"), window_days=2,
                               calendar=CALENDAR).mode == "full"
    with pytest.warns(StoreFallback, match="resolve_after_inactivity"):
        run = run_incremental(weeks, as_of=t("2025-03-19"), window_days=2, calendar=CALENDAR,
                              resolve_after_inactivity=pd.Timedelta(days=2))
    assert run.mode == "full"
    assert_same(run, weeks, t("2025-03-19"), window_days=2, calendar=CALENDAR,
                resolve_after_inactivity=pd.Timedelta(days=2))


def _current(store: Path) -> Path:
    return store / (store / "CURRENT").read_text().strip()


@pytest.mark.parametrize("damage", ["no pointer", "pointer to nothing", "manifest",
                                    "truncated facts", "missing waits", "truncated waits",
                                    "open messages",
                                    "count"])
def test_a_corrupt_store_falls_back_to_a_full_run_with_a_message(weeks, damage):
    store = run_incremental(weeks, as_of=WEEK_1).store
    folder = _current(store)
    if damage == "no pointer":
        (store / "CURRENT").unlink()
    elif damage == "pointer to nothing":
        (store / "CURRENT").write_text("v-gone\n")
    elif damage == "manifest":
        (folder / "manifest.json").write_text("{not json")
    elif damage == "truncated facts":
        data = (folder / "facts-0.parquet").read_bytes()
        (folder / "facts-0.parquet").write_bytes(data[: len(data) // 2])
    elif damage == "missing waits":
        (folder / "waits-0.parquet").unlink()
    elif damage == "truncated waits":
        data = (folder / "waits-0.parquet").read_bytes()
        (folder / "waits-0.parquet").write_bytes(data[: len(data) // 2])
    elif damage == "open messages":
        (folder / "open-messages.parquet").write_bytes(b"PAR1")
    elif damage == "count":
        manifest = json.loads((folder / "manifest.json").read_text())
        manifest["parts"][0]["conversations"] += 1
        (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.warns(StoreFallback, match="was not used") as record:
        run = run_incremental(weeks, as_of=WEEK_2)
    assert run.mode == "full" and "reading the whole log" in str(record[0].message)
    assert_same(run, weeks, WEEK_2)
    # The store was rebuilt: the next run uses it.
    assert run_incremental(weeks, as_of=t("2025-03-19")).mode == "incremental"


def test_a_log_changed_before_the_cut_off_or_an_earlier_cut_off_means_a_full_run(weeks):
    run_incremental(weeks, as_of=WEEK_2)
    with pytest.warns(StoreFallback, match="later than this run's"):
        run = run_incremental(weeks, as_of=WEEK_1)
    assert run.mode == "full"
    assert_same(run, weeks, WEEK_1)
    # A late row before the store's cut-off (a back-filled export): counted, so noticed.
    frame = pq.read_table(weeks).to_pandas()
    late = frame.iloc[[0]].assign(message_id="m-late", sent_at=t("2025-01-06 10:01"))
    pq.write_table(pa.Table.from_pandas(pd.concat([frame, late], ignore_index=True),
                                        preserve_index=False), weeks)
    with pytest.warns(StoreFallback, match="rows up to the store's cut-off"):
        run = run_incremental(weeks, as_of=WEEK_2)
    assert run.mode == "full"
    assert_same(run, weeks, WEEK_2)


def test_a_final_conversation_that_gets_a_message_is_read_again_from_its_first_row(tmp_path):
    path = write_log(tmp_path / "messages.parquet",
                     inbound("old", "2025-01-06 10:00", customer="c9"),
                     agent("old", "2025-01-06 10:02", customer="c9"),
                     bot("r", "2025-03-03 09:59"),
                     inbound("r", "2025-03-03 10:00"), agent("r", "2025-03-03 10:05"),
                     inbound("r", "2025-03-07 10:00"), agent("r", "2025-03-07 10:10"))
    assert run_incremental(path, as_of=WEEK_1).facts.set_index(
        "conversation_id").loc["r", "customer_messages"] == 1
    run = run_incremental(path, as_of=WEEK_2)
    # r's two new rows, and its three earlier ones (from the bot's greeting on); not old's.
    assert run.mode == "incremental" and run.new_rows == 2 and run.rows_read == 5
    facts = run.facts.set_index("conversation_id")
    assert facts.loc["r", "customer_messages"] == 2 and facts.loc["r", "agent_replies"] == 2
    assert run.waits.loc[run.waits["conversation_id"] == "r", "wait_s"].tolist() == [300, 600]
    assert_same(run, path, WEEK_2)


def test_an_id_spelled_otherwise_in_the_log_is_noticed_not_miscounted(tmp_path):
    # 'y' is final at week 1 and gets a message in week 2, so its earlier rows are read
    # again from the log; one of them carries the id with a trailing space, which validation
    # cleans: the pushed-down filter on the stored id misses that row, the row count says
    # so, and the run reads the whole log instead.
    path = write_log(tmp_path / "messages.parquet",
                     inbound("y", "2025-03-03 10:00"), inbound("y ", "2025-03-03 10:01"),
                     agent("y", "2025-03-03 10:05"), inbound("y", "2025-03-07 10:00"))
    assert run_incremental(path, as_of=WEEK_1).facts["customer_messages"].tolist() == [2]
    with pytest.warns(StoreFallback, match="spelled otherwise"):
        run = run_incremental(path, as_of=WEEK_2)
    assert run.mode == "full"
    assert run.facts["customer_messages"].tolist() == [3]
    assert_same(run, path, WEEK_2)


def test_an_open_conversation_keeps_its_messages_in_the_store(tmp_path):
    # 'x' is unanswered at week 1: its messages are kept in the store (as validated, ids
    # cleaned), so week 2 needs none of its earlier rows from the log.
    path = write_log(tmp_path / "messages.parquet",
                     inbound("x", "2025-03-03 10:00"), inbound("x ", "2025-03-03 10:01"),
                     agent("x", "2025-03-06 10:00"))
    assert run_incremental(path, as_of=WEEK_1).facts["customer_messages"].tolist() == [2]
    run = run_incremental(path, as_of=WEEK_2)
    assert run.mode == "incremental" and run.rows_read == 1 and run.rows_computed == 3
    assert run.facts["first_response_s"].tolist() == [72 * 3600]
    assert_same(run, path, WEEK_2)


def test_an_open_conversation_with_no_new_message_only_ages(tmp_path):
    # 'x' waits from Monday 3 March 10:00 and gets no message in week 2: it is not run
    # through the kernel again (only 'n', new in week 2, is); its wait's age is brought up
    # to the new cut-off, in seconds and business seconds. In week 3 it is answered: its
    # first message comes from the store, kept there while it stayed open.
    path = write_log(tmp_path / "messages.parquet",
                     inbound("x", "2025-03-03 10:00", customer="c1"),
                     inbound("n", "2025-03-10 10:00", customer="c2"),
                     agent("n", "2025-03-10 10:05", customer="c2"),
                     agent("x", "2025-03-13 10:00", customer="c1"))
    run_incremental(path, as_of=WEEK_1, calendar=CALENDAR)
    run = run_incremental(path, as_of=WEEK_2, calendar=CALENDAR)
    assert run.mode == "incremental" and run.rows_computed == 2
    facts = run.facts.set_index("conversation_id")
    assert facts.loc["x", "unanswered_age_s"] == (8 * 24 + 14) * 3600   # to 12 March 00:00
    # Business hours Mon-Fri 09:00-18:00: 3 March 10:00-18:00, then 4-7 March and 10-11
    # March (9 hours each).
    assert facts.loc["x", "unanswered_business_age_s"] == (8 + 6 * 9) * 3600
    waits = run.waits.set_index("conversation_id")
    assert waits.loc["x", "age_s"] == (8 * 24 + 14) * 3600
    assert_same(run, path, WEEK_2, calendar=CALENDAR)
    later = run_incremental(path, as_of=t("2025-03-19"), calendar=CALENDAR)
    assert later.mode == "incremental" and later.rows_read == 1 and later.rows_computed == 2
    assert later.facts.set_index("conversation_id").loc["x", "first_response_s"] == (
        10 * 24 * 3600)
    assert_same(later, path, t("2025-03-19"), calendar=CALENDAR)


def test_a_failed_write_leaves_the_old_store_intact(weeks, monkeypatch):
    first = run_incremental(weeks, as_of=WEEK_1)
    before = sorted(p.name for p in first.store.iterdir())
    original = facts_store._write

    def fail(frame, file, dictionary, **options):
        if file.name.startswith("waits"):
            raise OSError("disk full")
        original(frame, file, dictionary, **options)

    monkeypatch.setattr(facts_store, "_write", fail)
    with pytest.raises(OSError, match="disk full"):
        run_incremental(weeks, as_of=WEEK_2)
    monkeypatch.undo()
    assert (first.store / "CURRENT").read_text().strip() in before
    # The old version is still the store's: the next run goes on from week 1.
    with warnings.catch_warnings():
        warnings.simplefilter("error", StoreFallback)
        run = run_incremental(weeks, as_of=WEEK_2)
    assert run.mode == "incremental" and run.rows_read == 3
    assert_same(run, weeks, WEEK_2)


def test_a_sent_at_stored_as_text_means_full_runs(tmp_path):
    frame = raw(inbound("a", "2025-03-03 10:00"), agent("a", "2025-03-03 10:05"))
    path = tmp_path / "messages.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    run = run_incremental(path, as_of=WEEK_1)
    assert run.mode == "full" and "not as a timestamp" in run.reason
    assert run_incremental(path, as_of=WEEK_2).mode == "full"


# --- any log, any weeks ---------------------------------------------------------------------

_KINDS = (inbound, agent, bot, system)


@st.composite
def logs(draw):
    """Random conversations over 8 weeks: any mix of customer, agent, bot and system
    messages (proactive threads, unanswered waits, equal times), three customers and
    unknown ones, two channels, some late rows under another customer id."""
    rows = []
    for number in range(draw(st.integers(1, 10))):
        conversation = f"cv{number}"
        customer = draw(st.sampled_from(["c1", "c2", "c3", None]))
        channel = draw(st.sampled_from(["chat", "email"]))
        at = t("2025-03-03") + pd.Timedelta(minutes=draw(st.integers(0, 56 * 24 * 60)))
        for _ in range(draw(st.integers(1, 5))):
            kind = draw(st.sampled_from(_KINDS))
            who = customer if draw(st.integers(0, 9)) else draw(st.sampled_from(["c1", None]))
            rows.append(kind(conversation, at.isoformat(), customer=who, channel=channel))
            at += pd.Timedelta(minutes=draw(st.sampled_from([0, 1, 30, 600, 3000, 12000])))
    return rows


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=logs(), cuts=st.lists(st.integers(0, 70), min_size=1, max_size=4, unique=True),
       window=st.sampled_from([1, 7]),
       inactivity=st.sampled_from([None, pd.Timedelta(hours=36)]),
       calendar=st.sampled_from([None, CALENDAR]),
       lag=st.one_of(st.none(), st.integers(0, 20)), unit=st.sampled_from(["us", "ns"]))
def test_weekly_runs_equal_the_full_run_for_any_log_and_any_cut_offs(rows, cuts, window,
                                                                     inactivity, calendar,
                                                                     lag, unit):
    kernel = dict(window_days=window, resolve_after_inactivity=inactivity, calendar=calendar)
    first = min(t(row["sent_at"]) for row in rows)
    with tempfile.TemporaryDirectory() as folder:
        path = write_log(Path(folder) / "messages.parquet", *rows, unit=unit)
        for number, day in enumerate(sorted(cuts)):
            as_of = first + pd.Timedelta(days=day, hours=number % 2 * 5)
            since = None if lag is None else as_of - pd.Timedelta(days=lag)
            with warnings.catch_warnings():
                warnings.simplefilter("error", StoreFallback)  # the store is always usable
                run = run_incremental(path, as_of=as_of, active_since=since, **kernel)
            assert run.mode == ("full" if number == 0 else "incremental")
            assert_same(run, path, as_of, since=since, **kernel)
