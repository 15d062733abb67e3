"""The page figures (analytics.report.figures): labelled axes, empty periods, bar order and
colours, on tiny hand-made facts."""

import matplotlib

matplotlib.use("Agg")  # tests need no display; notebooks use the inline backend

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from helpers import LANGS, PERIOD, D, H  # noqa: E402

from analytics.metrics import dependency, repeats, response  # noqa: E402
from analytics.metrics.response import response_buckets  # noqa: E402
from analytics.report import figures, style  # noqa: E402

pytestmark = pytest.mark.usefixtures("_house_style")


def _labelled(ax):
    assert isinstance(ax, plt.Axes)
    assert ax.get_xlabel().strip(), "x axis has no label"
    assert ax.get_ylabel().strip(), "y axis has no label"
    assert ax.get_title(loc="left").strip()


def _plots(facts, contacts, lang):
    weekly = response.weekly_first_response(facts, tz="UTC", end=PERIOD.end, weeks=4)
    return {
        "distribution": figures.plot_first_response_distribution(
            response_buckets(contacts), period=PERIOD, lang=lang),
        "waiting": figures.plot_still_waiting(contacts, by="channel", sla_s=H, period=PERIOD,
                                            lang=lang),
        "waiting_days": figures.plot_still_waiting(contacts, time_precision="day", sla_s=D,
                                                 lang=lang),
        "trend": figures.plot_weekly_trend(weekly, period=PERIOD, lang=lang),
        "mix": figures.plot_channel_mix(contacts, contacts.iloc[:2], period=PERIOD, lang=lang),
        "heatmap": figures.plot_hour_weekday_heatmap(contacts, tz="America/Sao_Paulo",
                                                   period=PERIOD, lang=lang),
        "weekdays": figures.plot_hour_weekday_heatmap(contacts, tz="UTC", hours_known=False,
                                                    lang=lang),
        "gap": figures.plot_repeat_gap(contacts, window_days=7, period=PERIOD, lang=lang),
        "per_customer": figures.plot_contacts_per_customer(contacts, k=2, lang=lang),
        "coverage": figures.plot_identity_coverage(contacts, lang=lang),
        "repeat_trend": figures.plot_repeat_trend(repeats.repeat_trend(facts, period=PERIOD),
                                                period=PERIOD, lang=lang),
        "transitions": figures.plot_channel_transitions(contacts, period=PERIOD, lang=lang),
        "how_to_channel": figures.plot_how_to_by_channel(contacts, contacts.iloc[:3],
                                                       period=PERIOD, lang=lang),
        "how_to_weekly": figures.plot_weekly_how_to(
            dependency.weekly_how_to(facts, tz="UTC", end=PERIOD.end, weeks=4), period=PERIOD,
            lang=lang),
    }


@pytest.mark.parametrize("lang", LANGS)
def test_every_plot_returns_labelled_axes(facts, contacts, lang):
    for name, ax in _plots(facts, contacts, lang).items():
        assert isinstance(ax, plt.Axes), name
        _labelled(ax)


@pytest.mark.parametrize("lang", LANGS)
def test_every_plot_says_no_data_on_an_empty_period(facts, lang):
    empty = facts.iloc[0:0]
    for name, ax in _plots(empty, empty, lang).items():
        _labelled(ax)
        texts = " ".join(t.get_text() for t in ax.texts)
        assert texts.strip(), f"{name} draws empty axes without saying so"


def test_plots_draw_on_the_given_axes(contacts):
    fig, ax = plt.subplots()
    assert figures.plot_channel_mix(contacts, ax=ax) is ax
    assert figures.plot_first_response_distribution(response_buckets(contacts), ax=ax) is ax


def test_distribution_bars_follow_bucket_order_with_unanswered_last_in_its_colour(contacts):
    ax = figures.plot_first_response_distribution(response_buckets(contacts), lang="en")
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["< 5 min", "5–15 min", "15–60 min", "1–4 h", "4–24 h", "> 24 h",
                      "no answer yet"]
    heights = [round(p.get_height(), 6) for p in ax.patches]
    assert heights == [round(100 / 6, 6), round(100 / 6, 6), 0, round(100 / 6, 6), 0,
                       round(200 / 6, 6), round(100 / 6, 6)]
    colors = [matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches]
    assert colors[-1] == style.UNANSWERED_COLOR.lower()
    assert set(colors[:-1]) == {style.ACCENT.lower()}
    assert "%" in ax.get_ylabel()


def test_a_bar_with_contacts_never_reads_0_percent():
    # 21 of 8,723 contacts (consumidor.gov.br's "> 14 days" bar) round to 0%.
    order = ["same_day", "over_14_days", "unanswered"]
    buckets = pd.DataFrame({"bucket": pd.Categorical(order, categories=order),
                            "contacts": [8702, 21, 0]})
    ax = figures.plot_first_response_distribution(buckets, lang="pt-BR")
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["100%\n(8.702)", "<1%\n(21)", "0%\n(0)"]
    plt.close("all")


