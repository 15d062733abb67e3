"""Reporting periods: every text form, previous periods, relative forms, errors."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics.errors import InputError
from analytics.period import parse_period

D = dt.date


def days(period):
    return period.first_day, period.last_day


def test_month():
    p = parse_period("2024-02", "UTC")
    assert (p.label, p.kind, days(p), p.days) == ("2024-02", "month", (D(2024, 2, 1), D(2024, 2, 29)), 29)
    assert p.previous().label == "2024-01"
    assert days(parse_period("2024-12", "UTC")) == (D(2024, 12, 1), D(2024, 12, 31))


def test_january_previous_is_last_december():
    previous = parse_period("2024-01", "UTC").previous()
    assert (previous.label, days(previous)) == ("2023-12", (D(2023, 12, 1), D(2023, 12, 31)))


def test_month_to_previous_month_with_fewer_days():
    assert days(parse_period("2024-03", "UTC").previous()) == (D(2024, 2, 1), D(2024, 2, 29))


def test_iso_week():
    p = parse_period("2024-W47", "UTC")
    assert (p.kind, days(p)) == ("week", (D(2024, 11, 18), D(2024, 11, 24)))
    assert p.previous().label == "2024-W46"


def test_week_01_previous_is_the_previous_years_last_week():
    assert parse_period("2024-W01", "UTC").previous().label == "2023-W52"
    previous = parse_period("2021-W01", "UTC").previous()    # 2020 had 53 ISO weeks
    assert (previous.label, days(previous)) == ("2020-W53", (D(2020, 12, 28), D(2021, 1, 3)))


def test_week_01_may_start_in_the_previous_calendar_year():
    assert days(parse_period("2025-W01", "UTC")) == (D(2024, 12, 30), D(2025, 1, 5))


def test_quarter():
    p = parse_period("2024-Q4", "UTC")
    assert (p.kind, days(p)) == ("quarter", (D(2024, 10, 1), D(2024, 12, 31)))
    assert p.previous().label == "2024-Q3"
    previous = parse_period("2024-Q1", "UTC").previous()
    assert (previous.label, days(previous)) == ("2023-Q4", (D(2023, 10, 1), D(2023, 12, 31)))


def test_inclusive_date_range_and_same_length_before():
    p = parse_period("2024-11-01..2024-11-15", "UTC")
    assert (p.kind, days(p), p.days) == ("range", (D(2024, 11, 1), D(2024, 11, 15)), 15)
    previous = p.previous()
    assert (previous.label, previous.days) == ("2024-10-17..2024-10-31", 15)
    single = parse_period("2024-03-01..2024-03-01", "UTC")
    assert single.days == 1 and single.previous().label == "2024-02-29..2024-02-29"
    assert p.slug == "2024-11-01_to_2024-11-15"


def test_bounds_are_local_midnights_in_the_period_zone():
    p = parse_period("2024-03", "America/Sao_Paulo")
    assert p.start == pd.Timestamp("2024-03-01T00:00:00-03:00")
    assert p.end == pd.Timestamp("2024-04-01T00:00:00-03:00")
    # New York: March starts in EST and ends in EDT.
    ny = parse_period("2024-03", "America/New_York")
    assert (ny.start.utcoffset(), ny.end.utcoffset()) == (pd.Timedelta(hours=-5), pd.Timedelta(hours=-4))
    times = pd.Series(pd.to_datetime(["2024-03-01T02:59:59Z", "2024-03-01T03:00:00Z",
                                      "2024-04-01T02:59:59Z", "2024-04-01T03:00:00Z"]))
    assert p.contains(times).tolist() == [False, True, True, False]


def test_range_end_is_inclusive():
    p = parse_period("2024-11-01..2024-11-15", "UTC")
    times = pd.Series(pd.to_datetime(["2024-11-15T23:59:59Z", "2024-11-16T00:00:00Z"]))
    assert p.contains(times).tolist() == [True, False]


@pytest.mark.parametrize("text, today, label", [
    ("last-week", D(2025, 1, 15), "2025-W02"),
    ("last-week", D(2024, 1, 3), "2023-W52"),
    ("last-week", D(2024, 11, 18), "2024-W46"),      # on a Monday
    ("last-month", D(2025, 1, 15), "2024-12"),
    ("last-month", D(2024, 3, 31), "2024-02"),
    ("last-quarter", D(2025, 1, 15), "2024-Q4"),
    ("last-quarter", D(2024, 6, 30), "2024-Q1"),
])
def test_relative_periods_with_a_fixed_today(text, today, label):
    assert parse_period(text, "UTC", today=today).label == label


def test_whitespace_around_the_period_is_ignored():
    assert parse_period(" 2024-Q2 ", "UTC").label == "2024-Q2"


@pytest.mark.parametrize("text", ["2024-13", "2024-00", "2024-W54", "2024-W00", "2024-W53",
                                  "2024-Q5", "2024-11-15..2024-11-01", "2024-02-30..2024-03-01",
                                  "garbage", "", "2024", "last-year", "2024-11-01..",
                                  "24-11"])
def test_invalid_periods_raise_input_error_naming_the_value(text):
    with pytest.raises(InputError) as info:
        parse_period(text, "UTC")
    assert str(info.value).startswith("--period")


def test_reversed_range_says_so():
    with pytest.raises(InputError, match="ends before it starts"):
        parse_period("2024-11-15..2024-11-01", "UTC")


def test_unknown_time_zone_is_an_input_error():
    with pytest.raises(InputError, match="unknown time zone 'Mars/Olympus'"):
        parse_period("2024-03", "Mars/Olympus")
