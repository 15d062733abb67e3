"""Chatwoot and Zammad connectors on a real PostgreSQL server and on CSV dumps of it.

The tables are created with the helpdesks' real column names and types (Chatwoot
``db/schema.rb``; Zammad ``db/migrate/20120101000010_create_ticket.rb`` and its seeds) and hold
bots, private notes / internal articles, activity and template rows, a reopened and an
unanswered conversation, and a merged ticket. Every expected figure is derived by hand in the
comments from the rows inserted.
"""

import pandas as pd
import pytest
from pg_server import postgres_cluster

from analytics.cli import main
from analytics.errors import InputError
from analytics.load.sources.helpdesks import chatwoot_calendar, load_helpdesk
from analytics.metrics.satisfaction import satisfaction_summary
from analytics.metrics.summary import Settings, analyse

psycopg = pytest.importorskip("psycopg")

CHATWOOT_DDL = """
CREATE TABLE inboxes (id serial PRIMARY KEY, channel_id integer NOT NULL,
  account_id integer NOT NULL, name varchar NOT NULL, created_at timestamp NOT NULL,
  updated_at timestamp NOT NULL, channel_type varchar, timezone varchar DEFAULT 'UTC',
  working_hours_enabled boolean DEFAULT false, csat_survey_enabled boolean DEFAULT false);
CREATE TABLE conversations (id serial PRIMARY KEY, account_id integer NOT NULL,
  inbox_id integer NOT NULL, status integer DEFAULT 0 NOT NULL, assignee_id integer,
  created_at timestamp NOT NULL, updated_at timestamp NOT NULL, contact_id bigint,
  display_id integer NOT NULL, first_reply_created_at timestamp, waiting_since timestamp);
CREATE TABLE messages (id serial PRIMARY KEY, content text, account_id integer NOT NULL,
  inbox_id integer NOT NULL, conversation_id integer NOT NULL, message_type integer NOT NULL,
  created_at timestamp NOT NULL, updated_at timestamp NOT NULL,
  private boolean DEFAULT false NOT NULL, status integer DEFAULT 0, source_id varchar,
  content_type integer DEFAULT 0 NOT NULL, content_attributes json DEFAULT '{}',
  sender_type varchar, sender_id bigint, additional_attributes jsonb DEFAULT '{}');
CREATE TABLE reporting_events (id bigserial PRIMARY KEY, name varchar, value double precision,
  account_id integer, inbox_id integer, user_id integer, conversation_id integer,
  created_at timestamp NOT NULL, updated_at timestamp NOT NULL,
  value_in_business_hours double precision, event_start_time timestamp,
  event_end_time timestamp);
CREATE TABLE working_hours (id bigserial PRIMARY KEY, inbox_id bigint, account_id bigint,
  day_of_week integer NOT NULL, closed_all_day boolean DEFAULT false, open_hour integer,
  open_minutes integer, close_hour integer, close_minutes integer,
  created_at timestamp NOT NULL, updated_at timestamp NOT NULL,
  open_all_day boolean DEFAULT false);
CREATE TABLE csat_survey_responses (id bigserial PRIMARY KEY, account_id bigint NOT NULL,
  conversation_id bigint NOT NULL, message_id bigint NOT NULL, rating integer NOT NULL,
  feedback_message text, contact_id bigint NOT NULL, assigned_agent_id bigint,
  created_at timestamp NOT NULL, updated_at timestamp NOT NULL);
"""
D = "2024-03-04 "
CHATWOOT_ROWS = [
    "INSERT INTO inboxes (id, channel_id, account_id, name, created_at, updated_at, "
    "channel_type, timezone, working_hours_enabled) VALUES "
    "(1, 1, 1, 'Site', now(), now(), 'Channel::WebWidget', 'America/Sao_Paulo', true), "
    "(2, 1, 1, 'Support mail', now(), now(), 'Channel::Email', 'America/Sao_Paulo', true), "
    "(3, 1, 1, 'Facebook', now(), now(), 'Channel::FacebookPage', 'America/Sao_Paulo', false)",
    # Inboxes 1 and 2: Monday-Friday 09:00-18:00 (day_of_week 1-5), weekend closed; inbox 3
    # has its working hours switched off, so it does not count.
    "INSERT INTO working_hours (inbox_id, account_id, day_of_week, closed_all_day, open_hour, "
    "open_minutes, close_hour, close_minutes, created_at, updated_at) "
    "SELECT inbox, 1, day, day IN (0, 6), CASE WHEN day IN (0, 6) THEN NULL ELSE 9 END, 0, "
    "CASE WHEN day IN (0, 6) THEN NULL ELSE 18 END, 0, now(), now() "
    "FROM generate_series(1, 3) AS inbox, generate_series(0, 6) AS day",
    "UPDATE working_hours SET open_hour = 7 WHERE inbox_id = 3",
    "INSERT INTO conversations (id, account_id, inbox_id, status, created_at, updated_at, "
    f"contact_id, display_id) VALUES (1, 1, 1, 1, '{D}09:00', now(), 10, 1), "
    f"(2, 1, 2, 1, '{D}10:00', now(), 11, 2), (3, 1, 3, 0, '{D}12:00', now(), 12, 3), "
    f"(4, 1, 1, 0, '{D}13:00', now(), 10, 4)",
    # (id, conversation, message_type, private, time, sender_type, sender_id, content)
    "INSERT INTO messages (id, account_id, inbox_id, conversation_id, message_type, private, "
    "created_at, updated_at, sender_type, sender_id, content) SELECT id, 1, 1, conv, kind, "
    "priv, at::timestamp, at::timestamp, stype, sid, body FROM (VALUES "
    f"(1, 1, 0, false, '{D}09:00:00', 'Contact', 10, 'My order is late'),"
    f"(2, 1, 1, false, '{D}09:00:30', 'AgentBot', 1, 'Bot: have you checked tracking?'),"
    f"(3, 1, 2, false, '{D}09:01:00', NULL, NULL, 'Conversation assigned to Bruno'),"
    f"(4, 1, 1, true, '{D}09:02:00', 'User', 5, 'Private note: carrier delay'),"
    f"(5, 1, 1, false, '{D}09:10:00', 'User', 5, 'It ships today'),"
    f"(6, 2, 0, false, '{D}10:00:00', 'Contact', 11, 'Invoice wrong'),"
    f"(7, 2, 1, false, '{D}10:30:00', 'User', 6, 'Fixed'),"
    f"(8, 2, 0, false, '{D}11:00:00', 'Contact', 11, 'Still wrong'),"
    f"(9, 2, 1, false, '{D}11:20:00', 'User', 6, 'Fixed now'),"
    f"(10, 3, 0, false, '{D}12:00:00', 'Contact', 12, 'Hello?'),"
    f"(11, 3, 3, false, '{D}12:00:05', NULL, NULL, 'Please rate us (template)'),"
    f"(12, 4, 0, false, '{D}13:00:00', 'Contact', 10, 'Refund?'),"
    f"(13, 4, 1, false, '{D}13:00:10', NULL, NULL, 'We are away (automation)'),"
    f"(14, 4, 1, false, '{D}14:00:00', 'User', 5, 'Refund done')"
    ") AS v(id, conv, kind, priv, at, stype, sid, body)",
    "INSERT INTO reporting_events (name, value, user_id, conversation_id, created_at, "
    "updated_at, event_start_time, event_end_time) VALUES "
    f"('first_response', 30, 5, 1, '{D}09:00:30', now(), '{D}09:00', '{D}09:00:30'),"
    f"('conversation_bot_handoff', 60, NULL, 1, '{D}09:01', now(), '{D}09:00', '{D}09:01'),"
    f"('conversation_resolved', 1800, 5, 1, '{D}09:30', now(), '{D}09:00', '{D}09:30'),"
    f"('conversation_resolved', 2400, 6, 2, '{D}10:40', now(), '{D}10:00', '{D}10:40'),"
    f"('conversation_opened', 0, NULL, 2, '{D}11:00', now(), '{D}10:40', '{D}11:00'),"
    f"('conversation_resolved', 5400, 6, 2, '{D}11:30', now(), '{D}10:00', '{D}11:30')",
    "INSERT INTO csat_survey_responses (account_id, conversation_id, message_id, rating, "
    f"contact_id, created_at, updated_at) VALUES (1, 1, 11, 5, 10, '{D}09:40', now()), "
    f"(1, 2, 11, 2, 11, '{D}11:40', now())",
]

