"""Repeat contacts: the window edge, look-ahead, unknown customers, periods and channels; the
gap curve and the contacts per customer."""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest
from helpers import REPEAT_AS_OF, ROOT, agent, bot, events, inbound, log, repeat_flags, t
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.errors import InputError
from analytics.load.schema import SupportLog
from analytics.metrics import repeats
from analytics.metrics.facts import conversation_facts
from analytics.metrics.repeats import (
    ALL,
    REPEAT_COLUMNS,
    contact_topics,
    contacts_per_customer,
    frequent_contacters_summary,
    next_contact_values,
    one_touch_summary,
    repeat_contacts,
    repeat_summary,
    repeat_trend,
    same_topic_flags,
)
from analytics.metrics.summary import Settings, analyse, period_figures
from analytics.period import parse_period
from analytics.report import tables

AS_OF = REPEAT_AS_OF


def flags(*rows, window_days=7, as_of=AS_OF):
    contacts = repeat_flags(*rows, window_days=window_days, as_of=as_of)
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
    facts = pd.DataFrame({
        "conversation_id": ["a", "b"], "customer_id": pd.Series([None, None], dtype="str"),
        "channel": ["email", "email"], "proactive": [False, False],
        "start": pd.to_datetime(["2024-01-01", "2024-01-02"], utc=True)})
    flags = repeat_contacts(facts, window_days=7, as_of=pd.Timestamp("2024-03-01", tz="UTC"))
    summary = repeat_summary(flags, window_days=7)
    assert summary["eligible"] == 2 and summary["repeated"] == 0
    assert summary["rate"] is None and summary["fcr"] is None
    assert summary["identity_coverage"] == 0.0


# First-contact resolution, one-touch, frequent contacters, same-topic repeats ---------------

def _figures(messages, period="2024-03", evts=None, attributes=None, **settings_kw):
    support = SupportLog(messages=messages, conversation_attributes=attributes,
                         **({"events": evts} if evts is not None else {}))
    analysis = analyse(support, Settings(hours="always", **settings_kw), "UTC")
    return period_figures(analysis, parse_period(period, "UTC"))


def test_fcr_is_one_minus_the_repeat_rate_on_the_same_basis():
    messages = log(inbound("A", "2024-03-01 10:00", customer="c1"),
                   inbound("B", "2024-03-02 10:00", customer="c1"),
                   inbound("C", "2024-03-03 10:00", customer="c2"),
                   inbound("D", "2024-03-30 10:00", customer="c3"))
    repeat = _figures(messages)["repeat_contacts"]
    # D's window runs past the data: excluded from both the rate and FCR.
    assert (repeat["eligible"], repeat["repeated"], repeat["excluded_no_lookahead"]) == (3, 1, 1)
    assert repeat["rate"] == pytest.approx(1 / 3) and repeat["fcr"] == pytest.approx(2 / 3)


def test_one_touch_counts_resolved_contacts_with_exactly_one_agent_reply_and_no_reopen():
    messages = log(
        inbound("A", "2024-03-01 10:00", customer="c1"), agent("A", "2024-03-01 10:05"),
        inbound("B", "2024-03-01 11:00", customer="c2"), agent("B", "2024-03-01 11:05"),
        agent("B", "2024-03-01 11:10"),
        inbound("C", "2024-03-01 12:00", customer="c3"), agent("C", "2024-03-01 12:05"),
        inbound("D", "2024-03-01 13:00", customer="c4"), bot("D", "2024-03-01 13:01"),
        inbound("E", "2024-03-01 14:00", customer="c5"), agent("E", "2024-03-01 14:05"),
        inbound("F", "2024-03-20 14:00", customer="c6"))
    evts = events(messages, ("A", "resolved", "2024-03-01 10:06"),
                  ("B", "resolved", "2024-03-01 11:11"),
                  ("C", "resolved", "2024-03-01 12:06"), ("C", "reopened", "2024-03-02 09:00"),
                  ("D", "resolved", "2024-03-01 13:02"))
    one = _figures(messages, evts=evts)["one_touch"]
    # A: one reply, resolved -> one-touch. B: two replies. C: reopened. D: resolved by the bot
    # (no agent reply: out of the base). E: not resolved. F: not answered.
    assert one == {"available": True, "resolved": 4, "replied": 3, "count": 1,
                   "rate": pytest.approx(1 / 3)}


def test_one_touch_is_not_available_without_resolve_events():
    messages = log(inbound("A", "2024-03-01 10:00"), agent("A", "2024-03-01 10:05"))
    assert _figures(messages)["one_touch"] == {"available": False, "resolved": None,
                                               "replied": None, "count": None, "rate": None}
    assert one_touch_summary(pd.DataFrame(), available=False)["rate"] is None


