"""Compiled passes over the messages in conversation order, and over contacts in customer
order (numba).

The facts are segment reductions: conversation ``k`` holds the ordered rows
``bounds[k]:bounds[k + 1]`` (``analytics.metrics.facts._Ordered``). Written as chains of NumPy
operations, each reduction allocates and fills several arrays of one value per message (about
80 MB each at 10M messages, fresh memory the operating system must zero first); written as one
loop compiled by numba, each pass reads the rows once and writes only its results. Every
function here is exact integer work (no float is computed), so the facts are bit for bit
those of the NumPy code they replace.

The functions release the GIL (``nogil``), so the facts' two threads run them side by side,
and are cached on disk (``cache``): only the first import on a machine compiles them (about
2 s); later imports load them from the cache (about 0.5 s, once per process).
"""

from __future__ import annotations

import numpy as np
from numba import njit, types

from analytics.compiled import compiled, read_only

NAT = np.iinfo(np.int64).min  # NaT as int64


_INTS, _FLAGS = read_only(types.int64), read_only(types.boolean)
_OUT, _OUT_FLAGS = types.int64[:], types.boolean[:]
#: Explicit signatures: the passes compile (or load from the cache) when this module is
#: imported, not inside the first run, and no call can trigger a new compilation.
_STARTS = [types.UniTuple(_OUT, 2)(_INTS, _FLAGS, _FLAGS, _INTS)]
_COUNTS = [types.UniTuple(_OUT, 4)(_INTS, _FLAGS, _FLAGS, _INTS, _INTS, _INTS, read_only(code))
           for code in (types.int8, types.int16, types.int32, types.int64)]
_WAITS = [types.Tuple((_OUT, _OUT, _OUT, _OUT_FLAGS, _OUT, _OUT, _OUT))(
    _INTS, _FLAGS, _FLAGS, _INTS)]
_SECONDS = [types.Tuple((types.float64[:], types.boolean))(_INTS, types.int64)]


@compiled(_STARTS)
def conversation_starts(bounds, is_in, is_agent, t):
    """Each conversation's first inbound message and start.

    Parameters: ``bounds`` (int64, conversations + 1), ``is_in`` / ``is_agent`` (bool, one per
    ordered row), ``t`` (int64 instants, one per ordered row).

    Returns ``first_in`` (ordered position of the first inbound message, -1: none) and
    ``start`` (its instant; ``NAT`` when there is none or when the first human message is an
    agent's: the company started the conversation).
    """
    n_conv = len(bounds) - 1
    first_in = np.full(n_conv, -1, dtype=np.int64)
    start = np.full(n_conv, NAT, dtype=np.int64)
    for k in range(n_conv):
        company = False  # an agent message before the first inbound one
        for i in range(bounds[k], bounds[k + 1]):
            if is_in[i]:
                first_in[k] = i
                break
            company = company or is_agent[i]
        if first_in[k] >= 0 and not company:
            start[k] = t[first_in[k]]
    return first_in, start


@compiled(_COUNTS)
def conversation_counts(bounds, is_in, is_agent, t, start, rows, agent_codes):
    """Customer messages, agent replies (agent messages at or after ``start``; none when
    ``start`` is ``NAT``), distinct agents among those replies and the last message instant
    of each conversation (int64 arrays).

    ``agent_codes`` are the integer codes of the messages' agents (-1: none) in the log's own
    row order; ``rows`` maps ordered positions to those rows. A conversation holds few
    distinct agents: each new one is looked up among its earlier ones.
    """
    n_conv = len(bounds) - 1
    customer = np.zeros(n_conv, dtype=np.int64)
    replies = np.zeros(n_conv, dtype=np.int64)
    agents = np.zeros(n_conv, dtype=np.int64)
    last = np.full(n_conv, NAT, dtype=np.int64)
    seen = np.empty(16, dtype=np.int64)
    for k in range(n_conv):
        c = 0
        r = 0
        n = 0
        previous = -1
        latest = NAT
        s = start[k]
        for i in range(bounds[k], bounds[k + 1]):
            if is_in[i]:
                c += 1
            if t[i] > latest:
                latest = t[i]
            if not (is_agent[i] and s != NAT and t[i] >= s):
                continue
            r += 1
            code = np.int64(agent_codes[rows[i]])
            if code < 0 or code == previous:
                continue
            previous = code
            new = True
            for j in range(n):
                if seen[j] == code:
                    new = False
                    break
            if new:
                if n == len(seen):
                    grown = np.empty(2 * n, dtype=np.int64)
                    grown[:n] = seen
                    seen = grown
                seen[n] = code
                n += 1
        customer[k] = c
        replies[k] = r
        agents[k] = n
        last[k] = latest
    return customer, replies, agents, last


