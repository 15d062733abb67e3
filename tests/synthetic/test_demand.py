"""Arrivals and business hours of the demo company (analytics/synthetic/demand.py).

The week of Monday 2026-10-05 in São Paulo (UTC-03:00, no daylight saving time in 2026):
open Monday-Friday 08:00-18:00 and Saturday 09:00-13:00; Monday 2026-10-12 is a national
holiday (Nossa Senhora Aparecida), so Sunday's late replies wait for Tuesday 08:00.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.synthetic.demand import Calendar, seconds

TZ = "America/Sao_Paulo"


def at(text: str) -> int:
    return seconds(pd.Timestamp(text, tz=TZ))


@pytest.fixture(scope="module")
def cal() -> Calendar:
    return Calendar(pd.Timestamp("2026-10-05", tz=TZ), pd.Timestamp("2026-10-12", tz=TZ), TZ)


def test_seconds_are_unix_seconds():
    assert seconds(pd.Timestamp("1970-01-01 00:01:40", tz="UTC")) == 100
    assert at("2026-10-05 09:00") == seconds(pd.Timestamp("2026-10-05 12:00", tz="UTC"))


@pytest.mark.parametrize(("when", "open_"), [
    ("2026-10-05 07:59:59", False), ("2026-10-05 08:00", True), ("2026-10-05 17:59:59", True),
    ("2026-10-05 18:00", False), ("2026-10-10 09:00", True), ("2026-10-10 13:00", False),
    ("2026-10-11 10:00", False),  # Sunday
    ("2026-10-12 10:00", False),  # the holiday
    ("2026-10-13 08:00", True),
])
def test_business_hours(cal, when, open_):
    assert cal.is_open(np.array([at(when)])).tolist() == [open_]


def test_push_moves_closed_times_to_the_next_opening_plus_backlog(cal):
    rng = np.random.default_rng(0)
    t = np.array([at("2026-10-11 10:00"), at("2026-10-06 10:00"), at("2026-10-05 19:00")])
    pushed = cal.push(t, 1.0, 1.0, rng)  # certain push, a backlog of about one second
    after_holiday, next_morning = at("2026-10-13 08:00"), at("2026-10-06 08:00")
    assert after_holiday + 30 <= pushed[0] < after_holiday + 120  # Sunday -> Tuesday (Monday is closed)
    assert pushed[1] == t[1]  # inside business hours: unchanged
    assert next_morning + 30 <= pushed[2] < next_morning + 120  # Monday 19:00 -> Tuesday 08:00


def test_push_with_probability_zero_changes_nothing(cal):
    t = np.array([at("2026-10-11 10:00"), at("2026-10-05 19:00")])
    assert cal.push(t, 0.0, 600.0, np.random.default_rng(0)).tolist() == t.tolist()


def test_weights_cover_the_period_only_and_sum_to_one(cal):
    for profile, w in cal.weights.items():
        assert w.sum() == pytest.approx(1.0), profile
        assert len(w) == 7 * 24  # one hour each, start to end
    assert cal.hour_s[0] == at("2026-10-05 00:00") and cal.hour_s[-1] == at("2026-10-11 23:00")


def test_samples_stay_in_the_period_and_follow_the_profile(cal):
    rng = np.random.default_rng(5)
    phone = cal.sample("phone", 5000, rng)
    assert phone.min() >= cal.start and phone.max() < cal.end
    local = pd.to_datetime(phone, unit="s", utc=True).tz_convert(TZ)
    # The phone line is closed on Sunday: weight 0.05 x 0.06 against about 1 for a weekday hour.
    assert (local.day_of_week == 6).mean() < 0.01
    assert ((local.hour >= 8) & (local.hour < 18)).mean() > 0.9
