"""The customers' own words: top terms with their change, voice of the customer, examples."""

from __future__ import annotations

import numpy as np
import pandas as pd
from nltk.tokenize import RegexpTokenizer
from nltk.util import ngrams

from analytics.text._common import _filler_words, _fold, _stopwords, _text_series, _texts
from analytics.text.language import _langs_for
from analytics.text.pii import mask_pii

# ----------------------------------------------------------------------------------------
# terms
# ----------------------------------------------------------------------------------------

_NEGATIONS = frozenset({"nao", "not", "no", "nor", "never", "nem", "nunca", "sem"})
# The intents' tokens, but a hyphenated word ("pre-order", "e-mail") and a word with digits
# ("ww2", "ps4", "4g") stay whole: split, their pieces ("pre", "ww") are terms no reader
# recognises. Numbers alone are still dropped.
_TERM_TOKENIZER = RegexpTokenizer(
    r"https?://\S+|www\.\S+|@\w+|(?:[^\W\d_][^\W_]*|\d+[^\W\d_][^\W_]*)"
    r"(?:['’-][^\W_]+)*|\d+|[?!.;]+")


#: Prefixes customers write apart from their word ("pre order", "pós venda"): alone they are
#: terms no reader recognises, so they are joined to the next word with a hyphen.
_DETACHED_PREFIXES = frozenset({"pre", "pré", "post", "pos", "pós", "non", "anti", "auto"})


def _joined_prefixes(tokens: list[str]) -> list[str]:
    """``tokens`` with a detached prefix joined to the word after it ("pre order" →
    "pre-order")."""
    out: list[str] = []
    for tok in tokens:
        if out and out[-1] in _DETACHED_PREFIXES and tok[0].isalpha():
            out[-1] = f"{out[-1]}-{tok}"
        else:
            out.append(tok)
    return out


def _term_tokens(text: str, lang: str) -> list[str | None]:
    """The message's words, None for a dropped one (a bigram never spans it). Negations
    survive here for bigrams ("não chegou") and are dropped as single words."""
    stop = (_stopwords(lang) | _filler_words(lang)) - _NEGATIONS
    words = []
    for tok in _joined_prefixes(_TERM_TOKENIZER.tokenize(text.lower())):
        if tok[0] in "@?!.;" or tok.startswith(("http", "www.")) or tok[0].isdigit():
            words.append(None)  # breaks n-grams
            continue
        tok = tok.replace("’", "'")
        folded = _fold(tok)
        if folded in stop or len(folded) < 2:
            words.append(None)
        else:
            words.append(tok.replace("'", ""))
    return words


def _message_terms(texts: pd.Series, langs, ngram: int) -> list[set[str]]:
    if ngram not in (1, 2):
        raise ValueError(f"ngram must be 1 or 2, got {ngram!r}")
    texts = mask_pii(_text_series(texts))
    lang_list = _langs_for(texts, langs)
    out = []
    for text, lang in zip(_texts(texts), lang_list, strict=True):
        if text is None:
            continue
        words = _term_tokens(text, lang)
        if ngram == 1:
            out.append({w for w in words if w is not None and _fold(w) not in _NEGATIONS})
        else:
            out.append({f"{a} {b}" for a, b in ngrams(words, 2)
                        if a is not None and b is not None and a != b})
    return out


def _frequencies(terms: list[set[str]]) -> pd.DataFrame:
    counts: dict[str, int] = {}
    for bag in terms:
        for term in bag:
            counts[term] = counts.get(term, 0) + 1
    frame = pd.DataFrame({"term": list(counts), "count": list(counts.values())},
                         columns=["term", "count"])
    frame["count"] = frame["count"].astype("int64")
    frame["share"] = frame["count"] / len(terms) if terms else pd.Series(dtype=float)
    return frame.sort_values(["count", "term"], ascending=[False, True], ignore_index=True)


def top_terms(texts: pd.Series, langs: pd.Series | str | None = None, *, n: int = 10,
              ngram: int = 1) -> pd.DataFrame:
    """The most frequent words (or two-word phrases) of a set of messages.

    Parameters
    ----------
    texts : Series of str
    langs : Series, str or None
        Language per text (detected when None or missing); picks the stop list.
    n : int
        How many terms to return.
    ngram : {1, 2}
        Single words or pairs of adjacent words.

    Returns
    -------
    DataFrame
        Columns ``term`` (lower case, as written), ``count`` (int: messages containing the
        term, each message counted once), ``share`` (count / messages with text); sorted by
        count, then term; at most ``n`` rows.

    Notes
    -----
    Personal data is masked first; @handles, URLs, numbers and punctuation are dropped, as are
    the stop words of ``analytics/resources/stopwords`` (Snowball's lists, as NLTK ships them)
    and the filler words beside them (greetings, politeness, question words: ``boa``,
    ``tarde``, ``onde``, ``please``). Negations (``não``, ``not``, ``nunca``...) are kept only
    inside two-word phrases, so "não recebi" survives as a bigram while "não" alone is never a
    term. A hyphenated word stays whole. A bigram never spans a dropped word.

    Examples
    --------
    >>> s = pd.Series(["my order is late", "late order again", "thanks!"])
    >>> top_terms(s, "en", n=2)
        term  count     share
    0   late      2  0.666667
    1  order      2  0.666667
    """
    return _frequencies(_message_terms(texts, langs, ngram)).head(n).reset_index(drop=True)


