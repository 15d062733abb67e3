"""Tiny frame builders for hand-computed tests of the message log, facts and aggregates.

Rows are plain dicts in the raw message-log schema (strings, as a CSV gives them); ``log``
validates them through :func:`analytics.load.schema.validate_messages`, so every test sees messages
ordered exactly as the package orders them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analytics.load.schema import MESSAGE_COLUMNS, validate_events, validate_messages
from analytics.period import parse_period

#: The repository root (tests run from a source checkout).
ROOT = Path(__file__).resolve().parent.parent

CSV_COLUMNS = MESSAGE_COLUMNS + ("agent_id",)


def t(text: str) -> pd.Timestamp:
    """An instant; text without an offset is read as UTC."""
    stamp = pd.Timestamp(text)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def _iso(at) -> str:
    return t(at).isoformat()


def inbound(conv, at, *, customer="c1", channel="chat", author="customer") -> dict:
    """A customer message; ``at`` is ISO text (no offset = UTC)."""
    return {"conversation_id": conv, "customer_id": customer, "channel": channel,
            "sent_at": _iso(at), "direction": "inbound", "author_type": author,
            "agent_id": ""}


def outbound(conv, at, author, *, agent_id="ag1", customer="c1", channel="chat") -> dict:
    return {"conversation_id": conv, "customer_id": customer, "channel": channel,
            "sent_at": _iso(at), "direction": "outbound", "author_type": author,
            "agent_id": agent_id}


def agent(conv, at, **kw) -> dict:
    """A human agent's reply (the only kind that answers)."""
    return outbound(conv, at, "agent", **kw)


def bot(conv, at, **kw) -> dict:
    return outbound(conv, at, "bot", **{"agent_id": "bot", **kw})


def system(conv, at, **kw) -> dict:
    return outbound(conv, at, "system", **{"agent_id": "", **kw})


def raw(*rows: dict) -> pd.DataFrame:
    """Raw message table (all text, empty cells missing) with ids m1, m2, ... in input order."""
    frame = pd.DataFrame([{"message_id": f"m{i + 1}", **row} for i, row in enumerate(rows)],
                         columns=list(CSV_COLUMNS))
    return frame.replace("", np.nan)


def log(*rows: dict, source_tz=None) -> pd.DataFrame:
    """Validated, ordered message log of the given rows."""
    return validate_messages(raw(*rows), source="test", source_tz=source_tz)


def events(messages: pd.DataFrame, *rows) -> pd.DataFrame:
    """Validated events from ``(conversation_id, event, at)`` tuples."""
    frame = pd.DataFrame([{"conversation_id": c, "event": e, "at": _iso(a)} for c, e, a in rows],
                         columns=["conversation_id", "event", "at"])
    return validate_events(frame, messages, source="test-events")


def write_csv(path, *rows: dict, columns=CSV_COLUMNS):
    """Write message rows (ids m1, m2, ...) as a CSV file and return its path."""
    raw(*rows).reindex(columns=list(columns)).to_csv(path, index=False)
    return path


def fact_rows(*rows) -> pd.DataFrame:
    """Facts-like frame for the aggregates: ``(first_response_s or None, age_s or None)``.

    ``None`` as first response = unanswered (then ``age_s`` is its age). The business columns
    mirror the calendar ones.
    """
    frt = [np.nan if r[0] is None else float(r[0]) for r in rows]
    age = [np.nan if r[0] is not None else float(r[1]) for r in rows]
    return pd.DataFrame({
        "conversation_id": [f"k{i}" for i in range(len(rows))],
        "channel": ["chat"] * len(rows),
        "proactive": [False] * len(rows),
        "answered": [r[0] is not None for r in rows],
        "first_response_s": frt,
        "first_response_business_s": frt,
        "unanswered_age_s": age,
        "unanswered_business_age_s": age,
    })


#: The cut-off of the hand-made repeat and channel-movement logs.
REPEAT_AS_OF = t("2024-03-31 00:00")


