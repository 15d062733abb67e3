"""Figures and tables of the report notebooks.

Plot functions take data, ``ax=None`` and ``lang``, draw one chart in the house style
(:mod:`analytics.style`) and return the Axes; they label units and the period, and never save
or show. Table functions return a plain DataFrame of formatted strings, ready for
``table.style.hide(axis="index")``. Every text comes from :mod:`analytics.i18n`.

Durations are drawn in human units (minutes, hours or days, named in the axis label). Channel
colours are fixed (:func:`analytics.style.channel_colors`); channel names come from
:func:`analytics.i18n.channel_label`. Only plain string columns are passed to seaborn: a
Categorical ``hue`` draws off-centre bars under pandas 3.
"""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator

from analytics import channel_movement, channels, dependency, repeats, response, style
from analytics.channels import PUBLIC_CHANNELS, is_public
from analytics.i18n import channel_label, purchase_channel_label, t
from analytics.repeats import FREQUENT_K, contacts_per_customer
from analytics.summary import parse_duration

#: The ``group`` of the all-channels line in :func:`weekly_first_response`.
ALL = "__all__"
#: Weeks with fewer answered contacts than this are not drawn in the weekly trend.
MIN_WEEKLY_N = 5
#: Left edge of the still-waiting time axis (s): faster answers are drawn at this edge.
_WAIT_XMIN = 60.0
#: Characters per title line before wrapping (13 pt bold on a 9-inch figure).
_TITLE_WIDTH = 70
_WAIT_TICKS = (60, 300, 900, 3600, 4 * 3600, 86400, 7 * 86400, 30 * 86400,
               90 * 86400, 365 * 86400)


# Helpers ---------------------------------------------------------------------------------

def _axes(ax, figsize=None):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def _label(period) -> str:
    return "" if period is None else str(getattr(period, "label", period))


def _title(ax, text: str, period=None):
    """Title with the period label, wrapped so it never runs past the figure."""
    label = _label(period)
    ax.set_title(textwrap.fill(f"{text} · {label}" if label else text, _TITLE_WIDTH))


def _labelled_axes(ax, key: str, period, lang: str):
    """Axes titled and labelled from the i18n texts ``plot.<key>.title/xlabel/ylabel``."""
    ax = _axes(ax)
    _title(ax, t(f"plot.{key}.title", lang), period)
    ax.set_xlabel(t(f"plot.{key}.xlabel", lang))
    ax.set_ylabel(t(f"plot.{key}.ylabel", lang))
    return ax


def _no_data(ax, lang: str, key: str = "plot.no_data"):
    """Write "no data" in the middle of the axes instead of drawing empty ones."""
    ax.text(0.5, 0.5, t(key, lang), ha="center", va="center", transform=ax.transAxes,
            fontsize=12, color=style.REFERENCE_COLOR)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    return ax


def _percent_axis(axis, lang: str, digits: int = 0):
    axis.set_major_formatter(FuncFormatter(
        lambda value, _pos: style.format_percent(value / 100, lang, digits)))


def _tick_duration(seconds: float, lang: str) -> str:
    """Compact whole-unit tick labels: ``5 min``, ``4 h``, ``1 day``, ``7 days``."""
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400:
        return f"{seconds / 3600:.0f} h"
    days = round(seconds / 86400)
    return t("unit.day" if days == 1 else "unit.days", lang, n=style.format_count(days, lang))


def customer_started(facts: pd.DataFrame) -> pd.DataFrame:
    """Customer-started conversations only (drops proactive ones when flagged)."""
    if "proactive" in facts.columns:
        return facts[~facts["proactive"].astype(bool)]
    return facts


def _channel_counts(data) -> pd.Series:
    """Contacts per channel from contacts (a frame with ``channel``), a Series or a dict."""
    if data is None:
        return pd.Series(dtype="int64")
    if isinstance(data, pd.DataFrame):
        return customer_started(data)["channel"].astype("str").value_counts()
    return pd.Series(dict(data), dtype="float64").fillna(0).astype("int64")


def _by_volume(counts: pd.Series) -> list[str]:
    """Channels by volume, largest first; ties by name so the order is stable."""
    frame = pd.DataFrame({"channel": counts.index.astype("str"), "n": counts.to_numpy()})
    return frame.sort_values(["n", "channel"], ascending=[False, True])["channel"].tolist()


def change_text(current, previous, kind: str, lang: str) -> str:
    """Change against the previous period: relative for counts and durations, percentage
    points for shares."""
    if current is None or previous is None or (isinstance(current, float) and math.isnan(current)):
        return style.format_percent(None, lang)
    if kind == "share":
        return style.format_signed(100 * (current - previous), lang, 1, " " + t("unit.pp", lang))
    if not previous:
        return style.format_percent(None, lang)
    return style.format_signed(100 * (current / previous - 1), lang, 0, "%")


def _value(value, kind: str, lang: str) -> str:
    if kind == "share":
        return style.format_percent(value, lang)
    if kind == "duration":
        return style.format_duration(value, lang)
    return style.format_count(value, lang)


# First response ----------------------------------------------------------------------------

def response_base(report) -> pd.DataFrame:
    """The contacts whose first response the report measures, following the cohort basis.

    ``started`` (default): the contacts started in the period. ``replied``: the conversations
    first answered in the period plus the period's contacts still unanswered, as in
    :func:`analytics.summary.period_figures`.
    """
    started = report.contacts
    if report.analysis.settings.cohort != "replied":
        return started
    facts = report.analysis.facts
    answered_in = facts[~facts["proactive"] & report.period.contains(facts["first_response_at"])]
    return pd.concat([answered_in, started[~started["answered"]]])


#: Buckets for sources that record dates only: (key, last whole day included).
DAY_BUCKETS = (("same_day", 0), ("1_day", 1), ("2_3_days", 3), ("4_7_days", 7),
               ("8_14_days", 14), ("over_14_days", math.inf))


