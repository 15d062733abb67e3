"""The generated world as the log's frames (analytics/synthetic/frames.py): ids numbered in
time order, nothing after the period's end, codes written as the log's values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.synthetic.conversations import World
from analytics.synthetic.demand import Calendar, seconds
from analytics.synthetic.frames import _agent_ids, _customer_ids, _timestamps, frames
from analytics.synthetic.parameters import (
    A_AGENT,
    A_CUSTOMER,
    E_RESOLVED,
    ENTREGA,
    HOW,
    K_AGENT_FIRST,
    K_OPEN,
    PHONE,
    PROB,
    SENHA,
    WA,
)
from analytics.synthetic.texts import OPENING_BANK

TZ = "America/Sao_Paulo"


def test_ids_and_times():
    assert _customer_ids(np.array([-1, 0, 41])).tolist() == [None, "c-00001", "c-00042"]
    assert _agent_ids(np.array([-1, 0, 3, 25])).tolist() == [None, "bot", "ag-03", "ag-25"]
    stamps = _timestamps(np.array([0, 3600]), TZ)
    assert stamps.tolist() == [pd.Timestamp("1969-12-31 21:00", tz=TZ),
                               pd.Timestamp("1969-12-31 22:00", tz=TZ)]


@pytest.fixture
def two_conversations():
    """Conversation 0 (known customer, WhatsApp, how-to, pt) starts after conversation 1
    (unknown person, phone, problem, en); conversation 0 also has a reply after the end."""
    start, end = pd.Timestamp("2026-10-05", tz=TZ), pd.Timestamp("2026-10-06", tz=TZ)
    world = World(np.random.default_rng(0), Calendar(start, end, TZ), 3)
    t_late, t_early = seconds(start) + 10 * 3600, seconds(start) + 9 * 3600
    lang, intent, topic = np.array([0, 1]), np.array([HOW, PROB]), np.array([SENHA, ENTREGA])
    tmpl = OPENING_BANK.index((lang * 3 + intent) * 8 + topic, world.rng)
    conv = world._frame(np.array([0, -1]), np.array([WA, PHONE]), np.array([t_late, t_early]),
                        intent, topic, tmpl, lang)
    world.add_conversations(conv)
    key = np.array([0, 1])
    world._add_messages(key, np.array([t_late, t_early]), K_OPEN, A_CUSTOMER, -1)
    world._add_messages(key, np.array([t_late + 60, seconds(end) + 1]), K_AGENT_FIRST, A_AGENT,
                        np.array([4, 5]))
    world._add_events(key, np.array([t_late + 120, t_early + 120]), E_RESOLVED, np.array([4, 5]),
                      np.array([True, True]))
    sessions = pd.DataFrame({"cust": [0, 2], "t": [t_early - 60, seconds(end) + 5],
                             "source": [0, 1], "topic": [SENHA, ENTREGA]})
    return frames(world, sessions)


def test_conversations_and_messages_are_numbered_in_time_order(two_conversations):
    messages, events, _ = two_conversations
    assert messages["message_id"].tolist() == ["m-0000001", "m-0000002", "m-0000003"]
    assert messages["conversation_id"].tolist() == ["cv-000001", "cv-000002", "cv-000002"]
    assert messages["customer_id"].fillna("-").tolist() == ["-", "c-00001", "c-00001"]
    assert messages["channel"].tolist() == ["phone", "whatsapp", "whatsapp"]
    assert messages["direction"].tolist() == ["inbound", "inbound", "outbound"]
    assert messages["author_type"].tolist() == ["customer", "customer", "agent"]
    assert messages["agent_id"].fillna("-").tolist() == ["-", "-", "ag-04"]
    assert messages["lang"].tolist() == ["en", "pt", "pt"]
    assert messages["true_intent"].tolist() == ["problem", "how_to", "how_to"]
    assert messages["true_topic"].tolist() == ["entrega", "senha", "senha"]
    assert messages["sent_at"].tolist() == [pd.Timestamp("2026-10-05 09:00", tz=TZ),
                                            pd.Timestamp("2026-10-05 10:00", tz=TZ),
                                            pd.Timestamp("2026-10-05 10:01", tz=TZ)]
    assert messages["text"].str.len().gt(0).all()
    assert events["conversation_id"].tolist() == ["cv-000001", "cv-000002"]
    assert events["event"].tolist() == ["resolved", "resolved"]
    assert events["agent_id"].tolist() == ["ag-05", "ag-04"]


def test_nothing_after_the_end_is_kept(two_conversations):
    messages, _, self_service = two_conversations
    # The phone reply one second after the end is cut, like an export made at the end.
    assert len(messages) == 3
    assert self_service["session_id"].tolist() == ["ss-000001"]
    assert self_service["customer_id"].tolist() == ["c-00001"]
    assert self_service["topic"].tolist() == ["senha"]
