"""Repeated contacts: customers who have to come back.

A *contact* is a conversation started by an inbound message. A contact is *repeated* when the
same customer starts another contact within ``window_days`` after its start (0 ≤ gap ≤ W, on any
channel); counting looks forward. The repeat rate only counts contacts whose window is fully
observed (the cut-off reaches start + W); the others are shown as excluded. Contacts with no
customer id stay in the denominator but can never be repeats, so low identity coverage
understates the rate (reports say by how much coverage is missing).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

REPEAT_COLUMNS = ("next_start", "next_channel", "days_to_next", "lookahead_complete",
                  "repeated", "cross_channel")


def repeat_contacts(facts: pd.DataFrame, *, window_days: float = 7, as_of) -> pd.DataFrame:
    """Add the repeat-contact flags to each contact (proactive conversations are dropped).

    Parameters
    ----------
    facts : DataFrame
        Conversation facts (``customer_id``, ``channel``, ``start``, ``proactive``).
    window_days : float
        The repeat window W in days.
    as_of : Timestamp
        The cut-off: the data is complete up to here.

    Returns
    -------
    DataFrame
        The contacts with ``next_start`` / ``next_channel`` (the same customer's next contact,
        on any channel), ``days_to_next``, ``lookahead_complete`` (start + W ≤ as_of),
        ``repeated`` (next contact within W days; False for unknown customers) and
        ``cross_channel`` (repeated on another channel).
    """
    contacts = facts.loc[~facts["proactive"]].copy()
    window = pd.Timedelta(days=window_days)
    known = contacts["customer_id"].notna()
    # One sort by (customer, start); the next row of the same customer is the next contact.
    ordered = contacts[known].sort_values(["customer_id", "start", "conversation_id"],
                                          kind="stable")
    same = ordered["customer_id"].eq(ordered["customer_id"].shift(-1))
    contacts["next_start"] = ordered["start"].shift(-1).where(same)
    contacts["next_channel"] = ordered["channel"].shift(-1).where(same)
    gap = contacts["next_start"] - contacts["start"]
    contacts["days_to_next"] = gap.dt.total_seconds() / 86400
    contacts["lookahead_complete"] = (contacts["start"] + window) <= as_of
    contacts["repeated"] = (gap <= window).fillna(False).astype(bool)
    contacts["cross_channel"] = contacts["repeated"] & (
        contacts["next_channel"] != contacts["channel"]).fillna(False).astype(bool)
    return contacts


def repeat_summary(contacts: pd.DataFrame, *, window_days: float) -> dict:
    """The repeat-contact figures of contacts flagged by :func:`repeat_contacts`.

    ``eligible`` = contacts with a complete look-ahead; ``repeated`` and ``cross_channel``
    count among them; ``rate`` = repeated / eligible (None when nothing is eligible);
    ``fcr`` = 1 − rate (both None when no eligible contact has a customer id: the source
    cannot tell repeats); ``excluded_no_lookahead`` = contacts whose window runs past the data;
    ``identity_coverage`` = share of contacts with a customer id.
    """
    eligible = contacts[contacts["lookahead_complete"]]
    repeated = int(eligible["repeated"].sum())
    n = len(eligible)
    # With no customer id at all nothing can be a repeat: the rate is unknown, not 0.
    identified = bool(eligible["customer_id"].notna().any())
    rate = repeated / n if n and identified else None
    return {
        "window_days": window_days,
        "eligible": n,
        "repeated": repeated,
        "rate": rate,
        "fcr": None if rate is None else 1 - rate,
        "excluded_no_lookahead": int((~contacts["lookahead_complete"]).sum()),
        "cross_channel": int(eligible["cross_channel"].sum()),
        "identity_coverage": float(contacts["customer_id"].notna().mean()) if len(contacts)
        else None,
    }


def contacts_per_customer(contacts: pd.DataFrame) -> pd.Series:
    """Number of contacts per known customer (index ``customer_id``), largest first."""
    counts = contacts["customer_id"].dropna().value_counts()
    return counts.rename("contacts").astype(np.int64)
