"""The benchmark's metric set in DuckDB SQL: an independent reference for ``analytics``.

The definitions are those of ``analytics.metrics.facts`` and ``analytics.metrics.repeats`` (docs/metrics.md),
written again from scratch in SQL so that the two implementations check each other:

- messages are ordered per conversation by time, inbound before outbound at equal times, then
  input order (file, then row within the file); messages after ``as_of`` are ignored;
- a conversation starts at its first inbound message, whose customer and channel it takes; it
  is *proactive* (no response metrics) when it has no inbound message or its first human
  message (customer or agent; bots and system messages skipped) is an agent's;
- a *wait* is a block of messages that ends at an agent message (only ``agent`` outbound
  messages answer): it opens at its first inbound message and closes at the agent message
  (unanswered while no agent message follows); blocks with no inbound message are no wait; the
  first wait is the first response;
- business seconds use one calendar both sides share: Monday-Friday 09:00-18:00 UTC, no
  holidays (``BusinessCalendar("UTC", "mon-fri 09:00-18:00")`` in the package), computed here
  as the difference of cumulative working seconds since a Monday;
- a contact (non-proactive conversation) is *repeated* when the same known customer starts
  another contact 0-7 days after it (next contact by start, then conversation id); only
  contacts whose 7 days are observed (start + 7 d <= as_of) are eligible.

:func:`metric_table` returns, per channel and ISO week (Monday, UTC) of the start: contacts,
answered, first response median/p90/mean (calendar and business seconds), the share of
answered contacts within the SLA, every reply wait (n, median, p90, mean) of those contacts and
the repeat counts. Percentiles are ``quantile_cont`` (linear interpolation, numpy's default).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

_BUSINESS = """
CREATE OR REPLACE MACRO working_s(e) AS (
    (floor((floor(e / 86400) + 3) / 7) * 5 * 32400
     + CASE WHEN (floor(e / 86400) + 3) % 7 < 5
            THEN ((floor(e / 86400) + 3) % 7) * 32400
                 + least(greatest(e - floor(e / 86400) * 86400 - 32400, 0), 32400)
            ELSE 5 * 32400 END)::DOUBLE
);
"""

_FACTS = """
CREATE OR REPLACE TEMP TABLE ordered AS
WITH messages AS (
    SELECT conversation_id AS conv, customer_id, channel, epoch(sent_at) AS e,
           direction = 'inbound' AS is_in,
           direction = 'outbound' AND author_type = 'agent' AS is_agent,
           filename AS f, file_row_number AS rn
    FROM read_parquet({files}, filename = true, file_row_number = true)
    WHERE epoch(sent_at) <= {as_of}
)
SELECT conv, customer_id, channel, e, is_in, is_agent,
       -- agent messages before this one: the wait block the row belongs to
       coalesce(sum(is_agent::INTEGER) OVER before, 0) AS block,
       sum(is_in::INTEGER) OVER upto AS inbound_so_far,
       sum((is_in OR is_agent)::INTEGER) OVER upto AS human_so_far