ZAMMAD_DDL = """
CREATE TABLE ticket_states (id serial PRIMARY KEY, state_type_id integer NOT NULL,
  name varchar(250) NOT NULL, active boolean DEFAULT true NOT NULL,
  updated_by_id integer NOT NULL, created_by_id integer NOT NULL,
  created_at timestamp(3) NOT NULL, updated_at timestamp(3) NOT NULL);
CREATE TABLE tickets (id serial PRIMARY KEY, group_id integer NOT NULL,
  priority_id integer NOT NULL, state_id integer NOT NULL, number varchar(60) NOT NULL,
  title varchar(250) NOT NULL, owner_id integer NOT NULL, customer_id integer NOT NULL,
  first_response_at timestamp(3), first_response_in_min integer, close_at timestamp(3),
  last_close_at timestamp(3), create_article_type_id integer,
  updated_by_id integer NOT NULL, created_by_id integer NOT NULL,
  created_at timestamp(3) NOT NULL, updated_at timestamp(3) NOT NULL);
CREATE TABLE ticket_article_types (id serial PRIMARY KEY, name varchar(250) NOT NULL,
  communication boolean DEFAULT false NOT NULL, active boolean DEFAULT true NOT NULL,
  updated_by_id integer NOT NULL, created_by_id integer NOT NULL,
  created_at timestamp(3) NOT NULL, updated_at timestamp(3) NOT NULL);
CREATE TABLE ticket_article_senders (id serial PRIMARY KEY, name varchar(250) NOT NULL,
  updated_by_id integer NOT NULL, created_by_id integer NOT NULL,
  created_at timestamp(3) NOT NULL, updated_at timestamp(3) NOT NULL);
CREATE TABLE ticket_articles (id serial PRIMARY KEY, ticket_id integer NOT NULL,
  type_id integer NOT NULL, sender_id integer NOT NULL, "from" varchar(3000),
  subject varchar(3000), content_type varchar(20) DEFAULT 'text/plain' NOT NULL,
  body text NOT NULL, internal boolean DEFAULT false NOT NULL,
  updated_by_id integer NOT NULL, created_by_id integer NOT NULL, origin_by_id integer,
  created_at timestamp(3) NOT NULL, updated_at timestamp(3) NOT NULL);
CREATE TABLE history_types (id serial PRIMARY KEY, name varchar(250) NOT NULL,
  created_at timestamp(3) NOT NULL, updated_at timestamp(3) NOT NULL);
CREATE TABLE history_objects (id serial PRIMARY KEY, name varchar(250) NOT NULL,
  note varchar(250), created_at timestamp(3) NOT NULL, updated_at timestamp(3) NOT NULL);
CREATE TABLE history_attributes (id serial PRIMARY KEY, name varchar(250) NOT NULL,
  created_at timestamp(3) NOT NULL, updated_at timestamp(3) NOT NULL);
CREATE TABLE histories (id bigserial PRIMARY KEY, history_type_id integer NOT NULL,
  history_object_id integer NOT NULL, history_attribute_id integer, o_id integer NOT NULL,
  related_o_id integer, related_history_object_id integer, id_to integer, id_from integer,
  value_from varchar(250), value_to varchar(250), created_by_id integer NOT NULL,
  created_at timestamp(3) NOT NULL, updated_at timestamp(3) NOT NULL);
"""
ZAMMAD_TYPES = ["email", "sms", "chat", "fax", "phone", "twitter status",
                "twitter direct-message", "facebook feed post", "facebook feed comment", "note",
                "web", "telegram personal-message", "facebook direct-message",
                "whatsapp message"]
