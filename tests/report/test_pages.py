"""Plots, tables, texts and number formats of the report pages (tiny hand-made facts)."""

import re
import string

import matplotlib

matplotlib.use("Agg")  # tests need no display; notebooks use the inline backend

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analytics.load.channel_names import CANONICAL_CHANNELS
from analytics.metrics import channels, dependency, repeats, response
from analytics.metrics.response import response_buckets
from analytics.period import parse_period  # noqa: E402
from analytics.report import figures, i18n, sentences, style, tables

LANGS = ("en", "pt-BR")
H = 3600.0
D = 86400.0


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


@pytest.fixture
def facts():
    return _facts()


@pytest.fixture
def contacts(facts):
    return facts[~facts["proactive"]]


@pytest.fixture(autouse=True)
def _house_style():
    with style.styled():
        yield
    plt.close("all")


PERIOD = parse_period("2024-W45", "UTC")


def _labelled(ax):
    assert isinstance(ax, plt.Axes)
    assert ax.get_xlabel().strip(), "x axis has no label"
    assert ax.get_ylabel().strip(), "y axis has no label"
    assert ax.get_title(loc="left").strip()


# Plots ---------------------------------------------------------------------------------------

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


def test_weekly_first_response_uses_local_weeks_and_hides_small_weeks(facts):
    weekly = response.weekly_first_response(facts, tz="UTC", end=PERIOD.end, weeks=2)
    overall = weekly[weekly["group"] == response.ALL]
    assert overall["week_start"].dt.strftime("%Y-%m-%d").tolist() == ["2024-10-28",
                                                                      "2024-11-04"]
    assert overall["contacts"].tolist() == [0, 6]
    assert overall["answered"].tolist() == [0, 5]
    assert overall["median_s"].iloc[-1] == pytest.approx(2 * H)  # 5 answered = MIN_WEEKLY_N
    assert weekly.loc[weekly["group"] == "email", "median_s"].isna().all()  # 3 < 5


def test_repeat_gap_curve_counts_next_contacts_within_d_days(contacts):
    curve = repeats.repeat_gap_curve(contacts, window_days=7, points=29)
    at = dict(zip(curve["days"].round(6), curve["share"], strict=True))
    assert at[0.0] == 0.0
    assert at[1.0] == pytest.approx(1 / 5)  # 5 contacts with a customer id, one back in 1 h
    assert at[4.0] == pytest.approx(2 / 5)


def test_gap_sentence_says_why_its_share_differs_from_the_headline_rate(contacts):
    # 5 contacts with a customer id, 2 back within 7 days: 40%; the headline rate counts the
    # unidentified contacts too (2 of 6 judged here: 33.3%).
    alone = sentences.gap_sentence(contacts, window_days=7, as_of=None, lang="en")
    assert alone.endswith("20.0% were followed by another within one day and 40.0% within 7 "
                          "days.")
    said = sentences.gap_sentence(contacts, window_days=7, as_of=None, lang="pt-BR",
                                  headline={"rate": 2 / 6})
    assert "40,0% em até 7 dias. A taxa de repetição do resumo, 33,3%, é outra" in said
    same = sentences.gap_sentence(contacts, window_days=7, as_of=None, lang="en",
                                  headline={"rate": 0.4})
    assert same == alone  # the same figure needs no explanation


def test_repeat_gap_only_counts_contacts_observed_for_d_days(contacts):
    as_of = pd.Timestamp("2024-11-09 10:00", tz="UTC")
    curve = repeats.repeat_gap_curve(contacts, window_days=7, as_of=as_of, points=29)
    assert curve["share"].iloc[-1] != curve["share"].iloc[-1]  # NaN: nobody observed 28 days


def test_contacts_per_customer_bins_and_frequent_contacters(contacts):
    table = repeats.contacts_per_customer_distribution(contacts)
    assert table["customers"].tolist() == [2, 0, 1, 0, 0, 0, 0]
    frequent = repeats.frequent_contacters(contacts, k=3)
    assert frequent["contacts"].tolist() == [3]
    assert frequent["channels"].iloc[0] == ["email", "chat"]
    assert "customer_id" not in tables.frequent_contacters_table(contacts, k=3).columns


