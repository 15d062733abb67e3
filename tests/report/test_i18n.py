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


def test_a_plural_field_makes_the_words_agree_with_the_count():
    # English: only 1 is singular; Portuguese (CLDR): 0 and 1 are. The count is read back
    # from the printed number, grouping separators included.
    one = "{n} {n:plural:contact has|contacts have} no answer yet"
    forms = {(lang, n): i18n._Formatter(lang).format(one, n=n)
             for lang in LANGS for n in ("0", "1", "2", "1,001", "1.001")}
    assert forms["en", "1"] == "1 contact has no answer yet"
    assert forms["en", "0"] == "0 contacts have no answer yet"
    assert forms["en", "1,001"] == "1,001 contacts have no answer yet"
    assert forms["pt-BR", "0"] == "0 contact has no answer yet"  # pt's rule, on purpose here
    assert forms["pt-BR", "1.001"] == "1.001 contacts have no answer yet"
    assert i18n.t("s.frt.unanswered", "pt-BR", n="1", oldest="3 dias") == (
        "1 contato ainda não tem resposta; ele está esperando há 3 dias.")
    assert i18n.t("s.frt.unanswered", "en", n=12, oldest="3 days").startswith(
        "12 contacts have no answer yet; the oldest")
    with pytest.raises(ValueError, match="needs a count"):
        i18n._Formatter("en").format(one, n="n/a")


def test_every_plural_field_has_two_forms_and_its_count_is_printed():
    for lang in LANGS:
        for key, text in i18n.TEXTS[lang].items():
            fields = list(string.Formatter().parse(text))
            printed = {name for _, name, spec, _ in fields if name and not spec}
            for _, name, spec, _ in fields:
                if spec and spec.startswith("plural:"):
                    assert spec.count("|") == 1, (lang, key, spec)
                    assert name in printed, (lang, key, name)
