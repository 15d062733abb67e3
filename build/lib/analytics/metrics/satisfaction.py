"""Satisfaction where the source carries it (consumidor.gov.br: a 1-5 score and the consumer's
own "Resolvida / Não Resolvida").

- **CSAT** = ratings of 4 or 5 ÷ rated contacts; the share not rated is shown beside it.
- **Consumer-confirmed resolution** = "Resolvida" ÷ (Resolvida + Não Resolvida). The platform's
  published "índice de solução" also counts complaints the consumer did not evaluate as solved
  (Resolvida + Não Avaliada), so it is higher; both are given.
"""

from __future__ import annotations

import pandas as pd

RESOLVED, NOT_RESOLVED, NOT_EVALUATED = "Resolvida", "Não Resolvida", "Não Avaliada"


def satisfaction_summary(contacts: pd.DataFrame, attributes: pd.DataFrame | None):
    """CSAT and consumer-confirmed resolution of ``contacts``; None when the source has no
    ratings.

    ``attributes`` is ``SupportLog.conversation_attributes`` (indexed by conversation_id) with
    ``score`` (1-5, missing = not rated) and optionally ``consumer_evaluation``.
    """
    if attributes is None or "score" not in attributes.columns:
        return None
    rows = attributes.reindex(contacts["conversation_id"])
    score = pd.to_numeric(rows["score"], errors="coerce")
    rated = score.notna()
    result = {
        "rated": int(rated.sum()),
        "not_rated_share": float(1 - rated.mean()) if len(rows) else None,
        "csat": float((score[rated] >= 4).mean()) if rated.any() else None,
        "mean_score": float(score[rated].mean()) if rated.any() else None,
    }
    if "consumer_evaluation" in rows.columns:
        evaluation = rows["consumer_evaluation"]
        judged = evaluation.isin([RESOLVED, NOT_RESOLVED])
        result["evaluated"] = int(judged.sum())
        result["confirmed_resolution"] = (float((evaluation[judged] == RESOLVED).mean())
                                          if judged.any() else None)
        result["platform_solution_index"] = (
            float(evaluation.isin([RESOLVED, NOT_EVALUATED]).mean()) if len(rows) else None)
    return result
