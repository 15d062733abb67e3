"""The mapping's readers for real exports: date formats, dates-only precision, constants and
generated ids, blank cells, row filters, the one-row-per-ticket layout, Excel, encodings,
delimiters, long cells and SQL queries; each problem is one line naming the fix."""

import shutil
from pathlib import Path

import pandas as pd
import pytest
from helpers import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.errors import InputError
from analytics.load.log import load_log
from analytics.load.sources.mapping import load_mapped

HEADER = "message_id,conversation_id,customer_id,channel,sent_at,direction,author_type\n"


def write(folder, name, text, encoding="utf-8"):
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def mapping(folder, body):
    return write(folder, "mapping.toml", body)


COMPLAINTS = (
    "Complaint ID,Date received,Date sent to company,Submitted via,Company,Closed\n"
    "3001,7/29/2013,7/30/2013,Web,Acme Bank,8/2/2013\n"
    "3002,7/29/2013,7/29/2013,Phone,Acme Bank,\n"
    "3003,7/31/2013,,Referral,Beta Card,\n"
)
TICKETS = """
[input]
messages = "complaints.csv"
layout = "tickets"
date_format = "%m/%d/%Y"
time_precision = "day"
agents = "company"
name = "complaints"

[columns]
conversation_id = "Complaint ID"
created_at = "Date received"
first_reply_at = "Date sent to company"
resolved_at = "Closed"
channel = "Submitted via"
agent_id = "Company"

[values.channel]
"Web" = "web_form"
"Referral" = "web_form"
"""


def test_tickets_layout_with_us_dates(tmp_path):
    write(tmp_path, "complaints.csv", COMPLAINTS)
    log = load_mapped(mapping(tmp_path, TICKETS))
    messages = log.messages.set_index("message_id")
    # 3 customer messages, 2 replies (3003 was not sent to the company), 1 resolution.
    assert sorted(messages.index) == ["3001-in", "3001-reply", "3002-in", "3002-reply", "3003-in"]
    assert messages.loc["3001-in", "sent_at"] == pd.Timestamp("2013-07-29 12:00", tz="UTC")
    assert messages.loc["3001-reply", "sent_at"] == pd.Timestamp("2013-07-30 12:00", tz="UTC")
    assert messages.loc["3001-reply", ["direction", "author_type", "agent_id"]].tolist() == [
        "outbound", "agent", "Acme Bank"]
    assert messages.loc["3002-in", "channel"] == "phone"
    assert messages.loc["3003-in", "channel"] == "web_form"
    assert log.events[["conversation_id", "event"]].values.tolist() == [["3001", "resolved"]]
    assert log.events["at"].iloc[0] == pd.Timestamp("2013-08-02 12:00", tz="UTC")
    assert (log.time_precision, log.message_detail, log.agent_ids) == (
        "day", "milestones", "company")


def test_day_precision_places_dates_at_local_noon(tmp_path):
    write(tmp_path, "complaints.csv", COMPLAINTS)
    log = load_mapped(mapping(tmp_path, TICKETS.replace(
        'name = "complaints"', 'name = "complaints"\nsource_tz = "America/New_York"')))
    first = log.messages.set_index("message_id").loc["3001-in", "sent_at"]
    assert first == pd.Timestamp("2013-07-29 16:00", tz="UTC")  # noon EDT = 16:00 UTC


def test_tickets_layout_without_a_solved_column(tmp_path):
    write(tmp_path, "complaints.csv", COMPLAINTS)
    log = load_mapped(mapping(tmp_path, TICKETS.replace('resolved_at = "Closed"\n', "")))
    assert len(log.messages) == 5 and log.events.empty


#: A Twilio Messaging log as its CSV export writes it (From, To, Body, Status, SentDate,
#: Direction...), one number on WhatsApp and one on SMS; the customer is the From of an
#: inbound message and the To of a reply.
TWILIO = (
    "From,To,Body,Status,SentDate,Direction,Sid,Customer\n"
    "whatsapp:+5511987654321,whatsapp:+14155238886,Oi,received,2024-03-04T10:00:00Z,inbound,"
    "SM1,+5511987654321\n"
    "whatsapp:+14155238886,whatsapp:+5511987654321,Olá!,delivered,2024-03-04T10:05:00Z,"
    "outbound-reply,SM2,+5511987654321\n"
    "+5511912345678,+14155238886,Hi,received,2024-03-04T11:00:00Z,inbound,SM3,+5511912345678\n"
)
TWILIO_MAPPING = """
[input]
messages = "twilio.csv"
name = "twilio"

[columns]
message_id = "Sid"
conversation_id = "Customer"
customer_id = "Customer"
channel = "From"
sent_at = "SentDate"
author_type = "Direction"

[values.author_type]
"inbound" = "customer"
"outbound-reply" = "agent"

[derive]
direction_from_author_type = true
"""


