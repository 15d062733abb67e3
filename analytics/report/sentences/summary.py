"""The readings of the executive summary: the best and worst of each area in a sentence."""

from __future__ import annotations

from analytics.report import style
from analytics.report.comparison import change_text, comparable
from analytics.report.i18n import channel_label, t
from analytics.report.sentences._common import _c, _d, _no_identity, _p, no_contacts, versus
from analytics.report.sentences.response import _sla_seconds

# Executive summary ---------------------------------------------------------------------------

def summary_readings(summary: dict, lang: str) -> str:
    """One line per area (Markdown bullets): volume, first response, every reply,
    resolution, repeat contacts, channels and satisfaction when the source rates."""
    if not summary["contacts"]:
        return no_contacts(summary, lang)
    first = summary["first_response"]
    replies = summary["reply_time"]
    repeat = summary["repeat_contacts"]
    previous = style.period_name(summary["previous_period"]["label"], lang)
    window = style.format_number(repeat["window_days"], lang, 0)
    change = t("r.volume.change", lang, previous=previous, change=change_text(
        summary["contacts"], summary["previous"]["contacts"], "count", lang)) \
        if comparable(summary) else ""
    if _no_identity(summary):
        lines = [t("r.volume.anonymous", lang, contacts=_c(summary["contacts"], lang),
                   change=change)]
    else:
        lines = [t("r.volume", lang, contacts=_c(summary["contacts"], lang), change=change,
                   customers=_c(summary["customers"], lang))]
    key = "r.first_response"
    if first["within_sla"] is None:  # a target this source cannot check
        key += ".no_sla"
    lines.append(t(key, lang, median=_d(first["median_s"], lang),
                   share=_p(first["within_sla"], lang),
                   sla=_d(_sla_seconds(summary), lang), unanswered=_c(first["unanswered"], lang),
                   vs=versus(summary, _d(summary["previous"]["first_response"]["median_s"],
                                         lang), lang)))
    lines.append(t("r.replies", lang, median=_d(replies["median_s"], lang),
                   n=_c(replies["n"], lang), open=_c(replies["open_waits"], lang)))
    if summary["resolution_first"]["available"]:
        lines.append(t("r.resolution", lang,
                       median=_d(summary["resolution_first"]["median_s"], lang),
                       reopened=_c(summary["reopened"], lang)))
    else:
        lines.append(t("r.resolution.na", lang))
    if _no_identity(summary):
        lines.append(t("r.repeat.na", lang))
    elif repeat["eligible"]:
        lines.append(t("r.repeat", lang, rate=_p(repeat["rate"], lang), window=window,
                       eligible=_c(repeat["eligible"], lang),
                       coverage=_p(repeat["identity_coverage"], lang)))
    else:
        lines.append(t("r.repeat.none_eligible", lang, window=window))
    channels = summary["channels"]
    top = max(channels, key=lambda c: (channels[c], c))
    lines.append(t("r.channels", lang, n=len(channels), channel=channel_label(top, lang),
                   share=_p(channels[top] / summary["contacts"], lang)))
    satisfaction = summary.get("satisfaction")
    if satisfaction and satisfaction.get("rated"):
        lines.append(t("r.satisfaction", lang, csat=_p(satisfaction["csat"], lang),
                       rated=_c(satisfaction["rated"], lang),
                       not_rated=_p(satisfaction["not_rated_share"], lang)))
    return "\n".join(f"- {line}" for line in lines)
