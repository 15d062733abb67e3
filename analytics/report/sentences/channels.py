"""The sentences of the channel-usage sections."""

from __future__ import annotations

import pandas as pd

from analytics.metrics import channel_movement, channels, facts
from analytics.report import style
from analytics.report.comparison import comparable
from analytics.report.i18n import channel_label, purchase_channel_label, t
from analytics.report.sentences._common import (
    _MIN_NAMED_GROUP,
    _c,
    _d,
    _no_identity,
    _p,
    first_and_last,
    no_contacts,
    versus,
)

# Channels ----------------------------------------------------------------------------------

def mix_sentence(summary: dict, lang: str) -> str:
    """Largest channel and its share, total against the previous period, and the channel
    that changed most."""
    channels = summary["channels"]
    before = summary["previous"]["channels"]
    total, previous_total = summary["contacts"], summary["previous"]["contacts"]
    previous_label = style.period_name(summary["previous_period"]["label"], lang)
    if not total:
        return no_contacts(summary, lang) + " " + t(
            "s.mix.previous_only", lang, n=_c(previous_total, lang), previous=previous_label)
    top = max(channels, key=lambda c: (channels[c], c))
    if len(channels) == 1:
        return t("s.mix.one", lang, channel=channel_label(top, lang), n=_c(total, lang),
                 vs=versus(summary, _c(previous_total, lang), lang))
    text = t("s.mix", lang, channel=channel_label(top, lang), n=_c(channels[top], lang),
             share=_p(channels[top] / total, lang), total=_c(total, lang),
             channels=len(channels), vs=versus(summary, _c(previous_total, lang), lang))
    if not comparable(summary):
        return text
    changes = {c: channels.get(c, 0) - before.get(c, 0) for c in set(channels) | set(before)}
    moved = max(changes, key=lambda c: (abs(changes[c]), c))
    if changes[moved]:
        text += " " + t("s.mix.moved", lang, channel=channel_label(moved, lang),
                        before=_c(before.get(moved, 0), lang), now=_c(channels.get(moved, 0), lang))
    return text


def served_sentence(report) -> str:
    """Which channel gets the most agent replies per contact and which is left unanswered
    most often."""
    lang = report.lang
    stats = report.channel_stats
    if stats.empty:
        return no_contacts(report.summary, lang)
    stats = stats.assign(unanswered_share=stats["unanswered"] / stats["contacts"])
    most = stats.sort_values(["replies", "channel"], ascending=[False, True]).iloc[0]
    text = t("s.served.replies" if len(stats) > 1 else "s.served.replies_one", lang,
             channel=channel_label(most["channel"], lang),
             replies=style.format_number(most["replies"], lang, 1))
    if len(stats) == 1:
        return text
    if stats["unanswered"].sum():
        worst = stats.sort_values(["unanswered_share", "channel"],
                                  ascending=[False, True]).iloc[0]
        text += " " + t("s.served.unanswered", lang, channel=channel_label(worst["channel"],
                                                                           lang),
                        share=_p(worst["unanswered_share"], lang), n=_c(worst["unanswered"], lang))
    else:
        text += " " + t("s.frt.all_answered", lang)
    return text


def public_sentence(report) -> str:
    """Share of contacts on public channels and their speed against private channels."""
    lang = report.lang
    stats = report.public_private_stats
    total = stats["contacts"].sum()
    if total == 0:
        return no_contacts(report.summary, lang)
    public, private = stats.loc["public"], stats.loc["private"]
    names = ", ".join(channel_label(c, lang) for c in public["channels"])
    if public["contacts"] == 0:
        return t("s.public.none", lang)
    if private["contacts"] == 0:
        return t("s.public.all", lang, channels=names, median=_d(public["median_s"], lang))
    return t("s.public", lang, channels=names, share=_p(public["share"], lang),
             public=_d(public["median_s"], lang), private=_d(private["median_s"], lang))


# Channel movement and the complaint's own attributes ------------------------------------------

