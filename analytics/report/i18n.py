"""Every text a report page shows, in English and Brazilian Portuguese, from one reviewed
file per language (``analytics/report/strings/<lang>.toml``).

Chart titles, axis labels, table headers, section headings, sentences, caveats, the site
pages' labels, duration units and month names all live there, keyed by what they label (STYLE
habit 15), so a reviewer reads and corrects the wording in one place and both languages always
hold the same keys and placeholders (tested). Texts are ``str.format`` templates; :func:`t`
fills them.

Writing rules: plain words for marketing readers (no "p90", "KM", "censored"); numbers only
through placeholders, formatted by :mod:`analytics.report.style`; channel names only through
:func:`channel_label`.
"""

from __future__ import annotations

import re
import string
import tomllib
from functools import cache
from importlib import resources

#: The page languages (BCP 47 tags, as the ``lang`` report parameter takes them).
LANGS = ("en", "pt-BR")


@cache
def strings(lang: str) -> dict:
    """The whole string file of ``lang``: ``texts``, ``channels``, ``purchase_channels``,
    ``site``, ``units``, ``calendar``."""
    check_lang(lang)
    source = resources.files("analytics.report").joinpath("strings", f"{lang}.toml")
    return tomllib.loads(source.read_text(encoding="utf-8"))


def check_lang(lang: str) -> str:
    """``lang`` itself, or ValueError naming the languages a page can be written in."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGS)}")
    return lang


TEXTS = {lang: strings(lang)["texts"] for lang in LANGS}
#: Display names of the canonical channels (unknown channels are shown as they are).
CHANNEL_NAMES = {lang: strings(lang)["channels"] for lang in LANGS}
#: consumidor.gov.br's "Como Comprou Contratou" values in English (the Portuguese page shows
#: them as the source writes them).
PURCHASE_CHANNEL_NAMES = {lang: strings(lang)["purchase_channels"] for lang in LANGS}


def t(key: str, lang: str = "en", **kwargs) -> str:
    """The text ``key`` in ``lang`` with its placeholders filled.

    Raises
    ------
    KeyError
        ``key`` is not in the table (a typo must not print a blank on a page).
    ValueError
        ``lang`` is not ``en`` or ``pt-BR``.

    >>> t("plot.sla_line", "pt-BR", sla="1 h")
    'meta 1 h'
    """
    texts = TEXTS[check_lang(lang)]
    if key not in texts:
        raise KeyError(f"no text {key!r} in analytics/report/strings/{lang}.toml")
    return _Formatter(lang).format(texts[key], **kwargs)


class _Formatter(string.Formatter):
    """``str.format`` plus the plural field ``{n:plural:one form|other form}``."""

    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value, format_spec: str):
        if not format_spec.startswith("plural:"):
            return super().format_field(value, format_spec)
        one, other = format_spec.removeprefix("plural:").split("|")
        from analytics.report.style import plural

        return plural(_whole_number(value), one, other, self.lang)


def _whole_number(value) -> int:
    """A count as a page prints it (``1,669``, ``1.669``, ``3``) back as an integer."""
    if isinstance(value, int):
        return value
    digits = re.sub(r"\D", "", str(value))
    if not digits:
        raise ValueError(f"a plural field needs a count, got {value!r}")
    return int(digits)


def channel_label(channel, lang: str = "en") -> str:
    """The display name of a channel (the canonical name itself when unknown)."""
    return CHANNEL_NAMES[check_lang(lang)].get(str(channel), str(channel))


def purchase_channel_label(value, lang: str = "en") -> str:
    """The display name of a purchase channel (consumidor.gov.br's own words in Portuguese;
    unknown values as they are; an empty value says it was not recorded)."""
    if value is None or str(value) == "" or value != value:
        return t("table.unknown", lang)
    return PURCHASE_CHANNEL_NAMES[check_lang(lang)].get(str(value), str(value))