def test_one_touch_rate_is_none_when_no_resolved_contact_had_an_agent_reply():
    facts = pd.DataFrame({"resolved": pd.array([True, pd.NA], dtype="boolean"),
                          "agent_replies": [0, 1],
                          "reopened": pd.array([False, pd.NA], dtype="boolean")})
    assert one_touch_summary(facts, available=True) == {
        "available": True, "resolved": 1, "replied": 0, "count": 0, "rate": None}


def test_frequent_contacters_with_k_as_a_parameter_share_of_customers_and_of_contacts():
    rows = [inbound(f"a{i}", f"2024-03-0{i + 1} 10:00", customer="c1") for i in range(3)]
    rows += [inbound(f"b{i}", f"2024-03-0{i + 1} 11:00", customer="c2") for i in range(2)]
    rows += [inbound("u", "2024-03-01 12:00", customer=""), inbound("d", "2024-03-05 12:00",
                                                                     customer="c3")]
    messages = log(*rows)
    assert _figures(messages)["frequent_contacters"] == {
        "k": 3, "customers": 1, "share_customers": pytest.approx(1 / 3), "contacts": 3,
        "share_contacts": pytest.approx(3 / 7)}
    two = _figures(messages, frequent_k=2)["frequent_contacters"]
    assert (two["k"], two["customers"], two["contacts"]) == (2, 2, 5)
    assert two["share_contacts"] == pytest.approx(5 / 7)


def test_frequent_contacters_are_unknown_not_zero_without_customer_ids():
    facts = pd.DataFrame({"customer_id": pd.Series([None, None], dtype="str")})
    assert frequent_contacters_summary(facts, k=3) == {
        "k": 3, "customers": None, "share_customers": None, "contacts": None,
        "share_contacts": None}


@pytest.mark.parametrize("k", [1, 0, 2.5, "3", True])
def test_frequent_k_must_be_a_whole_number_of_two_or_more(k):
    with pytest.raises(InputError, match="frequent-k"):
        Settings(frequent_k=k)


def test_cross_channel_share_is_cross_channel_repeats_over_repeats():
    messages = log(inbound("A", "2024-03-01 10:00", customer="c1", channel="chat"),
                   inbound("B", "2024-03-02 10:00", customer="c1", channel="email"),
                   inbound("C", "2024-03-01 10:00", customer="c2", channel="chat"),
                   inbound("D", "2024-03-03 10:00", customer="c2", channel="chat"),
                   inbound("E", "2024-03-25 10:00", customer="c9"))
    repeat = _figures(messages)["repeat_contacts"]
    assert (repeat["repeated"], repeat["cross_channel"]) == (2, 1)
    assert repeat["cross_channel_share"] == 0.5


def test_cross_channel_share_is_none_without_repeats_or_without_identity():
    messages = log(inbound("A", "2024-03-01 10:00", customer="c1"),
                   inbound("E", "2024-03-25 10:00", customer="c9"))
    assert _figures(messages)["repeat_contacts"]["cross_channel_share"] is None
    anonymous = log(inbound("A", "2024-03-01 10:00", customer=""),
                    inbound("B", "2024-03-25 10:00", customer=""))
    assert _figures(anonymous)["repeat_contacts"]["cross_channel_share"] is None


def _topics(**topics):
    return pd.DataFrame({"topic": pd.Series(topics, dtype="str")}).rename_axis(
        "conversation_id")


def test_same_topic_repeats_need_a_known_topic_on_both_contacts():
    messages = log(inbound("A", "2024-03-01 10:00", customer="c1"),
                   inbound("B", "2024-03-02 10:00", customer="c1"),   # same topic as A
                   inbound("C", "2024-03-03 10:00", customer="c1"),   # another topic
                   inbound("D", "2024-03-01 10:00", customer="c2"),
                   inbound("E", "2024-03-02 10:00", customer="c2"),   # topic unknown
                   inbound("F", "2024-03-30 10:00", customer="c3"),   # window incomplete
                   inbound("G", "2024-04-20 10:00", customer="c4"))
    attributes = _topics(A="billing", B="billing", C="delivery", D="billing", F="x", G="x")
    repeat = _figures(messages, attributes=attributes)["repeat_contacts"]
    # Repeats: A (-> B, same), B (-> C, other), D (-> E, unknown topic).
    assert repeat["repeated"] == 3
    assert (repeat["same_topic_repeats"], repeat["topic_known_repeats"]) == (1, 2)


