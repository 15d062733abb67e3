"""The metric table a slice of weeks at a time (analytics/scale/slices.py): the same table, bit
for bit, as one aggregation of every contact and wait, on hand-built and random inputs and on
a generated log run out of core."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from helpers import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import scale
from analytics.calendar import BusinessCalendar
from analytics.load.files import READ_COLUMNS, read_parquet
from analytics.load.schema import validate_messages
from analytics.metrics.kernel import customer_facts
from analytics.scale.slices import aggregate_spilled, spill_metric_inputs, week_slices

if str(ROOT) not in sys.path:  # the benchmark's generator lives in bench/
    sys.path.insert(0, str(ROOT))
from bench import generate  # noqa: E402

NAN = float("nan")
CALENDAR = BusinessCalendar(tz="UTC", hours="mon-fri 09:00-18:00")
MONDAYS = pd.date_range("2024-01-01", periods=6, freq="7D").append(pd.DatetimeIndex([pd.NaT]))


def _spill(folder, buckets, monkeypatch):
    """Spill each bucket's (contacts, replies), as the workers do; the summary frame."""
    frames = []
    for contacts, replies in buckets:
        monkeypatch.setattr(scale.slices, "metric_inputs",
                            lambda facts, waits, tz, c=contacts, r=replies: (c, r))
        frames.append(spill_metric_inputs(None, None, folder=folder))
    return pd.concat(frames, ignore_index=True)


def _channel(channels):
    """A categorical of str categories, as metric_inputs gives."""
    return pd.Categorical(channels, categories=pd.Index(sorted(set(channels)), dtype="str"))


def _contacts(channels, weeks, frt, business=None, eligible=None, repeated=None):
    n = len(channels)
    return pd.DataFrame({
        "channel": _channel(channels),
        "week": pd.DatetimeIndex(weeks, dtype="M8[ns]").to_numpy(),
        "first_response_s": np.array(frt, dtype=float),
        "first_response_business_s": np.array(frt if business is None else business, float),
        "lookahead_complete": np.ones(n, bool) if eligible is None else np.array(eligible),
        "repeated": np.zeros(n, bool) if repeated is None else np.array(repeated),
    })


def _replies(channels, weeks, waits):
    return pd.DataFrame({"channel": _channel(channels),
                         "week": pd.DatetimeIndex(weeks, dtype="M8[ns]").to_numpy(),
                         "wait_s": np.array(waits, dtype=float)})


def _concat(buckets):
    return tuple(scale.partitions._concat(parts) for parts in zip(*buckets, strict=True))


def test_slices_cut_between_weeks_at_the_row_budget():
    summary = pd.DataFrame({"file": ["a", "a", "b", "b"], "week": [1, 2, 2, 9],
                            "contacts": [2, 1, 1, 5], "replies": [1, 0, 2, 4]})
    # Rows per week: 1 -> 3, 2 -> 4, 9 -> 9 (one week over the budget: a slice alone).
    assert week_slices(summary, 7) == [(1, 2), (9, 9)]
    assert week_slices(summary, 6) == [(1, 1), (2, 2), (9, 9)]
    assert week_slices(summary, 100) == [(1, 9)]
    assert week_slices(summary.iloc[:0], 100) == []


def test_two_buckets_by_hand_give_the_one_table(tmp_path, monkeypatch):
    w1, w2, w3 = MONDAYS[:3]
    first = (_contacts(["chat", "chat", "email"], [w1, w2, w3], [60, NAN, 7200]),
             _replies(["chat", "chat"], [w1, w1], [60, NAN]))
    second = (_contacts(["email", "chat", "chat"], [w3, w1, w2], [30.5, 120, 10]),
              _replies(["email", "chat"], [w3, w2], [30.5, 10]))
    summary = _spill(tmp_path, [first, second], monkeypatch)
    whole = scale.aggregate_metrics(*_concat([first, second]))
    for rows in (1, 3, 100):
        pd.testing.assert_frame_equal(aggregate_spilled(summary, slice_rows=rows), whole,
                                      check_exact=True)
    table = aggregate_spilled(summary, slice_rows=1)
    chat_w1 = table.set_index(["channel", "week"]).loc[("chat", w1)]
    assert (chat_w1["contacts"], chat_w1["frt_median_s"], chat_w1["replies"],
            chat_w1["open_waits"]) == (2, 90.0, 1, 1)