def movement_sentence(summary: dict, contacts: pd.DataFrame, lang: str) -> str:
    """Customers who got in touch more than once and the share whose next contact came on
    another channel, with the most common move."""
    if not summary["contacts"]:
        return no_contacts(summary, lang)
    if _no_identity(summary):
        return t("s.no_identity", lang)
    movement = summary["channel_movement"]
    if not movement["customers_multi"]:
        return t("s.movement.none", lang)
    if channels.channel_count(contacts) <= 1:
        channel = facts.customer_started(contacts)["channel"].astype("str").iloc[0]
        return t("s.movement.one_channel", lang, channel=channel_label(channel, lang),
                 n=_c(movement["customers_multi"], lang))
    previous = summary["previous"]["channel_movement"]
    text = t("s.movement", lang, multi=_c(movement["customers_multi"], lang),
             switchers=_c(movement["switchers"], lang),
             share=_p(movement["switch_share"], lang),
             vs=versus(summary, _p(previous["switch_share"], lang), lang))
    moves = channel_movement.channel_transitions(contacts)
    moves = moves[(moves["first_channel"] != moves["next_channel"]) & (moves["customers"] > 0)]
    if len(moves):
        top = moves.sort_values(["customers", "first_channel", "next_channel"],
                                ascending=[False, True, True]).iloc[0]
        text += " " + t("s.movement.top", lang, first=channel_label(top["first_channel"], lang),
                        next=channel_label(top["next_channel"], lang),
                        n=_c(top["customers"], lang),
                        customers=style.plural(top["customers"], t("word.customer", lang),
                                               t("word.customers", lang), lang))
    return text


def forced_migration_sentence(summary: dict, lang: str) -> str:
    """Customers who came back on another channel within the repeat window (forced
    migration), against the previous period."""
    if not summary["contacts"]:
        return no_contacts(summary, lang)
    if _no_identity(summary):
        return t("s.no_identity", lang)
    movement = summary["channel_movement"]
    window = style.format_number(summary["repeat_contacts"]["window_days"], lang, 0)
    if not movement["forced_migration_base"]:
        return t("s.repeat.none_eligible", lang, window=window)
    if not movement["forced_migration"]:
        return t("s.forced.zero", lang, base=_c(movement["forced_migration_base"], lang),
                 window=window)
    return t("s.forced", lang, n=_c(movement["forced_migration"], lang),
             base=_c(movement["forced_migration_base"], lang),
             share=_p(movement["forced_migration_share"], lang), window=window,
             vs=versus(summary, _p(summary["previous"]["channel_movement"][
                 "forced_migration_share"], lang), lang))


def purchase_sentence(report) -> str:
    """Which purchase channel brings the most complaints and which has the highest and lowest
    consumer-confirmed resolution; or that the source does not record it."""
    lang = report.lang
    if report.contacts.empty:
        return no_contacts(report.summary, lang)
    stats = channels.purchase_channel_stats(report.contacts,
                                                  report.log.conversation_attributes)
    if stats is None:
        return t("s.purchase.na", lang)
    top = stats.iloc[0]
    text = t("s.purchase", lang, channel=purchase_channel_label(top["purchase_channel"],
                                                                      lang),
             share=_p(top["share"], lang), n=_c(top["complaints"], lang))
    judged = stats[(stats["evaluated"] >= _MIN_NAMED_GROUP)
                   & stats["confirmed_resolution"].notna()]
    ranking = first_and_last("s.purchase.resolution", lang, judged,
                             order="confirmed_resolution", name="purchase_channel",
                             label=lambda v: purchase_channel_label(v, lang),
                             sides=("best", "worst"), n=_MIN_NAMED_GROUP,
                             fields=[("rate", "confirmed_resolution", _p),
                                     ("n", "evaluated", _c)])
    return f"{text} {ranking}".strip()


def contacted_before_sentence(report, *, top: int = 10) -> str:
    """The share of complaints whose author had contacted the company before, and the
    segments where it is highest and lowest; or that the source does not record it."""
    lang = report.lang
    if report.contacts.empty:
        return no_contacts(report.summary, lang)
    attributes = report.log.conversation_attributes
    overall = channels.contacted_before_share(report.contacts, attributes)
    if overall is None:
        return t("s.before.na", lang)
    before, known, share = overall
    text = t("s.before", lang, share=_p(share, lang), n=_c(before, lang), known=_c(known, lang))
    segments = channels.contacted_before_stats(report.contacts, attributes, by="segment",
                                                     top=top)
    if segments is not None:
        named = segments[(segments["complaints"] >= _MIN_NAMED_GROUP)
                         & segments["share"].notna()
                         & (segments["group"] != "")]
        ranking = first_and_last("s.before.segments", lang, named, order="share", name="group",
                                 label=lambda v: " ".join(v.split()),
                                 fields=[("share", "share", _p), ("n", "complaints", _c)])
        text = f"{text} {ranking}".strip()
    return text
