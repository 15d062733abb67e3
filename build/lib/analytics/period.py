"""Reporting periods: ``2024-11``, ``2024-W47``, ``2024-Q4``, ``2024-11-01..2024-11-15`` and
the relative ``last-week``, ``last-month``, ``last-quarter`` used by scheduled runs.

A :class:`Period` holds time-zone-aware bounds (start inclusive, end exclusive, local midnight
in the report's zone) and knows its previous period: the previous calendar week, month or
quarter; for an explicit date range, the same number of days just before it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from analytics.errors import InputError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
RELATIVE = ("last-week", "last-month", "last-quarter")
ACCEPTED = "YYYY-MM, YYYY-Www, YYYY-Qn, YYYY-MM-DD..YYYY-MM-DD, last-week, last-month or last-quarter"


@dataclass(frozen=True)
class Period:
    """A reporting period in a time zone.

    Attributes
    ----------
    label : str
        Canonical text (``2024-11``, ``2024-W47``, ``2024-Q4``, ``2024-11-01..2024-11-15``).
    kind : str
        ``month``, ``week``, ``quarter`` or ``range``.
    first_day, last_day : datetime.date
        Local calendar days covered, both inclusive.
    tz : str
        IANA zone the days are read in.
    """

    label: str
    kind: str
    first_day: dt.date
    last_day: dt.date
    tz: str

    @property
    def start(self) -> pd.Timestamp:
        """Local midnight starting the first day (tz-aware)."""
        return _midnight(self.first_day, self.tz)

    @property
    def end(self) -> pd.Timestamp:
        """Local midnight after the last day (exclusive, tz-aware)."""
        return _midnight(self.last_day + dt.timedelta(days=1), self.tz)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def slug(self) -> str:
        """Folder-safe label."""
        return self.label.replace("..", "_to_")

    def contains(self, times: pd.Series) -> pd.Series:
        """True where a (tz-aware) time falls in [start, end)."""
        return (times >= self.start) & (times < self.end)

    def previous(self) -> Period:
        """The period just before: previous week/month/quarter, or as many days before."""
        if self.kind == "month":
            last = self.first_day - dt.timedelta(days=1)
            return _month(last.year, last.month, self.tz)
        if self.kind == "quarter":
            last = self.first_day - dt.timedelta(days=1)
            return _quarter(last.year, (last.month - 1) // 3 + 1, self.tz)
        if self.kind == "week":
            year, week, _ = (self.first_day - dt.timedelta(days=7)).isocalendar()
            return _week(year, week, self.tz)
        first = self.first_day - dt.timedelta(days=self.days)
        return _range(first, self.first_day - dt.timedelta(days=1), self.tz)

    def __str__(self) -> str:
        return self.label


def _midnight(day: dt.date, tz: str) -> pd.Timestamp:
    return pd.Timestamp(day).tz_localize(tz, nonexistent="shift_forward", ambiguous=True)


def _month(year, month, tz):
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return Period(f"{year:04d}-{month:02d}", "month", first, following - dt.timedelta(days=1), tz)


def _quarter(year, quarter, tz):
    first = dt.date(year, 3 * quarter - 2, 1)
    last = _month(year, 3 * quarter, tz).last_day
    return Period(f"{year:04d}-Q{quarter}", "quarter", first, last, tz)


def _week(year, week, tz):
    first = dt.date.fromisocalendar(year, week, 1)
    return Period(f"{year:04d}-W{week:02d}", "week", first, first + dt.timedelta(days=6), tz)


def _range(first, last, tz):
    return Period(f"{first.isoformat()}..{last.isoformat()}", "range", first, last, tz)


def check_zone(tz: str, source: str = "--tz") -> str:
    """Return ``tz`` if it is a known IANA zone name, else raise InputError."""
    try:
        pd.Timestamp("2000-01-01").tz_localize(tz)
    except Exception:
        raise InputError(source, f"unknown time zone {tz!r}",
                         expected="an IANA zone such as America/Sao_Paulo or UTC") from None
    return tz


def parse_period(text: str, tz: str, *, today: dt.date | None = None) -> Period:
    """Build a :class:`Period` from its text form, or raise InputError naming the value.

    ``today`` anchors the relative forms (default: the current date in ``tz``).

    >>> p = parse_period("2024-W01", "UTC")
    >>> (p.first_day.isoformat(), p.last_day.isoformat(), p.previous().label)
    ('2024-01-01', '2024-01-07', '2023-W52')
    >>> parse_period("last-month", "UTC", today=dt.date(2025, 1, 15)).label
    '2024-12'
    """
    check_zone(tz)
    text = str(text).strip()
    try:
        if m := _MONTH.match(text):
            return _month(int(m[1]), int(m[2]), tz)
        if m := _WEEK.match(text):
            return _week(int(m[1]), int(m[2]), tz)
        if m := _QUARTER.match(text):
            return _quarter(int(m[1]), int(m[2]), tz)
        if m := _RANGE.match(text):
            first, last = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
            if last < first:
                raise InputError("--period", "the range ends before it starts",
                                 expected="FIRST..LAST with FIRST <= LAST", found=text)
            return _range(first, last, tz)
    except ValueError:
        raise InputError("--period", "not a valid date", expected=ACCEPTED, found=text) from None
    if text in RELATIVE:
        if today is None:
            today = pd.Timestamp.now(tz=tz).date()
        if text == "last-week":
            year, week, _ = (today - dt.timedelta(days=7)).isocalendar()
            return _week(year, week, tz)
        if text == "last-month":
            return _month(today.year, today.month, tz).previous()
        return _quarter(today.year, (today.month - 1) // 3 + 1, tz).previous()
    raise InputError("--period", "unrecognised period", expected=ACCEPTED, found=text)



def _local_weeks(start: pd.Series, *, tz: str, end, weeks: int):
    """Each start's local week (Monday, naive date) and the ``weeks`` weeks up to ``end``."""
    local = start.dt.tz_convert(tz).dt.tz_localize(None)
    week = local.dt.normalize() - pd.to_timedelta(local.dt.day_of_week, unit="D")
    last_local = (pd.Timestamp(end).tz_convert(tz) - pd.Timedelta(1, "ns")).tz_localize(None)
    last_week = last_local.normalize() - pd.Timedelta(days=last_local.day_of_week)
    return week, pd.date_range(end=last_week, periods=weeks, freq="7D")
