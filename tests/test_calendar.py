"""Business-hours calendar: hand-computed durations, DST days, holidays, errors and properties."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import holidays
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.calendar import BusinessCalendar, parse_hours
from analytics.errors import InputError

HOUR = 3600.0
SPLIT = "mon-fri 08:00-12:00,13:00-18:00"


def local(cal: BusinessCalendar, *stamps: str) -> pd.Series:
    """Local wall-clock strings in the calendar's zone -> UTC Series (None -> NaT)."""
    idx = pd.DatetimeIndex(list(stamps)).tz_localize(cal.tz, nonexistent="shift_forward")
    return pd.Series(idx.tz_convert("UTC"))


def hours(cal: BusinessCalendar, start: str, end: str) -> float:
    return cal.working_seconds(local(cal, start), local(cal, end)).iloc[0] / HOUR


# --- parse_hours -----------------------------------------------------------------------------


def test_parse_split_shift_and_saturday():
    week = parse_hours("mon-fri 08:00-12:00, 13:00-18:00; sat 09:00-13:00")
    assert week[0] == [(dt.time(8), dt.time(12)), (dt.time(13), dt.time(18))]
    assert week[4] == week[0]
    assert week[5] == [(dt.time(9), dt.time(13))]
    assert week[6] == []


def test_parse_day_list_wrapping_range_and_24h_end():
    assert sorted(d for d, r in parse_hours("mon,wed 09:00-17:00").items() if r) == [0, 2]
    assert sorted(d for d, r in parse_hours("sun-thu 09:00-17:00").items() if r) == [0, 1, 2, 3, 6]
    # 24:00 is represented as time(0) in the end position.
    assert parse_hours("sat 18:00-24:00")[5] == [(dt.time(18), dt.time(0))]


@pytest.mark.parametrize("word", ["always", "24x7", " ALWAYS "])
def test_parse_always(word):
    assert parse_hours(word) == {d: [(dt.time(0), dt.time(0))] for d in range(7)}


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("", "no opening hours"),
        ("mon-fri", "cannot read"),
        ("funday 09:00-18:00", "unknown day"),
        ("mon-fri 18:00-09:00", "ends before it starts"),
        ("mon-fri 09:00-09:00", "ends before it starts"),
        ("mon-fri 09:00-18:00,17:00-19:00", "overlapping"),
        ("mon-fri 09:00-18:00; mon 17:00-19:00", "overlapping"),
        ("mon-fri 25:00-26:00", "bad time"),
        ("mon-fri 09:70-18:00", "bad time"),
        ("mon-fri 24:30-25:00", "bad time"),
        ("mon-fri 9-18", "bad time"),
        ("mon-fri 09:00", "bad time range"),
    ],
)
def test_parse_bad_spec_raises_input_error(spec, words):
    with pytest.raises(InputError) as info:
        parse_hours(spec)
    assert info.value.source == "--hours"
    assert words in info.value.message
    assert info.value.expected
    assert info.value.found == spec


# --- construction and describe ----------------------------------------------------------------


def test_unknown_zone_raises_input_error():
    with pytest.raises(InputError, match="unknown time zone") as info:
        BusinessCalendar("Mars/Olympus_Mons")
    assert info.value.source == "--tz"
    assert "Mars/Olympus_Mons" in str(info.value)


@pytest.mark.parametrize(("country", "subdivision"), [("XX", None), ("BR", "ZZ"), (None, "SP")])
def test_unknown_country_or_subdivision_raises_input_error(country, subdivision):
    with pytest.raises(InputError) as info:
        BusinessCalendar("UTC", country=country, subdivision=subdivision)
    assert info.value.source == "--holidays"
    assert "BR-SP" in str(info.value)  # points at a valid example


def test_bad_hours_raise_at_construction():
    with pytest.raises(InputError, match="unknown day"):
        BusinessCalendar("UTC", hours="mo-fr 09:00-18:00")


def test_describe():
    cal = BusinessCalendar("America/Sao_Paulo", country="br", subdivision="sp",
                           closed_dates=(dt.date(2024, 12, 24), dt.date(2024, 12, 31)))
    assert cal.describe() == (
        "mon-fri 09:00-18:00 (America/Sao_Paulo), public holidays: BR-SP, 2 extra closed dates"
    )
    assert BusinessCalendar("UTC", hours="always").describe() == "always (UTC)"


# --- hand-computed durations --------------------------------------------------------------------


def test_span_inside_one_working_range():
    cal = BusinessCalendar("America/Sao_Paulo")
    assert hours(cal, "2024-06-03 10:00", "2024-06-03 12:30") == 2.5  # a Monday