def test_a_twilio_export_takes_the_channel_from_the_address(tmp_path):
    write(tmp_path, "twilio.csv", TWILIO)
    log = load_mapped(mapping(tmp_path, TWILIO_MAPPING))
    channels = log.messages.set_index("message_id")["channel"].to_dict()
    assert channels == {"SM1": "whatsapp", "SM2": "whatsapp", "SM3": "sms"}


def test_tickets_layout_reply_before_creation_names_row(tmp_path):
    write(tmp_path, "complaints.csv", COMPLAINTS.replace("3002,7/29/2013,7/29/2013",
                                                         "3002,7/29/2013,7/28/2013"))
    with pytest.raises(InputError) as caught:
        load_mapped(mapping(tmp_path, TICKETS))
    assert (caught.value.row, caught.value.column) == (2, "Date sent to company")
    assert "earlier than the ticket's creation" in str(caught.value)


def test_date_format_mismatch_names_row_and_example(tmp_path):
    write(tmp_path, "complaints.csv", COMPLAINTS.replace("7/31/2013", "2013-07-31"))
    with pytest.raises(InputError) as caught:
        load_mapped(mapping(tmp_path, TICKETS))
    error = caught.value
    assert (error.row, error.column, error.found) == (3, "Date received", "2013-07-31")
    assert "date_format '%m/%d/%Y'" in str(error) and "'10/05/2026'" in str(error)


def export(tmp_path, rows, header="id,ticket,when,who,kind,private,body\n"):
    return write(tmp_path, "export.csv", header + rows)


MESSAGES = """
[input]
messages = "export.csv"
name = "chat"
{input}

[columns]
message_id = "id"
conversation_id = "ticket"
sent_at = "when"
author_type = "who"

[constants]
channel = "chat"

[derive]
direction_from_author_type = true
{derive}

[values.author_type]
"contact" = "customer"
"user" = "agent"
"" = "system"

[filter.drop]
"private" = ["t", "true"]

[filter.keep]
"kind" = ["0", "1"]
"""


def test_constants_blank_values_and_filters(tmp_path):
    export(tmp_path, "1,A,2024-03-04T10:00:00Z,contact,0,f,hi\n"
                     "2,A,2024-03-04T10:01:00Z,,1,f,auto reply\n"
                     "3,A,2024-03-04T10:02:00Z,user,1,t,private note\n"
                     "4,A,2024-03-04T10:03:00Z,,2,f,activity\n"
                     "5,A,2024-03-04T10:30:00Z,user,1,false,answer\n")
    log = load_mapped(mapping(tmp_path, MESSAGES.format(input="", derive="")))
    messages = log.messages
    assert messages["message_id"].tolist() == ["1", "2", "5"]
    assert messages["author_type"].tolist() == ["customer", "system", "agent"]
    assert messages["direction"].tolist() == ["inbound", "outbound", "outbound"]
    assert set(messages["channel"]) == {"chat"}


def test_errors_name_the_file_row_after_filters(tmp_path):
    export(tmp_path, "1,A,2024-03-04T10:00:00Z,contact,0,f,hi\n"
                     "2,A,2024-03-04T10:01:00Z,user,1,t,note\n"
                     "3,A,yesterday,user,1,f,answer\n")
    with pytest.raises(InputError) as caught:
        load_mapped(mapping(tmp_path, MESSAGES.format(input="", derive="")))
    assert caught.value.source.endswith("export.csv")
    assert (caught.value.row, caught.value.column) == (3, "when")


