"""What a page can say, decided in the report context: sections a source cannot measure are
left out and listed once with why; charts with one bar or one point become a sentence."""

import pytest

from analytics.report import sentences, tables
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


#: A one-row-per-ticket export with dates only. 2026-11-02 (a Monday) is a Brazilian public
#: holiday: T1, Friday 30 Oct -> Tuesday 3 Nov, waited 4 calendar days but 1 business day; T2
#: was answered the same day (0); T3, Thursday 5 -> Monday 9, waited 2 business days (Friday
#: 6, Monday 9). T4 is unanswered.
DATES_ONLY = (
    "Ticket,Received,Answered,Company\n"
    "T1,10/30/2026,11/3/2026,Acme\n"
    "T2,11/4/2026,11/4/2026,Acme\n"
    "T3,11/5/2026,11/9/2026,Acme\n"
    "T4,11/6/2026,,Acme\n"
)
DATES_ONLY_MAPPING = """
[input]
messages = "tickets.csv"
layout = "tickets"
date_format = "%m/%d/%Y"
time_precision = "day"
source_tz = "America/Sao_Paulo"
agents = "company"
name = "tickets"

[columns]
conversation_id = "Ticket"
created_at = "Received"
first_reply_at = "Answered"
agent_id = "Company"

[constants]
channel = "web_form"
"""


@pytest.fixture(scope="module")
def dates_only(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dates_only")
    (folder / "tickets.csv").write_text(DATES_ONLY)
    (folder / "mapping.toml").write_text(DATES_ONLY_MAPPING)
    return prepare(source="mapping", input_path=str(folder / "mapping.toml"),
                   period="2026-10-26..2026-11-08", tz="America/Sao_Paulo", holidays="BR",
                   hours="mon-fri 09:00-18:00", sla="1h", lang="pt-BR")


def test_a_dates_only_source_counts_business_days_not_business_hours(dates_only):
    business = dates_only.summary["first_response_business"]
    assert (business["n"], business["median_s"]) == (3, 1 * 86400.0)   # 0, 1 and 2 days
    assert business["mean_s"] == 86400.0
    facts = dates_only.contacts.set_index("conversation_id")
    assert facts.loc["T1", "first_response_s"] == 4 * 86400.0
    assert facts.loc["T1", "first_response_business_s"] == 86400.0
    # T4 waits from Friday 6 Nov to the cut-off (the latest date, Monday 9 Nov): 1 business day.
    assert facts.loc["T4", "unanswered_business_age_s"] == 86400.0
    table = tables.headline_table(dates_only.summary, "pt-BR")
    labels = table.iloc[:, 0].tolist()
    assert "Tempo mediano até a primeira resposta, em dias úteis" in labels
    assert not any("horário comercial" in label for label in labels)
    assert "Dias úteis:" in sentences.definitions(dates_only)


def test_a_target_under_one_day_is_not_measurable_on_a_dates_only_source(dates_only):
    first = dates_only.summary["first_response"]
    assert first["within_sla"] is None and first["within_sla_targets"] == {"1h": None}
    assert dates_only.sla_s is None
    assert ("sla", "why.day_sla") in dates_only.not_measurable("response_times")
    labels = tables.headline_table(dates_only.summary, "pt-BR").iloc[:, 0].tolist()
    assert not any("meta de" in label for label in labels)
    for text in (sentences.summary_readings(dates_only.summary, "pt-BR"),
                 sentences.first_response_sentence(dates_only.summary, "pt-BR"),
                 sentences.waiting_sentence(dates_only.response_base, dates_only.summary,
                                            "pt-BR")):
        assert "meta de" not in text and "a meta" not in text and "1 h" not in text
    for table in (tables.channel_table(dates_only), tables.agent_table(dates_only),
                  tables.public_private_table(dates_only)):
        assert not any("1 h" in column for column in table.columns)


def test_one_channel_and_an_uncomparable_previous_week_draw_no_chart(twcs_report):
    # twcs 2017-W44: every contact on Twitter (the coverage chart would be one bar) and a
    # previous week of 35 contacts, below the comparison floor: the repeat chart would be the
    # period's one point, so both are sentences.
    assert not twcs_report.comparable
    assert not twcs_report.draws("coverage") and not twcs_report.draws("repeat_trend")
    assert not twcs_report.draws("how_to")  # one channel: one bar
    assert twcs_report.compared({"twitter": 35}) is None