def first_response_buckets(facts: pd.DataFrame, *, time_precision: str = "second",
                           business: bool = False) -> pd.DataFrame:
    """Contacts per first-response bucket, with the unanswered last.

    Second-precision sources use :func:`analytics.response.response_buckets` (< 5 min …
    > 24 h). Sources that record dates only (``time_precision="day"``) are bucketed by whole
    days (same day, 1 day, 2–3, 4–7, 8–14, > 14 days): minute buckets would be meaningless.
    Returns ``bucket`` (ordered categorical), ``contacts``, ``share``.
    """
    if time_precision != "day":
        return response.response_buckets(facts, business=business)
    contacts = customer_started(facts)
    column = "first_response_business_s" if business else "first_response_s"
    labels = [key for key, _ in DAY_BUCKETS] + [response.UNANSWERED]
    edges = [-np.inf] + [last + 0.5 for _, last in DAY_BUCKETS[:-1]] + [np.inf]
    days = np.round(contacts[column].to_numpy(dtype=float) / 86400)
    bucket = pd.cut(pd.Series(days, index=contacts.index), bins=edges, right=False,
                    labels=labels[:-1]).astype("str")
    bucket = bucket.where(contacts["answered"].to_numpy(), response.UNANSWERED)
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

    Takes :func:`first_response_buckets` or :func:`analytics.response.response_buckets`
    output (grouped or not).
    """
    if isinstance(buckets["bucket"].dtype, pd.CategoricalDtype):
        order = [str(c) for c in buckets["bucket"].cat.categories]
    else:
        order = [label for label, _ in response.BUCKETS] + [response.UNANSWERED]
    frame = buckets.assign(bucket=buckets["bucket"].astype("str"))
    counts = frame.groupby("bucket", sort=False)["contacts"].sum().reindex(order, fill_value=0)
    total = counts.sum()
    share = counts / total if total else counts * 0.0
    return pd.DataFrame({"bucket": order, "contacts": counts.to_numpy().astype("int64"),
                         "share": share.to_numpy(dtype=float)})


def _bucket_label(bucket: str, lang: str) -> str:
    if bucket == response.UNANSWERED:
        return t("bucket.unanswered", lang)
    if bucket in dict(DAY_BUCKETS):
        return t(f"bucket.{bucket}", lang)
    return bucket.replace("-", "–")


def plot_first_response_distribution(buckets: pd.DataFrame, *, period=None, ax=None,
                                     lang="en"):
    """Share of contacts per first-response bucket, unanswered last in its own colour.

    Parameters
    ----------
    buckets : DataFrame
        :func:`first_response_buckets` (or :func:`analytics.response.response_buckets`)
        output.
    """
    ax = _labelled_axes(ax, "distribution", period, lang)
    shares = bucket_shares(buckets)
    if shares["contacts"].sum() == 0:
        return _no_data(ax, lang)
    labels = [_bucket_label(b, lang) for b in shares["bucket"]]
    colors = [style.UNANSWERED_COLOR if b == response.UNANSWERED else style.ACCENT
              for b in shares["bucket"]]
    bars = ax.bar(labels, 100 * shares["share"], color=colors, width=0.7)
    ax.bar_label(bars, labels=[
        f"{style.format_percent(s, lang, 0)}\n({style.format_count(n, lang)})"
        for s, n in zip(shares["share"], shares["contacts"], strict=True)],
        padding=2, fontsize=9)
    top = max(100 * shares["share"].max() * 1.2, 5)
    ax.set_ylim(0, top)
    ax.yaxis.set_major_locator(FixedLocator(
        [v for v in MaxNLocator(6).tick_values(0, min(top, 100)) if 0 <= v <= 100]))
    _percent_axis(ax.yaxis, lang)
    ax.grid(axis="x", visible=False)
    return ax


def plot_still_waiting(facts: pd.DataFrame, *, by=None, sla_s=None, time_precision="second",
                       period=None, ax=None, lang="en"):
    """Kaplan–Meier share of customers still waiting for a first answer, by time waited.

    Unanswered contacts stay on the curve until their age at the cut-off (censored), so the
    curve accounts for them. The time axis is logarithmic with readable ticks (1 min, 5 min,
    1 h, 1 day...); answers under a minute are drawn at the left edge. Sources that record
    dates only (``time_precision="day"``) get a plain axis in days. With ``by`` (e.g.
    ``"channel"``) and more than one group, one curve per group in its channel colour plus
    all groups together in black.
    """
    ax = _axes(ax)
    days = time_precision == "day"
    _title(ax, t("plot.waiting.title", lang), period)
    ax.set_xlabel(t("plot.waiting.xlabel_days" if days else "plot.waiting.xlabel", lang))
    ax.set_ylabel(t("plot.waiting.ylabel", lang))
    contacts = customer_started(facts)
    if contacts.empty:
        return _no_data(ax, lang)
    groups = []
    if by is not None and contacts[by].nunique() > 1:
        keys = contacts[by].astype("str")
        colors = style.channel_colors(_by_volume(keys.value_counts()))
        groups = [(channel_label(name, lang), contacts[keys == name], color, 1.6)
                  for name, color in colors.items()]
    groups.append((t("plot.all_channels", lang), contacts,
                   "black" if groups else style.ACCENT, 2.4))
    scale = 86400.0 if days else 1.0
    right = (3600.0 if sla_s is None else 2 * sla_s) / scale
    for name, group, color, width in groups:
        curve = response.still_waiting_curve(group)
        times = curve["time_s"].to_numpy(dtype=float) / scale
        if not days:
            times = np.clip(times, _WAIT_XMIN, None)
        # The axis ends a little after the last answer: the censored tail of the oldest
        # unanswered contacts stays flat and would only stretch the axis.
        answered = times[curve["answered"].to_numpy() > 0]
        last = answered.max() if answered.size else times.max()
        right = max(right, last * (1.5 if days else 2.0))
        ax.step(times, 100 * curve["still_waiting"].to_numpy(), where="post", color=color,
                linewidth=width, label=t("plot.n_label", lang, name=name,
                                         n=style.format_count(len(group), lang)))
    if days:
        ax.set_xlim(0, right)
        ax.xaxis.set_major_locator(MaxNLocator(10, integer=True))
    else:
        ax.set_xscale("log")
        ax.set_xlim(_WAIT_XMIN, right)
        ticks = [x for x in _WAIT_TICKS if _WAIT_XMIN <= x <= right]
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: _tick_duration(x, lang)))
        ax.xaxis.set_minor_locator(NullLocator())
    ax.set_ylim(0, 103)
    _percent_axis(ax.yaxis, lang)
    if sla_s and sla_s / scale <= right:
        ax.axvline(sla_s / scale, color=style.REFERENCE_COLOR, linestyle="--", linewidth=1)
        ax.text(sla_s / scale, 97, " " + t("plot.sla_line", lang, sla=style.format_duration(sla_s, lang)),
                color=style.REFERENCE_COLOR, fontsize=9, va="top", ha="left")
    if len(groups) > 1:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    else:
        ax.legend(loc="lower left")
    return ax


def _local_weeks(start: pd.Series, *, tz: str, end, weeks: int):
    """Each start's local week (Monday, naive date) and the ``weeks`` weeks up to ``end``."""
    local = start.dt.tz_convert(tz).dt.tz_localize(None)
    week = local.dt.normalize() - pd.to_timedelta(local.dt.day_of_week, unit="D")
    last_local = (pd.Timestamp(end).tz_convert(tz) - pd.Timedelta(1, "ns")).tz_localize(None)
    last_week = last_local.normalize() - pd.Timedelta(days=last_local.day_of_week)
    return week, pd.date_range(end=last_week, periods=weeks, freq="7D")


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


def plot_weekly_trend(weekly: pd.DataFrame, *, period=None, ax=None, lang="en"):
    """Median first response per week, one line per channel (plus all channels together when
    there are several); the report period is shaded. Weeks with fewer than
    :data:`MIN_WEEKLY_N` answered contacts are left out of the lines. When the medians are
    more than 30 times apart the time axis is stretched (logarithmic, with 5 min, 1 h, 1 day
    ticks) so the fast channels stay readable; medians under a minute sit on that floor."""
    ax = _axes(ax)
    _title(ax, t("plot.trend.title", lang), period)
    ax.set_xlabel(t("plot.trend.xlabel", lang))
    if weekly.empty or weekly["median_s"].isna().all():
        ax.set_ylabel(t("plot.trend.ylabel", lang, unit=style.duration_unit(None, lang)[1]))
        return _no_data(ax, lang, "plot.trend.too_few")
    medians = weekly["median_s"].dropna()
    stretched = medians.max() > 30 * max(medians.min(), _WAIT_XMIN)
    if stretched:  # channels far apart: a log axis keeps the fast ones readable
        divisor = 1.0
        ax.set_ylabel(t("plot.trend.ylabel_stretched", lang))
    else:
        divisor, unit = style.duration_unit(medians.max(), lang)
        ax.set_ylabel(t("plot.trend.ylabel", lang, unit=unit))
    weeks = sorted(weekly["week_start"].unique())
    position = {week: i for i, week in enumerate(weeks)}
    channels = weekly[weekly["group"] != ALL]
    totals = channels.groupby("group")["contacts"].sum()
    lines = [(name, channel_label(name, lang), color, 1.6, "o")
             for name, color in style.channel_colors(_by_volume(totals)).items()]
    if len(lines) != 1:
        lines.append((ALL, t("plot.all_channels", lang), "black", 2.4, "s"))
    for group, name, color, width, marker in lines:
        rows = weekly[weekly["group"] == group].sort_values("week_start")
        values = rows["median_s"].clip(lower=_WAIT_XMIN) if stretched else rows["median_s"]
        ax.plot([position[w] for w in rows["week_start"]], values / divisor,
                color=color, linewidth=width, marker=marker, markersize=5, label=name)
    if stretched:
        ax.set_yscale("log")
        low, high = max(medians.min(), _WAIT_XMIN) / 1.5, medians.max() * 2
        ax.set_ylim(low, high)
        ticks = sorted((*_WAIT_TICKS, 3 * 86400))  # a vertical axis has room for 3 days
        ax.yaxis.set_major_locator(FixedLocator([v for v in ticks if low <= v <= high]))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: _tick_duration(v, lang)))
        ax.yaxis.set_minor_locator(NullLocator())
    else:
        ax.set_ylim(0, medians.max() / divisor * 1.15)
    if period is not None and hasattr(period, "start"):
        start = period.start.tz_localize(None)
        end = period.end.tz_localize(None)
        inside = [position[w] for w in weeks if start - pd.Timedelta(days=6) <= w < end]
        if inside:
            ax.axvspan(min(inside) - 0.5, max(inside) + 0.5, color="#E8EEF5", zorder=0)
            ax.text(max(inside) + 0.45, 0.99, t("plot.trend.period", lang), ha="right",
                    va="top", fontsize=9, color=style.REFERENCE_COLOR,
                    transform=ax.get_xaxis_transform())
    ax.set_xticks(range(len(weeks)))
    ax.set_xticklabels([style.format_short_date(w, lang) for w in weeks])
    ax.set_xlim(-0.5, len(weeks) - 0.5)
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=min(len(lines), 5))
    return ax


