"""Run a user's SQL (DuckDB) over their CSV/Parquet files or a DuckDB database file.

A mapping's ``[input] query`` (and ``events_query``), or ``--query FILE``, is a DuckDB
``SELECT`` whose result has the message log's columns (``docs/mapping.md``). Relative file
names in the query (``read_csv('export.csv')``, ``'tickets/*.parquet'``) are found next to the
mapping or the query file. Every failure is an InputError naming the query.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analytics.errors import InputError


def run_query(query: str, *, label: str, folder, database=None, tables=None) -> pd.DataFrame:
    """The result of ``query`` as a DataFrame (DuckDB's types: timestamps stay timestamps).

    Parameters
    ----------
    query : str
        One DuckDB statement returning rows.
    label : str
        How errors name the query (``mapping.toml [input] query``).
    folder : Path
        Where relative file names in the query are looked up.
    database : Path, optional
        A DuckDB database file, opened read-only; its tables can be queried by name.
    tables : dict of str to DataFrame, optional
        Frames registered as views under their key (the connectors' fetched tables).

    Raises
    ------
    InputError
        The query fails (DuckDB's first message line) or returns no rows.
    """
    import duckdb

    if database is not None and not Path(database).is_file():
        raise InputError(label, f"database {database} not found",
                         expected="a DuckDB database file")
    try:
        with duckdb.connect(str(database) if database else ":memory:",
                            read_only=database is not None) as connection:
            connection.execute("SET file_search_path = ?", [str(folder)])
            for name, frame in (tables or {}).items():
                connection.register(name, frame)
            # Through Arrow: DuckDB's own .df() calls a pandas API pandas 3.1 deprecates.
            relation = connection.sql(query)
            if relation is None:  # a statement that returns nothing (CREATE, SET...)
                raise InputError(label, "the query is not a SELECT",
                                 expected="a DuckDB SELECT returning the log's columns")
            result = relation.to_arrow_table().to_pandas()
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(label, f"the query failed ({first})",
                         expected="a DuckDB SELECT returning the log's columns "
                                  "(docs/mapping.md)") from None
    if result.empty:
        raise InputError(label, "the query returned no rows", expected="at least one row")
    return _utc_columns(result)


def _utc_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """DuckDB hands TIMESTAMPTZ back in the session zone: the same instants in UTC."""
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].dt.tz_convert("UTC")
    return frame


def read_query_file(path) -> str:
    """The text of a ``--query`` file, or an InputError."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "query file not found", expected="a .sql file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text", expected="a UTF-8 .sql file") from None
    if not text.strip():
        raise InputError(path, "the query file is empty", expected="a DuckDB SELECT")
    return text



def load_query(path, *, events=None, source_tz=None):
    """A message log from a ``.sql`` file (``--query``), validated exactly as a file.

    Parameters
    ----------
    path : str or Path
        A DuckDB SELECT returning the log's columns; relative file names in it are found next
        to it.
    events : str or Path, optional
        A ``.sql`` file returning ``conversation_id, event, at`` (and optionally ``agent_id``).
    source_tz : str, optional
        IANA zone of TIMESTAMP (zone-less) values.

    Returns
    -------
    SupportLog
        ``source`` ``query``; errors name the query file and the row of its result.
    """
    from analytics.load.schema import SupportLog, empty_events, validate_events, validate_messages

    path = Path(path)
    raw = run_query(read_query_file(path), label=str(path), folder=path.parent)
    messages = validate_messages(raw, source=str(path), source_tz=source_tz)
    found = empty_events()
    if events:
        events = Path(events)
        if events.suffix.lower() != ".sql":
            raise InputError(events, "with --query, --events is a query too",
                             expected="a .sql file returning conversation_id, event, at")
        raw_events = run_query(read_query_file(events), label=str(events), folder=events.parent)
        found = validate_events(raw_events, messages, source=str(events), source_tz=source_tz)
    return SupportLog(messages=messages, events=found, source="query",
                      description=f"query {path.name}")
