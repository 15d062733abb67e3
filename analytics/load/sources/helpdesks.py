"""Built-in connectors for the Chatwoot and Zammad databases (``--source chatwoot|zammad``).

Either a PostgreSQL database (``--dsn postgresql://user@host:port/db``, read through psycopg:
DuckDB's postgres extension cannot be installed offline) or a folder of the helpdesk's tables
dumped as CSV with a header (``--input DUMP_FOLDER``, one ``<table>.csv`` per table, e.g.
``\\copy messages TO 'messages.csv' CSV HEADER`` in psql). Only the columns below are read,
all as text, so both give the same tables; one DuckDB query per connector then joins and
filters them into the message log. Written from the helpdesks' own schemas (Chatwoot
``db/schema.rb``, ``app/models/message.rb``, ``app/listeners/reporting_event_listener.rb``;
Zammad ``db/migrate/20120101000010_create_ticket.rb`` and ``db/seeds``); where the figures
differ from the helpdesk's own reports is in ``docs/metrics.md``.

Chatwoot
    A message is kept when ``message_type`` is 0 (incoming) or 1 (outgoing) and ``private``
    is false: activity rows (2), templates (3) and private notes are left out. Channel from
    the conversation's inbox ``channel_type`` (a ``Channel::TwilioSms`` inbox is ``whatsapp``
    when ``channel_twilio_sms`` says so); customer = ``conversations.contact_id``;
    outgoing messages are ``agent`` when ``sender_type`` is ``User``, ``bot`` for
    ``AgentBot`` and ``Captain::Assistant``, ``system`` otherwise (automations, greetings with
    no sender). Events from ``reporting_events``: ``conversation_resolved`` (one per resolve),
    ``conversation_opened`` (a reopen) and ``conversation_bot_handoff``, at
    ``event_end_time``. CSAT from ``csat_survey_responses.rating`` (1-5, the latest per
    conversation).
Zammad
    An article is kept when ``internal`` is false and its type is a communication type (not
    ``note``). Channel from ``ticket_article_types.name``; customer = ``tickets.customer_id``;
    sender ``Customer`` inbound, ``Agent`` an agent reply, ``System`` a bot (triggers,
    auto-replies). A state counts by its type (``ticket_states.state_type_id`` ->
    ``ticket_state_types.name``), so the states an admin adds of type ``closed`` resolve as
    ``closed`` does; without ``ticket_state_types`` the seeded type ids (5 closed, 6 merged,
    7 removed) stand for their names, and without ``ticket_states`` the state's own name.
    Resolutions: with ``histories`` (and ``history_objects``, ``history_attributes``), every
    state change into a closed-type state from another type is a resolve and every change from
    a closed-type state to one not closed, merged or removed a reopen; without them,
    ``close_at`` (the first close) and ``last_close_at`` when later. Tickets in a merged- or
    removed-type state are left out.

Timestamps of both are ``timestamp without time zone`` holding UTC (Rails' default).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analytics.errors import InputError
from analytics.load.schema import SupportLog, is_member, validate_events, validate_messages
from analytics.load.sources.sql import run_query

#: Tables and columns read, per connector; tables marked optional may be absent.
TABLES = {
    "chatwoot": {
        "messages": ("id", "conversation_id", "message_type", "private", "created_at",
                     "sender_type", "sender_id", "content"),
        "conversations": ("id", "inbox_id", "contact_id"),
        "inboxes": ("id", "channel_id", "channel_type"),
        "reporting_events": ("name", "conversation_id", "user_id", "event_end_time",
                             "created_at"),
        "csat_survey_responses": ("conversation_id", "rating", "created_at"),
        "channel_twilio_sms": ("id", "medium", "phone_number"),
    },
    "zammad": {
        "tickets": ("id", "customer_id", "state_id", "close_at", "last_close_at"),
        "ticket_articles": ("id", "ticket_id", "type_id", "sender_id", "internal",
                            "created_by_id", "body", "created_at"),
        "ticket_article_types": ("id", "name", "communication"),
        "ticket_article_senders": ("id", "name"),
        "ticket_states": ("id", "name", "state_type_id"),
        "ticket_state_types": ("id", "name"),
        "histories": ("o_id", "history_object_id", "history_attribute_id", "id_from", "id_to",
                      "value_from", "value_to", "created_at"),
        "history_objects": ("id", "name"),
        "history_attributes": ("id", "name"),
    },
}
OPTIONAL = {"chatwoot": ("csat_survey_responses", "channel_twilio_sms"),
            "zammad": ("ticket_states", "ticket_state_types", "histories", "history_objects",
                       "history_attributes")}
_HISTORIES = ("histories", "history_objects", "history_attributes")
NAMES = {"chatwoot": "Chatwoot", "zammad": "Zammad"}

_TRUE = "lower(trim({0})) IN ('t', 'true', '1')"

#: Chatwoot inbox channel_type -> log channel. Facebook and Instagram inboxes carry direct
#: messages (private), not posts; Twitter inboxes carry both tweets and DMs (public by default).
CHATWOOT_CHANNELS = {
    "Channel::WebWidget": "chat", "Channel::Email": "email", "Channel::Whatsapp": "whatsapp",
    "Channel::TwilioSms": "sms", "Channel::Sms": "sms", "Channel::FacebookPage": "facebook_dm",
    "Channel::Instagram": "instagram_dm", "Channel::TwitterProfile": "twitter",
    "Channel::Telegram": "telegram", "Channel::Line": "line", "Channel::Api": "api",
    "Channel::Voice": "phone",
}
#: Zammad article type name -> log channel (the seeded types, ids 1-14 but ``note``).
ZAMMAD_CHANNELS = {
    "email": "email", "sms": "sms", "chat": "chat", "fax": "fax", "phone": "phone",
    "twitter status": "twitter", "twitter direct-message": "twitter_dm",
    "facebook feed post": "facebook", "facebook feed comment": "facebook", "web": "web_form",
    "telegram personal-message": "telegram", "facebook direct-message": "facebook_dm",
    "whatsapp message": "whatsapp",
}


def _values(mapping: dict) -> str:
    rows = ", ".join(f"('{key}', '{value}')" for key, value in mapping.items())
    return f"channel_names(name, channel) AS (VALUES {rows})"


#: A ``Channel::TwilioSms`` inbox carries WhatsApp when its ``channel_twilio_sms`` row says
#: ``medium`` 1 (Chatwoot's enum ``sms: 0, whatsapp: 1``) or its number is a Twilio WhatsApp
#: address (``whatsapp:+55...``); without that table it stays ``sms``.
CHATWOOT_TWILIO = {
    "join": "LEFT JOIN channel_twilio_sms tw ON i.channel_type = 'Channel::TwilioSms' "
            "AND tw.id = i.channel_id",
    "whatsapp": "lower(trim(coalesce(tw.medium, ''))) IN ('1', 'whatsapp') "
                "OR lower(trim(coalesce(tw.phone_number, ''))) LIKE 'whatsapp:%'",
}
CHATWOOT_MESSAGES = f"""
WITH {_values(CHATWOOT_CHANNELS)}
SELECT m.id AS message_id, m.conversation_id, c.contact_id AS customer_id,
       CASE WHEN {{twilio_whatsapp}} THEN 'whatsapp'
            ELSE coalesce(n.channel, lower(regexp_replace(coalesce(i.channel_type, 'unknown'),
                                                          '^Channel::', ''))) END AS channel,
       CAST(m.created_at AS TIMESTAMP) AS sent_at,
       CASE WHEN CAST(m.message_type AS INTEGER) = 0 THEN 'inbound' ELSE 'outbound' END
           AS direction,
       CASE WHEN CAST(m.message_type AS INTEGER) = 0 THEN 'customer'
            WHEN m.sender_type = 'User' THEN 'agent'
            WHEN m.sender_type IN ('AgentBot', 'Captain::Assistant') THEN 'bot'
            ELSE 'system' END AS author_type,
       CASE WHEN CAST(m.message_type AS INTEGER) = 1 AND m.sender_type = 'User'
            THEN m.sender_id
            WHEN CAST(m.message_type AS INTEGER) = 1 AND m.sender_type IS NOT NULL
            THEN m.sender_type || '-' || m.sender_id END AS agent_id,
       m.content AS text
