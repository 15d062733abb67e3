"""The page strings (analytics.report.i18n): both languages complete, placeholders filled."""

import re
import string

import pytest
from helpers import LANGS

from analytics.load.channel_names import CANONICAL_CHANNELS
from analytics.report import i18n

pytestmark = pytest.mark.usefixtures("_house_style")


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
