"""The headline figures of a published report (analytics/publish/headline.py): the index row's
four figures with their change, and the period line of the PDF cover and the digest."""

from __future__ import annotations

from analytics.publish.headline import headline_rows, period_text

SUMMARY = {
    "contacts": 1250, "first_response": {"median_s": 5400.0, "unanswered": 30},
    "repeat_contacts": {"rate": 0.125},
    "period": {"start": "2026-10-01T00:00:00-03:00", "end": "2026-11-01T00:00:00-03:00",
               "tz": "America/Sao_Paulo"},
    "previous": {"contacts": 1000, "first_response": {"median_s": 3600.0, "unanswered": 40},
                 "repeat_contacts": {"rate": 0.1}},
}


def test_four_figures_with_their_change_in_english():
    rows = headline_rows(SUMMARY, "en")
    assert [(r["value"], r["previous"], r["change"]) for r in rows] == [
        ("1,250", "1,000", "+25%"),      # 1250 / 1000 - 1
        ("1.5 h", "1 h", "+50%"),        # 5400 s / 3600 s - 1; hours with one decimal
        ("30", "40", "−25%"),
        ("12.5%", "10.0%", "+2.5 pts"),  # a share changes in percentage points
    ]
    assert [r["label"] for r in rows] == ["Contacts", "Median first response", "Unanswered",
                                          "Repeat contact rate"]


def test_brazilian_portuguese_numbers():
    rows = headline_rows(SUMMARY, "pt-BR")
    assert [(r["value"], r["change"]) for r in rows] == [
        ("1.250", "+25%"), ("1,5 h", "+50%"), ("30", "−25%"), ("12,5%", "+2,5 p.p.")]


def test_a_figure_missing_in_either_period_has_no_change_never_zero():
    summary = {**SUMMARY, "repeat_contacts": {"rate": None}, "previous": {"contacts": 1000}}
    rows = headline_rows(summary, "en")
    assert rows[0]["change"] == "+25%"
    assert [r["change"] for r in rows[1:]] == ["n/a", "n/a", "n/a"]
    assert rows[3]["value"] == "n/a" and rows[1]["previous"] == "n/a"


def test_a_summary_without_a_previous_period():
    summary = {k: v for k, v in SUMMARY.items() if k != "previous"}
    assert {r["change"] for r in headline_rows(summary, "en")} == {"n/a"}


def test_the_period_line_shows_the_last_day_not_the_exclusive_end():
    assert period_text(SUMMARY, "en") == "1 Oct 2026 – 31 Oct 2026, America/Sao_Paulo"