FROM messages m
JOIN conversations c ON c.id = m.conversation_id
LEFT JOIN inboxes i ON i.id = c.inbox_id
{{twilio_join}}
LEFT JOIN channel_names n ON n.name = i.channel_type
WHERE CAST(m.message_type AS INTEGER) IN (0, 1)
  AND NOT coalesce({_TRUE.format("m.private")}, false)
ORDER BY sent_at, CAST(m.id AS BIGINT)
"""
CHATWOOT_EVENTS = """
SELECT conversation_id,
       CASE name WHEN 'conversation_resolved' THEN 'resolved'
                 WHEN 'conversation_opened' THEN 'reopened' ELSE 'handoff' END AS event,
       CAST(coalesce(event_end_time, created_at) AS TIMESTAMP) AS at, user_id AS agent_id
FROM reporting_events
WHERE name IN ('conversation_resolved', 'conversation_opened', 'conversation_bot_handoff')
"""
CHATWOOT_CSAT = """
SELECT conversation_id, CAST(rating AS INTEGER) AS score
FROM csat_survey_responses
QUALIFY row_number() OVER (PARTITION BY conversation_id
                           ORDER BY CAST(created_at AS TIMESTAMP) DESC) = 1
"""
#: Each ticket state with the name of its type (``kind``), lower-cased.
ZAMMAD_STATES = """
state_kinds AS (
  SELECT st.id, st.name,
         lower(trim(coalesce({type_name},
                             CASE trim(st.state_type_id) WHEN '5' THEN 'closed'
                                  WHEN '6' THEN 'merged' WHEN '7' THEN 'removed' END,
                             st.name))) AS kind
  FROM ticket_states st {type_join})
