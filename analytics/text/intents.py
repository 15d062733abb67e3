"""The intent of a contact's opening message: how_to, problem or other (offline NLTK cues +
a small trained logistic layer). Definitions and scores: docs/intents.md, docs/intent-scores.md.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from analytics.text._common import (
    _TOKENIZER,
    _fold,
    _resource_lines,
    _stemmer,
    _text_series,
    _texts,
)
from analytics.text.language import _langs_for, normalise_lang

INTENTS = ("how_to", "problem", "other")
INTENT_DTYPE = pd.CategoricalDtype(list(INTENTS))

_MAX_NGRAM = 4
_SKIP_GAP = 3  # "a .. b": b at most this many words after a
# Decision rule of the classifier (docs/intents.md): a clear failure (problem score at least
# _PROBLEM_DOMINANT and at least _PROBLEM_SHARE of the how_to score) makes a problem even when
# the customer also asks; otherwise the best score wins when it reaches _MIN_SCORE (ties:
# how_to, then problem); no cue at all is "other".
_MIN_SCORE = 1.0
_PROBLEM_DOMINANT = 3.0
_PROBLEM_SHARE = 0.5


# ----------------------------------------------------------------------------------------
# resources
# ----------------------------------------------------------------------------------------


class _Lexicon:
    """The cue lexicon of one language, stemmed once.

    ``cues[first_word]`` lists ``(words, class, weight, exact)``: ``exact`` cues (written with a
    leading ``=``) match the folded words as written, the others match Snowball stems.
    """

    def __init__(self, lang: str):
        stem = _stemmer(lang)
        self.lang = lang
        self.cues: dict[str, list[tuple[tuple[str, ...], int, float, bool]]] = {}
        self.skips: dict[tuple[str, str], list[tuple[int, float]]] = {}
        self.contrast: set[str] = set()
        self.contrast_weight = 1.0
        self.spelling: dict[str, str] = {}
        greetings: set[tuple[str, ...]] = set()
        for line in _resource_lines("intents", f"{lang}.txt"):
            label, weight, *words = line.split()
            if label == "spelling":
                informal, standard = words
                self.spelling[_fold(informal)] = _fold(standard)
                continue
            exact = words[0] == "="
            if exact:
                words = words[1:]
            if len(words) > _MAX_NGRAM + 1 or not words:
                raise ValueError(f"intent cue of 1 to {_MAX_NGRAM} words expected: {line!r}")
            if label == "greeting":
                greetings.add(tuple(_fold(w) for w in words))
                continue
            if not exact:
                words = [w if w in ("^", "?", "..") else stem(_fold(w)) for w in words]
            if label == "contrast":
                self.contrast.add(words[0])
                self.contrast_weight = float(weight)
            elif ".." in words:
                a, _, b = words
                self.skips.setdefault((a, b), []).append((INTENTS.index(label), float(weight)))
            else:
                entry = (tuple(words), INTENTS.index(label), float(weight), exact)
                self.cues.setdefault(words[0], []).append(entry)
        self.greetings = sorted(greetings, key=len, reverse=True)
        # by first word, longest first: a sentence is compared only with the greetings that
        # can open it (two of one length cannot both be its prefix, so ties need no order)
        self.greetings_by_first: dict[str, list[tuple[str, ...]]] = {}
        for greeting in self.greetings:
            self.greetings_by_first.setdefault(greeting[0], []).append(greeting)
        self.skip_firsts = {a for a, _ in self.skips}


@cache
def _lexicon(lang: str) -> _Lexicon:
    return _Lexicon(lang)


# ----------------------------------------------------------------------------------------
# intents
# ----------------------------------------------------------------------------------------

def _intent_tokens(text: str, lexicon: _Lexicon) -> tuple[list[str], list[str]]:
    """Stems and folded words, with ``^`` opening each sentence (after greetings, @handles).

    A ``?`` anywhere adds a final ``?`` token.
    """
    stem = _stemmer(lexicon.lang)
    stems: list[str] = []
    words: list[str] = []
    sentence: list[str] = []
    question = False

    by_first = lexicon.greetings_by_first

    def close():
        s = sentence
        skipped = True
        while skipped and s:
            skipped = False
            for g in by_first.get(s[0], ()):
                if tuple(s[:len(g)]) == g:
                    s = s[len(g):]
                    skipped = True
                    break
        if s:
            words.append("^")
            words.extend(s)

    spelling = lexicon.spelling
    for tok in _TOKENIZER.tokenize(_fold(text)):
        first = tok[0]
        if first in "?!.;":
            if "?" in tok:
                question = True
            close()
            sentence = []
        elif first == "@" or first.isdigit() or tok.startswith(("http", "www.")):
            continue
        else:
            sentence.append(spelling.get(tok, tok))
    close()
    if question:
        words.append("?")
    stems = [w if w in ("^", "?") else stem(w) for w in words]
    return stems, words


def _matches(stems: list[str], words: list[str], lexicon: _Lexicon):
    """Yield ``(class, weight, cue words)`` for each distinct cue found in a text."""
    seen = set()
    cues = lexicon.cues
    contrast_at = max((i for i, w in enumerate(stems) if w in lexicon.contrast), default=None)
    for i in range(len(stems)):
        for seq in (stems, words):
            entries = cues.get(seq[i])
            if not entries:
                continue
            for cue, label, weight, exact in entries:
                if exact != (seq is words) or cue in seen:
                    continue
                if tuple(seq[i:i + len(cue)]) == cue:
                    seen.add(cue)
                    if contrast_at is not None and i > contrast_at:
                        weight *= lexicon.contrast_weight
                    yield label, weight, cue
    if lexicon.skips:
        found = set()
        firsts = lexicon.skip_firsts
        for i, a in enumerate(stems):
            if a not in firsts:
                continue
            for b in stems[i + 2:i + 2 + _SKIP_GAP]:
                if (a, b) in lexicon.skips and (a, b) not in found:
                    found.add((a, b))
                    for label, weight in lexicon.skips[(a, b)]:
                        yield label, weight, (a, "..", b)


def _scores(stems: list[str], words: list[str], lexicon: _Lexicon) -> list[float]:
    scores = [0.0, 0.0, 0.0]
    for label, weight, _ in _matches(stems, words, lexicon):
        scores[label] += weight
    return scores


def _decide(scores) -> str:
    how, prob, other = scores
    if prob >= _PROBLEM_DOMINANT and prob >= _PROBLEM_SHARE * how and prob >= other:
        return "problem"
    if how >= _MIN_SCORE and how >= prob and how >= other:
        return "how_to"
    if prob >= _MIN_SCORE and prob >= other:
        return "problem"
    return "other"


# ---- trained layer (English): a multinomial logistic model over the lexicon's scores and
# the message's stemmed unigrams and bigrams, stored as JSON in resources/intents/ and
# regenerated by data/labelled/train_intent_model.py (docs/intents.md). Version 4: the same
# features as version 3, retrained on every labelled English message with a stronger L2
# penalty, milder class weights and rarer n-grams dropped (settings chosen by cross-validation).

def _model_features(stems: list[str], scores) -> tuple[list[float], set[str]]:
    """Numeric and term features of one message for the trained layer.

    Numeric: the three lexicon sums (divided by 4) and the rule's decision (one-hot). Terms:
    the distinct stems (with ``^`` and ``?``) and the pairs of consecutive stems.
    """
    rule = _decide(scores)
    numeric = [s / 4.0 for s in scores] + [float(rule == name) for name in INTENTS]
    terms = set(stems)
    terms.update(f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False))
    return numeric, terms


@cache
def _model(lang: str):
    """The trained layer of a language, or None (Portuguese has none: rules only)."""
    name = f"model_{lang}.json"
    path = resources.files("analytics") / "resources" / "intents" / name
    if not path.is_file():
        return None
    import json

    spec = json.loads(path.read_text(encoding="utf-8"))
    if list(spec["classes"]) != list(INTENTS):
        raise ValueError(f"{name}: classes {spec['classes']} differ from {INTENTS}")
    bias = np.asarray(spec["bias"], dtype=float)
    numeric = np.asarray(spec["numeric"], dtype=float)
    terms = {t: np.asarray(w, dtype=float) for t, w in spec["terms"].items()}
    return bias, numeric, terms


def _model_decide(model, stems: list[str], scores) -> str:
    bias, numeric_w, term_w = model
    numeric, terms = _model_features(stems, scores)
    logits = bias + np.asarray(numeric) @ numeric_w
    for t in terms:
        w = term_w.get(t)
        if w is not None:
            logits = logits + w
    return INTENTS[int(np.argmax(logits))]


def explain_intent(text: str, lang: str) -> pd.DataFrame:
    """The cues of the lexicon found in one text (for reviewing the classifier).

    Returns
    -------
    DataFrame
        Columns ``intent``, ``weight`` (after the contrast factor) and ``cue`` (the cue as
        matched: stems, ``^`` for a sentence start); one row per distinct cue.
    """
    lexicon = _lexicon(normalise_lang(pd.Series([lang])).iloc[0])
    rows = [(INTENTS[label], weight, " ".join(cue))
            for label, weight, cue in _matches(*_intent_tokens(text, lexicon), lexicon)]
    return pd.DataFrame(rows, columns=["intent", "weight", "cue"])


def intent_scores(texts: pd.Series, langs: pd.Series | str | None = None) -> pd.DataFrame:
    """The cue-lexicon scores (rules of :func:`classify_intents_lexicon`, inputs of version 5).

    Returns
    -------
    DataFrame
        Same index; float columns ``how_to``, ``problem``, ``other`` (sums of the weights of the
        distinct cues found, see ``docs/intents.md``) and ``lang`` (the language used).
        Missing texts give missing scores.
    """
    texts = _text_series(texts)
    lang_list = _langs_for(texts, langs)
    rows = []
    done: dict[tuple[str, str], tuple[float, ...]] = {}  # repeated texts are scored once
    for text, lang in zip(_texts(texts), lang_list, strict=True):
        if text is None:
            rows.append((np.nan, np.nan, np.nan))
            continue
        row = done.get((text, lang))
        if row is None:
            lexicon = _lexicon(lang)
            row = done[(text, lang)] = tuple(_scores(*_intent_tokens(text, lexicon), lexicon))
        rows.append(row)
    out = pd.DataFrame(rows, index=texts.index, columns=list(INTENTS), dtype=float)
    out["lang"] = pd.Series(lang_list, index=texts.index, dtype=object)
    return out


def classify_intents(texts: pd.Series, langs: pd.Series | str | None = None) -> pd.Series:
    """Classify each message as ``how_to``, ``problem`` or ``other`` (version 5).

    Meant for the opening customer message of a contact. A multilingual sentence encoder and
    one logistic head for both languages, with the cue lexicon's sums as extra inputs
    (:func:`analytics.text.intent_model.classify`, which also gives the probability);
    definitions as in :func:`classify_intents_lexicon`. Scores: ``docs/intent-scores.md``.

    Returns
    -------
    Series
        Same index, name ``intent``, categorical with categories ``how_to``, ``problem``,
        ``other``; missing where the text is missing or blank.
    """
    from analytics.text.intent_model import classify

    return classify(texts, langs)["intent"].rename("intent")


def classify_intents_lexicon(texts: pd.Series,
                             langs: pd.Series | str | None = None) -> pd.Series:
    """Version 4: cue lexicon rules, with a trained layer in English (kept for comparison).

    Meant for the opening customer message of a contact.

    Parameters
    ----------
    texts : Series of str
    langs : Series, str or None
        Language of each text (``pt``, ``pt-BR``, ``en``, ``en-US``...; see
        :func:`normalise_lang`), one tag for all, or None. Missing or unknown tags are
        detected with :func:`detect_language`.

    Returns
    -------
    Series
        Same index, name ``intent``, categorical with categories ``how_to``, ``problem``,
        ``other``; missing where the text is missing or blank.

    Notes
    -----
    ``how_to``: asks for information or instructions the customer could find themselves (how
    do I, where is, what is the deadline/price/policy; como faço, onde encontro, qual o prazo,
    gostaria de saber, é possível). ``problem``: something went wrong or an action is demanded
    (not delivered, charged twice, não consigo acessar, cobrança indevida). ``other``: praise,
    thanks, opinions, anything else. When a message complains and asks, the main need decides:
    a question about what went wrong ("my order never came, what do I do?") is a problem.

    Each text is tokenised (URLs, @handles and numbers dropped), folded (lower case, no
    accents), stemmed with NLTK's Snowball stemmer, and its 1- to 4-word n-grams are looked up
    in the language's cue lexicon (``analytics/resources/intents/``). The weights of the
    distinct cues found are summed per class; the highest sum wins when it reaches 1, ties go
    to ``how_to`` then ``problem``, a clear failure wins over a question; a text with no cue is
    ``other``. In English a trained logistic layer (``resources/intents/model_en.json``,
    version 4) makes the decision from those sums, the rule's decision and the stemmed
    unigrams/bigrams. Definitions, lexicon format, limits and scores: ``docs/intents.md``,
    ``docs/intent-scores.md``.
    """
    texts = _text_series(texts)
    lang_list = _langs_for(texts, langs)
    out = []
    done: dict[tuple[str, str], str] = {}  # repeated texts are classified once
    for text, lang in zip(_texts(texts), lang_list, strict=True):
        if text is None:
            out.append(np.nan)
            continue
        label = done.get((text, lang))
        if label is None:
            lexicon = _lexicon(lang)
            stems, words = _intent_tokens(text, lexicon)
            scores = _scores(stems, words, lexicon)
            model = _model(lang)
            label = _decide(scores) if model is None else _model_decide(model, stems, scores)
            done[(text, lang)] = label
        out.append(label)
    return pd.Series(pd.Categorical(out, dtype=INTENT_DTYPE), index=texts.index, name="intent")
