"""Pseudonymous customer and agent ids for what is published (LGPD art. 12 and 13).

A published report never carries the source's ids: many helpdesks use the e-mail address,
the phone number or the CPF as the customer id. Each id is replaced by a stable keyed hash,
``c-`` (customer) or ``a-`` (agent) and the first 16 hex digits of
HMAC-SHA256(key, id): the same id gets the same pseudonym in every report made with the same
key (repeat contacts and trends still line up), and nobody without the key can test a guess
("is this maria@example.com?"), which a plain hash would allow. 64 bits keep collisions
negligible: about 3 in 100 million for a million distinct ids, so the figures do not move.

The key is 32 random bytes (hex) in a local file, made on first use with mode 0600 and kept
outside the reports: ``$XDG_CONFIG_HOME/support-analytics/id-key`` (default
``~/.config/support-analytics/id-key``). Whoever holds the key and the raw data can link a
pseudonym back to a person; delete the key to make old pseudonyms unlinkable.

Agents are shown by a display name from an optional agents table (CSV with ``agent_id`` and
``name``), else by their pseudonym. Where the source's agent id names a company or a brand
account, not a person (``SupportLog.agent_ids == "company"``: twcs, consumidor.gov.br), it is
not personal data and stays as it is.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import pandas as pd

from analytics.errors import InputError

#: Hex digits of the HMAC kept in a pseudonym (64 bits).
DIGITS = 16


def default_key_path() -> Path:
    """``$XDG_CONFIG_HOME/support-analytics/id-key`` (``~/.config/...`` by default)."""
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "support-analytics" / "id-key"


def ensure_key(path=None, *, output=None) -> Path:
    """The key file, made (32 random bytes, hex, mode 0600) when it does not exist yet.

    ``output``: the reports folder; a key inside it would be published with the reports and
    is refused.
    """
    path = Path(path) if path else default_key_path()
    if output is not None and Path(output).resolve() in path.resolve().parents:
        raise InputError(path, "the pseudonym key is inside the reports folder",
                         expected="a key file outside " + str(output))
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:  # another run made it first
            return path
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
    return path


def read_key(path) -> bytes:
    """The key bytes of a key file."""
    text = Path(path).read_text(encoding="ascii").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 16:
        raise InputError(path, "not a pseudonym key", expected="at least 32 hex digits")
    return key


def pseudonyms(ids: pd.Series, key: bytes, prefix: str) -> pd.Series:
    """``ids`` with each value replaced by ``prefix`` + HMAC-SHA256(key, id)[:16] (hex);
    missing stays missing. The index is kept.

    >>> s = pd.Series(["ana@example.com", None, "ana@example.com"])
    >>> out = pseudonyms(s, b"k" * 32, "c-")
    >>> out[0] == out[2], out[0].startswith("c-"), len(out[0]), pd.isna(out[1])
    (True, True, 18, True)
    """
    codes, uniques = pd.factorize(ids.astype(object), use_na_sentinel=True)
    # One HMAC per distinct id (hashlib has no vectorised form); the rows take theirs by code.
    hashed = [prefix + hmac.new(key, str(value).encode("utf-8"), hashlib.sha256)
              .hexdigest()[:DIGITS] for value in uniques]
    mapped = pd.Series(pd.array(hashed + [None], dtype="str")).take(codes).to_numpy()
    return pd.Series(mapped, index=ids.index, name=ids.name, dtype="str")


def read_agents(path) -> pd.Series:
    """The agents table (CSV: ``agent_id``, ``name``) as display name by agent id."""
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not a readable agents table ({type(exc).__name__})",
                         expected="a CSV with agent_id and name") from None
    missing = [c for c in ("agent_id", "name") if c not in table.columns]
    if missing:
        raise InputError(path, "column not found", column=missing[0],
                         expected="a CSV with agent_id and name")
    return table.set_index(table["agent_id"].str.strip())["name"].str.strip()


def pseudonymize_log(log, key: bytes, agents: pd.Series | None = None):
    """The log with customer ids (messages, self-service) and agent ids (messages, events)
    replaced by pseudonyms; agents found in ``agents`` get their display name instead, and
    agent ids that name companies (``log.agent_ids == "company"``) are kept."""

    def agent_names(ids):
        if log.agent_ids == "company":
            return ids
        shown = pseudonyms(ids, key, "a-")
        if agents is not None:
            named = ids.map(agents)
            shown = named.where(named.notna() & (named != ""), shown).astype("str")
        return shown

    messages = log.messages.copy()
    messages["customer_id"] = pseudonyms(messages["customer_id"], key, "c-")
    if "agent_id" in messages:
        messages["agent_id"] = agent_names(messages["agent_id"])
    events = log.events.copy()
    if "agent_id" in events and len(events):
        events["agent_id"] = agent_names(events["agent_id"])
    sessions = log.self_service
    if sessions is not None:
        sessions = sessions.copy()
        sessions["customer_id"] = pseudonyms(sessions["customer_id"], key, "c-")
    return log.replace(messages=messages, events=events, self_service=sessions)
