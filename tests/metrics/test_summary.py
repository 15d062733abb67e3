"""The summary of a period (the ``metrics --json`` contract) on a hand-made log."""

import pandas as pd
import pytest
from helpers import agent, inbound, log

from analytics.errors import InputError
from analytics.load.schema import SupportLog, empty_events
from analytics.metrics.summary import Settings, analyse, build_summary, parse_duration
from analytics.period import parse_period


def _summary(*rows, **settings):
    messages = log(*rows)
    support = SupportLog(messages=messages, events=empty_events(), source="test",
                         description="hand-made log")
    period = parse_period("2024-03", "UTC")
    analysis = analyse(support, Settings(hours="always", as_of=pd.Timestamp("2024-04-15", tz="UTC"),
                                         **settings), "UTC")
    return build_summary(analysis, period)


# Three contacts in March: answered after 10 min and 30 min, and one never answered
# (counted, not dropped). One contact in February is the previous period.
ROWS = (
    inbound("a", "2024-03-04 10:00", customer="c1"), agent("a", "2024-03-04 10:10", customer="c1"),
    inbound("b", "2024-03-05 10:00", customer="c2"), agent("b", "2024-03-05 10:30", customer="c2"),
    inbound("c", "2024-03-06 10:00", customer="c3"),
    inbound("p", "2024-02-06 10:00", customer="c4"), agent("p", "2024-02-06 11:00", customer="c4"),
)


def test_the_period_counts_every_contact_and_the_unanswered_ones():
    summary = _summary(*ROWS)
    assert summary["contacts"] == 3
    first = summary["first_response"]
    assert first["n"] == 2 and first["unanswered"] == 1
    assert first["median_s"] == pytest.approx(20 * 60)  # median of 600 s and 1800 s


def test_the_previous_period_has_its_own_figures():
    summary = _summary(*ROWS)
    assert summary["previous_period"]["label"] == "2024-02"
    assert summary["previous"]["contacts"] == 1
    assert summary["previous"]["first_response"]["median_s"] == pytest.approx(3600)


def test_the_parameters_in_force_are_printed_with_the_figures():
    summary = _summary(*ROWS, sla="30min")
    assert summary["parameters"]["sla"] == "30min"
    assert summary["parameters"]["hours"] == "always"
    assert summary["period"] == {"label": "2024-03", "start": "2024-03-01T00:00:00+00:00",
                                 "end": "2024-04-01T00:00:00+00:00", "tz": "UTC"}


@pytest.mark.parametrize(("text", "seconds"), [("30min", 1800), ("1h", 3600), ("2d", 172800),
                                               ("90s", 90)])
def test_parse_duration_reads_the_units_people_write(text, seconds):
    assert parse_duration(text).total_seconds() == seconds


@pytest.mark.parametrize("text", ["", "0h", "-1h", "soon"])
def test_parse_duration_refuses_what_is_not_a_positive_duration(text):
    with pytest.raises(InputError, match="not a positive duration"):
        parse_duration(text)


def test_settings_refuse_an_unknown_cohort_basis():
    with pytest.raises(InputError, match="cohort"):
        Settings(cohort="closed")