def repeat_flags(*rows: dict, window_days=7, as_of=REPEAT_AS_OF) -> pd.DataFrame:
    """Contacts of a hand-made log with the repeat flags of ``repeats.repeat_contacts``."""
    from analytics.metrics.facts import conversation_facts
    from analytics.metrics.repeats import repeat_contacts

    facts = conversation_facts(log(*rows), as_of=as_of)
    return repeat_contacts(facts, window_days=window_days, as_of=as_of)


# The hand-made week of the report page tests (tests/report, tests/metrics) --------------------

#: The reader languages every page is written in.
LANGS = ("en", "pt-BR")
#: Seconds in an hour and in a day.
H = 3600.0
D = 86400.0
#: The week the conversations of ``_facts`` fall in.
PERIOD = parse_period("2024-W45", "UTC")


def _facts():
    """Six contacts and one proactive conversation, UTC, answers in seconds."""
    start = pd.to_datetime([
        "2024-11-04 12:00", "2024-11-04 13:00", "2024-11-05 02:00", "2024-11-06 15:00",
        "2024-11-07 16:00", "2024-11-08 10:00", "2024-11-08 11:00"], utc=True)
    frame = pd.DataFrame({
        "conversation_id": [f"c{i}" for i in range(7)],
        "customer_id": pd.array(["a", "a", "b", None, "c", "a", "d"], dtype="str"),
        "channel": pd.array(["email", "chat", "email", "phone", "whatsapp", "email", "email"],
                            dtype="str"),
        "start": start,
        "proactive": [False, False, False, False, False, False, True],
        "answered": [True, True, True, True, False, True, True],
        "first_response_s": [120.0, 2 * H, 30 * H, 600.0, np.nan, 3 * D, 60.0],
        "first_response_business_s": [120.0, 2 * H, 9 * H, 600.0, np.nan, 8 * H, 60.0],
        "unanswered_age_s": [np.nan, np.nan, np.nan, np.nan, 5 * D, np.nan, np.nan],
        "unanswered_business_age_s": [np.nan] * 4 + [40 * H] + [np.nan] * 2,
        "agent_replies": [1, 2, 1, 3, 0, 1, 1],
        "resolution_first_s": [np.nan] * 7,
    })
    frame["start"] = frame["start"].where(~frame["proactive"])
    next_start = pd.to_datetime(["2024-11-04 13:00", "2024-11-08 10:00", None, None, None,
                                 None, None], utc=True)
    frame["next_start"] = next_start
    frame["next_channel"] = pd.array(["chat", "email", None, None, None, None, None],
                                     dtype="str")
    frame["days_to_next"] = (frame["next_start"] - frame["start"]).dt.total_seconds() / 86400
    frame["lookahead_complete"] = [True, True, True, True, True, False, False]
    frame["repeated"] = [True, True, False, False, False, False, False]
    frame["cross_channel"] = [True, True, False, False, False, False, False]
    frame["intent"] = ["how_to", "problem", "how_to", None, "other", "how_to", "problem"]
    return frame


#: Messages of every length and kind the intent encoder meets (emoji, blanks, tabs, a
#: 5,000-character text), with their languages.
MIXED = ["ok", "🙂", "como  faço\tpara trocar a senha do app?", "\u200b",
         "my order #123 never arrived and nobody answers my e-mails. " * 3,
         "Não consigo acessar minha conta desde ontem, já tentei redefinir a senha três vezes",
         "where is the nearest store?", "adorei, obrigado!", "x " * 2500,
         "@AppleSupport can you help me update my iPhone? it keeps restarting since iOS 11"]
MIXED_LANGS = ["en", "en", "pt", "en", "en", "pt", "en", "pt", "en", "en"]


def customers_log(message_ids) -> pd.DataFrame:
    """A raw log of one inbound message per conversation, each of its own customer (so that
    out of core they spread over the buckets), with the message ids ``message_ids``."""
    n = len(message_ids)
    return pd.DataFrame({
        "message_id": list(message_ids),
        "conversation_id": [f"c{i}" for i in range(n)],
        "customer_id": [f"cust{i}" for i in range(n)],
        "channel": "chat",
        "sent_at": pd.Timestamp("2024-03-04 10:00", tz="UTC") + pd.to_timedelta(
            range(n), unit="min"),
        "direction": "inbound",
        "author_type": "customer",
    })
