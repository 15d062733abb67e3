"""``--query FILE``: a DuckDB query over the user's files is a message log, validated as a
file, through ``metrics`` (and the same input options of ``render``)."""

import json

import pytest

from analytics.cli import main
from analytics.errors import InputError
from analytics.load.sources.sql import load_query

MESSAGES = ("id,conv,stamp,kind,note\n1,7,2024-03-04T10:00:00Z,0,f\n2,7,2024-03-04T10:05:00Z,1,t\n"
            "3,7,2024-03-04T10:40:00Z,1,f\n4,8,2024-03-05T09:00:00Z,0,f\n")
QUERY = """
SELECT CAST(id AS VARCHAR) AS message_id, CAST(conv AS VARCHAR) AS conversation_id,
       NULL AS customer_id, 'chat' AS channel, stamp AS sent_at,
       CASE kind WHEN 0 THEN 'inbound' ELSE 'outbound' END AS direction,
       CASE kind WHEN 0 THEN 'customer' ELSE 'agent' END AS author_type
FROM read_csv('messages.csv') WHERE NOT note
"""


@pytest.fixture
def query(tmp_path):
    (tmp_path / "messages.csv").write_text(MESSAGES)
    path = tmp_path / "messages.sql"
    path.write_text(QUERY)
    (tmp_path / "events.sql").write_text(
        "SELECT '7' AS conversation_id, 'resolved' AS event, "
        "TIMESTAMPTZ '2024-03-04 11:00:00+00' AS at")
    return path


def test_query_file_is_a_message_log(query):
    log = load_query(query, events=query.parent / "events.sql")
    assert log.messages["message_id"].tolist() == ["1", "3", "4"]
    assert log.events["conversation_id"].tolist() == ["7"]
    assert log.source == "query"


def test_metrics_with_query(query, capsys):
    assert main(["metrics", "--query", str(query), "--events", str(query.parent / "events.sql"),
                 "--period", "2024-03", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    # Conversation 7: 10:00 -> 10:40 (the note at 10:05 is filtered out); 8 unanswered.
    assert summary["first_response"]["median_s"] == 2400
    assert summary["first_response"]["unanswered"] == 1


def test_query_error_names_the_file_and_row(query, capsys):
    query.write_text(QUERY.replace("'chat' AS channel", "CASE id WHEN 3 THEN NULL ELSE 'chat' "
                                                        "END AS channel"))
    assert main(["metrics", "--query", str(query), "--period", "2024-03"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "messages.sql, row 2, column 'channel'" in error


def test_events_must_be_a_query_too(query):
    with pytest.raises(InputError, match="--events is a query too"):
        load_query(query, events=query.parent / "messages.csv")


def test_dsn_needs_a_connector(capsys):
    assert main(["metrics", "--dsn", "postgresql://x@127.0.0.1:1/db", "--period", "2024-03"]) == 2
    assert "--source chatwoot or --source zammad" in capsys.readouterr().err