def test_identity_coverage_per_channel(contacts):
    table = channels.identity_coverage(contacts)
    assert table.set_index("channel")["coverage"].to_dict() == {
        "email": 1.0, "chat": 1.0, "phone": 0.0, "whatsapp": 1.0}


def test_cross_channel_table_lists_repeats_by_channel_pair(contacts):
    table = tables.cross_channel_table(contacts, "en")
    assert table.to_dict("list") == {
        "First contact on": ["Chat", "Email"], "Came back on": ["Email", "Chat"],
        "Same channel": ["no", "no"], "Repeats": ["1", "1"],
        "Share of repeats": ["50.0%", "50.0%"]}


# Tables on a real sample ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def twcs_report():
    from analytics.report.context import prepare

    return prepare(source="twcs", period="2017-W44", tz="UTC", lang="pt-BR", hours="always")


def test_tables_are_formatted_strings_in_the_reader_language(twcs_report):
    for table in (tables.sla_table(twcs_report), tables.channel_table(twcs_report),
                  tables.public_private_table(twcs_report),
                  tables.headline_table(twcs_report.summary, "pt-BR")):
        assert len(table) > 0
        assert all(pd.api.types.is_string_dtype(table[c]) for c in table.columns)
    sla = tables.sla_table(twcs_report)
    assert list(sla.columns)[:2] == ["Canal", "Contatos"]
    assert sla.iloc[0, 1] == "950"
    assert "Respondidos em até 1 h" in sla.columns


def test_headline_table_shows_n_previous_and_change_and_never_zero_for_missing():
    summary = {
        "contacts": 1000, "customers": 8, "parameters": {"sla": "1h"},
        "previous_period": {"label": "2024-10"},
        "first_response": {"n": 9, "median_s": 600.0, "p90_s": 7200.0, "within_sla": 0.5,
                           "unanswered": 1},
        "first_response_business": {"n": 9, "median_s": 300.0},
        "reply_time": {"n": 12, "median_s": 900.0},
        "resolution_first": {"available": False},
        "reopened": None,
        "repeat_contacts": {"window_days": 7.0, "eligible": 10, "rate": 0.2, "cross_channel": 1,
                            "excluded_no_lookahead": 0, "identity_coverage": 1.0},
        "previous": {"contacts": 800, "customers": 8,
                     "first_response": {"n": 0, "median_s": None, "p90_s": None,
                                        "within_sla": None, "unanswered": 0},
                     "repeat_contacts": {"rate": 0.25}},
    }
    table = tables.headline_table(summary, "en")
    assert list(table.columns) == ["Figure", "Value", "Based on (contacts or replies)",
                                   "Previous period (October 2024)", "Change"]
    rows = table.set_index("Figure")
    assert rows.loc["Contacts", "Change"] == "+25%"
    assert rows.loc["Median time to first answer", "Value"] == "10 min"
    assert rows.loc["Median time to first answer", "Based on (contacts or replies)"] == "9"
    assert rows.loc["Median time to first answer", "Previous period (October 2024)"] == "n/a"
    assert rows.loc["Repeat contact rate (7 days)", "Change"] == "−5.0 pts"
    assert "Median time to resolve" not in rows.index  # not recorded by the source
    assert rows.loc["First answers within the 1 h target", "Value"] == "50.0%"
    assert sentences.comparison_note(summary, "en") == ""
    # Below 100 contacts in either period there is no change column, and the page says why.
    small = {**summary, "contacts": 950, "previous": {**summary["previous"], "contacts": 35}}
    assert "Change" not in tables.headline_table(small, "en").columns
    assert sentences.comparison_note(small, "en") == (
        "No change against October 2024 is shown: this period has 950 contacts and "
        "October 2024 had 35, and a comparison needs at least 100 in each.")
    # Enough contacts, but data on 10 of 30 days against 31 of 31: 0.33 < 0.5 x 1.0.
    partial = {**summary, "days_with_contacts": 10, "days": 30,
               "previous": {**summary["previous"], "days_with_contacts": 31, "days": 31}}
    assert "Change" not in tables.headline_table(partial, "en").columns
    assert sentences.comparison_note(partial, "pt-BR") == (
        "Nenhuma variação em relação a outubro de 2024 é mostrada: este período tem contatos em "
        "10 de seus 30 dias e outubro de 2024 em 31 de 31; uma comparação precisa de cobertura "
        "parecida (pelo menos metade dos dias com dados).")
    half = {**partial, "days_with_contacts": 15}  # 0.5 >= 0.5 x 1.0: compared
    assert "Change" in tables.headline_table(half, "en").columns
    assert sentences.comparison_note(half, "en") == ""


