"""The compiled passes over conversation order: hand-computed cases and a property test
against a plain per-row reading of the definitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.metrics.passes import (
    NAT,
    conversation_counts,
    conversation_starts,
    customer_order,
    seconds,
    wait_blocks,
)

IN, AGENT, BOT = "in", "agent", "bot"


def ordered(*conversations):
    """Arrays of the ordered rows: ``bounds``, ``is_in``, ``is_agent``, ``t``."""
    kinds = [kind for rows in conversations for kind, _ in rows]
    t = np.array([at for rows in conversations for _, at in rows], dtype=np.int64)
    bounds = np.concatenate(([0], np.cumsum([len(rows) for rows in conversations])))
    return (bounds.astype(np.int64), np.array([k == IN for k in kinds], dtype=bool),
            np.array([k == AGENT for k in kinds], dtype=bool), t)


def test_starts_skip_bots_and_mark_company_started_conversations():
    bounds, is_in, is_agent, t = ordered(
        [(BOT, 1), (IN, 5), (AGENT, 9)],      # a bot greeting does not start it
        [(AGENT, 2), (IN, 4)],                # the company started it: proactive
        [(AGENT, 3), (BOT, 6)],               # no inbound message at all
    )
    first_in, start = conversation_starts(bounds, is_in, is_agent, t)
    assert first_in.tolist() == [1, 4, -1]
    assert start.tolist() == [5, NAT, NAT]


def test_counts_count_replies_and_agents_from_the_start_only():
    bounds, is_in, is_agent, t = ordered(
        [(AGENT, 1), (IN, 5), (AGENT, 9), (IN, 12), (AGENT, 20), (AGENT, 21), (AGENT, 22)],
        [(AGENT, 2), (IN, 4), (AGENT, 7)],
    )
    start = np.array([5, NAT], dtype=np.int64)
    # Agents per ordered row (-1: none); the log's rows are the ordered rows reversed.
    agent = np.array([3, -1, 0, -1, 1, -1, 0, 2, -1, 2], dtype=np.int8)
    rows = np.arange(len(agent))[::-1].copy()
    customer, replies, agents, last = conversation_counts(bounds, is_in, is_agent, t, start,
                                                          rows, agent[rows])
    assert customer.tolist() == [2, 1]
    assert replies.tolist() == [4, 0]  # the first agent message came before the start
    assert agents.tolist() == [2, 0]   # agents 0 and 1 (0 came back; 3 was before the start)
    assert last.tolist() == [22, 7]


def test_waits_open_at_the_oldest_unanswered_message_and_close_at_an_agent():
    bounds, is_in, is_agent, t = ordered(
        [(IN, 10), (IN, 15), (BOT, 16), (AGENT, 30), (AGENT, 31), (IN, 40)],
        [(AGENT, 5)],
    )
    conv, index, last, answered, opened, closed, inbound = wait_blocks(
        bounds, is_in, is_agent, t)
    assert conv.tolist() == [0, 0]
    assert index.tolist() == [0, 1]
    assert last.tolist() == [3, 5]
    assert answered.tolist() == [True, False]
    assert opened.tolist() == [10, 40]
    assert closed.tolist() == [30, NAT]
    assert inbound.tolist() == [2, 1]


def test_empty_log():
    bounds = np.zeros(1, dtype=np.int64)
    empty_bool, empty_int = np.zeros(0, dtype=bool), np.zeros(0, dtype=np.int64)
    assert all(len(a) == 0 for a in wait_blocks(bounds, empty_bool, empty_bool, empty_int))
    assert all(len(a) == 0 for a in conversation_starts(bounds, empty_bool, empty_bool,
                                                        empty_int))


def reference_waits(conversations):
    """Each wait by the definition, row by row."""
    waits = []
    for k, rows in enumerate(conversations):
        pending, index = [], 0
        for position, (kind, at) in enumerate(rows):
            if kind == IN:
                pending.append(at)
            if kind == AGENT or position == len(rows) - 1:
                if pending:
                    answered = kind == AGENT
                    waits.append((k, index, answered, min(pending), at if answered else NAT,
                                  len(pending)))
                    index += 1
                pending = []
    return waits


conversation = st.lists(st.tuples(st.sampled_from([IN, AGENT, BOT]),
                                  st.integers(0, 50)), min_size=1, max_size=8).map(
    lambda rows: sorted(rows, key=lambda row: row[1]))


@settings(max_examples=200, deadline=None)
@given(conversations=st.lists(conversation, max_size=6),
       agents_of=st.lists(st.integers(-1, 40), min_size=48, max_size=48))
def test_passes_match_the_definitions_row_by_row(conversations, agents_of):
    bounds, is_in, is_agent, t = ordered(*conversations)
    conv, index, _, answered, opened, closed, inbound = wait_blocks(bounds, is_in, is_agent, t)
    got = list(zip(conv.tolist(), index.tolist(), answered.tolist(), opened.tolist(),
                   closed.tolist(), inbound.tolist(), strict=True))
    assert got == reference_waits(conversations)
    first_in, start = conversation_starts(bounds, is_in, is_agent, t)
    rows = np.arange(len(t))
    codes = np.array(agents_of, dtype=np.int16)[:len(t)]
    customer, replies, agents, last = conversation_counts(bounds, is_in, is_agent, t, start,
                                                          rows, codes)
    for k, rows in enumerate(conversations):
        kinds = [kind for kind, _ in rows]
        human = [kind for kind in kinds if kind != BOT]
        expected_start = NAT
        if IN in kinds and human[0] == IN:
            expected_start = rows[kinds.index(IN)][1]
        assert start[k] == expected_start
        assert first_in[k] == (bounds[k] + kinds.index(IN) if IN in kinds else -1)
        assert customer[k] == kinds.count(IN)
        assert replies[k] == sum(kind == AGENT and expected_start != NAT
                                 and at >= expected_start for kind, at in rows)
        assert last[k] == max(at for _, at in rows)
        reply_agents = {agents_of[bounds[k] + i] for i, (kind, at) in enumerate(rows)
                        if kind == AGENT and expected_start != NAT and at >= expected_start}
        assert agents[k] == len(reply_agents - {-1})


def test_a_conversation_with_more_agents_than_the_first_buffer_holds():
    kinds = [(IN, 0)] + [(AGENT, i) for i in range(1, 61)]
    bounds, is_in, is_agent, t = ordered(kinds)
    codes = np.array([-1] + [i % 40 for i in range(60)], dtype=np.int64)
    _, replies, agents, _ = conversation_counts(bounds, is_in, is_agent, t, np.array([0]),
                                                np.arange(len(t)), codes)
    assert replies.tolist() == [60]
    assert agents.tolist() == [40]


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.one_of(st.integers(-(2**62), 2**62), st.integers(-10**13, 10**13),
                                 st.just(NAT)), max_size=40),
       unit=st.sampled_from(["s", "ms", "us", "ns"]))
def test_seconds_are_bit_for_bit_pandas_total_seconds(values, unit):
    from analytics.metrics.facts import _PER_SECOND, _durations

    ints = np.array(values, dtype=np.int64)
    expected = pd.Series(ints.view(f"m8[{unit}]")).dt.total_seconds().to_numpy()
    got = _durations(ints, unit)
    np.testing.assert_array_equal(got, expected)  # NaN where missing, equal bits elsewhere
    fast, big = seconds(ints, _PER_SECOND[unit])
    assert big == bool((np.abs(ints[ints != NAT]) > 2**53).any())
    if not big:
        np.testing.assert_array_equal(fast, expected)


def test_customer_order_groups_customers_and_sorts_each_by_key():
    customer = np.array([1, 0, 1, -1, 0, 1], dtype=np.int64)
    key = np.array([30, 20, 10, 0, 20, 10], dtype=np.int64)
    rows, tie = customer_order(customer, key, 2)
    assert rows.tolist() == [1, 4, 2, 5, 0]  # customer 0, then 1; equal keys in row order
    assert tie.tolist() == [True, True, True, True, False]


@settings(max_examples=200, deadline=None)
@given(pairs=st.lists(st.tuples(st.integers(-1, 3), st.integers(0, 6)), max_size=120))
def test_customer_order_is_a_stable_lexsort(pairs):
    # Up to 120 rows over 4 customers: groups past 32 rows take the merge-sort branch.
    customer = np.array([c for c, _ in pairs], dtype=np.int64)
    key = np.array([k for _, k in pairs], dtype=np.int64)
    rows, tie = customer_order(customer, key, 4)
    contacts = np.flatnonzero(customer >= 0)
    expected = contacts[np.lexsort((key[contacts], customer[contacts]))]
    assert rows.tolist() == expected.tolist()
    pair = list(zip(customer[rows].tolist(), key[rows].tolist(), strict=True))
    assert tie.tolist() == [pair.count(p) > 1 for p in pair]
