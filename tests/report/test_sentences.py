"""The page sentences (analytics.report.sentences): what they say, and what they say when a
figure is missing, on hand-made facts and summaries and on the bundled samples."""

import pandas as pd
import pytest
from helpers import _facts

from analytics.metrics import response
from analytics.metrics.response import response_buckets
from analytics.report import i18n, sentences, tables

pytestmark = pytest.mark.usefixtures("_house_style")


def test_gap_sentence_says_why_its_share_differs_from_the_headline_rate(contacts):
    # 5 contacts with a customer id, 2 back within 7 days: 40%; the headline rate counts the
    # unidentified contacts too (2 of 6 judged here: 33.3%).
    alone = sentences.gap_sentence(contacts, window_days=7, as_of=None, lang="en")
    assert alone.endswith("20.0% were followed by another within one day and 40.0% within 7 "
                          "days.")
    said = sentences.gap_sentence(contacts, window_days=7, as_of=None, lang="pt-BR",
                                  headline={"rate": 2 / 6})
    assert "40,0% em até 7 dias. A taxa de repetição do resumo, 33,3%, é outra" in said
    same = sentences.gap_sentence(contacts, window_days=7, as_of=None, lang="en",
                                  headline={"rate": 0.4})
    assert same == alone  # the same figure needs no explanation


def test_sentences_say_no_contacts_for_an_empty_period():
    summary = {"period": {"label": "2024-W45"}, "contacts": 0,
               "first_response": {"n": 0, "unanswered": 0}}
    assert "week of 4 Nov 2024" in sentences.first_response_sentence(summary, "en")
    assert sentences.distribution_sentence(response_buckets(_facts().iloc[0:0]), "pt-BR") == (
        i18n.t("s.no_data", "pt-BR"))


def _movement_summary(**movement):
    base = {"customers_multi": 10, "switchers": 4, "switch_share": 0.4,
            "forced_migration_base": 20, "forced_migration": 3, "forced_migration_share": 0.15}
    return {"period": {"label": "2024-11"}, "previous_period": {"label": "2024-10"},
            "contacts": 300, "repeat_contacts": {"window_days": 7.0, "identity_coverage": 1.0},
            "channel_movement": {**base, **movement},
            "previous": {"contacts": 250, "channel_movement": {**base, "switch_share": 0.5,
                                              "forced_migration_share": None}}}


def test_movement_and_forced_migration_sentences(contacts):
    summary = _movement_summary()
    text = sentences.movement_sentence(summary, contacts, "en")
    assert "4 of them (40.0%)" in text and "(50.0% in October 2024)" in text
    assert "from Email to Chat (1 customer)" in text
    forced = sentences.forced_migration_sentence(summary, "pt-BR")
    assert forced.startswith("3 dos 20 clientes") and "(n/d em outubro de 2024)" in forced
    # A previous period of 35 contacts is below the comparison floor: no figure of it quoted.
    small = {**summary, "previous": {**summary["previous"], "contacts": 35}}
    assert sentences.movement_sentence(small, contacts, "en").startswith(
        "10 customers got in touch more than once in the period; for 4 of them (40.0%) the "
        "next contact came on another channel than the first. ")
    assert "October" not in sentences.forced_migration_sentence(small, "en")
    zero = sentences.forced_migration_sentence(_movement_summary(forced_migration=0), "en")
    assert zero.startswith("None of the 20 customers")
    one_channel = contacts.assign(channel="twitter")
    assert "could not change channel" in sentences.movement_sentence(summary, one_channel, "en")
    anonymous = _movement_summary()
    anonymous["repeat_contacts"]["identity_coverage"] = 0.0
    assert sentences.movement_sentence(anonymous, contacts, "en") == i18n.t("s.no_identity")
    assert sentences.forced_migration_sentence(anonymous, "en") == i18n.t("s.no_identity")


def test_sources_without_the_attributes_say_so_in_one_sentence(twcs_report):
    assert tables.purchase_channel_table(twcs_report) is None
    assert tables.contacted_before_table(twcs_report) is None
    assert sentences.purchase_sentence(twcs_report) == i18n.t("s.purchase.na", "pt-BR")
    assert sentences.contacted_before_sentence(twcs_report) == i18n.t("s.before.na", "pt-BR")
    assert twcs_report.repeat_topics is None
    assert sentences.topic_sentence(twcs_report.summary, None, "pt-BR") == i18n.t(
        "s.topic.none", "pt-BR")
    one_touch = sentences.fcr_sentence(twcs_report)
    assert i18n.t("s.one_touch.na", "pt-BR") in one_touch


def test_definitions_print_the_page_parameters(twcs_report):
    repeat = sentences.definitions(twcs_report, "repeat_contacts")
    assert "3 ou mais contatos" in repeat and "Canais públicos" not in repeat
    channel = sentences.definitions(twcs_report, "channel_usage")
    assert "Canais públicos (a tabela padrão documentada): consumidor.gov.br" in channel
    assert "clientes frequentes" not in sentences.definitions(twcs_report).lower()


def test_a_source_whose_agent_ids_are_companies_names_companies(twcs_report):
    # twcs names the brand's handle that answered, not a person (agent_ids = "company").
    assert twcs_report.log.agent_ids == "company"
    text = sentences.agent_sentence(twcs_report)
    assert "empresas deram uma primeira resposta" in text and "atendente" not in text
    assert sentences.heading("agents", "pt-BR", "company") == "## Primeira resposta por empresa"
    assert sentences.heading("agents", "pt-BR") == "## Primeira resposta por atendente"
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


def test_distribution_sentence_says_every_contact_has_an_answer_instead_of_zero_percent():
    facts = _facts()
    contacts = facts[~facts["proactive"]]
    some = sentences.distribution_sentence(response_buckets(contacts), "en")
    share = contacts["first_response_s"].isna().mean()
    assert share > 0 and some.endswith(f"; {100 * share:.1f}% have no answer yet.")
    answered = response_buckets(contacts[contacts["first_response_s"].notna()])
    assert sentences.distribution_sentence(answered, "pt-BR").endswith(
        "; todos os contatos têm resposta.")


def test_the_how_to_sentence_names_a_highest_channel_only_when_there_are_two(twcs_report):
    # twcs: every contact on Twitter, so "Twitter had the highest share" compares nothing.
    text = sentences.how_to_sentence(twcs_report)
    assert text.startswith("**12,8%** dos 950 contatos com texto eram dúvidas")
    assert "maior parcela" not in text
    assert i18n.t("s.dep.how_to.top", "en", channel="Chat") == " Chat had the highest share."
