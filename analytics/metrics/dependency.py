"""Dependency versus independence: does the company teach its customers to help themselves?

Every function takes the contacts of a period (conversation facts of customer-started
conversations, see :mod:`analytics.metrics.facts`, with an ``intent`` column from
:func:`analytics.text.classify_intents`: ``how_to``, ``problem``, ``other`` or missing when the
opening message has no text) and returns plain figures. Rates are fractions, money is in the
cost table's currency, and a figure that cannot be computed is None, never 0.

The indicators (docs/metrics.md, "Dependency and independence", has the full definitions):

- how-to share = how-to contacts ÷ contacts whose opening message has text;
- contacts per active customer = contacts with a customer id ÷ distinct customers;
- repeat how-to = how-to contacts followed by another how-to contact of the same customer
  within ``window_days`` (30), among how-to contacts whose window is fully observed;
- intermediaries = distinct agents who replied per conversation, the share handled by two or
  more, and transfers/handoffs from the events;
- customer effort = customer messages until the first answer and until the first resolution;
- self-service score = self-service sessions ÷ assisted contacts (by topic where both sides
  carry one);
- avoidable cost = how-to contacts × (assisted cost of their channel − self-service cost);
- independence index = 100 × the mean of the available components, each scaled so that
  1 means independent (see :func:`independence_index`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.metrics.facts import customer_started
from analytics.metrics.response import MIN_WEEKLY_N
from analytics.period import _local_weeks

INTENTS = ("how_to", "problem", "other")

#: Cost per contact used when the report gives no cost table: Gartner's 2019 Customer Service
#: and Support Leader poll (live channels $8.01 per contact on average, self-service $0.10),
#: as reported by destinationCRM on 2019-11-26. One figure for every assisted channel: replace
#: it with the company's own costs per channel (the ``cost_table`` report parameter).
DEFAULT_COSTS = {"currency": "USD", "default": 8.01, "self_service": 0.10}

REPEAT_HOW_TO_DAYS = 30


def _share(part, whole):
    return None if not whole else part / whole


def how_to_share(contacts: pd.DataFrame) -> dict:
    """``{with_text, how_to, problem, other, share, corrected}``: counts of contacts by intent,
    the observed how-to share among contacts with text (None when no contact has text) and
    ``corrected``, the share adjusted for the classifier's measured errors per language of the
    opening message (``intent_lang``), with its interval
    (:func:`analytics.text.intent_share.corrected_share`)."""
    from analytics.text.intent_share import corrected_share

    known = contacts["intent"].dropna() if "intent" in contacts else pd.Series(dtype=object)
    counts = known.value_counts()
    figures = {intent: int(counts.get(intent, 0)) for intent in INTENTS}
    langs = (contacts.loc[known.index, "intent_lang"] if "intent_lang" in contacts
             else pd.Series("unknown", index=known.index))
    by_lang = pd.DataFrame({"lang": langs.fillna("unknown").astype(str),
                            "how_to": known.eq("how_to")}).groupby("lang")["how_to"]
    per_lang = {lang: (int(n), int(k)) for lang, n, k in
                zip(by_lang.size().index, by_lang.size(), by_lang.sum(), strict=True)}
    return {"with_text": int(len(known)), **figures,
            "share": _share(figures["how_to"], len(known)),
            "corrected": corrected_share(per_lang)}


def how_to_by(contacts: pd.DataFrame, by) -> pd.DataFrame:
    """How-to share per group (``by`` a column name or a Series aligned with ``contacts``).

    Returns columns ``with_text``, ``how_to`` and ``share`` (NaN where no contact has text),
    indexed by the group, largest groups first.
    """
    with_text = contacts["intent"].notna()
    frame = pd.DataFrame({"group": contacts[by] if isinstance(by, str) else by,
                          "with_text": with_text, "how_to": contacts["intent"].eq("how_to")})
    table = frame.groupby("group", observed=True, sort=False)[["with_text", "how_to"]].sum()
    table["share"] = table["how_to"] / table["with_text"].where(table["with_text"] > 0)
    table.index.name = by if isinstance(by, str) else "group"
    return table.sort_values("with_text", ascending=False)


def contacts_per_active_customer(contacts: pd.DataFrame) -> dict:
    """``{customers, contacts, per_customer}`` over contacts with a customer id."""
    known = contacts["customer_id"].dropna()
    customers = int(known.nunique())
    return {"customers": customers, "contacts": int(len(known)),
            "per_customer": _share(len(known), customers)}


def repeat_how_to(facts: pd.DataFrame, *, as_of, window_days: float = REPEAT_HOW_TO_DAYS
                  ) -> pd.DataFrame:
    """Flag how-to contacts followed by another how-to of the same customer within the window.

    ``facts`` are contacts (any period: the look-ahead reads past the report period) with
    ``customer_id``, ``start``, ``conversation_id`` and ``intent``. Returns the how-to contacts
    of known customers with ``next_how_to_start``, ``lookahead_complete`` (start + window ≤
    ``as_of``) and ``repeated``.
    """
    how_to = facts[facts["intent"].eq("how_to") & facts["customer_id"].notna()]
    ordered = how_to.sort_values(["customer_id", "start", "conversation_id"], kind="stable")
    same = ordered["customer_id"].eq(ordered["customer_id"].shift(-1))
    result = ordered.copy()
    result["next_how_to_start"] = ordered["start"].shift(-1).where(same)
    window = pd.Timedelta(days=window_days)
    result["lookahead_complete"] = (result["start"] + window) <= pd.Timestamp(as_of)
    result["repeated"] = ((result["next_how_to_start"] - result["start"]) <= window
                          ).fillna(False).astype(bool)
    return result


def repeat_how_to_summary(flags: pd.DataFrame, window_days: float = REPEAT_HOW_TO_DAYS) -> dict:
    """``{window_days, eligible, repeated, rate, excluded_no_lookahead}`` of
    :func:`repeat_how_to` flags restricted to the period's contacts."""
    eligible = flags[flags["lookahead_complete"]]
    return {"window_days": window_days, "eligible": int(len(eligible)),
            "repeated": int(eligible["repeated"].sum()),
            "rate": _share(int(eligible["repeated"].sum()), len(eligible)),
            "excluded_no_lookahead": int((~flags["lookahead_complete"]).sum())}