# Channels ----------------------------------------------------------------------------------

def plot_channel_mix(current, previous=None, *, period=None, ax=None, lang="en"):
    """Contacts per channel, largest at the top, in the channel colours; the previous
    period's count is marked on each bar with a black tick.

    ``current`` and ``previous`` are contacts (frames with ``channel``) or counts per channel
    (a Series or a dict such as ``summary["channels"]``).
    """
    now = _channel_counts(current)
    before = _channel_counts(previous)
    order = _by_volume(now) + sorted(set(before.index.astype("str")) - set(now.index))
    ax = _axes(ax, figsize=(9, max(2.4, 0.55 * len(order) + 1.5)))
    _title(ax, t("plot.mix.title", lang), period)
    ax.set_xlabel(t("plot.mix.xlabel", lang))
    ax.set_ylabel(t("table.channel", lang))
    if not order or now.sum() + before.sum() == 0:
        return _no_data(ax, lang)
    y = np.arange(len(order))
    now_values = now.reindex(order, fill_value=0).to_numpy()
    ax.barh(y, now_values, height=0.6, color=list(style.channel_colors(order).values()))
    labels = [style.format_count(v, lang) for v in now_values]
    ends = now_values.astype(float)
    if previous is not None:
        before_values = before.reindex(order, fill_value=0).to_numpy()
        previous_label = _label(period.previous()) if hasattr(period, "previous") else ""
        ax.scatter(before_values, y, marker="|", s=500, linewidths=2.5, color="black",
                   zorder=3, label=t("plot.mix.previous", lang, period=previous_label or "—"))
        labels = [t("plot.mix.bar_label", lang, now=n, before=style.format_count(b, lang))
                  for n, b in zip(labels, before_values, strict=True)]
        ends = np.maximum(ends, before_values)
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), borderaxespad=0.2)
    right = max(ends.max(), 1)
    for position, end, text in zip(y, ends, labels, strict=True):
        # Written after the bar or the previous-period mark, whichever is further right.
        ax.text(end + right * 0.015, position, text, va="center", fontsize=9)
    ax.set_yticks(y)
    ax.set_yticklabels([channel_label(c, lang) for c in order])
    ax.invert_yaxis()
    ax.set_xlim(0, right * 1.35)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: style.format_count(v, lang)))
    ax.grid(axis="y", visible=False)
    return ax


def plot_hour_weekday_heatmap(contacts: pd.DataFrame, *, tz: str, hours_known=True,
                              period=None, ax=None, lang="en"):
    """Contacts by local hour (columns) and weekday (rows) in the report's time zone.

    When the source records dates only (``hours_known=False``), contacts per weekday are drawn
    as bars instead: an hour axis would show the time the adapter placed the dates at.
    """
    contacts = customer_started(contacts)
    local = contacts["start"].dt.tz_convert(tz)
    days = t("weekdays", lang).split(",")
    if not hours_known:
        ax = _axes(ax)
        _title(ax, t("plot.weekday.title", lang, tz=tz), period)
        ax.set_xlabel(t("plot.weekday.xlabel", lang))
        ax.set_ylabel(t("plot.heatmap.colorbar", lang))
        if contacts.empty:
            return _no_data(ax, lang)
        counts = local.dt.day_of_week.value_counts().reindex(range(7), fill_value=0)
        bars = ax.bar(days, counts.to_numpy(), color=style.ACCENT, width=0.7)
        ax.bar_label(bars, labels=[style.format_count(v, lang) for v in counts], padding=2,
                     fontsize=9)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: style.format_count(v, lang)))
        ax.grid(axis="x", visible=False)
        return ax
    ax = _axes(ax, figsize=(9, 3.8))
    _title(ax, t("plot.heatmap.title", lang, tz=tz), period)
    ax.set_xlabel(t("plot.heatmap.xlabel", lang))
    ax.set_ylabel(t("plot.heatmap.ylabel", lang))
    if contacts.empty:
        return _no_data(ax, lang)
    table = pd.crosstab(local.dt.day_of_week.to_numpy(), local.dt.hour.to_numpy())
    table = table.reindex(index=range(7), columns=range(24), fill_value=0).astype("int64")
    table.index = days
    table.columns = [f"{h:02d}" for h in range(24)]
    sns.heatmap(table, ax=ax, cmap=style.HEATMAP_CMAP, linewidths=0.5, linecolor="white",
                cbar_kws={"label": t("plot.heatmap.colorbar", lang), "shrink": 0.85})
    ax.set_xlabel(t("plot.heatmap.xlabel", lang))
    ax.set_ylabel(t("plot.heatmap.ylabel", lang))
    ax.tick_params(axis="x", rotation=0)
    ax.tick_params(axis="y", rotation=0)
    return ax


def channel_stats(report) -> pd.DataFrame:
    """Numbers behind :func:`channel_table`, one row per channel, largest first.

    Columns: ``channel``, ``contacts``, ``share``, ``previous``, ``customers``, ``answered``,
    ``unanswered``, ``median_s``, ``p90_s``, ``mean_s``, ``within_sla``, ``replies`` (agent
    replies per contact), ``resolution_median_s`` (NaN when not recorded), ``public``.
    """
    base = response_base(report)
    table = response.first_response_table(base, "channel", sla_s=report.analysis.settings.sla_s)
    if table.empty:
        return table.assign(share=[], previous=[], customers=[], replies=[],
                            resolution_median_s=[], public=[])
    table["channel"] = table["channel"].astype("str")
    contacts = report.contacts
    grouped = contacts.groupby(contacts["channel"].astype("str"))
    previous = _channel_counts(report.previous_contacts)
    table["share"] = table["contacts"] / table["contacts"].sum()
    table["previous"] = previous.reindex(table["channel"], fill_value=0).to_numpy()
    table["customers"] = grouped["customer_id"].nunique().reindex(table["channel"]).to_numpy()
    table["replies"] = grouped["agent_replies"].mean().reindex(table["channel"]).to_numpy()
    table["resolution_median_s"] = (grouped["resolution_first_s"].median()
                                    .reindex(table["channel"]).to_numpy())
    table["public"] = is_public(table["channel"], public_channels_of(report))
    order = _by_volume(table.set_index("channel")["contacts"])
    return table.set_index("channel").loc[order].reset_index()


def _sla_label(report, lang):
    return t("table.within_sla", lang,
             sla=style.format_duration(report.analysis.settings.sla_s, lang))


def sla_table(report) -> pd.DataFrame:
    """First response by channel against the SLA, formatted for display (all channels last).

    Columns: channel, contacts, answered, unanswered (with share), median, 9 in 10 within (p90),
    average (mean), answered within the SLA.
    """
    lang = report.lang
    base = response_base(report)
    sla_s = report.analysis.settings.sla_s
    table = response.first_response_table(base, "channel", sla_s=sla_s)
    if len(table) > 1:
        total = response.first_response_summary(base, sla_s=sla_s)
        table = pd.concat([table, pd.DataFrame([{
            "channel": ALL, "contacts": total["n"] + total["unanswered"],
            "answered": total["n"], "unanswered": total["unanswered"],
            "unanswered_share": total["unanswered"] / (total["n"] + total["unanswered"]),
            "median_s": total["median_s"], "p90_s": total["p90_s"], "mean_s": total["mean_s"],
            "within_sla": total["within_sla"], "small_n": total["small_n"]}])],
            ignore_index=True)
    names = [t("plot.all_channels", lang) if c == ALL else channel_label(c, lang)
             for c in table["channel"].astype("str")]
    return pd.DataFrame({
        t("table.channel", lang): [f"{n} *" if small else n
                                   for n, small in zip(names, table["small_n"], strict=True)],
        t("table.contacts", lang): [style.format_count(v, lang) for v in table["contacts"]],
        t("table.answered", lang): [style.format_count(v, lang) for v in table["answered"]],
        t("table.unanswered", lang): [
            f"{style.format_count(n, lang)} ({style.format_percent(s, lang)})"
            for n, s in zip(table["unanswered"], table["unanswered_share"], strict=True)],
        t("table.median", lang): [style.format_duration(v, lang) for v in table["median_s"]],
        t("table.p90", lang): [style.format_duration(v, lang) for v in table["p90_s"]],
        t("table.mean", lang): [style.format_duration(v, lang) for v in table["mean_s"]],
        _sla_label(report, lang): [style.format_percent(v, lang) for v in table["within_sla"]],
    })


