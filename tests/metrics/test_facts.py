"""Conversation facts and reply waits on tiny hand-built logs, plus property tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import agent, bot, events, inbound, log, raw, system, t
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.calendar import BusinessCalendar
from analytics.load.schema import SupportLog, validate_messages
from analytics.metrics.facts import conversation_facts, facts_and_waits, reply_waits
from analytics.metrics.response import first_response_summary, still_waiting_curve
from analytics.metrics.summary import Settings, analyse, build_summary
from analytics.period import parse_period

MIN = 60.0
HOUR = 3600.0


def facts_of(messages, evts=None, **kw) -> pd.DataFrame:
    return conversation_facts(messages, evts, **kw).set_index("conversation_id")


# --- first response ------------------------------------------------------------------------


def test_bot_and_system_messages_do_not_stop_the_clock():
    facts = facts_of(log(
        inbound("A", "2024-03-04 10:00"),
        bot("A", "2024-03-04 10:01"),
        system("A", "2024-03-04 10:02"),
        agent("A", "2024-03-04 10:30", agent_id="ana"),
    ))
    row = facts.loc["A"]
    assert row["answered"]
    assert row["first_response_s"] == 30 * MIN
    assert row["first_response_at"] == t("2024-03-04 10:30")
    assert row["first_responder"] == "ana"


def test_conversation_answered_only_by_a_bot_is_unanswered():
    facts = facts_of(log(inbound("A", "2024-03-04 10:00"), bot("A", "2024-03-04 10:01")))
    assert not facts.loc["A", "answered"]
    assert np.isnan(facts.loc["A", "first_response_s"])
    assert facts.loc["A", "unanswered_age_s"] == MIN  # as_of = latest message


def test_frt_from_first_customer_message_and_reply_waits_from_oldest_unanswered():
    messages = log(
        inbound("A", "2024-03-04 10:00"),
        inbound("A", "2024-03-04 10:05"),
        inbound("A", "2024-03-04 10:10"),
        agent("A", "2024-03-04 10:20"),
        inbound("A", "2024-03-04 11:00"),
        bot("A", "2024-03-04 11:10"),
        inbound("A", "2024-03-04 11:30"),
        agent("A", "2024-03-04 12:00", agent_id="bea"),
        agent("A", "2024-03-04 12:05"),      # a second reply opens no wait
    )
    facts = facts_of(messages)
    assert facts.loc["A", "first_response_s"] == 20 * MIN
    assert facts.loc["A", "customer_messages_to_first_response"] == 3
    assert facts.loc["A", "customer_messages"] == 5
    assert facts.loc["A", "agent_replies"] == 3
    waits = reply_waits(messages)
    assert waits["wait_index"].tolist() == [0, 1]
    assert waits["opened_at"].tolist() == [t("2024-03-04 10:00"), t("2024-03-04 11:00")]
    assert waits["wait_s"].tolist() == [20 * MIN, 60 * MIN]   # 12:00 - 11:00, not - 11:30
    assert waits["customer_messages"].tolist() == [3, 2]
    assert waits["agent_id"].tolist() == ["ag1", "bea"]
    assert waits["answered"].all()


def test_open_wait_at_the_cut_off_is_unanswered_with_its_age():
    messages = log(inbound("A", "2024-03-04 10:00"), agent("A", "2024-03-04 10:10"),
                   inbound("A", "2024-03-04 11:00"), inbound("A", "2024-03-04 11:20"))
    waits = reply_waits(messages, as_of=t("2024-03-04 12:00"))
    assert waits["answered"].tolist() == [True, False]
    assert np.isnan(waits["wait_s"].iloc[1])
    assert waits["age_s"].iloc[1] == 60 * MIN


def test_unanswered_conversation_has_age_as_of_minus_start_never_zero_frt():
    messages = log(inbound("A", "2024-03-04 10:00"), inbound("A", "2024-03-04 10:30"),
                   inbound("B", "2024-03-04 11:00"), agent("B", "2024-03-04 11:15"))
    facts = facts_of(messages, as_of=t("2024-03-04 13:00"))
    assert not facts.loc["A", "answered"]
    assert np.isnan(facts.loc["A", "first_response_s"])
    assert facts.loc["A", "unanswered_age_s"] == 3 * HOUR
    assert facts.loc["A", "customer_messages_to_first_response"] == 2
    assert np.isnan(facts.loc["B", "unanswered_age_s"])
    summary = first_response_summary(facts.reset_index(), sla_s=HOUR)
    assert (summary["n"], summary["unanswered"]) == (1, 1)
    assert summary["median_s"] == 15 * MIN
    assert summary["oldest_unanswered_s"] == 3 * HOUR
    curve = still_waiting_curve(facts.reset_index())
    # B answered at 15 min (S = 1/2); A censored at 3 h (S stays 1/2).
    assert curve["time_s"].tolist() == [0.0, 15 * MIN, 3 * HOUR]
    assert curve["still_waiting"].tolist() == [1.0, 0.5, 0.5]


def test_default_cut_off_is_the_latest_timestamp():
    facts = facts_of(log(inbound("A", "2024-03-04 10:00"), inbound("B", "2024-03-04 12:30")))
    assert facts.loc["A", "unanswered_age_s"] == 2.5 * HOUR
    assert facts.loc["B", "unanswered_age_s"] == 0.0


def test_messages_after_as_of_are_ignored():
    messages = log(inbound("A", "2024-03-04 10:00"), agent("A", "2024-03-04 12:00"),
                   inbound("B", "2024-03-04 11:30"))
    facts = facts_of(messages, as_of=t("2024-03-04 11:00"))
    assert list(facts.index) == ["A"]
    assert not facts.loc["A", "answered"]
    assert facts.loc["A", "unanswered_age_s"] == HOUR
    assert facts.loc["A", "last_message_at"] == t("2024-03-04 10:00")
    assert reply_waits(messages, as_of=t("2024-03-04 11:00"))["age_s"].tolist() == [HOUR]


def test_same_timestamp_inbound_and_outbound_is_answered_in_zero_days():
    # Day-granularity source: opened and answered the same day, both at 12:00 local; the answer
    # row comes first in the file.
    messages = log(agent("A", "2024-03-04T12:00:00-03:00"),
                   inbound("A", "2024-03-04T12:00:00-03:00"),
                   inbound("B", "2024-03-05T12:00:00-03:00"),
                   agent("B", "2024-03-07T12:00:00-03:00"))
    facts = facts_of(messages)
    assert facts.loc["A", "answered"] and not facts.loc["A", "proactive"]
    assert facts.loc["A", "first_response_s"] == 0.0
    assert facts.loc["B", "first_response_s"] == 2 * 86400


# --- proactive conversations ---------------------------------------------------------------


def test_conversation_without_inbound_is_proactive_and_left_out_of_response_metrics():
    messages = log(agent("P", "2024-03-04 09:00"), bot("P", "2024-03-04 09:01"),
                   inbound("A", "2024-03-04 10:00"), agent("A", "2024-03-04 10:06"))
    facts = facts_of(messages)
    assert facts.loc["P", "proactive"] and pd.isna(facts.loc["P", "start"])
    assert not facts.loc["A", "proactive"]
    summary = first_response_summary(facts.reset_index())
    assert (summary["n"], summary["unanswered"], summary["median_s"]) == (1, 0, 6 * MIN)
    assert reply_waits(messages)["conversation_id"].tolist() == ["A"]


def test_bot_greeting_before_the_customer_types_does_not_make_it_proactive():
    facts = facts_of(log(bot("A", "2024-03-04 09:58"), inbound("A", "2024-03-04 10:00"),
                         agent("A", "2024-03-04 10:05")))
    assert not facts.loc["A", "proactive"]
    assert facts.loc["A", "start"] == t("2024-03-04 10:00")
    assert facts.loc["A", "first_response_s"] == 5 * MIN


def test_company_started_thread_is_proactive_even_behind_a_bot_greeting():
    # docs/metrics.md: a thread whose first (non-bot) message is a human agent's is proactive.
    plain = [agent("A", "2024-03-04 09:00"), inbound("A", "2024-03-04 10:00"),
             agent("A", "2024-03-04 10:05")]
    assert facts_of(log(*plain)).loc["A", "proactive"]
    assert facts_of(log(bot("A", "2024-03-04 08:59"), *plain)).loc["A", "proactive"]


def test_customer_and_channel_are_those_of_the_first_inbound_message():
    facts = facts_of(log(bot("A", "2024-03-04 09:00", customer="x", channel="whatsapp"),
                         inbound("A", "2024-03-04 10:00", customer="c7", channel="email"),
                         inbound("A", "2024-03-04 10:01", customer="c8", channel="chat")))
    assert (facts.loc["A", "customer_id"], facts.loc["A", "channel"]) == ("c7", "email")


# --- resolution ----------------------------------------------------------------------------


def test_resolution_first_and_full_and_reopen_by_inbound_message():
    messages = log(inbound("A", "2024-03-04 10:00"), agent("A", "2024-03-04 10:10"),
                   inbound("A", "2024-03-04 11:00"), agent("A", "2024-03-04 11:30"),
                   inbound("B", "2024-03-04 10:00"), agent("B", "2024-03-04 10:20"))
    evts = events(messages, ("A", "resolved", "2024-03-04 10:30"),
                  ("A", "resolved", "2024-03-04 12:00"), ("B", "resolved", "2024-03-04 10:40"))
    facts = facts_of(messages, evts)
    assert facts.loc["A", "resolution_first_s"] == 30 * MIN
    assert facts.loc["A", "resolution_full_s"] == 2 * HOUR
    assert facts.loc["A", "reopened"]
    assert facts.loc["B", "resolution_first_s"] == facts.loc["B", "resolution_full_s"] == 40 * MIN
    assert not facts.loc["B", "reopened"]
    assert facts["resolved"].tolist() == [True, True]


def test_reopen_by_event_after_the_resolve_only():
    messages = log(inbound("A", "2024-03-04 10:00"), agent("A", "2024-03-04 10:10"),
                   inbound("B", "2024-03-04 10:00"), agent("B", "2024-03-04 10:10"),
                   inbound("C", "2024-03-04 10:00"))
    evts = events(messages, ("A", "resolved", "2024-03-04 10:30"),
                  ("A", "reopened", "2024-03-04 11:00"),
                  ("B", "reopened", "2024-03-04 10:20"),   # before its resolve: not a reopen
                  ("B", "resolved", "2024-03-04 10:30"))
    facts = facts_of(messages, evts)
    assert facts["reopened"].tolist() == [True, False, False]
    assert facts["resolved"].tolist() == [True, True, False]
    assert np.isnan(facts.loc["C", "resolution_first_s"])


def test_resolve_and_reopen_events_after_as_of_are_ignored():
    messages = log(inbound("A", "2024-03-04 10:00"), agent("A", "2024-03-04 10:10"),
                   inbound("B", "2024-03-04 10:00"), agent("B", "2024-03-04 10:10"))
    evts = events(messages, ("A", "resolved", "2024-03-04 12:00"),
                  ("B", "resolved", "2024-03-04 10:30"), ("B", "reopened", "2024-03-04 11:30"))
    facts = facts_of(messages, evts, as_of=t("2024-03-04 11:00"))
    assert facts["resolved"].tolist() == [False, True]
    assert np.isnan(facts.loc["A", "resolution_first_s"])
    assert facts.loc["B", "resolution_first_s"] == 30 * MIN
    assert not facts.loc["B", "reopened"]


@pytest.mark.parametrize("with_events", ["none", "empty", "transfer only"])
def test_no_resolve_events_at_all_means_resolution_is_missing_not_zero(with_events):
    messages = log(inbound("A", "2024-03-04 10:00"), agent("A", "2024-03-04 10:10"),
                   inbound("A", "2024-03-04 11:00"))
    evts = {"none": None, "empty": events(messages),
            "transfer only": events(messages, ("A", "transfer", "2024-03-04 10:05"))}[with_events]
    facts = facts_of(messages, evts)
    assert pd.isna(facts.loc["A", "resolved"]) and pd.isna(facts.loc["A", "reopened"])
    assert np.isnan(facts.loc["A", "resolution_first_s"])
    assert np.isnan(facts.loc["A", "resolution_full_s"])
    assert facts.loc["A", "transfers"] == (1 if with_events == "transfer only" else 0)


# --- business hours ------------------------------------------------------------------------


def frt(messages, calendar, **kw):
    facts = facts_of(messages, calendar=calendar, **kw)
    return facts.loc["A", "first_response_s"], facts.loc["A", "first_response_business_s"]


def test_business_hours_skip_the_weekend():
    cal = BusinessCalendar(tz="UTC", hours="mon-fri 09:00-18:00")
    messages = log(inbound("A", "2024-03-08 17:00"), agent("A", "2024-03-11 10:00"))  # Fri -> Mon
    assert frt(messages, cal) == (65 * HOUR, 2 * HOUR)


def test_unanswered_business_age_counts_working_seconds_only():
    cal = BusinessCalendar(tz="UTC", hours="mon-fri 09:00-18:00")
    facts = facts_of(log(inbound("A", "2024-03-08 17:00")), calendar=cal,
                     as_of=t("2024-03-11 10:00"))
    assert facts.loc["A", "unanswered_age_s"] == 65 * HOUR
    assert facts.loc["A", "unanswered_business_age_s"] == 2 * HOUR
    assert np.isnan(facts.loc["A", "first_response_business_s"])


def test_business_hours_skip_the_lunch_break():
    cal = BusinessCalendar(tz="UTC", hours="mon-fri 08:00-12:00,13:00-18:00")
    messages = log(inbound("A", "2024-03-04 11:30"), agent("A", "2024-03-04 13:30"))
    assert frt(messages, cal) == (2 * HOUR, HOUR)


def test_business_hours_skip_a_national_holiday():
    # 2024-05-01 (Wednesday) is Worker's Day in Brazil; Sao Paulo is UTC-3 all year in 2024.
    hours = "mon-fri 09:00-18:00"
    messages = log(inbound("A", "2024-04-30T17:00:00-03:00"), agent("A", "2024-05-02T10:00:00-03:00"))
    holiday = BusinessCalendar(tz="America/Sao_Paulo", hours=hours, country="BR")
    plain = BusinessCalendar(tz="America/Sao_Paulo", hours=hours)
    assert frt(messages, holiday) == (41 * HOUR, 2 * HOUR)
    assert frt(messages, plain) == (41 * HOUR, 11 * HOUR)


def test_business_hours_across_the_new_york_dst_change():
    # Clocks jump from 02:00 EST to 03:00 EDT on Sunday 2024-03-10.
    cal = BusinessCalendar(tz="America/New_York", hours="mon-fri 09:00-18:00")
    messages = log(inbound("A", "2024-03-08T17:00:00-05:00"), agent("A", "2024-03-11T10:00:00-04:00"))
    assert frt(messages, cal) == (64 * HOUR, 2 * HOUR)  # 09:00 EDT on Monday is 13:00 UTC
    always = BusinessCalendar(tz="America/New_York", hours="always")
    messages = log(inbound("A", "2024-03-09T23:00:00-05:00"), agent("A", "2024-03-10T04:00:00-04:00"))
    assert frt(messages, always) == (4 * HOUR, 4 * HOUR)  # 5 wall-clock hours, 4 real ones


# --- periods -------------------------------------------------------------------------------


def test_conversation_crossing_the_period_end_counts_in_its_start_period_with_its_frt():
    messages = log(inbound("A", "2024-03-31 23:00"), agent("A", "2024-04-01 01:00"),
                   inbound("B", "2024-04-02 10:00"), agent("B", "2024-04-02 10:05"))
    analysis = analyse(SupportLog(messages=messages), Settings(hours="always"), "UTC")
    march = build_summary(analysis, parse_period("2024-03", "UTC"))
    assert march["contacts"] == 1
    assert march["first_response"]["n"] == 1 and march["first_response"]["unanswered"] == 0
    assert march["first_response"]["median_s"] == 2 * HOUR
    assert march["reply_time"]["n"] == 1
    april = build_summary(analysis, parse_period("2024-04", "UTC"))
    assert april["contacts"] == 1 and april["first_response"]["median_s"] == 5 * MIN
    assert april["previous"]["contacts"] == 1  # March, seen from April


def test_period_bounds_are_read_in_the_report_time_zone():
    # 2024-03-31 23:00 UTC is 20:00 in Sao Paulo (March) but 2024-04-01 in Tokyo.
    messages = log(inbound("A", "2024-03-31 23:00"), agent("A", "2024-04-01 01:00"))
    for tz, month in (("America/Sao_Paulo", "2024-03"), ("Asia/Tokyo", "2024-04")):
        analysis = analyse(SupportLog(messages=messages), Settings(hours="always"), tz)
        assert build_summary(analysis, parse_period(month, tz))["contacts"] == 1


# --- properties ----------------------------------------------------------------------------

BASE = pd.Timestamp("2024-03-07 00:00", tz="UTC")   # a Thursday: weekends inside the range
NY = BusinessCalendar(tz="America/New_York", hours="mon-fri 09:00-12:00,13:00-18:00")
KINDS = ("inbound", "inbound", "agent", "bot", "system", "inbound system")


def _row(conv, channel, kind, minute):
    at = (BASE + pd.Timedelta(minutes=minute)).isoformat()
    customer = f"cust-{conv}" if conv != "C2" else ""
    if kind.startswith("inbound"):
        return inbound(conv, at, customer=customer, channel=channel,
                       author="system" if kind == "inbound system" else "customer")
    # The agent id follows the time, so equal-time replies need no input order to be told apart.
    return {"agent": agent, "bot": bot, "system": system}[kind](
        conv, at, customer=customer, channel=channel,
        **({"agent_id": f"ag{minute % 3}"} if kind == "agent" else {}))


minutes = st.one_of(st.integers(0, 40), st.integers(0, 6 * 24 * 60))


@st.composite
def message_rows(draw):
    rows = []
    for c in range(draw(st.integers(1, 4))):
        channel = draw(st.sampled_from(["chat", "email"]))
        for _ in range(draw(st.integers(1, 6))):
            rows.append(_row(f"C{c}", channel, draw(st.sampled_from(KINDS)), draw(minutes)))
    return rows


PROPERTY = settings(max_examples=100, deadline=None)


def by_id(facts):
    return facts.sort_values("conversation_id").reset_index(drop=True)


@PROPERTY
@given(rows=message_rows(), data=st.data())
def test_shuffling_the_input_rows_changes_no_fact(rows, data):
    shuffled = data.draw(st.permutations(rows))
    before, waits_before = facts_and_waits(validate_messages(raw(*rows)), calendar=NY)
    after, waits_after = facts_and_waits(validate_messages(raw(*shuffled)), calendar=NY)
    pd.testing.assert_frame_equal(by_id(before), by_id(after))
    keys = ["conversation_id", "wait_index"]
    pd.testing.assert_frame_equal(waits_before.sort_values(keys).reset_index(drop=True),
                                  waits_after.sort_values(keys).reset_index(drop=True))


@PROPERTY
@given(rows=message_rows(), conv=st.integers(0, 3), minute=minutes,
       kind=st.sampled_from(["bot", "system"]))
def test_adding_a_bot_or_system_message_anywhere_changes_no_first_response(rows, conv, minute,
                                                                          kind):
    convs = sorted({r["conversation_id"] for r in rows})
    target = convs[conv % len(convs)]
    channel = next(r["channel"] for r in rows if r["conversation_id"] == target)
    extra = _row(target, channel, kind, minute)
    as_of = BASE + pd.Timedelta(days=7)
    before = by_id(conversation_facts(validate_messages(raw(*rows)), as_of=as_of))
    after = by_id(conversation_facts(validate_messages(raw(*rows, extra)), as_of=as_of))
    columns = ["conversation_id", "proactive", "start", "answered", "first_response_at",
               "first_response_s", "unanswered_age_s"]
    pd.testing.assert_frame_equal(before[columns], after[columns])
    assert first_response_summary(before) == first_response_summary(after)


@PROPERTY
@given(rows=message_rows(), business=st.booleans())
def test_frt_is_never_negative_business_frt_at_most_calendar_frt_and_km_curve_non_increasing(
        rows, business):
    facts, waits = facts_and_waits(validate_messages(raw(*rows)), calendar=NY)
    contacts = facts[~facts["proactive"]]
    answered = contacts[contacts["answered"]]
    assert answered["first_response_s"].notna().all()
    assert (answered["first_response_s"] >= 0).all()
    assert (answered["first_response_business_s"] >= 0).all()
    assert (answered["first_response_business_s"] <= answered["first_response_s"] + 1e-6).all()
    waiting = contacts[~contacts["answered"]]
    assert waiting["first_response_s"].isna().all()
    assert (waiting["unanswered_age_s"] >= 0).all()
    assert (waiting["unanswered_business_age_s"] <= waiting["unanswered_age_s"] + 1e-6).all()
    done = waits[waits["answered"]]
    assert (done["wait_s"] >= 0).all()
    assert (done["business_s"] <= done["wait_s"] + 1e-6).all()

    curve = still_waiting_curve(facts, business=business)
    share = curve["still_waiting"].to_numpy()
    assert share[0] == 1.0
    assert ((share >= 0) & (share <= 1)).all()
    assert (np.diff(share) <= 1e-12).all()
    assert (np.diff(curve["time_s"].to_numpy()) >= 0).all()
    assert curve["answered"].sum() == len(answered)
