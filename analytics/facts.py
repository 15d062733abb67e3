"""Conversation facts: one row per conversation, derived from the message log in one pass.

Everything here is vectorized over the whole log: messages are put in conversation order once
(a stable sort of the time-ordered log by conversation code), then waits, first responses and
resolutions come from cumulative sums and grouped reductions on integer codes. No Python loop
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

from analytics.io import empty_events


def _seconds(delta: pd.Series) -> pd.Series:
    """Timedelta Series -> float seconds (NaN where missing)."""
    return delta.dt.total_seconds()


def _in_conversation_order(messages: pd.DataFrame, as_of) -> pd.DataFrame:
    """Messages up to ``as_of`` with integer conversation codes, in conversation order.

    The log is already time-ordered (see ``io.sort_messages``); a stable sort by code keeps
    that order inside each conversation.
    """
    if as_of is not None:
        messages = messages[messages["sent_at"] <= as_of]
    codes, uniques = pd.factorize(messages["conversation_id"], sort=False)
    order = np.argsort(codes, kind="stable")
    frame = messages.iloc[order].reset_index(drop=True)
    frame["conv"] = codes[order]
    frame["is_in"] = (frame["direction"] == "inbound").to_numpy()
    frame["is_agent"] = ((frame["direction"] == "outbound")
                         & (frame["author_type"] == "agent")).to_numpy()
    frame.attrs["conversation_ids"] = pd.Index(uniques, name="conversation_id")
    return frame


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
    frame = _in_conversation_order(messages, as_of)
    return _waits(frame, as_of, calendar).drop(columns="conv")


def _waits(frame: pd.DataFrame, as_of, calendar) -> pd.DataFrame:
    conv = frame["conv"].to_numpy()
    is_agent = frame["is_agent"].to_numpy()
    # A new block starts at each conversation's first row and after each agent message; a
    # block's inbound messages are those the block's closing agent message answers.
    new_block = np.ones(len(frame), dtype=bool)
    if len(frame):
        new_block[1:] = (conv[1:] != conv[:-1]) | is_agent[:-1]
    block = np.cumsum(new_block) - 1
    inbound_time = frame["sent_at"].where(frame["is_in"])
    agent_time = frame["sent_at"].where(frame["is_agent"])
    grouped = pd.DataFrame({
        "conv": conv,
        "opened_at": inbound_time,
        "closed_at": agent_time,
        "agent_id": frame["agent_id"].where(frame["is_agent"]),
        "customer_messages": frame["is_in"].astype("int64"),
    }).groupby(block, sort=False)
    waits = grouped.agg(conv=("conv", "first"), opened_at=("opened_at", "min"),
                        closed_at=("closed_at", "max"), agent_id=("agent_id", "last"),
                        customer_messages=("customer_messages", "sum"))
    waits = waits[waits["customer_messages"] > 0].reset_index(drop=True)
    waits.insert(1, "wait_index", waits.groupby("conv", sort=False).cumcount())
    waits.insert(0, "conversation_id", frame.attrs["conversation_ids"][waits["conv"].to_numpy()])
    waits["answered"] = waits["closed_at"].notna()
    waits["wait_s"] = _seconds(waits["closed_at"] - waits["opened_at"])
    waits["age_s"] = _seconds(as_of - waits["opened_at"]).where(~waits["answered"])
    if calendar is not None:
        closed = waits["closed_at"].fillna(as_of)
        business = calendar.working_seconds(waits["opened_at"], closed)
        waits["business_s"] = business.where(waits["answered"])
        waits["business_age_s"] = business.where(~waits["answered"])
    else:
        waits["business_s"] = np.nan
        waits["business_age_s"] = np.nan
    return waits


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
    events = events if events is not None else empty_events()
    if as_of is None:
        as_of = messages["sent_at"].max()
        if len(events):
            as_of = max(as_of, events["at"].max())
    frame = _in_conversation_order(messages, as_of)
    ids = frame.attrs["conversation_ids"]
    conv = frame["conv"].to_numpy()
    by_conv = frame.groupby(conv, sort=True)

    facts = pd.DataFrame(index=pd.RangeIndex(len(ids)))
    facts["conversation_id"] = ids
    first_in = frame[frame["is_in"]].groupby("conv", sort=True).head(1).set_index("conv")
    first_any = by_conv.head(1).set_index("conv")
    facts["customer_id"] = first_in["customer_id"].reindex(facts.index).astype("str")
    facts["channel"] = first_in["channel"].reindex(facts.index).fillna(
        first_any["channel"].reindex(facts.index)).astype("str")
    # The company started it when its first message is a human agent's (a bot or system
    # greeting before the customer types does not count): such threads are proactive even if
    # the customer answers, as Plain and Zendesk leave staff-created threads out.
    # Bot and system messages are skipped here too, so they never decide who started it.
    first_human = frame[frame["is_in"] | frame["is_agent"]].groupby("conv", sort=True).head(1)
    company_started = first_human.set_index("conv")["is_agent"].reindex(facts.index,
                                                                        fill_value=False)
    facts["start"] = first_in["sent_at"].reindex(facts.index).where(~company_started)
    facts["proactive"] = facts["start"].isna()

    waits = _waits(frame, as_of, calendar)
    first = waits[waits["wait_index"] == 0].set_index("conv")
    facts["answered"] = first["answered"].reindex(facts.index).fillna(False).astype(bool)
    facts["first_response_at"] = first["closed_at"].reindex(facts.index)
    facts["first_response_s"] = first["wait_s"].reindex(facts.index)
    facts["first_response_business_s"] = first["business_s"].reindex(facts.index)
    facts["unanswered_age_s"] = first["age_s"].reindex(facts.index)
    facts["unanswered_business_age_s"] = first["business_age_s"].reindex(facts.index)
    facts["first_responder"] = first["agent_id"].reindex(facts.index).astype("str")
    # The first wait holds exactly the inbound messages from the start to the first answer.
    facts["customer_messages_to_first_response"] = (
        first["customer_messages"].reindex(facts.index).astype("Int64"))

    after_start = frame["sent_at"] >= facts["start"].to_numpy()[conv]
    counts = pd.DataFrame({
        "inbound": frame["is_in"],
        "replies": frame["is_agent"] & after_start,
    }).groupby(conv, sort=True).sum()
    facts["customer_messages"] = counts["inbound"].astype("int64")
    facts["agent_replies"] = counts["replies"].astype("int64")
    agent_ids = frame["agent_id"].where(frame["is_agent"] & after_start)
    facts["agents"] = agent_ids.groupby(conv, sort=True).nunique().astype("int64")
    facts["last_message_at"] = by_conv["sent_at"].max()

    _add_events(facts, frame, events, ids, as_of, calendar, resolve_after_inactivity)
    return facts[list(FACT_COLUMNS)], waits.drop(columns="conv")


def _add_events(facts, frame, events, ids, as_of, calendar, inactivity):
    events = events[events["at"] <= as_of]
    code = ids.get_indexer(events["conversation_id"])
    events = events.assign(conv=code)[code >= 0]
    transfer = events["event"].isin(["transfer", "handoff"])
    facts["transfers"] = (transfer.groupby(events["conv"]).sum()
                          .reindex(facts.index, fill_value=0).astype("int64"))

    resolves = events.loc[events["event"] == "resolved", ["conv", "at"]]
    if inactivity is not None and resolves.empty:
        inactivity = pd.Timedelta(inactivity)
        last = frame.groupby("conv", sort=True).tail(1).set_index("conv")
        quiet = last["is_agent"] & (as_of - last["sent_at"] >= inactivity)
        resolves = pd.DataFrame({"conv": last.index[quiet].to_numpy(),
                                 "at": last.loc[quiet, "sent_at"].to_numpy()})
    available = not resolves.empty
    by_conv = resolves.groupby("conv")["at"]
    facts["first_resolved_at"] = by_conv.min().reindex(facts.index)
    facts["last_resolved_at"] = by_conv.max().reindex(facts.index)
    facts["resolved"] = facts["first_resolved_at"].notna()
    facts["resolution_first_s"] = _seconds(facts["first_resolved_at"] - facts["start"])
    facts["resolution_full_s"] = _seconds(facts["last_resolved_at"] - facts["start"])
    if calendar is not None and available:
        has = facts["first_resolved_at"].notna() & facts["start"].notna()
        business = calendar.working_seconds(facts.loc[has, "start"],
                                            facts.loc[has, "first_resolved_at"])
        facts["resolution_first_business_s"] = business.reindex(facts.index)
    else:
        facts["resolution_first_business_s"] = np.nan

    first_resolve = facts["first_resolved_at"].to_numpy()
    late_inbound = frame["is_in"] & (frame["sent_at"] > first_resolve[frame["conv"].to_numpy()])
    reopened = late_inbound.groupby(frame["conv"].to_numpy()).any().reindex(
        facts.index, fill_value=False)
    reopen_events = events[events["event"] == "reopened"]
    after = reopen_events["at"].to_numpy() > first_resolve[reopen_events["conv"].to_numpy()]
    reopened.loc[reopen_events["conv"].to_numpy()[after]] = True
    facts["reopened"] = (reopened & facts["resolved"]).astype("boolean")
    if not available:
        facts["resolved"] = pd.array([pd.NA] * len(facts), dtype="boolean")
        facts["reopened"] = pd.array([pd.NA] * len(facts), dtype="boolean")