def agent_stats(report) -> pd.DataFrame:
    """First response per agent who gave it (``first_responder``), answered conversations
    only, most answers first: ``first_responder``, ``answered``, ``median_s``, ``p90_s``,
    ``mean_s``, ``within_sla``, ``small_n``."""
    base = response_base(report)
    answered = base[base["answered"]]
    table = response.first_response_table(answered, "first_responder",
                                          sla_s=report.analysis.settings.sla_s)
    return table.sort_values(["answered", "first_responder"], ascending=[False, True],
                             ignore_index=True)


def agent_table(report, *, top=15) -> pd.DataFrame:
    """:func:`agent_stats` formatted for display (the ``top`` agents by answers)."""
    lang = report.lang
    stats = agent_stats(report).head(top)
    return pd.DataFrame({
        t("table.agent", lang): [f"{a} *" if small else str(a) for a, small in
                                 zip(stats["first_responder"], stats["small_n"], strict=True)],
        t("table.answered", lang): [style.format_count(v, lang) for v in stats["answered"]],
        t("table.median", lang): [style.format_duration(v, lang) for v in stats["median_s"]],
        t("table.p90", lang): [style.format_duration(v, lang) for v in stats["p90_s"]],
        t("table.mean", lang): [style.format_duration(v, lang) for v in stats["mean_s"]],
        _sla_label(report, lang): [style.format_percent(v, lang) for v in stats["within_sla"]],
    })


def channel_table(report) -> pd.DataFrame:
    """How each channel is served, formatted: contacts, share, change against the previous
    period, median first response, within the SLA, unanswered, agent replies per contact,
    median time to resolution (when the source records resolutions), public or private."""
    lang = report.lang
    stats = channel_stats(report)
    columns = {
        t("table.channel", lang): [channel_label(c, lang) for c in stats["channel"]],
        t("table.contacts", lang): [style.format_count(v, lang) for v in stats["contacts"]],
        t("table.share", lang): [style.format_percent(v, lang) for v in stats["share"]],
        t("table.change", lang): [change_text(c, p, "count", lang)
                                  for c, p in zip(stats["contacts"], stats["previous"],
                                                  strict=True)],
        t("table.median", lang): [style.format_duration(v, lang) for v in stats["median_s"]],
        _sla_label(report, lang): [style.format_percent(v, lang) for v in stats["within_sla"]],
        t("table.unanswered", lang): [style.format_count(v, lang) for v in stats["unanswered"]],
        t("table.replies", lang): [style.format_number(v, lang, 1) for v in stats["replies"]],
    }
    if stats["resolution_median_s"].notna().any():
        columns[t("table.resolution", lang)] = [style.format_duration(v, lang)
                                                for v in stats["resolution_median_s"]]
    columns[t("table.visibility", lang)] = [t("table.public" if p else "table.private", lang)
                                            for p in stats["public"]]
    return pd.DataFrame(columns)


def public_channels_of(report) -> frozenset:
    """The channels counted as public in this report: the ``public_channels`` parameter, or
    the documented default table :data:`analytics.channels.PUBLIC_CHANNELS` when empty."""
    chosen = report.analysis.settings.public_channels
    return frozenset(chosen) if chosen else PUBLIC_CHANNELS


def public_private_stats(report) -> pd.DataFrame:
    """Contacts and first response of public and of private channels (index ``public``,
    then ``private``; a group with no contacts has ``contacts`` 0)."""
    base = response_base(report)
    sla_s = report.analysis.settings.sla_s
    public = is_public(base["channel"].astype("str"), public_channels_of(report))
    rows = []
    for key, mask in (("public", public), ("private", ~public)):
        part = base[mask]
        figures = response.first_response_summary(part, sla_s=sla_s)
        rows.append({"group": key, "channels": sorted(part["channel"].astype("str").unique()),
                     "contacts": len(part), "share": len(part) / len(base) if len(base) else None,
                     "median_s": figures["median_s"], "within_sla": figures["within_sla"],
                     "unanswered": figures["unanswered"]})
    return pd.DataFrame(rows).set_index("group")


def public_private_table(report) -> pd.DataFrame:
    """Public (social networks, complaint sites) against private channels, formatted."""
    lang = report.lang
    stats = public_private_stats(report)
    return pd.DataFrame({
        t("table.visibility", lang): [t(f"table.{key}_channels", lang) for key in stats.index],
        t("table.channels", lang): [", ".join(channel_label(c, lang) for c in cs) or "—"
                                    for cs in stats["channels"]],
        t("table.contacts", lang): [style.format_count(v, lang) for v in stats["contacts"]],
        t("table.share", lang): [style.format_percent(v, lang) for v in stats["share"]],
        t("table.median", lang): [style.format_duration(v, lang) for v in stats["median_s"]],
        _sla_label(report, lang): [style.format_percent(v, lang) for v in stats["within_sla"]],
        t("table.unanswered", lang): [style.format_count(v, lang) for v in stats["unanswered"]],
    })


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


def plot_repeat_gap(contacts: pd.DataFrame, *, window_days: float, as_of=None, period=None,
                    ax=None, lang="en"):
    """Cumulative share of contacts followed by the same customer's next contact within d
    days (see :func:`repeat_gap_curve`), with the repeat window marked."""
    ax = _labelled_axes(ax, "gap", period, lang)
    curve = repeat_gap_curve(contacts, window_days=window_days, as_of=as_of)
    if curve["share"].isna().all():
        return _no_data(ax, lang, "plot.no_customers")
    ax.plot(curve["days"], 100 * curve["share"], color=style.ACCENT, linewidth=2.2,
            drawstyle="steps-post")
    ax.axvline(window_days, color=style.REFERENCE_COLOR, linestyle="--", linewidth=1)
    top = max(100 * curve["share"].max() * 1.2, 1)
    ax.text(window_days, top * 0.97, " " + t("plot.gap.window", lang,
                                              days=style.format_number(window_days, lang, 0)),
            color=style.REFERENCE_COLOR, fontsize=9, va="top")
    ax.set_xlim(0, curve["days"].max())
    ax.set_ylim(0, top)
    _percent_axis(ax.yaxis, lang, 1 if top < 5 else 0)
    return ax


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


def plot_contacts_per_customer(contacts: pd.DataFrame, *, k: int = FREQUENT_K, period=None,
                               ax=None, lang="en"):
    """Customers by number of contacts in the period; those with ``k`` or more (frequent
    contacters) in a darker colour."""
    ax = _labelled_axes(ax, "cpc", period, lang)
    table = contacts_per_customer_distribution(contacts, k=k)
    if table["customers"].sum() == 0:
        return _no_data(ax, lang, "plot.no_customers")
    frequent = table["low"] >= k
    colors = np.where(frequent, style.UNANSWERED_COLOR, style.ACCENT)
    bars = ax.bar(table["contacts"], table["customers"], color=colors, width=0.7)
    ax.bar_label(bars, labels=[
        f"{style.format_count(c, lang)}\n({style.format_percent(s, lang)})"
        for c, s in zip(table["customers"], table["share"], strict=True)], padding=2,
        fontsize=9)
    ax.set_ylim(0, table["customers"].max() * 1.25)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: style.format_count(v, lang)))
    ax.legend(handles=[Patch(color=style.ACCENT, label=t("plot.cpc.regular", lang, k=k)),
                       Patch(color=style.UNANSWERED_COLOR, label=t("plot.cpc.frequent", lang,
                                                                   k=k))],
              loc="upper right")
    ax.grid(axis="x", visible=False)
    return ax


def identity_coverage(contacts: pd.DataFrame) -> pd.DataFrame:
    """Per channel (largest first): ``channel``, ``contacts``, ``known`` (with a customer id),
    ``coverage`` (share known)."""
    contacts = customer_started(contacts)
    channel = contacts["channel"].astype("str")
    table = pd.DataFrame({"contacts": channel.value_counts(),
                          "known": channel[contacts["customer_id"].notna()].value_counts()})
    table = table.fillna(0).astype("int64")
    table = table.loc[_by_volume(table["contacts"])] if len(table) else table
    table["coverage"] = table["known"] / table["contacts"]
    return table.rename_axis("channel").reset_index()


