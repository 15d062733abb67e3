"""Repeat contacts: the window edge, look-ahead, unknown customers, periods and channels."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import agent, inbound, log, t

from analytics.facts import conversation_facts
from analytics.io import SupportLog
from analytics.period import parse_period
from analytics.repeats import contacts_per_customer, repeat_contacts, repeat_summary
from analytics.summary import Settings, analyse, period_figures

AS_OF = t("2024-03-31 00:00")


def flags(*rows, window_days=7, as_of=AS_OF):
    facts = conversation_facts(log(*rows), as_of=as_of)
    contacts = repeat_contacts(facts, window_days=window_days, as_of=as_of)
    return contacts.set_index("conversation_id").sort_index()


def test_next_contact_exactly_w_days_later_is_a_repeat_one_second_more_is_not():
    contacts = flags(
        inbound("A", "2024-03-01 10:00", customer="c1"),
        inbound("B", "2024-03-08 10:00", customer="c1"),
        inbound("C", "2024-03-01 10:00", customer="c2"),
        inbound("D", "2024-03-08 10:00:01", customer="c2"),
    )
    assert contacts.loc["A", "repeated"] and contacts.loc["A", "days_to_next"] == 7.0
    assert not contacts.loc["C", "repeated"]
    assert contacts.loc["C", "next_start"] == t("2024-03-08 10:00:01")
    assert not contacts.loc["B", "repeated"] and not contacts.loc["D", "repeated"]


def test_window_is_a_parameter():
    rows = (inbound("A", "2024-03-01 10:00"), inbound("B", "2024-03-03 10:00"))
    assert flags(*rows, window_days=2).loc["A", "repeated"]
    assert not flags(*rows, window_days=1.5).loc["A", "repeated"]


def test_contacts_without_full_lookahead_are_excluded_from_the_rate():
    as_of = t("2024-03-10 10:00")
    contacts = flags(
        inbound("A", "2024-03-01 10:00", customer="c1"),   # window ends 03-08: observed
        inbound("B", "2024-03-03 10:00", customer="c1"),   # window ends 03-10 10:00 = as_of
        inbound("C", "2024-03-05 10:00", customer="c2"),   # window ends 03-12: not observed
        inbound("D", "2024-03-06 10:00", customer="c2"),
        as_of=as_of)
    assert contacts["lookahead_complete"].tolist() == [True, True, False, False]
    summary = repeat_summary(contacts, window_days=7)
    assert summary == {"window_days": 7, "eligible": 2, "repeated": 1, "rate": 0.5, "fcr": 0.5,
                       "excluded_no_lookahead": 2, "cross_channel": 0, "identity_coverage": 1.0}


def test_contacts_after_as_of_cannot_make_a_repeat():
    contacts = flags(inbound("A", "2024-03-01 10:00"), inbound("B", "2024-03-05 10:00"),
                     as_of=t("2024-03-04 00:00"))
    assert list(contacts.index) == ["A"]
    assert not contacts.loc["A", "repeated"]


def test_unknown_customers_stay_in_the_denominator_but_never_repeat():
    contacts = flags(
        inbound("A", "2024-03-01 10:00", customer=""),
        inbound("B", "2024-03-01 11:00", customer=""),
        inbound("C", "2024-03-01 12:00", customer="c1"),
        inbound("D", "2024-03-02 12:00", customer="c1"),
    )
    assert contacts["repeated"].tolist() == [False, False, True, False]
    assert contacts.loc[["A", "B"], "next_start"].isna().all()
    summary = repeat_summary(contacts, window_days=7)
    assert (summary["eligible"], summary["repeated"]) == (4, 1)
    assert summary["rate"] == 0.25 and summary["identity_coverage"] == 0.5
    assert contacts_per_customer(contacts).to_dict() == {"c1": 2}


def test_cross_channel_repeat_is_a_repeat_on_another_channel():
    contacts = flags(
        inbound("A", "2024-03-01 10:00", customer="c1", channel="chat"),
        inbound("B", "2024-03-02 10:00", customer="c1", channel="E-mail"),
        inbound("C", "2024-03-01 10:00", customer="c2", channel="chat"),
        inbound("D", "2024-03-04 10:00", customer="c2", channel="chat"),
        inbound("E", "2024-03-01 10:00", customer="c3", channel="phone"),
        inbound("F", "2024-03-20 10:00", customer="c3", channel="chat"),
    )
    assert contacts["repeated"].tolist() == [True, False, True, False, False, False]
    assert contacts["cross_channel"].tolist() == [True, False, False, False, False, False]
    assert contacts.loc["A", "next_channel"] == "email"
    summary = repeat_summary(contacts, window_days=7)
    assert (summary["repeated"], summary["cross_channel"]) == (2, 1)
    assert summary["rate"] == pytest.approx(2 / 6)


def test_next_contact_is_the_customers_nearest_later_start():
    contacts = flags(inbound("C", "2024-03-20 10:00"), inbound("A", "2024-03-01 10:00"),
                     inbound("B", "2024-03-05 10:00"))
    assert contacts.loc["A", "next_start"] == t("2024-03-05 10:00")
    assert contacts.loc["A", "days_to_next"] == 4.0
    assert contacts["repeated"].to_dict() == {"A": True, "B": False, "C": False}


def test_proactive_conversations_are_not_contacts():
    contacts = flags(inbound("A", "2024-03-01 10:00"), agent("P", "2024-03-02 10:00"))
    assert list(contacts.index) == ["A"]
    assert not contacts.loc["A", "repeated"]


def test_customer_whose_contacts_span_two_periods():
    messages = log(inbound("A", "2024-03-30 10:00", customer="c1"),
                   inbound("B", "2024-04-02 10:00", customer="c1"),
                   inbound("C", "2024-04-20 10:00", customer="c2"))
    analysis = analyse(SupportLog(messages=messages), Settings(hours="always"), "UTC")
    march = period_figures(analysis, parse_period("2024-03", "UTC"))["repeat_contacts"]
    april = period_figures(analysis, parse_period("2024-04", "UTC"))["repeat_contacts"]
    # March: A is repeated by B (next month; the look-ahead reads past the period).
    assert (march["eligible"], march["repeated"], march["rate"]) == (1, 1, 1.0)
    # April: B has a full window (04-09 <= as_of 04-20) and no later contact; C has none.
    assert (april["eligible"], april["repeated"], april["rate"]) == (1, 0, 0.0)
    assert april["excluded_no_lookahead"] == 1
    assert np.isclose(april["fcr"], 1.0)


def test_rate_is_unknown_not_zero_when_no_contact_has_a_customer_id():
    import pandas as pd

    from analytics.repeats import repeat_contacts, repeat_summary

    facts = pd.DataFrame({
        "conversation_id": ["a", "b"], "customer_id": pd.Series([None, None], dtype="str"),
        "channel": ["email", "email"], "proactive": [False, False],
        "start": pd.to_datetime(["2024-01-01", "2024-01-02"], utc=True)})
    flags = repeat_contacts(facts, window_days=7, as_of=pd.Timestamp("2024-03-01", tz="UTC"))
    summary = repeat_summary(flags, window_days=7)
    assert summary["eligible"] == 2 and summary["repeated"] == 0
    assert summary["rate"] is None and summary["fcr"] is None
    assert summary["identity_coverage"] == 0.0