def test_span_over_lunch_break_of_split_shift():
    cal = BusinessCalendar("America/Sao_Paulo", hours=SPLIT)
    assert hours(cal, "2024-06-03 11:00", "2024-06-03 14:00") == 2.0


def test_span_before_opening_and_after_closing_counts_only_open_part():
    cal = BusinessCalendar("America/Sao_Paulo", hours=SPLIT)
    assert hours(cal, "2024-06-03 06:00", "2024-06-03 22:00") == 9.0


def test_span_over_weekend():
    cal = BusinessCalendar("America/Sao_Paulo")
    assert pd.Timestamp("2024-06-07").day_name() == "Friday"
    assert hours(cal, "2024-06-07 17:00", "2024-06-10 10:00") == 2.0


def test_span_over_weekend_with_saturday_hours():
    cal = BusinessCalendar("America/Sao_Paulo", hours="mon-fri 09:00-18:00; sat 09:00-13:00")
    assert hours(cal, "2024-06-07 17:00", "2024-06-10 10:00") == 1.0 + 4.0 + 1.0


@pytest.mark.parametrize("day", ["2024-11-15", "2024-12-25"])
def test_national_holiday_counts_zero(day):
    open_cal = BusinessCalendar("America/Sao_Paulo")
    br = BusinessCalendar("America/Sao_Paulo", country="BR")
    assert hours(open_cal, f"{day} 00:00", f"{day} 23:59") == 9.0
    assert hours(br, f"{day} 00:00", f"{day} 23:59") == 0.0


def test_subdivision_holiday_closed_only_in_that_subdivision():
    # 9 July (Revolução Constitucionalista) is a São Paulo state holiday, a Tuesday in 2024.
    national = BusinessCalendar("America/Sao_Paulo", country="BR")
    sao_paulo = BusinessCalendar("America/Sao_Paulo", country="BR", subdivision="SP")
    assert hours(national, "2024-07-09 00:00", "2024-07-10 00:00") == 9.0
    assert hours(sao_paulo, "2024-07-09 00:00", "2024-07-10 00:00") == 0.0


def test_extra_closed_dates():
    cal = BusinessCalendar("America/Sao_Paulo", closed_dates=(dt.date(2024, 12, 24), "2024-12-26"))
    # Mon 23 open, Tue 24 closed, Wed 25 open (no country), Thu 26 closed, Fri 27 open.
    assert hours(cal, "2024-12-23 00:00", "2024-12-28 00:00") == 27.0


# --- DST ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "expected"), [("2024-03-10", 23.0), ("2024-11-03", 25.0)])
def test_always_calendar_on_new_york_dst_days(day, expected):
    cal = BusinessCalendar("America/New_York", hours="always")
    after = (pd.Timestamp(day) + pd.Timedelta(days=1)).strftime("%Y-%m-%d")
    assert hours(cal, f"{day} 00:00", f"{after} 00:00") == expected


def test_working_range_stays_nine_hours_after_spring_forward():
    cal = BusinessCalendar("America/New_York")
    assert hours(cal, "2024-03-11 00:00", "2024-03-12 00:00") == 9.0
    spans = cal.working_intervals(pd.Timestamp("2024-03-08", tz="UTC"),
                                  pd.Timestamp("2024-03-12", tz="UTC"))
    assert spans["start"].dt.hour.tolist() == [14, 13]  # 09:00 EST on Friday, EDT on Monday
    assert ((spans["end"] - spans["start"]) == pd.Timedelta(hours=9)).all()


def test_ambiguous_boundary_uses_first_occurrence():
    # 2024-11-03 01:30 happens twice in New York; the range ends at the first one (EDT).
    cal = BusinessCalendar("America/New_York", hours="sun 00:00-01:30")
    spans = cal.working_intervals(pd.Timestamp("2024-11-03", tz="UTC"),
                                  pd.Timestamp("2024-11-04", tz="UTC"))
    assert spans["end"].tolist() == [pd.Timestamp("2024-11-03 05:30", tz="UTC")]
    assert hours(cal, "2024-11-03 00:00", "2024-11-04 00:00") == 1.5


def test_sao_paulo_dst_start_at_nonexistent_midnight():
    # Brazil's last DST began 2018-11-04 00:00 -> 01:00: that local midnight never happened.
    cal = BusinessCalendar("America/Sao_Paulo", hours="always")
    assert hours(cal, "2018-11-04 00:00", "2018-11-05 00:00") == 23.0
    day = cal.working_intervals(pd.Timestamp("2018-11-04 12:00", tz="UTC"),
                                pd.Timestamp("2018-11-04 13:00", tz="UTC")).iloc[0]
    assert day["start"] == pd.Timestamp("2018-11-04 03:00", tz="UTC")  # 01:00 -02:00
    assert day["end"] - day["start"] == pd.Timedelta(hours=23)