def intermediaries(contacts: pd.DataFrame, *, transfers_known: bool,
                   agents_known: bool = True) -> dict:
    """How many people handle a conversation.

    ``{answered, median_agents, mean_agents, multi_agent, multi_agent_share, transfers,
    transferred_share}`` over answered contacts: ``agents`` counts distinct agents who replied
    (every agent figure None when ``agents_known`` is False: the source's agent ids name the
    company, not people); transfers come from ``transfer``/``handoff`` events (None when the
    source has no such events).
    """
    answered = contacts[contacts["agents"] > 0]
    if not agents_known:
        answered = answered.iloc[:0]
    multi = int((answered["agents"] >= 2).sum())
    figures = {
        "answered": int(len(answered)) if agents_known else None,
        "median_agents": float(answered["agents"].median()) if len(answered) else None,
        "mean_agents": float(answered["agents"].mean()) if len(answered) else None,
        "multi_agent": multi if agents_known else None,
        "multi_agent_share": _share(multi, len(answered)),
        "transfers": None, "transferred_share": None,
    }
    if transfers_known and "transfers" in contacts:
        transferred = int((contacts["transfers"] > 0).sum())
        figures["transfers"] = int(contacts["transfers"].sum())
        figures["transferred_share"] = _share(transferred, len(contacts))
    return figures


def messages_until_resolution(messages: pd.DataFrame, contacts: pd.DataFrame) -> pd.Series:
    """Customer messages sent up to each contact's first resolution (NaN if never resolved).

    Index ``conversation_id``; vectorized by merging resolution times onto inbound messages.
    """
    resolved = contacts.loc[contacts["first_resolved_at"].notna(),
                            ["conversation_id", "first_resolved_at"]]
    inbound = messages.loc[messages["direction"].eq("inbound")
                           & messages["conversation_id"].isin(resolved["conversation_id"]),
                           ["conversation_id", "sent_at"]]
    joined = inbound.merge(resolved, on="conversation_id")
    counts = (joined["sent_at"] <= joined["first_resolved_at"]).groupby(
        joined["conversation_id"]).sum()
    return counts.reindex(contacts["conversation_id"]).rename("messages_until_resolution")