"""
#: No ``ticket_states`` table: no kinds, so a state is read by its own name.
ZAMMAD_NO_STATES = """
state_kinds AS (SELECT CAST(NULL AS VARCHAR) AS id, CAST(NULL AS VARCHAR) AS name,
                       CAST(NULL AS VARCHAR) AS kind WHERE false)
"""
ZAMMAD_LIVE = """
{states}, live AS (SELECT t.* FROM tickets t LEFT JOIN state_kinds k ON k.id = t.state_id
                   WHERE coalesce(k.kind, '') NOT IN ('merged', 'removed'))
"""
ZAMMAD_MESSAGES = f"""
WITH {_values(ZAMMAD_CHANNELS)}, {{live}}
SELECT a.id AS message_id, a.ticket_id AS conversation_id, t.customer_id,
       coalesce(n.channel, replace(lower(ty.name), ' ', '_')) AS channel,
       CAST(a.created_at AS TIMESTAMP) AS sent_at,
       CASE WHEN s.name = 'Customer' THEN 'inbound' ELSE 'outbound' END AS direction,
       CASE s.name WHEN 'Customer' THEN 'customer' WHEN 'Agent' THEN 'agent' ELSE 'bot' END
           AS author_type,
       CASE WHEN s.name = 'Agent' THEN a.created_by_id END AS agent_id,
       a.body AS text
FROM ticket_articles a
JOIN live t ON t.id = a.ticket_id
JOIN ticket_article_types ty ON ty.id = a.type_id
JOIN ticket_article_senders s ON s.id = a.sender_id
LEFT JOIN channel_names n ON n.name = lower(ty.name)
WHERE NOT coalesce({_TRUE.format("a.internal")}, false)
  AND coalesce({_TRUE.format("ty.communication")}, false)
ORDER BY sent_at, CAST(a.id AS BIGINT)
"""
ZAMMAD_EVENTS = """
WITH {live}
SELECT id AS conversation_id, 'resolved' AS event, CAST(close_at AS TIMESTAMP) AS at
FROM live WHERE close_at IS NOT NULL
UNION ALL
SELECT id, 'resolved', CAST(last_close_at AS TIMESTAMP)
FROM live WHERE last_close_at IS NOT NULL AND close_at IS NOT NULL
            AND CAST(last_close_at AS TIMESTAMP) > CAST(close_at AS TIMESTAMP)