def test_table_html_hides_the_index_and_left_aligns_the_leading_text_columns(contacts):
    html = tables.table_html(tables.cross_channel_table(contacts)).to_html()
    assert "row_heading" not in html
    assert "First contact on" in html
    for i in range(3):  # first channel, next channel, same channel
        assert re.search(rf"th.col_heading.col{i} {{\s*text-align: left", html)
    assert not re.search(r"th.col_heading.col3 {\s*text-align: left", html)


# Texts -----------------------------------------------------------------------------------------

def _fields(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys_and_placeholders():
    en, pt = i18n.TEXTS["en"], i18n.TEXTS["pt-BR"]
    assert set(en) == set(pt)
    for key in en:
        assert _fields(en[key]) == _fields(pt[key]), key
    assert set(i18n.CHANNEL_NAMES["en"]) == set(i18n.CHANNEL_NAMES["pt-BR"]) == set(
        CANONICAL_CHANNELS)


def test_unknown_text_key_raises_key_error():
    with pytest.raises(KeyError, match="plot.nope"):
        i18n.t("plot.nope", "en")


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="fr"):
        i18n.t("plot.no_data", "fr")


def test_texts_fill_placeholders():
    assert i18n.t("plot.sla_line", "en", sla="1 h") == "target 1 h"
    assert i18n.t("plot.sla_line", "pt-BR", sla="1 h") == "meta 1 h"
    assert i18n.channel_label("web_form", "pt-BR") == "Formulário web"
    assert i18n.channel_label("fax", "en") == "fax"


def test_every_key_used_in_the_code_exists():
    from pathlib import Path

    root = Path(i18n.__file__).parent
    source = "".join(path.read_text() for path in sorted(root.rglob("*.py")))
    used = set(re.findall(r'\bt\("([a-z0-9_.]+)"', source))
    assert used and used <= set(i18n.TEXTS["en"])


def test_weekday_lists_have_seven_days():
    for lang in LANGS:
        assert len(i18n.t("weekdays", lang).split(",")) == 7
        assert len(i18n.t("weekdays_long", lang).split(",")) == 7


def test_sentences_say_no_contacts_for_an_empty_period():
    summary = {"period": {"label": "2024-W45"}, "contacts": 0,
               "first_response": {"n": 0, "unanswered": 0}}
    assert "week of 4 Nov 2024" in sentences.first_response_sentence(summary, "en")
    assert sentences.distribution_sentence(response_buckets(_facts().iloc[0:0]), "pt-BR") == (
        i18n.t("s.no_data", "pt-BR"))


# Formats ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("seconds", "en", "pt"), [
    (None, "n/a", "n/d"),
    (float("nan"), "n/a", "n/d"),
    (0, "0 s", "0 s"),
    (45, "45 s", "45 s"),
    (12 * 60 + 10, "12 min", "12 min"),
    (3600, "1 h", "1 h"),
    (3.4 * 3600, "3.4 h", "3,4 h"),
    (570240, "6.6 days", "6,6 dias"),
    (7 * 86400, "7 days", "7 dias"),
])
def test_format_duration_in_both_languages(seconds, en, pt):
    assert style.format_duration(seconds, "en") == en
    assert style.format_duration(seconds, "pt-BR") == pt


