"""The dependency and independence sentences (analytics.report.sentences.dependency), on
hand-set figures and on the bundled twcs sample."""

import pytest

from analytics.metrics.dependency import DEFAULT_COSTS
from analytics.report import i18n, sentences
from analytics.report.sentences.dependency import how_to_correction_sentence

pytestmark = pytest.mark.usefixtures("_house_style")


def test_independence_sentence_rounds_the_index_and_counts_its_components(summary, alone):
    summary["dependency"]["independence_index"].update(value=61.6, available=3)
    summary["previous"]["dependency"]["independence_index"]["value"] = 58.2
    assert sentences.independence_sentence(summary, "en").startswith(
        "The independence index is **62** out of 100 (58 in September 2026), the average of "
        "the 3 indicators")
    assert "(58" not in sentences.independence_sentence(alone, "en")
    summary["dependency"]["independence_index"]["value"] = None
    assert sentences.independence_sentence(summary, "pt-BR") == i18n.t("s.dep.index.none",
                                                                       "pt-BR")


def test_the_how_to_sentence_names_a_highest_channel_only_when_there_are_two(twcs_report):
    # twcs: every contact on Twitter, so "Twitter had the highest share" compares nothing.
    text = sentences.how_to_sentence(twcs_report)
    assert text.startswith("**12,8%** dos 950 contatos com texto eram dúvidas")
    assert "maior parcela" not in text
    assert i18n.t("s.dep.how_to.top", "en", channel="Chat") == " Chat had the highest share."


def test_the_correction_sentence_gives_the_interval_or_says_it_is_uncorrected():
    corrected = {"correction": "adjusted classify-and-count", "adjusted": 0.4, "low": 0.31,
                 "high": 0.52, "uncorrected_langs": []}
    text = how_to_correction_sentence(corrected, "en")
    assert "40.0%" in text and "31.0%" in text and "52.0%" in text
    partly = how_to_correction_sentence({**corrected, "uncorrected_langs": ["es"]}, "en")
    assert partly.startswith(text) and partly.endswith(
        i18n.t("s.dep.how_to.partly", "en", langs="es"))
    assert how_to_correction_sentence({"correction": "uncorrected"}, "pt-BR") == i18n.t(
        "s.dep.how_to.uncorrected", "pt-BR")


def test_learning_sentence_has_its_basis_or_says_what_is_missing(summary):
    figures = summary["dependency"]
    figures["contacts_per_customer"]["per_customer"] = 1.5
    figures["repeat_how_to"].update(eligible=40, rate=0.125, excluded_no_lookahead=7)
    assert sentences.learning_sentence(summary, "en") == (
        "Each active customer made **1.50** contacts. Of the questions whose next 30 days are "
        "already known, **12.5%** were asked again by the same customer within 30 days (40 "
        "questions; 7 more are too recent to tell).")
    figures["repeat_how_to"]["eligible"] = 0
    assert sentences.learning_sentence(summary, "en") == i18n.t(
        "s.dep.learning.no_repeat", "en", cpc="1.50")
    figures["contacts_per_customer"]["per_customer"] = None
    assert sentences.learning_sentence(summary, "en") == i18n.t("s.dep.learning.no_ids", "en")


def test_people_sentence_agrees_the_message_word_with_the_median(summary):
    figures = summary["dependency"]
    figures["intermediaries"]["multi_agent_share"] = 0.2
    figures["effort"]["median_to_first_answer"] = 1.0
    assert sentences.people_sentence(summary, "en") == (
        "**20.0%** of answered contacts needed two or more people, and customers sent a median "
        "of **1** message before the first answer.")
    figures["effort"]["median_to_first_answer"] = 3.0
    assert "**3** mensagens" in sentences.people_sentence(summary, "pt-BR")
    figures["effort"]["median_to_first_answer"] = None
    assert sentences.people_sentence(summary, "en") == i18n.t("s.dep.people.unknown", "en")


def test_self_service_sentence(summary):
    summary["dependency"]["self_service"].update(available=True, sessions=1200, score=2.0)
    assert sentences.self_service_sentence(summary, "en") == (
        "Customers started **1,200** self-service sessions, **2.0** for every assisted contact.")
    summary["dependency"]["self_service"]["available"] = False
    assert sentences.self_service_sentence(summary, "en") == i18n.t("s.dep.self_service.none",
                                                                    "en")


def test_cost_sentence_says_which_cost_table_it_used(summary):
    summary["dependency"]["avoidable_cost"].update(currency="USD", how_to=100, total=801.0,
                                                   per_how_to=8.01)
    summary["parameters"]["cost_table"] = dict(DEFAULT_COSTS)
    text = sentences.cost_sentence(summary, "en")
    assert text.startswith("If every question had been answered by a help page, about "
                           "**\\$801** would have been saved in October 2026 (100 questions at "
                           "\\$8.01 each on average).")
    assert "default cost table" in text
    summary["parameters"]["cost_table"] = {"currency": "BRL", "default": 12.0,
                                           "self_service": 0.5}
    assert "default cost table" not in sentences.cost_sentence(summary, "en")
    summary["dependency"]["avoidable_cost"]["total"] = None
    assert sentences.cost_sentence(summary, "en") == i18n.t("s.dep.cost.none", "en")


def test_voice_sentence_compares_words_only_between_comparable_periods(summary, alone):
    assert "September 2026" in sentences.voice_sentence(summary, True, "en")
    assert sentences.voice_sentence(alone, True, "en") == i18n.t("s.dep.voice.alone", "en")
    assert sentences.voice_sentence(summary, False, "en") == i18n.t("s.dep.voice.none", "en")
