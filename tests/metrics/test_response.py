"""Response-time aggregates on hand-computed numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import PERIOD, H, fact_rows

from analytics.metrics import response
from analytics.metrics.response import (
    duration_stats,
    first_response_summary,
    first_response_table,
    median_interval,
    reply_time_summary,
    response_buckets,
    still_waiting_curve,
    survival_median,
)

MIN = 60.0


def test_duration_stats_median_linear_p90_mean_and_n():
    assert duration_stats(pd.Series([60.0, 120.0, None, 600.0])) == {
        "n": 3, "median_s": 120.0, "p90_s": 504.0, "mean_s": 260.0}   # 120 + 0.8 * 480
    assert duration_stats(pd.Series([40.0, 10.0, 30.0, 20.0])) == {
        "n": 4, "median_s": 25.0, "p90_s": 37.0, "mean_s": 25.0}       # 30 + 0.7 * 10


def test_duration_stats_of_nothing_is_none_not_zero():
    expected = {"n": 0, "median_s": None, "p90_s": None, "mean_s": None}
    assert duration_stats(pd.Series([], dtype=float)) == expected
    assert duration_stats(pd.Series([np.nan, np.nan])) == expected


def test_median_interval_contains_the_median_and_is_seeded():
    values = pd.Series([5.0, 60, 90, 120, 200, 300, 310, 900, 1800, 7200, np.nan])
    low, high = median_interval(values)
    assert low <= float(values.median()) <= high
    assert low >= 5.0 and high <= 7200.0
    assert median_interval(values) == (low, high)
    assert median_interval(values, seed=0) == (low, high)


def test_median_interval_large_sample_uses_order_statistics_around_the_median():
    values = pd.Series(np.arange(10_001, dtype=float))   # median 5000
    low, high = median_interval(values)
    # ranks n/2 -/+ 1.96 * sqrt(n) / 2 = 5000.5 -/+ 98.0
    assert (low, high) == (4902.0, 5099.0)


def test_median_interval_needs_two_values():
    assert median_interval(pd.Series([np.nan, 30.0])) == (None, None)


def test_still_waiting_curve_hand_computed_with_one_censored_contact():
    # Answered at 60, 120, 300 s; one still waiting after 90 s (censored).
    facts = fact_rows((60, None), (None, 90), (300, None), (120, None))
    curve = still_waiting_curve(facts)
    assert curve["time_s"].tolist() == [0.0, 60.0, 90.0, 120.0, 300.0]
    assert curve["at_risk"].tolist() == [4, 4, 3, 2, 1]
    assert curve["answered"].tolist() == [0, 1, 0, 1, 1]
    # S(60) = 3/4; S(90) unchanged (censoring); S(120) = 3/4 * 1/2; S(300) = 0.
    assert curve["still_waiting"].tolist() == pytest.approx([1.0, 0.75, 0.75, 0.375, 0.0])
    assert survival_median(curve) == 120.0


def test_still_waiting_curve_never_reaches_half_when_most_still_wait():
    facts = fact_rows((60, None), (None, 100), (None, 200))
    curve = still_waiting_curve(facts)
    assert curve["still_waiting"].tolist() == pytest.approx([1.0, 2 / 3, 2 / 3, 2 / 3])
    assert survival_median(curve) is None


def test_still_waiting_curve_leaves_proactive_out_and_handles_no_contacts():
    facts = fact_rows((60, None), (None, 10))
    facts.loc[1, "proactive"] = True
    assert still_waiting_curve(facts)["still_waiting"].tolist() == [1.0, 0.0]
    empty = still_waiting_curve(facts.iloc[:0])
    assert empty.to_dict("list") == {"time_s": [0.0], "still_waiting": [1.0], "at_risk": [0],
                                     "answered": [0]}


def test_response_buckets_include_their_lower_edge():
    facts = fact_rows((0, None), (299.9, None), (300, None), (899, None), (900, None),
                      (3600, None), (4 * 3600, None), (86400, None), (86401, None), (None, 5))
    table = response_buckets(facts)
    assert table["bucket"].astype(str).tolist() == ["< 5 min", "5-15 min", "15-60 min", "1-4 h",
                                                    "4-24 h", "> 24 h", "unanswered"]
    assert table["contacts"].tolist() == [2, 2, 1, 1, 1, 2, 1]
    assert table["share"].tolist() == pytest.approx([0.2, 0.2, 0.1, 0.1, 0.1, 0.2, 0.1])


def test_response_buckets_by_channel_share_within_the_channel():
    facts = fact_rows((60, None), (None, 5), (400, None))
    facts["channel"] = ["chat", "chat", "email"]
    table = response_buckets(facts, by="channel").set_index(["channel", "bucket"])
    assert table.loc[("chat", "< 5 min"), "share"] == 0.5
    assert table.loc[("chat", "unanswered"), "share"] == 0.5
    assert table.loc[("email", "5-15 min"), "share"] == 1.0
    assert table.loc[("email", "unanswered"), "contacts"] == 0


def test_within_sla_is_the_share_of_answered_at_or_under_the_target():
    facts = fact_rows((600, None), (3600, None), (7200, None), (None, 90000))
    summary = first_response_summary(facts, sla_s=3600)
    assert summary["within_sla"] == pytest.approx(2 / 3)    # 3600 s is within a 1 h SLA
    assert (summary["n"], summary["unanswered"]) == (3, 1)
    assert summary["median_s"] == 3600.0 and summary["p90_s"] == 6480.0  # 3600 + 0.8 * 3600
    assert summary["mean_s"] == 3800.0
    assert summary["small_n"] is True
    assert summary["oldest_unanswered_s"] == 90000.0
    assert first_response_summary(facts)["within_sla"] is None


def test_summary_of_only_unanswered_contacts_has_no_figures_but_counts_them():
    summary = first_response_summary(fact_rows((None, 30), (None, 50)), sla_s=3600)
    assert summary["n"] == 0 and summary["unanswered"] == 2
    assert summary["median_s"] is None and summary["within_sla"] is None
    assert summary["median_ci_s"] == [None, None]
    assert summary["oldest_unanswered_s"] == 50.0


def test_small_n_flag_below_thirty():
    assert first_response_summary(fact_rows(*[(60, None)] * 29))["small_n"] is True
    assert first_response_summary(fact_rows(*[(60, None)] * 30))["small_n"] is False


def test_first_response_table_per_channel():
    facts = fact_rows((60, None), (120, None), (None, 10), (7200, None))
    facts["channel"] = ["chat", "chat", "chat", "email"]
    table = first_response_table(facts, "channel", sla_s=3600).set_index("channel")
    assert table.loc["chat", ["contacts", "answered", "unanswered"]].tolist() == [3, 2, 1]
    assert table.loc["chat", "median_s"] == 90.0
    assert table.loc["chat", "within_sla"] == 1.0 and table.loc["email", "within_sla"] == 0.0
    assert table.loc["chat", "unanswered_share"] == pytest.approx(1 / 3)
    assert list(table.index) == ["chat", "email"]


def test_reply_time_summary_counts_every_reply_and_open_waits():
    waits = pd.DataFrame({"wait_s": [60.0, 600.0, np.nan, 180.0],
                          "answered": [True, True, False, True]})
    assert reply_time_summary(waits) == {"n": 3, "median_s": 180.0, "p90_s": 516.0,
                                         "mean_s": 280.0, "open_waits": 1}


def test_weekly_first_response_uses_local_weeks_and_hides_small_weeks(facts):
    weekly = response.weekly_first_response(facts, tz="UTC", end=PERIOD.end, weeks=2)
    overall = weekly[weekly["group"] == response.ALL]
    assert overall["week_start"].dt.strftime("%Y-%m-%d").tolist() == ["2024-10-28",
                                                                      "2024-11-04"]
    assert overall["contacts"].tolist() == [0, 6]
    assert overall["answered"].tolist() == [0, 5]
    assert overall["median_s"].iloc[-1] == pytest.approx(2 * H)  # 5 answered = MIN_WEEKLY_N
    assert weekly.loc[weekly["group"] == "email", "median_s"].isna().all()  # 3 < 5