"""
#: With ``histories``: every state change of a ticket into a closed-type state from another
#: type is a resolve, and every change from a closed-type state to a state not closed, merged
#: or removed a reopen. A history row names the states (``value_from``/``value_to``) and
#: carries their ids (``id_from``/``id_to``): the id decides, the name when there is none.
ZAMMAD_HISTORY_EVENTS = """
WITH {live}, changes AS (
  SELECT h.o_id AS conversation_id, CAST(h.created_at AS TIMESTAMP) AS changed_at,
         coalesce(kf.kind, lower(trim(h.value_from)), '') AS kind_from,
         coalesce(kt.kind, lower(trim(h.value_to)), '') AS kind_to
  FROM histories h
  JOIN history_objects o ON o.id = h.history_object_id AND o.name = 'Ticket'
  JOIN history_attributes a ON a.id = h.history_attribute_id AND a.name = 'state'
  LEFT JOIN state_kinds kf ON kf.id = coalesce(nullif(trim(h.id_from), ''), '?')
       OR (nullif(trim(h.id_from), '') IS NULL AND kf.name = h.value_from)
  LEFT JOIN state_kinds kt ON kt.id = coalesce(nullif(trim(h.id_to), ''), '?')
       OR (nullif(trim(h.id_to), '') IS NULL AND kt.name = h.value_to)
  WHERE h.o_id IN (SELECT id FROM live)
    AND coalesce(h.value_from, '') <> coalesce(h.value_to, ''))
SELECT conversation_id, CASE WHEN kind_to = 'closed' THEN 'resolved' ELSE 'reopened' END
           AS event, changed_at AS at
FROM changes
WHERE (kind_to = 'closed' AND kind_from <> 'closed')
   OR (kind_from = 'closed' AND kind_to NOT IN ('closed', 'merged', 'removed'))
"""


def load_helpdesk(name: str, location) -> SupportLog:
    """The message log of a Chatwoot or Zammad database.

    Parameters
    ----------
    name : str
        ``chatwoot`` or ``zammad``.
    location : str or Path
        A ``postgresql://`` (or ``postgres://``) DSN, or a folder of ``<table>.csv`` dumps.

    Returns
    -------
    SupportLog
        Messages and events as in the module docstring; ``conversation_attributes`` with
        ``score`` (Chatwoot CSAT) when ratings exist; ``source`` the connector's name.

    Raises
    ------
    InputError
        Connection failure, a missing table or column (naming it), or a value the log refuses.
    """
    if name not in TABLES:
        raise InputError("--source", f"unknown connector {name!r}", expected="chatwoot or zammad")
    tables, where = _load_tables(name, location, TABLES[name], OPTIONAL[name])
    present = set(tables)
    if name == "chatwoot":
        twilio = "channel_twilio_sms" in present
        messages_sql = CHATWOOT_MESSAGES.format(
            twilio_join=CHATWOOT_TWILIO["join"] if twilio else "",
            twilio_whatsapp=CHATWOOT_TWILIO["whatsapp"] if twilio else "false")
        events_sql = CHATWOOT_EVENTS
    else:
        if "ticket_states" not in present:
            states = ZAMMAD_NO_STATES
        elif "ticket_state_types" in present:
            states = ZAMMAD_STATES.format(
                type_name="ty.name",
                type_join="LEFT JOIN ticket_state_types ty ON ty.id = st.state_type_id")
        else:
            states = ZAMMAD_STATES.format(type_name="CAST(NULL AS VARCHAR)", type_join="")
        live = ZAMMAD_LIVE.format(states=states)
        history = all(table in present for table in _HISTORIES)
        messages_sql = ZAMMAD_MESSAGES.format(live=live)
        events_sql = (ZAMMAD_HISTORY_EVENTS if history else ZAMMAD_EVENTS).format(live=live)
    label = f"{NAMES[name]} {where}"
    raw = run_query(messages_sql, label=f"{label} (messages)", folder=".", tables=tables)
    messages = validate_messages(raw, source=f"{label} (messages)", source_tz="UTC")
    kept = messages["conversation_id"]
    raw_events = _optional_query(events_sql, f"{label} (events)", tables)
    if raw_events is not None:
        raw_events = raw_events[is_member(raw_events["conversation_id"], kept)]
    events = validate_events(raw_events if raw_events is not None and len(raw_events)
                             else pd.DataFrame(columns=["conversation_id", "event", "at"]),
                             messages, source=f"{label} (events)", source_tz="UTC")
    attributes = None
    if "csat_survey_responses" in present:
        ratings = _optional_query(CHATWOOT_CSAT, f"{label} (csat_survey_responses)", tables)
        if ratings is not None:
            ratings = ratings[is_member(ratings["conversation_id"], kept)]
            attributes = ratings.set_index("conversation_id")[["score"]].astype("Int64")
    return SupportLog(messages=messages, events=events, conversation_attributes=attributes,
                      source=name, synthetic=False,
                      description=f"{NAMES[name]} database ({where})")


def _optional_query(sql, label, tables):
    """The query's rows, or None when it returns none (no resolutions yet, no ratings)."""
    try:
        return run_query(sql, label=label, folder=".", tables=tables)
    except InputError as error:
        if "returned no rows" in error.message:
            return None
        raise


