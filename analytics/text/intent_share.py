"""The how-to share corrected for the classifier's errors (adjusted classify-and-count).

A classifier that calls a fraction ``tpr`` of real how-to messages how-to, and a fraction
``fpr`` of the others, turns a true share ``s`` into an expected observed share
``s * tpr + (1 - s) * fpr``. Inverting that per language gives the adjusted share

    share_adj = (share_obs - fpr) / (tpr - fpr), clipped to [0, 1]

(Forman 2008, "Quantifying counts and costs via classification"). ``tpr`` and ``fpr`` come from
the labelled evaluation counts shipped with the model (``resources/intents/rates_v5.json``).
The interval is a parametric bootstrap that redraws the observed how-to count of each language
(binomial on its contacts) and both rates (binomial on the labelled messages they were measured
on), so it carries the sampling error of the period and the uncertainty of the rates. A
language without labelled counts (or whose counts show ``tpr <= fpr``) keeps its observed
share and is reported as uncorrected.
Documented in ``docs/intents.md`` (section "The how-to share").
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import numpy as np

RATES_FILE = "rates_v5.json"
DRAWS = 4000
SEED = 20261202
LEVEL = 0.95


@cache
def shipped_rates() -> dict:
    """``{lang: {"tp", "fn", "fp", "tn", "source"}}`` from the labelled evaluations."""
    path = resources.files("analytics") / "resources" / "intents" / RATES_FILE
    return json.loads(path.read_text(encoding="utf-8"))["languages"]


def adjust(observed, tpr, fpr):
    """Adjusted share of each element (numpy broadcasting); NaN where ``tpr <= fpr``.

    >>> round(float(adjust(0.26, 0.8, 0.1)), 6)  # (0.26 - 0.1) / (0.8 - 0.1)
    0.228571
    """
    observed, tpr, fpr = (np.asarray(v, dtype=float) for v in (observed, tpr, fpr))
    gap = tpr - fpr
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(gap > 0, (observed - fpr) / gap, np.nan)
    return np.clip(raw, 0.0, 1.0)


def _informative(rate: dict) -> bool:
    positives, negatives = rate["tp"] + rate["fn"], rate["fp"] + rate["tn"]
    return positives > 0 and negatives > 0 and rate["tp"] / positives > rate["fp"] / negatives


def corrected_share(counts: dict[str, tuple[int, int]], rates: dict | None = None, *,
                    draws: int = DRAWS, seed: int = SEED) -> dict:
    """Observed and adjusted how-to share over languages, with a bootstrap interval.

    Parameters
    ----------
    counts : dict
        ``{lang: (contacts with text, contacts classified how_to)}``.
    rates : dict, optional
        ``{lang: {"tp", "fn", "fp", "tn"}}`` (counts of the labelled evaluation); default the
        shipped ones.

    Returns
    -------
    dict
        ``observed`` (share of contacts classified how_to), ``adjusted`` (contact-weighted mean
        of the per-language adjusted shares; the observed share for uncorrected languages),
        ``low`` / ``high`` (95% percentile interval of the bootstrap), ``correction``
        (``"adjusted classify-and-count"``, ``"partly uncorrected"`` or ``"uncorrected"``),
        ``uncorrected_langs`` and ``by_lang`` (the same figures per language plus ``tpr`` and
        ``fpr``). Shares are fractions in [0, 1]; all None when no contact has text.
    """
    rates = shipped_rates() if rates is None else rates
    counts = {lang: (int(n), int(k)) for lang, (n, k) in counts.items() if n > 0}
    total = sum(n for n, _ in counts.values())
    empty = {"observed": None, "adjusted": None, "low": None, "high": None,
             "correction": "uncorrected", "uncorrected_langs": [], "by_lang": {}}
    if total == 0:
        return empty
    rng = np.random.default_rng(seed)
    tails = [(1 - LEVEL) / 2 * 100, (1 + LEVEL) / 2 * 100]
    by_lang, weighted_draws, uncorrected = {}, np.zeros(draws), []
    for lang in sorted(counts):
        n, k = counts[lang]
        observed = k / n
        observed_draws = rng.binomial(n, observed, draws) / n
        rate = rates.get(lang)
        if rate is not None and not _informative(rate):
            rate = None  # tpr <= fpr: the counts cannot correct anything
        if rate is None:
            uncorrected.append(lang)
            point, lang_draws, tpr, fpr = observed, observed_draws, None, None
        else:
            positives, negatives = rate["tp"] + rate["fn"], rate["fp"] + rate["tn"]
            tpr, fpr = rate["tp"] / positives, rate["fp"] / negatives
            point = float(adjust(observed, tpr, fpr))
            lang_draws = adjust(observed_draws, rng.binomial(positives, tpr, draws) / positives,
                                rng.binomial(negatives, fpr, draws) / negatives)
            # a draw with tpr <= fpr carries no information on the share: the whole range
            lang_draws = np.where(np.isnan(lang_draws), rng.uniform(0, 1, draws), lang_draws)
        low, high = np.percentile(lang_draws, tails)
        by_lang[lang] = {"contacts": n, "observed": observed, "adjusted": point,
                         "low": float(low), "high": float(high), "tpr": tpr, "fpr": fpr,
                         "corrected": rate is not None}
        weighted_draws += n * lang_draws
    adjusted = sum(by_lang[lang]["adjusted"] * counts[lang][0] for lang in counts) / total
    low, high = np.percentile(weighted_draws / total, tails)
    correction = ("uncorrected" if len(uncorrected) == len(counts)
                  else "partly uncorrected" if uncorrected else "adjusted classify-and-count")
    return {"observed": sum(k for _, k in counts.values()) / total, "adjusted": adjusted,
            "low": float(low), "high": float(high), "correction": correction,
            "uncorrected_langs": uncorrected, "by_lang": by_lang}