def test_a_same_topic_repeat_can_fall_in_the_next_period():
    messages = log(inbound("A", "2024-03-30 10:00", customer="c1"),
                   inbound("B", "2024-04-02 10:00", customer="c1"),
                   inbound("C", "2024-04-20 10:00", customer="c2"))
    repeat = _figures(messages, attributes=_topics(A="billing", B="billing", C="x"))[
        "repeat_contacts"]
    assert (repeat["repeated"], repeat["same_topic_repeats"], repeat["topic_known_repeats"]) \
        == (1, 1, 1)


def test_same_topic_repeats_are_none_when_the_source_records_no_topic():
    messages = log(inbound("A", "2024-03-01 10:00"), inbound("B", "2024-03-02 10:00"),
                   inbound("C", "2024-03-25 10:00", customer="c9"))
    repeat = _figures(messages)["repeat_contacts"]
    assert repeat["repeated"] == 1
    assert repeat["same_topic_repeats"] is None and repeat["topic_known_repeats"] is None
    assert contact_topics(None) is None
    assert contact_topics(pd.DataFrame({"company": ["x"]}, index=["a"])) is None


def test_the_topic_is_the_sources_category_first_topic_then_problem():
    attributes = pd.DataFrame({"problem": ["Cobrança indevida", "Produto danificado"]},
                              index=pd.Index(["a", "b"], name="conversation_id"))
    assert contact_topics(attributes).to_dict() == {"a": "Cobrança indevida",
                                                    "b": "Produto danificado"}
    attributes["topic"] = ["billing", "delivery"]
    assert contact_topics(attributes).tolist() == ["billing", "delivery"]


def test_same_topic_flags_accept_a_classifiers_topics_and_keep_unknowns_missing():
    facts = flags(inbound("A", "2024-03-01 10:00"), inbound("B", "2024-03-02 10:00"),
                  inbound("C", "2024-03-03 10:00"), inbound("D", "2024-03-20 10:00"))
    facts = facts.reset_index()
    topics = pd.Series({"A": "billing", "B": "billing", "D": "billing"}, name="intent")
    out = same_topic_flags(facts, topics)
    # B is repeated by C, whose topic is unknown: unknown, not False. C and D are not repeated.
    assert out["same_topic"].astype("object").fillna("?").tolist() == [True, "?", False, False]
    assert out["next_topic"].isna().tolist() == [False, True, False, True]


def test_next_contact_values_follow_the_same_order_as_the_repeat_flags():
    contacts = flags(inbound("C", "2024-03-20 10:00"), inbound("A", "2024-03-01 10:00"),
                     inbound("B", "2024-03-01 10:00"), inbound("D", "2024-03-02 10:00",
                                                                 customer="c2"),
                     inbound("E", "2024-03-02 10:00", customer="")).reset_index()
    starts = contacts.set_index("conversation_id")["start"]
    following = next_contact_values(contacts, starts)
    assert following.equals(contacts["next_start"].rename("next_start"))


# Trend ------------------------------------------------------------------------------------------

def _trend_contacts():
    messages = log(
        inbound("p1", "2024-02-26 10:00", customer="c1"),   # previous period, week of 26 Feb
        inbound("p2", "2024-02-27 10:00", customer="c1"),
        inbound("a1", "2024-03-01 02:00", customer="c2"),   # 29 Feb 23:00 in Sao Paulo
        inbound("a2", "2024-03-01 12:00", customer="c3"),   # Friday 1 March: first bucket
        inbound("a3", "2024-03-02 12:00", customer="c3", channel="email"),
        inbound("b1", "2024-03-04 12:00", customer="c4"),   # Monday: next week
        inbound("z1", "2024-03-30 12:00", customer="c5"))   # window incomplete
    facts = conversation_facts(messages, as_of=t("2024-03-31 00:00"))
    return repeat_contacts(facts, window_days=7, as_of=t("2024-03-31 00:00"))


def test_repeat_trend_by_local_week_with_the_first_week_starting_on_the_periods_first_day():
    period = parse_period("2024-03", "America/Sao_Paulo")
    trend = repeat_trend(_trend_contacts(), period=period)
    overall = trend[trend["group"] == ALL].set_index(["period", "bucket_start"])
    march = overall.loc["current"]
    assert [d.strftime("%m-%d") for d in march.index] == ["03-01", "03-04", "03-11", "03-18",
                                                          "03-25"]
    assert march.loc[pd.Timestamp("2024-03-01"), ["contacts", "eligible", "repeated"]].tolist() \
        == [2, 2, 1]
    assert march.loc[pd.Timestamp("2024-03-01"), "rate"] == 0.5
    assert march.loc[pd.Timestamp("2024-03-25"), ["contacts", "eligible"]].tolist() == [1, 0]
    assert np.isnan(march.loc[pd.Timestamp("2024-03-11"), "rate"])  # nothing to judge
    february = overall.loc["previous"]
    assert february.index[0] == pd.Timestamp("2024-02-01")
    # a1 started on 29 Feb, local time: it belongs to February's last week.
    assert february.loc[pd.Timestamp("2024-02-26"), ["contacts", "repeated"]].tolist() == [3, 1]