def test_generated_message_ids_are_file_rows(tmp_path):
    export(tmp_path, "x,A,2024-03-04T10:00:00Z,contact,0,f,hi\n"
                     "x,A,2024-03-04T10:30:00Z,user,1,f,answer\n")
    body = MESSAGES.format(input="", derive="generate_message_id = true").replace(
        'message_id = "id"\n', "")
    assert load_mapped(mapping(tmp_path, body)).messages["message_id"].tolist() == [
        "row-1", "row-2"]


@pytest.mark.parametrize(("option", "stamp", "expected"), [
    ('epoch = "s"', "1709546400", "2024-03-04 10:00"),
    ('epoch = "ms"', "1709546400000", "2024-03-04 10:00"),
    ('day_first = true\nsource_tz = "America/Sao_Paulo"', "04/03/2024 07:00",
     "2024-03-04 10:00"),
    ('date_format = "%d.%m.%Y %H:%M"\nsource_tz = "Europe/Berlin"', "04.03.2024 11:00",
     "2024-03-04 10:00"),
])
def test_timestamp_formats(tmp_path, option, stamp, expected):
    export(tmp_path, f"1,A,{stamp},contact,0,f,hi\n")
    log = load_mapped(mapping(tmp_path, MESSAGES.format(input=option, derive="")))
    assert log.messages["sent_at"].iloc[0] == pd.Timestamp(expected, tz="UTC")


def test_epoch_in_the_wrong_unit_names_the_other(tmp_path):
    export(tmp_path, "1,A,1709546400000,contact,0,f,hi\n")
    with pytest.raises(InputError, match='epoch = "ms"'):
        load_mapped(mapping(tmp_path, MESSAGES.format(input='epoch = "s"', derive="")))


@settings(max_examples=15, deadline=None)
@given(st.datetimes(min_value=pd.Timestamp("1995-01-01").to_pydatetime(),
                    max_value=pd.Timestamp("2090-01-01").to_pydatetime()))
def test_epoch_seconds_and_milliseconds_agree(tmp_path_factory, moment):
    folder = tmp_path_factory.mktemp("epoch")
    seconds = int(pd.Timestamp(moment, tz="UTC").timestamp())
    results = []
    for unit, value in (("s", seconds), ("ms", seconds * 1000)):
        export(folder, f"1,A,{value},contact,0,f,hi\n")
        log = load_mapped(mapping(folder, MESSAGES.format(input=f'epoch = "{unit}"', derive="")))
        results.append(log.messages["sent_at"].iloc[0])
    assert results[0] == results[1] == pd.Timestamp(seconds, unit="s", tz="UTC")


def test_semicolon_cp1252_file_names_the_encoding_key(tmp_path):
    text = ("id;ticket;when;who;kind;private;body\n"
            "1;A;2024-03-04T10:00:00Z;contact;0;f;Olá, não recebi\n")
    write(tmp_path, "export.csv", text, encoding="cp1252")
    body = MESSAGES.format(input="", derive="")
    with pytest.raises(InputError) as caught:
        load_mapped(mapping(tmp_path, body))
    assert 'encoding = "cp1252" in mapping.toml' in str(caught.value)
    log = load_mapped(mapping(tmp_path, body.replace('name = "chat"',
                                                     'name = "chat"\nencoding = "cp1252"')))
    assert log.messages["text"].isna().all()  # body is not mapped
    assert len(log.messages) == 1


def test_messages_file_in_cp1252_names_the_mapping_key(tmp_path):
    path = write(tmp_path, "log.csv", HEADER.replace(",", ";")
                 + "m1;A;João;chat;2024-03-04T10:00:00Z;inbound;customer\n", encoding="cp1252")
    with pytest.raises(InputError) as caught:
        load_log(path)
    assert "its bytes read as cp1252" in str(caught.value)
    assert '[input] encoding = "cp1252"' in str(caught.value)


def test_semicolon_file_is_read_by_guessing_the_delimiter(tmp_path):
    path = write(tmp_path, "log.csv", HEADER.replace(",", ";")
                 + "m1;A;João;chat;2024-03-04T10:00:00Z;inbound;customer\n")
    assert load_log(path).messages["customer_id"].tolist() == ["João"]


