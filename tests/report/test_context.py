"""What a page can say, decided in the report context: sections a source cannot measure are
left out and listed once with why; charts with one bar or one point become a sentence."""

import pytest

from analytics.report import sentences
from analytics.report.context import PAGE_SECTIONS, prepare

#: Four contacts of three customers on two channels; no agent ids on the answers of c3, no
#: topic, purchase channel or self-service data (a plain message log records none of them).
LOG = """message_id,conversation_id,customer_id,channel,sent_at,direction,author_type,agent_id,text
m1,c1,u1,chat,2024-03-04T10:00:00-03:00,inbound,customer,,how do I change my password?
m2,c1,,chat,2024-03-04T10:05:00-03:00,outbound,agent,a1,ok
m3,c2,u2,email,2024-03-05T11:00:00-03:00,inbound,customer,,my order never arrived
m4,c2,,email,2024-03-05T12:00:00-03:00,outbound,agent,a1,sorry
m5,c3,u1,chat,2024-03-06T09:00:00-03:00,inbound,customer,,where is the invoice?
m6,c4,u3,chat,2024-03-07T09:00:00-03:00,inbound,customer,,
"""
#: The same contacts without customer ids and without text.
ANONYMOUS = "\n".join(
    ",".join(value if i not in (2, 8) else "" for i, value in enumerate(line.split(",")))
    if n else line for n, line in enumerate(LOG.strip().splitlines())) + "\n"


def _report(tmp_path_factory, text, lang="en"):
    path = tmp_path_factory.mktemp("log") / "log.csv"
    path.write_text(text)
    return prepare(source="messages", input_path=str(path), period="2024-03", tz="UTC",
                   lang=lang)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return _report(tmp_path_factory, LOG)


@pytest.fixture(scope="module")
def anonymous(tmp_path_factory):
    return _report(tmp_path_factory, ANONYMOUS, lang="pt-BR")


def test_a_plain_message_log_leaves_out_only_what_it_does_not_record(report):
    assert report.not_measurable("channel_usage") == [("purchase", "why.no_purchase"),
                                                      ("before", "why.no_before")]
    assert report.not_measurable("repeat_contacts") == [("topic", "why.no_topic")]
    assert report.not_measurable("dependency") == [("how_to_trend", "why.no_weeks"),
                                                   ("self_service", "why.no_self_service")]
    assert report.not_measurable("summary") == [("trend", "why.no_weeks")]
    # Fewer than MIN_WEEKLY_N (5) answered contacts in every week: no weekly figure.
    assert not report.shows("trend")
    assert report.shows("agents") and report.shows("cpc")


def test_without_ids_or_text_the_sections_that_need_them_go_into_the_box(anonymous):
    missing = dict(anonymous.not_measurable("repeat_contacts"))
    assert {s for s, why in missing.items() if why == "why.no_identity"} == {
        "fcr", "cpc", "frequent", "gap", "cross", "topic", "repeat_trend"}
    assert dict(anonymous.not_measurable("dependency"))["voice"] == "why.no_text"
    assert not anonymous.draws("coverage")  # a bar at 0 % says nothing the sentence does not
    box = sentences.not_measurable(anonymous, "repeat_contacts")
    # One line per reason, naming the reader's headings, in the reader's language.
    assert box.count("não registra quem é o cliente") == 1
    assert "Contatos por cliente" in box and "Not measurable" not in box


def test_every_section_left_out_is_one_the_page_has(report, anonymous):
    for page, sections in PAGE_SECTIONS.items():
        for one in (report, anonymous):
            left_out = [s for s, _ in one.not_measurable(page)]
            assert left_out == [s for s in sections if not one.shows(s)]


def test_one_channel_or_one_week_is_a_sentence_not_a_chart(report):
    assert report.draws("mix")  # chat and email
    assert not report.draws("trend")  # not shown at all
    with pytest.raises(ValueError, match="unknown page section 'mixx'"):
        report.shows("mixx")


def test_a_period_without_contacts_says_so_once(tmp_path_factory):
    path = tmp_path_factory.mktemp("log") / "log.csv"
    path.write_text(LOG)
    empty = prepare(source="messages", input_path=str(path), period="2024-05", tz="UTC")
    assert not empty.shows("mix") and empty.shows("headline")
    assert sentences.not_measurable(empty, "summary").count("May 2024") == 1
    report_box = sentences.not_measurable(empty, "summary")
    assert not report_box.startswith(">")


@pytest.mark.usefixtures("_house_style")
def test_agent_stats_rank_first_responders_and_leave_out_unanswered(tmp_path):
    import pandas as pd

    from analytics.report.context import prepare

    rows = ["message_id,conversation_id,customer_id,channel,sent_at,direction,author_type,agent_id",
            "1,A,c1,chat,2024-03-04T10:00:00Z,inbound,customer,",
            "2,A,,chat,2024-03-04T10:10:00Z,outbound,agent,ana",
            "3,B,c2,chat,2024-03-04T11:00:00Z,inbound,customer,",
            "4,B,,chat,2024-03-04T11:02:00Z,outbound,agent,bia",
            "5,C,c3,chat,2024-03-04T12:00:00Z,inbound,customer,",
            "6,C,,chat,2024-03-04T12:30:00Z,outbound,agent,ana",
            "7,D,c4,chat,2024-03-04T13:00:00Z,inbound,customer,"]
    path = tmp_path / "m.csv"
    path.write_text("\n".join(rows) + "\n")
    report = prepare(source="messages", input_path=str(path), period="2024-03", tz="UTC")
    stats = report.agent_stats
    assert stats["first_responder"].tolist() == ["ana", "bia"]   # most answers first
    assert stats["answered"].tolist() == [2, 1]                   # D (unanswered) has no agent
    assert stats["median_s"].tolist() == [(600 + 1800) / 2, 120.0]
    assert stats["within_sla"].tolist() == [1.0, 1.0]
    assert isinstance(stats, pd.DataFrame)