def test_an_empty_bucket_and_weeks_without_waits(tmp_path, monkeypatch):
    w1, w2 = MONDAYS[:2]
    empty = (_contacts([], [], []), _replies([], [], []))
    full = (_contacts(["chat", "phone"], [w1, w2], [5, 6]), _replies(["chat"], [w1], [5]))
    summary = _spill(tmp_path, [empty, full], monkeypatch)
    whole = scale.aggregate_metrics(*_concat([empty, full]))
    pd.testing.assert_frame_equal(aggregate_spilled(summary, slice_rows=1), whole,
                                  check_exact=True)
    (tmp_path / "none").mkdir()
    nothing = _spill(tmp_path / "none", [empty, empty], monkeypatch)
    assert aggregate_spilled(nothing).empty
    assert list(aggregate_spilled(nothing).columns) == list(scale.METRIC_COLUMNS)


@st.composite
def _buckets(draw):
    """Random buckets of contacts and waits: few channels and weeks (one missing; empty groups
    of one kind), NaNs, whole and fractional seconds."""
    values = st.one_of(st.just(NAN), st.integers(0, 10**6).map(float),
                       st.floats(0, 10**6, allow_nan=False).map(lambda x: round(x, 3)))
    row = st.tuples(st.sampled_from(["chat", "email", "whatsapp"]), st.integers(0, 6), values,
                    values, st.booleans(), st.booleans())
    buckets = []
    for _ in range(draw(st.integers(1, 4))):
        rows = draw(st.lists(row, max_size=25))
        contacts = _contacts([r[0] for r in rows], [MONDAYS[r[1]] for r in rows],
                             [r[2] for r in rows], [r[3] for r in rows],
                             [r[4] for r in rows], [r[5] for r in rows])
        # Waits belong to contacts: same channel and week, several or none per contact.
        picked = draw(st.lists(st.tuples(st.integers(0, max(len(rows) - 1, 0)), values),
                               max_size=40 if rows else 0))
        replies = _replies([rows[i][0] for i, _ in picked],
                           [MONDAYS[rows[i][1]] for i, _ in picked], [v for _, v in picked])
        buckets.append((contacts, replies))
    return buckets


@settings(max_examples=60, deadline=None)
@given(buckets=_buckets(), slice_rows=st.integers(1, 60))
def test_sliced_aggregation_equals_the_whole_one(buckets, slice_rows, tmp_path_factory):
    folder = tmp_path_factory.mktemp("spill")
    with pytest.MonkeyPatch.context() as monkeypatch:
        summary = _spill(folder, buckets, monkeypatch)
    whole = scale.aggregate_metrics(*_concat(buckets))
    pd.testing.assert_frame_equal(aggregate_spilled(summary, slice_rows=slice_rows), whole,
                                  check_exact=True)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A seeded synthetic log of about 20,000 messages over 45 days, as one Parquet file."""
    path = tmp_path_factory.mktemp("log") / "messages.parquet"
    generate.write(20_000, path, seed=11, days=45, row_group=2_000)
    return path


@pytest.mark.parametrize(("n_buckets", "workers", "slice_rows"),
                         [(1, 1, 10**9), (3, 1, 500), (4, 2, 2_000)])
def test_partitioned_metric_table_equals_the_in_memory_table(generated, n_buckets, workers,
                                                             slice_rows):
    messages = validate_messages(read_parquet(generated, columns=READ_COLUMNS))
    facts, waits = customer_facts(messages, as_of=messages["sent_at"].max(), calendar=CALENDAR)
    table = scale.partitioned_metric_table(generated, n_buckets, workers=workers,
                                           calendar=CALENDAR, slice_rows=slice_rows)
    pd.testing.assert_frame_equal(table, scale.metric_table(facts, waits), check_exact=True)
