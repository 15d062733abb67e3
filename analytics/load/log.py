"""One entry point to open any supported input as a :class:`~analytics.load.schema.SupportLog`.

The CLI and the notebooks call :func:`open_log` with the same options, so a report and the
``metrics`` command always read the data the same way.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from analytics.errors import InputError
from analytics.load.files import read_parquet, read_table
from analytics.load.schema import (
    MESSAGE_COLUMNS,
    MESSAGE_OPTIONAL,
    SupportLog,
    empty_events,
    validate_events,
    validate_messages,
    validate_self_service,
)
from analytics.metrics.dependency import REPEAT_HOW_TO_DAYS
from analytics.metrics.summary import Settings
from analytics.paths import data_dir
from analytics.period import Period

#: Folder of the bundled samples (relative to the repository root).

#: Report time zone used when none is given, per source.
DEFAULT_TZ = {"demo": "America/Sao_Paulo", "consumidor_gov": "America/Sao_Paulo",
              "twcs": "UTC", "messages": "UTC", "mapping": "UTC", "query": "UTC",
              "chatwoot": "UTC", "zammad": "UTC"}

SOURCES = ("demo", "messages", "twcs", "consumidor_gov", "mapping", "query", "chatwoot",
           "zammad")

#: The message-log columns a report reads from a Parquet log: the schema's, the language of
#: the text, and the topic columns of same-topic repeats. Other columns are not read.
REPORT_COLUMNS = MESSAGE_COLUMNS + MESSAGE_OPTIONAL + ("lang", "topic", "problem")


def open_log(source="demo", input=None, *, events=None, self_service=None, source_tz=None):
    """Open an input.

    Parameters
    ----------
    source : str
        ``demo`` (the bundled synthetic company, a folder with ``messages.csv.gz``,
        ``events.csv.gz`` and ``self_service.csv.gz``), ``messages`` (a message-log file in the
        documented schema), ``twcs`` or ``consumidor_gov`` (public exports), or ``mapping``
        (a TOML mapping file describing a helpdesk export), ``query`` (a DuckDB ``.sql``
        file returning the log's columns), ``chatwoot`` or ``zammad`` (the helpdesk's
        database: a ``postgresql://`` DSN or a folder of its tables as CSV).
    input : str or Path
        The file, folder or DSN; defaults to the bundled sample of the source.
    events, self_service : str or Path, optional
        Companion files of a ``messages`` log (for ``query``: a ``.sql`` events query).
    source_tz : str, optional
        IANA zone of naive timestamps in a ``messages`` log.
    """
    if source not in SOURCES:
        raise InputError("--source", "unknown source", expected=", ".join(SOURCES), found=source)
    if source == "demo":
        folder = Path(input) if input else data_dir() / "demo"
        log = load_log(folder / "messages.csv.gz", events=folder / "events.csv.gz",
                       self_service=folder / "self_service.csv.gz")
        return log.replace(source="demo", synthetic=True,
                           description="Synthetic demo company: generated data, not real "
                                       "customers (see data/demo/README.md)")
    if source == "messages":
        if not input:
            raise InputError("--messages", "no message log given", expected="a CSV or Parquet file")
        return load_log(input, events=events, self_service=self_service, source_tz=source_tz)
    if source == "query":
        from analytics.load.sources.sql import load_query

        if not input:
            raise InputError("--query", "no query file given", expected="a .sql file")
        return load_query(input, events=events, source_tz=source_tz)
    if source in ("chatwoot", "zammad"):
        from analytics.load.sources.helpdesks import load_helpdesk

        if not input:
            raise InputError(f"--source {source}", "no database given",
                             expected="--dsn postgresql://... or --input DUMP_FOLDER")
        return load_helpdesk(source, input)
    if source == "mapping":
        from analytics.load.sources.mapping import load_mapped

        return load_mapped(input or data_dir() / "mapping_example" / "mapping.toml")
    from analytics.load.sources import load_source

    default = {"twcs": data_dir() / "twcs" / "twcs_head5000.csv.gz",
               "consumidor_gov": data_dir() / "consumidor_gov"
               / "consumidor_gov_br_2014-05_2015-01.csv.gz"}[source]
    return load_source(source, input or default)


def is_parquet(path) -> bool:
    """A Parquet file (``.parquet``/``.pq``) or a folder of them."""
    path = Path(path)
    return path.is_dir() or path.suffix.lower() in (".parquet", ".pq")


def _aware_sent_at(path) -> bool:
    """True when the files store ``sent_at`` as a zone-aware timestamp (a time filter can be
    pushed into the scan); naive or text timestamps are read whole and parsed as usual."""
    import pyarrow as pa

    from analytics.load.files import parquet_dataset

    schema = parquet_dataset(path).schema
    if "sent_at" not in schema.names:
        return False
    kind = schema.field("sent_at").type
    return pa.types.is_timestamp(kind) and kind.tz is not None


def parquet_latest(path, source_tz=None) -> pd.Timestamp | None:
    """The latest ``sent_at`` of a Parquet log (UTC), from the row-group statistics when every
    file has them (no data read), else from a scan of that one column.

    Naive timestamps are local times of ``source_tz`` (as the validation reads them), UTC
    without one: read as UTC, a São Paulo log would end three hours early and the last
    hours' conversations would fall after the cut-off.
    """
    import pyarrow.compute as pc

    from analytics.load.files import parquet_dataset

    dataset = parquet_dataset(path)
    latest = None
    for fragment in dataset.get_fragments():
        column = fragment.physical_schema.get_field_index("sent_at")
        for group in fragment.metadata.to_dict()["row_groups"]:
            stats = group["columns"][column].get("statistics") or {}
            if not stats.get("has_min_max"):
                value = pc.max(dataset.to_table(columns=["sent_at"])["sent_at"]).as_py()
                return None if value is None else _instant(value, source_tz)
            value = _instant(stats["max"], source_tz)
            latest = value if latest is None else max(latest, value)
    return latest


def _instant(value, source_tz) -> pd.Timestamp:
    """A timestamp in UTC; a naive one is a local time of ``source_tz`` (UTC when None)."""
    value = pd.Timestamp(value)
    if value.tzinfo is None:
        # An ambiguous time is read as the daylight-saving one, as the validation reads it.
        value = value.tz_localize(source_tz or "UTC", ambiguous=True,
                                  nonexistent="shift_forward")
    return value.tz_convert("UTC")


def open_parquet_window(path, start, end, *, events=None, self_service=None,
                        source_tz=None, columns=REPORT_COLUMNS) -> tuple[SupportLog, pd.Timestamp]:
    """A Parquet message log read for a report spanning ``[start, end)`` (UTC instants), and
    the latest time in the whole input (messages and events: the default cut-off a full read
    would use).

    Only the messages sent in the span are read, and only ``columns`` (default
    :data:`REPORT_COLUMNS`; ``None`` for all): both filters are pushed into the Parquet scan,
    so row groups outside the span and other columns are never decoded. Conversations that began before ``start``
    (found by a second scan of the ``conversation_id`` and ``sent_at`` columns only) are left
    out whole: a report never counts part of a conversation. Events and self-service sessions
    (small companion files) are read whole; events of conversations outside the span are
    dropped after their format is checked. A file whose ``sent_at`` is not a zone-aware
    timestamp is read whole and cut in memory, with the same result.

    The caller chooses the span: it must cover the periods shown, the trend weeks, and the
    look-ahead the figures wait for (replies, repeat windows); see
    :func:`analytics.load.log.data_window`. On a validation error the whole file is checked
    again, so the error names the row of the file, not of the span.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from analytics.load.files import period_filter

    start, end = (_utc(start), _utc(end))
    pushed = _aware_sent_at(path)
    raw = read_parquet(path, columns=columns,
                       filter=period_filter(start, end) if pushed else None)
    try:
        messages = validate_messages(raw, source=str(path), source_tz=source_tz)
    except InputError:
        load_log(path, source_tz=source_tz)  # raises with the file's row number
        raise
    del raw
    if not pushed:
        messages = messages[(messages["sent_at"] >= start) & (messages["sent_at"] < end)]
        earlier = _earlier_in_memory(path, messages, start, source_tz, columns)
    else:
        ids = pa.array(messages["conversation_id"].unique())
        before = read_parquet(path, columns=["conversation_id"],
                              filter=(pc.field("sent_at") < _scalar(start))
                              & pc.field("conversation_id").isin(ids))
        earlier = before["conversation_id"].astype("str").unique()
    messages = messages[~messages["conversation_id"].isin(earlier)].reset_index(drop=True)
    latest = parquet_latest(path, source_tz)
    evts = empty_events()
    if events:
        table = read_table(events)
        # Every row's format is checked against the file; membership only within the span.
        stub = pd.DataFrame({"conversation_id": pd.concat(
            [messages["conversation_id"], table["conversation_id"].astype("str").str.strip()],
            ignore_index=True)})
        evts = validate_events(table, stub, source=str(events), source_tz=source_tz)
        if len(evts):
            latest = max(latest, evts["at"].max())
        evts = evts[evts["conversation_id"].isin(messages["conversation_id"])]
        evts = evts.reset_index(drop=True)
    sessions = (validate_self_service(read_table(self_service), source=str(self_service),
                                      source_tz=source_tz) if self_service else None)
    log = SupportLog(messages=messages, events=evts, self_service=sessions,
                     description=Path(path).name)
    return log, latest


def _utc(value) -> pd.Timestamp:
    value = pd.Timestamp(value)
    return value.tz_localize("UTC") if value.tzinfo is None else value.tz_convert("UTC")


def _scalar(value: pd.Timestamp):
    import pyarrow as pa

    return pa.scalar(value.to_pydatetime(), type=pa.timestamp("us", tz="UTC"))


def _earlier_in_memory(path, messages, start, source_tz, columns):
    whole = validate_messages(read_parquet(path, columns=columns), source=str(path),
                              source_tz=source_tz)
    before = whole.loc[whole["sent_at"] < start, "conversation_id"]
    return before[before.isin(messages["conversation_id"])].unique()



def load_log(messages, *, events=None, self_service=None, source_tz=None,
             source="messages", description="") -> SupportLog:
    """Load and validate a message log file (CSV or Parquet) and its optional companions."""
    msgs = validate_messages(read_table(messages), source=str(messages), source_tz=source_tz)
    evts = (validate_events(read_table(events), msgs, source=str(events), source_tz=source_tz)
            if events else empty_events())
    sessions = (validate_self_service(read_table(self_service), source=str(self_service),
                                      source_tz=source_tz) if self_service else None)
    return SupportLog(messages=msgs, events=evts, self_service=sessions, source=source,
                      description=description or Path(messages).name)


#: Weeks drawn in the weekly trend charts (``plots.weekly_first_response`` and friends).
TREND_WEEKS = 12
#: Days read after the period's end for a Parquet log: replies and resolutions of the
#: period's last conversations, and the repeat windows (at least the longest window in use).
LOOKAHEAD_DAYS = 30


def data_window(period: Period, settings: Settings) -> tuple[pd.Timestamp, pd.Timestamp]:
    """``[start, end)`` (UTC) of the messages a report of ``period`` needs.

    Start: the earlier of the previous period's start and the first of the
    :data:`TREND_WEEKS` trend weeks (with a week's margin for the week alignment). End: the
    period's end plus the look-ahead, :data:`LOOKAHEAD_DAYS` or the longest repeat window
    (``repeat_window_days``, the 30-day repeat how-to), whichever is longer.
    """
    lookahead = max(LOOKAHEAD_DAYS, settings.repeat_window_days, REPEAT_HOW_TO_DAYS)
    start = min(period.previous().start, period.end - pd.Timedelta(weeks=TREND_WEEKS + 1))
    end = period.end + pd.Timedelta(days=lookahead)
    return start.tz_convert("UTC"), end.tz_convert("UTC")


def open_for_period(source, input_path, *, events=None, self_service=None, source_tz=None,
                    period: Period, settings: Settings) -> tuple[SupportLog, Settings]:
    """Open the input of a report of ``period``: the log and the settings in force.

    A Parquet message log (a file or a folder of monthly files) is not read whole: only the
    messages of :func:`data_window` are (filters pushed into the Parquet scan), and the
    cut-off ``as_of`` (default: the latest time in the whole input, as for a full read) is
    capped at the window's end. The figures are then those of a full read whenever the data
    ends before the window does, which is the case of a scheduled run; for an old period of
    a long log they are "as of" the window's end (printed as ``data_read``). Other inputs
    are read whole.
    """
    if source != "messages" or not input_path or not is_parquet(input_path):
        log = open_log(source, input_path or None, events=events or None,
                       self_service=self_service or None, source_tz=source_tz or None)
        return log, settings
    start, end = data_window(period, settings)
    log, latest = open_parquet_window(input_path, start, end, events=events or None,
                                      self_service=self_service or None,
                                      source_tz=source_tz or None)
    as_of = settings.as_of if settings.as_of is not None else latest
    as_of = as_of.tz_localize("UTC") if as_of.tzinfo is None else as_of.tz_convert("UTC")
    cut = min(as_of, end)
    read = {"from": start.isoformat(), "to": end.isoformat(), "as_of_capped": bool(cut < as_of)}
    settings = dataclasses.replace(settings, as_of=cut, extra={**settings.extra,
                                                               "data_read": read})
    return log, settings
