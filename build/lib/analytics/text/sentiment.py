"""Tone of English messages with VADER (the lexicon ships in the vaderSentiment package)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from analytics.text._common import _text_series, _texts
from analytics.text.language import _langs_for
from analytics.text.pii import mask_pii

# ----------------------------------------------------------------------------------------
# sentiment
# ----------------------------------------------------------------------------------------

@cache
def _vader():
    from nltk.sentiment.vader import SentimentIntensityAnalyzer, VaderConstants

    class _PackagedVader(SentimentIntensityAnalyzer):
        """NLTK's VADER fed the lexicon shipped by the ``vaderSentiment`` package.

        NLTK only opens lexicon files under ``nltk.data.path`` (it refuses a plain path or a
        ``file:`` URL), so the text is read here and handed over as NLTK's own loader would.
        """

        def __init__(self, lexicon_text: str):
            self.lexicon_file = lexicon_text
            self.lexicon = self.make_lex_dict()
            self.constants = VaderConstants()

    lexicon = resources.files("vaderSentiment").joinpath("vader_lexicon.txt")
    return _PackagedVader(lexicon.read_text(encoding="utf-8"))


def sentiment(texts: pd.Series, langs: pd.Series | str | None = None) -> pd.Series:
    """Sentiment score in [-1, 1] where an offline lexicon exists (English only).

    Parameters
    ----------
    texts : Series of str
    langs : Series, str or None
        Language per text (detected when None or missing).

    Returns
    -------
    Series of float
        Same index, name ``sentiment``: VADER's compound score (NLTK's analyser with the
        lexicon of the ``vaderSentiment`` package, MIT) for English texts; **missing (NaN) for
        Portuguese** and for missing texts: no Portuguese lexicon ships with the package, and
        a score from a lexicon that misses support vocabulary would be wrong, not absent.
        Personal data is masked before scoring.
    """
    texts = _text_series(texts)
    lang_list = _langs_for(texts, langs)
    masked = _texts(mask_pii(texts))
    analyser = None
    out = np.full(len(texts), np.nan)
    for i, (text, lang) in enumerate(zip(masked, lang_list, strict=True)):
        if text is None or lang != "en":
            continue
        if analyser is None:
            analyser = _vader()
        out[i] = analyser.polarity_scores(text)["compound"]
    return pd.Series(out, index=texts.index, name="sentiment")
