"""Conversation facts: one row per conversation, derived from the message log in one pass.

Everything here is vectorized over the whole log: conversation ids are encoded as integers once
(by Arrow, without Python strings), messages are put in conversation order once (a stable sort
of the time-ordered log by conversation code), then starts, counts and waits come from
compiled passes over each conversation's contiguous rows (:mod:`analytics.metrics.passes`),
first responses and resolutions from NumPy reductions of their results. No Python loop
runs per conversation or per customer. Each conversation's rows depend only on that
conversation, so the functions give the same answer on one frame or on customer partitions.

Definitions (docs/metrics.md has the full text)
-----------------------------------------------
- Messages are ordered by time; at equal timestamps inbound comes before outbound, then input
  order. A conversation *starts* at its first inbound message; its customer and channel are
  those of that message. Conversations with no inbound message, or whose first message is a
  human agent's (the company started it), are *proactive* and take no part in response metrics.
- Only ``agent`` outbound messages answer; ``bot`` and ``system`` messages never stop a clock.
- A *wait* opens at an inbound message when none is open and closes at the next agent message;
  its value is close − the oldest unanswered inbound message. The first wait is the first
  response. A wait still open at the cut-off (``as_of``) is *unanswered*, with age
  ``as_of − opened``; it is never given a value of 0.
- Messages and events after ``as_of`` are ignored: the report shows what was known then.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.load.schema import as_text, empty_events, factorize
from analytics.metrics.passes import (
    conversation_counts,
    conversation_starts,
    seconds,
    wait_blocks,
)

_NAT = np.iinfo(np.int64).min  # NaT as int64


def _seconds(delta: pd.Series) -> pd.Series:
    """Timedelta Series -> float seconds (NaN where missing)."""
    return delta.dt.total_seconds()


def _datetimes(ints: np.ndarray, dtype, index=None) -> pd.Series:
    """int64 instants (``_NAT`` = missing) in the unit of ``dtype`` -> a Series of ``dtype``."""
    if isinstance(dtype, pd.DatetimeTZDtype):
        if str(dtype.tz) == "UTC":
            return pd.Series(ints.view(f"M8[{dtype.unit}]"), index=index, dtype=dtype)
        # The integers are UTC instants (to_datetime reads naive values as UTC).
        aware = pd.to_datetime(ints.view(f"M8[{dtype.unit}]"), utc=True)
        return pd.Series(aware.as_unit(dtype.unit).tz_convert(dtype.tz), index=index)
    return pd.Series(ints.view(dtype), index=index)


_PER_SECOND = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}


def _durations(ints: np.ndarray, unit: str) -> np.ndarray:
    """int64 durations (``_NAT`` = missing) -> float seconds, bit for bit as pandas'
    ``Series.dt.total_seconds`` computes them (the same steps, without its overhead)."""
    per_second = _PER_SECOND[unit]
    result, big = seconds(np.ascontiguousarray(ints, dtype=np.int64), per_second)
    if not big:
        return result
    whole, residual = np.divmod(ints, per_second)
    result = whole + residual / per_second
    # pandas nudges sub-second values that rounded onto a whole second.
    fixable = (residual != 0) & (np.abs(whole) < 2**52)
    whole = whole.astype(np.float64)
    on_floor = fixable & (result == whole)
    on_ceil = fixable & (result == whole + 1.0)
    if on_floor.any():
        result = np.where(on_floor, np.nextafter(result, result + 1.0), result)
    if on_ceil.any():
        result = np.where(on_ceil, np.nextafter(result, result - 1.0), result)
    result[ints == _NAT] = np.nan
    return result


def _spread(values: pd.Series, codes: np.ndarray, n: int) -> pd.Series:
    """``values.set_axis(codes).reindex(range(n))`` for distinct ``codes``, by position."""
    if not len(values):
        return values.set_axis(codes).reindex(pd.RangeIndex(n))
    position = np.full(n, -1, dtype=np.intp)
    position[codes] = np.arange(len(codes))
    has = position >= 0
    spread = values.iloc[np.where(has, position, 0)].set_axis(pd.RangeIndex(n))
    return spread if has.all() else spread.where(has)


def _stable_order(codes: np.ndarray, n: int) -> np.ndarray:
    """``np.argsort(codes, kind="stable")`` of integer codes in ``-1 .. n-1``.

    pandas' groupby sorter: a counting sort when the codes are dense (one pass over the rows,
    no comparisons; about ten times faster than NumPy's stable sort on 10^7 conversation
    codes), else that stable sort. The same order either way.
    """
    from pandas.core.sorting import get_group_index_sorter

    return get_group_index_sorter(np.asarray(codes, dtype=np.intp), n)


def _conversation_order(values: pd.Series):
    """Stable order of the rows by conversation, conversations numbered by first appearance.

    Returns ``rows`` (the row of each ordered position), ``conv`` (the conversation number of
    each ordered position, nondecreasing) and the conversation ids (``str`` Index). A
    categorical column (``scale.compact``) is ordered by its integer codes, with no string
    hashing; categories need not be in order of first appearance, nor all used.
    """
    if isinstance(values.dtype, pd.CategoricalDtype) and len(values):
        codes = values.cat.codes.to_numpy()
        categories = values.cat.categories
        if codes.min() >= 0:
            rows = _stable_order(codes, len(categories))
            ordered = codes[rows]
            counts = np.bincount(codes, minlength=len(categories))
            used = np.flatnonzero(counts)
            firsts = rows[np.concatenate(([0], np.cumsum(counts[used])[:-1]))]
            in_order = bool((firsts[1:] > firsts[:-1]).all())
            if not in_order:  # number conversations by their first row
                used = used[np.argsort(firsts)]
            if in_order and len(used) == len(categories):
                conv = ordered
            else:
                number = np.zeros(len(categories), dtype=ordered.dtype)
                number[used] = np.arange(len(used), dtype=ordered.dtype)
                conv = number[ordered]
                if not in_order:
                    again = _stable_order(conv, len(used))
                    rows, conv = rows[again], conv[again]
            ids = pd.Index(as_text(pd.Series(categories.take(used))), dtype="str")
            return rows, conv, ids
    codes, ids = factorize(values)
    rows = _stable_order(codes, len(ids))
    return rows, codes[rows], ids


def _take_text(values: pd.Series, rows: np.ndarray) -> pd.Series:
    """``as_text(values)`` at ``rows`` (-1: missing), with a new RangeIndex (one take)."""
    missing = rows < 0
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        taken = codes[np.maximum(rows, 0)] if len(codes) else np.full(len(rows), -1)
        taken = np.where(missing, -1, taken)
        return as_text(pd.Series(pd.Categorical.from_codes(taken, values.cat.categories)))
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        import pyarrow as pa

        taken = values.array.__arrow_array__().take(pa.array(rows, mask=missing))
        return pd.Series(pd.array(taken, dtype=values.dtype))
    taken = values.iloc[np.maximum(rows, 0)] if len(values) else values.reindex(range(len(rows)))
    return as_text(taken.reset_index(drop=True)).where(~missing)


class _Ordered:
    """The messages up to ``as_of`` in conversation order, as arrays (one per column used).

    The log is already time-ordered (see ``io.sort_messages``); a stable sort of the integer
    conversation codes keeps that order inside each conversation. Conversation ``k``'s rows are
    ``start[k]:start[k + 1]``. String columns stay in ``messages`` and are taken only for the
    rows an output needs (``rows`` maps ordered positions back to ``messages``).
    """

    def __init__(self, messages: pd.DataFrame, as_of):
        if as_of is not None:
            keep = (messages["sent_at"] <= as_of).to_numpy()
            if not keep.all():
                messages = messages[keep]
        self.messages = messages
        self.rows, self.conv, ids = _conversation_order(messages["conversation_id"])
        self.ids = pd.Index(ids, name="conversation_id")
        self.sent_dtype = messages["sent_at"].dtype
        self.t = messages["sent_at"].array.asi8[self.rows]
        inbound = (messages["direction"] == "inbound").to_numpy()
        agent = ((messages["direction"] == "outbound")
                 & (messages["author_type"] == "agent")).to_numpy()
        self.is_in = inbound[self.rows]
        self.is_agent = agent[self.rows]
        counts = np.bincount(self.conv, minlength=len(ids))
        self.start = np.concatenate(([0], np.cumsum(counts)))

    def __len__(self):
        return len(self.conv)

    @property
    def n_conv(self) -> int:
        return len(self.ids)

    def column(self, name: str, positions: np.ndarray) -> pd.Series:
        """Column ``name`` at ordered ``positions`` (a new RangeIndex)."""
        return self.messages[name].iloc[self.rows[positions]].reset_index(drop=True)

    def at(self, positions: np.ndarray) -> np.ndarray:
        """Rows of ``messages`` at ordered ``positions`` (-1 stays -1: missing)."""
        return np.where(positions >= 0, self.rows[np.maximum(positions, 0)], -1) \
            if len(self.rows) else np.full(len(positions), -1, dtype=np.intp)

    def per_conversation(self, values: pd.Series, conv: np.ndarray) -> pd.Series:
        """Values known for some conversation codes -> one per conversation (missing elsewhere)."""
        return _spread(values, conv, self.n_conv)


def reply_waits(messages: pd.DataFrame, *, as_of=None, calendar=None) -> pd.DataFrame:
    """Every customer wait for an agent: the first response and each later reply.

    Parameters
    ----------
    messages : DataFrame
        The validated message log (``io.validate_messages``).
    as_of : Timestamp, optional
        Analysis cut-off (UTC); default the latest message time.
    calendar : BusinessCalendar, optional
        When given, ``business_s`` holds the working seconds of each wait.

    Returns
    -------
    DataFrame
        One row per wait: ``conversation_id``, ``wait_index`` (0 = first response),
        ``opened_at`` (oldest unanswered inbound message), ``closed_at`` (the agent reply;
        NaT while unanswered), ``agent_id`` (who replied), ``customer_messages`` (inbound
        messages in the wait), ``answered``, ``wait_s`` (calendar seconds; NaN if unanswered),
        ``age_s`` (as_of − opened_at for unanswered waits; NaN if answered), ``business_s``.
    """
    if as_of is None:
        as_of = messages["sent_at"].max()
    ordered = _Ordered(messages, as_of)
    return _waits(ordered, as_of, calendar)


def _text_at(log: _Ordered, name: str, positions: np.ndarray, valid: np.ndarray) -> pd.Series:
    """``as_text(column at positions)``, missing where not ``valid`` (one take)."""
    rows = log.rows[positions] if len(log.rows) else np.full(len(positions), -1, np.intp)
    rows[~valid] = -1
    return _take_text(log.messages[name], rows)


def _waits(log: _Ordered, as_of, calendar) -> pd.DataFrame:
    return _wait_arrays(log, as_of, calendar)["frame"]


def _wait_arrays(log: _Ordered, as_of, calendar) -> dict:
    """Every wait of ``log`` as arrays (``conv``, ``wait_index``, ``last`` ordered position of
    the closing row, ``answered``, ``closed``/``opened`` int instants, ``inbound``, ``wait_s``,
    ``age_s``, ``business_s``, ``business_age_s``) and as the frame :func:`reply_waits`
    returns (``frame``, with ``conv``)."""
    wconv, wait_index, last, answered, opened, closed, inbound = wait_blocks(
        log.start, log.is_in, log.is_agent, log.t)
    dtype = log.sent_dtype
    agent_id = _text_at(log, "agent_id", last, answered)
    out = {"conv": wconv, "wait_index": wait_index, "last": last, "answered": answered,
           "opened": opened, "closed": closed, "inbound": inbound}
    opened_at, closed_at = _datetimes(opened, dtype), _datetimes(closed, dtype)
    cut_off = pd.Timestamp(as_of)
    if isinstance(dtype, pd.DatetimeTZDtype) and dtype.unit == "ns" and cut_off.tzinfo:
        # Integer nanoseconds, then pandas' own conversion to seconds.
        wait_s = _durations(np.where(answered, closed - opened, _NAT), "ns")
        age_s = _durations(np.where(answered, _NAT, cut_off.value - opened), "ns")
        if calendar is not None:
            business = calendar._working_ns(opened, np.where(answered, closed, cut_off.value))
    else:
        wait_s = _seconds(closed_at - opened_at).to_numpy()
        age_s = _seconds(as_of - opened_at).where(~answered).to_numpy()
        if calendar is not None:
            business = calendar.working_seconds(opened_at, closed_at.fillna(as_of)).to_numpy()
    if calendar is not None:
        business_s = np.where(answered, business, np.nan)
        business_age_s = np.where(answered, np.nan, business)
    else:
        business_s, business_age_s = np.full(len(wconv), np.nan), np.full(len(wconv), np.nan)
    out.update(wait_s=wait_s, age_s=age_s, business_s=business_s,
               business_age_s=business_age_s)
    # copy=False: the frame holds these arrays, not copies of them.
    out["frame"] = pd.DataFrame({
        "conversation_id": log.ids.take(wconv),
        "wait_index": wait_index.astype(np.int64, copy=False),
        "opened_at": opened_at,
        "closed_at": closed_at,
        "agent_id": agent_id,
        "customer_messages": inbound.astype(np.int64, copy=False),
        "answered": answered,
        "wait_s": wait_s,
        "age_s": age_s,
        "business_s": business_s,
        "business_age_s": business_age_s,
    }, copy=False)
    return out


FACT_COLUMNS = (
    "conversation_id", "customer_id", "channel", "start", "proactive", "answered",
    "first_response_at", "first_response_s", "first_response_business_s", "unanswered_age_s",
    "unanswered_business_age_s", "first_responder", "customer_messages_to_first_response",
    "customer_messages", "agent_replies", "agents", "transfers", "last_message_at",
    "resolved", "first_resolved_at", "last_resolved_at", "resolution_first_s",
    "resolution_full_s", "resolution_first_business_s", "reopened",
)


def conversation_facts(messages: pd.DataFrame, events: pd.DataFrame | None = None, *,
                       as_of=None, calendar=None, resolve_after_inactivity=None) -> pd.DataFrame:
    """One row per conversation with its derived facts (see :func:`facts_and_waits`)."""
    return facts_and_waits(messages, events, as_of=as_of, calendar=calendar,
                           resolve_after_inactivity=resolve_after_inactivity)[0]


def facts_and_waits(messages: pd.DataFrame, events: pd.DataFrame | None = None, *,
                    as_of=None, calendar=None, resolve_after_inactivity=None):
    """Conversation facts and reply waits, derived in one pass.

    Parameters
    ----------
    messages : DataFrame
        The validated message log.
    events : DataFrame, optional
        Validated events (``resolved``, ``reopened``, ``handoff``, ``transfer``).
    as_of : Timestamp, optional
        Analysis cut-off (UTC); default the latest message or event time.
    calendar : BusinessCalendar, optional
        For the business-hours columns (NaN without one).
    resolve_after_inactivity : Timedelta, optional
        Off by default. When set, a conversation whose last message is an agent reply and
        that stays silent this long (before ``as_of``) counts as resolved at that reply. Used
        only for sources without resolve events.

    Returns
    -------
    facts : DataFrame
        One row per conversation. Columns (times UTC, durations in seconds):

        ``conversation_id``; ``customer_id`` (of the first inbound message; missing = unknown);
        ``channel`` (of the first inbound message, else of the first message); ``start``
        (first inbound message; NaT for proactive ones); ``proactive`` (no inbound message, or the
        first message is a human agent's);
        ``answered``; ``first_response_at``; ``first_response_s`` and
        ``first_response_business_s`` (NaN while unanswered); ``unanswered_age_s`` and
        ``unanswered_business_age_s`` (as_of − start for unanswered, else NaN);
        ``first_responder``; ``customer_messages_to_first_response`` (inbound messages from the
        start until the first answer, or until as_of); ``customer_messages``; ``agent_replies``
        (agent messages at or after the start); ``agents`` (distinct agents who replied);
        ``transfers`` (transfer and handoff events); ``last_message_at``; ``resolved``;
        ``first_resolved_at``/``last_resolved_at``; ``resolution_first_s``,
        ``resolution_full_s`` (start → first / last resolve), ``resolution_first_business_s``;
        ``reopened`` (an inbound message or a ``reopened`` event after the first resolve).
        Resolution columns are missing (NaN/NA) when there are no resolve events at all and
        no inactivity rule, so "not available" never reads as 0.
    waits : DataFrame
        Every reply wait, as returned by :func:`reply_waits`.
    """
    facts, waits, _ = _facts_and_waits(messages, events, as_of=as_of, calendar=calendar,
                                       resolve_after_inactivity=resolve_after_inactivity)
    return facts, waits


#: The facts a ``contacts`` function of :func:`_facts_and_waits` receives.
CONTACT_COLUMNS = ("conversation_id", "customer_id", "channel", "start", "proactive")


def _facts_and_waits(messages, events, *, as_of, calendar, resolve_after_inactivity,
                     contacts=None):
    """:func:`facts_and_waits`, and ``contacts`` (a function, optional) of the facts'
    :data:`CONTACT_COLUMNS`, returned third.

    The waits are computed in a second thread while this one derives the other facts and runs
    ``contacts`` (NumPy and Arrow release the GIL on large arrays, so both cores work).
    """
    from concurrent.futures import ThreadPoolExecutor

    events = events if events is not None else empty_events()
    if as_of is None:
        as_of = messages["sent_at"].max()
        if len(events):
            as_of = max(as_of, events["at"].max())
    log = _Ordered(messages, as_of)
    _starts(log)
    with ThreadPoolExecutor(1) as thread:
        pending = thread.submit(_waits_and_counts, log, as_of, calendar)
        try:
            facts = _contact_facts(log)
            extra = contacts(facts[list(CONTACT_COLUMNS)]) if contacts is not None else None
        finally:
            wait, counts = pending.result()
    for column, values in counts.items():
        facts[column] = values
    _first_wait_facts(facts, log, wait)
    _add_events(facts, log, events, log.ids, as_of, calendar, resolve_after_inactivity)
    return facts[list(FACT_COLUMNS)], wait["frame"], extra


def _starts(log: _Ordered) -> None:
    """Each conversation's first inbound message (``log.first_in``, ``log.first_in_conv``)
    and start (``log.first_start``, int instants, ``_NAT`` for proactive conversations)."""
    # The company started it when its first message is a human agent's (a bot or system
    # greeting before the customer types does not count): such threads are proactive even if
    # the customer answers, as Plain and Zendesk leave staff-created threads out.
    # Bot and system messages are skipped here too, so they never decide who started it.
    first, start = conversation_starts(log.start, log.is_in, log.is_agent, log.t)
    first_in_conv = np.flatnonzero(first >= 0)
    first_in = first[first_in_conv]
    log.first_in, log.first_in_conv, log.first_start = first_in, first_in_conv, start


def _contact_facts(log: _Ordered) -> pd.DataFrame:
    """Who started each conversation, when and where (the :data:`CONTACT_COLUMNS`)."""
    every = pd.RangeIndex(log.n_conv)
    facts = pd.DataFrame(index=every)
    facts["conversation_id"] = log.ids
    first_any = log.start[:-1]
    # The row of each conversation's first inbound message (-1: none).
    row_in = np.full(log.n_conv, -1, dtype=np.intp)
    row_in[log.first_in_conv] = log.rows[log.first_in]
    facts["customer_id"] = _take_text(log.messages["customer_id"], row_in).astype("str")
    channel = _take_text(log.messages["channel"], row_in)
    if channel.isna().any():  # no inbound message: the channel of the first message
        channel = channel.fillna(_take_text(log.messages["channel"], log.at(first_any)))
    facts["channel"] = channel.astype("str")
    facts["start"] = _datetimes(log.first_start, log.sent_dtype, every)
    facts["proactive"] = log.first_start == _NAT
    return facts


def _waits_and_counts(log: _Ordered, as_of, calendar):
    """:func:`_wait_arrays` and :func:`_counts` (the second thread's work)."""
    return _wait_arrays(log, as_of, calendar), _counts(log)


def _counts(log: _Ordered) -> dict:
    """Customer messages, agent replies, distinct agents and the last message time."""
    values = log.messages["agent_id"]
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
    else:
        codes = factorize(values)[0]
    customer, replies, agents, last = conversation_counts(
        log.start, log.is_in, log.is_agent, log.t, log.first_start, log.rows, codes)
    return {
        "customer_messages": customer,
        "agent_replies": replies,
        "agents": agents,
        "last_message_at": _datetimes(last, log.sent_dtype, pd.RangeIndex(log.n_conv)),
    }


def _first_wait_facts(facts: pd.DataFrame, log: _Ordered, wait: dict) -> None:
    """The columns of each conversation's first wait (its first response)."""
    first = np.flatnonzero(wait["wait_index"] == 0)
    conv = wait["conv"][first]
    n = log.n_conv

    def spread(values, fill):
        out = np.full(n, fill, dtype=values.dtype)
        out[conv] = values[first]
        return out

    facts["answered"] = spread(wait["answered"], False)
    facts["first_response_at"] = _datetimes(spread(wait["closed"], _NAT), log.sent_dtype,
                                            facts.index)
    facts["first_response_s"] = spread(wait["wait_s"], np.nan)
    facts["first_response_business_s"] = spread(wait["business_s"], np.nan)
    facts["unanswered_age_s"] = spread(wait["age_s"], np.nan)
    facts["unanswered_business_age_s"] = spread(wait["business_age_s"], np.nan)
    responder = np.full(n, -1, dtype=np.intp)
    responder[conv] = np.where(wait["answered"][first], wait["last"][first], -1)
    facts["first_responder"] = _take_text(log.messages["agent_id"],
                                          log.at(responder)).astype("str")
    # The first wait holds exactly the inbound messages from the start to the first answer.
    has = np.zeros(n, dtype=bool)
    has[conv] = True
    facts["customer_messages_to_first_response"] = pd.arrays.IntegerArray(
        spread(wait["inbound"].astype(np.int64), 0), ~has)


def _add_events(facts, log, events, ids, as_of, calendar, inactivity):
    events = events[events["at"] <= as_of]
    # Looking ids up builds a hash table of every conversation: only when there are events.
    code = ids.get_indexer(events["conversation_id"]) if len(events) else np.zeros(0, np.intp)
    events = events.assign(conv=code)[code >= 0]
    transfer = events["event"].isin(["transfer", "handoff"])
    facts["transfers"] = (transfer.groupby(events["conv"]).sum()
                          .reindex(facts.index, fill_value=0).astype("int64"))

    resolves = events.loc[events["event"] == "resolved", ["conv", "at"]]
    if inactivity is not None and resolves.empty:
        inactivity = pd.Timedelta(inactivity)
        last = log.start[1:] - 1
        last_at = _datetimes(log.t[last], log.sent_dtype)
        quiet = log.is_agent[last] & (as_of - last_at >= inactivity).to_numpy()
        resolves = pd.DataFrame({"conv": log.conv[last][quiet],
                                 "at": last_at[quiet].reset_index(drop=True)})
    available = not resolves.empty
    by_conv = resolves.groupby("conv")["at"]
    facts["first_resolved_at"] = by_conv.min().reindex(facts.index)
    facts["last_resolved_at"] = by_conv.max().reindex(facts.index)
    facts["resolved"] = facts["first_resolved_at"].notna()
    if available:
        facts["resolution_first_s"] = _seconds(facts["first_resolved_at"] - facts["start"])
        facts["resolution_full_s"] = _seconds(facts["last_resolved_at"] - facts["start"])
    else:  # no resolve at all: every duration is missing
        facts["resolution_first_s"] = np.nan
        facts["resolution_full_s"] = np.nan
    if calendar is not None and available:
        has = facts["first_resolved_at"].notna() & facts["start"].notna()
        business = calendar.working_seconds(facts.loc[has, "start"],
                                            facts.loc[has, "first_resolved_at"])
        facts["resolution_first_business_s"] = business.reindex(facts.index)
    else:
        facts["resolution_first_business_s"] = np.nan

    first_resolve = facts["first_resolved_at"]
    late_inbound = np.zeros(len(log), dtype=bool)
    if available:
        # Resolve times in the messages' unit, so that instants compare as integers.
        row_resolve = _in_unit(first_resolve, log.sent_dtype)[log.conv]
        late_inbound = log.is_in & (row_resolve != _NAT) & (log.t > row_resolve)
    reopened = pd.Series(np.bincount(log.conv[late_inbound], minlength=log.n_conv) > 0,
                         index=facts.index)
    reopen_events = events[events["event"] == "reopened"]
    if len(reopen_events):
        codes = reopen_events["conv"].to_numpy()
        after = (reopen_events["at"].reset_index(drop=True)
                 > first_resolve.iloc[codes].reset_index(drop=True)).to_numpy()
        reopened.loc[codes[after]] = True
    facts["reopened"] = (reopened & facts["resolved"]).astype("boolean")
    if not available:
        missing = pd.arrays.BooleanArray(np.zeros(len(facts), dtype=bool),
                                         np.ones(len(facts), dtype=bool))
        facts["resolved"] = missing
        facts["reopened"] = missing.copy()


def _in_unit(values: pd.Series, dtype) -> np.ndarray:
    """Datetimes as int64 in the unit of ``dtype`` (``_NAT`` where missing)."""
    unit = dtype.unit if isinstance(dtype, pd.DatetimeTZDtype) else np.datetime_data(dtype)[0]
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert("UTC")
    return values.dt.as_unit(unit).array.asi8



def customer_started(facts: pd.DataFrame) -> pd.DataFrame:
    """Customer-started conversations only (drops proactive ones when flagged)."""
    if "proactive" in facts.columns:
        return facts[~facts["proactive"].astype(bool)]
    return facts
