"""The intent classifier's scores on the hand-labelled real messages must not regress.

The English floors are the scores of classifier version 5 on the held-out eval4 split, measured
once after it was frozen (docs/intent-scores.md), rounded down; the Portuguese ones were set by
version 4 on eval2 and eval (training data of version 5 now, so only floors against
regressions). how_to is below its target (F1 >= 0.8 per language): see docs/intent-labelling.md.
The blind pt-BR set's scores cannot be recomputed here (its Taís labels stay outside the
repository); data/labelled/scores_v5.json keeps them and must match the live eval4 scores. Raise a floor when the classifier
improves on a fresh held-out split; never lower one to make a change pass.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytics.errors import InputError
from analytics.text.evaluation import (
    LABELLED,
    SCORES,
    SECOND,
    V5_SCORES,
    _kappa,
    agreement,
    evaluate,
    read_labelled,
    write_report,
)

# (split, lang, intent) -> minimum F1
FLOORS = {
    # English: eval4, set aside before version 4 was built, labelled blind, scored once by
    # version 4 (how_to 0.64, macro 0.7498) and once by version 5 (these floors)
    ("eval4", "en", "how_to"): 0.67,
    ("eval4", "en", "problem"): 0.88,
    ("eval4", "en", "other"): 0.82,
    ("eval4", "en", "macro"): 0.79,
    # Portuguese: eval2 scored once by version 2-4 (training data of version 5 now)
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
            for split in ("eval4", "eval2", "eval2-unseen", "eval")}


@pytest.mark.parametrize("key", sorted(FLOORS), ids=lambda k: "-".join(k))
def test_scores_stay_at_or_above_the_recorded_floor(scores, key):
    split, lang, intent = key
    assert scores[split].loc[(lang, intent), "f1"] >= FLOORS[key]


def test_the_recorded_version5_scores_match_the_live_eval4_scores(scores):
    import json

    from analytics.text.intent_model import head

    recorded = json.loads(V5_SCORES.read_text(encoding="utf-8"))
    assert recorded["head_sha256"] == head().sha256, "scores_v5.json is for another head"
    for intent in ("how_to", "problem", "other"):
        assert recorded["sets"]["eval4"]["classes"][intent]["f1"] == pytest.approx(
            scores["eval4"].loc[("en", intent), "f1"])


def test_the_labelled_set_is_well_formed():
    frame = read_labelled(LABELLED)
    assert frame["id"].is_unique
    assert set(frame["split"]) == {"dev", "eval", "eval2", "eval3", "train4", "eval4"}
    assert set(frame["lang"]) == {"en", "pt"}
    assert (frame["text"].str.strip() != "").all()
    assert {"source", "source_ref"} <= set(frame.columns)


def test_the_published_scores_are_the_current_ones(tmp_path):
    fresh = write_report(LABELLED, tmp_path / "scores.md").read_text(encoding="utf-8")
    assert fresh == Path(SCORES).read_text(encoding="utf-8"), (
        "docs/intent-scores.md is stale: run python -m analytics.text.evaluation")


def test_a_bad_label_is_reported_with_its_row(tmp_path):
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"id": ["a", "b"], "split": ["eval", "eval"], "lang": ["en", "en"],
                  "intent": ["how_to", "complaint"], "text": ["x", "y"]}).to_csv(bad, index=False)
    with pytest.raises(InputError, match="row 2"):
        read_labelled(bad)


def test_kappa_by_hand():
    # 10 messages, 8 alike. Marginals: A 5 how_to / 5 problem; B 4 / 6.
    # chance = 0.5*0.4 + 0.5*0.6 = 0.5, kappa = (0.8 - 0.5) / (1 - 0.5) = 0.6
    a = np.array(["how_to"] * 5 + ["problem"] * 5)
    b = np.array(["how_to"] * 4 + ["problem"] + ["problem"] * 4 + ["how_to"])
    assert _kappa(a, b) == pytest.approx(0.6)
    assert _kappa(a, a) == pytest.approx(1.0)


def test_agreement_is_computed_on_the_messages_both_annotators_labelled():
    table = agreement().set_index(["lang", "comparison"])
    b_vs_a = table.loc[("en", "B vs A")]
    record = read_labelled(LABELLED).query("split == 'eval4'")
    second = pd.read_csv(SECOND, dtype=str, keep_default_na=False)
    both = record.merge(second, on=["id", "lang"], suffixes=("", "_b"))
    assert b_vs_a["n"] == len(both)
    assert b_vs_a["agreement"] == pytest.approx((both["intent"] == both["intent_b"]).mean())
    # A class's F1 does not depend on which labelling is the reference.
    a_ht, b_ht = both["intent"] == "how_to", both["intent_b"] == "how_to"
    assert b_vs_a["how_to_f1"] == pytest.approx(2 * (a_ht & b_ht).sum()
                                                / (a_ht.sum() + b_ht.sum()))
