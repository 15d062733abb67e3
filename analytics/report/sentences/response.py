"""The sentences of the response-time sections, numbers from the figures they read."""

from __future__ import annotations

import pandas as pd

from analytics.metrics import response
from analytics.metrics.summary import parse_duration
from analytics.report import style
from analytics.report.comparison import MIN_COMPARISON_CONTACTS
from analytics.report.i18n import channel_label, t
from analytics.report.sentences._common import (
    _c,
    _d,
    _p,
    _responder_key,
    first_and_last,
    no_contacts,
    versus,
)
from analytics.report.tables import AGENTS_LISTED

# Response times ----------------------------------------------------------------------------

def first_response_sentence(summary: dict, lang: str) -> str:
    """Answered out of contacts, the median and p90 with the previous period's median, the
    SLA share and the unanswered."""
    first = summary["first_response"]
    contacts = first["n"] + first["unanswered"]
    if contacts == 0:
        return no_contacts(summary, lang)
    parts = []
    if first["n"]:
        parts.append(t("s.frt", lang,
                       period=style.period_name(summary["period"]["label"], lang),
                       answered=_c(first["n"], lang), contacts=_c(contacts, lang),
                       median=_d(first["median_s"], lang), p90=_d(first["p90_s"], lang),
                       vs=versus(summary, _d(summary["previous"]["first_response"]["median_s"],
                                             lang), lang)))
        if first["within_sla"] is not None:  # None: a target this source cannot check
            parts.append(t("s.frt.sla", lang, share=_p(first["within_sla"], lang),
                           sla=_d(_sla_seconds(summary), lang)))
    else:
        parts.append(t("s.frt.none_answered", lang, contacts=_c(contacts, lang)))
    if first["unanswered"]:
        parts.append(t("s.frt.unanswered", lang, n=_c(first["unanswered"], lang),
                       oldest=_d(first["oldest_unanswered_s"], lang)))
    else:
        parts.append(t("s.frt.all_answered", lang))
    if first["small_n"] and first["n"]:
        parts.append(t("s.small_n", lang))
    return " ".join(parts)


def _sla_seconds(summary: dict) -> float:
    return parse_duration(summary["parameters"]["sla"].split(",")[0].strip()).total_seconds()


def distribution_sentence(buckets: pd.DataFrame, lang: str) -> str:
    """Share answered fast (within 15 minutes, or the same day for date-only sources), share
    that waited long (over a day, or over a week) and share unanswered."""
    table = response.bucket_shares(buckets)
    if table["contacts"].sum() == 0:
        return t("s.no_data", lang)
    shares = table.set_index("bucket")["share"]
    unanswered = (t("s.distribution.unanswered", lang, share=_p(shares[response.UNANSWERED], lang))
                  if shares[response.UNANSWERED] else t("s.distribution.all_answered", lang))
    if "same_day" in shares.index:
        return t("s.distribution.days", lang, fast=_p(shares["same_day"], lang),
                 slow=_p(shares[["8_14_days", "over_14_days"]].sum(), lang),
                 unanswered=unanswered)
    labels = [label for label, _ in response.BUCKETS]
    return t("s.distribution", lang, fast=_p(shares[labels[:2]].sum(), lang),
             slow=_p(shares[labels[-1]], lang), unanswered=unanswered)


def waiting_sentence(facts: pd.DataFrame, summary: dict, lang: str) -> str:
    """The median that counts the unanswered (Kaplan–Meier) and the share still waiting at
    the SLA."""
    contacts = facts[~facts["proactive"]]
    if contacts.empty:
        return no_contacts(summary, lang)
    curve = response.still_waiting_curve(contacts)
    sla_s = _sla_seconds(summary)
    waiting = curve.loc[curve["time_s"] <= sla_s, "still_waiting"].iloc[-1]
    median = response.survival_median(curve)
    answered = summary["first_response"]
    first = (t("s.waiting.median", lang, median=_d(median, lang),
               answered_median=_d(answered["median_s"], lang)) if median is not None
             else t("s.waiting.never", lang))
    if answered["within_sla"] is None:  # a target this source cannot check
        return first
    return first + " " + t("s.waiting.sla", lang, sla=_d(sla_s, lang), share=_p(waiting, lang),
                           within=_p(answered["within_sla"], lang))