FROM messages
WINDOW upto AS (PARTITION BY conv ORDER BY e, NOT is_in, f, rn
                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       before AS (PARTITION BY conv ORDER BY e, NOT is_in, f, rn
                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING);

CREATE OR REPLACE TEMP TABLE waits AS
SELECT conv, block,
       min(e) FILTER (WHERE is_in) AS opened,
       max(e) FILTER (WHERE is_agent) AS closed,
       count(*) FILTER (WHERE is_in) AS customer_messages
FROM ordered GROUP BY conv, block
HAVING count(*) FILTER (WHERE is_in) > 0;

CREATE OR REPLACE TEMP TABLE facts AS
WITH first_in AS (
    SELECT conv, customer_id, channel, e AS start_e, block
    FROM ordered WHERE is_in AND inbound_so_far = 1
), company_started AS (
    SELECT conv FROM ordered WHERE is_agent AND human_so_far = 1
)
SELECT i.conv AS conversation_id, i.customer_id, i.channel, i.start_e,
       w.closed - w.opened AS first_response_s,
       working_s(w.closed) - working_s(w.opened) AS first_response_business_s
FROM first_in i
JOIN waits w ON w.conv = i.conv AND w.block = i.block  -- the first wait holds the start
ANTI JOIN company_started c ON c.conv = i.conv;

CREATE OR REPLACE TEMP TABLE contacts AS
SELECT *,
       CASE WHEN customer_id IS NULL THEN NULL ELSE lead(start_e) OVER (
           PARTITION BY customer_id ORDER BY start_e, conversation_id) END AS next_e,
       start_e + {window_s} <= {as_of} AS lookahead_complete,
       (floor(start_e / 86400) - (floor(start_e / 86400) + 3) % 7)::INTEGER AS week_day
FROM facts;
"""

_TABLE = """
WITH c AS (
    SELECT *, coalesce(next_e - start_e <= {window_s}, false) AS repeated FROM contacts
), fr AS (
    SELECT channel, week_day,
           count(*) AS contacts,
           count(first_response_s) AS answered,
           quantile_cont(first_response_s, 0.5) AS frt_median_s,
           quantile_cont(first_response_s, 0.9) AS frt_p90_s,
           avg(first_response_s) AS frt_mean_s,
           quantile_cont(first_response_business_s, 0.5) AS frt_business_median_s,
           quantile_cont(first_response_business_s, 0.9) AS frt_business_p90_s,
           avg(first_response_business_s) AS frt_business_mean_s,
           avg((first_response_s <= {sla_s})::INTEGER) AS within_sla,
           count(*) FILTER (WHERE lookahead_complete) AS repeat_eligible,
           count(*) FILTER (WHERE lookahead_complete AND repeated) AS repeated
    FROM c GROUP BY channel, week_day
), rt AS (
    SELECT c.channel, c.week_day,
           count(w.closed) AS replies,
           count(*) - count(w.closed) AS open_waits,
           quantile_cont(w.closed - w.opened, 0.5) AS reply_median_s,
           quantile_cont(w.closed - w.opened, 0.9) AS reply_p90_s,
           avg(w.closed - w.opened) AS reply_mean_s
    FROM waits w JOIN c ON w.conv = c.conversation_id
    GROUP BY c.channel, c.week_day
)
SELECT fr.channel, DATE '1970-01-01' + fr.week_day AS week,
       fr.contacts, fr.answered, fr.frt_median_s, fr.frt_p90_s, fr.frt_mean_s,
       fr.frt_business_median_s, fr.frt_business_p90_s, fr.frt_business_mean_s,
       fr.within_sla, rt.replies, rt.open_waits, rt.reply_median_s, rt.reply_p90_s,
       rt.reply_mean_s, fr.repeat_eligible, fr.repeated
FROM fr JOIN rt USING (channel, week_day)
ORDER BY channel, week
"""


def _frame(con, query: str) -> pd.DataFrame:
    """A query's result as a DataFrame (through Arrow; dates as datetime64)."""
    return con.sql(query).to_arrow_table().to_pandas(date_as_object=False)


def _files(path) -> str:
    path = Path(path)
    files = sorted(str(p) for p in path.rglob("*.parquet")) if path.is_dir() else [str(path)]
    return "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"


def connect(threads: int | None = None, *, memory_limit: str | None = None,
            temp_directory=None) -> duckdb.DuckDBPyConnection:
    """An in-memory database with the reference's macros; ``memory_limit`` (e.g. ``"3GB"``)
    and ``temp_directory`` (the spill folder) make it run out of core."""
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    if temp_directory:
        Path(temp_directory).mkdir(parents=True, exist_ok=True)
        con.execute(f"SET temp_directory = '{Path(temp_directory).as_posix()}'")
    con.execute("SET preserve_insertion_order = false")
    con.execute(_BUSINESS)
    return con


def build(con, path, *, as_of=None, window_days: float = 7) -> float:
    """Load the facts, waits and contacts tables of ``path``; returns as_of (epoch seconds)."""
    files = _files(path)
    if as_of is None:
        as_of = con.execute(f"SELECT epoch(max(sent_at)) FROM read_parquet({files})").fetchone()[0]
    else:
        as_of = pd.Timestamp(as_of).timestamp()
    con.execute(_FACTS.format(files=files, as_of=repr(float(as_of)),
                              window_s=repr(float(window_days) * 86400)))
    return as_of


def metric_table(path, *, as_of=None, sla_s: float = 3600, window_days: float = 7,
                 con=None) -> pd.DataFrame:
    """The metric set of the Parquet file or folder ``path`` (see the module docstring)."""
    con = con or connect()
    build(con, path, as_of=as_of, window_days=window_days)
    return _frame(con, _TABLE.format(sla_s=repr(float(sla_s)),
                                     window_s=repr(float(window_days) * 86400)))


def contact_facts(path, *, as_of=None, window_days: float = 7, con=None) -> pd.DataFrame:
    """Per-contact facts (for cross-checks): id, customer, channel, start, first responses,
    next contact, look-ahead flag and repeat flag."""
    con = con or connect()
    build(con, path, as_of=as_of, window_days=window_days)
    return _frame(con, f"""
        SELECT conversation_id, customer_id, channel, to_timestamp(start_e) AS start,
               first_response_s, first_response_business_s,
               to_timestamp(next_e) AS next_start, lookahead_complete,
               coalesce(next_e - start_e <= {float(window_days) * 86400!r}, false) AS repeated
        FROM contacts ORDER BY conversation_id""")


def reply_waits(path, *, as_of=None, con=None) -> pd.DataFrame:
    """Every wait (for cross-checks): conversation, index, opened, closed, messages."""
    con = con or connect()
    build(con, path, as_of=as_of)
    return _frame(con, """
        SELECT conv AS conversation_id,
               row_number() OVER (PARTITION BY conv ORDER BY block) - 1 AS wait_index,
               opened, closed, customer_messages
        FROM waits ORDER BY conversation_id, wait_index""")
