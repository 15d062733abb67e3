"""The sentences of the report pages, in the reader's language, numbers from the figures.

One module per page area; all are importable from here (``sentences.header(...)``).
"""

from __future__ import annotations

from analytics.report.sentences._common import (
    PAGES,
    comparison_note,
    definitions,
    header,
    heading,
    no_contacts,
    not_measurable,
    source_description,
    source_name,
)
from analytics.report.sentences.channels import (
    contacted_before_sentence,
    forced_migration_sentence,
    mix_sentence,
    movement_sentence,
    public_sentence,
    purchase_sentence,
    served_sentence,
)
from analytics.report.sentences.dependency import (
    cost_sentence,
    how_to_sentence,
    how_to_trend_sentence,
    independence_sentence,
    learning_sentence,
    people_sentence,
    self_service_sentence,
    sentiment_note,
    voice_sentence,
)
from analytics.report.sentences.repeats import (
    contacts_per_customer_sentence,
    coverage_sentence,
    cross_channel_sentence,
    fcr_sentence,
    frequent_sentence,
    gap_sentence,
    repeat_sentence,
    repeat_trend_sentence,
    topic_sentence,
)
from analytics.report.sentences.response import (
    agent_sentence,
    distribution_sentence,
    first_response_sentence,
    sla_sentence,
    timing_sentence,
    trend_sentence,
    waiting_sentence,
)
from analytics.report.sentences.summary import (
    summary_readings,
)

__all__ = [
    "PAGES",
    "agent_sentence",
    "contacted_before_sentence",
    "contacts_per_customer_sentence",
    "cost_sentence",
    "coverage_sentence",
    "cross_channel_sentence",
    "definitions",
    "distribution_sentence",
    "fcr_sentence",
    "first_response_sentence",
    "forced_migration_sentence",
    "frequent_sentence",
    "gap_sentence",
    "header",
    "heading",
    "how_to_sentence",
    "how_to_trend_sentence",
    "independence_sentence",
    "learning_sentence",
    "mix_sentence",
    "movement_sentence",
    "comparison_note",
    "no_contacts",
    "not_measurable",
    "source_description",
    "source_name",
    "people_sentence",
    "public_sentence",
    "purchase_sentence",
    "repeat_sentence",
    "repeat_trend_sentence",
    "self_service_sentence",
    "sentiment_note",
    "served_sentence",
    "sla_sentence",
    "summary_readings",
    "timing_sentence",
    "topic_sentence",
    "trend_sentence",
    "voice_sentence",
    "waiting_sentence",
]