def customer_effort(contacts: pd.DataFrame, until_resolution: pd.Series | None = None, *,
                    messages_known: bool = True) -> dict:
    """Customer messages before the first answer (answered contacts) and before resolution.

    ``{answered, median_to_first_answer, mean_to_first_answer, one_message_share, resolved,
    median_to_resolution, mean_to_resolution}``; ``one_message_share`` = answered contacts where
    one message was enough to get an answer. Every figure is None when ``messages_known`` is
    False (the source logs milestones, not each customer message).
    """
    if not messages_known:
        return dict.fromkeys(("answered", "median_to_first_answer", "mean_to_first_answer",
                              "one_message_share", "resolved", "median_to_resolution",
                              "mean_to_resolution"))
    answered = contacts.loc[contacts["answered"], "customer_messages_to_first_response"]
    figures = {
        "answered": int(len(answered)),
        "median_to_first_answer": float(answered.median()) if len(answered) else None,
        "mean_to_first_answer": float(answered.mean()) if len(answered) else None,
        "one_message_share": _share(int((answered <= 1).sum()), len(answered)),
        "resolved": None, "median_to_resolution": None, "mean_to_resolution": None,
    }
    if until_resolution is not None:
        known = until_resolution.dropna()
        figures.update(resolved=int(len(known)),
                       median_to_resolution=float(known.median()) if len(known) else None,
                       mean_to_resolution=float(known.mean()) if len(known) else None)
    return figures


def self_service_score(sessions: pd.DataFrame | None, contacts: pd.DataFrame) -> dict:
    """Self-service sessions ÷ assisted contacts in the same period.

    ``sessions`` are the period's sessions (None when the source has none: ``available`` is
    False and every figure None). ``by_topic`` maps a topic to ``{sessions, contacts, score}``
    when both sides carry topics, ``by_source`` maps help_center/faq/app/... to sessions.
    """
    if sessions is None:
        return {"available": False, "sessions": None, "contacts": int(len(contacts)),
                "score": None, "by_topic": None, "by_source": None}
    figures = {"available": True, "sessions": int(len(sessions)),
               "contacts": int(len(contacts)), "score": _share(len(sessions), len(contacts)),
               "by_source": {str(k): int(v) for k, v in
                             sessions["source"].value_counts().items()},
               "by_topic": None}
    if "topic" in sessions and "topic" in contacts:
        table = pd.DataFrame({"sessions": sessions["topic"].value_counts(),
                              "contacts": contacts["topic"].value_counts()}).fillna(0)
        table = table.sort_values("contacts", ascending=False)
        figures["by_topic"] = {
            str(topic): {"sessions": int(row.sessions), "contacts": int(row.contacts),
                         "score": _share(row.sessions, row.contacts)}
            for topic, row in table.iterrows()}
    return figures


def parse_cost_table(table) -> dict:
    """Validate a cost table (``{channel: cost, "default": cost, "self_service": cost,
    "currency": "BRL"}``); missing keys take :data:`DEFAULT_COSTS`."""
    from analytics.errors import InputError

    if table is None or table == {}:
        return dict(DEFAULT_COSTS)
    if not isinstance(table, dict):
        raise InputError("cost_table", "not a table of costs",
                         expected='e.g. {"phone": 9.5, "default": 6.0, "self_service": 0.1, '
                                  '"currency": "BRL"}', found=table)
    costs = {**DEFAULT_COSTS, **table}
    for key, value in costs.items():
        if key == "currency":
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise InputError("cost_table", f"the cost of {key!r} is not a non-negative number",
                             expected="a number such as 8.5", found=value)
    return costs


