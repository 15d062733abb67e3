"""Message language (analytics.text.language): detection on short messages, tag names."""

import numpy as np
import pandas as pd
import pytest

from analytics.text import detect_language, normalise_lang


def test_detect_language_on_short_messages():
    s = pd.Series(["Olá, não consigo acessar minha conta", "vc pode me ajudar",
                   "my order never arrived", "Where is my refund?", "obrigado!",
                   "thanks a lot", None, ""])
    assert detect_language(s).tolist() == ["pt", "pt", "en", "en", "pt", "en", np.nan, np.nan]


def test_detect_language_falls_back_to_the_default_without_evidence():
    s = pd.Series(["ok", "https://t.co/x", "👍"])
    assert detect_language(s, default="en").tolist() == ["en"] * 3
    assert detect_language(s).tolist() == ["pt"] * 3
    with pytest.raises(ValueError, match="default"):
        detect_language(s, default="es")


def test_normalise_lang_maps_tags_and_names():
    s = pd.Series(["pt-BR", "PT", "pt_br", "Portuguese", "português", "en", "en-US", "English",
                   "es", "", None], index=range(100, 111))
    out = normalise_lang(s)
    assert out.index.tolist() == list(range(100, 111))
    assert out.iloc[:8].tolist() == ["pt"] * 5 + ["en"] * 3
    assert out.iloc[8:].isna().all()
