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
from analytics.metrics.summary import Analysis, Settings, analyse, build_summary, sla_measurable
from analytics.period import Period, parse_period
from analytics.report.comparison import comparable


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
    def comparable(self) -> bool:
        """Whether this period and the previous one can be compared
        (:func:`analytics.report.comparison.comparable`)."""
        return comparable(self.summary)

    def compared(self, previous):
        """``previous`` (a figure, counts or contacts of the previous period) when the two
        periods can be compared, else None: what a chart draws as its 'before' marks."""
        return previous if self.comparable else None

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

    @property
    def sla_s(self) -> float | None:
        """The headline first-response target in seconds, None when this source cannot check
        it (a target under one day on a source that records dates only): tables then leave
        their within-target column out and charts their target line."""
        target = self.analysis.settings.sla_s
        return target if sla_measurable(target, self.log.time_precision) else None

    @cached_property
    def agent_stats(self) -> pd.DataFrame:
        return response.agent_stats(self.response_base, sla_s=self.sla_s)

    @cached_property
    def channel_stats(self) -> pd.DataFrame:
        return channels.channel_stats(self.response_base, self.contacts, self.previous_contacts,
                                      sla_s=self.sla_s, public_channels=self.public_channels)

    @cached_property
    def public_private_stats(self) -> pd.DataFrame:
        return channels.public_private_stats(self.response_base, sla_s=self.sla_s,
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

    # What the data can say: one place for the checks every page makes ----------------------

    @cached_property
    def weekly_first_response(self) -> pd.DataFrame:
        """Median first response per local week up to the period end (all channels and per
        channel, :func:`analytics.metrics.response.weekly_first_response`)."""
        return response.weekly_first_response(self.analysis.facts, tz=self.period.tz, end=self.period.end)

    @cached_property
    def weekly_how_to(self) -> pd.DataFrame:
        """How-to share per local week (:func:`analytics.metrics.dependency.weekly_how_to`)."""
        return dependency.weekly_how_to(self.analysis.facts, tz=self.period.tz, end=self.period.end)

    @cached_property
    def known_customers(self) -> pd.DataFrame:
        """The period's contacts that carry a customer id."""
        return repeats.known_customers(self.contacts)

    @cached_property
    def _why_not(self) -> dict:
        """Section -> i18n key of why the source cannot measure it (sections it can: absent)."""
        summary = self.summary
        why = {}
        if self.contacts.empty:
            return dict.fromkeys(_CONTACT_SECTIONS, "why.no_contacts")
        weekly = self.weekly_first_response
        if weekly.loc[weekly["group"] == response.ALL, "median_s"].isna().all():
            why["trend"] = "why.no_weeks"
        if self.sla_s is None:
            why["sla"] = "why.day_sla"
        if self.response_base["first_responder"].isna().all() or self.agent_stats.empty:
            why["agents"] = "why.no_agents"
        attributes = self.log.conversation_attributes
        if channels.purchase_channel_stats(self.contacts, attributes) is None:
            why["purchase"] = "why.no_purchase"
        if channels.contacted_before_share(self.contacts, attributes) is None:
            why["before"] = "why.no_before"
        if self.known_customers.empty:
            for section in ("fcr", "cpc", "frequent", "gap", "cross", "topic", "repeat_trend",
                            "movement", "forced"):
                why[section] = "why.no_identity"
        if self.repeat_topics is None:
            why.setdefault("topic", "why.no_topic")
        if summary["dependency"]["how_to"]["share"] is None:
            for section in ("how_to", "how_to_trend", "cost", "voice"):
                why[section] = "why.no_text"
        elif self.weekly_how_to["share"].isna().all():
            why["how_to_trend"] = "why.no_weeks"
        if self.known_customers.empty \
                and summary["dependency"]["intermediaries"]["multi_agent_share"] is None:
            why["learning"] = "why.no_identity"
        if summary["dependency"]["independence_index"]["value"] is None:
            why["independence"] = "why.no_index"
        if not summary["dependency"]["self_service"]["available"]:
            why["self_service"] = "why.no_self_service"
        return why

    def shows(self, section: str) -> bool:
        """Whether the page shows ``section`` (a ``heading.*`` key): False when this source
        cannot measure it; the page then lists it once in :meth:`not_measurable`."""
        _check_section(section)
        return section not in self._why_not

    def not_measurable(self, page: str) -> list[tuple[str, str]]:
        """``(section, reason key)`` of the page's sections left out, in page order."""
        return [(s, self._why_not[s]) for s in PAGE_SECTIONS[page] if s in self._why_not]

    def says_nothing(self, page: str) -> list[str]:
        """Why ``page`` has nothing to say for this source: the reason keys (``why.*``) when
        every section but its headline table and identity coverage is not measurable, else
        ``[]``. Such a page is not published; the index says why. The summary always says
        something, and a page this module does not know is always published."""
        if page == "summary" or page not in PAGE_SECTIONS:
            return []
        sections = [s for s in PAGE_SECTIONS[page] if s not in _FRAME_SECTIONS]
        if any(s not in self._why_not for s in sections):
            return []
        return list(dict.fromkeys(self._why_not[s] for s in sections))

    def draws(self, section: str) -> bool:
        """Whether the section's chart has something to compare (two or more bars, points or
        cells); a chart of one bar or one point is said in its sentence instead."""
        if not self.shows(section):
            return False
        if section == "mix":
            return len(self.summary["channels"]) > 1
        if section == "trend":
            weekly = self.weekly_first_response
            return int(weekly.loc[weekly["group"] == response.ALL, "median_s"].notna().sum()) > 1
        if section == "how_to_trend":
            return int(self.weekly_how_to["share"].notna().sum()) > 1
        if section == "movement":
            return bool(self.summary["channel_movement"]["customers_multi"]) \
                and channels.channel_count(self.contacts) > 1
        if section == "how_to":  # one bar per channel with text
            return len(dependency.how_to_by_channel(self.contacts)) > 1
        if section == "coverage":  # one bar per channel
            return not self.known_customers.empty and channels.channel_count(self.contacts) > 1
        if section == "repeat_trend":
            trend = self.repeat_trend
            drawn = trend[(trend["group"] == repeats.ALL) & trend["rate"].notna()
                          & (self.comparable | (trend["period"] == "current"))]
            return len(drawn) > 1
        if section == "timing":
            return self.log.time_precision != "day" or self.contacts["start"].dt.normalize() \
                .nunique() > 1
        return True


#: The sections of each page in page order (``heading.*`` keys; the notebooks' cells).
PAGE_SECTIONS = {
    "summary": ("headline", "readings", "mix", "waiting", "trend"),
    "response_times": ("frt_headline", "distribution", "waiting", "trend", "sla", "agents",
                       "timing"),
    "channel_usage": ("mix", "served", "public", "timing", "movement", "forced", "purchase",
                      "before"),
    "repeat_contacts": ("repeat_headline", "fcr", "coverage", "cpc", "frequent", "gap",
                        "cross", "topic", "repeat_trend"),
    "dependency": ("independence", "how_to", "how_to_trend", "learning", "self_service",
                   "cost", "voice"),
}
#: Sections that alone do not make a page worth publishing: the headline table and the share
#: of identified customers say what the source lacks, not what the customers did.
_FRAME_SECTIONS = frozenset({"headline", "frt_headline", "repeat_headline", "coverage"})
#: Sections with nothing to show when the period has no contact (the headline tables stay:
#: they say 0 and n/a with the previous period beside them).
_CONTACT_SECTIONS = tuple(dict.fromkeys(
    s for sections in PAGE_SECTIONS.values() for s in sections
    if s not in ("headline", "frt_headline", "repeat_headline")))


def _check_section(section: str) -> None:
    if not any(section in sections for sections in PAGE_SECTIONS.values()):
        raise ValueError(f"unknown page section {section!r}")


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
