"""Score the frozen version-5 intent classifier once on the held-out sets; write the rates.

    .venv/bin/python data/labelled/score_intent_head.py PTBR_EVAL_CSV

Held-out sets (none of them read while building version 5):
* ``eval4`` of ``intents.csv`` (286 English twcs thread starters, labelled blind; English
  evaluation of record);
* the blind pt-BR set ``PTBR_EVAL_CSV`` (columns ``id, source, text, intent``): Olist comments
  and Taís probe utterances, labelled by a team member who never ran a classifier. The Taís
  part is GPL-3.0 and stays outside the repository: only aggregate counts are written here;
* Banking77's test split (optimistic: the same distribution as its training split).

Writes ``data/labelled/scores_v5.json`` (per set and source: the confusion counts, precision,
recall, F1 and 95% bootstrap intervals; no text and no label of any message) and
``analytics/resources/intents/rates_v5.json`` (how_to true/false positive counts per language,
for the adjusted share of ``analytics.text.intent_share``): English from ``eval4``, Portuguese from
the blind pt-BR set.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from analytics.text.intent_model import INTENTS, classify, head  # noqa: E402

SCORES = HERE / "scores_v5.json"
RATES = ROOT / "analytics" / "resources" / "intents" / "rates_v5.json"
BANKING77 = Path("/work/shared/datasets/banking77_howto/banking77_test.csv")
BOOT = 2000
SEED = 20261202


def _f1s(gold: np.ndarray, pred: np.ndarray) -> np.ndarray:
    """F1 of each intent (NaN where a class is absent from both), shape (3,)."""
    out = []
    for label in INTENTS:
        tp = np.sum((gold == label) & (pred == label))
        denom = np.sum(gold == label) + np.sum(pred == label)
        out.append(2 * tp / denom if denom else np.nan)
    return np.array(out)


def score(gold: np.ndarray, pred: np.ndarray) -> dict:
    """Precision, recall, F1 per intent, macro-F1 (classes present in the labels), intervals."""
    present = [i for i, label in enumerate(INTENTS) if (gold == label).any()]
    rng = np.random.default_rng(SEED)
    boots = []
    for _ in range(BOOT):
        pick = rng.integers(0, len(gold), len(gold))
        f = _f1s(gold[pick], pred[pick])
        boots.append([*f, np.nanmean(f[present])])
    boots = np.array(boots)
    f1 = _f1s(gold, pred)
    out = {"messages": int(len(gold)), "classes": {}}
    for i, label in enumerate(INTENTS):
        tp = int(np.sum((gold == label) & (pred == label)))
        support, called = int(np.sum(gold == label)), int(np.sum(pred == label))
        low, high = np.nanpercentile(boots[:, i], [2.5, 97.5]) if support else (None, None)
        out["classes"][label] = {
            "support": support, "predicted": called,
            "precision": tp / called if called else None,
            "recall": tp / support if support else None,
            "f1": None if np.isnan(f1[i]) else float(f1[i]),
            "f1_low": None if low is None else float(low),
            "f1_high": None if high is None else float(high)}
    low, high = np.nanpercentile(boots[:, 3], [2.5, 97.5])
    out["macro_f1"] = float(np.nanmean(f1[present]))
    out["macro_f1_low"], out["macro_f1_high"] = float(low), float(high)
    out["macro_over"] = [INTENTS[i] for i in present]
    out["confusion"] = {g: {p: int(np.sum((gold == g) & (pred == p))) for p in INTENTS}
                        for g in INTENTS}
    is_how_to, called = gold == "how_to", pred == "how_to"
    out["how_to_counts"] = {"tp": int(np.sum(is_how_to & called)),
                            "fn": int(np.sum(is_how_to & ~called)),
                            "fp": int(np.sum(~is_how_to & called)),
                            "tn": int(np.sum(~is_how_to & ~called))}
    return out


def predict(frame: pd.DataFrame) -> np.ndarray:
    return classify(frame["text"].astype(object), frame["lang"].astype(object))[
        "intent"].astype(str).to_numpy()


def main(argv: list[str]) -> None:
    ptbr_path = Path(argv[0])
    labelled = pd.read_csv(HERE / "intents.csv", dtype=str, keep_default_na=False)
    eval4 = labelled[labelled["split"].eq("eval4") & labelled["lang"].eq("en")]
    ptbr = pd.read_csv(ptbr_path, dtype=str, keep_default_na=False).assign(lang="pt")
    ptbr = ptbr[ptbr["text"].str.strip().ne("") & ptbr["intent"].isin(INTENTS)]
    # a comment that is also a training message is not held out: left out, and counted
    trained = set(labelled.loc[labelled["split"].ne("eval4"), "text"].str.strip().str.lower())
    seen = ptbr["text"].str.strip().str.lower().isin(trained)
    print(f"pt-BR blind set: {len(ptbr)} labelled, {int(seen.sum())} also in training, left out")
    ptbr = ptbr[~seen]
    banking = pd.read_csv(BANKING77, dtype=str).drop(columns="intent").rename(
        columns={"label_coarse": "intent"})
    banking = banking.assign(lang="en")
    sets = {"eval4": eval4, "ptbr_blind": ptbr, "banking77_test": banking}
    results = {}
    for name, frame in sets.items():
        pred = predict(frame)
        gold = frame["intent"].to_numpy()
        results[name] = score(gold, pred)
        if "source" in frame:
            results[name]["by_source"] = {
                source: score(gold[mask], pred[mask])
                for source in sorted(frame["source"].unique())
                for mask in [frame["source"].eq(source).to_numpy()]}
        print(name, round(results[name]["classes"]["how_to"]["f1"], 3),
              round(results[name]["macro_f1"], 3), flush=True)
    spec = head()
    meta = {"head_sha256": spec.sha256,
            "ptbr_file_sha256": hashlib.sha256(ptbr_path.read_bytes()).hexdigest()}
    SCORES.write_text(json.dumps({**meta, "sets": results}, indent=1) + "\n", encoding="utf-8")
    rates = {**meta, "languages": {
        "en": {**results["eval4"]["how_to_counts"],
               "source": "eval4: 286 held-out English twcs thread starters, labelled blind"},
        "pt": {**results["ptbr_blind"]["how_to_counts"],
               "source": f"blind pt-BR set: {len(ptbr)} Olist comments and Taís probe "
                         "utterances, labelled blind (docs/intent-labelling.md)"}}}
    RATES.write_text(json.dumps(rates, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {SCORES} and {RATES}")


if __name__ == "__main__":
    main(sys.argv[1:])
