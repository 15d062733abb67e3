"""What the text modules share (analytics/text/_common.py): the tokenizer, accent folding,
stemmers, the packaged word lists and the text-column checks."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.text import _common


def test_tokens_keep_urls_handles_words_numbers_and_punctuation_runs():
    text = "Não consigo acessar https://x.com/a @conecta já!! 123 don't"
    assert _common._TOKENIZER.tokenize(text) == [
        "Não", "consigo", "acessar", "https://x.com/a", "@conecta", "já", "!!", "123", "don't"]


def test_folding_lowers_drops_accents_and_apostrophes():
    assert _common._fold("Não AÇÃO don’t l'été") == "nao acao dont lete"
    assert _common._fold("Straße") == "straße"  # only Latin-1 Supplement and Extended-A fold


def test_stemmers_per_language_and_remembered():
    pt, en = _common._stemmer("pt"), _common._stemmer("en")
    assert pt("cancelamento") == pt("cancelar") == "cancel"
    assert en("cancelled") == en("cancelling") == "cancel"
    assert _common._stemmer("pt") is pt  # one stemmer per language


def test_packaged_word_lists_are_folded():
    stop = _common._stopwords("pt")
    assert {"nao", "voce", "de"} <= stop and "não" not in stop
    assert "obrigado" in _common._filler_words("pt")
    assert {"please", "thanks", "hello", "dont"} <= _common._filler_words("en")  # folded: dont


def test_comment_and_blank_lines_of_a_resource_are_skipped():
    lines = _common._resource_lines("stopwords", "en.txt")
    assert lines and all(line.strip() == line and not line.startswith("#") for line in lines)


def test_texts_are_strings_or_none():
    assert _common._texts(pd.Series(["a", "", "  ", None, float("nan")])) == [
        "a", None, None, None, None]


def test_only_a_series_of_text_is_accepted():
    assert _common._text_series(pd.Series([], dtype="float")).empty  # empty: any dtype
    with pytest.raises(TypeError, match="pandas Series of texts, got list"):
        _common._text_series(["a"])
    with pytest.raises(TypeError, match="Series of text, got dtype int64"):
        _common._text_series(pd.Series([1, 2]))
