"""Draw the texts of the intent labelling sets (run once; kept to show how they were drawn).

    .venv/bin/python data/labelled/make_sets.py

Writes ``candidates.csv`` (id, split, stratum, source, source_ref, text) in this folder. The
labels were then written by hand into ``intents.csv`` following docs/intent-labelling.md:
first the ``dev`` rows (looked at while writing the lexicon), then, with the classifier frozen,
the ``eval`` rows (scored once).

* English: thread starters of Customer Support on Twitter (inbound tweets with no
  ``in_response_to_tweet_id``) in ``data/twcs/twcs_head5000.csv.gz``: 300 drawn at random.
* Portuguese: the distinct ``review_comment_message`` texts of the Olist classified reviews.
  Questions are rare there, so two strata: ``asks`` = every distinct text holding one of a
  fixed list of words that can open a question or a request for information (the list is
  below and was fixed before any text was labelled), ``random`` = 150 drawn at random from
  the other texts.

Each stratum is split at random: 30% ``dev``, 70% ``eval``. Seed 20261123.

Second evaluation draw (``python data/labelled/make_sets.py eval2`` writes
``candidates_eval2.csv``), made after the first scoring: the ``eval`` split had then been
scored once and the lexicon revised (docs/intent-labelling.md says how), so a fresh held-out
split ``eval2`` was drawn from texts no one had read: 200 more English thread starters and 150
more Portuguese texts at random (the Portuguese ``asks`` stratum was already used up).
Seed 20261124.

Third evaluation draw (``python data/labelled/make_sets.py eval3`` writes
``candidates_eval3.csv``), made after ``eval`` and ``eval2`` had been scored and then used to
train and tune the classifier (version 3): 200 more English thread starters at random, none
in the earlier draws and no text equal to one already labelled. They were labelled by hand
before the version-3 classifier was run on them. No Portuguese draw: the Olist comments hold
almost no questions, and no other real Portuguese question text is available. Seed 20261125.

Fourth draw (``python data/labelled/make_sets.py round4`` writes ``candidates_round4.csv``),
made after ``eval3`` had been scored: every remaining English thread starter (none in the
earlier draws, no text equal to one already labelled), split at random in two halves before
anyone read them: ``train4`` (training data for classifier version 4) and ``eval4`` (held
out: labelled by annotator A, and independently by annotator B for the agreement figure,
before version 4 is frozen; scored once). Seed 20261126.
"""

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
OLIST = Path("/work/shared/datasets/olist_classified_reviews/olist_classified_public_dataset.csv")
SEED = 20261123
SEED2 = 20261124
SEED3 = 20261125
SEED4 = 20261126
ASKS = (r"\b(?:como|onde|qual|quais|quando|quanto|quantos|quantas|porque|por que|pq|gostaria|"
        r"saber|duvida|dúvida|informação|informacao|informar|informe|posso|poderia|podem|será|"
        r"sera|existe|possível|possivel|alguém|alguem|devo|preciso)\b")


def _split(frame: pd.DataFrame, rng) -> pd.DataFrame:
    order = rng.permutation(len(frame))
    n_dev = round(0.3 * len(frame))
    split = np.where(np.argsort(order) < n_dev, "dev", "eval")
    return frame.assign(split=split)


def main() -> None:
    rng = np.random.default_rng(SEED)
    tw = pd.read_csv(ROOT / "data/twcs/twcs_head5000.csv.gz")
    starters = tw[tw["inbound"] & tw["in_response_to_tweet_id"].isna()]
    en = starters.sample(300, random_state=SEED)
    en = pd.DataFrame({"id": "twcs-" + en["tweet_id"].astype(str), "stratum": "random",
                       "source": "twcs", "source_ref": "tweet_id " + en["tweet_id"].astype(str),
                       "text": en["text"].to_numpy()})
    en = _split(en, rng)

    ol = pd.read_csv(OLIST)
    ol["text"] = ol["review_comment_message"].astype(str).str.strip()
    ol = ol.drop_duplicates("text")
    asks = ol["text"].str.contains(ASKS, regex=True)
    pt_asks = ol[asks].sample(frac=1, random_state=SEED)
    pt_rand = ol[~asks].sample(150, random_state=SEED)
    parts = []
    for frame, stratum in ((pt_asks, "asks"), (pt_rand, "random")):
        part = pd.DataFrame({"id": "olist-" + frame["id"].astype(str), "stratum": stratum,
                             "source": "olist", "source_ref": "id " + frame["id"].astype(str),
                             "text": frame["text"].to_numpy()})
        parts.append(_split(part, rng))
    out = pd.concat([en, *parts], ignore_index=True)
    out = out[["id", "split", "stratum", "source", "source_ref", "text"]]
    out.to_csv(HERE / "candidates.csv", index=False)
    print(out.groupby(["source", "stratum", "split"]).size())


