"""The repeated-contact sentences (analytics.report.sentences.repeats), on hand-made facts and
summaries and on the bundled twcs sample."""

import pytest

from analytics.report import i18n, sentences

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


def test_repeat_sentence_gives_its_basis_and_the_identity_caveat(summary):
    repeat = summary["repeat_contacts"]
    repeat.update(eligible=40, repeated=10, rate=0.25, excluded_no_lookahead=1,
                  identity_coverage=0.5)
    assert sentences.repeat_sentence(summary, "en") == (
        "25.0% of the 40 contacts whose 7-day window is complete were followed by another "
        "contact from the same customer within 7 days (10 contacts; 32.3% in September 2026). "
        "1 more recent contact is left out: its 7 days run past the end of the data. Only "
        "50.0% of contacts carry a customer id. Contacts without one can never count as "
        "repeats, so the true rate is probably higher.")
    repeat.update(eligible=0, excluded_no_lookahead=0, identity_coverage=0.99)
    assert sentences.repeat_sentence(summary, "en") == i18n.t(
        "s.repeat.none_eligible", "en", window="7")
    repeat["identity_coverage"] = 0.0
    assert sentences.repeat_sentence(summary, "en") == i18n.t("s.repeat.no_identity", "en")


def test_cross_channel_sentence(summary):
    summary["repeat_contacts"].update(repeated=10, cross_channel=4)
    assert sentences.cross_channel_sentence(summary, "en") == (
        "4 of the 10 repeated contacts (40.0%) came back on another channel.")
    summary["repeat_contacts"]["cross_channel"] = 0
    assert sentences.cross_channel_sentence(summary, "en") == (
        "None of the 10 repeated contacts came back on another channel: each came back where "
        "it started.")
    summary["channels"] = {"twitter": 950}  # one channel: nowhere else to come back on
    assert sentences.cross_channel_sentence(summary, "pt-BR") == (
        "Todos os contatos vieram por Twitter, então nenhum dos 10 contatos repetidos podia "
        "voltar por outro canal.")
    summary["repeat_contacts"]["repeated"] = 0
    assert sentences.cross_channel_sentence(summary, "en") == i18n.t("s.cross.none", "en")


def test_contacts_per_customer_and_frequent_contacters(contacts):
    # Known customers: a (3 contacts), b (1), c (1); one contact has no customer id.
    assert sentences.contacts_per_customer_sentence(contacts, k=3, lang="en") == (
        "3 known customers made 5 contacts. 66.7% of them got in touch once; 1 (33.3%) got in "
        "touch 3 or more times.")
    assert sentences.contacts_per_customer_sentence(contacts, k=3, lang="pt-BR").endswith(
        "1 (33,3%) entrou em contato 3 ou mais vezes.")
    # a's 3 contacts are 50% of the 6 contacts.
    assert sentences.frequent_sentence(contacts, k=3, lang="en") == (
        "1 customer got in touch 3 or more times; this customer made 3 contacts, 50.0% of all "
        "contacts. The table shows 1 customer, without identifying anyone.")
    assert sentences.frequent_sentence(contacts, k=4, lang="en") == i18n.t(
        "s.frequent.none", "en", k=4)
    anonymous = contacts.assign(customer_id=None)
    assert sentences.frequent_sentence(anonymous, k=3, lang="en") == i18n.t("s.no_identity")
    assert sentences.coverage_sentence(contacts, "en") == (
        "83.3% of contacts carry a customer id. The lowest share is on Phone (0.0%).")


def test_fcr_and_topics_say_what_the_source_cannot_measure(twcs_report):
    assert twcs_report.repeat_topics is None
    assert sentences.topic_sentence(twcs_report.summary, None, "pt-BR") == i18n.t(
        "s.topic.none", "pt-BR")
    one_touch = sentences.fcr_sentence(twcs_report)
    assert i18n.t("s.one_touch.na", "pt-BR") in one_touch
