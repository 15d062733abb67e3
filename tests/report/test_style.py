"""The house style: channel colours a reader can tell apart, numbers in the reader's notation."""

import itertools

import matplotlib
import matplotlib.pyplot as plt  # the Agg backend: set in conftest.py
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.colors import to_rgb

from analytics.load.channel_names import CANONICAL_CHANNELS
from analytics.report import style

#: Smallest CIELAB distance (ΔE*76) between two colours drawn together; 25 is about the
#: difference between two clearly different named colours, 2 is barely visible.
MIN_DISTANCE = 25


def _lab(color) -> np.ndarray:
    """sRGB -> CIELAB (D65), by the textbook formulas."""
    rgb = np.array(to_rgb(color))
    linear = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ linear / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_lab_of_known_colours():
    assert np.allclose(_lab("#FFFFFF"), [100, 0, 0], atol=0.02)  # 4-digit matrix
    assert np.allclose(_lab("#000000"), [0, 0, 0], atol=0.01)
    assert np.allclose(_lab("#FF0000"), [53.24, 80.09, 67.20], atol=0.05)


def test_every_channel_has_a_colour_apart_from_every_other_line_of_a_chart():
    drawn = {**style.CHANNEL_PALETTE, "all channels": "black",
             "unanswered": style.UNANSWERED_COLOR}
    assert set(style.CHANNEL_PALETTE) == set(CANONICAL_CHANNELS) and len(drawn) >= 12
    distances = {(a, b): float(np.linalg.norm(_lab(drawn[a]) - _lab(drawn[b])))
                 for a, b in itertools.combinations(drawn, 2)}
    closest = min(distances, key=distances.get)
    assert distances[closest] >= MIN_DISTANCE, (closest, distances[closest])
    # Readable on the white page (a pale yellow line would vanish).
    assert min(np.linalg.norm(_lab(c) - _lab("white")) for c in drawn.values()) >= MIN_DISTANCE


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(0, 2))
def test_numbers_read_back_in_both_notations(value, digits):
    english = style.format_number(value, "en", digits)
    portuguese = style.format_number(value, "pt-BR", digits)
    assert english == f"{value:,.{digits}f}"  # Babel's digits are Python's (half-even)
    assert portuguese == english.replace(",", "_").replace(".", ",").replace("_", ".")


def test_plural_money_and_dates_follow_cldr():
    assert style.plural(1, "customer", "customers") == "customer"
    assert style.plural(0, "customer", "customers") == "customers"
    assert style.plural(0, "cliente", "clientes", "pt-BR") == "cliente"  # pt: i = 0..1
    assert style.format_money(8.01, "USD", "pt-BR") == "US$\u00a08,01"
    assert style.format_money(1234.5, "BRL", "en") == "R$1,234.50"
    assert style.format_date("2017-10-30", "pt-BR") == "30 out. 2017"
    assert style.format_date("2017-10-30", "en") == "30 Oct 2017"
    assert style.format_number(None, "pt-BR") == "n/d"


@pytest.mark.parametrize(("label", "en", "pt"), [
    ("2026-10", "October 2026", "outubro de 2026"),
    ("2017-W44", "week of 30 Oct 2017", "semana de 30 out. 2017"),  # ISO week 44 starts Mon 30
    ("2025-W01", "week of 30 Dec 2024", "semana de 30 dez. 2024"),  # ISO week 1 of 2025
    ("2026-Q4", "Q4 2026", "4º trimestre de 2026"),
    ("2026-10-01..2026-10-15", "1 Oct 2026 – 15 Oct 2026", "1 out. 2026 – 15 out. 2026"),
])
def test_periods_are_named_in_the_readers_words(label, en, pt):
    assert style.period_name(label, "en") == en
    assert style.period_name(label, "pt-BR") == pt
    assert not style.capitalize(style.period_name(label, "pt-BR"))[0].islower()


def test_a_tone_is_read_in_words_beside_its_score():
    assert style.format_tone(0.0, "pt-BR") == "neutro (±0,00)"
    assert style.format_tone(0.04, "en") == "neutral (+0.04)"
    assert style.format_tone(0.75, "en") == "positive (+0.75)"
    assert style.format_tone(-0.4, "pt-BR") == "negativo (−0,40)"
    assert style.format_tone(None, "pt-BR") == "n/d"


# Number formats and colours on the report pages -----------------------------------------------

@pytest.mark.usefixtures("_house_style")
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


@pytest.mark.usefixtures("_house_style")
def test_format_count_and_percent_in_both_languages():
    assert style.format_count(1234567, "en") == "1,234,567"
    assert style.format_count(1234567, "pt-BR") == "1.234.567"
    assert style.format_count(None, "pt-BR") == "n/d"
    assert style.format_percent(0.7484, "en") == "74.8%"
    assert style.format_percent(0.7484, "pt-BR") == "74,8%"
    assert style.format_percent(12.345, "pt-BR") == "1.234,5%"
    assert style.format_percent(None, "en") == "n/a"
    assert style.format_signed(-3.0, "pt-BR", 1, " p.p.") == "−3,0 p.p."


@pytest.mark.usefixtures("_house_style")
def test_dates_in_the_report_time_zone_and_missing_dates():
    assert style.format_datetime("2017-12-03T18:52:36+00:00", "America/Sao_Paulo",
                                 "pt-BR") == "3 dez. 2017 16:52"  # UTC-2: summer time then
    assert style.format_datetime("NaT", "UTC", "en") == "n/a"
    assert style.format_date(None, "pt-BR") == "n/d"


@pytest.mark.usefixtures("_house_style")
def test_formatters_refuse_unknown_languages():
    with pytest.raises(ValueError):
        style.format_count(1, "de")


@pytest.mark.usefixtures("_house_style")
def test_channel_colours_are_fixed_distinct_and_grey_for_unknown_channels():
    colors = style.channel_colors(CANONICAL_CHANNELS)
    assert len(set(colors.values())) == len(CANONICAL_CHANNELS)
    assert style.FALLBACK_COLOR not in colors.values()
    assert style.channel_colors(["whatsapp", "email"]) == {
        "whatsapp": colors["whatsapp"], "email": colors["email"]}
    assert style.channel_colors(["email"])["email"] == "#E69F00"  # never changes
    assert style.channel_colors(["fax"]) == {"fax": style.FALLBACK_COLOR}
    assert style.UNANSWERED_COLOR not in colors.values()


@pytest.mark.usefixtures("_house_style")
def test_styled_restores_matplotlib_settings():
    plt.rcdefaults()
    before = dict(matplotlib.rcParams)
    with style.styled():
        assert matplotlib.rcParams["figure.figsize"] == [9.0, 4.5]
        assert matplotlib.rcParams["axes.spines.top"] is False
    assert dict(matplotlib.rcParams) == before
