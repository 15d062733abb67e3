"""The executive summary's readings (analytics.report.sentences.summary), on hand-set figures."""

import pytest

from analytics.report import sentences

pytestmark = pytest.mark.usefixtures("_house_style")


def _hand_figures(summary):
    summary.update(contacts=200, customers=1, channels={"email": 150, "chat": 50})
    summary["previous"]["contacts"] = 100
    summary["first_response"].update(n=180, unanswered=20, median_s=600.0, within_sla=0.9)
    summary["previous"]["first_response"]["median_s"] = 1200.0
    summary["repeat_contacts"].update(rate=0.25, eligible=160, identity_coverage=0.8)
    return summary


def test_summary_readings_one_line_per_area(summary):
    lines = sentences.summary_readings(_hand_figures(summary), "en").split("\n")
    assert lines[0] == ("- **Contacts:** 200 from 1 customer (+100% against September 2026).")
    assert lines[1] == ("- **First answer:** half of the answered contacts had it within 10 min "
                        "(20 min in September 2026); 90.0% of the answered within the 1 h "
                        "target; 20 have no answer yet.")
    assert lines[4] == ("- **Repeated contacts:** 25.0% came back within 7 days (160 contacts "
                        "with a complete window; 80.0% carry a customer id).")
    assert lines[5] == "- **Channels:** 2 in use; Email carried 75.0% of contacts."
    assert len(lines) == 6  # the demo rates nothing: no satisfaction line


def test_summary_readings_without_a_comparable_period_or_customer_ids(summary):
    figures = _hand_figures(summary)
    figures["previous"]["contacts"] = 35
    figures["repeat_contacts"]["identity_coverage"] = 0.0
    text = sentences.summary_readings(figures, "pt-BR")
    assert "setembro" not in text  # no change, no previous median
    assert text.startswith("- **Contatos:** 200; esta fonte não identifica os clientes.")
    assert "não mensuráveis, esta fonte não registra quem é o cliente." in text


def test_summary_readings_add_satisfaction_when_the_source_rates(summary):
    summary["satisfaction"] = {"rated": 40, "csat": 0.75, "not_rated_share": 0.2}
    last = sentences.summary_readings(summary, "en").split("\n")[-1]
    assert "75.0%" in last and "40" in last and "20.0%" in last


def test_summary_readings_of_an_empty_period(summary):
    summary["contacts"] = 0
    assert sentences.summary_readings(summary, "en") == sentences.no_contacts(summary, "en")
