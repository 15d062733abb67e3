"""One look for every figure and one way to write numbers.

Every chart takes its colours from :data:`CHANNEL_PALETTE`, so a channel has the same colour in
every report, and every page writes durations, counts, shares, dates and money with the
formatters below, in the reader's language (``en`` or ``pt-BR``): the separators, month names,
plural forms and currency signs are CLDR's, through Babel.

Notebooks call :func:`apply` once in their setup cell; library code and tests use the scoped
form ``with styled(): ...``, which restores matplotlib's settings afterwards.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from contextlib import contextmanager
from decimal import Decimal

import matplotlib as mpl
import pandas as pd
import seaborn as sns
from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_skeleton as _babel_skeleton
from babel.dates import get_day_names
from babel.numbers import format_currency as _babel_currency
from babel.numbers import format_decimal as _babel_decimal

from analytics.load.channel_names import CANONICAL_CHANNELS
from analytics.report.i18n import check_lang, strings, t

#: One fixed colour per canonical channel, chosen so that any two channels, the black of "all
#: channels" and the red of the unanswered stay apart (CIELAB distance of 25 or more, tested
#: in tests/test_style.py): the weekly charts draw up to 13 lines at once. Reports compared
#: side by side rely on a channel keeping its colour: change one only on purpose.
CHANNEL_PALETTE = {
    "phone": "#1F5FA8",
    "email": "#E69F00",
    "chat": "#009E73",
    "whatsapp": "#9ACD32",
    "sms": "#E377C2",
    "web_form": "#56B4E9",
    "app": "#7B4FA0",
    "twitter": "#00A3A3",
    "facebook": "#8C564B",
    "instagram": "#F0027F",
    "reclame_aqui": "#666600",
    "consumidor_gov": "#D55E00",
    "video": "#C5B0D5",
}
assert set(CHANNEL_PALETTE) == set(CANONICAL_CHANNELS)

#: Colour of a channel that is not in the canonical list.
FALLBACK_COLOR = "#9E9E9E"
#: The main colour of one-series charts.
ACCENT = "#2F5D8A"
#: The previous period, drawn behind or beside the current one.
PREVIOUS_COLOR = "#C8C8C8"
#: Unanswered contacts: a warm colour no channel uses.
UNANSWERED_COLOR = "#B2182B"
#: Reference lines (SLA, repeat window).
REFERENCE_COLOR = "#555555"
#: Sequential colour map of heatmaps.
HEATMAP_CMAP = "Blues"

#: Matplotlib settings on top of seaborn's ``whitegrid`` theme.
RC = {
    "figure.figsize": (9.0, 4.5),
    "figure.dpi": 110,
    "savefig.dpi": 110,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "font.size": 11,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.title_fontsize": 10,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#888888",
    "grid.color": "#E6E6E6",
    "figure.constrained_layout.use": True,
}

_STYLE = "whitegrid"


def channel_colors(channels) -> dict:
    """Colour of each channel: its fixed colour, grey for channels outside the list.

    >>> channel_colors(["email", "fax"])
    {'email': '#E69F00', 'fax': '#9E9E9E'}
    """
    return {str(c): CHANNEL_PALETTE.get(str(c), FALLBACK_COLOR) for c in channels}


def apply() -> None:
    """Set the house style for the rest of the session (notebook setup cells)."""
    sns.set_theme(context="notebook", style=_STYLE, palette=list(CHANNEL_PALETTE.values()),
                  rc=RC)
    from IPython import get_ipython

    if get_ipython() is not None:
        # Figures as PNGs of twice the pixels, shown at the same size: sharp on high-density
        # screens and in the PDF (about 280 dpi at the A4 text width instead of 140).
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("retina")


@contextmanager
def styled():
    """The house style inside a ``with`` block only (library code, tests)."""
    with mpl.rc_context():
        apply()
        yield


# Numbers ---------------------------------------------------------------------------------

#: The Babel (CLDR) locale of each page language.
LOCALES = {"en": "en", "pt-BR": "pt_BR"}


def _locale(lang: str) -> str:
    return LOCALES[check_lang(lang)]


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _na(lang: str) -> str:
    return "n/d" if lang == "pt-BR" else "n/a"


def format_number(value: float, lang: str = "en", digits: int = 0) -> str:
    """A number with thousands separators and ``digits`` decimals, in the reader's notation.

    >>> format_number(12345.678, "pt-BR", 1)
    '12.345,7'
    """
    if _missing(value):
        return _na(check_lang(lang))
    # Decimal(float) is the float's exact value: rounding half-even on it gives the digits
    # Python's own formatting gives (Babel would otherwise round the shortest repr).
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return _babel_decimal(Decimal(float(value)), format=pattern, locale=_locale(lang),
                          decimal_quantization=True)


def format_money(value: float, currency: str, lang: str = "en", digits: int = 2) -> str:
    """An amount with its currency's sign in the reader's notation.

    >>> format_money(8.01, "USD", "pt-BR") == "US$\\u00a08,01", format_money(1234.6, "BRL", "en", 0)
    (True, 'R$1,235')
    """
    if _missing(value):
        return _na(check_lang(lang))
    # CLDR's pt-BR currency pattern puts a no-break space after the sign.
    decimals = "." + "0" * digits if digits else ""
    pattern = ("¤#,##0" if lang == "en" else "¤\xa0#,##0") + decimals
    return _babel_currency(Decimal(float(value)), currency, format=pattern,
                           locale=_locale(lang), currency_digits=False)


def plural(count, one: str, other: str, lang: str = "en") -> str:
    """``one`` or ``other`` as the language's plural rule says for ``count`` (CLDR).

    >>> plural(1, "message", "messages"), plural(2, "mensagem", "mensagens", "pt-BR")
    ('message', 'mensagens')
    """
    return one if Locale.parse(_locale(lang)).plural_form(abs(count)) == "one" else other


def format_count(value, lang: str = "en") -> str:
    """An integer count: ``12,345`` / ``12.345``; None -> ``n/a`` / ``n/d``."""
    check_lang(lang)
    if _missing(value):
        return _na(lang)
    return format_number(round(float(value)), lang, 0)


def format_percent(share, lang: str = "en", digits: int = 1) -> str:
    """A share (0-1) as a percentage: ``74.8%`` / ``74,8%``; None -> ``n/a`` / ``n/d``."""
    check_lang(lang)
    if _missing(share):
        return _na(lang)
    return format_number(100 * float(share), lang, digits) + "%"


def format_duration(seconds, lang: str = "en") -> str:
    """A duration in the unit a reader expects: ``45 s``, ``12 min``, ``3.4 h``, ``6.6 days``.

    Under a minute in seconds, under an hour in whole minutes, under two days in hours with one
    decimal, else days with one decimal (a whole number drops its ``.0``: ``1 h``, ``7 days``). None or NaN -> ``n/a`` (``n/d`` in Portuguese).

    >>> format_duration(5 * 3600 + 1800, "en"), format_duration(570240, "pt-BR")
    ('5.5 h', '6,6 dias')
    """
    check_lang(lang)
    if _missing(seconds):
        return _na(lang)
    seconds = float(seconds)
    units = strings(lang)["units"]
    if abs(seconds) < 59.5:
        return f"{format_number(seconds, lang, 0)} {units['s']}"
    if abs(seconds) < 3600 - 30:
        return f"{format_number(seconds / 60, lang, 0)} {units['min']}"
    if abs(seconds) < 2 * 86400:
        return f"{_one_decimal(seconds / 3600, lang)} {units['h']}"
    return f"{_one_decimal(seconds / 86400, lang)} {units['days']}"


def _one_decimal(value: float, lang: str) -> str:
    """One decimal, without a trailing ``.0`` (``3.4``, ``6``)."""
    return format_number(value, lang, 0 if round(value, 1) == round(value) else 1)


def duration_unit(seconds_max, lang: str = "en") -> tuple[float, str]:
    """``(divisor, unit name)`` to draw durations up to ``seconds_max`` on an axis.

    >>> duration_unit(5400, "en")
    (60.0, 'min')
    """
    check_lang(lang)
    units = strings(lang)["units"]
    if _missing(seconds_max) or seconds_max < 3 * 3600:
        return 60.0, units["min"]
    if seconds_max < 3 * 86400:
        return 3600.0, units["h"]
    return 86400.0, units["days"]


def format_signed(value: float, lang: str = "en", digits: int = 1, suffix: str = "") -> str:
    """A change with its sign (a true minus sign): ``+12.5%``, ``−3,0 p.p.``."""
    check_lang(lang)
    if _missing(value):
        return _na(lang)
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{format_number(abs(value), lang, digits)}{suffix}"


#: VADER's own cut-offs: a compound score within ±0.05 reads as neutral.
_NEUTRAL_TONE = 0.05


def format_tone(value, lang: str = "en") -> str:
    """A tone score (−1 … +1) with its reading in words: ``neutral (±0.00)``,
    ``positive (+0.75)`` / ``negativo (−0,40)``; a bare ±0.00 would read as "missing"."""
    if _missing(value):
        return _na(lang)
    word = ("tone.neutral" if abs(value) < _NEUTRAL_TONE
            else "tone.positive" if value > 0 else "tone.negative")
    return f"{t(word, lang)} ({format_signed(value, lang, 2)})"


def format_date(value, lang: str = "en") -> str:
    """A calendar day: ``3 Dec 2017`` / ``3 dez. 2017`` (CLDR month abbreviations)."""
    check_lang(lang)
    day = None if _missing(value) else pd.Timestamp(value)
    if day is None or pd.isna(day):
        return _na(lang)
    return _babel_date(day.date(), "d MMM y", locale=_locale(lang))


def period_name(label: str, lang: str = "en") -> str:
    """A period's name in the reader's words, from its canonical label (``Period.label``):
    ``2026-10`` → ``October 2026`` / ``outubro de 2026``; ``2017-W44`` → ``week of 30 Oct 2017``
    / ``semana de 30 out. 2017``; ``2026-Q4`` → ``Q4 2026`` / ``4º trimestre de 2026``; a range
    → ``1 Oct 2026 – 15 Oct 2026``. Lower case as inside a sentence (see :func:`capitalize`)."""
    check_lang(lang)
    text = str(label)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        return _babel_skeleton("yMMMM", dt.date(int(m[1]), int(m[2]), 1), locale=_locale(lang))
    if m := re.fullmatch(r"(\d{4})-W(\d{2})", text):
        monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return t("period.week", lang, date=format_date(monday, lang))
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        first = dt.date(int(m[1]), 3 * int(m[2]) - 2, 1)
        return _babel_skeleton("yQQQQ" if lang == "pt-BR" else "yQQQ", first,
                               locale=_locale(lang))
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", text):
        return f"{format_date(m[1], lang)} – {format_date(m[2], lang)}"
    return text


def capitalize(text: str) -> str:
    """The first letter in upper case, the rest untouched (``semana de 30 out.`` → ``Semana
    de 30 out.``), for a name that opens a title or a table cell."""
    return text[:1].upper() + text[1:]


def format_datetime(value, tz: str, lang: str = "en") -> str:
    """A moment in the report's time zone: ``3 Dec 2017 18:52``."""
    check_lang(lang)
    moment = None if _missing(value) else pd.Timestamp(value)
    if moment is None or pd.isna(moment):
        return _na(lang)
    moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment
    moment = moment.tz_convert(tz)
    return f"{format_date(moment, lang)} {moment:%H:%M}"


def format_short_date(value, lang: str = "en") -> str:
    """A day without the year, for axis ticks: ``30 Oct`` / ``30 out.``."""
    return _babel_date(pd.Timestamp(value).date(), "d MMM", locale=_locale(lang))


_DAY_TOKENS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def format_hours(spec: str, lang: str = "en") -> str:
    """Working hours (the ``hours`` parameter) in the reader's words: day names in the
    language and an en dash in ranges.

    >>> format_hours("mon-fri 08:00-18:00; sat 09:00-13:00", "pt-BR")
    'seg.–sex. 08:00–18:00; sáb. 09:00–13:00'
    >>> format_hours("always", "en")
    'every day, all day'
    """
    if spec.strip().lower() in ("always", "24x7"):
        return strings(lang)["texts"]["hours.always"]
    names = get_day_names("abbreviated", locale=_locale(lang))
    words = {token: names[i] for i, token in enumerate(_DAY_TOKENS)}
    text = re.sub(r"\b(mon|tue|wed|thu|fri|sat|sun)\b", lambda m: words[m.group(1)],
                  spec.strip().lower())
    return re.sub(r"(?<=\S)-(?=\S)", "\u2013", text)
