"""The demo company's calibration (analytics/synthetic/parameters.py) is consistent data: one
value per channel, mixes that are distributions, agents in exactly one team, sane hours."""

from __future__ import annotations

import numpy as np
import pytest

from analytics.synthetic import parameters as p


def test_one_value_per_channel():
    n = len(p.CHANNELS)
    for name, values in p.PER_CHANNEL.items():
        assert len(values) == n, name
    for values in (p.TARGET_SHARE, p.FIRST_SHARE, p.BOT_RATE, p.PRE, p.EXCHANGES, p.INTENT_MIX,
                   p.MIGRATION, p.PROFILE, p.CHANNEL_TEAM):
        assert len(values) == n
    assert p.CHANNELS[p.WA] == "whatsapp" and p.CHANNELS[p.RA] == "reclame_aqui"
    assert [p.CHANNELS[c] for c in p.SOCIAL] == ["instagram", "facebook", "twitter"]


def test_shares_and_mixes_are_distributions():
    assert p.TARGET_SHARE.sum() == pytest.approx(1.0)
    assert p.FIRST_SHARE.sum() == pytest.approx(1.0)
    assert np.allclose(p.INTENT_MIX.sum(axis=1), 1.0)
    assert np.allclose(p.TOPIC_MIX.sum(axis=1), 1.0)
    # Probabilities of 1 and 2 messages before an answer, of 1/2/3 exchanges: at most 1 in all.
    assert (p.PRE.sum(axis=1) <= 1).all() and (p.EXCHANGES.sum(axis=1) <= 1).all()
    for probabilities in (p.PER_CHANNEL["unans"], p.PER_CHANNEL["push"], p.PER_CHANNEL["resolve"],
                          p.BOT_RATE, p.FOLLOW_P):
        assert ((probabilities >= 0) & (probabilities <= 1)).all()


def test_every_agent_is_in_exactly_one_team_and_every_channel_has_one():
    codes = np.concatenate(list(p.TEAMS.values()))
    assert sorted(codes.tolist()) == list(range(1, p.N_AGENTS + 1))  # 0 is the bot
    for teams in p.CHANNEL_TEAM:
        assert set(teams.split("+")) <= set(p.TEAMS), teams


def test_demand_profiles_and_opening_hours():
    assert set(p.HOURLY) == set(p.WEEKLY) == set(p.HOLIDAY_FACTOR) == set(p.CLOSED_FACTOR)
    assert set(p.PROFILE) <= set(p.HOURLY)
    assert all(len(h) == 24 for h in p.HOURLY.values())
    assert all(len(w) == 7 for w in p.WEEKLY.values())
    assert all(0 <= o < c <= 24 for o, c in p.OPENING.values())
    assert 6 not in p.OPENING  # closed on Sunday


def test_codes_are_distinct():
    kinds = [getattr(p, n) for n in dir(p) if n.startswith("K_")]
    assert sorted(kinds) == list(range(16))
    assert set(p.INBOUND_KINDS) < set(kinds)
    assert p.AUTHOR_NAMES[[p.A_CUSTOMER, p.A_AGENT, p.A_BOT, p.A_SYSTEM]].tolist() == [
        "customer", "agent", "bot", "system"]
    assert p.EVENTS[[p.E_RESOLVED, p.E_REOPENED, p.E_HANDOFF, p.E_TRANSFER]].tolist() == [
        "resolved", "reopened", "handoff", "transfer"]
    assert len(p.FOLLOW_P) == p.RESOLVED + 1  # indexed by outcome class 1..4
