"""Channel movement per customer (analytics/metrics/channel_movement.py): first and next
channel, transitions, switching and forced migration within the window, on hand-made logs with
exact answers, and a property against a plain sort."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import REPEAT_AS_OF, inbound, log, repeat_flags
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.load.schema import SupportLog
from analytics.metrics.channel_movement import (
    channel_movement_summary,
    channel_transitions,
    first_and_next,
    forced_migration_pairs,
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