def test_format_count_and_percent_in_both_languages():
    assert style.format_count(1234567, "en") == "1,234,567"
    assert style.format_count(1234567, "pt-BR") == "1.234.567"
    assert style.format_count(None, "pt-BR") == "n/d"
    assert style.format_percent(0.7484, "en") == "74.8%"
    assert style.format_percent(0.7484, "pt-BR") == "74,8%"
    assert style.format_percent(12.345, "pt-BR") == "1.234,5%"
    assert style.format_percent(None, "en") == "n/a"
    assert style.format_signed(-3.0, "pt-BR", 1, " p.p.") == "−3,0 p.p."


def test_dates_in_the_report_time_zone_and_missing_dates():
    assert style.format_datetime("2017-12-03T18:52:36+00:00", "America/Sao_Paulo",
                                 "pt-BR") == "3 dez. 2017 16:52"  # UTC-2: summer time then
    assert style.format_datetime("NaT", "UTC", "en") == "n/a"
    assert style.format_date(None, "pt-BR") == "n/d"


def test_formatters_refuse_unknown_languages():
    with pytest.raises(ValueError):
        style.format_count(1, "de")


# Style -------------------------------------------------------------------------------------------

def test_channel_colours_are_fixed_distinct_and_grey_for_unknown_channels():
    colors = style.channel_colors(CANONICAL_CHANNELS)
    assert len(set(colors.values())) == len(CANONICAL_CHANNELS)
    assert style.FALLBACK_COLOR not in colors.values()
    assert style.channel_colors(["whatsapp", "email"]) == {
        "whatsapp": colors["whatsapp"], "email": colors["email"]}
    assert style.channel_colors(["email"])["email"] == "#E69F00"  # never changes
    assert style.channel_colors(["fax"]) == {"fax": style.FALLBACK_COLOR}
    assert style.UNANSWERED_COLOR not in colors.values()


def test_styled_restores_matplotlib_settings():
    plt.rcdefaults()
    before = dict(matplotlib.rcParams)
    with style.styled():
        assert matplotlib.rcParams["figure.figsize"] == [9.0, 4.5]
        assert matplotlib.rcParams["axes.spines.top"] is False
    assert dict(matplotlib.rcParams) == before


def test_agent_stats_rank_first_responders_and_leave_out_unanswered(tmp_path):
    import pandas as pd

    from analytics.report.context import prepare

    rows = ["message_id,conversation_id,customer_id,channel,sent_at,direction,author_type,agent_id",
            "1,A,c1,chat,2024-03-04T10:00:00Z,inbound,customer,",
            "2,A,,chat,2024-03-04T10:10:00Z,outbound,agent,ana",
            "3,B,c2,chat,2024-03-04T11:00:00Z,inbound,customer,",
            "4,B,,chat,2024-03-04T11:02:00Z,outbound,agent,bia",
            "5,C,c3,chat,2024-03-04T12:00:00Z,inbound,customer,",
            "6,C,,chat,2024-03-04T12:30:00Z,outbound,agent,ana",
            "7,D,c4,chat,2024-03-04T13:00:00Z,inbound,customer,"]
    path = tmp_path / "m.csv"
    path.write_text("\n".join(rows) + "\n")
    report = prepare(source="messages", input_path=str(path), period="2024-03", tz="UTC")
    stats = report.agent_stats
    assert stats["first_responder"].tolist() == ["ana", "bia"]   # most answers first
    assert stats["answered"].tolist() == [2, 1]                   # D (unanswered) has no agent
    assert stats["median_s"].tolist() == [(600 + 1800) / 2, 120.0]
    assert stats["within_sla"].tolist() == [1.0, 1.0]
    assert isinstance(stats, pd.DataFrame)


# Repeated contacts and channel movement: figures, tables, sentences ----------------------------

