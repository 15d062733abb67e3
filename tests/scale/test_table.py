"""The benchmark's metric table (analytics/scale/table.py): exact medians and percentiles per
channel and ISO week from per-contact and per-wait rows, hand-computed on tiny frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.scale.table import METRIC_COLUMNS, _group_stats, _week, aggregate_metrics

NAN = float("nan")
W1, W2 = pd.Timestamp("2024-03-04"), pd.Timestamp("2024-03-11")  # two Mondays


def test_week_is_the_monday_of_the_iso_week_in_the_zone():
    start = pd.Series(pd.to_datetime(["2024-03-04 00:00", "2024-03-10 23:59", "2024-03-11 02:00",
                                      None], utc=True))
    assert _week(start, "UTC").tolist()[:3] == [W1, W1, W2] and pd.isna(_week(start, "UTC")[3])
    # 2024-03-11 02:00 UTC is Sunday 10 March 23:00 in São Paulo: still the first week.
    assert _week(start, "America/Sao_Paulo").tolist()[:3] == [
        pd.Timestamp("2024-02-26"), W1, W1]  # 03-04 00:00 UTC is Sunday 03-03 21:00 there


@pytest.mark.parametrize("values", [[40.0, 10.0, 30.0, 20.0], [0.5, 2.25, 1.0, 7.75]])
def test_group_stats_are_numpys_median_p90_and_mean(values):
    values = np.array(values + [NAN, 5.0])
    group = np.array([0, 0, 0, 0, 0, 2])  # group 1 has no value
    out = _group_stats(values, group, 3, "x_")
    first = values[:4]
    assert out["x_n"].tolist() == [4, 0, 1]
    assert out["x_median_s"][0] == np.percentile(first, 50)
    assert out["x_p90_s"][0] == np.percentile(first, 90)
    assert out["x_mean_s"][0] == first.mean()
    assert np.isnan(out["x_median_s"][1]) and np.isnan(out["x_mean_s"][1])
    assert out["x_median_s"][2] == out["x_p90_s"][2] == out["x_mean_s"][2] == 5.0


def test_whole_seconds_median_and_p90_by_hand():
    out = _group_stats(np.array([10.0, 20.0, 30.0, 40.0]), np.zeros(4, dtype=int), 1, "")
    # median: between the 2nd and 3rd value; p90: position 0.9 * 3 = 2.7, 30 + 0.7 * 10.
    assert (out["median_s"][0], out["p90_s"][0], out["mean_s"][0]) == (25.0, 37.0, 25.0)


def test_the_table_per_channel_and_week():
    contacts = pd.DataFrame({
        "channel": ["email", "chat", "chat", "chat", "chat"],
        "week": [W1, W1, W1, W1, W2],
        "first_response_s": [7200.0, 60.0, 180.0, NAN, 30.0],
        "first_response_business_s": [3600.0, 60.0, 180.0, NAN, 30.0],
        "lookahead_complete": [True, True, True, False, True],
        "repeated": [False, True, False, True, False],
    })
    replies = pd.DataFrame({"channel": ["chat", "chat", "chat", "email"],
                            "week": [W1, W1, W1, W1], "wait_s": [60.0, 180.0, NAN, 7200.0]})
    table = aggregate_metrics(contacts, replies, sla_s=3600)
    assert list(table.columns) == list(METRIC_COLUMNS)
    rows = table.set_index(["channel", "week"])
    chat = rows.loc[("chat", W1)]
    assert (chat["contacts"], chat["answered"], chat["frt_median_s"], chat["frt_mean_s"]) == (
        3, 2, 120.0, 120.0)
    assert chat["frt_p90_s"] == 60 + 0.9 * 120  # 168
    assert chat["within_sla"] == 1.0
    assert (chat["replies"], chat["open_waits"], chat["reply_median_s"]) == (2, 1, 120.0)
    # The unanswered contact's repeat does not count: its look-ahead is not complete.
    assert (chat["repeat_eligible"], chat["repeated"]) == (2, 1)
    email = rows.loc[("email", W1)]
    assert (email["within_sla"], email["frt_business_median_s"]) == (0.0, 3600.0)
    assert rows.loc[("chat", W2), "replies"] == 0 and np.isnan(rows.loc[("chat", W2),
                                                                         "reply_median_s"])
    assert [tuple(k) for k in table[["channel", "week"]].to_numpy()] == [
        ("chat", W1), ("chat", W2), ("email", W1)]  # sorted by channel, then week


def test_row_order_does_not_matter():
    rng = np.random.default_rng(0)
    contacts = pd.DataFrame({"channel": rng.choice(["chat", "email"], 200),
                             "week": rng.choice([W1, W2], 200),
                             "first_response_s": rng.integers(1, 5000, 200).astype(float),
                             "first_response_business_s": rng.random(200) * 900,
                             "lookahead_complete": rng.random(200) < 0.8,
                             "repeated": rng.random(200) < 0.2})
    replies = contacts[["channel", "week"]].assign(wait_s=contacts["first_response_s"])
    order = rng.permutation(200)
    pd.testing.assert_frame_equal(
        aggregate_metrics(contacts, replies),
        aggregate_metrics(contacts.iloc[order].reset_index(drop=True),
                          replies.iloc[order].reset_index(drop=True)))
