"""Adjusted classify-and-count (analytics.text.intent_share): algebra, invariants, coverage."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.text.intent_share import adjust, corrected_share, shipped_rates


def test_adjust_by_hand():
    # observed 0.26 = s * 0.8 + (1 - s) * 0.1  ->  s = 0.16 / 0.7
    assert float(adjust(0.26, 0.8, 0.1)) == pytest.approx(0.16 / 0.7)
    assert float(adjust(0.05, 0.8, 0.1)) == 0.0  # below the false-positive rate: clipped
    assert float(adjust(0.95, 0.8, 0.1)) == 1.0  # above the true-positive rate: clipped
    assert np.isnan(adjust(0.3, 0.2, 0.2))  # a classifier that tells nothing


@given(share=st.floats(0, 1), tpr=st.floats(0.05, 1), fpr=st.floats(0, 0.95))
def test_adjust_inverts_the_expected_observed_share(share, tpr, fpr):
    if tpr - fpr < 0.05:
        return
    observed = share * tpr + (1 - share) * fpr
    assert float(adjust(observed, tpr, fpr)) == pytest.approx(share, abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 500), k_frac=st.floats(0, 1),
       tp=st.integers(0, 60), fn=st.integers(0, 60), fp=st.integers(0, 60),
       tn=st.integers(1, 300))
def test_results_are_shares_and_the_interval_is_ordered(n, k_frac, tp, fn, fp, tn):
    rates = {"en": {"tp": tp, "fn": fn + (tp + fn == 0), "fp": fp, "tn": tn}}
    out = corrected_share({"en": (n, round(n * k_frac))}, rates, draws=500)
    assert 0 <= out["low"] <= out["high"] <= 1
    assert 0 <= out["adjusted"] <= 1 and 0 <= out["observed"] <= 1
    uninformative = tp / (tp + fn + (tp + fn == 0)) <= fp / (fp + tn)
    assert (out["correction"] == "uncorrected") == uninformative


def test_languages_weighted_by_contacts_and_uncorrected_named():
    rates = {"en": {"tp": 80, "fn": 20, "fp": 10, "tn": 90}}
    out = corrected_share({"en": (100, 26), "pt": (300, 60)}, rates, draws=500)
    assert out["correction"] == "partly uncorrected"
    assert out["uncorrected_langs"] == ["pt"]
    assert out["observed"] == pytest.approx(86 / 400)
    assert out["adjusted"] == pytest.approx((100 * 0.16 / 0.7 + 300 * 0.2) / 400)
    assert out["by_lang"]["pt"]["adjusted"] == pytest.approx(0.2)
    assert corrected_share({"pt": (10, 1)}, rates)["correction"] == "uncorrected"
    assert corrected_share({"pt": (0, 0)}, rates)["adjusted"] is None


def test_interval_covers_a_known_share_in_simulated_periods():
    """A known population: true share 0.30, a classifier with tpr 0.7 and fpr 0.15 measured
    on 60 positive and 240 negative labelled messages; 150 periods of 400 contacts."""
    rng = np.random.default_rng(7)
    true_share, tpr, fpr = 0.30, 0.7, 0.15
    covered, naive_error, adjusted_error = 0, [], []
    for _ in range(150):
        truth = rng.random(400) < true_share
        called = np.where(truth, rng.random(400) < tpr, rng.random(400) < fpr)
        tp = int(rng.binomial(60, tpr))
        fp = int(rng.binomial(240, fpr))
        rates = {"en": {"tp": tp, "fn": 60 - tp, "fp": fp, "tn": 240 - fp}}
        out = corrected_share({"en": (400, int(called.sum()))}, rates, draws=1000)
        share = truth.mean()
        covered += out["low"] <= share <= out["high"]
        naive_error.append(abs(out["observed"] - share))
        adjusted_error.append(abs(out["adjusted"] - share))
    assert covered / 150 >= 0.9
    # the observed share is biased (0.30 * 0.7 + 0.7 * 0.15 = 0.315 expected); not by much here,
    # so compare the mean errors only loosely: the correction must not be worse by much
    assert np.mean(adjusted_error) < np.mean(naive_error) + 0.03


def test_shipped_rates_are_counts_for_both_languages():
    rates = shipped_rates()
    for lang in ("en", "pt"):
        counts = rates[lang]
        assert all(isinstance(counts[key], int) and counts[key] >= 0
                   for key in ("tp", "fn", "fp", "tn"))
        assert counts["tp"] / (counts["tp"] + counts["fn"]) > counts["fp"] / (counts["fp"]
                                                                               + counts["tn"])


def test_on_labelled_eval4_the_correction_recovers_the_true_share_under_a_prior_shift():
    """eval4 (English, labelled): every how-to message and every third of the others, so the
    true how-to share (known from the labels) is far from eval4's own; the shipped English
    rates were measured on the whole of eval4."""

    from analytics.text.evaluation import LABELLED, read_labelled
    from analytics.text.intent_model import classify

    eval4 = read_labelled(LABELLED).query("split == 'eval4' and lang == 'en'").reset_index()
    keep = eval4["intent"].eq("how_to") | (eval4.index % 3 == 0)
    subset = eval4[keep]
    called = classify(subset["text"], "en")["intent"].eq("how_to")
    truth = float(subset["intent"].eq("how_to").mean())
    out = corrected_share({"en": (len(subset), int(called.sum()))})
    assert out["correction"] == "adjusted classify-and-count"
    assert out["low"] <= truth <= out["high"]
    assert abs(out["adjusted"] - truth) < abs(out["observed"] - truth)