# --- missing values, shapes, is_open ---------------------------------------------------------------


def test_nat_and_reversed_spans_give_nan():
    cal = BusinessCalendar("America/Sao_Paulo")
    start = local(cal, "2024-06-03 10:00", None, "2024-06-03 10:00", "2024-06-03 10:00")
    end = local(cal, None, "2024-06-03 11:00", "2024-06-03 09:00", "2024-06-03 10:00")
    got = cal.working_seconds(start, end)
    assert got.isna().tolist() == [True, True, True, False]
    assert got.iloc[3] == 0.0


def test_result_keeps_start_index():
    cal = BusinessCalendar("UTC", hours="always")
    start = local(cal, "2024-01-01 00:00", "2024-01-02 00:00").set_axis([10, 20])
    end = local(cal, "2024-01-01 01:00", "2024-01-02 00:30").set_axis(["a", "b"])
    assert cal.working_seconds(start, end).to_dict() == {10: HOUR, 20: HOUR / 2}


def test_empty_series_gives_empty_series():
    cal = BusinessCalendar("UTC")
    empty = pd.Series(pd.DatetimeIndex([], tz="UTC"))
    got = cal.working_seconds(empty, empty)
    assert got.empty and got.dtype == "float64"
    assert cal.is_open(empty).empty


def test_all_nat_gives_all_nan():
    cal = BusinessCalendar("UTC")
    nat = pd.Series(pd.DatetimeIndex([None, None], tz="UTC"))
    assert cal.working_seconds(nat, nat).isna().all()


def test_is_open():
    cal = BusinessCalendar("America/Sao_Paulo", hours=SPLIT)
    at = local(cal, "2024-06-03 08:00", "2024-06-03 12:30", "2024-06-03 17:59",
               "2024-06-03 18:00", "2024-06-08 10:00", None)
    assert cal.is_open(at).tolist() == [True, False, True, False, False, False]


# --- properties ----------------------------------------------------------------------------------

CALENDARS = [
    BusinessCalendar("America/Sao_Paulo", hours=SPLIT + "; sat 09:00-13:00",
                     country="BR", subdivision="SP"),
    BusinessCalendar("America/New_York", country="US", closed_dates=(dt.date(2024, 12, 24),)),
    BusinessCalendar("Europe/London", hours="mon-sun 00:00-02:30,22:00-24:00"),
    BusinessCalendar("UTC", hours="always"),
]
LO = pd.Timestamp("2020-01-01", tz="UTC").value
HI = pd.Timestamp("2026-12-31", tz="UTC").value
instant = st.integers(LO, HI)


def as_series(ns: list[int]) -> pd.Series:
    return pd.Series(pd.to_datetime(np.array(ns, dtype="int64"), unit="ns", utc=True))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(CALENDARS), st.lists(st.tuples(instant, instant), min_size=1, max_size=20))
def test_business_seconds_never_exceed_calendar_seconds(cal, pairs):
    start, end = as_series([min(p) for p in pairs]), as_series([max(p) for p in pairs])
    got = cal.working_seconds(start, end)
    assert (got >= 0).all()
    assert (got <= (end - start).dt.total_seconds() + 1e-6).all()


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(CALENDARS), st.lists(instant, min_size=3, max_size=3))
def test_additivity(cal, stamps):
    a, b, c = (as_series([t]) for t in sorted(stamps))
    whole = cal.working_seconds(a, c).iloc[0]
    parts = cal.working_seconds(a, b).iloc[0] + cal.working_seconds(b, c).iloc[0]
    assert whole == pytest.approx(parts, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["UTC", "America/New_York", "America/Sao_Paulo"]),
       st.lists(st.tuples(instant, instant), min_size=1, max_size=20))
def test_always_calendar_equals_elapsed_time(tz, pairs):
    cal = BusinessCalendar(tz, hours="always")
    start, end = as_series([min(p) for p in pairs]), as_series([max(p) for p in pairs])
    got = cal.working_seconds(start, end)
    assert got.tolist() == ((end - start).dt.as_unit("ns").astype("int64") / 1e9).tolist()


