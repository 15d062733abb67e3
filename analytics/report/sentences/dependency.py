"""The sentences of the dependency and independence sections."""

from __future__ import annotations

from analytics.metrics import dependency, response
from analytics.report import style
from analytics.report.comparison import comparable
from analytics.report.i18n import channel_label, t
from analytics.report.sentences._common import _c, _cost_words, _money, _p, versus

# Dependency and independence ---------------------------------------------------------------


def independence_sentence(summary: dict, lang: str) -> str:
    """The index, its previous value and how many components it averages."""
    index = summary["dependency"]["independence_index"]
    if index["value"] is None:
        return t("s.dep.index.none", lang)
    old = summary["previous"]["dependency"]["independence_index"]["value"]
    return t("s.dep.index", lang, value=style.format_number(index["value"], lang, 0),
             vs=versus(summary, style.format_percent(None, lang) if old is None
                       else style.format_number(old, lang, 0), lang),
             available=_c(index["available"], lang))


def how_to_sentence(report) -> str:
    """The how-to share, the previous period's, and the channel with the highest share."""
    lang, summary = report.lang, report.summary
    how_to = summary["dependency"]["how_to"]
    if how_to["share"] is None:
        return t("s.dep.how_to.none", lang)
    table = dependency.how_to_by_channel(report.contacts)
    table = table[table["with_text"] >= response.MIN_WEEKLY_N]
    # naming the highest share needs two channels to compare
    top = t("s.dep.how_to.top", lang, channel=channel_label(table["share"].idxmax(), lang)) \
        if len(table) > 1 else ""
    observed = t("s.dep.how_to", lang, share=_p(how_to["share"], lang),
                 n=_c(how_to["with_text"], lang),
                 vs=versus(summary, _p(summary["previous"]["dependency"]["how_to"]["share"],
                                       lang), lang), top=top)
    return observed + " " + how_to_correction_sentence(how_to["corrected"], lang)


def how_to_correction_sentence(corrected: dict, lang: str) -> str:
    """The how-to share corrected for the classifier's errors, its interval and the method
    (adjusted classify-and-count, docs/intents.md), or that it is uncorrected."""
    if corrected["correction"] == "uncorrected":
        return t("s.dep.how_to.uncorrected", lang)
    text = t("s.dep.how_to.corrected", lang, adjusted=_p(corrected["adjusted"], lang),
             low=_p(corrected["low"], lang), high=_p(corrected["high"], lang))
    if corrected["uncorrected_langs"]:
        text += " " + t("s.dep.how_to.partly", lang,
                        langs=", ".join(corrected["uncorrected_langs"]))
    return text


def how_to_trend_sentence(lang: str) -> str:
    return t("s.dep.how_to_trend", lang, min_n=response.MIN_WEEKLY_N)


def learning_sentence(summary: dict, lang: str) -> str:
    """Contacts per active customer and repeated questions, with their basis."""
    figures = summary["dependency"]
    cpc = figures["contacts_per_customer"]["per_customer"]
    if cpc is None:
        return t("s.dep.learning.no_ids", lang)
    repeat = figures["repeat_how_to"]
    if not repeat["eligible"]:
        return t("s.dep.learning.no_repeat", lang, cpc=style.format_number(cpc, lang, 2))
    return t("s.dep.learning", lang, cpc=style.format_number(cpc, lang, 2),
             repeat=_p(repeat["rate"], lang), eligible=_c(repeat["eligible"], lang),
             excluded=_c(repeat["excluded_no_lookahead"], lang))


def people_sentence(summary: dict, lang: str) -> str:
    """How many people handle a contact and how many messages the customer sends first."""
    figures = summary["dependency"]
    multi = figures["intermediaries"]["multi_agent_share"]
    messages = figures["effort"]["median_to_first_answer"]
    if multi is None or messages is None:
        return t("s.dep.people.unknown", lang)
    return t("s.dep.people", lang, multi=_p(multi, lang),
             messages=style.format_number(messages, lang, 0),
             message_word=style.plural(round(messages), t("word.message", lang),
                                       t("word.messages", lang), lang))


def self_service_sentence(summary: dict, lang: str) -> str:
    figures = summary["dependency"]["self_service"]
    if not figures["available"]:
        return t("s.dep.self_service.none", lang)
    return t("s.dep.self_service", lang, sessions=_c(figures["sessions"], lang),
             score=style.format_percent(None, lang) if figures["score"] is None
             else style.format_number(figures["score"], lang, 1))


def cost_sentence(summary: dict, lang: str) -> str:
    """The avoidable cost, what it assumes and which cost table it used."""
    figures = summary["dependency"]["avoidable_cost"]
    if figures["total"] is None:
        return t("s.dep.cost.none", lang)
    costs = summary["parameters"]["cost_table"]
    from analytics.metrics.dependency import DEFAULT_COSTS

    if costs == DEFAULT_COSTS:
        used = t("s.dep.cost.default", lang, currency=costs["currency"],
                 default=_money(costs["default"], costs["currency"], lang),
                 self_service=_money(costs["self_service"], costs["currency"], lang))
    else:
        used = t("s.dep.cost.custom", lang, table=_cost_words(costs, lang))
    currency = figures["currency"]
    return t("s.dep.cost", lang, total=_money(figures["total"], currency, lang, 0),
             period=style.period_name(summary["period"]["label"], lang), n=_c(figures["how_to"], lang),
             unit=_money(figures["per_how_to"], currency, lang), costs=used)


def voice_sentence(summary: dict, has_text: bool, lang: str) -> str:
    if not has_text:
        return t("s.dep.voice.none", lang)
    if not comparable(summary):  # the table has no change column then
        return t("s.dep.voice.alone", lang)
    return t("s.dep.voice", lang,
             previous_period=style.period_name(summary["previous_period"]["label"], lang))


def sentiment_note(lang: str) -> str:
    return t("s.dep.sentiment", lang)