def avoidable_cost(contacts: pd.DataFrame, costs: dict) -> dict:
    """How-to contacts × (assisted cost of their channel − self-service cost).

    An upper bound: it assumes every how-to question could have been answered by a help page.
    ``{currency, how_to, total, per_how_to, by_channel: {channel: {how_to, unit, total}}}``.
    """
    how_to = contacts[contacts["intent"].eq("how_to")]
    counts = how_to["channel"].value_counts()
    by_channel = {}
    for channel, n in counts.items():
        unit = max(float(costs.get(channel, costs["default"])) - costs["self_service"], 0.0)
        by_channel[str(channel)] = {"how_to": int(n), "unit": unit, "total": unit * int(n)}
    total = float(sum(v["total"] for v in by_channel.values()))
    with_text = int(contacts["intent"].notna().sum()) if "intent" in contacts else 0
    return {"currency": costs["currency"], "how_to": int(len(how_to)),
            "total": total if with_text else None,
            "per_how_to": _share(total, len(how_to)) if with_text else None,
            "by_channel": by_channel}


#: The independence index components, each scaled so that 1 = independent, 0 = dependent.
INDEX_COMPONENTS = ("not_how_to", "learned", "single_agent", "one_message", "self_served")


def independence_index(figures: dict) -> dict:
    """A documented composite of the indicators: 100 × the mean of the available components.

    Components (each in [0, 1], higher = more independent):
    ``not_how_to`` = 1 − how-to share; ``learned`` = 1 − repeat how-to rate;
    ``single_agent`` = 1 − share of answered contacts handled by two or more agents;
    ``one_message`` = share of answered contacts where one customer message got an answer;
    ``self_served`` = sessions ÷ (sessions + contacts), the share of demand met by self-service.
    A component that cannot be computed is None and left out; ``value`` is None when none is
    available. Equal weights: the components are shown beside the index so a reader sees what
    moved it.
    """
    def one_minus(value):
        return None if value is None else 1 - value

    self_service = figures["self_service"]
    served = None
    if self_service["available"] and (self_service["sessions"] + self_service["contacts"]):
        served = self_service["sessions"] / (self_service["sessions"] + self_service["contacts"])
    components = {
        # the counted share: the corrected one depends on how well the labelled sets' error
        # rates transfer to the report's texts (docs/intents.md), shown beside it on the page
        "not_how_to": one_minus(figures["how_to"]["share"]),
        "learned": one_minus(figures["repeat_how_to"]["rate"]),
        "single_agent": one_minus(figures["intermediaries"]["multi_agent_share"]),
        "one_message": figures["effort"]["one_message_share"],
        "self_served": served,
    }
    available = [v for v in components.values() if v is not None]
    return {"value": 100 * float(np.mean(available)) if available else None,
            "components": components, "available": len(available)}


def opening_messages(messages: pd.DataFrame) -> pd.DataFrame:
    """The first inbound message of each conversation: ``conversation_id``, ``text`` and
    ``lang`` (None when the log has no language column). The log is time-ordered (io)."""
    inbound = messages[messages["direction"].eq("inbound")]
    first = inbound.drop_duplicates("conversation_id")
    columns = ["conversation_id"] + [c for c in ("text", "lang") if c in first]
    return first[columns].set_index("conversation_id")


def contact_intents(messages: pd.DataFrame, conversation_ids: pd.Series) -> pd.DataFrame:
    """Intent of each conversation's opening customer message (missing without text) and
    the language it was read in (``intent_lang``: ``en``/``pt``, given or detected)."""
    from analytics.text.intent_model import classify

    opening = opening_messages(messages)
    if "text" not in opening:
        return pd.DataFrame({"intent": pd.NA, "intent_lang": pd.NA},
                            index=conversation_ids.index, dtype="object")
    langs = opening["lang"] if "lang" in opening else None
    read = classify(opening["text"], langs)
    read = pd.DataFrame({"intent": read["intent"].astype("object"),
                         "intent_lang": read["lang"].where(read["intent"].notna())})
    read = read.reindex(conversation_ids.to_numpy())
    return pd.DataFrame(read.to_numpy(), index=conversation_ids.index, columns=read.columns)