def test_repeat_trend_per_channel_and_by_month_for_long_periods():
    period = parse_period("2024-01-01..2024-03-31", "America/Sao_Paulo")
    assert period.days > 90
    monthly = repeat_trend(_trend_contacts(), period=period, monthly=True)
    current = monthly[(monthly["period"] == "current") & (monthly["group"] == ALL)]
    assert [d.strftime("%m-%d") for d in current["bucket_start"]] == ["01-01", "02-01", "03-01"]
    chat = monthly[(monthly["group"] == "chat") & (monthly["period"] == "current")]
    assert chat["eligible"].sum() == 5 and chat["repeated"].sum() == 2
    email = monthly[monthly["group"] == "email"]
    assert email["eligible"].sum() == 1 and email["repeated"].sum() == 0


def test_repeat_trend_rate_is_unknown_without_customer_ids():
    facts = pd.DataFrame({
        "conversation_id": ["a", "b"], "customer_id": pd.Series([None, None], dtype="str"),
        "channel": ["email", "email"], "proactive": [False, False],
        "start": pd.to_datetime(["2024-03-01 12:00", "2024-03-02 12:00"], utc=True)})
    contacts = repeat_contacts(facts, window_days=7, as_of=pd.Timestamp("2024-05-01", tz="UTC"))
    trend = repeat_trend(contacts, period=parse_period("2024-03", "UTC"))
    assert trend["eligible"].sum() == 4  # all channels + email
    assert trend["rate"].isna().all()


# The twcs sample: customers who start more than one thread ---------------------------------

TWCS = ROOT / "data" / "twcs" / "twcs_head5000.csv.gz"


def test_twcs_customers_who_start_more_than_one_thread_are_found():
    from analytics.load.sources.twcs import load_twcs

    # Expectation from the raw CSV with plain pandas: thread starters are inbound tweets
    # that reply to nothing (the dataset README's definition), grouped by author.
    with gzip.open(TWCS, "rt", encoding="utf-8") as handle:
        raw_tweets = pd.read_csv(handle, dtype="str", keep_default_na=False)
    starters = raw_tweets[(raw_tweets["inbound"] == "True")
                          & (raw_tweets["in_response_to_tweet_id"] == "")]
    per_author = starters["author_id"].value_counts()
    expected = set(per_author[per_author > 1].index)
    assert len(expected) == 19  # cross-check: the README's figure

    twcs = load_twcs(TWCS)
    facts = conversation_facts(twcs.messages)
    contacts = repeat_contacts(facts, window_days=7, as_of=twcs.latest_timestamp)
    per_customer = contacts_per_customer(contacts)
    assert set(per_customer[per_customer > 1].index) == expected
    assert per_customer[per_customer > 1].to_dict() == per_author[per_author > 1].to_dict()
    # Each of them has a next contact; nobody else has one.
    has_next = contacts.loc[contacts["next_start"].notna(), "customer_id"]
    assert set(has_next) == expected


# Properties -------------------------------------------------------------------------------------

_CONTACT = st.tuples(st.sampled_from(["c1", "c2", "c3", "c4", None]),
                     st.sampled_from(["chat", "email", "phone"]),
                     st.integers(min_value=0, max_value=40 * 24))  # hours after 1 March


def _contacts_frame(rows):
    return pd.DataFrame({
        "conversation_id": [f"k{i:03d}" for i in range(len(rows))],
        "customer_id": pd.Series([r[0] for r in rows], dtype="str"),
        "channel": [r[1] for r in rows],
        "start": pd.Timestamp("2024-03-01", tz="UTC") + pd.to_timedelta(
            [r[2] for r in rows], unit="h"),
        "proactive": False})


_AS_OF = pd.Timestamp("2024-04-15", tz="UTC")
_COLUMNS = list(REPEAT_COLUMNS)