def plot_identity_coverage(contacts: pd.DataFrame, *, period=None, ax=None, lang="en"):
    """Share of each channel's contacts that carry a customer id (repeats can only be found
    among those), channels by volume."""
    table = identity_coverage(contacts)
    ax = _axes(ax, figsize=(9, max(2.4, 0.5 * len(table) + 1.4)))
    _title(ax, t("plot.coverage.title", lang), period)
    ax.set_xlabel(t("plot.coverage.xlabel", lang))
    ax.set_ylabel(t("table.channel", lang))
    if table.empty:
        return _no_data(ax, lang)
    labels = [channel_label(c, lang) for c in table["channel"]]
    bars = ax.barh(labels, 100 * table["coverage"],
                   color=list(style.channel_colors(table["channel"]).values()), height=0.6)
    ax.bar_label(bars, labels=[
        f"{style.format_percent(c, lang, 0)} ({style.format_count(k, lang)} / "
        f"{style.format_count(n, lang)})"
        for c, k, n in zip(table["coverage"], table["known"], table["contacts"], strict=True)],
        padding=3, fontsize=9)
    ax.set_xlim(0, 130)
    ax.xaxis.set_major_locator(FixedLocator([0, 25, 50, 75, 100]))
    _percent_axis(ax.xaxis, lang)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    return ax


def cross_channel_table(contacts: pd.DataFrame, lang: str = "en", top: int = 10) -> pd.DataFrame:
    """Repeated contacts (complete window) by first channel and the channel the customer came
    back on, most frequent first, formatted."""
    eligible = customer_started(contacts)
    repeated = eligible[eligible["lookahead_complete"] & eligible["repeated"]]
    pairs = (pd.DataFrame({"from": repeated["channel"].astype("str"),
                           "to": repeated["next_channel"].astype("str")})
             .value_counts().rename("n").reset_index())
    pairs = pairs.sort_values(["n", "from", "to"], ascending=[False, True, True]).head(top)
    total = len(repeated)
    return pd.DataFrame({
        t("table.first_channel", lang): [channel_label(c, lang) for c in pairs["from"]],
        t("table.next_channel", lang): [channel_label(c, lang) for c in pairs["to"]],
        t("table.same_channel", lang): [t("table.yes" if a == b else "table.no", lang)
                                        for a, b in zip(pairs["from"], pairs["to"], strict=True)],
        t("table.repeats", lang): [style.format_count(v, lang) for v in pairs["n"]],
        t("table.share_of_repeats", lang): [style.format_percent(v / total, lang)
                                            for v in pairs["n"]],
    })


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


def frequent_contacters_table(contacts: pd.DataFrame, *, k: int = FREQUENT_K, lang: str = "en",
                              top: int = 10) -> pd.DataFrame:
    """The ``top`` frequent contacters (see :func:`frequent_contacters`), formatted, without
    customer ids."""
    table = frequent_contacters(contacts, k=k).head(top)
    return pd.DataFrame({
        t("table.customer", lang): [f"#{r}" for r in table["rank"]],
        t("table.channels", lang): [", ".join(channel_label(c, lang) for c in cs)
                                    for cs in table["channels"]],
        t("table.contacts", lang): [style.format_count(v, lang) for v in table["contacts"]],
        t("table.repeated", lang): [style.format_count(v, lang) for v in table["repeated"]],
        t("table.median", lang): [style.format_duration(v, lang) for v in table["median_s"]],
    })


def table_html(table: pd.DataFrame):
    """A formatted table for display (``DataFrame.style``, no index): the leading text
    columns (the first one, then those without digits, such as channel names) left-aligned
    and unwrapped, the figures right-aligned."""
    left = []
    for i, column in enumerate(table.columns):
        if i and table[column].astype("str").str.contains(r"\d").any():
            break
        left.append(column)
    styles = [{"selector": "th", "props": [("text-align", "right")]}]
    styles += [{"selector": f"th.col_heading.col{i}", "props": [("text-align", "left")]}
               for i in range(len(left))]
    styler = table.style.hide(axis="index").set_table_styles(styles)
    if left:
        styler = styler.set_properties(subset=left, **{"text-align": "left",
                                                       "white-space": "nowrap"})
    return styler


# Headline ----------------------------------------------------------------------------------

AREAS = ("volume", "first_response", "replies", "resolution", "repeat", "dependency",
         "satisfaction")


def _get(figures: dict, path: str):
    value = figures
    for key in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def headline_rows(summary: dict, areas=AREAS) -> list[dict]:
    """The headline figures as rows: ``area``, ``key`` (i18n), ``kind`` (count, duration or
    share), ``value``, ``n``, ``previous``. Areas a source does not record are left out."""
    prev = summary.get("previous", {})
    no_identity = summary["contacts"] and not _get(summary, "repeat_contacts.identity_coverage")
    specs = {
        "volume": [("contacts", "count", "contacts", None),
                   ("customers", "count", "customers", None)],
        "first_response": [
            ("frt_median", "duration", "first_response.median_s", "first_response.n"),
            ("frt_p90", "duration", "first_response.p90_s", "first_response.n"),
            ("frt_within_sla", "share", "first_response.within_sla", "first_response.n"),
            ("frt_unanswered", "count", "first_response.unanswered", None),
            ("frt_business_median", "duration", "first_response_business.median_s",
             "first_response_business.n"),
        ],
        "replies": [("reply_median", "duration", "reply_time.median_s", "reply_time.n")],
        "resolution": [("resolution_median", "duration", "resolution_first.median_s",
                        "resolution_first.n"),
                       ("reopened", "count", "reopened", None)],
        "repeat": [("repeat_rate", "share", "repeat_contacts.rate", "repeat_contacts.eligible"),
                   ("repeat_cross", "count", "repeat_contacts.cross_channel", None),
                   ("repeat_excluded", "count", "repeat_contacts.excluded_no_lookahead", None),
                   ("identity_coverage", "share", "repeat_contacts.identity_coverage",
                    "contacts")],
        # The repeated-contacts page only (not in AREAS).
        "repeat_detail": [
            ("repeat_fcr", "share", "repeat_contacts.fcr", "repeat_contacts.eligible"),
            ("repeat_cross_share", "share", "repeat_contacts.cross_channel_share",
             "repeat_contacts.repeated"),
            ("frequent_customers", "share", "frequent_contacters.share_customers",
             "customers"),
            ("frequent_contacts", "share", "frequent_contacters.share_contacts", "contacts")],
        "dependency": [("how_to_share", "share", "dependency.how_to.share",
                        "dependency.how_to.with_text"),
                       ("multi_agent", "share", "dependency.intermediaries.multi_agent_share",
                        "dependency.intermediaries.answered")],
        "satisfaction": [("csat", "share", "satisfaction.csat", "satisfaction.rated"),
                         ("confirmed_resolution", "share", "satisfaction.confirmed_resolution",
                          "satisfaction.evaluated")],
    }
    rows = []
    for area in areas:
        if area == "resolution" and not _get(summary, "resolution_first.available"):
            continue
        if area == "satisfaction" and not summary.get("satisfaction"):
            continue
        for key, kind, path, n_path in specs[area]:
            if area == "dependency" and _get(summary, path) is None \
                    and _get(prev, path) is None:
                continue  # the source cannot tell (no text, agents not named)
            value, previous = _get(summary, path), _get(prev, path)
            if key in ("customers", "repeat_rate", "repeat_cross") and no_identity:
                value = previous = None
            n = _get(summary, n_path) if n_path else None
            if area == "repeat_detail" and no_identity:  # no base to show either
                value = previous = n = None
            rows.append({"area": area, "key": key, "kind": kind, "value": value, "n": n,
                         "previous": previous})
    return rows


def headline_table(summary: dict, lang: str = "en", *, areas=AREAS) -> pd.DataFrame:
    """The headline figures for display: figure, value, n (what it is based on), previous
    period and change (relative for counts and durations, percentage points for shares).

    A figure that cannot be computed reads ``n/a``, never 0.
    """
    sla = style.format_duration(parse_duration(summary["parameters"]["sla"]).total_seconds(),
                                lang)
    window = style.format_number(summary["repeat_contacts"]["window_days"], lang, 0)
    k = (summary.get("frequent_contacters") or {}).get("k", FREQUENT_K)
    previous_label = summary["previous_period"]["label"]
    rows = headline_rows(summary, areas)
    return pd.DataFrame({
        t("table.figure", lang): [t(f"headline.{r['key']}", lang, sla=sla, window=window, k=k)
                                  for r in rows],
        t("table.value", lang): [_value(r["value"], r["kind"], lang) for r in rows],
        t("table.n", lang): ["" if r["n"] is None else style.format_count(r["n"], lang)
                             for r in rows],
        t("table.previous", lang, period=previous_label): [
            _value(r["previous"], r["kind"], lang) for r in rows],
        t("table.change", lang): [change_text(r["value"], r["previous"], r["kind"], lang)
                                  for r in rows],
    })


