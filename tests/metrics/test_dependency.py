"""Dependency indicators on hand-made contacts with hand-computed answers."""

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.errors import InputError
from analytics.metrics import dependency as dep
from analytics.text.intent_share import shipped_rates

T0 = pd.Timestamp("2024-03-01T12:00:00Z")


def _contacts(rows):
    """rows: (conversation_id, customer_id, channel, day offset, intent, agents, answered,
    customer_messages_to_first_response, transfers)."""
    frame = pd.DataFrame(rows, columns=["conversation_id", "customer_id", "channel", "day",
                                        "intent", "agents", "answered",
                                        "customer_messages_to_first_response", "transfers"])
    frame["start"] = T0 + pd.to_timedelta(frame.pop("day"), unit="D")
    frame["proactive"] = False
    frame["first_resolved_at"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns, UTC]")
    return frame


CONTACTS = _contacts([
    ("c1", "u1", "chat", 0, "how_to", 1, True, 1, 0),
    ("c2", "u1", "chat", 10, "how_to", 2, True, 3, 1),
    ("c3", "u2", "email", 1, "problem", 0, False, float("nan"), 0),
    ("c4", None, "phone", 2, "other", 1, True, 1, 0),
    ("c5", "u3", "phone", 3, None, 3, True, 2, 2),
])


def test_how_to_share_counts_only_contacts_with_text():
    figures = dep.how_to_share(CONTACTS)
    corrected = figures.pop("corrected")
    assert figures == {"with_text": 4, "how_to": 2, "problem": 1, "other": 1, "share": 0.5}
    # no language of the opening message: nothing to correct with
    assert corrected["correction"] == "uncorrected" and corrected["adjusted"] == 0.5


def test_how_to_share_is_corrected_per_language_of_the_opening_message():
    contacts = CONTACTS.assign(intent_lang=["en", "en", "pt", "pt", None])
    corrected = dep.how_to_share(contacts)["corrected"]
    rates = shipped_rates()
    en, pt = rates["en"], rates["pt"]
    tpr_en, fpr_en = en["tp"] / (en["tp"] + en["fn"]), en["fp"] / (en["fp"] + en["tn"])
    tpr_pt, fpr_pt = pt["tp"] / (pt["tp"] + pt["fn"]), pt["fp"] / (pt["fp"] + pt["tn"])
    # en: 2 contacts, both how_to (observed 1.0); pt: 2 contacts, none how_to (observed 0.0)
    want_en = min(1.0, (1.0 - fpr_en) / (tpr_en - fpr_en))
    want_pt = max(0.0, (0.0 - fpr_pt) / (tpr_pt - fpr_pt))
    assert corrected["by_lang"]["en"]["adjusted"] == pytest.approx(want_en)
    assert corrected["by_lang"]["pt"]["adjusted"] == pytest.approx(want_pt)
    assert corrected["adjusted"] == pytest.approx((want_en + want_pt) / 2)
    assert corrected["correction"] == "adjusted classify-and-count"


def test_how_to_share_is_none_without_text():
    none = CONTACTS.assign(intent=None)
    assert dep.how_to_share(none)["share"] is None


def test_how_to_by_channel_sorted_by_contacts_with_text():
    table = dep.how_to_by(CONTACTS, "channel")
    assert list(table.index) == ["chat", "email", "phone"]
    assert table.loc["chat", "share"] == 1.0 and table.loc["email", "share"] == 0.0
    assert table.loc["phone", "with_text"] == 1 and table.loc["phone", "share"] == 0.0


def test_contacts_per_active_customer_ignores_unknown_customers():
    assert dep.contacts_per_active_customer(CONTACTS) == {"customers": 3, "contacts": 4,
                                                          "per_customer": 4 / 3}


