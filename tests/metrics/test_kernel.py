"""The per-customer kernel (analytics/metrics/kernel.py): conversation facts with repeat flags
and reply waits in one call, on a hand-made log with exact answers.

c1 writes on chat on 1 March at 10:00 (answered 5 min later) and on e-mail on 3 March at
09:00 (answered after 30 min): 47 hours apart, a cross-channel repeat within 7 days. c2
writes once on 2 March at 12:00 and is never answered; an agent writes first on 4 March
(a proactive conversation, not a contact).
"""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import agent, inbound, log, t

from analytics.metrics.facts import facts_and_waits
from analytics.metrics.kernel import customer_facts
from analytics.metrics.repeats import REPEAT_COLUMNS, repeat_contacts

MESSAGES = (
    inbound("A", "2024-03-01 10:00", customer="c1"),
    agent("A", "2024-03-01 10:05", customer="c1"),
    inbound("B", "2024-03-03 09:00", customer="c1", channel="email"),
    agent("B", "2024-03-03 09:30", customer="c1", channel="email"),
    inbound("C", "2024-03-02 12:00", customer="c2"),
    agent("P", "2024-03-04 12:00", customer="c2"),
)
AS_OF = t("2024-03-31 00:00")


@pytest.fixture(scope="module")
def kernel():
    facts, waits = customer_facts(log(*MESSAGES), as_of=AS_OF)
    return facts.set_index("conversation_id"), waits.set_index("conversation_id")


def test_facts_carry_the_repeat_flags(kernel):
    facts, _ = kernel
    assert facts.loc[["A", "B"], "first_response_s"].tolist() == [300.0, 1800.0]
    assert pd.isna(facts.loc["C", "first_response_s"])
    assert facts["repeated"].to_dict() == {"A": True, "C": False, "B": False, "P": False}
    assert facts.loc["A", "cross_channel"] and facts.loc["A", "next_channel"] == "email"
    assert facts.loc["A", "days_to_next"] == pytest.approx(47 / 24)
    assert facts.loc[["A", "B", "C"], "lookahead_complete"].all()


def test_a_proactive_conversation_is_no_contact(kernel):
    facts, _ = kernel
    p = facts.loc["P"]
    assert p["proactive"] and not p["lookahead_complete"] and not p["repeated"]
    assert not p["cross_channel"] and pd.isna(p["next_start"])


def test_every_reply_wait_answered_or_still_open(kernel):
    _, waits = kernel
    assert waits["wait_s"].to_dict() == pytest.approx({"A": 300.0, "C": float("nan"),
                                                       "B": 1800.0}, nan_ok=True)
    assert waits.loc["C", "age_s"] == (AS_OF - t("2024-03-02 12:00")).total_seconds()  # 28.5 days
    assert waits["answered"].to_dict() == {"A": True, "C": False, "B": True}


def test_the_window_and_the_cut_off_are_the_kernel_s_parameters():
    facts, _ = customer_facts(log(*MESSAGES), as_of=AS_OF, window_days=1)
    assert not facts["repeated"].any()  # 47 hours is more than a 1-day window
    facts, _ = customer_facts(log(*MESSAGES), as_of=t("2024-03-05 00:00"))
    assert not facts["lookahead_complete"].any()  # nobody's 7 days are over on 5 March
    assert facts.set_index("conversation_id").loc["A", "repeated"]  # a repeat already seen


def test_it_is_the_facts_then_the_repeat_contacts():
    messages = log(*MESSAGES)
    facts, waits = customer_facts(messages, as_of=AS_OF)
    plain_facts, plain_waits = facts_and_waits(messages, as_of=AS_OF)
    flagged = repeat_contacts(plain_facts, window_days=7, as_of=AS_OF)
    key = ["conversation_id"]
    contacts = facts[~facts["proactive"]]  # repeat_contacts keeps contacts only
    pd.testing.assert_frame_equal(
        contacts.sort_values(key).reset_index(drop=True),
        flagged[facts.columns].sort_values(key).reset_index(drop=True))
    pd.testing.assert_frame_equal(waits.sort_values(key).reset_index(drop=True),
                                  plain_waits.sort_values(key).reset_index(drop=True))
    assert set(REPEAT_COLUMNS) <= set(facts.columns)