def test_long_text_cell_is_accepted_and_a_broken_row_is_named(tmp_path):
    long_text = "x" * 200_000
    good = write(tmp_path, "long.csv", "message_id,conversation_id,customer_id,channel,sent_at,"
                 "direction,author_type,text\n"
                 f'm1,A,c,chat,2024-03-04T10:00:00Z,inbound,customer,"{long_text}"\n'
                 "m2,A,c,chat,2024-03-04T10:05:00Z,outbound,agent,ok\n")
    assert len(load_log(good).messages["text"].iloc[0]) == 200_000
    broken = write(tmp_path, "broken.csv", HEADER + "m1,A,c,chat,2024-03-04T10:00:00Z,inbound,"
                   "customer\nm2,A,c,chat,2024-03-04T10:05:00Z,outbound,agent,extra,cells\n")
    with pytest.raises(InputError) as caught:
        load_log(broken)
    assert caught.value.row == 2 and "9 fields, the header 7" in str(caught.value)


@pytest.mark.parametrize(("stamp", "key"), [
    ("05/10/2026 09:15", "date_format"),
    ("1709546400", 'epoch = "s"'),
    ("1709546400000", 'epoch = "ms"'),
])
def test_messages_file_with_other_timestamps_names_the_fix(tmp_path, stamp, key):
    path = write(tmp_path, "log.csv", HEADER + f"m1,A,c,chat,{stamp},inbound,customer\n")
    with pytest.raises(InputError) as caught:
        load_log(path)
    assert (caught.value.row, caught.value.column) == (1, "sent_at")
    assert key in str(caught.value) and "docs/mapping.md" in str(caught.value)


def test_xlsx_export(tmp_path):
    frame = pd.DataFrame({"id": ["1", "2"], "ticket": ["A", "A"],
                          "when": ["2024-03-04T10:00:00Z", "2024-03-04T10:20:00Z"],
                          "who": ["contact", "user"], "kind": ["0", "1"], "private": ["f", "f"],
                          "body": ["hi", "hello"]})
    frame.to_excel(tmp_path / "export.xlsx", index=False, sheet_name="Tickets")
    body = MESSAGES.format(input='sheet = "Tickets"', derive="").replace(
        '"export.csv"', '"export.xlsx"')
    log = load_mapped(mapping(tmp_path, body))
    assert log.messages["author_type"].tolist() == ["customer", "agent"]
    with pytest.raises(InputError, match="sheet"):
        load_mapped(mapping(tmp_path, body.replace('"Tickets"', '"Other"')))


def test_query_source_joins_and_filters(tmp_path):
    write(tmp_path, "messages.csv", "id,conv,at,kind,note\n1,7,2024-03-04 10:00:00,0,f\n"
                                    "2,7,2024-03-04 10:05:00,1,t\n3,7,2024-03-04 10:40:00,1,f\n")
    write(tmp_path, "conversations.csv", "id,contact,inbox\n7,c9,web\n")
    body = '''
[input]
name = "sql"
source_tz = "UTC"
query = """
SELECT m.id AS message_id, m.conv AS conversation_id, c.contact AS customer_id,
       'chat' AS channel, m.at AS sent_at,
       CASE m.kind WHEN 0 THEN 'inbound' ELSE 'outbound' END AS direction,
       CASE m.kind WHEN 0 THEN 'customer' ELSE 'agent' END AS author_type
FROM read_csv('messages.csv') m JOIN read_csv('conversations.csv') c ON c.id = m.conv
WHERE NOT m.note ORDER BY m.id
"""
events_query = "SELECT 7 AS conversation_id, 'resolved' AS event, TIMESTAMP '2024-03-04 11:00' AS at"
'''
    log = load_mapped(mapping(tmp_path, body))
    assert log.messages["message_id"].tolist() == ["1", "3"]
    assert log.messages["customer_id"].tolist() == ["c9", "c9"]
    assert log.events["at"].tolist() == [pd.Timestamp("2024-03-04 11:00", tz="UTC")]


def test_query_errors_name_the_query_and_row(tmp_path):
    body = '''
[input]
name = "sql"
query = """SELECT * FROM (VALUES ('1', 'A', 'c', 'chat', TIMESTAMPTZ '2024-03-04 10:00:00+00',
  'inbound', 'customer'), ('2', 'A', 'c', 'chat', TIMESTAMPTZ '2024-03-04 10:05:00+00',
  'sideways', 'agent')) t(message_id, conversation_id, customer_id, channel, sent_at,
  direction, author_type)"""
'''
    with pytest.raises(InputError) as caught:
        load_mapped(mapping(tmp_path, body))
    assert caught.value.source.endswith("mapping.toml [input] query")
    assert (caught.value.row, caught.value.column) == (2, "direction")
    with pytest.raises(InputError, match=r"\[input\] query: the query failed"):
        load_mapped(mapping(tmp_path, body.replace("FROM (VALUES", "FROM (VALUEZ")))


