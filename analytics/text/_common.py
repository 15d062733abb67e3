"""What the text modules share: packaged resources, accent folding, stopwords, stemmers, tokens."""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources

import pandas as pd
from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import RegexpTokenizer

_SENTENCE_END = frozenset(".!?;")


_STEMMER_NAMES = {"en": "english", "pt": "portuguese"}


# Tokens: URLs, @handles, words (letters, inner apostrophes), numbers, and ?/!/. runs.
_TOKENIZER = RegexpTokenizer(
    r"https?://\S+|www\.\S+|@\w+|[^\W\d_]+(?:['’][^\W\d_]+)*|\d+|[?!.;]+"
)


def _resource_lines(*parts: str) -> list[str]:
    path = resources.files("analytics").joinpath("resources", *parts)
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def _fold_char(c: str) -> str:
    return "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))


# Accented Latin letters (Latin-1 Supplement and Extended-A) -> plain letters; apostrophes
# removed. str.translate with this table is far faster than normalising every word.
_FOLD_TABLE = {ord(c): _fold_char(c) for c in map(chr, range(0xC0, 0x180))}
_FOLD_TABLE.update({ord("'"): None, ord("’"): None})


def _fold(text: str) -> str:
    """Lower case, no accents, apostrophes removed (``Não`` -> ``nao``, ``don't`` -> ``dont``)."""
    return text.lower().translate(_FOLD_TABLE)


@cache
def _stemmer(lang: str):
    stem = SnowballStemmer(_STEMMER_NAMES[lang]).stem
    memo: dict[str, str] = {}

    def cached(word: str) -> str:
        try:
            return memo[word]
        except KeyError:
            memo[word] = out = stem(word)
            return out

    return cached


def _text_series(texts) -> pd.Series:
    if not isinstance(texts, pd.Series):
        raise TypeError(f"expected a pandas Series of texts, got {type(texts).__name__}")
    if len(texts) and not (pd.api.types.is_string_dtype(texts)
                           or pd.api.types.is_object_dtype(texts)):
        raise TypeError(f"expected a Series of text, got dtype {texts.dtype}")
    return texts


def _texts(texts: pd.Series) -> list[str | None]:
    """Plain ``str`` or None (missing, empty or blank) for each row."""
    out = []
    for t in texts.tolist():
        out.append(t if isinstance(t, str) and t.strip() else None)
    return out


@cache
def _stopwords(lang: str) -> frozenset[str]:
    return frozenset(_fold(w) for w in _resource_lines("stopwords", f"{lang}.txt"))


@cache
def _filler_words(lang: str) -> frozenset[str]:
    """Greetings, politeness and question words that name no topic (``filler-<lang>.txt``)."""
    return frozenset(_fold(w) for w in _resource_lines("stopwords", f"filler-{lang}.txt"))