def test_repeat_how_to_window_edge_and_lookahead():
    contacts = _contacts([
        ("a1", "u1", "chat", 0, "how_to", 1, True, 1, 0),
        ("a2", "u1", "chat", 30, "how_to", 1, True, 1, 0),    # exactly 30 days: a repeat
        ("b1", "u2", "chat", 0, "how_to", 1, True, 1, 0),
        ("b2", "u2", "chat", 5, "problem", 1, True, 1, 0),    # not a how-to: no repeat
        ("b3", "u2", "chat", 31, "how_to", 1, True, 1, 0),    # 31 days after b1: too late
        ("c1", None, "chat", 0, "how_to", 1, True, 1, 0),     # unknown customer: left out
    ])
    as_of = T0 + pd.Timedelta(days=40)
    flags = dep.repeat_how_to(contacts, as_of=as_of).set_index("conversation_id")
    assert flags["repeated"].to_dict() == {"a1": True, "a2": False, "b1": False, "b3": False}
    assert flags["lookahead_complete"].to_dict() == {"a1": True, "a2": False, "b1": True,
                                                     "b3": False}
    summary = dep.repeat_how_to_summary(flags)
    assert summary == {"window_days": 30, "eligible": 2, "repeated": 1, "rate": 0.5,
                       "excluded_no_lookahead": 2}


def test_intermediaries_over_answered_contacts():
    figures = dep.intermediaries(CONTACTS, transfers_known=True)
    assert figures["answered"] == 4 and figures["multi_agent"] == 2
    assert figures["multi_agent_share"] == 0.5 and figures["median_agents"] == 1.5
    assert figures["transfers"] == 3 and figures["transferred_share"] == 2 / 5


def test_intermediaries_without_events_leave_transfers_unknown():
    figures = dep.intermediaries(CONTACTS, transfers_known=False)
    assert figures["transfers"] is None and figures["transferred_share"] is None


def test_messages_until_resolution_counts_inbound_up_to_the_first_resolve():
    contacts = CONTACTS.copy()
    contacts.loc[contacts["conversation_id"] == "c1", "first_resolved_at"] = \
        T0 + pd.Timedelta(hours=2)
    messages = pd.DataFrame({
        "conversation_id": ["c1", "c1", "c1", "c1", "c3"],
        "direction": ["inbound", "outbound", "inbound", "inbound", "inbound"],
        "sent_at": [T0, T0 + pd.Timedelta(hours=1), T0 + pd.Timedelta(hours=2),
                    T0 + pd.Timedelta(hours=3), T0],
    })
    counts = dep.messages_until_resolution(messages, contacts)
    assert counts["c1"] == 2  # the message after the resolve is a reopen, not effort
    assert counts.drop("c1").isna().all()


def test_customer_effort_on_answered_contacts():
    figures = dep.customer_effort(CONTACTS)
    # answered: c1 (1), c2 (3), c4 (1), c5 (2)
    assert figures["median_to_first_answer"] == 1.5 and figures["mean_to_first_answer"] == 1.75
    assert figures["one_message_share"] == 0.5
    assert figures["median_to_resolution"] is None


def test_self_service_score_unavailable_without_sessions():
    figures = dep.self_service_score(None, CONTACTS)
    assert figures["available"] is False and figures["score"] is None


def test_self_service_score_by_topic():
    sessions = pd.DataFrame({"source": ["faq", "faq", "app"],
                             "topic": ["boleto", "boleto", "senha"]})
    contacts = CONTACTS.assign(topic=["boleto", "senha", "senha", "entrega", "boleto"])
    figures = dep.self_service_score(sessions, contacts)
    assert figures["score"] == 3 / 5
    assert figures["by_source"] == {"faq": 2, "app": 1}
    assert figures["by_topic"]["boleto"] == {"sessions": 2, "contacts": 2, "score": 1.0}
    assert figures["by_topic"]["entrega"] == {"sessions": 0, "contacts": 1, "score": 0.0}


def test_avoidable_cost_uses_the_channel_cost_minus_self_service():
    costs = dep.parse_cost_table({"chat": 5.0, "default": 9.0, "self_service": 1.0,
                                  "currency": "BRL"})
    figures = dep.avoidable_cost(CONTACTS, costs)
    assert figures["currency"] == "BRL" and figures["how_to"] == 2
    assert figures["by_channel"] == {"chat": {"how_to": 2, "unit": 4.0, "total": 8.0}}
    assert figures["total"] == 8.0 and figures["per_how_to"] == 4.0


