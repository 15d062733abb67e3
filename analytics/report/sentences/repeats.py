"""The sentences of the repeated-contacts sections."""

from __future__ import annotations

import pandas as pd

from analytics.metrics import channels, facts, repeats
from analytics.report import style
from analytics.report.comparison import comparable
from analytics.report.i18n import channel_label, t
from analytics.report.sentences._common import (
    _MIN_NAMED,
    _c,
    _no_identity,
    _p,
    first_and_last,
    no_contacts,
    versus,
)

# Repeated contacts ---------------------------------------------------------------------------


def repeat_sentence(summary: dict, lang: str) -> str:
    """The repeat rate with its basis (eligible, excluded), the previous period and the
    identity-coverage caveat."""
    repeat = summary["repeat_contacts"]
    window = style.format_number(repeat["window_days"], lang, 0)
    if not summary["contacts"]:
        return no_contacts(summary, lang)
    if _no_identity(summary):
        return t("s.repeat.no_identity", lang)
    parts = []
    if repeat["eligible"]:
        parts.append(t("s.repeat", lang, rate=_p(repeat["rate"], lang),
                       eligible=_c(repeat["eligible"], lang), repeated=_c(repeat["repeated"], lang),
                       window=window,
                       vs=versus(summary, _p(summary["previous"]["repeat_contacts"]["rate"], lang),
                                 lang, joined=True)))
    else:
        parts.append(t("s.repeat.none_eligible", lang, window=window))
    if repeat["excluded_no_lookahead"]:
        parts.append(t("s.repeat.excluded", lang, n=_c(repeat["excluded_no_lookahead"], lang),
                       window=window))
    if repeat["identity_coverage"] < 0.95:
        parts.append(t("s.repeat.coverage", lang, coverage=_p(repeat["identity_coverage"], lang)))
    return " ".join(parts)


def coverage_sentence(contacts: pd.DataFrame, lang: str) -> str:
    """Overall identity coverage and the channel where it is lowest."""
    if facts.customer_started(contacts).empty:
        return t("s.no_data", lang)
    table = channels.identity_coverage(contacts)
    if table.empty:
        return t("s.no_data", lang)
    overall = table["known"].sum() / table["contacts"].sum()
    text = t("s.coverage", lang, share=_p(overall, lang))
    if len(table) > 1 and table["coverage"].min() < table["coverage"].max():
        low = table.sort_values(["coverage", "channel"]).iloc[0]
        text += " " + t("s.coverage.lowest", lang, channel=channel_label(low["channel"], lang),
                        share=_p(low["coverage"], lang))
    return text


def cross_channel_sentence(summary: dict, lang: str) -> str:
    """How many of the repeats came back on another channel."""
    repeat = summary["repeat_contacts"]
    if not summary["contacts"]:
        return no_contacts(summary, lang)
    if _no_identity(summary):
        return t("s.no_identity", lang)
    if not repeat["repeated"]:
        return t("s.cross.none", lang)
    if len(summary["channels"]) == 1:  # "0 of the 19 (0.0%)" would blame nobody for nothing
        return t("s.cross.one_channel", lang, channel=channel_label(next(iter(
            summary["channels"])), lang), repeated=_c(repeat["repeated"], lang))
    if not repeat["cross_channel"]:
        return t("s.cross.zero", lang, repeated=_c(repeat["repeated"], lang))
    return t("s.cross", lang, cross=_c(repeat["cross_channel"], lang),
             repeated=_c(repeat["repeated"], lang),
             share=_p(repeat["cross_channel"] / repeat["repeated"], lang))


def gap_sentence(contacts: pd.DataFrame, *, window_days: float, as_of, lang: str,
                 headline: dict | None = None) -> str:
    """Share of contacts from known customers followed by another within one day and within
    the window; with ``headline`` (``summary["repeat_contacts"]``) the sentence also says why
    its share differs from the headline repeat rate (that one counts unidentified contacts,
    which can never repeat)."""
    if facts.customer_started(contacts).empty:
        return t("s.no_data", lang)
    curve = repeats.repeat_gap_curve(contacts, window_days=window_days, as_of=as_of)
    if curve["share"].isna().all():
        return t("s.no_identity", lang)

    def at(days):
        return curve.loc[curve["days"] <= days + 1e-9, "share"].iloc[-1]

    share = at(window_days)
    text = t("s.gap", lang, day=_p(at(1), lang),
             window=style.format_number(window_days, lang, 0), share=_p(share, lang))
    rate = (headline or {}).get("rate")
    if rate is not None and _p(rate, lang) != _p(share, lang):
        text += " " + t("s.gap_vs_headline", lang, rate=_p(rate, lang))
    return text


def contacts_per_customer_sentence(contacts: pd.DataFrame, *, k: int, lang: str) -> str:
    """Known customers, how many came once, how many came ``k`` or more times."""
    if facts.customer_started(contacts).empty:
        return t("s.no_data", lang)
    table = repeats.contacts_per_customer_distribution(contacts)
    customers = table["customers"].sum()
    if customers == 0:
        return t("s.no_identity", lang)
    once = table.loc[table["low"] == 1, "customers"].sum()
    frequent = table.loc[table["low"] >= k, "customers"].sum()
    return t("s.cpc", lang, customers=_c(customers, lang),
             contacts=_c(len(repeats.known_customers(contacts)), lang),
             once=_p(once / customers, lang), frequent=_c(frequent, lang),
             frequent_share=_p(frequent / customers, lang), k=k)


