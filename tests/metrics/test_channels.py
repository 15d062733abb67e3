"""Channels: names, public channels, channel movement per customer, and the complaint's own
attributes (purchase channel, contacted before) — hand-made logs with exact answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import REPEAT_AS_OF, agent, inbound, log, repeat_flags, write_csv
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.errors import InputError
from analytics.load.channel_names import PUBLIC_CHANNELS, is_public
from analytics.load.schema import SupportLog
from analytics.metrics import channels
from analytics.metrics.channel_movement import (
    channel_movement_summary,
    channel_transitions,
    first_and_next,
    forced_migration_pairs,
)
from analytics.metrics.channels import (
    contacted_before_share,
    contacted_before_stats,
    purchase_channel_stats,
)
from analytics.metrics.repeats import repeat_contacts
from analytics.metrics.summary import Settings, analyse, period_figures
from analytics.period import parse_period

AS_OF = REPEAT_AS_OF


# Channel movement ------------------------------------------------------------------------------

MOVES = (
    # c1: chat -> email (switch), then email again.
    inbound("A1", "2024-03-01 10:00", customer="c1", channel="chat"),
    inbound("A2", "2024-03-02 10:00", customer="c1", channel="email"),
    inbound("A3", "2024-03-20 10:00", customer="c1", channel="email"),
    # c2: chat -> chat (stays).
    inbound("B1", "2024-03-01 10:00", customer="c2", channel="chat"),
    inbound("B2", "2024-03-15 10:00", customer="c2", channel="chat"),
    # c3: phone -> chat 10 days later (a switch, but outside the 7-day window).
    inbound("C1", "2024-03-01 10:00", customer="c3", channel="phone"),
    inbound("C2", "2024-03-11 10:00", customer="c3", channel="chat"),
    # c4: one contact only; u: unknown people never count.
    inbound("D1", "2024-03-05 10:00", customer="c4", channel="email"),
    inbound("U1", "2024-03-05 10:00", customer="", channel="chat"),
    inbound("U2", "2024-03-06 10:00", customer="", channel="email"),
)


def test_first_and_next_channel_per_customer_with_two_or_more_contacts():
    pairs = first_and_next(repeat_flags(*MOVES)).set_index("customer_id")
    assert pairs.to_dict("index") == {
        "c1": {"first_channel": "chat", "next_channel": "email", "switched": True},
        "c2": {"first_channel": "chat", "next_channel": "chat", "switched": False},
        "c3": {"first_channel": "phone", "next_channel": "chat", "switched": True},
    }


def test_transition_matrix_counts_and_row_shares_rows_by_customers_who_started_there():
    matrix = channel_transitions(repeat_flags(*MOVES))
    counts = matrix.pivot(index="first_channel", columns="next_channel", values="customers")
    shares = matrix.pivot(index="first_channel", columns="next_channel", values="share")
    assert list(dict.fromkeys(matrix["first_channel"])) == ["chat", "phone", "email"]
    assert counts.loc["chat"].to_dict() == {"chat": 1, "email": 1, "phone": 0}
    assert counts.loc["phone", "chat"] == 1
    assert shares.loc["chat", "email"] == 0.5 and shares.loc["phone", "chat"] == 1.0
    assert shares.loc["email"].isna().all()  # nobody started on email and came back


def test_switch_share_and_forced_migration_within_the_window_only():
    movement = channel_movement_summary(repeat_flags(*MOVES))
    assert movement == {"customers_multi": 3, "switchers": 2,
                        "switch_share": pytest.approx(2 / 3), "forced_migration_base": 4,
                        "forced_migration": 1, "forced_migration_share": 0.25}


def test_forced_migration_counts_only_contacts_with_a_complete_window():
    rows = (inbound("A", "2024-03-27 10:00", customer="c1", channel="chat"),
            inbound("B", "2024-03-28 10:00", customer="c1", channel="email"),
            inbound("C", "2024-03-01 10:00", customer="c2", channel="chat"))
    movement = channel_movement_summary(repeat_flags(*rows))
    # c1's contacts run past the cut-off: c1 is in neither the base nor the count.
    assert (movement["forced_migration_base"], movement["forced_migration"]) == (1, 0)
    assert movement["forced_migration_share"] == 0.0
    assert (movement["customers_multi"], movement["switchers"]) == (1, 1)


def test_forced_migration_pairs_most_frequent_first():
    rows = MOVES + (inbound("E1", "2024-03-01 10:00", customer="c5", channel="chat"),
                    inbound("E2", "2024-03-03 10:00", customer="c5", channel="email"),
                    inbound("F1", "2024-03-01 10:00", customer="c6", channel="phone"),
                    inbound("F2", "2024-03-02 10:00", customer="c6", channel="whatsapp"))
    pairs = forced_migration_pairs(repeat_flags(*rows))
    assert pairs[["from_channel", "to_channel", "repeats", "customers"]].values.tolist() == [
        ["chat", "email", 2, 2], ["phone", "whatsapp", 1, 1]]
    assert pairs["share"].tolist() == pytest.approx([2 / 3, 1 / 3])


def test_channel_movement_is_unknown_not_zero_without_customer_ids():
    rows = (inbound("A", "2024-03-01 10:00", customer="", channel="chat"),
            inbound("B", "2024-03-02 10:00", customer="", channel="email"))
    movement = channel_movement_summary(repeat_flags(*rows))
    assert set(movement.values()) == {None}
    assert channel_transitions(repeat_flags(*rows))["customers"].sum() == 0


def test_channel_movement_in_the_contract_reads_the_period_only():
    messages = log(inbound("P", "2024-02-28 10:00", customer="c1", channel="phone"),
                   inbound("A", "2024-03-01 10:00", customer="c1", channel="chat"),
                   inbound("B", "2024-03-03 10:00", customer="c1", channel="email"),
                   inbound("Z", "2024-04-25 10:00", customer="c9"))
    analysis = analyse(SupportLog(messages=messages), Settings(hours="always"), "UTC")
    march = period_figures(analysis, parse_period("2024-03", "UTC"))["channel_movement"]
    # The first contact of March is A (chat); February's phone contact is not March's first.
    assert (march["customers_multi"], march["switchers"]) == (1, 1)
    assert (march["forced_migration_base"], march["forced_migration"]) == (1, 1)
    february = period_figures(analysis, parse_period("2024-02", "UTC"))["channel_movement"]
    # One contact in February, followed by a chat contact in March: a forced migration.
    assert (february["customers_multi"], february["forced_migration"]) == (0, 1)
    assert february["switch_share"] is None


# Public channels ---------------------------------------------------------------------------------

def test_public_channels_default_table_and_override():
    channels = pd.Series(["twitter", "email", "reclame_aqui", "chat"])
    assert is_public(channels).tolist() == [True, False, True, False]
    assert is_public(channels, {"chat"}).tolist() == [False, False, False, True]
    assert {"twitter", "reclame_aqui", "consumidor_gov"} <= PUBLIC_CHANNELS


def test_public_channels_setting_is_normalised_and_printed():
    settings = Settings(public_channels=["Live Chat", "E-mail"])
    assert settings.public_channels == ("chat", "email")
    assert settings.as_dict()["public_channels"] == ["chat", "email"]
    assert Settings().as_dict()["public_channels"] == []
    with pytest.raises(InputError, match="public-channels"):
        Settings(public_channels="twitter")


def test_report_public_channels_parameter_changes_the_public_private_split(tmp_path):
    from analytics.report.context import prepare

    path = write_csv(tmp_path / "log.csv",
                     inbound("A", "2024-03-04 10:00", channel="twitter"),
                     agent("A", "2024-03-04 10:10", channel="twitter"),
                     inbound("B", "2024-03-05 10:00", customer="c2", channel="chat"),
                     agent("B", "2024-03-05 10:01", customer="c2", channel="chat"))
    default = prepare(source="messages", input_path=str(path), period="2024-03", tz="UTC")
    assert default.public_private_stats["contacts"].to_dict() == {"public": 1, "private": 1}
    assert default.public_channels == PUBLIC_CHANNELS
    chosen = prepare(source="messages", input_path=str(path), period="2024-03", tz="UTC",
                     public_channels=["chat", "twitter"])
    stats = chosen.public_private_stats
    assert stats.loc["public", "contacts"] == 2 and stats.loc["private", "contacts"] == 0
    assert chosen.parameters["public_channels"] == ["chat", "twitter"]
    assert chosen.channel_stats["public"].all()


# The complaint's own attributes (consumidor.gov.br) ------------------------------------------

def _complaints():
    """Six complaints with purchase channel, evaluation, score and response time."""
    contacts = pd.DataFrame({
        "conversation_id": [f"k{i}" for i in range(6)],
        "proactive": False,
        "answered": [True, True, True, False, True, True],
        "first_response_s": [86400.0, 3 * 86400.0, 5 * 86400.0, np.nan, 0.0, 2 * 86400.0],
    })
    attributes = pd.DataFrame({
        "purchase_channel": ["Internet", "Internet", "Internet", "Telefone", "Telefone", None],
        "consumer_evaluation": ["Resolvida", "Não Resolvida", "Não Avaliada", "Resolvida",
                                "Resolvida", "Não Avaliada"],
        "score": pd.array([5, 1, pd.NA, 4, pd.NA, pd.NA], dtype="Int64"),
        "contacted_company_before": [True, True, False, True, False, True],
        "segment": ["Telecom", "Telecom", "Bancos", "Telecom", "Bancos", "Varejo"],
        "company": ["Oi", "Vivo", "Itaú", "Oi", "Itaú", "Extra"],
    }, index=pd.Index([f"k{i}" for i in range(6)], name="conversation_id"))
    return contacts, attributes


def test_purchase_channel_outcome_rating_and_response_with_their_bases():
    contacts, attributes = _complaints()
    table = purchase_channel_stats(contacts, attributes).set_index("purchase_channel")
    assert list(table.index) == ["Internet", "Telefone", ""]
    internet = table.loc["Internet"]
    assert (internet["complaints"], internet["evaluated"], internet["rated"],
            internet["answered"]) == (3, 2, 2, 3)
    assert internet["confirmed_resolution"] == 0.5
    assert (internet["mean_score"], internet["median_score"]) == (3.0, 3.0)
    assert internet["median_response_s"] == 3 * 86400.0
    phone = table.loc["Telefone"]
    assert phone["confirmed_resolution"] == 1.0 and phone["rated"] == 1
    assert phone["median_response_s"] == 0.0  # answered the same day: 0, and the unanswered
    assert phone["answered"] == 1              # one is left out, not counted as 0
    unknown = table.loc[""]
    assert np.isnan(unknown["confirmed_resolution"]) and np.isnan(unknown["mean_score"])
    assert table["share"].sum() == pytest.approx(1.0)


def test_purchase_channel_needs_the_attributes():
    contacts, attributes = _complaints()
    assert purchase_channel_stats(contacts, None) is None
    assert purchase_channel_stats(contacts, attributes.drop(columns="score")) is None


def test_contacted_before_share_by_segment_and_top_companies():
    contacts, attributes = _complaints()
    segments = contacted_before_stats(contacts, attributes, by="segment")
    assert segments.values.tolist() == [["Telecom", 3, 3, 1.0], ["Bancos", 2, 0, 0.0],
                                        ["Varejo", 1, 1, 1.0]]
    companies = contacted_before_stats(contacts, attributes, by="company", top=2)
    assert companies[["group", "complaints", "contacted_before"]].values.tolist() == [
        ["Itaú", 2, 0], ["Oi", 2, 2]]
    assert contacted_before_share(contacts, attributes) == (4, 6, pytest.approx(4 / 6))


def test_contacted_before_needs_the_attribute():
    contacts, attributes = _complaints()
    assert contacted_before_stats(contacts, None) is None
    assert contacted_before_stats(contacts, attributes.drop(columns="segment")) is None
    assert contacted_before_share(contacts, attributes.drop(
        columns="contacted_company_before")) is None


def test_proactive_conversations_are_not_complaints():
    contacts, attributes = _complaints()
    contacts.loc[0, "proactive"] = True
    table = purchase_channel_stats(contacts, attributes).set_index("purchase_channel")
    assert table.loc["Internet", "complaints"] == 2


# Properties ---------------------------------------------------------------------------------------

_CONTACT = st.tuples(st.sampled_from(["c1", "c2", "c3", None]),
                     st.sampled_from(["chat", "email", "phone"]),
                     st.integers(min_value=0, max_value=20 * 24))


@settings(max_examples=60, deadline=None)
@given(st.lists(_CONTACT, max_size=20), st.randoms())
def test_channel_movement_matches_a_plain_sort_and_ignores_row_order(rows, rng):
    facts = pd.DataFrame({
        "conversation_id": [f"k{i:03d}" for i in range(len(rows))],
        "customer_id": pd.Series([r[0] for r in rows], dtype="str"),
        "channel": [r[1] for r in rows],
        "start": pd.Timestamp("2024-03-01", tz="UTC") + pd.to_timedelta(
            [r[2] for r in rows], unit="h"),
        "proactive": False})
    flagged = repeat_contacts(facts, window_days=7, as_of=pd.Timestamp("2024-03-25", tz="UTC"))
    pairs = first_and_next(flagged).set_index("customer_id").sort_index()
    # Reference: plain pandas, sorted by customer, start, conversation id.
    known = flagged[flagged["customer_id"].notna()].sort_values(
        ["customer_id", "start", "conversation_id"])
    multi = known.groupby("customer_id").size()
    multi = multi[multi >= 2].index
    assert sorted(pairs.index) == sorted(multi)
    for customer in multi:
        mine = known[known["customer_id"] == customer]
        assert pairs.loc[customer, "first_channel"] == mine["channel"].iloc[0]
        assert pairs.loc[customer, "next_channel"] == mine["channel"].iloc[1]
    summary = channel_movement_summary(flagged)
    order = list(range(len(flagged)))
    rng.shuffle(order)
    assert channel_movement_summary(flagged.iloc[order]) == summary
    if summary["customers_multi"] is not None:
        assert 0 <= summary["switchers"] <= summary["customers_multi"]
        assert 0 <= summary["forced_migration"] <= summary["forced_migration_base"]


def test_identity_coverage_per_channel(contacts):
    table = channels.identity_coverage(contacts)
    assert table.set_index("channel")["coverage"].to_dict() == {
        "email": 1.0, "chat": 1.0, "phone": 0.0, "whatsapp": 1.0}
