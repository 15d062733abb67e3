"""Repeated contacts: customers who have to come back.

A *contact* is a conversation started by an inbound message. A contact is *repeated* when the
same customer starts another contact within ``window_days`` after its start (0 ≤ gap ≤ W, on any
channel); counting looks forward. The repeat rate only counts contacts whose window is fully
observed (the cut-off reaches start + W); the others are shown as excluded. Contacts with no
customer id stay in the denominator but can never be repeats, so low identity coverage
understates the rate (reports say by how much coverage is missing).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analytics.metrics.channels import _by_volume
from analytics.metrics.facts import customer_started
from analytics.metrics.passes import customer_order

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
    contacts = facts.loc[~facts["proactive"]]  # a new frame (copy on write): facts unchanged
    for column, values in repeat_flags(contacts, window_days=window_days, as_of=as_of,
                                       contact=np.ones(len(contacts), dtype=bool)).items():
        contacts[column] = values
    return contacts


def repeat_flags(facts: pd.DataFrame, *, window_days: float, as_of, contact=None) -> dict:
    """The :data:`REPEAT_COLUMNS` of every row of ``facts``, as arrays aligned with its rows.

    Rows where ``contact`` is False (default: the proactive ones) are neither contacts nor
    next contacts: their next contact is missing and their flags False, as the reports
    show proactive conversations. :func:`repeat_contacts` is this on the contacts only;
    ``scale.customer_facts`` calls it on all facts (no copy of the contacts).
    """
    if contact is None:
        contact = ~facts["proactive"].to_numpy(dtype=bool)
    window = pd.Timedelta(days=window_days)
    # One sort by (customer, start, conversation id); the next row of the same customer is the
    # next contact. It sorts integers (millions of string ids sort slowly): customers are only
    # grouped, so their codes need no order; a missing start sorts last.
    customer = _group_codes(facts["customer_id"])
    customer[~contact] = -1
    starts = facts["start"]
    if not (starts.dtype.kind == "M" or isinstance(starts.dtype, pd.DatetimeTZDtype)):
        raise TypeError(f"facts['start'] must hold datetimes, not {starts.dtype}")
    start = starts.array.asi8.copy()
    start[starts.isna().to_numpy()] = np.iinfo(np.int64).max
    rows, tie = customer_order(customer, start, int(customer.max(initial=-1)) + 1)
    if tie.any():
        # Contacts of one customer starting at the same instant: the conversation id decides.
        tied = rows[tie]
        rows[tie] = pd.DataFrame({
            "customer": customer[tied], "start": start[tied], "row": tied,
            "conversation_id": facts["conversation_id"].iloc[tied].to_numpy(),
        }).sort_values(["customer", "start", "conversation_id"], kind="stable")["row"].to_numpy()
    following = np.full(len(facts), -1)
    same = customer[rows[1:]] == customer[rows[:-1]]
    following[rows[:-1][same]] = rows[1:][same]
    return _flags(facts, following, window, as_of, contact)


def _flags(facts, following, window, as_of, contact) -> dict:
    """:func:`repeat_flags`' columns from each row's next contact (``following``, -1: none),
    computed on integer instants: the values of Series arithmetic (``next - start``,
    ``gap <= window``, ``total_seconds() / 86400``) without a Series per step."""
    from analytics.metrics.facts import _NAT, _PER_SECOND, _datetimes, _durations, _take_text

    starts = facts["start"]
    unit = (starts.dtype.unit if isinstance(starts.dtype, pd.DatetimeTZDtype)
            else np.datetime_data(starts.dtype)[0])
    start = starts.array.asi8
    has_next = following >= 0
    nxt = np.where(has_next, start[np.maximum(following, 0)], _NAT)
    both = has_next & (start != _NAT) & (nxt != _NAT)
    gap = np.where(both, nxt - start, _NAT)
    per_unit = 10**9 // _PER_SECOND[unit]  # nanoseconds per unit
    # gap <= window, in the starts' unit: gap * per_unit <= W  <=>  gap <= floor(W / per_unit).
    limit = window.value // per_unit
    out = {}
    out["next_start"] = _datetimes(nxt, starts.dtype, facts.index)
    channel = facts["channel"]
    out["next_channel"] = _take_text(channel, following).set_axis(facts.index)
    out["days_to_next"] = pd.Series(_durations(gap, unit) / 86400, index=facts.index)
    cut_off = pd.Timestamp(as_of)
    out["lookahead_complete"] = ((starts + window) <= cut_off).to_numpy(dtype=bool) & contact
    out["repeated"] = both & (gap <= limit)
    out["cross_channel"] = out["repeated"] & (
        out["next_channel"] != channel).fillna(False).to_numpy(dtype=bool)
    return out


def _group_codes(values: pd.Series) -> np.ndarray:
    """Integer codes that group equal values (-1: missing), in no particular order."""
    from analytics.load.schema import factorize

    return np.array(factorize(values)[0], dtype=np.int64)


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


# First-contact resolution, one-touch, frequent contacters, topics ---------------------------

#: A frequent contacter makes at least this many contacts in the period (the report parameter
#: ``frequent_k`` overrides it).
FREQUENT_K = 3
#: Conversation attributes read as a contact's topic, first found wins: ``topic`` (any source
#: that carries one), then consumidor.gov.br's ``problem`` (the *Problema* the consumer chose).
TOPIC_ATTRIBUTES = ("topic", "problem")
#: The columns :func:`next_contact_values` sorts by; the same order as :func:`repeat_contacts`.
_ORDER = ["customer_id", "start", "conversation_id"]


def one_touch_summary(contacts: pd.DataFrame, *, available: bool) -> dict:
    """One-touch resolution among the contacts an agent answered and that were resolved.

    Parameters
    ----------
    contacts : DataFrame
        Conversation facts of the period's contacts (``resolved``, ``agent_replies``,
        ``reopened``).
    available : bool
        Whether the source records resolutions (resolve events, or the inactivity rule).

    Returns
    -------
    dict
        ``available``; ``resolved`` (contacts resolved by the cut-off); ``replied`` (resolved
        contacts with at least one agent reply: the base); ``count`` (resolved with exactly
        one agent reply and never reopened); ``rate`` = count / replied. All None when
        resolutions are not recorded; ``rate`` None when nothing is in the base.

    Notes
    -----
    A contact resolved with no agent reply at all (by a bot, or closed unanswered) was not
    "touched" by an agent: it is counted in ``resolved`` but left out of the base, as Groove
    and Help Scout do, so bot resolutions neither raise nor lower the one-touch rate. Agent
    replies count from the contact's start; bot and system messages never count. See
    docs/metrics.md, "Repeated contacts".

    >>> facts = pd.DataFrame({"resolved": [True, True, True, False],
    ...                       "agent_replies": [1, 2, 0, 1],
    ...                       "reopened": [False, False, False, False]})
    >>> one_touch_summary(facts, available=True)
    {'available': True, 'resolved': 3, 'replied': 2, 'count': 1, 'rate': 0.5}
    """
    if not available:
        return {"available": False, "resolved": None, "replied": None, "count": None,
                "rate": None}
    resolved = contacts["resolved"].fillna(False).astype(bool).to_numpy()
    replies = contacts["agent_replies"].to_numpy()
    reopened = contacts["reopened"].fillna(False).astype(bool).to_numpy()
    replied = resolved & (replies >= 1)
    one = replied & (replies == 1) & ~reopened
    base = int(replied.sum())
    return {"available": True, "resolved": int(resolved.sum()), "replied": base,
            "count": int(one.sum()), "rate": float(one.sum() / base) if base else None}


def frequent_contacters_summary(contacts: pd.DataFrame, *, k: int = FREQUENT_K) -> dict:
    """Customers with ``k`` or more contacts in the period, as a share of customers and of
    contacts.

    Returns
    -------
    dict
        ``k``; ``customers`` (known customers with at least ``k`` contacts);
        ``share_customers`` (÷ known customers who got in touch); ``contacts`` (their
        contacts); ``share_contacts`` (÷ all contacts of the period, unknown people included:
        the share of the workload they bring). Figures are None when no contact carries a
        customer id (the source cannot tell who came back).

    >>> facts = pd.DataFrame({"customer_id": pd.array(["a", "a", "a", "b", None],
    ...                                               dtype="str")})
    >>> frequent_contacters_summary(facts, k=3)
    {'k': 3, 'customers': 1, 'share_customers': 0.5, 'contacts': 3, 'share_contacts': 0.6}
    """
    per_customer = contacts_per_customer(contacts)
    if per_customer.empty:
        return {"k": int(k), "customers": None, "share_customers": None, "contacts": None,
                "share_contacts": None}
    frequent = per_customer[per_customer >= k]
    return {"k": int(k), "customers": len(frequent),
            "share_customers": len(frequent) / len(per_customer),
            "contacts": int(frequent.sum()),
            "share_contacts": float(frequent.sum() / len(contacts))}


def contact_topics(attributes: pd.DataFrame | None) -> pd.Series | None:
    """The known topic of each conversation (index ``conversation_id``), or None.

    The topic is the source's own category, the first of :data:`TOPIC_ATTRIBUTES` found in
    ``attributes`` (``SupportLog.conversation_attributes``). None when the source records no
    topic: the demo company's hidden ``true_topic`` is for evaluating methods only and is
    never read here. A classifier's output can be passed to :func:`same_topic_flags` instead.
    """
    if attributes is None:
        return None
    for column in TOPIC_ATTRIBUTES:
        if column in attributes.columns and attributes[column].notna().any():
            return attributes[column].astype("str").rename("topic")
    return None


def next_contact_values(contacts: pd.DataFrame, values: pd.Series) -> pd.Series:
    """For each contact, ``values`` (indexed by ``conversation_id``) of the same customer's
    next contact; missing for unknown customers and for a customer's last contact.

    The next contact is the one :func:`repeat_contacts` calls next (same sort: customer,
    start, conversation id), so the two always agree. Proactive conversations are not
    contacts and get a missing value.
    """
    contacts_only = contacts.loc[~contacts["proactive"].astype(bool)] \
        if "proactive" in contacts.columns else contacts
    known = contacts_only[contacts_only["customer_id"].notna()]
    ordered = known.sort_values(_ORDER, kind="stable")
    same = ordered["customer_id"].eq(ordered["customer_id"].shift(-1)).to_numpy()
    mapped = values.reindex(ordered["conversation_id"].to_numpy()).to_numpy()
    following = pd.Series(mapped, index=ordered.index, dtype=values.dtype).shift(-1)
    following = following.where(same)
    return following.reindex(contacts.index).rename(f"next_{values.name or 'value'}")


def same_topic_flags(contacts: pd.DataFrame, topics: pd.Series | None) -> pd.DataFrame:
    """The repeat flags extended with topics: ``topic``, ``next_topic`` and ``same_topic``.

    ``contacts`` carries the flags of :func:`repeat_contacts` (all contacts of the log, so a
    next contact after the period is found). ``topics`` is indexed by ``conversation_id``
    (:func:`contact_topics`, or a classifier's output). ``same_topic`` is True when the contact
    is repeated and its next contact has the same known topic; it is missing (NA) when either
    topic is unknown, and False when the contact is not repeated.

    >>> facts = pd.DataFrame({
    ...     "conversation_id": ["a", "b", "c"], "customer_id": ["u", "u", "u"],
    ...     "proactive": [False] * 3, "repeated": [True, True, False],
    ...     "start": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"], utc=True)})
    >>> topics = pd.Series({"a": "billing", "b": "billing", "c": "delivery"})
    >>> same_topic_flags(facts, topics)["same_topic"].tolist()
    [True, False, False]
    """
    out = pd.DataFrame(index=contacts.index)
    if topics is None:
        out["topic"] = pd.Series(pd.NA, index=contacts.index, dtype="str")
        out["next_topic"] = out["topic"]
        out["same_topic"] = pd.array([pd.NA] * len(contacts), dtype="boolean")
        return out
    topics = topics.astype("str").rename("topic")
    out["topic"] = topics.reindex(contacts["conversation_id"].to_numpy()).to_numpy()
    out["topic"] = out["topic"].astype("str")
    out["next_topic"] = next_contact_values(contacts, topics).astype("str")
    repeated = contacts["repeated"].astype(bool).to_numpy()
    both = (out["topic"].notna() & out["next_topic"].notna()).to_numpy()
    same = pd.array(out["topic"].to_numpy() == out["next_topic"].to_numpy(), dtype="boolean")
    same[~both] = pd.NA
    same[~repeated] = False
    out["same_topic"] = same
    return out


def same_topic_summary(contacts: pd.DataFrame, *, topic_known: bool) -> dict:
    """Same-issue repeats among the eligible contacts (complete look-ahead).

    ``contacts`` carries ``same_topic`` (:func:`same_topic_flags`). Returns
    ``same_topic_repeats`` (repeated, and the next contact is about the same known topic) and
    ``topic_known_repeats`` (repeats where both topics are known: the base of the share);
    both None when the source records no topic or no customer id.
    """
    eligible = contacts[contacts["lookahead_complete"].astype(bool)]
    identified = bool(eligible["customer_id"].notna().any())
    if not topic_known or not identified:
        return {"same_topic_repeats": None, "topic_known_repeats": None}
    repeated = eligible[eligible["repeated"].astype(bool)]
    known = repeated["same_topic"].notna()
    return {"same_topic_repeats": int(repeated["same_topic"].fillna(False).sum()),
            "topic_known_repeats": int(known.sum())}


def ratio(part, whole):
    """``part / whole`` as a float; None when either is None or ``whole`` is 0.

    >>> ratio(1, 4), ratio(3, 0), ratio(None, 2)
    (0.25, None, None)
    """
    if part is None or whole is None or not whole:
        return None
    return float(part) / float(whole)


# Trend ----------------------------------------------------------------------------------------

#: The ``group`` of all channels together in :func:`repeat_trend`.
ALL = "__all__"
#: Periods longer than this (days) are drawn by month instead of by week.
WEEKLY_UP_TO_DAYS = 92


def _bucket_starts(period, monthly: bool) -> list[pd.Timestamp]:
    """Local (naive) start of each week or month of ``period``; the first one starts on the
    period's first day even when the week or month began earlier."""
    first = pd.Timestamp(period.first_day)
    last = pd.Timestamp(period.last_day)
    if monthly:
        starts = pd.date_range(first.to_period("M").start_time, last, freq="MS")
    else:
        starts = pd.date_range(first - pd.Timedelta(days=first.day_of_week), last, freq="7D")
    return sorted({max(start, first) for start in starts})


def repeat_trend(contacts: pd.DataFrame, *, period, by: str | None = "channel",
                 monthly: bool | None = None) -> pd.DataFrame:
    """Repeat rate per local week (per month for long periods), for the period and the
    previous one, for all channels together and per ``by`` group.

    Parameters
    ----------
    contacts : DataFrame
        Contacts with the repeat flags of :func:`repeat_contacts` (at least those of the
        period and of the previous one; other rows are ignored).
    period : Period
        The report period; :meth:`Period.previous` gives the one it is compared with.
    by : str or None
        Column to split by (``channel``); None for all contacts only.
    monthly : bool, optional
        Months instead of ISO weeks (Monday start); default: months when the period is longer
        than :data:`WEEKLY_UP_TO_DAYS` days.

    Returns
    -------
    DataFrame
        One row per period, bucket and group: ``period`` (``current`` or ``previous``),
        ``bucket_start`` (naive local date; the first bucket of a period starts on its first
        day), ``group`` (:data:`ALL` or the ``by`` value), ``contacts``, ``eligible`` (complete
        look-ahead), ``repeated``, ``rate`` = repeated / eligible (NaN when nothing is
        eligible or no contact of either period carries a customer id). Every bucket of both
        periods is listed for :data:`ALL`, empty ones with 0 contacts.

    Notes
    -----
    A contact belongs to the week or month its start falls in, read in the period's time
    zone; the repeat rate uses the same basis as ``repeat_summary`` (docs/metrics.md).
    """
    if monthly is None:
        monthly = period.days > WEEKLY_UP_TO_DAYS
    previous = period.previous()
    if "proactive" in contacts.columns:
        contacts = contacts[~contacts["proactive"].astype(bool)]
    start = contacts["start"]
    contacts = contacts[(start >= previous.start) & (start < period.end)]
    current = (contacts["start"] >= period.start).to_numpy()
    identified = bool(contacts["customer_id"].notna().any())
    rows = []
    for key, part, mask in (("previous", previous, ~current), ("current", period, current)):
        starts = _bucket_starts(part, monthly)
        chunk = contacts[mask]
        local = chunk["start"].dt.tz_convert(period.tz).dt.tz_localize(None).dt.normalize()
        edges = np.array(starts + [pd.Timestamp(part.last_day) + pd.Timedelta(days=1)],
                         dtype="datetime64[ns]")
        position = np.searchsorted(edges, local.to_numpy(dtype="datetime64[ns]"),
                                   side="right") - 1
        frame = pd.DataFrame({
            "bucket": position,
            "group": chunk[by].astype("str").to_numpy() if by else ALL,
            "eligible": chunk["lookahead_complete"].astype(bool).to_numpy(),
            "repeated": (chunk["lookahead_complete"].astype(bool)
                         & chunk["repeated"].astype(bool)).to_numpy(),
        })
        parts = [frame.assign(group=ALL)] + ([frame] if by else [])
        counts = (pd.concat(parts, ignore_index=True)
                  .groupby(["group", "bucket"])
                  .agg(contacts=("eligible", "size"), eligible=("eligible", "sum"),
                       repeated=("repeated", "sum")))
        full = pd.MultiIndex.from_product([[ALL], range(len(starts))], names=["group", "bucket"])
        counts = counts.reindex(counts.index.union(full), fill_value=0).reset_index()
        counts["bucket_start"] = np.array(starts, dtype="datetime64[ns]")[counts["bucket"]]
        counts["period"] = key
        rows.append(counts)
    table = pd.concat(rows, ignore_index=True)
    for column in ("contacts", "eligible", "repeated"):
        table[column] = table[column].astype("int64")
    rate = table["repeated"] / table["eligible"].where(table["eligible"] > 0)
    table["rate"] = rate if identified else np.nan
    table["period"] = pd.Categorical(table["period"], ["previous", "current"])
    table = table.sort_values(["period", "group", "bucket_start"], kind="stable")
    table["period"] = table["period"].astype("str")
    return table[["period", "bucket_start", "group", "contacts", "eligible", "repeated",
                  "rate"]].reset_index(drop=True)



# Repeated contacts ---------------------------------------------------------------------------

def known_customers(contacts: pd.DataFrame) -> pd.DataFrame:
    """The contacts that carry a customer id (the only ones that can be repeats)."""
    contacts = customer_started(contacts)
    return contacts[contacts["customer_id"].notna()]


def repeat_gap_curve(contacts: pd.DataFrame, *, window_days: float, as_of=None,
                     points: int = 241) -> pd.DataFrame:
    """Share of contacts from known customers followed by another contact within d days.

    For each d, only contacts observed for at least d days before ``as_of`` count (the
    others cannot show a next contact that late yet). Returns ``days`` (0 to 4 windows) and
    ``share`` (0-1, NaN where no contact is observed that long).
    """
    known = known_customers(contacts)
    grid = np.linspace(0, 4 * window_days, points)
    if known.empty:
        return pd.DataFrame({"days": grid, "share": np.nan})
    gaps = known["days_to_next"].to_numpy(dtype=float)
    if as_of is None:
        observed = np.full(len(known), np.inf)
    else:
        observed = ((pd.Timestamp(as_of) - known["start"]).dt.total_seconds() / 86400).to_numpy()
    seen = observed[None, :] >= grid[:, None]
    hits = (gaps[None, :] <= grid[:, None]) & seen
    counted = seen.sum(axis=1)
    share = np.divide(hits.sum(axis=1), counted, out=np.full(points, np.nan),
                      where=counted > 0)
    return pd.DataFrame({"days": grid, "share": share})


_CPC_EDGES = (1, 2, 3, 4, 5, 6, 10)


def _cpc_bins(k: int) -> list[tuple[int, float, str]]:
    """``(low, high, label)`` bins of contacts per customer: 1 to 5 one by one, 6–9, 10+,
    with a bin starting at ``k`` so frequent contacters never share a bar with the others."""
    edges = sorted(set(_CPC_EDGES) | {int(k)})
    bins = []
    for low, nxt in zip(edges, edges[1:] + [None], strict=True):
        high = math.inf if nxt is None else nxt - 1
        label = (f"{low}+" if nxt is None else str(low) if high == low else f"{low}–{high}")
        bins.append((low, high, label))
    return bins


def contacts_per_customer_distribution(contacts: pd.DataFrame, *,
                                       k: int = FREQUENT_K) -> pd.DataFrame:
    """Customers by number of contacts in the period: ``contacts`` (label ``1``..``10+``; a
    bin starts at ``k``), ``low`` (smallest count in the bin), ``customers``, ``share`` of
    known customers."""
    per_customer = contacts_per_customer(known_customers(contacts))
    lows, labels, counts = [], [], []
    for low, high, label in _cpc_bins(k):
        lows.append(low)
        labels.append(label)
        counts.append(int(((per_customer >= low) & (per_customer <= high)).sum()))
    total = sum(counts)
    return pd.DataFrame({"contacts": labels, "low": lows, "customers": counts,
                         "share": [c / total if total else 0.0 for c in counts]})


def frequent_contacters(contacts: pd.DataFrame, *, k: int = FREQUENT_K) -> pd.DataFrame:
    """Customers with ``k`` or more contacts in the period, most contacts first: ``rank``,
    ``contacts``, ``channels`` (list, by use), ``repeated`` (contacts followed by another
    within the window), ``median_s`` (median first response). Customer ids are left out."""
    known = known_customers(contacts)
    per_customer = contacts_per_customer(known)
    ids = per_customer[per_customer >= k].index
    mine = known[known["customer_id"].isin(ids)]
    grouped = mine.groupby("customer_id")
    table = pd.DataFrame({
        "contacts": per_customer.reindex(ids),
        "channels": grouped["channel"].apply(
            lambda s: s.astype("str").value_counts().index.tolist()),
        "repeated": grouped["repeated"].sum().astype("int64"),
        "median_s": grouped["first_response_s"].median(),
    }).sort_values(["contacts", "repeated"], ascending=False, kind="stable")
    table.insert(0, "rank", range(1, len(table) + 1))
    return table.reset_index(drop=True)


# Repeated contacts: trend by week or month, topics ------------------------------------------

def repeat_channel_stats(trend: pd.DataFrame) -> pd.DataFrame:
    """Repeat rate per channel in this period and the previous one, from a
    :func:`repeat_trend` table (``by="channel"``): ``group`` (channel, then :data:`analytics.metrics.repeats.ALL`
    last), ``eligible``, ``repeated``, ``rate``, ``previous_eligible``, ``previous_rate``;
    channels by contacts judged, largest first."""
    identified = trend["rate"].notna().any()
    sums = trend.groupby(["period", "group"])[["eligible", "repeated"]].sum()
    now = sums.loc["current"] if "current" in sums.index.get_level_values(0) else None
    before = sums.loc["previous"] if "previous" in sums.index.get_level_values(0) else None
    groups = sorted(set(trend["group"]) - {ALL})
    table = pd.DataFrame(index=pd.Index(groups + [ALL], name="group"))
    for prefix, frame in (("", now), ("previous_", before)):
        part = (frame if frame is not None else pd.DataFrame(columns=["eligible", "repeated"]))
        part = part.reindex(table.index, fill_value=0).astype("int64")
        table[f"{prefix}eligible"] = part["eligible"]
        table[f"{prefix}repeated"] = part["repeated"]
        rate = part["repeated"] / part["eligible"].where(part["eligible"] > 0)
        table[f"{prefix}rate"] = rate if identified else np.nan
    channels = table.drop(index=ALL)
    channels = channels[(channels["eligible"] > 0) | (channels["previous_eligible"] > 0)]
    order = _by_volume(channels["eligible"]) if len(channels) else []
    table = table.loc[order + [ALL]]
    if len(order) == 1:  # one channel: the all-channels row would only repeat it
        table = table.loc[order]
    return table.reset_index()


def repeat_topic_stats(contacts: pd.DataFrame, facts: pd.DataFrame, attributes, *,
                       top: int = 10) -> pd.DataFrame | None:
    """Repeats of ``contacts`` by the contact's topic (the source's category, from the log's
    conversation ``attributes``), most repeats first; None when the source records no topic
    (see :func:`contact_topics`). ``facts`` are all conversations (for the next contact).

    Columns: ``topic`` (``""`` = unknown), ``eligible`` (contacts with a complete window),
    ``repeated``, ``rate``, ``same_topic`` (repeats whose next contact had the same topic).
    """
    topics = contact_topics(attributes)
    if topics is None:
        return None
    flags = same_topic_flags(facts, topics)
    contacts = contacts.join(flags)
    eligible = contacts[contacts["lookahead_complete"].astype(bool)]
    frame = pd.DataFrame({"topic": eligible["topic"].fillna("").astype("str"),
                          "repeated": eligible["repeated"].astype(bool),
                          "same_topic": eligible["same_topic"].fillna(False).astype(bool)})
    table = frame.groupby("topic").agg(eligible=("repeated", "size"),
                                       repeated=("repeated", "sum"),
                                       same_topic=("same_topic", "sum")).reset_index()
    table["rate"] = table["repeated"] / table["eligible"].where(table["eligible"] > 0)
    table = table.sort_values(["repeated", "eligible", "topic"], ascending=[False, False, True],
                              kind="stable").head(top)
    return table[["topic", "eligible", "repeated", "rate", "same_topic"]].reset_index(drop=True)