# Repeated contacts: trend by week or month, topics ------------------------------------------

def repeat_trend_of(report) -> pd.DataFrame:
    """:func:`analytics.repeats.repeat_trend` of the report's period and the previous one,
    for all channels and per channel."""
    return repeats.repeat_trend(report.analysis.facts, period=report.period, by="channel")


def plot_repeat_trend(trend: pd.DataFrame, *, period=None, ax=None, lang="en"):
    """Repeat rate per week (or month) of the previous period (grey) and of this one, all
    channels together, with the number of contacts judged under each point.

    ``trend`` is :func:`repeat_trend_of` (or :func:`analytics.repeats.repeat_trend`) output.
    A week whose contacts are all too recent to judge has no point.
    """
    overall = trend[trend["group"] == repeats.ALL].reset_index(drop=True)
    monthly = len(overall) > 1 and (overall["bucket_start"].dt.day == 1).all() and (
        overall["bucket_start"].diff().dropna().dt.days >= 28).all()
    key = "repeat_trend_month" if monthly else "repeat_trend"
    ax = _labelled_axes(ax, key, period, lang)
    if overall.empty or overall["rate"].isna().all():
        return _no_data(ax, lang, "plot.repeat_trend.none")
    x = np.arange(len(overall))
    top = max(100 * overall["rate"].max() * 1.35, 2)
    crowded = len(overall) > 16
    previous_label = _label(period.previous()) if hasattr(period, "previous") else ""
    series = (("previous", style.PREVIOUS_COLOR,
               t("plot.repeat_trend.previous", lang, period=previous_label or "—")),
              ("current", style.ACCENT, t("plot.repeat_trend.current", lang,
                                          period=_label(period) or "—")))
    for name, color, label in series:
        mask = (overall["period"] == name).to_numpy()
        rows = overall[mask]
        ax.plot(x[mask], 100 * rows["rate"], color=color, linewidth=2.4, marker="o",
                markersize=6, label=label)
        for xi, rate, n in zip(x[mask], rows["rate"], rows["eligible"], strict=True):
            if pd.isna(rate):
                continue
            ax.annotate(style.format_count(n, lang), (xi, 100 * rate), textcoords="offset points",
                        xytext=(0, 8), ha="center", fontsize=7 if crowded else 8,
                        rotation=90 if crowded else 0, color=style.REFERENCE_COLOR)
    too_recent = (overall["contacts"] > 0) & (overall["eligible"] == 0)
    for xi in x[too_recent.to_numpy()]:
        ax.text(xi, top * 0.03, t("plot.repeat_trend.too_recent", lang), ha="center",
                va="bottom", fontsize=8, rotation=90, color=style.REFERENCE_COLOR)
    current = np.flatnonzero((overall["period"] == "current").to_numpy())
    if len(current):
        ax.axvspan(current.min() - 0.5, current.max() + 0.5, color="#E8EEF5", zorder=0)
    ax.set_xticks(x)
    ax.set_xticklabels([style.format_short_date(d, lang) for d in overall["bucket_start"]],
                       rotation=90 if crowded else 0)
    ax.set_xlim(-0.5, len(x) - 0.5)
    ax.set_ylim(0, top)
    _percent_axis(ax.yaxis, lang, 1 if top < 5 else 0)
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22 if crowded else -0.18), ncol=2)
    ax.text(1.0, 1.0, t("plot.repeat_trend.n", lang), transform=ax.transAxes, ha="right",
            va="bottom", fontsize=8, color=style.REFERENCE_COLOR)
    return ax


def repeat_channel_stats(trend: pd.DataFrame) -> pd.DataFrame:
    """Repeat rate per channel in this period and the previous one, from a
    :func:`repeat_trend_of` table: ``group`` (channel, then :data:`analytics.repeats.ALL`
    last), ``eligible``, ``repeated``, ``rate``, ``previous_eligible``, ``previous_rate``;
    channels by contacts judged, largest first."""
    identified = trend["rate"].notna().any()
    sums = trend.groupby(["period", "group"])[["eligible", "repeated"]].sum()
    now = sums.loc["current"] if "current" in sums.index.get_level_values(0) else None
    before = sums.loc["previous"] if "previous" in sums.index.get_level_values(0) else None
    groups = sorted(set(trend["group"]) - {repeats.ALL})
    table = pd.DataFrame(index=pd.Index(groups + [repeats.ALL], name="group"))
    for prefix, frame in (("", now), ("previous_", before)):
        part = (frame if frame is not None else pd.DataFrame(columns=["eligible", "repeated"]))
        part = part.reindex(table.index, fill_value=0).astype("int64")
        table[f"{prefix}eligible"] = part["eligible"]
        table[f"{prefix}repeated"] = part["repeated"]
        rate = part["repeated"] / part["eligible"].where(part["eligible"] > 0)
        table[f"{prefix}rate"] = rate if identified else np.nan
    channels = table.drop(index=repeats.ALL)
    channels = channels[(channels["eligible"] > 0) | (channels["previous_eligible"] > 0)]
    order = _by_volume(channels["eligible"]) if len(channels) else []
    table = table.loc[order + [repeats.ALL]]
    if len(order) == 1:  # one channel: the all-channels row would only repeat it
        table = table.loc[order]
    return table.reset_index()


def repeat_channel_table(trend: pd.DataFrame, *, previous_label: str, lang="en") -> pd.DataFrame:
    """:func:`repeat_channel_stats` formatted: channel, repeat rate, contacts judged (with a
    complete window), the same two for the previous period, and the change in percentage
    points."""
    stats = repeat_channel_stats(trend)
    previous_label = previous_label.replace("-", "\u2011")  # never wrap a label at "-"
    names = [t("plot.all_channels", lang) if g == repeats.ALL else channel_label(g, lang)
             for g in stats["group"]]
    return pd.DataFrame({
        t("table.channel", lang): names,
        t("table.repeat_rate", lang): [style.format_percent(v, lang) for v in stats["rate"]],
        t("table.judged", lang): [style.format_count(v, lang) for v in stats["eligible"]],
        t("table.previous_rate", lang, period=previous_label): [
            style.format_percent(v, lang) for v in stats["previous_rate"]],
        t("table.previous_judged", lang, period=previous_label): [
            style.format_count(v, lang) for v in stats["previous_eligible"]],
        t("table.change", lang): [change_text(None if pd.isna(a) else a,
                                              None if pd.isna(b) else b, "share", lang)
                                  for a, b in zip(stats["rate"], stats["previous_rate"],
                                                  strict=True)],
    })


def repeat_topic_stats(report, *, top: int = 10) -> pd.DataFrame | None:
    """Repeats by the contact's topic (the source's category), most repeats first; None when
    the source records no topic (see :func:`analytics.repeats.contact_topics`).

    Columns: ``topic`` (``""`` = unknown), ``eligible`` (contacts with a complete window),
    ``repeated``, ``rate``, ``same_topic`` (repeats whose next contact had the same topic).
    """
    topics = repeats.contact_topics(report.log.conversation_attributes)
    if topics is None:
        return None
    facts = report.analysis.facts
    flags = repeats.same_topic_flags(facts, topics)
    contacts = report.contacts.join(flags)
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


def repeat_topic_table(stats: pd.DataFrame, lang="en") -> pd.DataFrame:
    """:func:`repeat_topic_stats` formatted for display."""
    return pd.DataFrame({
        t("table.topic", lang): [v or t("table.unknown", lang) for v in stats["topic"]],
        t("table.judged", lang): [style.format_count(v, lang) for v in stats["eligible"]],
        t("table.repeats", lang): [style.format_count(v, lang) for v in stats["repeated"]],
        t("table.repeat_rate", lang): [style.format_percent(v, lang) for v in stats["rate"]],
        t("table.same_topic", lang): [style.format_count(v, lang) for v in stats["same_topic"]],
    })


# Channel movement ----------------------------------------------------------------------------