@compiled(_WAITS)
def wait_blocks(bounds, is_in, is_agent, t):
    """Every wait: a block of rows that opens at a conversation's first row or after an agent
    message and holds at least one inbound message; it closes at its agent message, if any.

    Returns, one value per wait in conversation order: ``conv`` (conversation code),
    ``wait_index`` (0 = the first response), ``last`` (ordered position of the block's last
    row), ``answered`` (the last row is an agent message), ``opened`` (earliest inbound
    instant), ``closed`` (the agent message's instant, ``NAT`` while unanswered) and
    ``inbound`` (inbound messages in the block).
    """
    n_conv = len(bounds) - 1
    total = 0
    for k in range(n_conv):  # count first, so that the outputs are allocated once
        has_in = False
        for i in range(bounds[k], bounds[k + 1]):
            has_in = has_in or is_in[i]
            if is_agent[i] or i == bounds[k + 1] - 1:
                if has_in:
                    total += 1
                has_in = False
    conv = np.empty(total, dtype=np.int64)
    wait_index = np.empty(total, dtype=np.int64)
    last = np.empty(total, dtype=np.int64)
    answered = np.empty(total, dtype=np.bool_)
    opened = np.empty(total, dtype=np.int64)
    closed = np.empty(total, dtype=np.int64)
    inbound = np.empty(total, dtype=np.int64)
    w = 0
    for k in range(n_conv):
        index = 0
        count = 0
        earliest = np.iinfo(np.int64).max
        for i in range(bounds[k], bounds[k + 1]):
            if is_in[i]:
                count += 1
                if t[i] < earliest:
                    earliest = t[i]
            if is_agent[i] or i == bounds[k + 1] - 1:
                if count:
                    conv[w] = k
                    wait_index[w] = index
                    last[w] = i
                    answered[w] = is_agent[i]
                    opened[w] = earliest
                    closed[w] = t[i] if is_agent[i] else NAT
                    inbound[w] = count
                    index += 1
                    w += 1
                count = 0
                earliest = np.iinfo(np.int64).max
    return conv, wait_index, last, answered, opened, closed, inbound


@compiled(_SECONDS)
def seconds(ints, per_second):
    """int64 durations in units of ``1 / per_second`` s (``NAT``: missing) -> float seconds
    (NaN where missing), with the steps and roundings of pandas' ``total_seconds``.

    Returns the seconds and whether any duration exceeds 2**53 units, where pandas nudges
    some results by one ulp (``facts._durations`` then takes its NumPy path).
    """
    out = np.empty(len(ints), dtype=np.float64)
    big = False
    for i in range(len(ints)):
        v = ints[i]
        if v == NAT:
            out[i] = np.nan
            continue
        big = big or v > 2**53 or v < -(2**53)
        whole = v // per_second
        out[i] = np.float64(whole) + np.float64(v - whole * per_second) / np.float64(per_second)
    return out, big



# --- contacts in customer order ------------------------------------------------------------


@njit(nogil=True)
def _sort_by_key(rows, key, lo, hi):
    """Stable sort of ``rows[lo:hi]`` by ``key[row]``: insertion sort for the few contacts
    most customers make, a merge sort for the rest (a bot or a shared id can make
    thousands)."""
    if hi - lo > 32:
        block = rows[lo:hi].copy()
        rows[lo:hi] = block[np.argsort(key[block], kind="mergesort")]
        return
    for i in range(lo + 1, hi):
        row = rows[i]
        j = i - 1
        while j >= lo and key[rows[j]] > key[row]:
            rows[j + 1] = rows[j]
            j -= 1
        rows[j + 1] = row


@compiled([types.Tuple((_OUT, _OUT_FLAGS))(_INTS, _INTS, types.int64)])
def customer_order(customer, key, n_customers):
    """The rows with ``customer >= 0`` ordered by (customer code, ``key``), equal pairs in row
    order, and per ordered position whether its (customer, key) equals a neighbour's (a tie
    the caller breaks by conversation id). Customer codes run from 0 to ``n_customers - 1``;
    they only group, so their order is arbitrary."""
    offsets = np.zeros(n_customers + 1, dtype=np.int64)
    for c in customer:
        if c >= 0:
            offsets[c + 1] += 1
    for c in range(n_customers):
        offsets[c + 1] += offsets[c]
    rows = np.empty(offsets[n_customers], dtype=np.int64)
    fill = offsets[:-1].copy()
    for row in range(len(customer)):  # a counting sort: row order kept inside each customer
        c = customer[row]
        if c >= 0:
            rows[fill[c]] = row
            fill[c] += 1
    tie = np.zeros(len(rows), dtype=np.bool_)
    for c in range(n_customers):
        lo, hi = offsets[c], offsets[c + 1]
        _sort_by_key(rows, key, lo, hi)
        for i in range(lo + 1, hi):
            if key[rows[i]] == key[rows[i - 1]]:
                tie[i] = True
                tie[i - 1] = True
    return rows, tie