def dependency_figures(analysis, period, costs: dict | None = None) -> dict:
    """Every dependency indicator of one period (the ``dependency`` block of the summary)."""
    facts = analysis.facts
    contacts = analysis.contacts(period)
    log = analysis.log
    all_contacts = facts[~facts["proactive"]]
    flags = repeat_how_to(all_contacts, as_of=analysis.as_of)
    flags = flags[flags["conversation_id"].isin(contacts["conversation_id"])]
    events = log.events
    resolved_known = bool(events["event"].eq("resolved").any())
    sessions = None
    if log.self_service is not None:
        sessions = log.self_service[period.contains(log.self_service["started_at"])]
    figures = {
        "how_to": how_to_share(contacts),
        "contacts_per_customer": contacts_per_active_customer(contacts),
        "repeat_how_to": repeat_how_to_summary(flags),
        "intermediaries": intermediaries(
            contacts, transfers_known=bool(events["event"].isin(["transfer", "handoff"]).any()),
            agents_known=log.agent_ids == "person"),
        "effort": customer_effort(
            contacts, messages_until_resolution(log.messages, contacts) if resolved_known
            else None, messages_known=log.message_detail == "messages"),
        "self_service": self_service_score(sessions, contacts),
        "avoidable_cost": avoidable_cost(contacts, parse_cost_table(costs or None)),
    }
    figures["independence_index"] = independence_index(figures)
    return figures



def how_to_by_channel(contacts: pd.DataFrame) -> pd.DataFrame:
    """How-to share per channel: ``with_text``, ``how_to``, ``share``; channels without text
    are left out."""
    if "intent" not in contacts or contacts.empty:
        return pd.DataFrame({"with_text": [], "how_to": [], "share": []})
    table = how_to_by(contacts, contacts["channel"].astype("str"))
    return table[table["with_text"] > 0]


def weekly_how_to(facts: pd.DataFrame, *, tz: str, end, weeks: int = 12) -> pd.DataFrame:
    """How-to share of the contacts started in each of the ``weeks`` local weeks (Monday
    start) up to ``end``: ``week_start`` (naive local date), ``with_text``, ``how_to``,
    ``share`` (NaN below :data:`MIN_WEEKLY_N` contacts with text)."""
    contacts = customer_started(facts)
    week, all_weeks = _local_weeks(contacts["start"], tz=tz, end=end, weeks=weeks)
    intent = contacts["intent"] if "intent" in contacts else pd.Series(pd.NA, index=contacts.index)
    frame = pd.DataFrame({"week_start": week, "with_text": intent.notna(),
                          "how_to": intent.eq("how_to").fillna(False)})
    table = (frame[week.isin(all_weeks)].groupby("week_start")[["with_text", "how_to"]].sum()
             .reindex(all_weeks, fill_value=0).rename_axis("week_start").reset_index())
    table[["with_text", "how_to"]] = table[["with_text", "how_to"]].astype("int64")
    table["share"] = (table["how_to"] / table["with_text"]).where(
        table["with_text"] >= MIN_WEEKLY_N)
    return table


def opening_texts(contacts: pd.DataFrame, messages: pd.DataFrame) -> pd.DataFrame:
    """The opening customer messages of ``contacts`` with a known intent: ``conversation_id``,
    ``channel``, ``intent``, ``text`` and ``lang`` when the log has one (the text functions
    detect the language otherwise); empty when the source has no text."""
    opening = opening_messages(messages)
    if "text" not in opening or contacts.empty:
        return pd.DataFrame(columns=["conversation_id", "channel", "intent", "text"])
    frame = contacts[["conversation_id", "channel", "intent"]].join(opening, on="conversation_id")
    frame = frame[frame["text"].notna() & frame["intent"].notna()]
    return frame.assign(channel=frame["channel"].astype("str"),
                        intent=frame["intent"].astype("str"))


def read_cost_table(text: str) -> dict:
    """A cost table given as text (the ``--cost-table`` option): inline JSON, or the path of
    a ``.json`` / ``.toml`` file holding it; validated by :func:`parse_cost_table`."""
    import json
    import tomllib
    from pathlib import Path

    from analytics.errors import InputError

    path = Path(text)
    try:
        if path.suffix in (".json", ".toml"):
            if not path.exists():
                raise InputError(text, "file not found")
            raw = path.read_text(encoding="utf-8")
            table = tomllib.loads(raw) if path.suffix == ".toml" else json.loads(raw)
        else:
            table = json.loads(text)
    except ValueError as exc:  # json and tomllib decode errors are ValueErrors
        raise InputError("--cost-table", f"not a readable table ({exc})",
                         expected='JSON such as {"phone": 9.5, "default": 6}',
                         found=text) from None
    return parse_cost_table(table)