def plot_channel_transitions(contacts: pd.DataFrame, *, period=None, ax=None, lang="en"):
    """Heatmap of the channel of each customer's first contact (rows, with the number of
    customers) against the channel of their next contact (columns): the share of the row,
    with the number of customers in brackets. Customers with one contact are not in it."""
    table = channel_movement.channel_transitions(contacts)
    order = list(dict.fromkeys(table["first_channel"]))
    ax = _axes(ax, figsize=(9, max(3.0, 0.55 * len(order) + 1.8)))
    _title(ax, t("plot.transitions.title", lang), period)
    ax.set_xlabel(t("plot.transitions.xlabel", lang))
    ax.set_ylabel(t("plot.transitions.ylabel", lang))
    if table.empty or table["customers"].sum() == 0:
        return _no_data(ax, lang, "plot.no_customers")
    counts = table.pivot(index="first_channel", columns="next_channel",
                         values="customers").reindex(index=order, columns=order)
    shares = table.pivot(index="first_channel", columns="next_channel",
                         values="share").reindex(index=order, columns=order)
    rows = counts.sum(axis=1)
    keep = rows > 0  # channels that only appear as a next contact have no row
    counts, shares = counts[keep], shares[keep]
    annot = np.array([[f"{style.format_percent(s, lang, 0)}\n({style.format_count(n, lang)})"
                       if n else "" for s, n in zip(share_row, count_row, strict=True)]
                      for share_row, count_row in zip(shares.to_numpy(), counts.to_numpy(),
                                                      strict=True)])
    sns.heatmap(100 * shares.fillna(0), ax=ax, cmap=style.HEATMAP_CMAP, vmin=0, vmax=100,
                annot=annot, fmt="", annot_kws={"fontsize": 8}, linewidths=0.5,
                linecolor="white", cbar_kws={"label": t("plot.transitions.colorbar", lang),
                                             "shrink": 0.85,
                                             "format": FuncFormatter(
                                                 lambda v, _p: style.format_percent(v / 100,
                                                                                    lang, 0))})
    ax.set_xlabel(t("plot.transitions.xlabel", lang))
    ax.set_ylabel(t("plot.transitions.ylabel", lang))
    ax.set_xticklabels([channel_label(c, lang) for c in counts.columns], rotation=30,
                       ha="right")
    ax.set_yticklabels([t("plot.n_label", lang, name=channel_label(c, lang),
                          n=style.format_count(n, lang)) for c, n in rows[keep].items()],
                       rotation=0)
    return ax


def forced_migration_table(contacts: pd.DataFrame, *, lang="en", top: int = 5) -> pd.DataFrame:
    """The channel pairs of the cross-channel repeats (customers who came back on another
    channel within the window), most frequent first, formatted."""
    pairs = channel_movement.forced_migration_pairs(contacts, top=top)
    return pd.DataFrame({
        t("table.first_channel", lang): [channel_label(c, lang) for c in pairs["from_channel"]],
        t("table.next_channel", lang): [channel_label(c, lang) for c in pairs["to_channel"]],
        t("table.repeats", lang): [style.format_count(v, lang) for v in pairs["repeats"]],
        t("table.customers", lang): [style.format_count(v, lang) for v in pairs["customers"]],
        t("table.share_of_cross", lang): [style.format_percent(v, lang) for v in pairs["share"]],
    })


def channel_count(contacts: pd.DataFrame) -> int:
    """Number of distinct channels among the contacts."""
    return int(customer_started(contacts)["channel"].nunique())


# What the source says about the complaint (consumidor.gov.br) --------------------------------

def purchase_channel_table(report) -> pd.DataFrame | None:
    """Outcome, rating and time to answer by how the consumer bought, with n beside each
    figure (:func:`analytics.channels.purchase_channel_stats`); None when the source does not
    carry the purchase channel."""
    lang = report.lang
    stats = channels.purchase_channel_stats(report.contacts, report.log.conversation_attributes)
    if stats is None:
        return None

    def with_n(values, counts, formatter):
        return [f"{formatter(v)} ({style.format_count(n, lang)})"
                for v, n in zip(values, counts, strict=True)]

    return pd.DataFrame({
        t("table.purchase_channel", lang): [purchase_channel_label(v, lang)
                                            for v in stats["purchase_channel"]],
        t("table.complaints", lang): [style.format_count(v, lang) for v in stats["complaints"]],
        t("table.share_complaints", lang): [style.format_percent(v, lang)
                                            for v in stats["share"]],
        t("table.confirmed_resolution", lang): with_n(
            stats["confirmed_resolution"], stats["evaluated"],
            lambda v: style.format_percent(v, lang)),
        t("table.mean_score", lang): with_n(stats["mean_score"], stats["rated"],
                                            lambda v: style.format_number(v, lang, 1)),
        t("table.median_score", lang): [style.format_number(v, lang, 1)
                                        for v in stats["median_score"]],
        t("table.median_answer", lang): with_n(stats["median_response_s"], stats["answered"],
                                               lambda v: style.format_duration(v, lang)),
    })


def contacted_before_table(report, *, by: str = "segment", top: int = 10) -> pd.DataFrame | None:
    """The share of complaints whose author had contacted the company before, for the ``top``
    segments or companies by number of complaints (:func:`analytics.channels.
    contacted_before_stats`), formatted; None when the source does not carry it."""
    lang = report.lang
    stats = channels.contacted_before_stats(report.contacts, report.log.conversation_attributes,
                                            by=by, top=top)
    if stats is None:
        return None
    return pd.DataFrame({
        t(f"table.{by}", lang): [" ".join(v.split()) or t("table.unknown", lang)
                                 for v in stats["group"]],
        t("table.complaints", lang): [style.format_count(v, lang) for v in stats["complaints"]],
        t("table.contacted_before", lang): [
            f"{style.format_percent(s, lang)} ({style.format_count(n, lang)})"
            for s, n in zip(stats["share"], stats["contacted_before"], strict=True)],
    })


# Dependency and independence ---------------------------------------------------------------

def _dependency(summary: dict) -> dict:
    return (summary or {}).get("dependency") or {}


def _n_or_blank(value, lang: str) -> str:
    return "" if value is None else style.format_count(value, lang)


def independence_table(summary: dict, lang: str) -> pd.DataFrame:
    """The independence index (0–100) and its components (100 % = independent), this period
    and the previous one, with the change."""
    now = _dependency(summary)["independence_index"]
    before = _dependency(summary.get("previous"))["independence_index"]
    previous = t("table.previous", lang, period=summary["previous_period"]["label"])

    def index_text(value):
        return style.format_percent(None, lang) if value is None else \
            style.format_number(value, lang, 0)

    rows = [{t("table.indicator", lang): t("dep.index", lang),
             t("table.value", lang): index_text(now["value"]),
             previous: index_text(before["value"]),
             t("table.change", lang): style.format_percent(None, lang)
             if now["value"] is None or before["value"] is None
             else style.format_signed(now["value"] - before["value"], lang, 0)}]
    for key in dependency.INDEX_COMPONENTS:
        current, old = now["components"][key], before["components"][key]
        rows.append({t("table.indicator", lang): t(f"dep.component.{key}", lang),
                     t("table.value", lang): style.format_percent(current, lang),
                     previous: style.format_percent(old, lang),
                     t("table.change", lang): change_text(current, old, "share", lang)})
    return pd.DataFrame(rows)


def how_to_by_channel(contacts: pd.DataFrame) -> pd.DataFrame:
    """How-to share per channel: ``with_text``, ``how_to``, ``share``; channels without text
    are left out."""
    if "intent" not in contacts or contacts.empty:
        return pd.DataFrame({"with_text": [], "how_to": [], "share": []})
    table = dependency.how_to_by(contacts, contacts["channel"].astype("str"))
    return table[table["with_text"] > 0]


def plot_how_to_by_channel(contacts: pd.DataFrame, previous: pd.DataFrame | None = None, *,
                           period=None, ax=None, lang="en"):
    """Bars: each channel's how-to share (n beside the bar), largest share on top, with the
    previous period's share as a grey tick."""
    table = how_to_by_channel(contacts)
    if ax is None:  # one bar row per channel, so one channel does not fill the figure
        _, ax = plt.subplots(figsize=(9.0, 1.6 + 0.42 * max(len(table), 2)))
    ax = _labelled_axes(ax, "how_to_channel", period, lang)
    if table.empty:
        return _no_data(ax, lang)
    table = table.sort_values(["share", "with_text"])
    colors = style.channel_colors(list(table.index))
    y = np.arange(len(table))
    ax.barh(y, 100 * table["share"], color=[colors[c] for c in table.index])
    ax.set_yticks(y, [channel_label(c, lang) for c in table.index])
    if previous is not None:
        old = how_to_by_channel(previous)["share"].reindex(table.index)
        if old.notna().any():
            ax.scatter(100 * old, y, marker="|", s=400, linewidths=2.5,
                       color=style.REFERENCE_COLOR, zorder=3, label=t("plot.previous_period", lang))
            ax.legend(loc="lower right", frameon=False)
    for yi, (share, n) in enumerate(zip(table["share"], table["with_text"], strict=True)):
        ax.text(100 * share + 1, yi, f"{style.format_percent(share, lang, 0)} (n "
                f"{style.format_count(n, lang)})", va="center", fontsize=9)
    ax.set_xlim(0, 100)
    _percent_axis(ax.xaxis, lang)
    ax.grid(axis="y", visible=False)
    return ax


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


