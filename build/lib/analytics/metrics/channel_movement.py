"""Channel movement per customer: which channel customers use next, and who is pushed across.

Everything here reads the repeat flags of :func:`analytics.metrics.repeats.repeat_contacts`
(``next_channel``, ``repeated``, ``cross_channel``, ``lookahead_complete``) on the contacts of
one period; there is no loop per customer.

- **Transition**: for each known customer with two or more contacts in the period, the channel
  of their first contact of the period against the channel of their next contact. The
  **switch share** = customers whose next contact came on another channel ÷ customers with two
  or more contacts.
- **Forced migration**: a customer whose contact on one channel was followed, within the repeat
  window, by a contact on another channel (a cross-channel repeat). Counted among customers
  with at least one contact whose window is complete, on the same basis as the repeat rate;
  the share = those customers ÷ customers with at least one such contact.

Contacts without a customer id take no part: when no contact carries one, every figure is
None (the source cannot tell who moved), never 0. See docs/metrics.md, "Channels".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.metrics.repeats import ratio


def _known(contacts: pd.DataFrame) -> pd.DataFrame:
    if "proactive" in contacts.columns:
        contacts = contacts[~contacts["proactive"].astype(bool)]
    return contacts[contacts["customer_id"].notna()]


def first_and_next(contacts: pd.DataFrame) -> pd.DataFrame:
    """One row per known customer with two or more contacts in ``contacts``: ``customer_id``,
    ``first_channel`` (their first contact's), ``next_channel`` (the next contact's),
    ``switched`` (the two differ)."""
    known = _known(contacts)
    # Sort integer codes, not strings (customer, start, conversation id: the order of the
    # repeat flags); customers are only grouped, so their codes need no order.
    customer = pd.factorize(known["customer_id"])[0]
    start = known["start"].array.asi8
    conversation = pd.factorize(known["conversation_id"], sort=True)[0]
    order = np.lexsort((conversation, start, customer))
    ordered = customer[order]
    first_row = np.ones(len(order), dtype=bool)
    first_row[1:] = ordered[1:] != ordered[:-1]
    counts = np.bincount(customer, minlength=customer.max(initial=-1) + 1)
    firsts = order[first_row]
    multi = known.iloc[firsts[counts[customer[firsts]] >= 2]]
    first = multi["channel"].astype("str")
    following = multi["next_channel"].astype("str")
    return pd.DataFrame({"customer_id": multi["customer_id"].to_numpy(),
                         "first_channel": first.to_numpy(),
                         "next_channel": following.to_numpy(),
                         "switched": (first != following).to_numpy()})


def channel_transitions(contacts: pd.DataFrame, *, order=None) -> pd.DataFrame:
    """The transition matrix: first-contact channel (rows) × next-contact channel (columns).

    Parameters
    ----------
    contacts : DataFrame
        The period's contacts with the repeat flags.
    order : list of str, optional
        Channel order of rows and columns; default: by customers who started on the channel,
        largest first, then the channels that only appear as a next contact.

    Returns
    -------
    DataFrame
        Long form, one row per (first, next) pair of the full matrix: ``first_channel``,
        ``next_channel``, ``customers``, ``share`` (of the row: customers who started on
        ``first_channel``; NaN for an empty row).

    >>> contacts = pd.DataFrame({
    ...     "customer_id": ["a", "a", "b", "b"], "conversation_id": ["1", "2", "3", "4"],
    ...     "channel": ["chat", "email", "chat", "chat"],
    ...     "next_channel": ["email", None, "chat", None],
    ...     "start": pd.to_datetime(["2024-01-01", "2024-01-02"] * 2, utc=True)})
    >>> channel_transitions(contacts)[["first_channel", "next_channel", "customers"]].values.tolist()
    [['chat', 'chat', 1], ['chat', 'email', 1], ['email', 'chat', 0], ['email', 'email', 0]]
    """
    pairs = first_and_next(contacts)
    if order is None:
        order = []
        for column in ("first_channel", "next_channel"):
            volume = pairs[column].value_counts()
            frame = pd.DataFrame({"channel": volume.index.astype("str"), "n": volume.to_numpy()})
            ranked = frame.sort_values(["n", "channel"], ascending=[False, True])["channel"]
            order += [c for c in ranked if c not in order]
    matrix = pd.crosstab(pairs["first_channel"], pairs["next_channel"])
    matrix = matrix.reindex(index=order, columns=order, fill_value=0).astype("int64")
    totals = matrix.sum(axis=1)
    shares = matrix.div(totals.where(totals > 0), axis=0)
    long = matrix.stack().rename("customers").to_frame()
    long["share"] = shares.stack()
    long.index.names = ["first_channel", "next_channel"]
    return long.reset_index()


def forced_migration(contacts: pd.DataFrame) -> pd.DataFrame:
    """Per known customer with at least one contact whose window is complete: ``customer_id``
    and ``migrated`` (one of those contacts was followed within the window by a contact on
    another channel)."""
    known = _known(contacts)
    eligible = known[known["lookahead_complete"].astype(bool)]
    migrated = eligible["cross_channel"].astype(bool).groupby(eligible["customer_id"]).any()
    return pd.DataFrame({"customer_id": migrated.index.to_numpy(),
                         "migrated": migrated.to_numpy()})


def forced_migration_pairs(contacts: pd.DataFrame, *, top: int = 5) -> pd.DataFrame:
    """The channel pairs of the cross-channel repeats (complete window), most frequent first:
    ``from_channel``, ``to_channel``, ``repeats``, ``customers`` (distinct), ``share`` (of all
    cross-channel repeats)."""
    known = _known(contacts)
    moved = known[known["lookahead_complete"].astype(bool) & known["cross_channel"].astype(bool)]
    frame = pd.DataFrame({"from_channel": moved["channel"].astype("str").to_numpy(),
                          "to_channel": moved["next_channel"].astype("str").to_numpy(),
                          "customer_id": moved["customer_id"].to_numpy()})
    table = frame.groupby(["from_channel", "to_channel"]).agg(
        repeats=("customer_id", "size"), customers=("customer_id", "nunique")).reset_index()
    table["share"] = table["repeats"] / len(frame) if len(frame) else 0.0
    table = table.sort_values(["repeats", "from_channel", "to_channel"],
                              ascending=[False, True, True], kind="stable")
    return table.head(top).reset_index(drop=True)


def channel_movement_summary(contacts: pd.DataFrame) -> dict:
    """The channel-movement figures of the ``metrics --json`` contract.

    Returns
    -------
    dict
        ``customers_multi`` (known customers with two or more contacts), ``switchers`` (their
        next contact came on another channel), ``switch_share``; ``forced_migration_base``
        (known customers with a contact whose window is complete), ``forced_migration``
        (those with a cross-channel repeat), ``forced_migration_share``. All None when no
        contact carries a customer id.
    """
    if _known(contacts).empty:
        return {"customers_multi": None, "switchers": None, "switch_share": None,
                "forced_migration_base": None, "forced_migration": None,
                "forced_migration_share": None}
    pairs = first_and_next(contacts)
    migration = forced_migration(contacts)
    switchers = int(pairs["switched"].sum())
    migrated = int(migration["migrated"].sum())
    return {"customers_multi": len(pairs), "switchers": switchers,
            "switch_share": ratio(switchers, len(pairs)),
            "forced_migration_base": len(migration), "forced_migration": migrated,
            "forced_migration_share": ratio(migrated, len(migration))}
