"""The dependency page: its figures and tables on hand-made data, and customer text shown as
text (escaped, personal data masked) on a report built from a tiny log."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analytics.metrics import dependency
from analytics.report import sentences, tables
from analytics.report.context import prepare
from analytics.report.sentences.dependency import how_to_correction_sentence

LOG = """message_id,conversation_id,customer_id,channel,sent_at,direction,author_type,agent_id,text
m1,c1,u1,chat,2024-03-04T10:00:00-03:00,inbound,customer,,<script>alert(1)</script> how do I change my password? write to ana@example.com
m2,c1,,chat,2024-03-04T10:05:00-03:00,outbound,agent,a1,ok
m3,c2,u2,email,2024-03-05T11:00:00-03:00,inbound,customer,,my order never arrived and I was charged twice
m4,c2,,email,2024-03-05T12:00:00-03:00,outbound,agent,a1,sorry
m5,c2,,email,2024-03-05T13:00:00-03:00,outbound,agent,a2,refunded
m6,c3,u1,chat,2024-03-06T09:00:00-03:00,inbound,customer,,where can I find the invoice for my plan?
m7,c4,u3,phone,2024-03-07T09:00:00-03:00,inbound,customer,,
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("log") / "log.csv"
    path.write_text(LOG)
    return prepare(source="messages", input_path=str(path), period="2024-03",
                   tz="America/Sao_Paulo", cost_table={"chat": 5.0, "currency": "BRL"})


def test_contacts_carry_the_intent_of_their_opening_message(report):
    intents = report.contacts.set_index("conversation_id")["intent"]
    assert intents["c1"] == "how_to" and intents["c3"] == "how_to"
    assert intents["c2"] == "problem"
    assert pd.isna(intents["c4"])  # no text: no intent, never "other"


def test_dependency_figures_of_the_tiny_log(report):
    figures = report.summary["dependency"]
    how_to = dict(figures["how_to"])
    corrected = how_to.pop("corrected")
    assert how_to == {"with_text": 3, "how_to": 2, "problem": 1, "other": 0, "share": 2 / 3}
    # English rates (eval4: tp 25, fn 14, fp 10, tn 237): (2/3 - 10/247) / (25/39 - 10/247)
    # = 1.04, clipped to 1
    assert corrected["correction"] == "adjusted classify-and-count"
    assert corrected["by_lang"]["en"]["contacts"] == 3 and corrected["adjusted"] == 1.0
    assert figures["intermediaries"]["multi_agent"] == 1  # c2 answered by a1 and a2
    # c1 and c3 are how-to questions on chat: 2 × (5.00 − 0.10)
    assert figures["avoidable_cost"]["total"] == pytest.approx(9.8)
    assert figures["avoidable_cost"]["currency"] == "BRL"


def test_the_how_to_sentence_gives_the_corrected_share_and_names_the_correction(report):
    en = sentences.how_to_sentence(report)
    assert "**66.7%**" in en and "adjusted classify-and-count" in en and "**100.0%**" in en
    summary = report.summary["dependency"]["how_to"]
    silent = {**summary["corrected"], "correction": "uncorrected"}
    assert "uncorrected" in how_to_correction_sentence(silent, "en")
    assert "não está corrigida" in how_to_correction_sentence(silent, "pt-BR")
    partly = {**summary["corrected"], "uncorrected_langs": ["es"]}
    assert "sem correção" in how_to_correction_sentence(partly, "pt-BR")


def test_how_to_by_channel_counts_only_text(report):
    table = dependency.how_to_by_channel(report.contacts)
    assert table.loc["chat", "share"] == 1.0 and table.loc["email", "share"] == 0.0
    assert "phone" not in table.index  # its only contact has no text


def test_weekly_how_to_leaves_thin_weeks_out(report):
    weekly = dependency.weekly_how_to(report.analysis.facts, tz="America/Sao_Paulo",
                                 end=report.period.end, weeks=5)
    assert weekly["with_text"].sum() == 3
    assert weekly["share"].isna().all()  # fewer than MIN_WEEKLY_N texts in every week


def test_examples_are_escaped_and_masked(report):
    page = tables.examples_html(report)
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert "[email]" in page and "ana@example.com" not in page


def test_every_dependency_sentence_and_table_renders_in_both_languages(report):
    for lang in ("en", "pt-BR"):
        summary = report.summary
        assert "{" not in sentences.independence_sentence(summary, lang)
        assert sentences.learning_sentence(summary, lang)
        assert sentences.people_sentence(summary, lang)
        assert "R\\$" in sentences.cost_sentence(summary, lang)  # BRL in CLDR signs, escaped
        assert sentences.self_service_sentence(summary, lang)
        for table in (tables.independence_table(summary, lang),
                      tables.dependency_table(summary, lang),
                      tables.avoidable_cost_table(summary, lang)):
            assert not table.empty


def test_definitions_print_the_cost_table_in_force(report):
    text = sentences.definitions(report, page="dependency")
    # Markdown source: the dollar sign is escaped, or the page would read $...$ as maths
    # (test_page_content checks the rendered page shows "$" and no stray "**").
    assert "R\\$5.00" in text and "R\\$8.01" in text


def test_the_executive_headline_shows_the_how_to_share_only_where_text_exists(report):
    rows = {r["key"]: r for r in tables.headline_rows(report.summary)}
    assert rows["how_to_share"]["value"] == 2 / 3 and rows["how_to_share"]["n"] == 3
    silent = {**report.summary, "dependency": {**report.summary["dependency"],
                                               "how_to": {"share": None, "with_text": 0}},
              "previous": {**report.summary["previous"],
                           "dependency": {**report.summary["previous"]["dependency"],
                                          "how_to": {"share": None, "with_text": 0}}}}
    assert "how_to_share" not in {r["key"] for r in tables.headline_rows(silent)}