def plot_weekly_how_to(weekly: pd.DataFrame, *, period=None, ax=None, lang="en"):
    """Line: the weekly how-to share (weeks below the minimum n are gaps)."""
    ax = _labelled_axes(ax, "how_to_weekly", period, lang)
    if weekly["share"].isna().all():
        return _no_data(ax, lang)
    ax.plot(weekly["week_start"], 100 * weekly["share"], marker="o", color=style.ACCENT)
    ax.set_ylim(0, max(10.0, float(100 * weekly["share"].max()) * 1.25))
    _percent_axis(ax.yaxis, lang)
    ax.set_xticks(weekly["week_start"][::2],
                  [style.format_date(d, lang) for d in weekly["week_start"][::2]])
    ax.tick_params(axis="x", labelrotation=30)
    return ax


def dependency_table(summary: dict, lang: str) -> pd.DataFrame:
    """The dependency indicators with what they are based on, this period and the previous."""
    now, before = _dependency(summary), _dependency(summary.get("previous"))
    previous = t("table.previous", lang, period=summary["previous_period"]["label"])
    rows = []
    specs = (("cpc", ("contacts_per_customer", "per_customer"), "number",
              ("contacts_per_customer", "contacts")),
             ("repeat_how_to", ("repeat_how_to", "rate"), "share", ("repeat_how_to", "eligible")),
             ("multi_agent", ("intermediaries", "multi_agent_share"), "share",
              ("intermediaries", "answered")),
             ("transferred", ("intermediaries", "transferred_share"), "share",
              ("intermediaries", "answered")),
             ("messages_first", ("effort", "median_to_first_answer"), "number",
              ("effort", "answered")),
             ("one_message", ("effort", "one_message_share"), "share", ("effort", "answered")),
             ("messages_resolution", ("effort", "median_to_resolution"), "number",
              ("effort", "resolved")))
    for key, (area, name), kind, (n_area, n_name) in specs:
        def text(figures, area=area, name=name, kind=kind):
            value = figures[area][name]
            if kind == "share" or value is None:
                return style.format_percent(value, lang)
            return style.format_number(value, lang, 1)
        n = now[n_area][n_name] if now[area][name] is not None else None
        rows.append({t("table.indicator", lang): t(f"dep.row.{key}", lang),
                     t("table.value", lang): text(now), previous: text(before),
                     t("table.based_on", lang): _n_or_blank(n, lang)})
    return pd.DataFrame(rows)


def self_service_table(summary: dict, lang: str) -> pd.DataFrame:
    """Self-service sessions against assisted contacts by topic, or sessions by self-service
    channel when contacts carry no topic; empty without self-service data."""
    figures = _dependency(summary)["self_service"]
    if not figures["available"]:
        return pd.DataFrame()
    if figures["by_topic"]:
        return pd.DataFrame([
            {t("table.topic", lang): topic,
             t("table.sessions", lang): style.format_count(v["sessions"], lang),
             t("table.contacts", lang): style.format_count(v["contacts"], lang),
             t("table.sessions_per_contact", lang): style.format_percent(None, lang)
             if v["score"] is None else style.format_number(v["score"], lang, 1)}
            for topic, v in figures["by_topic"].items()])
    return pd.DataFrame([
        {t("table.self_service_source", lang): t(f"self_service.{source}", lang),
         t("table.sessions", lang): style.format_count(n, lang)}
        for source, n in sorted(figures["by_source"].items(), key=lambda kv: -kv[1])])


def avoidable_cost_table(summary: dict, lang: str) -> pd.DataFrame:
    """How-to contacts and their avoidable cost per channel, the most expensive first."""
    figures = _dependency(summary)["avoidable_cost"]
    currency = figures["currency"]
    return pd.DataFrame([
        {t("table.channel", lang): channel_label(channel, lang),
         t("table.how_to", lang): style.format_count(v["how_to"], lang),
         t("table.unit_cost", lang, currency=currency): style.format_number(v["unit"], lang, 2),
         t("table.total_cost", lang, currency=currency): style.format_number(v["total"], lang,
                                                                             0)}
        for channel, v in sorted(figures["by_channel"].items(), key=lambda kv: -kv[1]["total"])])


def opening_texts(report, contacts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The contacts' opening customer messages with a known intent: ``conversation_id``,
    ``channel``, ``intent``, ``text`` and ``lang`` when the log has one (the text functions
    detect the language otherwise); empty when the source has no text."""
    contacts = report.contacts if contacts is None else contacts
    opening = dependency.opening_messages(report.log.messages)
    if "text" not in opening or contacts.empty:
        return pd.DataFrame(columns=["conversation_id", "channel", "intent", "text"])
    frame = contacts[["conversation_id", "channel", "intent"]].join(opening, on="conversation_id")
    frame = frame[frame["text"].notna() & frame["intent"].notna()]
    return frame.assign(channel=frame["channel"].astype("str"),
                        intent=frame["intent"].astype("str"))


def voice_table(report, *, n: int = 6, min_contacts: int = 3) -> pd.DataFrame:
    """The words customers used most per kind of contact, their share of those contacts and
    the change against the previous period (words of at least ``min_contacts`` contacts)."""
    from analytics import text

    lang = report.lang
    current = opening_texts(report)
    if current.empty:
        return pd.DataFrame()
    previous = opening_texts(report, report.previous_contacts)
    lang_column = "lang" if "lang" in current and "lang" in previous else None
    table = text.voice_of_customer(current, previous, by=("intent",), n=n, lang=lang_column)
    table = table[table["count"] >= min_contacts]
    return pd.DataFrame([
        {t("table.intent", lang): t(f"intent.{row.intent}", lang),
         t("table.term", lang): row.term,
         t("table.contacts", lang): style.format_count(row.count, lang),
         t("table.term_share", lang): style.format_percent(row.share, lang, 0),
         t("table.change", lang): style.format_signed(100 * row.change, lang, 1,
                                                      " " + t("unit.pp", lang))}
        for row in table.itertuples()])


def examples_html(report, *, n: int = 3) -> str:
    """Example opening messages per kind of contact as HTML: personal data masked and every
    text escaped, because customer text is hostile input ('' without text)."""
    import html

    from analytics import text

    lang = report.lang
    frame = opening_texts(report)
    if frame.empty:
        return ""
    examples = text.example_messages(frame, "intent", n=n,
                                     lang="lang" if "lang" in frame else None)
    parts = []
    for intent in dependency.INTENTS:
        mine = examples[examples["intent"] == intent]
        if len(mine):
            items = "".join(f"<li>“{text.verbatim_html(v)}”</li>" for v in mine["text"])
            parts.append(f"<p><strong>{html.escape(t(f'intent.{intent}', lang))}</strong></p>"
                         f"<ul>{items}</ul>")
    return "".join(parts)


def sentiment_table(report) -> pd.DataFrame:
    """Median tone (−1 … +1) of the English opening messages per kind of contact, with n;
    empty when there is no English text (no offline Portuguese lexicon)."""
    from analytics import text

    lang = report.lang
    frame = opening_texts(report)
    if frame.empty:
        return pd.DataFrame()
    frame = frame.assign(tone=text.sentiment(frame["text"], frame.get("lang"))).dropna(
        subset=["tone"])
    if frame.empty:
        return pd.DataFrame()
    table = frame.groupby("intent")["tone"].agg(["median", "size"]).reindex(
        list(dependency.INTENTS)).dropna()
    return pd.DataFrame([
        {t("table.intent", lang): t(f"intent.{intent}", lang),
         t("table.sentiment", lang): style.format_signed(row["median"], lang, 2),
         t("table.based_on", lang): style.format_count(int(row["size"]), lang)}
        for intent, row in table.iterrows()])
