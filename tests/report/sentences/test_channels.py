"""The channel-usage sentences (analytics.report.sentences.channels), on hand-made summaries
and on the bundled twcs sample."""

import pytest

from analytics.report import i18n, sentences, tables

pytestmark = pytest.mark.usefixtures("_house_style")


def test_mix_sentence_names_the_largest_channel_and_the_one_that_moved(summary, alone):
    for figures in (summary, alone):
        figures.update(contacts=100, channels={"email": 60, "chat": 40})
        figures["previous"]["channels"] = {"email": 30, "chat": 70}
    summary["previous"]["contacts"] = 100
    # email and chat both moved by 30 contacts: the tie goes to the later name, stably.
    assert sentences.mix_sentence(summary, "en") == (
        "Email brought the most contacts: 60, 60.0% of the 100 contacts on 2 channels (100 in "
        "September 2026). Email changed the most: 30 contacts before, 60 now.")
    assert sentences.mix_sentence(alone, "en") == (
        "Email brought the most contacts: 60, 60.0% of the 100 contacts on 2 channels.")
    summary["channels"] = {"email": 100}
    assert sentences.mix_sentence(summary, "pt-BR") == (
        "Todos os 100 contatos vieram por E-mail (100 em setembro de 2026).")


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