def trend_sentence(weekly: pd.DataFrame, lang: str) -> str:
    """The all-channel median of the last week with data against the week just before it,
    when both weeks have enough contacts to be compared (never against the first week drawn,
    an arbitrary base)."""
    overall = weekly[weekly["group"] == response.ALL].sort_values("week_start")
    drawn = overall[overall["median_s"].notna()]
    if drawn.empty:
        return t("s.trend.too_few", lang, n=response.MIN_WEEKLY_N)
    last = drawn.iloc[-1]
    before = overall[overall["week_start"] == last["week_start"] - pd.Timedelta(days=7)]
    if len(drawn) == 1 or before.empty:
        return t("s.trend.one", lang, week=style.format_date(last["week_start"], lang),
                 median=_d(last["median_s"], lang), n=_c(last["answered"], lang))
    before = before.iloc[0]
    if min(last["contacts"], before["contacts"]) < MIN_COMPARISON_CONTACTS \
            or pd.isna(before["median_s"]):
        return t("s.trend.alone", lang, week=style.format_date(last["week_start"], lang),
                 median=_d(last["median_s"], lang), n=_c(last["answered"], lang),
                 before=_c(before["contacts"], lang), now=_c(last["contacts"], lang),
                 min=_c(MIN_COMPARISON_CONTACTS, lang))
    return t("s.trend", lang, last_week=style.format_date(last["week_start"], lang),
             last=_d(last["median_s"], lang),
             first_week=style.format_date(before["week_start"], lang),
             first=_d(before["median_s"], lang), weeks=len(drawn), n=response.MIN_WEEKLY_N)


def agent_sentence(report) -> str:
    """Who answers fastest and slowest, among agents with enough answers to judge."""
    lang = report.lang
    every = report.agent_stats
    if every.empty:
        return t("s.agents.none", lang)

    def key(name):
        return _responder_key(name, lang, report.log.agent_ids)

    listed = every.head(AGENTS_LISTED)  # name only agents the table beside shows
    judged = listed[~listed["small_n"]] if (~listed["small_n"]).any() else listed
    text = t(key("s.agents.count"), lang, agents=_c(len(every), lang), listed=_c(len(listed), lang))
    ranking = first_and_last("s.agents", lang, judged, order="median_s",
                             name="first_responder", label=str, sides=("fast", "slow"),
                             ascending=True, fields=[("median", "median_s", _d),
                                                     ("n", "answered", _c)])
    text = f"{text} {ranking or ''}".strip() + " " + t(key("s.agents.unanswered"), lang)
    if listed["small_n"].any():
        text += " " + t(key("s.agents.small_n"), lang, n=response.SMALL_N)
    return text


def sla_sentence(report) -> str:
    """Fastest and slowest channel by median first response (channels with answered
    contacts), or the single channel's SLA share; the small-sample footnote when needed."""
    lang = report.lang
    stats = report.channel_stats
    answered = stats[stats["answered"] > 0]
    if stats.empty:
        return no_contacts(report.summary, lang)
    sla = _d(report.analysis.settings.sla_s, lang)
    if len(answered) <= 1:
        row = stats.iloc[0]
        text = t("s.sla.one", lang, channel=channel_label(row["channel"], lang),
                 share=_p(row["within_sla"], lang), sla=sla)
    else:
        text = first_and_last("s.sla", lang, answered, order="median_s", name="channel",
                              label=lambda v: channel_label(v, lang), sides=("fast", "slow"),
                              ascending=True, sla=sla,
                              fields=[("median", "median_s", _d), ("share", "within_sla", _p)])
    if stats["small_n"].any():
        text += " " + t("s.sla.small_n", lang, n=response.SMALL_N)
    return text


def timing_sentence(report) -> str:
    """Busiest weekday and hour (local time) and the share of contacts outside working
    hours; the busiest weekday only when the source records dates only."""
    lang = report.lang
    contacts = report.contacts
    if contacts.empty:
        return no_contacts(report.summary, lang)
    tz = report.period.tz
    local = contacts["start"].dt.tz_convert(tz)
    days = t("weekdays_long", lang).split(",")
    if report.log.time_precision == "day":
        counts = local.dt.day_of_week.value_counts()
        day = int(counts.idxmax())
        return t("s.timing.days", lang, day=days[day], share=_p(counts.max() / len(local), lang))
    cells = pd.DataFrame({"day": local.dt.day_of_week, "hour": local.dt.hour}).value_counts()
    (day, hour), busiest = cells.idxmax(), cells.max()
    text = t("s.timing", lang, day=days[int(day)], start=f"{int(hour):02d}:00",
             end=f"{(int(hour) + 1) % 24:02d}:00", n=_c(busiest, lang))
    calendar = report.analysis.settings.calendar(tz)
    outside = 1 - calendar.is_open(contacts["start"]).mean()
    if outside > 0:
        text += " " + t("s.timing.outside", lang, share=_p(outside, lang),
                        hours=style.format_hours(report.summary["parameters"]["hours"], lang))
    return text