def reference_seconds(cal: BusinessCalendar, start: dt.datetime, end: dt.datetime) -> float:
    """Day-by-day loop with zoneinfo, independent of the vectorised code."""
    zone = zoneinfo.ZoneInfo(cal.tz)
    closed = holidays.country_holidays(cal.country, years=range(start.year - 1, end.year + 2))
    total = 0.0
    day = start.astimezone(zone).date() - dt.timedelta(days=1)
    while day <= end.astimezone(zone).date():
        if day not in closed and day not in cal.closed_dates:
            for lo, hi in parse_hours(cal.hours)[day.weekday()]:
                # fold=0: an ambiguous wall time is its first occurrence, as in the calendar.
                s = dt.datetime.combine(day, lo, zone)
                e = dt.datetime.combine(day + dt.timedelta(days=hi == dt.time(0)), hi, zone)
                total += max(0.0, (min(e, end) - max(s, start)).total_seconds())
        day += dt.timedelta(days=1)
    return total


@settings(max_examples=100, deadline=None)
@given(st.integers(LO // 1000, HI // 1000), st.integers(0, 40 * 86400 * 10**6))
def test_matches_day_by_day_reference(t0_us, length_us):
    # Hours avoid the 02:00 DST gap, where zoneinfo and shift_forward legitimately differ.
    cal = BusinessCalendar("America/New_York", hours=SPLIT + "; sat 09:00-13:00", country="US")
    # Whole microseconds: datetime cannot hold the nanoseconds.
    start, end = as_series([t0_us * 1000]), as_series([(t0_us + length_us) * 1000])
    got = cal.working_seconds(start, end).iloc[0]
    want = reference_seconds(cal, start.iloc[0].to_pydatetime(), end.iloc[0].to_pydatetime())
    assert got == pytest.approx(want, abs=1e-5)


# --- day precision: business days -------------------------------------------------------------

DAY = 86400.0


def business_days(cal: BusinessCalendar, start: str, end: str) -> float:
    return cal.working_seconds(local(cal, start), local(cal, end)).iloc[0] / DAY


def test_day_precision_counts_business_days_after_the_customers_day():
    # 2026-11-27 is a Friday; closing Monday 30 makes the next Tuesday 1 business day later.
    cal = BusinessCalendar(tz="America/Sao_Paulo", hours="mon-fri 08:00-18:00",
                           closed_dates=("2026-11-30",), precision="day")
    assert business_days(cal, "2026-11-27 12:00", "2026-12-01 12:00") == 1
    assert business_days(cal, "2026-11-27 12:00", "2026-11-27 12:00") == 0   # same day
    assert business_days(cal, "2026-11-27 12:00", "2026-11-30 12:00") == 0   # the closed Monday
    assert business_days(cal, "2026-11-28 12:00", "2026-12-02 12:00") == 2   # Sat -> Wed
    # Times of day are placeholders: an evening complaint answered next morning is 1 day.
    assert business_days(cal, "2026-12-01 23:00", "2026-12-02 00:30") == 1


def test_day_precision_skips_public_holidays_and_days_without_hours():
    # Brazil: 2014-12-25 (Thursday) is Christmas. Mon 22 -> Mon 29 is 4 business days (23, 24,
    # 26, 29); with Saturday hours the Saturday 27 counts too.
    br = BusinessCalendar(tz="America/Sao_Paulo", hours="mon-fri 08:00-18:00", country="BR",
                          precision="day")
    assert business_days(br, "2014-12-22 12:00", "2014-12-29 12:00") == 4
    saturdays = BusinessCalendar(tz="America/Sao_Paulo", country="BR", precision="day",
                                 hours="mon-fri 08:00-18:00; sat 09:00-13:00")
    assert business_days(saturdays, "2014-12-22 12:00", "2014-12-29 12:00") == 5
    assert "counted in business days" in br.describe()


def test_day_precision_reads_dates_in_the_calendar_zone_and_keeps_nan():
    cal = BusinessCalendar(tz="America/Sao_Paulo", hours="always", precision="day")
    # 2026-11-27 01:00 UTC is still the 26th in Sao Paulo: two days to the 28th, not one.
    start = pd.Series(pd.to_datetime(["2026-11-27 01:00", None, "2026-11-28 15:00"], utc=True))
    end = pd.Series(pd.to_datetime(["2026-11-28 15:00", "2026-11-28 15:00", "2026-11-27 15:00"],
                                   utc=True))
    got = cal.working_seconds(start, end) / DAY
    assert got.iloc[0] == 2 and np.isnan(got.iloc[1]) and np.isnan(got.iloc[2])


def test_unknown_precision_is_rejected():
    with pytest.raises(ValueError, match="precision"):
        BusinessCalendar(tz="UTC", precision="hour")
