"""What a report notebook needs in one call: the data, the period, the derived tables.

Notebooks call :func:`prepare` with their parameters and then only read attributes of the
returned :class:`Report`; no date arithmetic or loading happens in a notebook.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from analytics.dependency import REPEAT_HOW_TO_DAYS
from analytics.inputs import is_parquet, open_log, open_parquet_window
from analytics.io import SupportLog
from analytics.period import Period, parse_period
from analytics.summary import Analysis, Settings, analyse, build_summary

#: Weeks drawn in the weekly trend charts (``plots.weekly_first_response`` and friends).
TREND_WEEKS = 12
#: Days read after the period's end for a Parquet log: replies and resolutions of the
#: period's last conversations, and the repeat windows (at least the longest window in use).
LOOKAHEAD_DAYS = 30


def data_window(period: Period, settings: Settings) -> tuple[pd.Timestamp, pd.Timestamp]:
    """``[start, end)`` (UTC) of the messages a report of ``period`` needs.

    Start: the earlier of the previous period's start and the first of the
    :data:`TREND_WEEKS` trend weeks (with a week's margin for the week alignment). End: the
    period's end plus the look-ahead, :data:`LOOKAHEAD_DAYS` or the longest repeat window
    (``repeat_window_days``, the 30-day repeat how-to), whichever is longer.
    """
    lookahead = max(LOOKAHEAD_DAYS, settings.repeat_window_days, REPEAT_HOW_TO_DAYS)
    start = min(period.previous().start, period.end - pd.Timedelta(weeks=TREND_WEEKS + 1))
    end = period.end + pd.Timedelta(days=lookahead)
    return start.tz_convert("UTC"), end.tz_convert("UTC")


def open_for_period(source, input_path, *, events=None, self_service=None, source_tz=None,
                    period: Period, settings: Settings) -> tuple[SupportLog, Settings]:
    """Open the input of a report of ``period``: the log and the settings in force.

    A Parquet message log (a file or a folder of monthly files) is not read whole: only the
    messages of :func:`data_window` are (filters pushed into the Parquet scan), and the
    cut-off ``as_of`` (default: the latest time in the whole input, as for a full read) is
    capped at the window's end. The figures are then those of a full read whenever the data
    ends before the window does, which is the case of a scheduled run; for an old period of
    a long log they are "as of" the window's end (printed as ``data_read``). Other inputs
    are read whole.
    """
    if source != "messages" or not input_path or not is_parquet(input_path):
        log = open_log(source, input_path or None, events=events or None,
                       self_service=self_service or None, source_tz=source_tz or None)
        return log, settings
    start, end = data_window(period, settings)
    log, latest = open_parquet_window(input_path, start, end, events=events or None,
                                      self_service=self_service or None,
                                      source_tz=source_tz or None)
    as_of = settings.as_of if settings.as_of is not None else latest
    as_of = as_of.tz_localize("UTC") if as_of.tzinfo is None else as_of.tz_convert("UTC")
    cut = min(as_of, end)
    read = {"from": start.isoformat(), "to": end.isoformat(), "as_of_capped": bool(cut < as_of)}
    settings = dataclasses.replace(settings, as_of=cut, extra={**settings.extra,
                                                               "data_read": read})
    return log, settings


@dataclass(frozen=True)
class Report:
    """Everything a report section reads.

    Attributes
    ----------
    log : SupportLog
    period : Period
    analysis : Analysis
        ``analysis.facts`` (one row per conversation) and ``analysis.waits``.
    summary : dict
        The headline figures (the ``metrics --json`` contract), with ``previous``.
    lang : str
        ``en`` or ``pt-BR``.
    """

    log: SupportLog
    period: Period
    analysis: Analysis
    summary: dict
    lang: str

    @property
    def contacts(self) -> pd.DataFrame:
        """Conversations started in the period (customer-started)."""
        return self.analysis.contacts(self.period)

    @property
    def previous_contacts(self) -> pd.DataFrame:
        return self.analysis.contacts(self.period.previous())

    @property
    def waits(self) -> pd.DataFrame:
        """Reply waits of the period's conversations."""
        waits = self.analysis.waits
        return waits[waits["conversation_id"].isin(self.contacts["conversation_id"])]

    @property
    def parameters(self) -> dict:
        """The parameters in force, for the report's definitions box."""
        return {"period": self.period.label, "tz": self.period.tz, **self.summary["parameters"]}


def prepare(*, source="demo", input_path="", events_path="", self_service_path="",
            period="2026-10", tz="America/Sao_Paulo", lang="en", hours=Settings.hours,
            holidays=None, sla=Settings.sla, repeat_window=7.0, cohort="started", as_of="",
            inactivity="", channels=(), today="", frequent_k=Settings.frequent_k,
            public_channels=(), source_tz="", cost_table=None) -> Report:
    """Load, filter and analyse one report's data from the notebook parameters.

    Empty strings mean "not given". ``channels`` keeps only those channels (conversation
    channel = the channel of its first inbound message). ``frequent_k``: a frequent contacter
    makes at least this many contacts in the period. ``public_channels``: the channels counted
    as public; empty for the documented default table (``channels.PUBLIC_CHANNELS``).
    ``source_tz``: the IANA zone of naive timestamps in a messages log. ``cost_table``: cost per
    contact by channel for the avoidable cost (empty for the documented defaults).
    """
    the_period = parse_period(period, tz, today=pd.Timestamp(today).date() if today else None)
    settings = Settings(hours=hours, holidays=holidays or None, sla=sla,
                        repeat_window_days=float(repeat_window), cohort=cohort,
                        as_of=pd.Timestamp(as_of) if as_of else None,
                        inactivity=inactivity or None, frequent_k=frequent_k,
                        public_channels=tuple(public_channels or ()),
                        cost_table=dict(cost_table or {}),
                        extra={**({"channels": list(channels)} if channels else {}),
                               **({"source_tz": source_tz} if source_tz else {})})
    log, settings = open_for_period(source, input_path, events=events_path,
                                    self_service=self_service_path, source_tz=source_tz,
                                    period=the_period, settings=settings)
    if channels:
        keep = log.messages["channel"].isin(list(channels))
        kept = log.messages.loc[keep, "conversation_id"].unique()
        log = log.replace(messages=log.messages[log.messages["conversation_id"].isin(kept)],
                          events=log.events[log.events["conversation_id"].isin(kept)])
    analysis = analyse(log, settings, tz)
    return Report(log=log, period=the_period, analysis=analysis,
                  summary=build_summary(analysis, the_period), lang=lang)
