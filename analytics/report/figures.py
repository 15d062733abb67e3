"""The figures of the report pages, in one style (:mod:`analytics.report.style`).

Every ``plot_*`` takes computed figures and ``ax=None``, draws on it, and returns the Axes; it
never saves or shows. Titles carry the period, axes their units.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator

from analytics.metrics import channel_movement, repeats, response
from analytics.metrics.channels import (
    _by_volume,
    _channel_counts,
    identity_coverage,
)
from analytics.metrics.dependency import how_to_by_channel
from analytics.metrics.facts import customer_started
from analytics.metrics.repeats import (
    FREQUENT_K,
    contacts_per_customer_distribution,
    repeat_gap_curve,
)
from analytics.metrics.response import ALL, DAY_BUCKETS, bucket_shares
from analytics.report import style
from analytics.report.i18n import channel_label, t

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


def _label(period, lang: str) -> str:
    """The period's name in the reader's words ('' for none)."""
    return "" if period is None else style.period_name(getattr(period, "label", period), lang)


def _title(ax, text: str, period, lang: str):
    """Title with the period's name, wrapped so it never runs past the figure."""
    label = _label(period, lang)
    ax.set_title(textwrap.fill(f"{text} · {label}" if label else text, _TITLE_WIDTH))


def _labelled_axes(ax, key: str, period, lang: str):
    """Axes titled and labelled from the i18n texts ``plot.<key>.title/xlabel/ylabel``."""
    ax = _axes(ax)
    _title(ax, t(f"plot.{key}.title", lang), period, lang)
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


def _bucket_label(bucket: str, lang: str) -> str:
    if bucket == response.UNANSWERED:
        return t("bucket.unanswered", lang)
    if bucket in dict(DAY_BUCKETS):
        return t(f"bucket.{bucket}", lang)
    return bucket.replace("-", "–")


def _small_share(share: float, count: int, lang: str) -> str:
    """A bar's whole-percent label; "<1%" for a bar with contacts that rounds to 0%, so 21
    contacts never read as "0%"."""
    if count and share < 0.005:
        return "<" + style.format_percent(0.01, lang, 0)
    return style.format_percent(share, lang, 0)