def test_day_precision_buckets_count_whole_days(contacts):
    buckets = response.first_response_buckets(contacts, time_precision="day")
    counts = dict(zip(buckets["bucket"].astype("str"), buckets["contacts"], strict=True))
    assert counts == {"same_day": 3, "1_day": 1, "2_3_days": 1, "4_7_days": 0, "8_14_days": 0,
                      "over_14_days": 0, "unanswered": 1}
    ax = figures.plot_first_response_distribution(buckets, lang="pt-BR")
    assert ax.get_xticklabels()[0].get_text() == "mesmo dia"


def test_a_dates_only_waiting_chart_draws_no_target_under_one_day(contacts):
    # A 1 h target would sit at 0.04 days, where same-day answers (0 days) all fall.
    texts = [text.get_text() for text in figures.plot_still_waiting(
        contacts, time_precision="day", sla_s=H, lang="en").texts]
    assert not any("target" in text for text in texts)
    plt.close("all")
    texts = [text.get_text() for text in figures.plot_still_waiting(
        contacts, time_precision="day", sla_s=2 * D, lang="en").texts]
    assert any("target" in text for text in texts)
    plt.close("all")


def test_channel_mix_sorts_by_volume_largest_on_top_in_channel_colours(contacts):
    ax = figures.plot_channel_mix(contacts, lang="en")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Email", "Chat", "Phone", "WhatsApp"]  # 2, then ties by name
    assert ax.yaxis_inverted()
    colors = [matplotlib.colors.to_hex(p.get_facecolor()).upper() for p in ax.patches]
    assert colors == [style.CHANNEL_PALETTE[c] for c in ("email", "chat", "phone", "whatsapp")]


def test_heatmap_counts_contacts_in_the_report_time_zone(contacts):
    ax = figures.plot_hour_weekday_heatmap(contacts, tz="America/Sao_Paulo")
    values = ax.collections[0].get_array().reshape(7, 24)
    # 2024-11-05 02:00 UTC is Monday 23:00 in São Paulo (UTC-3).
    assert values[0, 23] == 1
    assert values[1, 2] == 0
    assert values.sum() == len(contacts)


def test_repeat_trend_plot_marks_the_periods_and_the_contacts_judged(facts):
    trend = repeats.repeat_trend(facts, period=PERIOD)
    ax = figures.plot_repeat_trend(trend, period=PERIOD, lang="en")
    current = [line for line in ax.get_lines() if line.get_label().startswith("This period")]
    assert len(current) == 1
    # Contacts judged in the week: the 5 contacts with a complete window.
    assert "5" in [text.get_text() for text in ax.texts]


def test_channel_transitions_heatmap_rows_carry_the_number_of_customers(contacts):
    ax = figures.plot_channel_transitions(contacts, lang="en")
    # Customer a: email -> chat (next contact); b, c, d have one contact each.
    assert [label.get_text() for label in ax.get_yticklabels()] == ["Email (1)"]
    assert "100%\n(1)" in [text.get_text() for text in ax.texts]


def test_weekly_charts_start_at_the_first_week_with_a_figure():
    # twcs's 2017-W44 chart drew seven empty weeks (from 14 Aug) before its first point.
    weeks = pd.date_range("2024-10-07", periods=4, freq="7D")
    weekly = pd.DataFrame({"week_start": weeks.repeat(2), "group": ["email", response.ALL] * 4,
                           "contacts": 9, "answered": 9,
                           "median_s": [None, None, None, None, 60.0, 60.0, 120.0, 90.0]})
    ax = figures.plot_weekly_trend(weekly, lang="en")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["21 Oct", "28 Oct"]
    shares = pd.DataFrame({"week_start": weeks, "share": [None, 0.2, None, 0.3]})
    ax = figures.plot_weekly_how_to(shares, lang="en")
    assert [t.get_text() for t in ax.get_xticklabels()][0] == style.format_date(weeks[1], "en")
    plt.close("all")


def test_repeat_trend_without_the_previous_period_draws_only_this_one(facts):
    trend = repeats.repeat_trend(facts, period=PERIOD)
    assert set(trend["period"]) == {"previous", "current"}
    both = figures.plot_repeat_trend(trend, period=PERIOD, lang="en")
    alone = figures.plot_repeat_trend(trend, period=PERIOD, lang="en", with_previous=False)
    assert len(both.get_lines()) == 2
    assert [line.get_label() for line in alone.get_lines()] == [
        line.get_label() for line in both.get_lines()][1:]
    plt.close("all")
