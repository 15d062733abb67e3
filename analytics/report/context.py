"""What a report notebook needs in one call: the data, the period, the derived tables.

Notebooks call :func:`prepare` with their parameters and then only read attributes of the
returned :class:`Report`; no date arithmetic or loading happens in a notebook.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from analytics.load.log import open_for_period
from analytics.load.schema import SupportLog
from analytics.metrics import channels, dependency, repeats, response
from analytics.metrics.summary import Analysis, Settings, analyse, build_summary
from analytics.period import Period, parse_period


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

    # Derived frames the pages read, computed once per report (the notebooks and the tables
    # share them; the metric functions themselves take and return DataFrames).

    @cached_property
    def response_base(self) -> pd.DataFrame:
        """The conversations whose first response the pages measure (the cohort basis)."""
        return response.response_base(self.contacts, self.analysis.facts, period=self.period,
                                      cohort=self.analysis.settings.cohort)

    @cached_property
    def public_channels(self) -> frozenset:
        """The channels counted as public in this report."""
        return channels.public_channels_of(self.analysis.settings.public_channels)

    @cached_property
    def agent_stats(self) -> pd.DataFrame:
        return response.agent_stats(self.response_base, sla_s=self.analysis.settings.sla_s)

    @cached_property
    def channel_stats(self) -> pd.DataFrame:
        return channels.channel_stats(self.response_base, self.contacts, self.previous_contacts,
                                      sla_s=self.analysis.settings.sla_s,
                                      public_channels=self.public_channels)

    @cached_property
    def public_private_stats(self) -> pd.DataFrame:
        return channels.public_private_stats(self.response_base,
                                             sla_s=self.analysis.settings.sla_s,
                                             public_channels=self.public_channels)

    @cached_property
    def repeat_trend(self) -> pd.DataFrame:
        """Repeat rate by week or month of this period and the previous one, per channel."""
        return repeats.repeat_trend(self.analysis.facts, period=self.period, by="channel")

    @cached_property
    def repeat_topics(self) -> pd.DataFrame | None:
        """Repeats by topic (None when the source records no topic)."""
        return repeats.repeat_topic_stats(self.contacts, self.analysis.facts,
                                          self.log.conversation_attributes)

    @cached_property
    def opening_texts(self) -> pd.DataFrame:
        """The opening messages of the period's contacts with their intent."""
        return dependency.opening_texts(self.contacts, self.log.messages)

    @cached_property
    def previous_opening_texts(self) -> pd.DataFrame:
        return dependency.opening_texts(self.previous_contacts, self.log.messages)

    @property
    def parameters(self) -> dict:
        """The parameters in force, for the report's definitions box."""
        return {"period": self.period.label, "tz": self.period.tz, **self.summary["parameters"]}


def prepare(*, source="demo", input_path="", events_path="", self_service_path="",
            period="2026-10", tz="America/Sao_Paulo", lang="en", hours=Settings.hours,
            holidays=None, sla=Settings.sla, repeat_window=7.0, cohort="started", as_of="",
            inactivity="", channels=(), today="", frequent_k=Settings.frequent_k,
            public_channels=(), source_tz="", cost_table=None, id_key="",
            agents_path="") -> Report:
    """Load, filter and analyse one report's data from the notebook parameters.

    Empty strings mean "not given". ``channels`` keeps only those channels (conversation
    channel = the channel of its first inbound message). ``frequent_k``: a frequent contacter
    makes at least this many contacts in the period. ``public_channels``: the channels counted
    as public; empty for the documented default table (``channels.PUBLIC_CHANNELS``).
    ``source_tz``: the IANA zone of naive timestamps in a messages log. ``cost_table``: cost per
    contact by channel for the avoidable cost (empty for the documented defaults).
    ``id_key``: a key file (:mod:`analytics.publish.pseudonym`); customer and agent ids are
    then replaced by keyed pseudonyms, agents by their name in ``agents_path`` (CSV with
    ``agent_id`` and ``name``) when given. Empty keeps the raw ids (an analyst's own run).
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
    if id_key:
        from analytics.publish.pseudonym import pseudonymize_log, read_agents, read_key

        log = pseudonymize_log(log, read_key(id_key),
                               read_agents(agents_path) if agents_path else None)
    if channels:
        keep = log.messages["channel"].isin(list(channels))
        kept = log.messages.loc[keep, "conversation_id"].unique()
        log = log.replace(messages=log.messages[log.messages["conversation_id"].isin(kept)],
                          events=log.events[log.events["conversation_id"].isin(kept)])
    analysis = analyse(log, settings, tz)
    return Report(log=log, period=the_period, analysis=analysis,
                  summary=build_summary(analysis, the_period), lang=lang)