def plot_first_response_distribution(buckets: pd.DataFrame, *, period=None, ax=None,
                                     lang="en"):
    """Share of contacts per first-response bucket, unanswered last in its own colour.

    Parameters
    ----------
    buckets : DataFrame
        :func:`first_response_buckets` (or :func:`analytics.metrics.response.response_buckets`)
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
        f"{_small_share(s, n, lang)}\n({style.format_count(n, lang)})"
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
    _title(ax, t("plot.waiting.title", lang), period, lang)
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
    # A dates-only source cannot place a target under one day (same-day answers are 0).
    if sla_s and sla_s / scale <= right and not (days and sla_s < scale):
        ax.axvline(sla_s / scale, color=style.REFERENCE_COLOR, linestyle="--", linewidth=1)
        ax.text(sla_s / scale, 97, " " + t("plot.sla_line", lang, sla=style.format_duration(sla_s, lang)),
                color=style.REFERENCE_COLOR, fontsize=9, va="top", ha="left")
    if len(groups) > 1:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    else:
        ax.legend(loc="lower left")
    return ax


def _from_first_figure(weekly: pd.DataFrame, column: str) -> pd.DataFrame:
    """``weekly`` from the first week with a figure in any group: a log that starts in the
    ninth of twelve weeks would otherwise draw eight empty weeks before its first point."""
    first = weekly.loc[weekly[column].notna(), "week_start"].min()
    return weekly[weekly["week_start"] >= first]


def plot_weekly_trend(weekly: pd.DataFrame, *, period=None, ax=None, lang="en"):
    """Median first response per week, one line per channel (plus all channels together when
    there are several); the report period is shaded. Weeks with fewer than
    :data:`MIN_WEEKLY_N` answered contacts are left out of the lines. When the medians are
    more than 30 times apart the time axis is stretched (logarithmic, with 5 min, 1 h, 1 day
    ticks) so the fast channels stay readable; medians under a minute sit on that floor."""
    ax = _axes(ax)
    _title(ax, t("plot.trend.title", lang), period, lang)
    ax.set_xlabel(t("plot.trend.xlabel", lang))
    if weekly.empty or weekly["median_s"].isna().all():
        ax.set_ylabel(t("plot.trend.ylabel", lang, unit=style.duration_unit(None, lang)[1]))
        return _no_data(ax, lang, "plot.trend.too_few")
    weekly = _from_first_figure(weekly, "median_s")
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
    _title(ax, t("plot.mix.title", lang), period, lang)
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
        previous_label = _label(period.previous(), lang) if hasattr(period, "previous") else ""
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
        _title(ax, t("plot.weekday.title", lang, tz=tz), period, lang)
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
    _title(ax, t("plot.heatmap.title", lang, tz=tz), period, lang)
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


def plot_identity_coverage(contacts: pd.DataFrame, *, period=None, ax=None, lang="en"):
    """Share of each channel's contacts that carry a customer id (repeats can only be found
    among those), channels by volume."""
    table = identity_coverage(contacts)
    ax = _axes(ax, figsize=(9, max(2.4, 0.5 * len(table) + 1.4)))
    _title(ax, t("plot.coverage.title", lang), period, lang)
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


def plot_repeat_trend(trend: pd.DataFrame, *, period=None, ax=None, lang="en",
                      with_previous: bool = True):
    """Repeat rate per week (or month) of the previous period (grey, unless
    ``with_previous`` is False) and of this one, all channels together, with the number of
    contacts judged under each point.

    ``trend`` is :func:`analytics.metrics.repeats.repeat_trend` output (``Report.repeat_trend``).
    A week whose contacts are all too recent to judge has no point.
    """
    overall = trend[(trend["group"] == repeats.ALL)
                    & (with_previous | (trend["period"] == "current"))].reset_index(drop=True)
    monthly = len(overall) > 1 and (overall["bucket_start"].dt.day == 1).all() and (
        overall["bucket_start"].diff().dropna().dt.days >= 28).all()
    key = "repeat_trend_month" if monthly else "repeat_trend"
    ax = _labelled_axes(ax, key, period, lang)
    if overall.empty or overall["rate"].isna().all():
        return _no_data(ax, lang, "plot.repeat_trend.none")
    x = np.arange(len(overall))
    top = max(100 * overall["rate"].max() * 1.35, 2)
    crowded = len(overall) > 16
    previous_label = _label(period.previous(), lang) if hasattr(period, "previous") else ""
    series = (("previous", style.PREVIOUS_COLOR,
               t("plot.repeat_trend.previous", lang, period=previous_label or "—")),
              ("current", style.ACCENT, t("plot.repeat_trend.current", lang,
                                          period=_label(period, lang) or "—")))
    for name, color, label in series:
        mask = (overall["period"] == name).to_numpy()
        rows = overall[mask]
        if rows.empty:  # no previous period drawn: no legend entry for it either
            continue
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


# Channel movement ----------------------------------------------------------------------------

def plot_channel_transitions(contacts: pd.DataFrame, *, period=None, ax=None, lang="en"):
    """Heatmap of the channel of each customer's first contact (rows, with the number of
    customers) against the channel of their next contact (columns): the share of the row,
    with the number of customers in brackets. Customers with one contact are not in it."""
    table = channel_movement.channel_transitions(contacts)
    order = list(dict.fromkeys(table["first_channel"]))
    ax = _axes(ax, figsize=(9, max(3.0, 0.55 * len(order) + 1.8)))
    _title(ax, t("plot.transitions.title", lang), period, lang)
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
    ends = 100 * table["share"]
    if previous is not None:
        old = how_to_by_channel(previous)["share"].reindex(table.index)
        ends = np.fmax(ends, 100 * old)  # the label goes after the tick when it is further
        if old.notna().any():
            previous_label = _label(period.previous(), lang) if hasattr(period, "previous") \
                else ""
            ax.scatter(100 * old, y, marker="|", s=400, linewidths=2.5,
                       color=style.REFERENCE_COLOR, zorder=3,
                       label=t("plot.mix.previous", lang, period=previous_label or "—"))
            # below the axis: inside the plot, the legend's tick read as a bar's previous share
            ax.legend(loc="upper right", bbox_to_anchor=(1.0, -0.16), frameon=False)
    for yi, (share, n, end) in enumerate(zip(table["share"], table["with_text"], ends,
                                             strict=True)):
        ax.text(end + 1.5, yi, f"{style.format_percent(share, lang, 0)} (n "
                f"{style.format_count(n, lang)})", va="center", fontsize=9)
    ax.set_xlim(0, 100)
    _percent_axis(ax.xaxis, lang)
    ax.grid(axis="y", visible=False)
    return ax


def plot_weekly_how_to(weekly: pd.DataFrame, *, period=None, ax=None, lang="en"):
    """Line: the weekly how-to share (weeks below the minimum n are gaps)."""
    ax = _labelled_axes(ax, "how_to_weekly", period, lang)
    if weekly["share"].isna().all():
        return _no_data(ax, lang)
    weekly = _from_first_figure(weekly, "share")
    ax.plot(weekly["week_start"], 100 * weekly["share"], marker="o", color=style.ACCENT)
    ax.set_ylim(0, max(10.0, float(100 * weekly["share"].max()) * 1.25))
    _percent_axis(ax.yaxis, lang)
    ax.set_xticks(weekly["week_start"][::2],
                  [style.format_date(d, lang) for d in weekly["week_start"][::2]])
    ax.tick_params(axis="x", labelrotation=30)
    return ax
