"""When things happen: the demand grid (hour of day x day of week, holidays) arrivals are drawn
from, and the business hours (Monday-Friday 08:00-18:00, Saturday 09:00-13:00 local, closed on
Brazilian national holidays) late replies are pushed into.
"""

from __future__ import annotations

import holidays
import numpy as np
import pandas as pd

from analytics.synthetic.draws import lognormal
from analytics.synthetic.parameters import CLOSED_FACTOR, HOLIDAY_FACTOR, HOURLY, OPENING, WEEKLY


class Calendar:
    """Hourly demand grid and business-hour intervals, in integer seconds since the epoch."""

    def __init__(self, start: pd.Timestamp, end: pd.Timestamp, tz):
        self.tz = tz
        self.start = seconds(start)
        self.end = seconds(end)
        hours = pd.date_range(start.floor("h"), end, freq="h", inclusive="left")
        self.hour_s = hours.as_unit("s").asi8
        days = np.array(hours.tz_localize(None).normalize().date, dtype="datetime64[D]")
        years = range(start.year - 1, end.year + 2)
        closed = np.array(sorted(holidays.country_holidays("BR", years=years)),
                          dtype="datetime64[D]")
        holiday = np.isin(days, closed)
        # Opening intervals from a day before start to 90 days after end (late replies).
        local_days = pd.date_range(start.tz_localize(None).normalize() - pd.Timedelta(days=1),
                                   end.tz_localize(None).normalize() + pd.Timedelta(days=90),
                                   freq="D")
        day_d = np.array(local_days.date, dtype="datetime64[D]")
        open_h = np.full(len(local_days), -1)
        close_h = np.full(len(local_days), -1)
        for weekday, (o, c) in OPENING.items():
            on = local_days.day_of_week == weekday
            open_h[on], close_h[on] = o, c
        keep = (open_h >= 0) & ~np.isin(day_d, closed)
        base = local_days[keep]
        opens = (base + pd.to_timedelta(open_h[keep], unit="h")).tz_localize(
            tz, nonexistent="shift_forward")
        closes = (base + pd.to_timedelta(close_h[keep], unit="h")).tz_localize(
            tz, nonexistent="shift_forward")
        self.open = opens.as_unit("s").asi8
        self.close = closes.as_unit("s").asi8
        open_hour = self.is_open(self.hour_s + 1800)
        self.weights = {}
        for profile, hourly in HOURLY.items():
            w = (np.asarray(hourly)[hours.hour] * np.asarray(WEEKLY[profile])[hours.day_of_week]
                 * np.where(holiday, HOLIDAY_FACTOR[profile], 1.0)
                 * np.where(open_hour, 1.0, CLOSED_FACTOR[profile]))
            w = np.where((self.hour_s >= self.start) & (self.hour_s < self.end), w, 0.0)
            self.weights[profile] = w / w.sum()

    def sample(self, profile: str, n: int, rng) -> np.ndarray:
        """Arrival times drawn from a demand profile."""
        idx = rng.choice(len(self.hour_s), size=n, p=self.weights[profile])
        t = self.hour_s[idx] + rng.integers(0, 3600, size=n)
        return np.clip(t, self.start, self.end - 1)

    def is_open(self, t: np.ndarray) -> np.ndarray:
        idx = np.minimum(np.searchsorted(self.close, t, side="right"), len(self.open) - 1)
        return self.open[idx] <= t

    def push(self, t, p, backlog_s, rng) -> np.ndarray:
        """Move times outside business hours to the next opening (+ backlog) with prob. p."""
        t = np.asarray(t, dtype=np.int64)
        idx = np.minimum(np.searchsorted(self.close, t, side="right"), len(self.open) - 1)
        inside = self.open[idx] <= t
        move = ~inside & (rng.random(len(t)) < p) & (self.open[idx] > t)
        late = self.open[idx] + (30 + lognormal(rng, backlog_s, 0.8, len(t))).astype(np.int64)
        return np.where(move, late, t)


def seconds(ts: pd.Timestamp) -> int:
    """Whole seconds since the epoch."""
    return int(ts.timestamp())
