"""Reading the customers' words offline: language, intents, personal data, terms, tone.

Nothing is downloaded at import or run time: lexicons and stopword lists ship in
``analytics/resources/``.
"""

from __future__ import annotations

from analytics.text.intents import (
    INTENT_DTYPE,
    INTENTS,
    classify_intents,
    explain_intent,
    intent_scores,
)
from analytics.text.language import (
    LANGS,
    detect_language,
    normalise_lang,
)
from analytics.text.pii import (
    PLACEHOLDERS,
    mask_pii,
    verbatim_html,
)
from analytics.text.sentiment import (
    sentiment,
)
from analytics.text.terms import (
    example_messages,
    term_changes,
    top_terms,
    voice_of_customer,
)

__all__ = [
    "INTENTS",
    "INTENT_DTYPE",
    "LANGS",
    "PLACEHOLDERS",
    "classify_intents",
    "detect_language",
    "example_messages",
    "explain_intent",
    "intent_scores",
    "mask_pii",
    "normalise_lang",
    "sentiment",
    "term_changes",
    "top_terms",
    "verbatim_html",
    "voice_of_customer",
]
