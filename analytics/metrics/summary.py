"""The headline figures of one period: the JSON contract of ``python -m analytics metrics``.

:func:`analyse` derives everything once (conversation facts, waits, repeat flags) for a log,
a period and the settings; :func:`build_summary` turns that into one plain dict, printed by
the CLI, shown by the notebooks and written as ``summary.json`` by the renderer. Durations are
seconds, rates fractions; a figure that cannot be computed is None (JSON null), never 0.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from analytics.calendar import DAY_S, BusinessCalendar
from analytics.errors import InputError
from analytics.load.channel_names import normalize_channels
from analytics.load.schema import SupportLog
from analytics.metrics import response
from analytics.metrics.channel_movement import channel_movement_summary
from analytics.metrics.dependency import contact_intents, dependency_figures, parse_cost_table
from analytics.metrics.kernel import customer_facts
from analytics.metrics.repeats import (
    FREQUENT_K,
    contact_topics,
    frequent_contacters_summary,
    one_touch_summary,
    ratio,
    repeat_summary,
    same_topic_flags,
    same_topic_summary,
)
from analytics.metrics.satisfaction import satisfaction_summary
from analytics.period import Period

COHORTS = ("started", "replied")


@dataclass(frozen=True)
class Settings:
    """Every choice that changes a number; printed in each report.

    Attributes
    ----------
    hours : str
        Working hours spec for business-hours figures (``mon-fri 09:00-18:00``).
    holidays : str or None
        Country code, optionally with subdivision (``BR``, ``BR-SP``), for public holidays.
    closed_dates : tuple of str
        Extra closed days (ISO dates).
    sla : str
        First-response target(s), e.g. ``1h``, ``30min``, ``2d`` or ``1h,4h``; the first is
        the headline ``within_sla``, all appear in ``within_sla_targets``.
    repeat_window_days : float
        Repeat-contact window W.
    cohort : str
        ``started`` (conversations started in the period) or ``replied`` (answers sent in it).
    as_of : Timestamp or None
        Analysis cut-off; None = the latest timestamp in the data.
    inactivity : str or None
        Off by default; e.g. ``72h`` marks conversations resolved after that long without
        messages following an agent reply (only for sources without resolve events).
    frequent_k : int
        A frequent contacter makes at least this many contacts in the period (≥ 2).
    public_channels : tuple of str
        Channels counted as public (canonical names); empty for the documented default table
        ``analytics.metrics.channels.PUBLIC_CHANNELS``.
    cost_table : dict
        Cost per contact by channel for the avoidable cost (``default``, ``self_service`` and
        ``currency`` keys); empty for ``analytics.metrics.dependency.DEFAULT_COSTS``.
    """

    hours: str = "mon-fri 09:00-18:00"
    holidays: str | None = None
    closed_dates: tuple = ()
    sla: str = "1h"
    repeat_window_days: float = 7
    cohort: str = "started"
    as_of: pd.Timestamp | None = None
    inactivity: str | None = None
    frequent_k: int = FREQUENT_K
    public_channels: tuple = ()
    cost_table: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.cohort not in COHORTS:
            raise InputError("--cohort", "unknown cohort basis", expected=" or ".join(COHORTS),
                             found=self.cohort)
        _ = self.sla_targets_s  # parsing validates every target
        if self.inactivity:
            parse_duration(self.inactivity, "--inactivity")
        for day in self.closed_dates:
            try:
                pd.Timestamp(day).date()
            except ValueError:
                raise InputError("--closed", "not a date", expected="YYYY-MM-DD",
                                 found=day) from None
        if isinstance(self.frequent_k, bool) or not isinstance(
                self.frequent_k, int | np.integer) or self.frequent_k < 2:
            raise InputError("--frequent-k", "not a whole number of contacts of 2 or more",
                             expected="a whole number such as 3", found=self.frequent_k)
        if isinstance(self.public_channels, str):
            raise InputError("--public-channels", "a list of channels is expected",
                             expected="a list such as ['twitter', 'reclame_aqui']",
                             found=self.public_channels)
        object.__setattr__(self, "public_channels", tuple(normalize_channels(
            pd.Series(list(self.public_channels), dtype="str")).tolist()))
        object.__setattr__(self, "cost_table", parse_cost_table(self.cost_table))
        if not self.repeat_window_days > 0:
            raise InputError("--repeat-window", "the window must be positive",
                             expected="a number of days such as 7", found=self.repeat_window_days)

    @property
    def sla_targets_s(self) -> dict:
        """Every SLA target (``"1h,4h"`` gives two), text -> seconds; the first is the headline."""
        targets = [part.strip() for part in str(self.sla).split(",") if part.strip()]
        if not targets:
            raise InputError("--sla", "no target given", expected="e.g. 1h or 1h,4h")
        return {text: parse_duration(text, "--sla").total_seconds() for text in targets}

    @property
    def sla_s(self) -> float:
        """The headline SLA target (the first one), in seconds."""
        return next(iter(self.sla_targets_s.values()))

    def calendar(self, tz: str, precision: str = "second") -> BusinessCalendar:
        """The business calendar in ``tz``; ``precision`` is the log's ``time_precision``
        (``"day"``: business durations count business days, see :class:`BusinessCalendar`)."""
        country, _, subdivision = (self.holidays or "").partition("-")
        return BusinessCalendar(tz=tz, hours=self.hours, country=country or None,
                                subdivision=subdivision or None,
                                closed_dates=tuple(pd.Timestamp(d).date()
                                                   for d in self.closed_dates),
                                precision=precision)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["as_of"] = None if self.as_of is None else self.as_of.isoformat()
        data["closed_dates"] = list(self.closed_dates)
        data["public_channels"] = list(self.public_channels)
        data.update(data.pop("extra"))
        return data


def sla_measurable(target_s: float, time_precision: str) -> bool:
    """Whether a first-response target of ``target_s`` seconds can be checked: a source that
    records dates only (``time_precision="day"``) cannot tell an answer within an hour from
    one at the end of the day, so only targets of a day or more are measurable there."""
    return time_precision != "day" or target_s >= DAY_S


def parse_duration(text, source="--sla") -> pd.Timedelta:
    """``30min``, ``1h``, ``2d``, ``90s`` (or any pandas Timedelta text) -> Timedelta > 0."""
    try:
        # pandas deprecates the lower-case day unit users naturally write ("10d").
        value = pd.Timedelta(re.sub(r"(?<=\d)\s*d$", "D", str(text).strip()))
    except ValueError:
        value = None
    if value is None or value <= pd.Timedelta(0) or pd.isna(value):
        raise InputError(source, "not a positive duration",
                         expected="a duration such as 30min, 1h or 2d", found=text)
    return value


@dataclass(frozen=True)
class Analysis:
    """Derived tables for a log, cut off at ``as_of`` (computed once per report).

    ``facts``: one row per conversation (``facts.conversation_facts``) with the repeat flags of
    ``repeats.repeat_contacts`` for contacts; ``waits``: every reply wait.
    """

    log: SupportLog
    settings: Settings
    tz: str
    as_of: pd.Timestamp
    facts: pd.DataFrame
    waits: pd.DataFrame

    def contacts(self, period: Period) -> pd.DataFrame:
        """Conversations started in the period (the default cohort)."""
        facts = self.facts
        return facts[~facts["proactive"] & period.contains(facts["start"])]


def analyse(log: SupportLog, settings: Settings, tz: str) -> Analysis:
    """Derive conversation facts, waits and repeat flags once for the whole log."""
    as_of = settings.as_of if settings.as_of is not None else log.latest_timestamp
    as_of = pd.Timestamp(as_of)
    as_of = as_of.tz_localize("UTC") if as_of.tzinfo is None else as_of.tz_convert("UTC")
    # A dates-only source's times of day are placeholders: its business durations count
    # business days, never working hours between two noons.
    calendar = settings.calendar(tz, log.time_precision)
    # The per-customer kernel (facts, waits, repeat flags): the same function runs on Parquet
    # buckets out of core and on Dask partitions (analytics.scale).
    facts, waits = customer_facts(
        log.messages, log.events, as_of=as_of, calendar=calendar,
        window_days=settings.repeat_window_days,
        resolve_after_inactivity=parse_duration(settings.inactivity, "--inactivity")
        if settings.inactivity else None)
    facts[["intent", "intent_lang"]] = contact_intents(log.messages, facts["conversation_id"])
    return Analysis(log=log, settings=settings, tz=tz, as_of=as_of, facts=facts, waits=waits)


def _clean(value):
    """numpy/pandas scalars -> JSON-safe Python values (NaN -> None)."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def period_figures(analysis: Analysis, period: Period) -> dict:
    """The headline figures of one period (no parameters, no previous period)."""
    facts = analysis.facts
    settings = analysis.settings
    started = analysis.contacts(period)
    if settings.cohort == "replied":
        answered_in = facts[~facts["proactive"] & period.contains(facts["first_response_at"])]
        frt_base = pd.concat([answered_in, started[~started["answered"]]])
        waits = analysis.waits[period.contains(analysis.waits["closed_at"])
                               | (~analysis.waits["answered"]
                                  & analysis.waits["conversation_id"].isin(
                                      started["conversation_id"]))]
    else:
        frt_base = started
        waits = analysis.waits[analysis.waits["conversation_id"].isin(started["conversation_id"])]

    precision = analysis.log.time_precision
    # A target a dates-only source cannot check gives no share (None), never a share of
    # same-day answers read as "within 1 h".
    first = response.first_response_summary(
        frt_base, sla_s=settings.sla_s if sla_measurable(settings.sla_s, precision) else None)
    first["within_sla_targets"] = {
        text: response.share_within(frt_base.loc[~frt_base["proactive"], "first_response_s"],
                                    seconds) if sla_measurable(seconds, precision) else None
        for text, seconds in settings.sla_targets_s.items()}
    business = response.first_response_summary(frt_base, business=True)
    curve = response.still_waiting_curve(frt_base)
    first["survival_median_s"] = response.survival_median(curve)
    events = analysis.log.events
    resolution_available = bool(settings.inactivity) or bool(
        ((events["event"] == "resolved") & (events["at"] <= analysis.as_of)).any())
    repeat = repeat_summary(started, window_days=settings.repeat_window_days)
    repeat["cross_channel_share"] = (ratio(repeat["cross_channel"], repeat["repeated"])
                                     if repeat["rate"] is not None else None)
    topics = contact_topics(analysis.log.conversation_attributes)
    if topics is not None:  # the next contact may fall after the period: flag the whole log
        flags = same_topic_flags(facts, topics)
        repeat.update(same_topic_summary(started.join(flags["same_topic"]), topic_known=True))
    else:
        repeat.update(same_topic_summary(started, topic_known=False))
    figures = {
        "contacts": len(started),
        # Local calendar days with at least one contact, against the period's days: the
        # coverage that decides whether two periods can be compared.
        "days_with_contacts": int(started["start"].dt.tz_convert(period.tz).dt.date.nunique()),
        "days": period.days,
        "customers": int(started["customer_id"].nunique()),
        "proactive": int((facts["proactive"]
                          & period.contains(facts["last_message_at"])).sum()),
        "first_response": first,
        "first_response_business": {k: business[k] for k in
                                    ("n", "unanswered", "median_s", "p90_s", "mean_s")},
        "reply_time": response.reply_time_summary(waits),
        "resolution_first": _resolution(started, "resolution_first_s", resolution_available),
        "resolution_full": _resolution(started, "resolution_full_s", resolution_available),
        "reopened": int(started["reopened"].sum()) if resolution_available else None,
        "repeat_contacts": repeat,
        "one_touch": one_touch_summary(started, available=resolution_available),
        "frequent_contacters": frequent_contacters_summary(started, k=settings.frequent_k),
        "channel_movement": channel_movement_summary(started),
        "channels": {str(k): int(v) for k, v in
                     started["channel"].value_counts().sort_values(ascending=False).items()},
    }
    figures["dependency"] = dependency_figures(analysis, period, settings.cost_table)
    satisfaction = satisfaction_summary(started, analysis.log.conversation_attributes)
    if satisfaction is not None:
        figures["satisfaction"] = satisfaction
    return _clean(figures)


