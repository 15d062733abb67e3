"""The response-time sentences (analytics.report.sentences.response), on hand-made facts and
summaries and on the bundled twcs sample."""

import pandas as pd
import pytest
from helpers import _facts

from analytics.metrics import response
from analytics.metrics.response import response_buckets
from analytics.report import i18n, sentences, tables

pytestmark = pytest.mark.usefixtures("_house_style")


def test_first_response_sentence_counts_the_answered_and_the_waiting(summary):
    summary["first_response"].update(n=3, unanswered=1, median_s=90.0, p90_s=7200.0,
                                     within_sla=2 / 3, oldest_unanswered_s=3 * 86400,
                                     small_n=True)
    summary["previous"]["first_response"]["median_s"] = 600.0
    assert sentences.first_response_sentence(summary, "en") == (
        "In October 2026, 3 of 4 contacts got a first answer from an agent. Half of them "
        "waited 2 min or less (10 min in September 2026), and 9 in 10 waited at most 2 h. "
        "66.7% of the answered contacts were answered within the target of 1 h. 1 contact has "
        "no answer yet; it has been waiting 3 days. Fewer than 30 contacts were answered: read "
        "these figures with care.")
    summary["first_response"].update(unanswered=0, within_sla=None)  # no target to check
    text = sentences.first_response_sentence(summary, "pt-BR")
    assert "meta" not in text and i18n.t("s.frt.all_answered", "pt-BR") in text
    summary["first_response"].update(n=0, unanswered=4)
    assert sentences.first_response_sentence(summary, "en").startswith(
        "None of the 4 contacts has had an answer from an agent yet. 4 contacts have no answer")


def test_sentences_say_no_contacts_for_an_empty_period():
    summary = {"period": {"label": "2024-W45"}, "contacts": 0,
               "first_response": {"n": 0, "unanswered": 0}}
    assert "week of 4 Nov 2024" in sentences.first_response_sentence(summary, "en")
    assert sentences.distribution_sentence(response_buckets(_facts().iloc[0:0]), "pt-BR") == (
        i18n.t("s.no_data", "pt-BR"))


def test_distribution_sentence_says_every_contact_has_an_answer_instead_of_zero_percent():
    facts = _facts()
    contacts = facts[~facts["proactive"]]
    some = sentences.distribution_sentence(response_buckets(contacts), "en")
    share = contacts["first_response_s"].isna().mean()
    assert share > 0 and some.endswith(f"; {100 * share:.1f}% have no answer yet.")
    answered = response_buckets(contacts[contacts["first_response_s"].notna()])
    assert sentences.distribution_sentence(answered, "pt-BR").endswith(
        "; todos os contatos têm resposta.")


def test_a_source_whose_agent_ids_are_companies_names_companies(twcs_report):
    # twcs names the brand's handle that answered, not a person (agent_ids = "company").
    assert twcs_report.log.agent_ids == "company"
    text = sentences.agent_sentence(twcs_report)
    assert "empresas deram uma primeira resposta" in text and "atendente" not in text
    assert list(tables.agent_table(twcs_report).columns)[0] == "Empresa (primeira resposta)"


def _weeks(rows):
    """A weekly_first_response frame of the all-channel group: (week_start, contacts,
    answered, median_s)."""
    return pd.DataFrame([{"week_start": pd.Timestamp(w), "group": response.ALL, "contacts": c,
                          "answered": a, "median_s": m} for w, c, a, m in rows])


def test_trend_sentence_compares_the_last_week_with_the_week_just_before_it():
    weekly = _weeks([("2024-10-07", 300, 290, 7200.0), ("2024-10-14", 200, 190, 3600.0),
                     ("2024-10-21", 150, 140, 1800.0), ("2024-10-28", 0, 0, float("nan"))])
    # The last week with a figure is 21 Oct; its base is 14 Oct, not the first week drawn.
    assert sentences.trend_sentence(weekly, "en") == (
        "In the week starting 21 Oct 2024, half of the answered contacts had their answer "
        "within 30 min, against 1 h in the week before (starting 14 Oct 2024; 3 weeks with at "
        "least 5 answered contacts are drawn).")
    # 35 contacts the week before: below the comparison floor of 100, so no comparison.
    small = _weeks([("2024-10-14", 35, 30, 150000.0), ("2024-10-21", 950, 950, 780.0)])
    assert sentences.trend_sentence(small, "en") == (
        "In the week starting 21 Oct 2024, half of the answered contacts had their answer "
        "within 13 min (950 answered contacts). It is not compared with the week before: 35 "
        "contacts that week and 950 this week, and a comparison needs at least 100 in each.")
    gap = _weeks([("2024-10-07", 300, 290, 7200.0), ("2024-10-14", 120, 3, float("nan")),
                  ("2024-10-21", 150, 140, 1800.0)])
    assert "not compared with the week before" in sentences.trend_sentence(gap, "en")
    assert sentences.trend_sentence(weekly.iloc[:1], "pt-BR").startswith(
        "Só a semana iniciada em 7 out. 2024")