def frequent_sentence(contacts: pd.DataFrame, *, k: int, lang: str) -> str:
    """Frequent contacters and the share of all contacts they make."""
    if facts.customer_started(contacts).empty:
        return t("s.no_data", lang)
    table = repeats.frequent_contacters(contacts, k=k)
    if repeats.known_customers(contacts).empty:
        return t("s.no_identity", lang)
    if table.empty:
        return t("s.frequent.none", lang, k=k)
    all_contacts = len(facts.customer_started(contacts))
    return t("s.frequent", lang, n=_c(len(table), lang), k=k,
             contacts=_c(table["contacts"].sum(), lang),
             share=_p(table["contacts"].sum() / all_contacts, lang),
             shown=min(len(table), 10))


# Repeated contacts: FCR, one-touch, topics, trend ---------------------------------------------


def fcr_sentence(report) -> str:
    """First-contact resolution (1 − repeat rate, same basis) and one-touch resolution, or
    why either cannot be given. When the source has no customer id but asks whether the
    consumer contacted the company before (consumidor.gov.br), that share is given instead:
    it is the only repeat-contact signal such a source carries."""
    summary, contacts, lang = report.summary, report.contacts, report.lang
    if not summary["contacts"]:
        return no_contacts(summary, lang)
    repeat = summary["repeat_contacts"]
    window = style.format_number(repeat["window_days"], lang, 0)
    parts = []
    if _no_identity(summary):
        parts.append(t("s.fcr.no_identity", lang))
        before = channels.contacted_before_share(contacts, report.log.conversation_attributes)
        if before is not None and before[1]:
            parts.append(t("s.fcr.before", lang, share=_p(before[2], lang),
                           n=_c(before[0], lang), known=_c(before[1], lang)))
    elif repeat["rate"] is None:
        parts.append(t("s.repeat.none_eligible", lang, window=window))
    else:
        parts.append(t("s.fcr", lang, fcr=_p(repeat["fcr"], lang),
                       eligible=_c(repeat["eligible"], lang),
                       kept=_c(repeat["eligible"] - repeat["repeated"], lang), window=window))
    one = summary.get("one_touch") or {}
    if not one.get("available"):
        parts.append(t("s.one_touch.na", lang))
    elif not one["replied"]:
        parts.append(t("s.one_touch.none", lang))
    else:
        parts.append(t("s.one_touch", lang, rate=_p(one["rate"], lang),
                       replied=_c(one["replied"], lang), count=_c(one["count"], lang)))
        if one["resolved"] > one["replied"]:
            parts.append(t("s.one_touch.unreplied", lang,
                           n=_c(one["resolved"] - one["replied"], lang)))
        resolved = facts.customer_started(contacts)
        resolved = resolved[resolved["resolved"].fillna(False).astype(bool)]
        if len(resolved) and resolved["agent_replies"].max() <= 1:
            parts.append(t("s.one_touch.single_answer", lang))
    return " ".join(parts)


def topic_sentence(summary: dict, stats, lang: str) -> str:
    """Same-topic repeats and the topic with the most repeats; or why they are unknown.

    ``stats`` is :func:`analytics.metrics.repeats.repeat_topic_stats` (None: no topic recorded)."""
    if not summary["contacts"]:
        return no_contacts(summary, lang)
    if stats is None:
        return t("s.topic.none", lang)
    if _no_identity(summary):
        return t("s.no_identity", lang)
    repeat = summary["repeat_contacts"]
    if not repeat["repeated"]:
        return t("s.cross.none", lang)
    text = t("s.topic", lang, same=_c(repeat["same_topic_repeats"], lang),
             known=_c(repeat["topic_known_repeats"], lang),
             share=_p(repeats.ratio(repeat["same_topic_repeats"],
                                          repeat["topic_known_repeats"]), lang))
    named = stats[stats["topic"] != ""]
    if len(named) and named["repeated"].iloc[0]:
        top = named.iloc[0]
        text += " " + t("s.topic.top", lang, topic=top["topic"], n=_c(top["repeated"], lang),
                        eligible=_c(top["eligible"], lang), rate=_p(top["rate"], lang))
    return text


def repeat_trend_sentence(trend: pd.DataFrame, summary: dict, lang: str) -> str:
    """The period's repeat rate against the previous one, and the channel with the highest
    rate among channels with enough contacts judged."""
    if not summary["contacts"]:
        return no_contacts(summary, lang)
    if _no_identity(summary):
        return t("s.no_identity", lang)
    stats = repeats.repeat_channel_stats(trend)
    overall = stats.iloc[-1]
    if pd.isna(overall["rate"]):
        return t("s.repeat_trend.none", lang)
    text = t("s.repeat_trend" if comparable(summary) else "s.repeat_trend.alone", lang,
             rate=_p(overall["rate"], lang),
             n=_c(overall["eligible"], lang), previous=_p(overall["previous_rate"], lang),
             previous_n=_c(overall["previous_eligible"], lang),
             previous_period=style.period_name(summary["previous_period"]["label"], lang))
    channels = stats[(stats["group"] != repeats.ALL) & (stats["eligible"] >= _MIN_NAMED)]
    ranking = first_and_last("s.repeat_trend.channels", lang, channels, order="rate",
                             name="group", label=lambda v: channel_label(v, lang), n=_MIN_NAMED,
                             fields=[("rate", "rate", _p), ("n", "eligible", _c)])
    return f"{text} {ranking}".strip()
