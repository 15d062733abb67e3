"""Business-hours calendar: which instants count as working time, and how many seconds of it.

A :class:`BusinessCalendar` combines weekly opening hours (``"mon-fri 08:00-12:00,13:00-18:00;
sat 09:00-13:00"``), an IANA time zone, public holidays from the ``holidays`` package and extra
closed dates. Opening hours are wall-clock times, so every boundary is placed in UTC one by one:
a 09:00-18:00 day is 9 h on either side of a DST change, and an ``always`` day is 23 h or 25 h.

:meth:`BusinessCalendar.working_seconds` gives the "business-hours" variant of a duration. A
calendar of ``precision="day"`` (for sources that record dates only, whose times of day are
placeholders) counts whole business days instead, as seconds (days × 86,400).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass, field

import holidays
import numpy as np
import pandas as pd
from numba.types import float64, int64

from analytics.compiled import compiled, read_only
from analytics.errors import InputError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_INDEX = {name: i for i, name in enumerate(DAY_NAMES)} | {
    full: i
    for i, full in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}
_ALWAYS = {"always", "24x7", "24/7"}
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_EXPECTED = "e.g. 'mon-fri 08:00-12:00,13:00-18:00; sat 09:00-13:00' or 'always'"
_DAY = 24 * 60  # minutes
PRECISIONS = ("second", "day")
DAY_S = 86400.0


def _minutes(text: str, spec: str) -> int:
    m = _TIME.fullmatch(text)
    if not m or int(m[2]) > 59 or int(m[1]) * 60 + int(m[2]) > _DAY:
        raise InputError("--hours", f"bad time {text!r}", expected="HH:MM between 00:00 and 24:00",
                         found=spec)
    return int(m[1]) * 60 + int(m[2])


def _days(text: str, spec: str) -> list[int]:
    days: list[int] = []
    for item in text.split(","):
        first, _, last = item.partition("-")
        if first not in _DAY_INDEX or (last and last not in _DAY_INDEX):
            raise InputError("--hours", f"unknown day {item!r}", expected=f"days {', '.join(DAY_NAMES)}",
                             found=spec)
        lo, hi = _DAY_INDEX[first], _DAY_INDEX[last or first]
        # Ranges may wrap around the weekend ("sun-thu" working weeks).
        days += [(lo + k) % 7 for k in range((hi - lo) % 7 + 1)]
    return days


def _parse_minutes(spec: str) -> dict[int, list[tuple[int, int]]]:
    text = spec.strip().lower()
    week: dict[int, list[tuple[int, int]]] = {d: [] for d in range(7)}
    if text in _ALWAYS:
        return {d: [(0, _DAY)] for d in range(7)}
    clauses = [c for c in text.split(";") if c.strip()]
    if not clauses:
        raise InputError("--hours", "no opening hours given", expected=_EXPECTED, found=spec)
    for clause in clauses:
        # Days are letters, hours start with a digit: split there, so spaces are optional.
        m = re.fullmatch(r"\s*([a-z][a-z,\-\s]*?)\s*(\d[\d:,\-\s]*?)\s*", clause)
        if not m:
            raise InputError("--hours", f"cannot read {clause.strip()!r}", expected=_EXPECTED,
                             found=spec)
        days, times = (re.sub(r"\s+", "", g) for g in m.groups())
        for rng in times.split(","):
            a, sep, b = rng.partition("-")
            if not sep:
                raise InputError("--hours", f"bad time range {rng!r}", expected="HH:MM-HH:MM",
                                 found=spec)
            lo, hi = _minutes(a, spec), _minutes(b, spec)
            if lo >= hi:
                raise InputError("--hours", f"time range {rng!r} ends before it starts",
                                 expected="start < end (use 24:00 for midnight)", found=spec)
            for d in _days(days, spec):
                week[d].append((lo, hi))
    for d, ranges in week.items():
        ranges.sort()
        for (_, end1), (start2, _) in zip(ranges, ranges[1:], strict=False):
            if start2 < end1:
                raise InputError("--hours", f"overlapping time ranges on {DAY_NAMES[d]}",
                                 expected="non-overlapping ranges", found=spec)
    return week


def parse_hours(spec: str) -> dict[int, list[tuple[dt.time, dt.time]]]:
    """Parse weekly opening hours.

    Parameters
    ----------
    spec : str
        ``;``-separated clauses ``<days> <ranges>``: days are ``mon``..``sun``, ranges
        ``mon-fri`` (wrapping ranges such as ``sun-thu`` allowed) or lists ``mon,wed``; ranges
        are comma-separated local wall-clock ``HH:MM-HH:MM`` with ``24:00`` allowed as an end.
        ``always`` / ``24x7`` means every day, all day.

    Returns
    -------
    dict[int, list[tuple[datetime.time, datetime.time]]]
        Weekday (0 = Monday .. 6 = Sunday; all seven present, closed days empty) -> sorted
        ``(start, end)`` local times. An end of ``time(0, 0)`` means 24:00 (next midnight).

    Raises
    ------
    InputError
        ``source="--hours"``: unknown day, bad time, reversed or overlapping ranges.
    """

    def t(minutes: int) -> dt.time:
        return dt.time((minutes // 60) % 24, minutes % 60)

    return {d: [(t(a), t(b)) for a, b in r] for d, r in _parse_minutes(spec).items()}


@dataclass(frozen=True)
class BusinessCalendar:
    """Working time: weekly hours in a local zone, minus public holidays and closed dates.

    Parameters
    ----------
    tz : str
        IANA zone the hours are expressed in, e.g. ``"America/Sao_Paulo"``.
    hours : str
        Opening hours, see :func:`parse_hours`.
    country, subdivision : str, optional
        ``holidays`` country code (``"BR"``) and subdivision (``"SP"``); closed on public holidays.
    closed_dates : tuple of datetime.date
        Extra local dates with no working time (company holidays); ISO strings are accepted.
    precision : str
        ``"second"`` (default): durations count working seconds. ``"day"``: for sources that
        record dates only, durations count business days (see :meth:`working_seconds`).
    """

    tz: str
    hours: str = "mon-fri 09:00-18:00"
    country: str | None = None
    subdivision: str | None = None
    closed_dates: tuple[dt.date, ...] = ()
    precision: str = "second"
    _week: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        try:
            zoneinfo.ZoneInfo(self.tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            raise InputError("--tz", "unknown time zone", expected="an IANA zone such as "
                             "'America/Sao_Paulo' or 'UTC'", found=self.tz) from None
        if self.subdivision and not self.country:
            raise InputError("--holidays", "a subdivision needs a country",
                             expected="COUNTRY-SUBDIVISION, e.g. 'BR-SP'", found=self.subdivision)
        if self.country:
            # holidays only knows upper-case codes; users type "br".
            object.__setattr__(self, "country", self.country.upper())
            if self.subdivision:
                object.__setattr__(self, "subdivision", self.subdivision.upper())
            self._holidays(range(2000, 2000))
        object.__setattr__(self, "closed_dates", tuple(sorted(
            dt.date.fromisoformat(d) if isinstance(d, str) else pd.Timestamp(d).date()
            for d in self.closed_dates)))
        object.__setattr__(self, "_week", _parse_minutes(self.hours))
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, got {self.precision!r}")

    def _holidays(self, years: range):
        try:
            return holidays.country_holidays(self.country, subdiv=self.subdivision, years=years)
        except NotImplementedError as exc:
            raise InputError("--holidays", f"unknown country or subdivision ({exc})",
                             expected="a 'holidays' code such as 'BR', 'US' or 'BR-SP'",
                             found="-".join(filter(None, (self.country, self.subdivision)))) from None

    def describe(self) -> str:
        """One line for report footers, e.g. ``"mon-fri 09:00-18:00 (UTC), public holidays: BR-SP"``."""
        text = f"{self.hours.strip()} ({self.tz})"
        if self.country:
            text += ", public holidays: " + "-".join(filter(None, (self.country, self.subdivision)))
        if n := len(self.closed_dates):
            text += f", {n} extra closed date{'s' * (n != 1)}"
        if self.precision == "day":
            text += ", counted in business days"
        return text

    def _closed_days(self, years: range) -> list:
        """Closed dates and public holidays of ``years`` (local dates)."""
        closed = list(self.closed_dates)
        if self.country:
            closed += list(self._holidays(years).keys())
        return closed

    def working_intervals(self, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
        """Working intervals overlapping ``[start, end)``, sorted and non-overlapping.

        Parameters
        ----------
        start, end : pandas.Timestamp
            Tz-aware instants (naive ones are taken as UTC).

        Returns
        -------
        pandas.DataFrame
            Columns ``start``, ``end`` (``datetime64[ns, UTC]``), one row per opening range per
            open local date; ``[start, end)`` half-open.
        """
        start, end = (pd.Timestamp(t) for t in (start, end))
        start, end = (t.tz_localize("UTC") if t.tzinfo is None else t for t in (start, end))
        # One spare day each side: the local date of an instant can differ from its UTC date.
        first = start.tz_convert(self.tz).tz_localize(None).normalize() - pd.Timedelta(days=1)
        last = end.tz_convert(self.tz).tz_localize(None).normalize() + pd.Timedelta(days=1)
        days = pd.date_range(first, last, freq="D").as_unit("ns")
        closed = self._closed_days(range(first.year, last.year + 1))
        days = days[~days.isin(pd.DatetimeIndex(closed).as_unit("ns"))]
        weekday = days.day_of_week
        starts, ends = [], []
        for d, ranges in self._week.items():
            on = days[weekday == d]
            for lo, hi in ranges:
                starts.append(on + pd.Timedelta(minutes=lo))
                ends.append(on + pd.Timedelta(minutes=hi))
        empty = pd.DatetimeIndex([], dtype="datetime64[ns]")
        # Each local boundary becomes UTC on its own; a nonexistent 00:00 (Brazil's DST began at
        # midnight) moves to the first valid instant, an ambiguous one takes the first occurrence.
        to_utc = [
            empty.append(parts).tz_localize(self.tz, ambiguous=True, nonexistent="shift_forward")
            .tz_convert("UTC").as_unit("ns").asi8
            for parts in (starts, ends)
        ]
        order = np.argsort(to_utc[0], kind="stable")
        s, e = to_utc[0][order], to_utc[1][order]
        # Guard the cumulative sums against intervals a DST shift squeezed together.
        s[1:] = np.maximum(s[1:], np.maximum.accumulate(e)[:-1])
        keep = (e > s) & (e > start.as_unit("ns").value) & (s < end.as_unit("ns").value)
        utc = "datetime64[ns, UTC]"
        return pd.DataFrame({"start": pd.to_datetime(s[keep], unit="ns", utc=True).astype(utc),
                             "end": pd.to_datetime(e[keep], unit="ns", utc=True).astype(utc)})

    def _ns(self, s: pd.Series) -> np.ndarray:
        if not isinstance(s.dtype, pd.DatetimeTZDtype):
            raise TypeError(f"expected a tz-aware datetime Series, got dtype {s.dtype}")
        return s.dt.tz_convert("UTC").dt.as_unit("ns").to_numpy("int64", na_value=0)

    def _table(self, t0: np.ndarray, t1: np.ndarray):
        table = self.working_intervals(pd.Timestamp(t0.min(), tz="UTC"),
                                       pd.Timestamp(t1.max(), tz="UTC"))
        return table["start"].array.asi8, table["end"].array.asi8

    def working_seconds(self, start: pd.Series, end: pd.Series) -> pd.Series:
        """Seconds of working time in ``[start, end)``, row by row (positionally).

        With ``precision="day"`` the times of day are placeholders, so working time is counted
        in business days instead: the business days after ``start``'s local date up to and
        including ``end``'s (an answer on the same day is 0, a Friday to the next Tuesday with
        a Monday holiday is 1), returned as days × 86,400 so that durations stay in seconds.

        Parameters
        ----------
        start, end : pandas.Series
            Tz-aware datetimes of equal length; NaT allowed.

        Returns
        -------
        pandas.Series
            Float seconds, indexed like ``start``; NaN where either end is NaT or ``end < start``.
        """
        if len(start) != len(end):
            raise ValueError(f"start and end lengths differ: {len(start)} != {len(end)}")
        ok = start.notna().to_numpy() & end.notna().to_numpy()
        out = self._working_ns(self._ns(start), self._ns(end), ok)
        return pd.Series(out, index=start.index, name="working_seconds")

    def _working_ns(self, a: np.ndarray, b: np.ndarray, ok: np.ndarray | None = None):
        """:meth:`working_seconds` of int64 UTC nanoseconds ``a`` to ``b`` (float ndarray;
        NaN where not ``ok`` or ``b < a``)."""
        ok = b >= a if ok is None else ok & (b >= a)
        out = np.full(len(a), np.nan)
        if ok.any() and self.precision == "day":
            out[ok] = self._business_days(a[ok], b[ok]) * DAY_S
        elif ok.any():
            every = bool(ok.all())
            if not every:
                a, b = a[ok], b[ok]
            s, e = self._table(a, b)
            result = _working_between(s, e, np.ascontiguousarray(a, dtype=np.int64),
                                      np.ascontiguousarray(b, dtype=np.int64))
            if every:
                return result
            out[ok] = result
        return out

    def _business_days(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Business days in (local date of ``a``, local date of ``b``] for int64 UTC
        nanoseconds with ``a <= b`` (int64 ndarray)."""
        def local_days(t: np.ndarray) -> np.ndarray:
            utc = pd.DatetimeIndex(t.astype("datetime64[ns]")).tz_localize("UTC")
            return utc.tz_convert(self.tz).tz_localize(None).normalize() \
                .to_numpy().astype("datetime64[D]")

        da, db = local_days(a), local_days(b)
        years = range(int(str(da.min())[:4]), int(str(db.max())[:4]) + 1)
        closed = np.array([np.datetime64(pd.Timestamp(d).date(), "D")
                           for d in self._closed_days(years)], dtype="datetime64[D]")
        weekmask = [bool(self._week[d]) for d in range(7)]
        if not any(weekmask):  # no opening hours at all: no day ever counts
            return np.zeros(len(a), dtype=np.int64)
        # busday_count counts [begin, end): the day after the customer's up to the reply's.
        one = np.timedelta64(1, "D")
        return np.busday_count(da + one, db + one, weekmask=weekmask, holidays=closed)

    def is_open(self, at: pd.Series) -> pd.Series:
        """Whether each instant falls in working time (NaT -> False), indexed like ``at``."""
        t = self._ns(at)
        ok = at.notna().to_numpy()
        out = np.zeros(len(t), dtype=bool)
        if ok.any():
            s, e = self._table(t[ok], t[ok] + 1)
            i = np.searchsorted(s, t[ok], side="right") - 1
            out[ok] = (i >= 0) & (t[ok] < np.append(e, 0)[i])
        return pd.Series(out, index=at.index, name="is_open")


_NS = read_only(int64)  # int64 UTC nanoseconds


@compiled(int64(_NS, _NS, _NS, int64))
def _worked_until(s, e, cum, t):
    """Working ns from the first interval's start to instant ``t``."""
    j = np.searchsorted(s, t, side="right") - 1
    if j < 0:
        return 0
    return cum[j] + min(max(t - s[j], 0), e[j] - s[j])


@compiled(float64[:](_NS, _NS, _NS, _NS))
def _working_between(s, e, a, b):
    """Working seconds from ``a[i]`` to ``b[i]`` (int64 UTC ns) over the sorted, disjoint
    working intervals ``[s[j], e[j])`` (float seconds, exact integer nanoseconds until the one
    division). Compiled: one binary search per instant, no temporary arrays."""
    cum = np.zeros(len(s) + 1, dtype=np.int64)  # working ns before interval j
    for j in range(len(s)):
        cum[j + 1] = cum[j] + (e[j] - s[j])
    out = np.empty(len(a), dtype=np.float64)
    for i in range(len(a)):
        out[i] = (_worked_until(s, e, cum, b[i]) - _worked_until(s, e, cum, a[i])) / 1e9
    return out
