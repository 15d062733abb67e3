"""The intent classifier's scores on the hand-labelled real messages must not regress.

The floors below are the scores measured when classifier version 3 was frozen
(docs/intent-scores.md; English on the fresh eval3 split, Portuguese on eval2), rounded down. They are far from the targets (how_to F1 >= 0.8 per language, macro-F1 >= 0.75):
see docs/intent-labelling.md for what was reached and why. Raise a floor when the classifier
improves on a fresh held-out split; never lower one to make a change pass.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analytics.errors import InputError
from analytics.text_eval import LABELLED, SCORES, evaluate, read_labelled, write_report

# (split, lang, intent) -> minimum F1
FLOORS = {
    # English: eval3, drawn and labelled after classifier version 3 was frozen, scored once
    ("eval3", "en", "how_to"): 0.60,
    ("eval3", "en", "problem"): 0.81,
    ("eval3", "en", "other"): 0.65,
    ("eval3", "en", "macro"): 0.69,
    # Portuguese: unchanged classifier, eval2 scored once with it frozen
    ("eval2", "pt", "problem"): 0.82,
    ("eval2", "pt", "other"): 0.88,
    ("eval2", "pt", "macro"): 0.85,
    ("eval2-unseen", "pt", "macro"): 0.87,
    # Portuguese how_to has real examples only in the first split (5 messages, no longer
    # held out): a floor against regressions, not a measure of quality.
    ("eval", "pt", "how_to"): 0.40,
}


@pytest.fixture(scope="module")
def scores():
    return {split: evaluate(split=split).set_index(["lang", "intent"])
            for split in ("eval3", "eval2", "eval2-unseen", "eval")}


@pytest.mark.parametrize("key", sorted(FLOORS), ids=lambda k: "-".join(k))
def test_scores_stay_at_or_above_the_recorded_floor(scores, key):
    split, lang, intent = key
    assert scores[split].loc[(lang, intent), "f1"] >= FLOORS[key]


def test_the_labelled_set_is_well_formed():
    frame = read_labelled(LABELLED)
    assert frame["id"].is_unique
    assert set(frame["split"]) == {"dev", "eval", "eval2", "eval3"}
    assert set(frame["lang"]) == {"en", "pt"}
    assert (frame["text"].str.strip() != "").all()
    assert {"source", "source_ref"} <= set(frame.columns)


def test_the_published_scores_are_the_current_ones(tmp_path):
    fresh = write_report(LABELLED, tmp_path / "scores.md").read_text(encoding="utf-8")
    assert fresh == Path(SCORES).read_text(encoding="utf-8"), (
        "docs/intent-scores.md is stale: run python -m analytics.text_eval")


def test_a_bad_label_is_reported_with_its_row(tmp_path):
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"id": ["a", "b"], "split": ["eval", "eval"], "lang": ["en", "en"],
                  "intent": ["how_to", "complaint"], "text": ["x", "y"]}).to_csv(bad, index=False)
    with pytest.raises(InputError, match="row 2"):
        read_labelled(bad)