def _redacted(dsn: str) -> str:
    """The DSN without its password (reports print where the data came from)."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", dsn)


def _load_tables(name, location, spec: dict, optional) -> tuple[dict, str]:
    """``spec``'s tables (``{table: columns}``) as text frames, and where they came from (a
    DSN without its password, or the folder)."""
    text = str(location)
    if re.match(r"postgres(?:ql)?://", text):
        where = _redacted(text)
        return _fetch_postgres(name, text, where, spec, optional), where
    return _read_folder(name, Path(text), spec, optional), text


def _read_folder(name, folder: Path, spec: dict, optional) -> dict:
    from analytics.load.files import read_table

    if not folder.is_dir():
        raise InputError(folder, "not a folder",
                         expected=f"a folder of {NAMES[name]} tables as <table>.csv, "
                                  "or --dsn postgresql://...")
    tables = {}
    for table, columns in spec.items():
        path = next((p for p in (folder / f"{table}.csv", folder / f"{table}.csv.gz")
                     if p.exists()), None)
        if path is None:
            if table in optional:
                continue
            raise InputError(folder, f"table {table} not found",
                             expected=f"{table}.csv, e.g. psql \\copy {table} TO '{table}.csv' "
                                      "CSV HEADER")
        try:
            frame = read_table(path, sep=",")
        except InputError as error:
            if "no data rows" not in error.message:
                raise
            # A table with no rows yet (no resolution, no rating): its header still counts.
            frame = pd.read_csv(path, sep=",", nrows=0, dtype="str")
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise InputError(path, f"missing column(s) {', '.join(missing)}",
                             expected=f"the {NAMES[name]} columns " + ", ".join(columns))
        tables[table] = frame[list(columns)].astype("str")
    return tables


def _fetch_postgres(name, dsn, where, spec: dict, optional) -> dict:
    """The connector's tables and columns, every value as text (as in a CSV dump)."""
    import psycopg

    try:
        connection = psycopg.connect(dsn, connect_timeout=10)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError("--dsn", f"cannot connect to {where} ({first})",
                         expected="a reachable postgresql://user@host:port/database (the "
                                  "password in PGPASSWORD or ~/.pgpass)") from None
    tables = {}
    with connection:
        known = _columns_in_database(connection)
        for table, columns in spec.items():
            if table not in known:
                if table in optional:
                    continue
                raise InputError(where, f"table {table} not found",
                                 expected=f"a {NAMES[name]} database (tables "
                                          + ", ".join(spec) + ")")
            missing = [c for c in columns if c not in known[table]]
            if missing:
                raise InputError(where, f"table {table} has no column(s) {', '.join(missing)}",
                                 expected=f"the {NAMES[name]} columns " + ", ".join(columns))
            tables[table] = _copy_out(connection, table, columns)
    return tables