def test_contacts_per_customer_bins_start_a_bar_at_k():
    assert [label for _, _, label in repeats._cpc_bins(3)] == ["1", "2", "3", "4", "5", "6–9",
                                                             "10+"]
    assert [label for _, _, label in repeats._cpc_bins(7)] == ["1", "2", "3", "4", "5", "6",
                                                             "7–9", "10+"]
    assert [label for _, _, label in repeats._cpc_bins(12)][-3:] == ["6–9", "10–11", "12+"]


def test_repeat_trend_plot_marks_the_periods_and_the_contacts_judged(facts):
    trend = repeats.repeat_trend(facts, period=PERIOD)
    ax = figures.plot_repeat_trend(trend, period=PERIOD, lang="en")
    current = [line for line in ax.get_lines() if line.get_label().startswith("This period")]
    assert len(current) == 1
    # Contacts judged in the week: the 5 contacts with a complete window.
    assert "5" in [text.get_text() for text in ax.texts]


def test_repeat_channel_table_has_n_beside_each_rate_and_all_channels_last(facts):
    trend = repeats.repeat_trend(facts, period=PERIOD)
    table = tables.repeat_channel_table(trend, previous_label="2024-W44", lang="en")
    assert table.columns.tolist() == ["Channel", "Repeat rate", "Contacts judged",
                                      "Rate in week of 28 Oct 2024", "Judged in week of 28 Oct 2024",
                                      "Change"]
    rows = table.set_index("Channel")
    assert table["Channel"].iloc[-1] == "All channels"
    assert rows.loc["All channels", "Repeat rate"] == "40.0%"   # 2 of 5 judged
    assert rows.loc["All channels", "Contacts judged"] == "5"
    assert rows.loc["All channels", "Rate in week of 28 Oct 2024"] == "n/a"  # nothing to judge
    assert rows.loc["Email", "Repeat rate"] == "50.0%"


def test_channel_transitions_heatmap_rows_carry_the_number_of_customers(contacts):
    ax = figures.plot_channel_transitions(contacts, lang="en")
    # Customer a: email -> chat (next contact); b, c, d have one contact each.
    assert [label.get_text() for label in ax.get_yticklabels()] == ["Email (1)"]
    assert "100%\n(1)" in [text.get_text() for text in ax.texts]


def test_headline_table_of_the_repeat_page_shows_fcr_cross_share_and_frequent_with_k():
    summary = {
        "contacts": 10, "customers": 8, "parameters": {"sla": "1h"},
        "previous_period": {"label": "2024-10"},
        "repeat_contacts": {"window_days": 7.0, "eligible": 10, "rate": 0.2, "fcr": 0.8,
                            "repeated": 2, "cross_channel": 1, "cross_channel_share": 0.5,
                            "excluded_no_lookahead": 0, "identity_coverage": 1.0},
        "frequent_contacters": {"k": 4, "customers": 1, "share_customers": 0.125,
                                "contacts": 4, "share_contacts": 0.4},
        "previous": {"contacts": 0, "customers": 0, "repeat_contacts": {"rate": None}},
    }
    table = tables.headline_table(summary, "pt-BR", areas=("repeat_detail",))
    rows = table.set_index("Indicador")["Valor"]
    assert rows["Resolvidos no primeiro contato (sem novo contato em 7 dias)"] == "80,0%"
    assert rows["Parcela das repetições que vieram por outro canal"] == "50,0%"
    assert rows["Clientes com 4 ou mais contatos"] == "12,5%"
    assert rows["Contatos feitos por clientes com 4 ou mais contatos"] == "40,0%"


def _movement_summary(**movement):
    base = {"customers_multi": 10, "switchers": 4, "switch_share": 0.4,
            "forced_migration_base": 20, "forced_migration": 3, "forced_migration_share": 0.15}
    return {"period": {"label": "2024-11"}, "previous_period": {"label": "2024-10"},
            "contacts": 30, "repeat_contacts": {"window_days": 7.0, "identity_coverage": 1.0},
            "channel_movement": {**base, **movement},
            "previous": {"channel_movement": {**base, "switch_share": 0.5,
                                              "forced_migration_share": None}}}


