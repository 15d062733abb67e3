"""Response-time aggregates: medians first, with p90, mean and n beside them.

Every function takes conversation facts (``facts.conversation_facts``) or waits
(``facts.reply_waits``) and returns plain numbers or a new DataFrame; durations are seconds.
Unanswered conversations are never dropped: they are counted beside every figure and enter the
"still waiting" curve as right-censored observations.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd

from analytics.metrics.facts import customer_started
from analytics.period import _local_weeks

#: Below this many observations a figure is flagged as unreliable.
SMALL_N = 30

#: Distribution buckets: (label, upper bound in seconds, exclusive).
BUCKETS = (
    ("< 5 min", 5 * 60),
    ("5-15 min", 15 * 60),
    ("15-60 min", 3600),
    ("1-4 h", 4 * 3600),
    ("4-24 h", 24 * 3600),
    ("> 24 h", math.inf),
)
UNANSWERED = "unanswered"


def _none_if_nan(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def duration_stats(values: pd.Series) -> dict:
    """``n``, ``median_s``, ``p90_s`` and ``mean_s`` of the non-missing values.

    Percentiles use linear interpolation (numpy's default). Figures of an empty input are None,
    never 0.

    >>> duration_stats(pd.Series([60.0, 120.0, None, 600.0]))
    {'n': 3, 'median_s': 120.0, 'p90_s': 504.0, 'mean_s': 260.0}
    """
    data = values.dropna().to_numpy(dtype=float)
    if data.size == 0:
        return {"n": 0, "median_s": None, "p90_s": None, "mean_s": None}
    return {
        "n": int(data.size),
        "median_s": float(np.median(data)),
        "p90_s": float(np.percentile(data, 90)),
        "mean_s": float(data.mean()),
    }


def median_interval(values: pd.Series, *, level=0.95, resamples=1000, seed=0):
    """Bootstrap percentile interval for the median, as ``(low, high)`` seconds.

    Up to 5,000 values: ``resamples`` seeded bootstrap resamples. Above that the equivalent
    distribution-free order-statistic interval (ranks n/2 ± z·√n/2), which the bootstrap
    interval converges to, saves the resampling cost. Returns (None, None) for n < 2.
    """
    data = np.sort(values.dropna().to_numpy(dtype=float))
    n = data.size
    if n < 2:
        return (None, None)
    alpha = (1 - level) / 2
    if n <= 5000:
        rng = np.random.default_rng(seed)
        medians = np.median(data[rng.integers(0, n, size=(resamples, n))], axis=1)
        low, high = np.quantile(medians, [alpha, 1 - alpha])
        return (float(low), float(high))
    z = NormalDist().inv_cdf(1 - alpha)
    half = z * math.sqrt(n) / 2
    low_rank = max(int(math.floor(n / 2 - half)), 0)
    high_rank = min(int(math.ceil(n / 2 + half)), n - 1)
    return (float(data[low_rank]), float(data[high_rank]))


def share_within(values: pd.Series, limit_s: float):
    """Share of the non-missing values at or below ``limit_s`` (None when there are none)."""
    data = values.dropna()
    return None if data.empty else float((data <= limit_s).mean())


def first_response_summary(facts: pd.DataFrame, *, sla_s=None, business=False) -> dict:
    """First response of the conversations in ``facts`` (proactive ones are left out).

    Returns ``n`` (answered), ``unanswered``, ``median_s``, ``p90_s``, ``mean_s``,
    ``median_ci_s`` ([low, high]), ``within_sla`` (share of the answered at or under ``sla_s``),
    ``small_n`` (n < 30) and ``oldest_unanswered_s`` (age of the longest wait).
    """
    contacts = facts[~facts["proactive"]]
    column = "first_response_business_s" if business else "first_response_s"
    stats = duration_stats(contacts[column])
    ages = contacts.loc[~contacts["answered"], "unanswered_age_s"]
    low, high = median_interval(contacts[column])
    stats.update({
        "unanswered": int((~contacts["answered"]).sum()),
        "median_ci_s": [low, high],
        "within_sla": share_within(contacts[column], sla_s) if sla_s else None,
        "small_n": stats["n"] < SMALL_N,
        "oldest_unanswered_s": _none_if_nan(float(ages.max())) if len(ages) else None,
    })
    return stats


def first_response_table(facts: pd.DataFrame, by, *, sla_s=None, business=False) -> pd.DataFrame:
    """First response per group (e.g. ``"channel"``), sorted by contacts, largest first.

    Columns: the group, ``contacts``, ``answered``, ``unanswered``, ``unanswered_share``,
    ``median_s``, ``p90_s``, ``mean_s``, ``within_sla`` (share of answered; NaN without an
    SLA), ``small_n``.
    """
    contacts = facts[~facts["proactive"]]
    column = "first_response_business_s" if business else "first_response_s"
    grouped = contacts.groupby(by, observed=True, sort=False)
    table = grouped.agg(
        contacts=("conversation_id", "size"),
        answered=("answered", "sum"),
        median_s=(column, "median"),
        p90_s=(column, lambda s: s.quantile(0.9)),
        mean_s=(column, "mean"),
    )
    table["unanswered"] = table["contacts"] - table["answered"]
    table["unanswered_share"] = table["unanswered"] / table["contacts"]
    if sla_s:
        within = (contacts[column] <= sla_s).where(contacts[column].notna())
        table["within_sla"] = within.groupby(contacts[by], observed=True).mean()
    else:
        table["within_sla"] = np.nan
    table["small_n"] = table["answered"] < SMALL_N
    return table.sort_values("contacts", ascending=False).reset_index()


def still_waiting_curve(facts: pd.DataFrame, *, business=False) -> pd.DataFrame:
    """Kaplan–Meier estimate of the share of customers still waiting for a first answer.

    Answered conversations are events at their first-response time; unanswered ones are
    censored at their age (they have waited at least that long). Returns ``time_s``,
    ``still_waiting`` (0-1, non-increasing), ``at_risk`` and ``answered`` at each distinct time,
    starting with (0, 1.0).
    """
    contacts = facts[~facts["proactive"]]
    suffix = "business_" if business else ""
    answered = contacts["answered"].to_numpy()
    times = np.where(answered, contacts[f"first_response_{suffix}s"].to_numpy(dtype=float),
                     contacts[f"unanswered_{suffix}age_s"].to_numpy(dtype=float))
    keep = ~np.isnan(times)
    times, answered = times[keep], answered[keep]
    if times.size == 0:
        return pd.DataFrame({"time_s": [0.0], "still_waiting": [1.0], "at_risk": [0],
                             "answered": [0]})
    unique, inverse = np.unique(times, return_inverse=True)
    events = np.bincount(inverse, weights=answered, minlength=unique.size)
    leaving = np.bincount(inverse, minlength=unique.size)
    at_risk = times.size - np.concatenate(([0], np.cumsum(leaving)[:-1]))
    survival = np.cumprod(1.0 - events / at_risk)
    curve = pd.DataFrame({"time_s": unique, "still_waiting": survival,
                          "at_risk": at_risk.astype("int64"), "answered": events.astype("int64")})
    start = pd.DataFrame({"time_s": [0.0], "still_waiting": [1.0],
                          "at_risk": [int(times.size)], "answered": [0]})
    return pd.concat([start, curve], ignore_index=True)


def survival_median(curve: pd.DataFrame):
    """Time (s) at which the still-waiting share first reaches 50 %; None if it never does."""
    reached = curve.loc[curve["still_waiting"] <= 0.5, "time_s"]
    return None if reached.empty else float(reached.iloc[0])


def response_buckets(facts: pd.DataFrame, *, by=None, business=False) -> pd.DataFrame:
    """Contacts per first-response bucket (< 5 min … > 24 h, then unanswered).

    Returns a long frame: [``by``,] ``bucket`` (ordered categorical), ``contacts``, ``share``
    (of the group's contacts, unanswered included).
    """
    contacts = facts[~facts["proactive"]]
    column = "first_response_business_s" if business else "first_response_s"
    labels = [label for label, _ in BUCKETS] + [UNANSWERED]
    edges = [0] + [bound for _, bound in BUCKETS]
    bucket = pd.cut(contacts[column], bins=[-np.inf] + edges[1:], right=False,
                    labels=labels[:-1]).astype(pd.CategoricalDtype(labels, ordered=True))
    bucket = bucket.where(contacts["answered"], UNANSWERED)
    bucket = bucket.astype(pd.CategoricalDtype(labels, ordered=True))
    keys = [contacts[by], bucket] if by else [bucket]
    counts = contacts.groupby(keys, observed=False).size().rename("contacts").reset_index()
    counts = counts.rename(columns={counts.columns[-2]: "bucket"})
    totals = counts.groupby(by)["contacts"].transform("sum") if by else counts["contacts"].sum()
    counts["share"] = (counts["contacts"] / totals).fillna(0.0)
    return counts


def reply_time_summary(waits: pd.DataFrame) -> dict:
    """Every reply (first included): ``n``, ``median_s``, ``p90_s``, ``mean_s``, plus
    ``open_waits`` (waits still unanswered at the cut-off)."""
    stats = duration_stats(waits["wait_s"])
    stats["open_waits"] = int((~waits["answered"]).sum())
    return stats


#: The ``group`` of the all-channels line in :func:`weekly_first_response`.
ALL = "__all__"
#: Weeks with fewer answered contacts than this are not drawn in the weekly trend.
MIN_WEEKLY_N = 5


# First response ----------------------------------------------------------------------------

def response_base(contacts: pd.DataFrame, facts: pd.DataFrame, *, period,
                  cohort: str = "started") -> pd.DataFrame:
    """The conversations whose first response a report measures, following the cohort basis.

    ``started`` (default): ``contacts``, the contacts started in ``period``. ``replied``: the
    conversations of ``facts`` first answered in the period plus the period's contacts still
    unanswered, as in :func:`analytics.metrics.summary.period_figures`.
    """
    if cohort != "replied":
        return contacts
    answered_in = facts[~facts["proactive"] & period.contains(facts["first_response_at"])]
    return pd.concat([answered_in, contacts[~contacts["answered"]]])


#: Buckets for sources that record dates only: (key, last whole day included).
DAY_BUCKETS = (("same_day", 0), ("1_day", 1), ("2_3_days", 3), ("4_7_days", 7),
               ("8_14_days", 14), ("over_14_days", math.inf))


def first_response_buckets(facts: pd.DataFrame, *, time_precision: str = "second",
                           business: bool = False) -> pd.DataFrame:
    """Contacts per first-response bucket, with the unanswered last.

    Second-precision sources use :func:`analytics.metrics.response.response_buckets` (< 5 min …
    > 24 h). Sources that record dates only (``time_precision="day"``) are bucketed by whole
    days (same day, 1 day, 2–3, 4–7, 8–14, > 14 days): minute buckets would be meaningless.
    Returns ``bucket`` (ordered categorical), ``contacts``, ``share``.
    """
    if time_precision != "day":
        return response_buckets(facts, business=business)
    contacts = customer_started(facts)
    column = "first_response_business_s" if business else "first_response_s"
    labels = [key for key, _ in DAY_BUCKETS] + [UNANSWERED]
    edges = [-np.inf] + [last + 0.5 for _, last in DAY_BUCKETS[:-1]] + [np.inf]
    days = np.round(contacts[column].to_numpy(dtype=float) / 86400)
    bucket = pd.cut(pd.Series(days, index=contacts.index), bins=edges, right=False,
                    labels=labels[:-1]).astype("str")
    bucket = bucket.where(contacts["answered"].to_numpy(), UNANSWERED)
    counts = bucket.value_counts().reindex(labels, fill_value=0)
    total = counts.sum()
    return pd.DataFrame({
        "bucket": pd.Categorical(labels, categories=labels, ordered=True),
        "contacts": counts.to_numpy().astype("int64"),
        "share": (counts / total).to_numpy(dtype=float) if total else np.zeros(len(labels)),
    })


def bucket_shares(buckets: pd.DataFrame) -> pd.DataFrame:
    """Contacts and share per bucket, in bucket order (the categorical order of ``bucket``),
    ``bucket`` as str.

    Takes :func:`first_response_buckets` or :func:`analytics.metrics.response.response_buckets`
    output (grouped or not).
    """
    if isinstance(buckets["bucket"].dtype, pd.CategoricalDtype):
        order = [str(c) for c in buckets["bucket"].cat.categories]
    else:
        order = [label for label, _ in BUCKETS] + [UNANSWERED]
    frame = buckets.assign(bucket=buckets["bucket"].astype("str"))
    counts = frame.groupby("bucket", sort=False)["contacts"].sum().reindex(order, fill_value=0)
    total = counts.sum()
    share = counts / total if total else counts * 0.0
    return pd.DataFrame({"bucket": order, "contacts": counts.to_numpy().astype("int64"),
                         "share": share.to_numpy(dtype=float)})


def weekly_first_response(facts: pd.DataFrame, *, tz: str, end, weeks: int = 12,
                          by: str = "channel") -> pd.DataFrame:
    """Median first response per local week (Monday start) for the ``weeks`` weeks up to
    ``end``, per ``by`` group and for all groups together (group :data:`ALL`).

    Contacts belong to the week they started in. Returns ``week_start`` (naive local date),
    ``group`` (str), ``contacts``, ``answered``, ``median_s`` (NaN when fewer than
    :data:`MIN_WEEKLY_N` contacts were answered).
    """
    contacts = customer_started(facts)
    week, all_weeks = _local_weeks(contacts["start"], tz=tz, end=end, weeks=weeks)
    keep = week.isin(all_weeks)
    frame = pd.DataFrame({"week_start": week[keep], "group": contacts.loc[keep, by].astype("str"),
                          "answered": contacts.loc[keep, "answered"].astype(bool),
                          "first_response_s": contacts.loc[keep, "first_response_s"]})
    parts = [frame, frame.assign(group=ALL)]
    long = pd.concat(parts, ignore_index=True)
    table = long.groupby(["group", "week_start"]).agg(
        contacts=("answered", "size"), answered=("answered", "sum"),
        median_s=("first_response_s", "median")).reset_index()
    table["median_s"] = table["median_s"].where(table["answered"] >= MIN_WEEKLY_N)
    groups = table["group"].unique() if len(table) else np.array([ALL])
    full = pd.MultiIndex.from_product([groups, all_weeks], names=["group", "week_start"])
    table = table.set_index(["group", "week_start"]).reindex(full).reset_index()
    table[["contacts", "answered"]] = table[["contacts", "answered"]].fillna(0).astype("int64")
    return table[["week_start", "group", "contacts", "answered", "median_s"]]


def agent_stats(base: pd.DataFrame, *, sla_s: float | None) -> pd.DataFrame:
    """First response per agent who gave it (``first_responder``) among the conversations of
    ``base`` (:func:`response_base`), answered ones only, most answers first:
    ``first_responder``, ``answered``, ``median_s``, ``p90_s``, ``mean_s`` (seconds),
    ``within_sla`` (share answered within ``sla_s`` seconds; NaN without one), ``small_n``."""
    answered = base[base["answered"]]
    table = first_response_table(answered, "first_responder", sla_s=sla_s)
    return table.sort_values(["answered", "first_responder"], ascending=[False, True],
                             ignore_index=True)