@pytest.mark.parametrize(("extra", "key"), [
    ('layout = "rows"', "input.layout"),
    ('epoch = "us"', "input.epoch"),
    ('date_format = "mm/dd/yyyy"', "input.date_format"),
    ('day_first = "yes"', "input.day_first"),
    ('epoch = "s"\nday_first = true', "input.day_first"),
    ('query = "SELECT 1"', "input.query"),
])
def test_new_input_keys_are_checked(tmp_path, extra, key):
    export(tmp_path, "1,A,2024-03-04T10:00:00Z,contact,0,f,hi\n")
    with pytest.raises(InputError) as caught:
        load_mapped(mapping(tmp_path, MESSAGES.format(input=extra, derive="")))
    assert key in str(caught.value)


def test_blank_sender_without_a_value_names_the_fix(tmp_path):
    export(tmp_path, "1,A,2024-03-04T10:00:00Z,contact,0,f,hi\n"
                     "2,A,2024-03-04T10:01:00Z,,1,f,auto reply\n")
    body = MESSAGES.format(input="", derive="").replace('"" = "system"\n', "")
    with pytest.raises(InputError) as caught:
        load_mapped(mapping(tmp_path, body))
    text = str(caught.value)
    assert (caught.value.row, caught.value.column) == (2, "who")
    assert "the cell is blank" in text and '[values.author_type] ""' in text
    assert "nan" not in text


def test_messages_xlsx_file(tmp_path):
    path = tmp_path / "log.xlsx"
    pd.DataFrame({"message_id": ["m1", "m2"], "conversation_id": ["A", "A"],
                  "customer_id": ["c", "c"], "channel": ["chat", "chat"],
                  "sent_at": ["2024-03-04T10:00:00Z", "2024-03-04T10:05:00Z"],
                  "direction": ["inbound", "outbound"], "author_type": ["customer", "agent"]}
                 ).to_excel(path, index=False)
    assert load_log(path).messages["message_id"].tolist() == ["m1", "m2"]


@pytest.mark.parametrize(("old", "new", "row", "message"), [
    ("3003,7/31/2013", ",7/31/2013", 3, "the ticket id is empty"),
    ("3002,7/29/2013", "3001,7/29/2013", 2, "the ticket id appears twice"),
    ("3002,7/29/2013,7/29/2013", "3002,,7/29/2013", 2, "the timestamp is empty"),
])
def test_tickets_layout_row_errors(tmp_path, old, new, row, message):
    write(tmp_path, "complaints.csv", COMPLAINTS.replace(old, new))
    with pytest.raises(InputError) as caught:
        load_mapped(mapping(tmp_path, TICKETS))
    assert caught.value.row == row and message in str(caught.value)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.one_of(st.none(), st.integers(0, 60))),
                min_size=1, max_size=12))
def test_tickets_layout_gives_whole_day_waits(tmp_path_factory, tickets):
    """Invariant: n tickets give n customer messages plus one reply per non-blank reply date,
    and each first response is exactly the number of days between the two dates."""
    folder = tmp_path_factory.mktemp("tickets")
    start = pd.Timestamp("2013-01-01")
    rows = []
    for number, (created, wait) in enumerate(tickets):
        received = start + pd.Timedelta(days=created)
        sent = "" if wait is None else f"{(received + pd.Timedelta(days=wait)):%m/%d/%Y}"
        rows.append(f"{number},{received:%m/%d/%Y},{sent},Web,Acme,\n")
    write(folder, "complaints.csv", COMPLAINTS.splitlines()[0] + "\n" + "".join(rows))
    log = load_mapped(mapping(folder, TICKETS))
    answered = [wait for _, wait in tickets if wait is not None]
    assert len(log.messages) == len(tickets) + len(answered)
    first = log.messages.pivot_table(index="conversation_id", columns="direction",
                                     values="sent_at", aggfunc="min")
    if "outbound" not in first:
        assert not answered
        return
    waits = (first["outbound"] - first["inbound"]).dropna()
    assert sorted(waits.dt.days.tolist()) == sorted(answered)
    assert (waits == pd.to_timedelta(waits.dt.days, unit="D")).all()