@settings(max_examples=60, deadline=None)
@given(st.lists(_CONTACT, max_size=25), st.sampled_from([1.0, 7.0, 30.0]), st.randoms())
def test_repeat_flags_properties(rows, window, rng):
    facts = _contacts_frame(rows)
    flagged = repeat_contacts(facts, window_days=window, as_of=_AS_OF)
    summary = repeat_summary(flagged, window_days=window)
    assert 0 <= summary["cross_channel"] <= summary["repeated"] <= summary["eligible"]
    assert summary["rate"] is None or 0 <= summary["rate"] <= 1
    # A repeat needs a known customer and a gap within the window.
    repeated = flagged[flagged["repeated"]]
    assert repeated["customer_id"].notna().all()
    assert (repeated["days_to_next"].between(0, window)).all()
    # Row order does not matter.
    order = list(range(len(facts)))
    rng.shuffle(order)
    shuffled = repeat_contacts(facts.iloc[order], window_days=window, as_of=_AS_OF)
    pd.testing.assert_frame_equal(shuffled.loc[flagged.index, _COLUMNS], flagged[_COLUMNS])
    # Splitting the log by customer gives the same flags.
    parts = [repeat_contacts(part, window_days=window, as_of=_AS_OF)
             for _, part in facts.groupby(facts["customer_id"].fillna("?"), sort=False)]
    if parts:
        joined = pd.concat(parts).loc[flagged.index]
        pd.testing.assert_frame_equal(joined[_COLUMNS], flagged[_COLUMNS])


@settings(max_examples=40, deadline=None)
@given(st.lists(_CONTACT, max_size=25), st.integers(min_value=2, max_value=5))
def test_frequent_contacters_and_one_touch_properties(rows, k):
    facts = _contacts_frame(rows)
    figures = frequent_contacters_summary(facts, k=k)
    if figures["customers"] is not None:
        assert 0 <= figures["share_customers"] <= 1 and 0 <= figures["share_contacts"] <= 1
        assert figures["contacts"] >= k * figures["customers"]
    facts["resolved"] = [i % 2 == 0 for i in range(len(facts))]
    facts["agent_replies"] = [i % 3 for i in range(len(facts))]
    facts["reopened"] = [i % 5 == 0 for i in range(len(facts))]
    one = one_touch_summary(facts, available=True)
    assert one["count"] <= one["replied"] <= one["resolved"] <= len(facts)
    assert one["rate"] is None or 0 <= one["rate"] <= 1


def test_repeat_gap_curve_counts_next_contacts_within_d_days(contacts):
    curve = repeats.repeat_gap_curve(contacts, window_days=7, points=29)
    at = dict(zip(curve["days"].round(6), curve["share"], strict=True))
    assert at[0.0] == 0.0
    assert at[1.0] == pytest.approx(1 / 5)  # 5 contacts with a customer id, one back in 1 h
    assert at[4.0] == pytest.approx(2 / 5)


def test_repeat_gap_only_counts_contacts_observed_for_d_days(contacts):
    as_of = pd.Timestamp("2024-11-09 10:00", tz="UTC")
    curve = repeats.repeat_gap_curve(contacts, window_days=7, as_of=as_of, points=29)
    assert curve["share"].iloc[-1] != curve["share"].iloc[-1]  # NaN: nobody observed 28 days


def test_contacts_per_customer_bins_and_frequent_contacters(contacts):
    table = repeats.contacts_per_customer_distribution(contacts)
    assert table["customers"].tolist() == [2, 0, 1, 0, 0, 0, 0]
    frequent = repeats.frequent_contacters(contacts, k=3)
    assert frequent["contacts"].tolist() == [3]
    assert frequent["channels"].iloc[0] == ["email", "chat"]
    assert "customer_id" not in tables.frequent_contacters_table(contacts, k=3).columns


def test_contacts_per_customer_bins_start_a_bar_at_k():
    assert [label for _, _, label in repeats._cpc_bins(3)] == ["1", "2", "3", "4", "5", "6–9",
                                                             "10+"]
    assert [label for _, _, label in repeats._cpc_bins(7)] == ["1", "2", "3", "4", "5", "6",
                                                             "7–9", "10+"]
    assert [label for _, _, label in repeats._cpc_bins(12)][-3:] == ["6–9", "10–11", "12+"]


def test_repeat_flags_need_datetime_starts():
    from analytics.metrics.repeats import repeat_flags as flags

    facts = pd.DataFrame({"conversation_id": ["a"], "customer_id": ["c"], "channel": ["chat"],
                          "start": [3], "proactive": [False]})
    with pytest.raises(TypeError, match="datetimes"):
        flags(facts, window_days=7, as_of=pd.Timestamp("2024-01-01", tz="UTC"))
