"""The benchmark's metric table from per-bucket rows: medians and percentiles computed once, exactly."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from analytics.load.schema import factorize

METRIC_COLUMNS = (
    "channel", "week", "contacts", "answered", "frt_median_s", "frt_p90_s", "frt_mean_s",
    "frt_business_median_s", "frt_business_p90_s", "frt_business_mean_s", "within_sla",
    "replies", "open_waits", "reply_median_s", "reply_p90_s", "reply_mean_s",
    "repeat_eligible", "repeated",
)


# --- the metric table ----------------------------------------------------------------------


def _week(start: pd.Series, tz: str) -> pd.Series:
    """Monday (local date, as naive midnight) of each instant's ISO week in ``tz``."""
    if tz == "UTC" and isinstance(start.dtype, pd.DatetimeTZDtype):
        unit = start.dtype.unit
        per_day = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[unit] * 86_400
        values = start.array.asi8
        days = np.floor_divide(values, per_day)
        monday = (days - (days + 3) % 7) * per_day  # 1970-01-01 was a Thursday
        week = pd.Series(monday.view(f"M8[{unit}]"), index=start.index)
        return week.where(start.notna())
    local = start.dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()
    return local - pd.to_timedelta(local.dt.day_of_week, unit="D")


def _wait_rows(facts: pd.DataFrame, waits: pd.DataFrame) -> np.ndarray:
    """Position in ``facts`` of each wait's conversation.

    :func:`analytics.metrics.facts.facts_and_waits` lists waits grouped by conversation in the facts'
    row order, and a conversation has waits exactly when it has customer messages: then the
    positions follow from where the id changes, checked against the facts, with no lookup of
    millions of strings. Frames in any other order are matched by id.
    """
    ids = waits["conversation_id"]
    change = ids.ne(ids.shift()).to_numpy()
    run = np.cumsum(change) - 1
    candidates = np.flatnonzero(facts["customer_messages"].to_numpy() > 0)
    if len(candidates) == int(change.sum()):
        firsts = ids.iloc[np.flatnonzero(change)].reset_index(drop=True)
        expected = facts["conversation_id"].iloc[candidates].reset_index(drop=True)
        if firsts.equals(expected):
            return candidates[run]
    return pd.Index(facts["conversation_id"]).get_indexer(ids)


def metric_inputs(facts: pd.DataFrame, waits: pd.DataFrame, *, tz: str = "UTC"):
    """The per-conversation and per-wait values the metric table aggregates (small frames).

    Returns
    -------
    contacts : DataFrame
        One row per contact (non-proactive conversation): ``channel``, ``week`` (Monday of
        the start's ISO week in ``tz``), ``first_response_s``, ``first_response_business_s``,
        ``lookahead_complete``, ``repeated``.
    replies : DataFrame
        One row per wait of those contacts: ``channel``, ``week``, ``wait_s`` (NaN if open).
    """
    contact = ~facts["proactive"].to_numpy(dtype=bool)
    week = _week(facts["start"], tz).to_numpy()
    codes, names = factorize(facts["channel"])
    # A categorical: small to send between processes (see _combine for several buckets).
    channel = pd.Series(pd.Categorical.from_codes(codes, categories=names))
    contacts = pd.DataFrame({
        "channel": channel[contact].reset_index(drop=True),
        "week": week[contact],
        "first_response_s": facts["first_response_s"].to_numpy()[contact],
        "first_response_business_s": facts["first_response_business_s"].to_numpy()[contact],
        "lookahead_complete": facts["lookahead_complete"].to_numpy(dtype=bool)[contact],
        "repeated": facts["repeated"].to_numpy(dtype=bool)[contact],
    })
    rows = _wait_rows(facts, waits)
    mine = (rows >= 0) & contact[np.maximum(rows, 0)]
    rows = rows[mine]
    replies = pd.DataFrame({
        "channel": channel.iloc[rows].reset_index(drop=True),
        "week": week[rows],
        "wait_s": waits["wait_s"].to_numpy()[mine],
    })
    return contacts, replies


def _group_stats(values: np.ndarray, group: np.ndarray, n_groups: int, prefix: str) -> dict:
    """Exact per-group n, median, p90 and mean of the non-missing values.

    Values are sorted within groups, so the figures do not depend on row order; percentiles
    interpolate linearly exactly as ``numpy.percentile`` does.
    """
    ok = ~np.isnan(values)
    values, group = values[ok], group[ok]
    whole = values.astype(np.int64)
    if len(values) and (whole == values).all() and whole.min() >= 0 and whole.max() < 2**40:
        # Whole seconds (the usual case): one sort of (group, value) packed in an integer.
        key = np.sort((group.astype(np.int64) << 40) | whole)
        group, values = key >> 40, (key & (2**40 - 1)).astype(float)
    else:
        # Sort by value, then stably by group (a radix sort when groups fit in 16 bits).
        order = np.argsort(values)
        small = np.int16 if n_groups < 2**15 else np.int64
        order = order[np.argsort(group[order].astype(small), kind="stable")]
        values, group = values[order], group[order]
    n = np.bincount(group, minlength=n_groups)
    first = np.concatenate(([0], np.cumsum(n)[:-1]))
    has = n > 0
    padded = np.append(values, np.nan)  # empty groups read this NaN
    out = {f"{prefix}n": n}
    for name, q in (("median", 0.5), ("p90", 0.9)):
        position = (n - 1) * q
        low = np.floor(position).astype(np.int64)
        high = np.minimum(low + 1, n - 1)
        t = position - low
        a = padded[np.where(has, first + low, len(values))]
        b = padded[np.where(has, first + high, len(values))]
        # numpy's _lerp: a + (b - a) t below t = 0.5, b - (b - a)(1 - t) from there.
        diff = b - a
        out[f"{prefix}{name}_s"] = np.where(t >= 0.5, b - diff * (1 - t), a + diff * t)
    sums = np.bincount(group, weights=values, minlength=n_groups)
    out[f"{prefix}mean_s"] = np.where(has, sums / np.maximum(n, 1), np.nan)
    return out