ZAMMAD_ROWS = [
    "INSERT INTO ticket_article_types (id, name, communication, updated_by_id, created_by_id, "
    "created_at, updated_at) VALUES " + ", ".join(
        f"({i}, '{name}', {str(name != 'note').lower()}, 1, 1, now(), now())"
        for i, name in enumerate(ZAMMAD_TYPES, start=1)),
    "INSERT INTO ticket_article_senders (id, name, updated_by_id, created_by_id, created_at, "
    "updated_at) VALUES (1, 'Agent', 1, 1, now(), now()), (2, 'Customer', 1, 1, now(), now()),"
    " (3, 'System', 1, 1, now(), now())",
    "INSERT INTO ticket_states (id, state_type_id, name, updated_by_id, created_by_id, "
    "created_at, updated_at) VALUES (1, 1, 'new', 1, 1, now(), now()), "
    "(2, 2, 'open', 1, 1, now(), now()), (4, 5, 'closed', 1, 1, now(), now()), "
    "(5, 6, 'merged', 1, 1, now(), now())",
    "INSERT INTO tickets (id, group_id, priority_id, state_id, number, title, owner_id, "
    "customer_id, first_response_at, close_at, last_close_at, updated_by_id, created_by_id, "
    "created_at, updated_at) VALUES "
    f"(1, 1, 2, 4, '1001', 'Late order', 3, 20, '{D}08:20', '{D}09:00', '{D}09:00', 1, 1,"
    f" '{D}08:00', now()),"
    f"(2, 1, 2, 4, '1002', 'Invoice', 3, 21, '{D}10:45', '{D}11:00', '{D}13:00', 1, 1,"
    f" '{D}10:00', now()),"
    f"(3, 1, 2, 2, '1003', 'Question', 3, 22, NULL, NULL, NULL, 1, 1, '{D}14:00', now()),"
    f"(4, 1, 2, 5, '1004', 'Duplicate', 3, 20, '{D}15:05', '{D}15:06', '{D}15:06', 1, 1,"
    f" '{D}15:00', now()),"
    f"(5, 1, 2, 2, '1005', 'Messenger', 3, 23, '{D}16:30', NULL, NULL, 1, 1, '{D}16:00', now()),"
    # t6: closed 17:20, reopened by the agent 17:30 with no customer article, closed 18:00.
    f"(6, 1, 2, 4, '1006', 'Reopened', 3, 24, '{D}17:10', '{D}17:20', '{D}18:00', 1, 1,"
    f" '{D}17:00', now())",
    # (id, ticket, type, sender, internal, created_by, time, body)
    "INSERT INTO ticket_articles (id, ticket_id, type_id, sender_id, internal, body, "
    "updated_by_id, created_by_id, created_at, updated_at) SELECT id, t, ty, s, i, b, c, c, "
    "at::timestamp, at::timestamp FROM (VALUES "
    f"(1, 1, 1, 2, false, 20, '{D}08:00:00', 'Where is my order?'),"
    f"(2, 1, 1, 3, false, 1, '{D}08:00:10', 'Auto reply: we got your mail'),"
    f"(3, 1, 10, 1, true, 3, '{D}08:05:00', 'Internal: ask the warehouse'),"
    f"(4, 1, 1, 1, false, 3, '{D}08:20:00', 'It ships today'),"
    f"(5, 2, 5, 2, false, 3, '{D}10:00:00', 'Phone call logged by the agent'),"
    f"(6, 2, 5, 1, false, 3, '{D}10:45:00', 'Called back'),"
    f"(7, 2, 11, 2, false, 21, '{D}12:00:00', 'Still wrong (web form)'),"
    f"(8, 2, 1, 1, false, 3, '{D}12:50:00', 'Corrected'),"
    f"(9, 3, 11, 2, false, 22, '{D}14:00:00', 'A question'),"
    f"(10, 3, 10, 1, true, 3, '{D}14:10:00', 'Internal: who knows this?'),"
    f"(11, 4, 1, 2, false, 20, '{D}15:00:00', 'Duplicate mail'),"
    f"(12, 4, 1, 1, false, 3, '{D}15:05:00', 'Merged'),"
    f"(13, 5, 13, 2, false, 23, '{D}16:00:00', 'Hi on Messenger'),"
    f"(14, 5, 13, 1, true, 3, '{D}16:01:00', 'Internal on a communication type'),"
    f"(15, 5, 13, 1, false, 3, '{D}16:30:00', 'Answer on Messenger'),"
    f"(16, 6, 1, 2, false, 24, '{D}17:00:00', 'Cancel my plan'),"
    f"(17, 6, 1, 1, false, 3, '{D}17:10:00', 'Cancelled')"
    ") AS v(id, t, ty, s, i, c, at, b)",
    "INSERT INTO history_types (id, name, created_at, updated_at) VALUES "
    "(1, 'created', now(), now()), (2, 'updated', now(), now())",
    "INSERT INTO history_objects (id, name, created_at, updated_at) VALUES "
    "(1, 'Ticket', now(), now()), (2, 'Ticket::Article', now(), now())",
    "INSERT INTO history_attributes (id, name, created_at, updated_at) VALUES "
    "(1, 'state', now(), now()), (2, 'priority', now(), now())",
    # (ticket, attribute, from, to, time): state changes and one priority change (ignored).
    "INSERT INTO histories (history_type_id, history_object_id, history_attribute_id, o_id, "
    "value_from, value_to, created_by_id, created_at, updated_at) SELECT 2, 1, attr, t, vf, "
    "vt, 3, at::timestamp, at::timestamp FROM (VALUES "
    f"(1, 1, 'new', 'closed', '{D}09:00'),"
    f"(2, 1, 'new', 'closed', '{D}11:00'), (2, 1, 'closed', 'open', '{D}12:00'),"
    f"(2, 1, 'open', 'closed', '{D}13:00'),"
    f"(4, 1, 'open', 'merged', '{D}15:06'),"
    f"(6, 1, 'new', 'closed', '{D}17:20'), (6, 2, '2 normal', '3 high', '{D}17:25'),"
    f"(6, 1, 'closed', 'open', '{D}17:30'), (6, 1, 'open', 'closed', '{D}18:00')"
    ") AS v(t, attr, vf, vt, at)",
]


