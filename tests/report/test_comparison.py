"""When two periods are compared, and how a change is written (hand-computed)."""

import pytest

from analytics.report.comparison import (
    MIN_COMPARISON_CONTACTS,
    change_text,
    comparable,
    coverage,
    similar_coverage,
)


def _summary(contacts, days_with, days, before, before_with, before_days):
    return {"contacts": contacts, "days_with_contacts": days_with, "days": days,
            "previous": {"contacts": before, "days_with_contacts": before_with,
                         "days": before_days}}


def test_coverage_is_days_with_a_contact_over_the_periods_days():
    assert coverage({"days_with_contacts": 4, "days": 7}) == pytest.approx(4 / 7)
    assert coverage({"contacts": 3}) is None  # a summary written before the field existed


@pytest.mark.parametrize(("now", "before", "expected"), [
    ((10, 30), (31, 31), False),  # 0.33 < 0.5 x 1.0
    ((15, 30), (31, 31), True),   # 0.5 = 0.5 x 1.0: the floor is inclusive
    ((4, 7), (7, 7), True),       # twcs 2017-W44: 0.57 against a full week
    ((31, 31), (3, 30), False),   # the other way round
])
def test_similar_coverage_needs_half_the_other_periods_share(now, before, expected):
    summary = _summary(500, *now, 500, *before)
    assert similar_coverage(summary) is expected
    assert comparable(summary) is expected


def test_comparable_needs_enough_contacts_in_both_periods():
    floor = MIN_COMPARISON_CONTACTS
    assert comparable(_summary(floor, 30, 30, floor, 31, 31))
    assert not comparable(_summary(950, 30, 30, floor - 1, 31, 31))
    assert not comparable(_summary(None, 30, 30, floor, 31, 31))


def test_changes_are_relative_for_counts_and_points_for_shares():
    assert change_text(150, 120, "count", "en") == "+25%"
    assert change_text(0.20, 0.25, "share", "pt-BR") == "−5,0 p.p."
    assert change_text(5, 0, "count", "en") == "n/a"  # no base to compare with
    assert change_text(None, 3, "duration", "en") == "n/a"
