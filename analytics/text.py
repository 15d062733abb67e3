"""Reading the customer's words: language, intent, personal data, terms and sentiment.

Every function takes a Series of texts and returns a Series (or a DataFrame) with the same
index; missing or empty texts give missing values, never a guess. Nothing is downloaded at
import or run time: the tokeniser (``nltk.tokenize.RegexpTokenizer``), the Snowball stemmers,
n-grams and the VADER analyser are NLTK parts that need no ``nltk_data``, and every word list
ships inside the package under ``analytics/resources/`` with its license:

* ``resources/stopwords/{en,pt}.txt``: Snowball stop words plus informal additions (top terms
  only; never removed before intent or sentiment, because they hold "not" and "não");
* ``resources/intents/{en,pt}.txt``: the weighted cue lexicons of the intent classifier
  (format in ``resources/intents/README.md``);
* VADER's English lexicon is read from the installed ``vaderSentiment`` package (MIT).

How the classifier works, what it gets wrong and its measured scores: ``docs/intents.md`` and
``docs/intent-scores.md``.

Examples
--------
>>> import pandas as pd
>>> s = pd.Series(["Como faço para trocar a senha?", "my order never arrived",
...                "adorei o produto, obrigado!", None])
>>> classify_intents(s).tolist()
['how_to', 'problem', 'other', nan]
>>> detect_language(s).tolist()
['pt', 'en', 'pt', nan]
>>> mask_pii(pd.Series(["me liga no (11) 91234-5678 ou joao@example.com"])).iloc[0]
'me liga no [phone] ou [email]'
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import RegexpTokenizer
from nltk.util import ngrams

INTENTS = ("how_to", "problem", "other")
LANGS = ("en", "pt")
INTENT_DTYPE = pd.CategoricalDtype(list(INTENTS))
PLACEHOLDERS = ("[email]", "[phone]", "[cpf]", "[cnpj]", "[card]", "[@user]")

_STEMMER_NAMES = {"en": "english", "pt": "portuguese"}
_MAX_NGRAM = 4
_SKIP_GAP = 3  # "a .. b": b at most this many words after a
# Decision rule of the classifier (docs/intents.md): a clear failure (problem score at least
# _PROBLEM_DOMINANT and at least _PROBLEM_SHARE of the how_to score) makes a problem even when
# the customer also asks; otherwise the best score wins when it reaches _MIN_SCORE (ties:
# how_to, then problem); no cue at all is "other".
_MIN_SCORE = 1.0
_PROBLEM_DOMINANT = 3.0
_PROBLEM_SHARE = 0.5

# Tokens: URLs, @handles, words (letters, inner apostrophes), numbers, and ?/!/. runs.
_TOKENIZER = RegexpTokenizer(
    r"https?://\S+|www\.\S+|@\w+|[^\W\d_]+(?:['’][^\W\d_]+)*|\d+|[?!.;]+"
)
_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = frozenset(".!?;")


# ----------------------------------------------------------------------------------------
# resources
# ----------------------------------------------------------------------------------------

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
def _stopwords(lang: str) -> frozenset[str]:
    return frozenset(_fold(w) for w in _resource_lines("stopwords", f"{lang}.txt"))


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


@cache
def _lexicon(lang: str) -> _Lexicon:
    return _Lexicon(lang)


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

    def close():
        s = sentence
        skipped = True
        while skipped and s:
            skipped = False
            for g in lexicon.greetings:
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
        for i, a in enumerate(stems):
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
    """The cue-lexicon scores behind :func:`classify_intents`.

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
    """Classify each message as ``how_to``, ``problem`` or ``other``.

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


# ----------------------------------------------------------------------------------------
# personal data
# ----------------------------------------------------------------------------------------

def _digits_of(text: str) -> list[int]:
    return [int(c) for c in text if c.isdigit()]


def _valid_cpf(d: list[int]) -> bool:
    if len(d) != 11 or len(set(d)) == 1:
        return False
    for k in (9, 10):
        total = sum(v * w for v, w in zip(d[:k], range(k + 1, 1, -1), strict=True))
        check = total * 10 % 11 % 10
        if check != d[k]:
            return False
    return True


def _valid_cnpj(d: list[int]) -> bool:
    if len(d) != 14 or len(set(d)) == 1:
        return False
    weights = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    for k, w in ((12, weights), (13, [6, *weights])):
        rest = sum(v * x for v, x in zip(d[:k], w, strict=True)) % 11
        if (0 if rest < 2 else 11 - rest) != d[k]:
            return False
    return True


def _luhn(d: list[int]) -> bool:
    total = 0
    for i, v in enumerate(reversed(d)):
        if i % 2:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return total % 10 == 0


_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_CNPJ_FORMATTED = r"\b\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}\b"
_CPF_FORMATTED = r"\b\d{3}\.\d{3}\.\d{3}-\d{2}\b"
_CARD_GROUPED = r"\b\d{4}(?:[ -]\d{4}){3}\b"
_DIGIT_RUN = r"(?<![\d.,/-])\d(?:[ -]?\d){10,18}(?![\d,/]|\.\d)"
# Phones. Brazilian: (11) 91234-5678, 11 91234-5678, +55 11 91234-5678, 11912345678 (an
# unseparated run only as a mobile: area code + 9 + 8 digits); international with "+"; US
# (818) 930-5703 / 818-930-5703; local 91234-5678 / 3456-7890.
_PHONE = (r"(?:\+\d{1,3}[\s.-]?)?\(\d{2,3}\)[\s.-]?9?\d{4}[\s.-]?\d{4}\b"
          r"|(?:\+\d{1,3}[\s.-]?)?\b\d{2}[\s.-]9?\d{4}[\s.-]\d{4}\b"
          r"|(?:\+55[\s.-]?)?\b[1-9]{2}9\d{8}\b"
          r"|\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}\b"
          r"|\(\d{3}\)\s?\d{3}[\s.-]\d{4}\b"
          r"|\b\d{3}[.-]\d{3}[.-]\d{4}\b"
          r"|(?<![\d/.-])\b9?\d{4}-\d{4}\b(?![/-]\d)")
_HANDLE = r"(?<![\w.@\[])@\w{1,30}"


def _digit_run(match: re.Match) -> str:
    text = match.group(0)
    d = _digits_of(text)
    if len(d) == 11 and _valid_cpf(d):
        return "[cpf]"
    if len(d) == 14 and _valid_cnpj(d):
        return "[cnpj]"
    if 13 <= len(d) <= 19 and _luhn(d):
        return "[card]"
    return text


def mask_pii(texts: pd.Series) -> pd.Series:
    """Replace personal data with placeholders.

    Parameters
    ----------
    texts : Series of str

    Returns
    -------
    Series
        Same index and name; missing stays missing. Replaced, in this order:

        * e-mail addresses -> ``[email]``;
        * CNPJ ``12.345.678/0001-95`` -> ``[cnpj]``, CPF ``123.456.789-09`` -> ``[cpf]``;
        * card numbers in four groups of four -> ``[card]``;
        * runs of 11 to 19 digits (spaces or dashes allowed between them): a valid CPF (check
          digits) -> ``[cpf]``, a valid CNPJ -> ``[cnpj]``, 13-19 digits passing the Luhn
          check -> ``[card]``; other runs are left alone (order and tracking numbers);
        * phone numbers: Brazilian ``(11) 91234-5678``, ``11 91234-5678``, ``11912345678``,
          ``+55 11 91234-5678``, international ``+44 20 7946 0958``, ``+1(818)930-5703``,
          ``(818) 930-5703``, local ``91234-5678`` -> ``[phone]``;
        * @handles (people and brands alike) -> ``[@user]``.

        Prices (``R$ 1.234,56``, ``$171``), dates (``12/03/2024``, ``2017-10-30``), times and
        order numbers of up to 10 digits are not touched. Masking is idempotent.

    Examples
    --------
    >>> mask_pii(pd.Series(["cpf 123.456.789-09, pedido #4511792, @ana_b"])).iloc[0]
    'cpf [cpf], pedido #4511792, [@user]'
    """
    texts = _text_series(texts)
    s = texts.astype(object)
    ok = s.map(lambda v: isinstance(v, str))
    if not ok.any():
        return texts.copy()
    t = s[ok].astype(str)
    t = t.str.replace(_EMAIL, "[email]", regex=True)
    t = t.str.replace(_CNPJ_FORMATTED, "[cnpj]", regex=True)
    t = t.str.replace(_CPF_FORMATTED, "[cpf]", regex=True)
    t = t.str.replace(_CARD_GROUPED, "[card]", regex=True)
    t = t.str.replace(_DIGIT_RUN, _digit_run, regex=True)
    t = t.str.replace(_PHONE, "[phone]", regex=True)
    t = t.str.replace(_HANDLE, "[@user]", regex=True)
    out = s.copy()
    out[ok] = t.to_numpy()
    return out.rename(texts.name)


def verbatim_html(text) -> str:
    """One verbatim ready for a page: personal data masked, then HTML-escaped.

    Returns
    -------
    str
        ``""`` for a missing text. ``<script>`` comes out as ``&lt;script&gt;``, quotes as
        ``&quot;`` / ``&#x27;``, so the text can go inside an element or an attribute.

    Examples
    --------
    >>> verbatim_html("<script>alert(1)</script> me: ana@example.com")
    '&lt;script&gt;alert(1)&lt;/script&gt; me: [email]'
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    masked = mask_pii(pd.Series([str(text)], dtype=object)).iloc[0]
    return html.escape(masked, quote=True)


# ----------------------------------------------------------------------------------------
# terms
# ----------------------------------------------------------------------------------------

_NEGATIONS = frozenset({"nao", "not", "no", "nor", "never", "nem", "nunca", "sem"})


def _term_tokens(text: str, lang: str) -> list[str]:
    stop = _stopwords(lang) - _NEGATIONS
    words = []
    for tok in _TOKENIZER.tokenize(text.lower()):
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
            out.append({w for w in words if w is not None})
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
    the stop words of ``analytics/resources/stopwords`` except negations (``não``, ``not``,
    ``nunca``...), so "não recebi" survives as a bigram. A bigram never spans a dropped word.

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