def test_avoidable_cost_is_unknown_without_text():
    figures = dep.avoidable_cost(CONTACTS.assign(intent=None), dep.parse_cost_table(None))
    assert figures["total"] is None


@pytest.mark.parametrize("table", [{"phone": -1}, {"phone": "cheap"}, [1, 2], {"chat": True}])
def test_a_bad_cost_table_is_a_clear_error(table):
    with pytest.raises(InputError, match="cost_table"):
        dep.parse_cost_table(table)


def test_independence_index_is_the_mean_of_the_available_components():
    figures = {"how_to": {"share": 0.4}, "repeat_how_to": {"rate": None},
               "intermediaries": {"multi_agent_share": 0.2},
               "effort": {"one_message_share": 0.7},
               "self_service": {"available": True, "sessions": 100, "contacts": 300}}
    index = dep.independence_index(figures)
    assert index["components"] == {"not_how_to": 0.6, "learned": None, "single_agent": 0.8,
                                   "one_message": 0.7, "self_served": 0.25}
    assert index["available"] == 4
    assert math.isclose(index["value"], 100 * (0.6 + 0.8 + 0.7 + 0.25) / 4)


def test_independence_index_is_none_when_nothing_is_known():
    figures = {"how_to": {"share": None}, "repeat_how_to": {"rate": None},
               "intermediaries": {"multi_agent_share": None},
               "effort": {"one_message_share": None},
               "self_service": {"available": False, "sessions": None, "contacts": 0}}
    assert dep.independence_index(figures)["value"] is None


@settings(deadline=None, max_examples=60)  # pandas per example; timing varies on shared CI
@given(st.lists(st.tuples(st.sampled_from(["u1", "u2", "u3"]), st.integers(0, 90),
                          st.sampled_from(["how_to", "problem", None])), max_size=30))
def test_repeat_how_to_invariants(rows):
    contacts = _contacts([(f"c{i}", u, "chat", d, intent, 1, True, 1, 0)
                          for i, (u, d, intent) in enumerate(rows)])
    as_of = T0 + pd.Timedelta(days=60)
    flags = dep.repeat_how_to(contacts, as_of=as_of)
    summary = dep.repeat_how_to_summary(flags)
    assert summary["repeated"] <= summary["eligible"] == int(flags["lookahead_complete"].sum())
    assert len(flags) == sum(1 for _, _, intent in rows if intent == "how_to")
    # order of the input rows never changes a flag
    shuffled = dep.repeat_how_to(contacts.iloc[::-1], as_of=as_of)
    assert shuffled.set_index("conversation_id")["repeated"].sort_index().equals(
        flags.set_index("conversation_id")["repeated"].sort_index())


def test_agents_that_name_the_company_leave_intermediaries_unknown():
    figures = dep.intermediaries(CONTACTS, transfers_known=False, agents_known=False)
    assert figures["multi_agent_share"] is None and figures["median_agents"] is None
    assert figures["answered"] is None and figures["multi_agent"] is None


def test_milestone_sources_leave_customer_effort_unknown():
    figures = dep.customer_effort(CONTACTS, messages_known=False)
    assert set(figures.values()) == {None}


def test_a_cost_table_is_read_from_inline_json_or_a_toml_file(tmp_path):
    inline = dep.read_cost_table('{"phone": 9.5, "currency": "BRL"}')
    assert inline["phone"] == 9.5 and inline["currency"] == "BRL"
    assert inline["default"] == dep.DEFAULT_COSTS["default"]  # missing keys take the defaults
    path = tmp_path / "costs.toml"
    path.write_text('phone = 9.5\ncurrency = "BRL"\n', encoding="utf-8")
    assert dep.read_cost_table(str(path)) == inline


@pytest.mark.parametrize(("text", "message"), [("{phone: 9}", "not a readable table"),
                                               ("missing.toml", "file not found"),
                                               ('{"phone": -1}', "not a non-negative number")])
def test_an_unreadable_cost_table_is_a_clear_error(text, message):
    with pytest.raises(InputError, match=message):
        dep.read_cost_table(text)