def main_eval2() -> None:
    first = pd.read_csv(HERE / "candidates.csv", dtype=str)
    tw = pd.read_csv(ROOT / "data/twcs/twcs_head5000.csv.gz")
    starters = tw[tw["inbound"] & tw["in_response_to_tweet_id"].isna()]
    starters = starters[~("twcs-" + starters["tweet_id"].astype(str)).isin(first["id"])]
    en = starters.sample(200, random_state=SEED2)
    en = pd.DataFrame({"id": "twcs-" + en["tweet_id"].astype(str), "stratum": "random",
                       "source": "twcs", "source_ref": "tweet_id " + en["tweet_id"].astype(str),
                       "text": en["text"].to_numpy()})
    ol = pd.read_csv(OLIST)
    ol["text"] = ol["review_comment_message"].astype(str).str.strip()
    ol = ol.drop_duplicates("text")
    ol = ol[~("olist-" + ol["id"].astype(str)).isin(first["id"]) & ~ol["text"].isin(first["text"])]
    pt = ol.sample(150, random_state=SEED2)
    pt = pd.DataFrame({"id": "olist-" + pt["id"].astype(str), "stratum": "random",
                       "source": "olist", "source_ref": "id " + pt["id"].astype(str),
                       "text": pt["text"].to_numpy()})
    out = pd.concat([en, pt], ignore_index=True).assign(split="eval2")
    out = out[["id", "split", "stratum", "source", "source_ref", "text"]]
    out.to_csv(HERE / "candidates_eval2.csv", index=False)
    print(out.groupby(["source", "stratum", "split"]).size())


def main_eval3() -> None:
    earlier = pd.concat([pd.read_csv(HERE / name, dtype=str)
                         for name in ("candidates.csv", "candidates_eval2.csv")])
    tw = pd.read_csv(ROOT / "data/twcs/twcs_head5000.csv.gz")
    starters = tw[tw["inbound"] & tw["in_response_to_tweet_id"].isna()]
    starters = starters[~("twcs-" + starters["tweet_id"].astype(str)).isin(earlier["id"])
                        & ~starters["text"].isin(earlier["text"])]
    en = starters.sample(200, random_state=SEED3)
    out = pd.DataFrame({"id": "twcs-" + en["tweet_id"].astype(str), "split": "eval3",
                        "stratum": "random", "source": "twcs",
                        "source_ref": "tweet_id " + en["tweet_id"].astype(str),
                        "text": en["text"].to_numpy()})
    out.to_csv(HERE / "candidates_eval3.csv", index=False)
    print(out.groupby(["source", "stratum", "split"]).size())


def main_round4() -> None:
    earlier = pd.concat([pd.read_csv(HERE / name, dtype=str)
                         for name in ("candidates.csv", "candidates_eval2.csv",
                                      "candidates_eval3.csv")])
    tw = pd.read_csv(ROOT / "data/twcs/twcs_head5000.csv.gz")
    starters = tw[tw["inbound"] & tw["in_response_to_tweet_id"].isna()]
    starters = starters[~("twcs-" + starters["tweet_id"].astype(str)).isin(earlier["id"])
                        & ~starters["text"].isin(earlier["text"])]
    en = starters.sample(frac=1, random_state=SEED4)
    n_train = len(en) // 2
    split = np.where(np.arange(len(en)) < n_train, "train4", "eval4")
    out = pd.DataFrame({"id": "twcs-" + en["tweet_id"].astype(str), "split": split,
                        "stratum": "random", "source": "twcs",
                        "source_ref": "tweet_id " + en["tweet_id"].astype(str),
                        "text": en["text"].to_numpy()})
    out.to_csv(HERE / "candidates_round4.csv", index=False)
    print(out.groupby(["source", "stratum", "split"]).size())


if __name__ == "__main__":
    import sys

    draws = {"eval2": main_eval2, "eval3": main_eval3, "round4": main_round4}
    draws.get(sys.argv[1] if sys.argv[1:] else "", main)()
