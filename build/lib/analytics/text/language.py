"""Language of customer messages (pt / en) from packaged marker words, with no download."""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pandas as pd

from analytics.text._common import _fold, _stopwords, _text_series, _texts

LANGS = ("en", "pt")
_WORD = re.compile(r"[^\W\d_]+")


@cache
def _language_markers() -> tuple[frozenset[str], frozenset[str]]:
    """Function words that exist in one language only (the stop lists minus their overlap)."""
    en, pt = _stopwords("en"), _stopwords("pt")
    extra_pt = {"nao", "voce", "voces", "obrigado", "obrigada", "produto", "pedido", "entrega",
                "recebi", "chegou", "estou", "muito", "bom", "otimo", "gostaria", "boa"}
    extra_en = {"please", "thanks", "thank", "order", "help", "just", "get", "got", "my"}
    return frozenset((pt | extra_pt) - en), frozenset((en | extra_en) - pt)


_PT_LETTERS = re.compile(r"[ãõçâêôáéíóú]")


# ----------------------------------------------------------------------------------------
# language
# ----------------------------------------------------------------------------------------

def normalise_lang(values: pd.Series) -> pd.Series:
    """Map language tags to ``"en"`` / ``"pt"``.

    Parameters
    ----------
    values : Series
        Tags such as ``pt-BR``, ``pt_br``, ``PT``, ``portuguese``, ``en``, ``en-US``,
        ``English``.

    Returns
    -------
    Series
        Same index; ``"en"``, ``"pt"`` or missing for anything else (empty, other languages).

    Examples
    --------
    >>> normalise_lang(pd.Series(["pt-BR", "EN_us", "Português", "es", None])).tolist()
    ['pt', 'en', 'pt', nan, nan]
    """
    folded = values.astype("string").str.strip().map(
        lambda v: _fold(v) if isinstance(v, str) else v, na_action="ignore")
    base = folded.str.extract(r"^([a-z]+)", expand=False)
    names = {"en": "en", "eng": "en", "english": "en", "ingles": "en",
             "pt": "pt", "por": "pt", "portuguese": "pt", "portugues": "pt"}
    out = base.map(names).astype(object)
    return out.where(out.notna(), np.nan).rename(values.name)


def _detect_one(text: str, default: str) -> str:
    pt_words, en_words = _language_markers()
    words = _WORD.findall(_fold(text))
    pt = sum(w in pt_words for w in words)
    en = sum(w in en_words for w in words)
    if _PT_LETTERS.search(text.lower()):
        pt += 2
    if pt > en:
        return "pt"
    if en > pt:
        return "en"
    return default


def detect_language(texts: pd.Series, *, default: str = "pt") -> pd.Series:
    """Detect Portuguese or English from function words and Portuguese letters.

    Parameters
    ----------
    texts : Series of str
    default : {"pt", "en"}
        Returned when the text gives no evidence either way (for example "ok" or a URL).

    Returns
    -------
    Series
        Same index and name ``lang_detected``: ``"pt"`` or ``"en"``; missing for missing or
        blank texts. Other languages get whichever of the two they resemble more.

    Notes
    -----
    A word counts for a language when it is in that language's stop list (Snowball, plus
    informal forms such as ``vc``, ``pq``, ``nao``) and not in the other's; each ã, õ, ç or
    accented vowel adds two points to Portuguese. The larger count wins.
    """
    texts = _text_series(texts)
    if default not in LANGS:
        raise ValueError(f"default must be one of {LANGS}, got {default!r}")
    out = [np.nan if t is None else _detect_one(t, default) for t in _texts(texts)]
    return pd.Series(out, index=texts.index, name="lang_detected", dtype=object)


def _langs_for(texts: pd.Series, langs) -> list:
    if langs is None:
        return detect_language(texts).tolist()
    if isinstance(langs, str):
        langs = pd.Series(langs, index=texts.index)
    if not isinstance(langs, pd.Series):
        raise TypeError(f"langs must be a Series, a string or None, got {type(langs).__name__}")
    if len(langs) != len(texts):
        raise ValueError(f"langs has {len(langs)} rows, texts has {len(texts)}")
    norm = normalise_lang(langs.reset_index(drop=True))
    missing = norm.isna().to_numpy()
    if missing.any():
        detected = detect_language(texts.reset_index(drop=True)[missing])
        norm[missing] = detected.to_numpy()
    return norm.tolist()