def _copy_out(connection, table, columns) -> pd.DataFrame:
    """The table's columns through ``COPY ... TO STDOUT`` as CSV: the bytes a psql dump
    holds, read as a dump is (several times faster than fetching Python tuples)."""
    import io

    select = ", ".join(f'"{c}"' for c in columns)
    buffer = io.BytesIO()
    with connection.cursor() as cursor, cursor.copy(
            f'COPY (SELECT {select} FROM "{table}") TO STDOUT WITH (FORMAT csv, HEADER)') as copy:
        for chunk in copy:
            buffer.write(chunk)
    buffer.seek(0)
    return pd.read_csv(buffer, dtype="str", keep_default_na=False, na_values=[""],
                       encoding="utf-8")


def _columns_in_database(connection) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, column_name FROM information_schema.columns "
                       "WHERE table_schema = current_schema()")
        known = {}
        for table, column in cursor.fetchall():
            known.setdefault(table, set()).add(column)
    return known


#: Chatwoot's ``working_hours.day_of_week`` (Ruby's wday: 0 = Sunday) as ``--hours`` days.
_WDAY = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
CALENDAR_TABLES = {
    "inboxes": ("id", "timezone", "working_hours_enabled"),
    "working_hours": ("inbox_id", "day_of_week", "closed_all_day", "open_all_day", "open_hour",
                      "open_minutes", "close_hour", "close_minutes"),
}


def chatwoot_calendar(location) -> dict:
    """The report calendar Chatwoot's inboxes set: ``{"tz": ..., "hours": ...}``.

    ``tz`` is the inboxes' ``timezone`` when they all share one IANA zone; ``hours`` the
    ``--hours`` spec of ``working_hours`` when every inbox with ``working_hours_enabled``
    has the same week (one range a day, as Chatwoot allows). Either is None when the inboxes
    disagree or set nothing: the report then keeps its own default, and says so.
    """
    tables, _ = _load_tables("chatwoot", location, CALENDAR_TABLES, ("working_hours",))
    inboxes = tables["inboxes"]
    zones = inboxes["timezone"].dropna().str.strip().unique()
    tz = None
    if len(zones) == 1:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(zones[0])
            tz = str(zones[0])
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            tz = None
    enabled = inboxes.loc[inboxes["working_hours_enabled"].fillna("").str.lower()
                          .isin(["t", "true", "1"]), "id"]
    hours = None
    if len(enabled) and "working_hours" in tables:
        rows = tables["working_hours"]
        weeks = {_week(rows[rows["inbox_id"] == inbox]) for inbox in enabled}
        if len(weeks) == 1:
            hours = weeks.pop()
    return {"tz": tz, "hours": hours}


def _week(rows: pd.DataFrame) -> str | None:
    """One inbox's ``working_hours`` rows as an ``--hours`` spec (``always`` when open all
    the time), or None when they are incomplete."""
    flag = {column: rows[column].fillna("").str.lower().isin(["t", "true", "1"])
            for column in ("closed_all_day", "open_all_day")}
    days = []
    for row, closed, whole in zip(rows.itertuples(), flag["closed_all_day"],
                                  flag["open_all_day"], strict=True):
        if closed:
            continue
        day = int(row.day_of_week)
        if whole:
            days.append((day, "00:00-24:00"))
            continue
        if pd.isna(row.open_hour) or pd.isna(row.close_hour):
            return None
        minutes = [0 if pd.isna(m) else int(m) for m in (row.open_minutes, row.close_minutes)]
        start = f"{int(row.open_hour):02d}:{minutes[0]:02d}"
        end = f"{int(row.close_hour):02d}:{minutes[1]:02d}"
        days.append((day, f"{start}-{end}"))
    if len(days) == 7 and all(span == "00:00-24:00" for _, span in days):
        return "always"
    # Monday first, as a reader lists a week.
    days.sort(key=lambda item: (item[0] - 1) % 7)
    return "; ".join(f"{_WDAY[day]} {span}" for day, span in days) or None
