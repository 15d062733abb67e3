import pandas as pd
import pytest

from analytics.metrics.satisfaction import satisfaction_summary


def _contacts(*ids):
    return pd.DataFrame({"conversation_id": list(ids)})


ATTRS = pd.DataFrame({
    "score": pd.array([5, 4, 1, None, 3], dtype="Int64"),
    "consumer_evaluation": ["Resolvida", "Resolvida", "Não Resolvida", "Não Avaliada",
                            "Não Resolvida"],
}, index=pd.Index(["a", "b", "c", "d", "e"], name="conversation_id"))


def test_csat_is_the_share_of_4_and_5_among_rated_with_the_unrated_beside_it():
    result = satisfaction_summary(_contacts("a", "b", "c", "d", "e"), ATTRS)
    assert result["rated"] == 4 and result["not_rated_share"] == pytest.approx(0.2)
    assert result["csat"] == 0.5  # 5 and 4 of 5, 4, 1, 3
    assert result["mean_score"] == 3.25


def test_confirmed_resolution_ignores_unevaluated_but_the_platform_index_counts_them():
    result = satisfaction_summary(_contacts("a", "b", "c", "d", "e"), ATTRS)
    assert result["evaluated"] == 4 and result["confirmed_resolution"] == 0.5
    assert result["platform_solution_index"] == pytest.approx(0.6)  # a, b resolved + d not evaluated


def test_only_the_given_contacts_count_and_no_ratings_means_none():
    assert satisfaction_summary(_contacts("c"), ATTRS)["csat"] == 0.0
    assert satisfaction_summary(_contacts("d"), ATTRS)["csat"] is None
    assert satisfaction_summary(_contacts("a"), None) is None
    assert satisfaction_summary(_contacts("a"), ATTRS.drop(columns="score")) is None
