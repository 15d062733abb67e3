"""Tone (analytics.text.sentiment): VADER in English, missing in Portuguese."""

import math

import pandas as pd

from analytics.text import sentiment


def test_sentiment_sign_in_english_and_missing_in_portuguese():
    s = pd.Series(["I love this, great service!", "This is awful, the worst experience.",
                   "adorei o produto", None])
    out = sentiment(s, pd.Series(["en", "en", "pt", "en"]))
    assert out.name == "sentiment"
    assert out.iloc[0] > 0.5 and out.iloc[1] < -0.5
    assert math.isnan(out.iloc[2]) and math.isnan(out.iloc[3])
    assert out.dropna().between(-1, 1).all()