# --- the bundled worked example (data/mapping_example/) ---------------------------------------

MAPPING = ROOT / "data" / "mapping_example" / "mapping.toml"


@pytest.fixture()
def mapping_copy(tmp_path):
    """A copy of the worked example; returns a function that rewrites its mapping.toml."""
    folder = shutil.copytree(MAPPING.parent, tmp_path / "example")
    mapping = folder / "mapping.toml"
    original = mapping.read_text(encoding="utf-8")

    def edit(old: str, new: str) -> Path:
        assert old in original
        mapping.write_text(original.replace(old, new, 1), encoding="utf-8")
        return mapping

    return edit


def test_mapping_example_loads():
    log = load_mapped(MAPPING)
    messages = log.messages
    assert len(messages) == 24 and messages["conversation_id"].nunique() == 6
    assert log.source == "mapping_example"
    assert set(messages["channel"]) == {"email", "chat", "whatsapp", "phone", "web_form"}
    system = messages["author_type"] == "system"
    assert system.sum() == 3 and (messages.loc[system, "direction"] == "outbound").all()
    assert (messages["direction"] == "inbound").sum() == 11
    # "Created at" is naive São Paulo time (UTC-3 in March 2024)
    first = messages.set_index("message_id").loc["90001", "sent_at"]
    assert first == pd.Timestamp("2024-03-04 12:12:33", tz="UTC")
    assert log.events["event"].value_counts().to_dict() == {
        "resolved": 6, "reopened": 1, "transfer": 1}


def test_mapping_without_customer_column(mapping_copy):
    log = load_mapped(mapping_copy('customer_id = "Requester"\n', ""))
    assert log.messages["customer_id"].isna().all()


@pytest.mark.parametrize(("old", "new", "key"), [
    ("[derive]", "[extras]\nx = 1\n[derive]", "extras"),
    ("[input]", '[input]\ncolour = "red"', "input.colour"),
    ('text = "Body"', 'text = "Body"\nlang = "Body"', "columns.lang"),
    ('sent_at = "Created at"', 'sent_at = "Created"', "columns.sent_at"),
    ('message_id = "Comment ID"\n', "", "columns.message_id"),
    ("direction_from_author_type = true", "direction_from_author_type = false",
     "columns.direction"),
    ("direction_from_author_type = true", 'direction_from_author_type = "yes"',
     "derive.direction_from_author_type"),
    ("[values.channel]", "[values.direction]", "values.direction"),
    ('"Web Widget" = "chat"', '"Web Widget" = 3', "values.channel.Web Widget"),
    ('source_tz = "America/Sao_Paulo"', 'source_tz = "Mars/Olympus"', "input.source_tz"),
    ('name = "mapping_example"', 'name = "../reports"', "input.name"),
    ('name = "mapping_example"', "", "input.name"),
    ('delimiter = ","', 'delimiter = ",,"', "input.delimiter"),
    ('encoding = "utf-8"', 'encoding = "klingon"', "input.encoding"),
    ('messages = "export.csv"', 'messages = "missing.csv"', "input.messages"),
    ('at = "Updated at"\n', "", "event_columns.at"),
    ('events = "events.csv"\n', "", "input.events"),
    ("[input]", "[input", "TOML"),
])
def test_mapping_errors_name_the_file_and_key(mapping_copy, old, new, key):
    mapping = mapping_copy(old, new)
    with pytest.raises(InputError) as caught:
        load_mapped(mapping)
    assert caught.value.source == str(mapping)
    assert key in str(caught.value)


def test_mapping_data_errors_name_the_export_column(mapping_copy, tmp_path):
    mapping = mapping_copy('source_tz = "America/Sao_Paulo"', "")
    with pytest.raises(InputError, match="no UTC offset") as caught:
        load_mapped(mapping)
    assert caught.value.source.endswith("export.csv")
    assert (caught.value.row, caught.value.column) == (1, "Created at")