def test_movement_and_forced_migration_sentences(contacts):
    summary = _movement_summary()
    text = sentences.movement_sentence(summary, contacts, "en")
    assert "4 of them (40.0%)" in text and "(50.0% in October 2024)" in text
    assert "from Email to Chat (1 customer)" in text
    forced = sentences.forced_migration_sentence(summary, "pt-BR")
    assert forced.startswith("3 dos 20 clientes") and "(n/d em outubro de 2024)" in forced
    zero = sentences.forced_migration_sentence(_movement_summary(forced_migration=0), "en")
    assert zero.startswith("None of the 20 customers")
    one_channel = contacts.assign(channel="twitter")
    assert "could not change channel" in sentences.movement_sentence(summary, one_channel, "en")
    anonymous = _movement_summary()
    anonymous["repeat_contacts"]["identity_coverage"] = 0.0
    assert sentences.movement_sentence(anonymous, contacts, "en") == i18n.t("s.no_identity")
    assert sentences.forced_migration_sentence(anonymous, "en") == i18n.t("s.no_identity")


@pytest.fixture(scope="module")
def consumidor_report():
    from analytics.report.context import prepare

    return prepare(source="consumidor_gov", period="2014-12", tz="America/Sao_Paulo",
                   lang="en", sla="10d")


def test_purchase_channel_and_contacted_before_tables_on_consumidor_gov(consumidor_report):
    purchase = tables.purchase_channel_table(consumidor_report)
    assert all(pd.api.types.is_string_dtype(purchase[c]) for c in purchase.columns)
    assert purchase.iloc[0, 0] == "Internet" and "Shop" in purchase.iloc[:, 0].tolist()
    counts = purchase["Complaints"].str.replace(",", "").astype(int)
    assert counts.is_monotonic_decreasing and counts.sum() == 8723
    assert re.fullmatch(r"\d+\.\d% \([\d,]+\)",
                        purchase["Resolved, in the consumer's words (evaluated)"].iloc[0])
    segments = tables.contacted_before_table(consumidor_report, by="segment", top=5)
    companies = tables.contacted_before_table(consumidor_report, by="company", top=3)
    assert len(segments) == 5 + 1 and len(companies) == 3 + 1  # + every complaint
    assert segments.iloc[-1].tolist() == ["All complaints", "8,723", "90.4% (7,887)"]
    assert companies.columns.tolist()[0] == "Company"
    assert "  " not in "".join(segments.iloc[:, 0])  # source double spaces tidied
    text = sentences.purchase_sentence(consumidor_report)
    assert "at least 100 evaluated complaints" in text
    before = sentences.contacted_before_sentence(consumidor_report)
    assert before.startswith("90.4% of the complaints (7,887 of 8,723)")
    fcr = sentences.fcr_sentence(consumidor_report)
    assert "90.4%" in fcr and "at most one answer per contact" in fcr


def test_sources_without_the_attributes_say_so_in_one_sentence(twcs_report):
    assert tables.purchase_channel_table(twcs_report) is None
    assert tables.contacted_before_table(twcs_report) is None
    assert sentences.purchase_sentence(twcs_report) == i18n.t("s.purchase.na", "pt-BR")
    assert sentences.contacted_before_sentence(twcs_report) == i18n.t("s.before.na", "pt-BR")
    assert twcs_report.repeat_topics is None
    assert sentences.topic_sentence(twcs_report.summary, None, "pt-BR") == i18n.t(
        "s.topic.none", "pt-BR")
    one_touch = sentences.fcr_sentence(twcs_report)
    assert i18n.t("s.one_touch.na", "pt-BR") in one_touch


def test_definitions_print_the_page_parameters(twcs_report):
    repeat = sentences.definitions(twcs_report, "repeat_contacts")
    assert "3 ou mais contatos" in repeat and "Canais públicos" not in repeat
    channel = sentences.definitions(twcs_report, "channel_usage")
    assert "Canais públicos (a tabela padrão documentada): consumidor.gov.br" in channel
    assert "clientes frequentes" not in sentences.definitions(twcs_report).lower()