def _channel_weeks(contacts: pd.DataFrame, replies: pd.DataFrame):
    """Group number (sorted by channel, then week) of each contact and reply, and the groups."""
    channel_codes, channels = [], []
    for frame in (contacts, replies):
        codes, uniques = factorize(frame["channel"])
        channel_codes.append(codes)
        channels.append(uniques)
    names = pd.Index(sorted(set(channels[0]) | set(channels[1])), dtype="str")
    weeks = [frame["week"].to_numpy() for frame in (contacts, replies)]
    week_values = np.sort(pd.unique(np.concatenate(weeks)))
    keys = []
    for codes, uniques, week in zip(channel_codes, channels, weeks, strict=True):
        channel = names.get_indexer(pd.Index(uniques, dtype="str"))[codes]
        keys.append(channel.astype(np.int64) * len(week_values)
                    + np.searchsorted(week_values, week))
    # Keys are small (channels x weeks): a table of the keys present numbers them, as
    # np.unique and searchsorted would, without sorting millions of rows.
    present = np.zeros(len(names) * len(week_values) + 1, dtype=bool)
    present[keys[0]] = True
    distinct = np.flatnonzero(present)
    below = np.cumsum(present) - present  # keys present below each key
    group, reply_group = below[keys[0]], below[keys[1]]
    table = pd.DataFrame({"channel": names[distinct // max(len(week_values), 1)],
                          "week": week_values[distinct % max(len(week_values), 1)]})
    return group.ravel(), reply_group, table


def aggregate_metrics(contacts: pd.DataFrame, replies: pd.DataFrame, *,
                      sla_s: float = 3600) -> pd.DataFrame:
    """The metric table from :func:`metric_inputs` (of one log, or of many buckets).

    One row per channel and week with contacts: ``contacts``, ``answered``, first response
    ``frt_median_s``/``frt_p90_s``/``frt_mean_s`` (answered contacts), the same in business
    seconds, ``within_sla`` (share of answered contacts answered within ``sla_s``; NaN when
    none), every reply wait of those contacts (``replies`` answered, ``open_waits``,
    ``reply_median_s``/``reply_p90_s``/``reply_mean_s``), ``repeat_eligible`` (look-ahead
    complete) and ``repeated`` among them. Sorted by channel and week.
    """
    group, reply_group, keys = _channel_weeks(contacts, replies)
    n = len(keys)
    frt = contacts["first_response_s"].to_numpy(dtype=float)
    business = contacts["first_response_business_s"].to_numpy(dtype=float)
    wait = replies["wait_s"].to_numpy(dtype=float)
    # The reply waits (the most values) are sorted in a second thread (NumPy's sort releases
    # the GIL).
    with ThreadPoolExecutor(1) as thread:
        pending = thread.submit(_group_stats, wait, reply_group, n, "reply_")
        try:
            first = _group_stats(frt, group, n, "frt_")
            in_business = _group_stats(business, group, n, "frt_business_")
        finally:
            reply = pending.result()
    answered = frt[~np.isnan(frt)]
    within = np.bincount(group[~np.isnan(frt)], weights=answered <= sla_s, minlength=n)
    eligible = contacts["lookahead_complete"].to_numpy(dtype=bool)
    repeated = eligible & contacts["repeated"].to_numpy(dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        within_sla = np.where(first["frt_n"] > 0, within / np.maximum(first["frt_n"], 1),
                              np.nan)
    table = pd.DataFrame({
        "channel": keys["channel"].astype("str"),
        "week": keys["week"],
        "contacts": np.bincount(group, minlength=n).astype(np.int64),
        "answered": first["frt_n"].astype(np.int64),
        "frt_median_s": first["frt_median_s"], "frt_p90_s": first["frt_p90_s"],
        "frt_mean_s": first["frt_mean_s"],
        "frt_business_median_s": in_business["frt_business_median_s"],
        "frt_business_p90_s": in_business["frt_business_p90_s"],
        "frt_business_mean_s": in_business["frt_business_mean_s"],
        "within_sla": within_sla,
        "replies": reply["reply_n"].astype(np.int64),
        "open_waits": np.bincount(reply_group[np.isnan(wait)], minlength=n).astype(np.int64),
        "reply_median_s": reply["reply_median_s"], "reply_p90_s": reply["reply_p90_s"],
        "reply_mean_s": reply["reply_mean_s"],
        "repeat_eligible": np.bincount(group[eligible], minlength=n).astype(np.int64),
        "repeated": np.bincount(group[repeated], minlength=n).astype(np.int64),
    })
    return table[list(METRIC_COLUMNS)]


def metric_table(facts: pd.DataFrame, waits: pd.DataFrame, *, sla_s: float = 3600,
                 tz: str = "UTC") -> pd.DataFrame:
    """First response, business-hours first response, every reply and repeat contacts by
    channel and ISO week of the start (see :func:`aggregate_metrics`).

    Medians and percentiles cannot be combined across partitions, so partitioned runs keep
    each bucket's :func:`metric_inputs` (one row per contact or wait) and aggregate once.
    """
    return aggregate_metrics(*metric_inputs(facts, waits, tz=tz), sla_s=sla_s)
