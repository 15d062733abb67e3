"""Needs, contacts and their playing-out (analytics/synthetic/conversations.py), on a small
seeded world: what every conversation must hold, whatever the draws."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.synthetic.conversations import World
from analytics.synthetic.demand import Calendar
from analytics.synthetic.parameters import (
    A_CUSTOMER,
    K_OPEN,
    K_PROACTIVE,
    RESOLVED,
    UNANSWERED,
    UNRESOLVED,
)

TZ = "America/Sao_Paulo"


def _world():
    start, end = pd.Timestamp("2026-10-01", tz=TZ), pd.Timestamp("2026-10-29", tz=TZ)
    world = World(np.random.default_rng(3), Calendar(start, end, TZ), 120)
    sessions = world.background_sessions()
    first = world.first_contacts(sessions)
    world.add_conversations(first)
    outcome = world.play(first)
    world.first, world.outcome = first, outcome
    return world


@pytest.fixture(scope="module")
def world():
    return _world()


def _messages(world) -> pd.DataFrame:
    return pd.DataFrame({c: np.concatenate([m[c] for m in world.messages])
                         for c in ("key", "t", "kind", "author", "agent")})


def test_keys_run_on_across_batches():
    world = _world()
    assert world.first["key"].tolist() == list(range(len(world.first)))
    extra = world.unknown_contacts(5)
    world.add_conversations(extra)
    assert extra["key"].tolist() == list(range(len(world.first), len(world.first) + 5))
    assert (extra["cust"] == -1).all()
    world.play(extra)


def test_first_contacts_belong_to_contacting_customers_in_the_period(world):
    first, cal = world.first, world.cal
    assert first["cust"].between(0, world.customers - 1).all()
    assert first["t0"].between(cal.start, cal.end - 1).all()
    assert (first["gen"] == 0).all() and (first["prev_cls"] == 0).all()


def test_every_played_conversation_opens_once_with_the_customer_and_has_at_most_8_messages(
        world):
    m = _messages(world)
    m = m[m["key"].isin(world.first["key"])]
    opening = m[m["kind"] == K_OPEN]
    assert opening["key"].is_unique and set(opening["key"]) == set(world.first["key"])
    assert (opening["author"] == A_CUSTOMER).all()
    assert m.groupby("key").size().max() <= 8
    # Nothing before the opening message of its conversation.
    t0 = world.first.set_index("key")["t0"]
    assert (m["t"].to_numpy() >= t0.loc[m["key"]].to_numpy()).all()


def test_outcomes_drive_follow_ups(world):
    cls = world.outcome["cls"]
    assert set(np.unique(cls)) <= {UNANSWERED, UNRESOLVED, 3, RESOLVED}
    follow = world.follow_ups(world.first, world.outcome)
    assert follow is not None and len(follow) > 0
    assert (follow["gen"] == 1).all() and (follow["cust"] >= 0).all()
    assert follow["t0"].lt(world.cal.end).all()
    # An unanswered contact is followed up far more often than a resolved one (0.50 vs 0.03).
    by_class = pd.Series(follow["prev_cls"]).value_counts()
    assert by_class.get(UNANSWERED, 0) / max((cls == UNANSWERED).sum(), 1) > \
        by_class.get(RESOLVED, 0) / max((cls == RESOLVED).sum(), 1)


def test_proactive_conversations_have_no_intent_and_only_company_messages():
    world = _world()
    before = sum(len(m["key"]) for m in world.messages)
    conv = world.proactive(20)
    world.add_conversations(conv)
    assert conv["proactive"].all() and (conv["intent"] == -1).all()
    added = _messages(world).iloc[before:]
    assert (added["kind"] == K_PROACTIVE).all() and (added["author"] != A_CUSTOMER).all()
    assert set(added["key"]) == set(conv["key"])
