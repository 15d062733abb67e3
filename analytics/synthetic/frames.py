"""The generated world as the log's frames: messages, events and self-service sessions with
their ids (``cv-000001``, ``m-0000001``, ``ss-000001``, ``c-00001``, ``ag-01``), texts and
time-zone-aware timestamps.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.load.schema import SELF_SERVICE_SOURCES
from analytics.synthetic.conversations import World
from analytics.synthetic.parameters import (
    AUTHOR_NAMES,
    BOT,
    CHANNELS,
    EVENTS,
    INBOUND_KINDS,
    INTENTS,
    LANGS,
    PII_KINDS,
    STR,
    TOPICS,
)
from analytics.synthetic.texts import message_texts


def frames(world: World, sessions: pd.DataFrame):
    """The world's conversations, messages and events, and the self-service ``sessions``, as
    the log's three frames (messages, events, self_service): everything after the period's
    end cut, ids numbered in time order, texts written, times in the company's zone.
    """
    cal = world.cal
    conv = pd.concat(world.conversations, ignore_index=True)
    assert (conv["key"].to_numpy() == np.arange(len(conv))).all()
    msgs = {c: np.concatenate([m[c] for m in world.messages])
            for c in ("key", "t", "kind", "author", "agent")}
    keep = msgs["t"] < cal.end
    msgs = {c: v[keep] for c, v in msgs.items()}
    evts = {c: np.concatenate([e[c] for e in world.events])
            for c in ("key", "t", "event", "agent")}
    keep = evts["t"] < cal.end
    evts = {c: v[keep] for c, v in evts.items()}

    # Ids in time order.
    rank = np.empty(len(conv), dtype=np.int64)
    rank[np.lexsort((conv["key"].to_numpy(), conv["t0"].to_numpy()))] = np.arange(len(conv))
    conv_id = np.strings.add("cv-", np.strings.zfill((rank + 1).astype(STR), 6))
    order = np.lexsort((msgs["kind"], rank[msgs["key"]], msgs["t"]))
    msgs = {c: v[order] for c, v in msgs.items()}
    n = len(msgs["key"])
    message_id = np.strings.add("m-", np.strings.zfill(np.arange(1, n + 1).astype(STR), 7))

    key = msgs["key"]
    cust = conv["cust"].to_numpy()[key]
    texts, pii = message_texts(conv, msgs, world.people, cal.tz, world.rng)
    lang = conv["lang"].to_numpy()[key]
    intent = conv["intent"].to_numpy()[key]
    topic = conv["topic"].to_numpy()[key]
    inbound = np.isin(msgs["kind"], INBOUND_KINDS)
    messages = pd.DataFrame({
        "message_id": _str_series(message_id),
        "conversation_id": _str_series(conv_id[key]),
        "customer_id": _str_series(_customer_ids(cust)),
        "channel": _str_series(np.array(CHANNELS, dtype=STR)[conv["ch"].to_numpy()[key]]),
        "sent_at": _timestamps(msgs["t"], cal.tz),
        "direction": _str_series(np.where(inbound, "inbound", "outbound").astype(STR)),
        "author_type": _str_series(AUTHOR_NAMES[msgs["author"]].astype(STR)),
        "agent_id": _str_series(_agent_ids(msgs["agent"])),
        "text": _str_series(texts),
        "lang": _str_series(np.array(LANGS, dtype=STR)[lang]),
        "true_intent": _str_series(np.where(intent >= 0, np.array(INTENTS, dtype=STR)[
            np.maximum(intent, 0)], None)),
        "true_topic": _str_series(np.array(TOPICS, dtype=STR)[topic]),
        "pii": _str_series(np.where(pii >= 0, np.array(PII_KINDS, dtype=STR)[
            np.maximum(pii, 0)], None)),
    })
    order = np.lexsort((evts["event"], rank[evts["key"]], evts["t"]))
    evts = {c: v[order] for c, v in evts.items()}
    events = pd.DataFrame({
        "conversation_id": _str_series(conv_id[evts["key"]]),
        "event": _str_series(EVENTS[evts["event"]].astype(STR)),
        "at": _timestamps(evts["t"], cal.tz),
        "agent_id": _str_series(_agent_ids(evts["agent"])),
    })
    sessions = sessions[(sessions["t"] >= cal.start) & (sessions["t"] < cal.end)]
    sessions = sessions.iloc[np.lexsort((sessions["cust"].to_numpy(),
                                         sessions["t"].to_numpy()))]
    m = len(sessions)
    self_service = pd.DataFrame({
        "session_id": _str_series(np.strings.add(
            "ss-", np.strings.zfill(np.arange(1, m + 1).astype(STR), 6))),
        "customer_id": _str_series(_customer_ids(sessions["cust"].to_numpy())),
        "started_at": _timestamps(sessions["t"].to_numpy(), cal.tz),
        "source": _str_series(np.array(SELF_SERVICE_SOURCES, dtype=STR)[
            sessions["source"].to_numpy()]),
        "topic": _str_series(np.array(TOPICS, dtype=STR)[sessions["topic"].to_numpy()]),
    })
    return messages, events, self_service





def _str_series(values) -> pd.Series:
    """A column of Python strings (``None`` where missing), pandas' ``str`` dtype."""
    values = np.asarray(values, dtype=object)
    return pd.Series(values, dtype="str")


def _timestamps(seconds: np.ndarray, tz) -> pd.Series:
    """Seconds since the epoch -> timestamps in ``tz``."""
    return pd.Series(pd.to_datetime(seconds, unit="s", utc=True)).dt.tz_convert(tz)


def _customer_ids(cust: np.ndarray) -> np.ndarray:
    """Customer codes -> ``c-00001`` ...; ``None`` for unknown people (code -1)."""
    ids = np.strings.add("c-", np.strings.zfill((np.maximum(cust, 0) + 1).astype(STR), 5))
    return np.where(cust >= 0, ids.astype(object), None)


def _agent_ids(agent: np.ndarray) -> np.ndarray:
    """Agent codes -> ``ag-01`` ...; ``bot`` for code 0, ``None`` for no agent (-1)."""
    ids = np.strings.add("ag-", np.strings.zfill(np.maximum(agent, 0).astype(STR), 2))
    out = np.where(agent > 0, ids.astype(object), None)
    return np.where(agent == BOT, "bot", out)