def term_changes(current: pd.Series, previous: pd.Series, current_langs=None,
                 previous_langs=None, *, n: int = 10, ngram: int = 1) -> pd.DataFrame:
    """Top terms of the current period with their share in the previous one.

    Returns
    -------
    DataFrame
        The ``n`` top terms of ``current`` (as :func:`top_terms`) with columns ``term``,
        ``count``, ``share``, ``previous_count`` (int), ``previous_share`` (0 when the term
        or the previous period is absent) and ``change`` = ``share - previous_share`` (a
        difference of shares, i.e. percentage points / 100).
    """
    cur = _frequencies(_message_terms(current, current_langs, ngram)).head(n)
    prev_terms = _message_terms(previous, previous_langs, ngram)
    prev = _frequencies(prev_terms).set_index("term")
    out = cur.reset_index(drop=True)
    out["previous_count"] = out["term"].map(prev["count"]).fillna(0).astype("int64")
    total = len(prev_terms)
    out["previous_share"] = out["previous_count"] / total if total else 0.0
    out["change"] = out["share"] - out["previous_share"]
    return out


def voice_of_customer(current: pd.DataFrame, previous: pd.DataFrame | None = None, *,
                      by=("intent", "channel"), text: str = "text", lang: str | None = "lang",
                      n: int = 10, ngram: int = 1) -> pd.DataFrame:
    """:func:`term_changes` for every group of ``by`` (for example intent x channel).

    Parameters
    ----------
    current, previous : DataFrame
        Messages of this period and of the previous one (previous may be None or empty).
    by : sequence of str
        Grouping columns present in ``current`` (and ``previous`` when given).
    text, lang : str
        Text column; language column (None = detect).

    Returns
    -------
    DataFrame
        The ``by`` columns then the columns of :func:`term_changes`, groups in sorted order.
    """
    by = list(by)
    parts = []
    prev_groups = {}
    if previous is not None and len(previous):
        prev_groups = {k if isinstance(k, tuple) else (k,): g
                       for k, g in previous.groupby(by, observed=True, sort=True)}
    for key, group in current.groupby(by, observed=True, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        prev = prev_groups.get(key)
        prev_text = prev[text] if prev is not None else pd.Series([], dtype=object)
        prev_lang = prev[lang] if (prev is not None and lang) else None
        table = term_changes(group[text], prev_text, group[lang] if lang else None, prev_lang,
                             n=n, ngram=ngram)
        for col, value in zip(reversed(by), reversed(key), strict=True):
            table.insert(0, col, value)
        parts.append(table)
    columns = [*by, "term", "count", "share", "previous_count", "previous_share", "change"]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def example_messages(frame: pd.DataFrame, by, n: int = 3, *, text: str = "text",
                     lang: str | None = "lang") -> pd.DataFrame:
    """Representative example messages per group, personal data masked (deterministic).

    Parameters
    ----------
    frame : DataFrame
        Messages with a text column and the ``by`` columns.
    by : str or sequence of str
        Grouping columns (for example ``"intent"`` or ``["intent", "channel"]``).
    n : int
        Examples per group.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``rank`` (1..n) and ``text`` (masked, not HTML-escaped: use
        :func:`verbatim_html` when writing a page).

    Notes
    -----
    A message's score is the mean, over its distinct words, of the share of the group's
    messages holding that word: messages made of the group's common words score high. Only
    texts of 4 to 60 words are candidates when the group has enough of them; exact duplicates
    count once; ties keep the input order.
    """
    by = [by] if isinstance(by, str) else list(by)
    parts = []
    for key, group in frame.groupby(by, observed=True, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        masked = mask_pii(group[text].astype(object))
        valid = masked.map(lambda v: isinstance(v, str) and bool(v.strip()))
        masked = masked[valid].drop_duplicates()
        if masked.empty:
            continue
        langs = group.loc[masked.index, lang] if lang else None
        bags = _message_terms(masked, langs, 1)
        freq = _frequencies(bags).set_index("term")["share"].to_dict()
        lengths = np.array([len(t.split()) for t in masked])
        score = np.array([np.mean([freq[w] for w in bag]) if bag else 0.0 for bag in bags])
        fits = (lengths >= 4) & (lengths <= 60)
        if fits.sum() >= n:
            score = np.where(fits, score, -1.0)
        order = np.argsort(-score, kind="stable")[:n]
        part = pd.DataFrame({"rank": np.arange(1, len(order) + 1),
                             "text": masked.to_numpy()[order]})
        for col, value in zip(reversed(by), reversed(key), strict=True):
            part.insert(0, col, value)
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=[*by, "rank", "text"])
    return pd.concat(parts, ignore_index=True)