def _resolution(contacts, column, available):
    if not available:
        return {"available": False, "n": None, "median_s": None, "p90_s": None, "mean_s": None}
    return {"available": True, **response.duration_stats(contacts[column])}


def build_summary(analysis: Analysis, period: Period) -> dict:
    """The full summary: figures of the period, of the previous one, and the parameters."""
    log = analysis.log
    messages = log.messages
    summary = {
        "source": log.source,
        "synthetic": log.synthetic,
        "description": log.description,
        "period": {"label": period.label, "start": period.start.isoformat(),
                   "end": period.end.isoformat(), "tz": period.tz},
        "previous_period": {"label": period.previous().label,
                            "start": period.previous().start.isoformat(),
                            "end": period.previous().end.isoformat()},
        "as_of": analysis.as_of.isoformat(),
        "data": {"first_message": messages["sent_at"].min().isoformat(),
                 "last_message": messages["sent_at"].max().isoformat(),
                 "messages": len(messages), "time_precision": log.time_precision},
        "parameters": {**analysis.settings.as_dict(),
                       "business_calendar": analysis.settings.calendar(
                           period.tz, log.time_precision).describe()},
    }
    summary.update(period_figures(analysis, period))
    summary["previous"] = period_figures(analysis, period.previous())
    if period.end > analysis.as_of:
        summary["warnings"] = ["the period ends after the data does: figures are partial"]
    return _clean(summary)