@pytest.fixture(scope="module")
def server():
    with postgres_cluster() as dsn:
        if dsn.startswith("skip:"):
            pytest.skip(dsn[5:].strip())
        yield dsn


def _database(server, name, ddl, rows):
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    dsn = server.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(dsn) as db:
        db.execute(ddl)
        for statement in rows:
            db.execute(statement)
    return dsn


def _dump(dsn, folder, tables):
    """Each table as psql's ``\\copy table TO 'table.csv' CSV HEADER`` writes it."""
    folder.mkdir()
    with psycopg.connect(dsn) as db, db.cursor() as cursor:
        for table in tables:
            with (folder / f"{table}.csv").open("wb") as out, cursor.copy(
                    f"COPY {table} TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
                for chunk in copy:
                    out.write(chunk)
    return folder


@pytest.fixture(scope="module")
def chatwoot(server, tmp_path_factory):
    dsn = _database(server, "chatwoot", CHATWOOT_DDL, CHATWOOT_ROWS)
    dump = _dump(dsn, tmp_path_factory.mktemp("cw") / "dump",
                 ["inboxes", "conversations", "messages", "reporting_events",
                  "csat_survey_responses", "working_hours"])
    return dsn, dump


@pytest.fixture(scope="module")
def zammad(server, tmp_path_factory):
    dsn = _database(server, "zammad", ZAMMAD_DDL, ZAMMAD_ROWS)
    dump = _dump(dsn, tmp_path_factory.mktemp("zm") / "dump",
                 ["ticket_states", "tickets", "ticket_article_types", "ticket_article_senders",
                  "ticket_articles", "histories", "history_objects", "history_attributes"])
    return dsn, dump


#: Twilio inboxes (Chatwoot ``db/schema.rb`` ``channel_twilio_sms``, ``medium`` an enum
#: ``sms: 0, whatsapp: 1``; a WhatsApp number is stored as ``whatsapp:+...``): inbox 4 is
#: WhatsApp by its medium, inbox 5 only by its number, inbox 6 is SMS.
TWILIO_DDL = """
CREATE TABLE channel_twilio_sms (id bigserial PRIMARY KEY, phone_number varchar,
  auth_token varchar NOT NULL, account_sid varchar NOT NULL, account_id integer NOT NULL,
  created_at timestamp NOT NULL, updated_at timestamp NOT NULL, medium integer DEFAULT 0,
  messaging_service_sid varchar, api_key_sid varchar);
"""
TWILIO_ROWS = [
    "INSERT INTO channel_twilio_sms (id, phone_number, auth_token, account_sid, account_id, "
    "created_at, updated_at, medium) VALUES "
    "(7, 'whatsapp:+14155238886', 't', 'AC1', 1, now(), now(), 1), "
    "(8, 'whatsapp:+14155230000', 't', 'AC1', 1, now(), now(), NULL), "
    "(9, '+14155239999', 't', 'AC1', 1, now(), now(), 0)",
    "INSERT INTO inboxes (id, channel_id, account_id, name, created_at, updated_at, "
    "channel_type) VALUES (4, 7, 1, 'WhatsApp', now(), now(), 'Channel::TwilioSms'), "
    "(5, 8, 1, 'WhatsApp 2', now(), now(), 'Channel::TwilioSms'), "
    "(6, 9, 1, 'SMS', now(), now(), 'Channel::TwilioSms')",
    "INSERT INTO conversations (id, account_id, inbox_id, created_at, updated_at, contact_id, "
    f"display_id) VALUES (5, 1, 4, '{D}09:00', now(), 30, 5), "
    f"(6, 1, 5, '{D}10:00', now(), 31, 6), (7, 1, 6, '{D}11:00', now(), 32, 7)",
    "INSERT INTO messages (id, account_id, inbox_id, conversation_id, message_type, "
    "created_at, updated_at, sender_type, sender_id, content) VALUES "
    f"(1, 1, 4, 5, 0, '{D}09:00', '{D}09:00', 'Contact', 30, 'Oi'), "
    f"(2, 1, 5, 6, 0, '{D}10:00', '{D}10:00', 'Contact', 31, 'Olá'), "
    f"(3, 1, 6, 7, 0, '{D}11:00', '{D}11:00', 'Contact', 32, 'Hi')",
]
TWILIO_TABLES = ["inboxes", "conversations", "messages", "reporting_events",
                 "channel_twilio_sms"]


@pytest.fixture(scope="module")
def twilio(server, tmp_path_factory):
    dsn = _database(server, "chatwoot_twilio", CHATWOOT_DDL + TWILIO_DDL, TWILIO_ROWS)
    return dsn, _dump(dsn, tmp_path_factory.mktemp("tw") / "dump", TWILIO_TABLES)


@pytest.mark.parametrize("where", ["dsn", "dump"])
def test_chatwoot_twilio_whatsapp_is_whatsapp_not_sms(twilio, where):
    log = load_helpdesk("chatwoot", twilio[0] if where == "dsn" else twilio[1])
    channels = log.messages.groupby("conversation_id")["channel"].first().to_dict()
    assert channels == {"5": "whatsapp", "6": "whatsapp", "7": "sms"}


def test_chatwoot_twilio_without_its_channel_table_stays_sms(twilio, tmp_path):
    folder = tmp_path / "dump"
    folder.mkdir()
    for table in TWILIO_TABLES[:-1]:
        (folder / f"{table}.csv").write_bytes((twilio[1] / f"{table}.csv").read_bytes())
    log = load_helpdesk("chatwoot", folder)
    assert set(log.messages["channel"]) == {"sms"}


def _facts(log):
    return analyse(log, Settings(), "UTC").facts.set_index("conversation_id")


@pytest.mark.parametrize("where", ["dsn", "dump"])
def test_chatwoot(chatwoot, where):
    log = load_helpdesk("chatwoot", chatwoot[0] if where == "dsn" else chatwoot[1])
    messages = log.messages.set_index("message_id")
    # Left out: activity row 3, private note 4, template 11.
    assert sorted(messages.index, key=int) == ["1", "2", "5", "6", "7", "8", "9", "10", "12",
                                               "13", "14"]
    assert messages.loc["2", "author_type"] == "bot"      # AgentBot
    assert messages.loc["13", "author_type"] == "system"  # outgoing, no sender
    assert messages.loc["5", ["author_type", "agent_id"]].tolist() == ["agent", "5"]
    facts = _facts(log)
    # c1: 09:00 -> human reply 09:10 (the bot at 09:00:30 and the note at 09:02 do not count)
    # c2: 10:00 -> 10:30; c3: never answered; c4: 13:00 -> 14:00 (automation skipped)
    assert facts["first_response_s"].to_dict() == pytest.approx(
        {"1": 600, "2": 1800, "3": float("nan"), "4": 3600}, nan_ok=True)
    assert facts["first_response_s"].median() == 1800
    # The bot handed c1 over at 09:01: Chatwoot's clock would start there (9 min); ours
    # starts at the customer's message (10 min) and keeps the handoff as an event.
    handoffs = log.events[log.events["event"] == "handoff"]
    assert handoffs[["conversation_id", "at"]].values.tolist() == [
        ["1", pd.Timestamp(f"{D}09:01", tz="UTC")]]
    assert log.messages.groupby("conversation_id")["channel"].first().to_dict() == {
        "1": "chat", "2": "email", "3": "facebook_dm", "4": "chat"}
    # c2 resolved 10:40, reopened by the customer at 11:00, resolved again 11:30.
    assert facts.loc["2", "resolution_first_s"] == 2400
    assert facts.loc["2", "resolution_full_s"] == 5400
    assert bool(facts.loc["2", "reopened"]) and not bool(facts.loc["1", "reopened"])
    assert facts.loc["1", "resolution_first_s"] == 1800
    assert not facts.loc["3", "resolved"] and not facts.loc["4", "resolved"]
    # CSAT: c1 rated 5, c2 rated 2, c3 and c4 not rated -> 1 of 2 rated satisfied.
    csat = satisfaction_summary(facts.reset_index(), log.conversation_attributes)
    assert (csat["rated"], csat["csat"], csat["not_rated_share"]) == (2, 0.5, 0.5)


@pytest.mark.parametrize("where", ["dsn", "dump"])
def test_zammad(zammad, where):
    log = load_helpdesk("zammad", zammad[0] if where == "dsn" else zammad[1])
    messages = log.messages.set_index("message_id")
    # Left out: internal articles 3, 10, 14 and the merged ticket 4 (articles 11, 12).
    assert sorted(messages.index, key=int) == ["1", "2", "4", "5", "6", "7", "8", "9", "13",
                                               "15", "16", "17"]
    assert messages.loc["2", "author_type"] == "bot"  # sender System
    facts = _facts(log)
    # t1 08:00 -> 08:20; t2 10:00 -> 10:45; t3 unanswered; t5 16:00 -> 16:30.
    assert facts["first_response_s"].to_dict() == pytest.approx(
        {"1": 1200, "2": 2700, "3": float("nan"), "5": 1800, "6": 600}, nan_ok=True)
    # Zammad's own first_response_at agrees where it is set (t1 08:20, t2 10:45, t5 16:30).
    assert log.messages.groupby("conversation_id")["channel"].first().to_dict() == {
        "1": "email", "2": "phone", "3": "web_form", "5": "facebook_dm", "6": "email"}
    # t2: close_at 11:00 (1 h), last_close_at 13:00 (3 h); the customer wrote at 12:00.
    assert facts.loc["2", "resolution_first_s"] == 3600
    assert facts.loc["2", "resolution_full_s"] == 3 * 3600
    assert bool(facts.loc["2", "reopened"])
    assert facts.loc["1", "resolution_full_s"] == 3600
    assert not facts.loc["3", "resolved"] and not facts.loc["5", "resolved"]
    # t6: the agent reopened it with no customer article: only the histories show it.
    assert (facts.loc["6", "resolution_first_s"], facts.loc["6", "resolution_full_s"]) == (
        1200, 3600)
    assert bool(facts.loc["6", "reopened"])


def test_zammad_without_histories_uses_close_at(zammad, tmp_path):
    folder = tmp_path / "dump"
    folder.mkdir()
    for table in ("ticket_states", "tickets", "ticket_article_types", "ticket_article_senders",
                  "ticket_articles"):
        (folder / f"{table}.csv").write_bytes((zammad[1] / f"{table}.csv").read_bytes())
    facts = _facts(load_helpdesk("zammad", folder))
    # close_at 17:20 and last_close_at 18:00 still give both resolutions, but the reopen
    # between them (no customer article) is not seen; t2's is (the customer wrote at 12:00).
    assert (facts.loc["6", "resolution_first_s"], facts.loc["6", "resolution_full_s"]) == (
        1200, 3600)
    assert not bool(facts.loc["6", "reopened"]) and bool(facts.loc["2", "reopened"])


def test_a_dumped_table_with_no_rows_yet_is_read(chatwoot, tmp_path):
    # psql dumps an empty table (no resolution yet) as its header line alone.
    folder = tmp_path / "dump"
    folder.mkdir()
    for table in ("inboxes", "conversations", "messages"):
        (folder / f"{table}.csv").write_bytes((chatwoot[1] / f"{table}.csv").read_bytes())
    header = (chatwoot[1] / "reporting_events.csv").read_text().splitlines()[0]
    (folder / "reporting_events.csv").write_text(header + "\n")
    log = load_helpdesk("chatwoot", folder)
    assert log.events.empty and len(log.messages) == 11


#: Custom states (Zammad lets an admin add states of any type): 8 'solved by phone' of type
#: closed (5), 9 'awaiting parts' of type pending action (4), 10 'duplicate' of type merged
#: (6), beside the seeded 1 new, 2 open, 4 closed.
STATES_DDL = """
CREATE TABLE ticket_state_types (id serial PRIMARY KEY, name varchar(250) NOT NULL,
  note varchar(250), updated_by_id integer NOT NULL, created_by_id integer NOT NULL,
  created_at timestamp(3) NOT NULL, updated_at timestamp(3) NOT NULL);
"""
STATE_TYPES = ["new", "open", "pending reminder", "pending action", "closed", "merged",
               "removed"]
STATES_ROWS = ZAMMAD_ROWS[:2] + ZAMMAD_ROWS[-3:-1] + [
    "INSERT INTO ticket_state_types (id, name, updated_by_id, created_by_id, created_at, "
    "updated_at) VALUES " + ", ".join(f"({i}, '{name}', 1, 1, now(), now())"
                                      for i, name in enumerate(STATE_TYPES, start=1)),
    "INSERT INTO ticket_states (id, state_type_id, name, updated_by_id, created_by_id, "
    "created_at, updated_at) SELECT id, type, name, 1, 1, now(), now() FROM (VALUES "
    "(1, 1, 'new'), (2, 2, 'open'), (4, 5, 'closed'), (8, 5, 'solved by phone'), "
    "(9, 4, 'awaiting parts'), (10, 6, 'duplicate')) AS v(id, type, name)",
    "INSERT INTO tickets (id, group_id, priority_id, state_id, number, title, owner_id, "
    "customer_id, close_at, last_close_at, updated_by_id, created_by_id, created_at, "
    f"updated_at) VALUES (1, 1, 2, 8, '2001', 'Phone fix', 3, 40, '{D}09:00', '{D}09:00', 1, "
    f"1, '{D}08:00', now()), (2, 1, 2, 4, '2002', 'Parts', 3, 41, '{D}10:30', '{D}12:00', 1, "
    f"1, '{D}10:00', now()), (3, 1, 2, 10, '2003', 'Dup', 3, 40, NULL, NULL, 1, 1, "
    f"'{D}13:00', now()), (4, 1, 2, 2, '2004', 'Open', 3, 42, NULL, NULL, 1, 1, '{D}14:00', "
    "now())",
    "INSERT INTO ticket_articles (id, ticket_id, type_id, sender_id, internal, body, "
    "updated_by_id, created_by_id, created_at, updated_at) SELECT id, t, 1, s, false, 'x', 3, "
    "3, at::timestamp, at::timestamp FROM (VALUES "
    f"(1, 1, 2, '{D}08:00'), (2, 1, 1, '{D}08:30'), (3, 2, 2, '{D}10:00'), "
    f"(4, 2, 1, '{D}10:10'), (5, 3, 2, '{D}13:00'), (6, 4, 2, '{D}14:00')"
    ") AS v(id, t, s, at)",
    # t1 carries state ids (id_to 8 under the name the state had then: the id decides); t2
    # names only: new -> solved by phone (a resolve), -> closed (still closed: no new
    # resolve), -> awaiting parts (a reopen), -> closed (a resolve).
    "INSERT INTO histories (history_type_id, history_object_id, history_attribute_id, o_id, "
    "id_from, id_to, value_from, value_to, created_by_id, created_at, updated_at) "
    "SELECT 2, 1, 1, t, f, i, vf, vt, 3, at::timestamp, at::timestamp FROM (VALUES "
    f"(1, 1, 8, 'new', 'phone fix', '{D}09:00'),"
    f"(2, NULL, NULL, 'new', 'solved by phone', '{D}10:30'),"
    f"(2, NULL, NULL, 'solved by phone', 'closed', '{D}10:40'),"
    f"(2, NULL, NULL, 'closed', 'awaiting parts', '{D}11:00'),"
    f"(2, NULL, NULL, 'awaiting parts', 'closed', '{D}12:00')"
    ") AS v(t, f, i, vf, vt, at)",
]
STATES_TABLES = ["ticket_state_types", "ticket_states", "tickets", "ticket_article_types",
                 "ticket_article_senders", "ticket_articles", "histories", "history_objects",
                 "history_attributes"]


@pytest.fixture(scope="module")
def zammad_states(server, tmp_path_factory):
    dsn = _database(server, "zammad_states", ZAMMAD_DDL + STATES_DDL, STATES_ROWS)
    return dsn, _dump(dsn, tmp_path_factory.mktemp("zs") / "dump", STATES_TABLES)


def _copy_tables(dump, folder, tables):
    folder.mkdir()
    for table in tables:
        (folder / f"{table}.csv").write_bytes((dump / f"{table}.csv").read_bytes())
    return folder


@pytest.mark.parametrize("where", ["dsn", "dump", "dump without state types"])
def test_zammad_custom_closed_states_resolve(zammad_states, where, tmp_path):
    location = {"dsn": zammad_states[0], "dump": zammad_states[1],
                "dump without state types": _copy_tables(zammad_states[1], tmp_path / "d",
                                                         STATES_TABLES[1:])}[where]
    log = load_helpdesk("zammad", location)
    facts = _facts(log)
    # t3 sits in 'duplicate', a merged-type state: left out like a merged ticket.
    assert sorted(facts.index) == ["1", "2", "4"]
    # t1: 08:00 -> 'solved by phone' (id 8, type closed) at 09:00.
    assert facts.loc["1", "resolution_first_s"] == 3600 and not bool(facts.loc["1", "reopened"])
    # t2: resolved 10:30 (30 min; the 10:40 move to 'closed' is no new resolve), reopened
    # 11:00 ('awaiting parts' is not closed), resolved again 12:00 (2 h).
    assert (facts.loc["2", "resolution_first_s"], facts.loc["2", "resolution_full_s"]) == (
        1800, 7200)
    assert bool(facts.loc["2", "reopened"])
    assert log.events.loc[log.events["conversation_id"] == "2", "event"].tolist() == [
        "resolved", "reopened", "resolved"]
    assert not facts.loc["4", "resolved"]


def test_zammad_custom_states_without_histories_use_close_at(zammad_states, tmp_path):
    folder = _copy_tables(zammad_states[1], tmp_path / "d", STATES_TABLES[:6])
    facts = _facts(load_helpdesk("zammad", folder))
    assert sorted(facts.index) == ["1", "2", "4"]   # 'duplicate' (merged type) left out
    assert facts.loc["1", "resolution_first_s"] == 3600
    assert (facts.loc["2", "resolution_first_s"], facts.loc["2", "resolution_full_s"]) == (
        1800, 7200)


def test_dump_and_database_give_the_same_log(chatwoot, zammad):
    for name, (dsn, dump) in (("chatwoot", chatwoot), ("zammad", zammad)):
        from_dsn, from_dump = load_helpdesk(name, dsn), load_helpdesk(name, dump)
        pd.testing.assert_frame_equal(from_dsn.messages, from_dump.messages)
        pd.testing.assert_frame_equal(from_dsn.events, from_dump.events)


def test_cli_metrics_on_a_database(chatwoot, capsys):
    status = main(["metrics", "--source", "chatwoot", "--dsn", chatwoot[0],
                   "--period", "2024-03", "--json"])
    assert status == 0
    assert '"median_s": 1800' in capsys.readouterr().out.replace(".0", "")


def test_missing_table_and_column_are_named(zammad, tmp_path):
    folder = tmp_path / "partial"
    folder.mkdir()
    for table in ("tickets", "ticket_article_types", "ticket_article_senders"):
        (folder / f"{table}.csv").write_bytes((zammad[1] / f"{table}.csv").read_bytes())
    with pytest.raises(InputError, match="table ticket_articles not found.*copy ticket_articles"):
        load_helpdesk("zammad", folder)
    (folder / "ticket_articles.csv").write_text("id,ticket_id\n1,1\n")
    with pytest.raises(InputError, match="missing column"):
        load_helpdesk("zammad", folder)


def test_unreachable_database_is_one_line_without_the_password():
    with pytest.raises(InputError) as caught:
        load_helpdesk("chatwoot", "postgresql://bot:secret@127.0.0.1:1/chatwoot")
    assert "secret" not in str(caught.value) and "cannot connect" in str(caught.value)


WEEKDAYS = "; ".join(f"{day} 09:00-18:00" for day in ("mon", "tue", "wed", "thu", "fri"))


@pytest.mark.parametrize("where", ["dsn", "dump"])
def test_chatwoot_calendar_is_offered(chatwoot, where):
    offered = chatwoot_calendar(chatwoot[0] if where == "dsn" else chatwoot[1])
    assert offered == {"tz": "America/Sao_Paulo", "hours": WEEKDAYS}


def test_metrics_uses_the_inbox_calendar_unless_told(chatwoot, capsys):
    import json

    assert main(["metrics", "--source", "chatwoot", "--dsn", chatwoot[0], "--period",
                 "2024-03", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["period"]["tz"] == "America/Sao_Paulo"
    assert summary["parameters"]["hours"] == WEEKDAYS
    assert main(["metrics", "--source", "chatwoot", "--input", str(chatwoot[1]), "--tz", "UTC",
                 "--hours", "always", "--period", "2024-03", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["period"]["tz"], summary["parameters"]["hours"]) == ("UTC", "always")


@pytest.mark.slow
def test_render_from_a_database(chatwoot, tmp_path):
    assert main(["render", "--source", "chatwoot", "--dsn", chatwoot[0], "--period", "2024-03",
                 "--notebooks", "summary", "--output", str(tmp_path)]) == 0
    page = next(tmp_path.rglob("summary.html")).read_text(encoding="utf-8")
    assert "Chatwoot database" in page and "Mon 09:00–18:00" in page  # hours in the reader's words


@pytest.mark.parametrize("dsn", ["postgresql://bot:secret@127.0.0.1:5432/chatwoot",
                                 "postgresql://127.0.0.1/chatwoot?password=secret"])
def test_a_dsn_with_a_password_is_refused(dsn, capsys):
    assert main(["metrics", "--source", "chatwoot", "--dsn", dsn, "--period", "2024-03"]) == 2
    error = capsys.readouterr().err
    assert "PGPASSWORD" in error and "secret" not in error
