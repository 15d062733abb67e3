"""Train the English intent model (the trained layer of ``analytics.text.classify_intents``).

    .venv/bin/python data/labelled/train_intent_model.py        # write the model
    .venv/bin/python data/labelled/train_intent_model.py cv     # cross-validate the settings

A multinomial logistic regression (numpy, full-batch gradient descent, L2 penalty, classes
weighted by inverse frequency) over the features of ``analytics.text._model_features``: the
three cue-lexicon sums, the rule's decision, and the distinct stemmed unigrams and bigrams of
the message (those in at least ``MIN_DF`` training messages). Trained on the English messages
of the splits ``dev``, ``eval`` and ``eval2`` of ``intents.csv`` (all labelled and all read
during development); ``eval3`` is never read here. Writes
``analytics/resources/intents/model_en.json`` (weights rounded to 4 decimals, deterministic).
The settings below were chosen by the 5-fold cross-validation of ``cv`` on those splits.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from analytics.text import (  # noqa: E402
    INTENTS,
    _intent_tokens,
    _lexicon,
    _model_features,
    _scores,
)

TRAIN_SPLITS = ("dev", "eval", "eval2")
OUTPUT = ROOT / "analytics" / "resources" / "intents" / "model_en.json"
MIN_DF = 2
L2 = 0.01  # penalty on the squared weights (not on the bias), loss averaged over messages
BALANCE = 1.0  # class weight = (1 / class frequency) ** BALANCE
STEPS = 1500
RATE = 4.0
SEED = 20261125


def training_set(path=HERE / "intents.csv") -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame[frame["split"].isin(TRAIN_SPLITS) & (frame["lang"] == "en")].reset_index(
        drop=True)


def featurise(texts) -> tuple[np.ndarray, list[set[str]], list[str]]:
    lexicon = _lexicon("en")
    numeric, terms, rules = [], [], []
    from analytics.text import _decide

    for text in texts:
        stems, words = _intent_tokens(text, lexicon)
        scores = _scores(stems, words, lexicon)
        num, ts = _model_features(stems, scores)
        numeric.append(num)
        terms.append(ts)
        rules.append(_decide(scores))
    return np.asarray(numeric), terms, rules


def design(numeric, terms, vocab) -> np.ndarray:
    index = {t: j for j, t in enumerate(vocab)}
    x = np.zeros((len(terms), numeric.shape[1] + len(vocab)))
    x[:, :numeric.shape[1]] = numeric
    for i, ts in enumerate(terms):
        for t in ts:
            j = index.get(t)
            if j is not None:
                x[i, numeric.shape[1] + j] = 1.0
    return x


def vocabulary(terms, min_df=MIN_DF) -> list[str]:
    counts: dict[str, int] = {}
    for ts in terms:
        for t in ts:
            counts[t] = counts.get(t, 0) + 1
    return sorted(t for t, c in counts.items() if c >= min_df)


def fit(x: np.ndarray, y: np.ndarray, l2=L2, balance=BALANCE, steps=STEPS, rate=RATE):
    """Weighted softmax regression; returns (bias (3,), weights (features, 3))."""
    n, k = len(y), len(INTENTS)
    onehot = np.eye(k)[y]
    freq = np.bincount(y, minlength=k) / n
    sample_w = ((1.0 / freq) ** balance)[y]
    sample_w /= sample_w.sum()
    w = np.zeros((x.shape[1], k))
    b = np.log(freq)
    # Adam-free plain gradient descent with a decaying step: deterministic and small.
    for step in range(steps):
        z = x @ w + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot) * sample_w[:, None]
        lr = rate / (1 + step / 500)
        w -= lr * (x.T @ g + l2 * w)
        b -= lr * g.sum(axis=0)
    return b, w


def predict(b, w, x) -> np.ndarray:
    return np.argmax(x @ w + b, axis=1)


def f1s(gold, pred) -> tuple[float, float]:
    out = []
    for k in range(len(INTENTS)):
        tp = np.sum((gold == k) & (pred == k))
        d = np.sum(gold == k) + np.sum(pred == k)
        out.append(2 * tp / d if d else 0.0)
    return out[0], float(np.mean(out))


def cross_validate(frame, settings, folds=5, repeats=2):
    numeric, terms, rules = featurise(frame["text"])
    y = frame["intent"].map(INTENTS.index).to_numpy()
    rule_pred = np.array([INTENTS.index(r) for r in rules])
    h, m = f1s(y, rule_pred)
    print(f"rules on all training messages: how_to F1 {h:.3f} macro {m:.3f}")
    rng = np.random.default_rng(SEED)
    fold_ids = []
    for _ in range(repeats):
        ids = np.empty(len(y), dtype=int)
        for k in range(len(INTENTS)):
            members = rng.permutation(np.flatnonzero(y == k))
            ids[members] = np.arange(len(members)) % folds
        fold_ids.append(ids)
    for min_df, l2, balance in settings:
        pred_all = []
        for ids in fold_ids:
            pred = np.empty(len(y), dtype=int)
            for f in range(folds):
                tr, te = ids != f, ids == f
                vocab = vocabulary([terms[i] for i in np.flatnonzero(tr)], min_df)
                xtr = design(numeric[tr], [terms[i] for i in np.flatnonzero(tr)], vocab)
                xte = design(numeric[te], [terms[i] for i in np.flatnonzero(te)], vocab)
                b, w = fit(xtr, y[tr], l2=l2, balance=balance)
                pred[te] = predict(b, w, xte)
            pred_all.append(f1s(y, pred))
        h, m = np.mean(pred_all, axis=0)
        print(f"min_df {min_df} l2 {l2} balance {balance}: how_to F1 {h:.3f} macro {m:.3f}")


def train(frame) -> dict:
    numeric, terms, _ = featurise(frame["text"])
    y = frame["intent"].map(INTENTS.index).to_numpy()
    vocab = vocabulary(terms)
    b, w = fit(design(numeric, terms, vocab), y)
    n_num = numeric.shape[1]
    kept = {t: [round(float(v), 4) for v in w[n_num + j]] for j, t in enumerate(vocab)
            if np.abs(w[n_num + j]).max() >= 1e-3}
    return {"classes": list(INTENTS),
            "about": "English intent model, see data/labelled/train_intent_model.py and "
                     "docs/intents.md. Trained on intents.csv splits " + ", ".join(TRAIN_SPLITS)
                     + f" ({len(y)} English messages); min_df {MIN_DF}, l2 {L2}, "
                     f"balance {BALANCE}.",
            "bias": [round(float(v), 4) for v in b],
            "numeric": [[round(float(v), 4) for v in row] for row in w[:n_num]],
            "terms": dict(sorted(kept.items()))}


def main(argv) -> None:
    frame = training_set()
    if argv[:1] == ["cv"]:
        grid = [(MIN_DF, L2, BALANCE)]
        cross_validate(frame, grid)
        return
    spec = train(frame)
    OUTPUT.write_text(json.dumps(spec, indent=0, ensure_ascii=True) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT}: {len(spec['terms'])} terms")


if __name__ == "__main__":
    main(sys.argv[1:])
