"""Map a helpdesk export to the message log with a small TOML file instead of code.

``docs/mapping.md`` describes every key with a worked example per layout; in short::

    [input]
    messages = "export.csv"           # the export (CSV, .xlsx or Parquet), or instead:
    query = "SELECT ... "             # a DuckDB query returning the log's columns
    database = "helpdesk.duckdb"      # optional: a DuckDB file the query reads
    events = "events.csv"             # optional: status changes (or events_query)
    layout = "messages"               # or "tickets": one row per ticket (created / first
                                      # reply / solved columns)
    sheet, delimiter, encoding        # optional: how to read the file
    date_format = "%m/%d/%Y"          # optional: strftime format; or day_first = true;
    epoch = "s"                       #   or epoch seconds ("s") / milliseconds ("ms")
    time_precision = "day"            # optional: the export records dates only
    source_tz = "America/Sao_Paulo"   # optional: IANA zone of naive timestamps
    agents = "company"                # optional: agent_id names the company, not a person
    name = "my_helpdesk"              # required: short name, used as the report folder
    description = "..."               # optional: one line on the data, shown in reports

    [columns]                         # log column = export column
    [constants]                       # log column = the same value on every row
    [values.<log column>]             # export value = log value ("" = a blank cell)
    [filter.keep] / [filter.drop]     # export column = values whose rows are kept / dropped
    [derive]                          # direction_from_author_type, generate_message_id
    [event_columns] [event_values.<column>] [event_filter.keep|drop]

Every problem in the mapping (unknown table or key, a value of the wrong type, an export
column that does not exist, a required key missing) raises InputError naming the mapping file
and the key. Problems in the data name the export file (or the query), the row of the file and
the export column, and say what was expected.
"""

from __future__ import annotations

import codecs
import re
import tomllib
import zoneinfo
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from analytics.errors import InputError
from analytics.load.files import read_table
from analytics.load.schema import (
    EVENT_COLUMNS,
    EVENT_OPTIONAL,
    MESSAGE_COLUMNS,
    MESSAGE_OPTIONAL,
    SupportLog,
    empty_events,
    parse_timestamps,
    validate_events,
    validate_messages,
)

_TABLES = ("input", "columns", "constants", "values", "derive", "filter", "event_columns",
           "event_values", "event_filter")
_INPUT_KEYS = ("messages", "query", "database", "events", "events_query", "layout", "sheet",
               "delimiter", "encoding", "date_format", "day_first", "epoch", "time_precision",
               "source_tz", "agents", "name", "description")
_BOOLEAN_KEYS = ("day_first",)
_CHOICES = {"layout": ("messages", "tickets"), "epoch": ("s", "ms"),
            "time_precision": ("second", "day"), "agents": ("person", "company")}
_MESSAGE_REQUIRED = ("message_id", "conversation_id", "sent_at", "channel", "author_type")
_TICKET_COLUMNS = ("conversation_id", "created_at", "first_reply_at", "resolved_at",
                   "channel", "customer_id", "agent_id", "text")
_TICKET_REQUIRED = ("conversation_id", "created_at", "channel")
_CONSTANT_COLUMNS = ("channel", "author_type", "direction", "customer_id", "agent_id")
_DERIVE_KEYS = ("direction_from_author_type", "generate_message_id")
# The report folder is named after the source: keep it a plain file name.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
#: Dates-only sources are placed at local noon (as consumidor.gov.br): noon is never skipped
#: or repeated by a daylight-saving change, midnight sometimes is.
NOON = pd.Timedelta(hours=12)


def load_mapped(mapping_path) -> SupportLog:
    """Load a helpdesk export described by a TOML mapping file (see ``docs/mapping.md``).

    Parameters
    ----------
    mapping_path : str or Path
        The mapping file.

    Returns
    -------
    SupportLog
        ``messages`` with the log columns (unmapped export columns are dropped); ``events``
        when an events file or query is given, or the ``resolved_at`` column of the tickets
        layout; ``source`` = ``[input] name``; ``time_precision`` as ``[input]`` says
        (``second`` by default); ``message_detail`` ``milestones`` for the tickets layout.

    Raises
    ------
    InputError
        A problem in the mapping (names the mapping file and the key) or in the exports (names
        the export file or query, the row and the export column).
    """
    mapping_path = Path(mapping_path)
    spec = _Spec(mapping_path, _read_mapping(mapping_path))
    options = spec.input_options()
    times = _Times(options)
    tickets = options.get("layout") == "tickets"

    raw, source, rows = spec.table(options, "messages", "query")
    raw, rows = spec.filter_rows("filter", raw, source, rows)
    if tickets:
        messages, events = _tickets(spec, raw, source, rows, times)
    else:
        messages = _messages(spec, raw, source, rows, times)
        events = _events(spec, options, messages, times)

    description = options.get("description") or (
        f"{options['name']}: helpdesk export "
        f"{Path(options['messages']).name if 'messages' in options else 'query'} "
        f"mapped by {mapping_path.name}")
    return SupportLog(messages=messages, events=events, source=options["name"],
                      time_precision=times.precision, synthetic=False, description=description,
                      agent_ids=options.get("agents", "person"),
                      message_detail="milestones" if tickets else "messages")


def _messages(spec, raw, source, rows, times) -> pd.DataFrame:
    """The messages layout: one export row per message."""
    derive = spec.derive()
    constants = spec.constants()
    required = tuple(key for key in _MESSAGE_REQUIRED if key not in constants
                     and not (key == "message_id" and derive["generate_message_id"]))
    if not derive["direction_from_author_type"] and "direction" not in constants:
        required += ("direction",)
    columns = spec.columns("columns", raw, source, MESSAGE_COLUMNS + MESSAGE_OPTIONAL,
                           required, exclude=constants)
    frame = spec.apply_values("values", raw, columns)
    for column, value in constants.items():
        frame[column] = value
    if derive["generate_message_id"]:
        if "message_id" in columns:
            spec.fail("derive.generate_message_id", "[columns] maps message_id too",
                      "one of the two")
        frame["message_id"] = "row-" + pd.Series(rows, index=frame.index).astype("str")
    if derive["direction_from_author_type"]:
        frame["direction"] = _derive_direction(frame)
    with _export_terms(columns, rows):
        if "sent_at" in columns:
            frame["sent_at"] = times.parse(frame["sent_at"], source=source, required=True)
        # Unmapped optional log columns (customer_id) are added empty.
        frame = frame.reindex(columns=list(dict.fromkeys(MESSAGE_COLUMNS + tuple(frame))))
        return validate_messages(frame, source=source, source_tz=times.source_tz)


def _events(spec, options, messages, times) -> pd.DataFrame:
    if "events" not in options and "events_query" not in options:
        if any(table in spec.config for table in ("event_columns", "event_values",
                                                  "event_filter")):
            spec.fail("input.events", "[event_columns] is given but no events file",
                      "input.events = the events export")
        return empty_events()
    raw, source, rows = spec.table(options, "events", "events_query")
    raw, rows = spec.filter_rows("event_filter", raw, source, rows)
    columns = spec.columns("event_columns", raw, source, EVENT_COLUMNS + EVENT_OPTIONAL,
                           EVENT_COLUMNS)
    frame = spec.apply_values("event_values", raw, columns)
    with _export_terms(columns, rows):
        frame["at"] = times.parse(frame["at"], source=source, required=True)
        return validate_events(frame, messages, source=source, source_tz=times.source_tz)


def _tickets(spec, raw, source, rows, times):
    """One row per ticket: a customer message at ``created_at``, an agent reply at
    ``first_reply_at`` and a resolved event at ``resolved_at`` (both where not blank)."""
    constants = spec.constants(allowed=("channel", "agent_id"))
    if spec.config.get("derive"):
        spec.fail("derive", "not used by the tickets layout",
                  "no [derive] table (directions and ids follow from the layout)")
    required = tuple(key for key in _TICKET_REQUIRED if key not in constants)
    columns = spec.columns("columns", raw, source, _TICKET_COLUMNS, required,
                           exclude=constants)
    frame = spec.apply_values("values", raw, columns)
    for column, value in constants.items():
        frame[column] = value
    with _export_terms(columns, rows):
        created = times.parse(frame["created_at"], source=source, required=True)
        # An absent column is all-missing UTC times, so that it compares with the others.
        never = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns, UTC]")
        replied = (times.parse(frame["first_reply_at"], source=source, required=False)
                   if "first_reply_at" in columns else never)
        solved = (times.parse(frame["resolved_at"], source=source, required=False)
                  if "resolved_at" in columns else never)
    ticket = frame["conversation_id"].astype("str").str.strip()
    blank = ticket.isna() | (ticket == "")
    if blank.any():
        position = int(np.flatnonzero(blank.to_numpy())[0])
        raise InputError(source, "the ticket id is empty", row=int(rows[position]),
                         column=columns["conversation_id"], expected="a non-empty id")
    for key, value in (("first_reply_at", replied), ("resolved_at", solved)):
        early = value.notna() & (value < created)
        if early.any():
            position = int(np.flatnonzero(early.to_numpy())[0])
            raise InputError(source, "earlier than the ticket's creation", row=int(rows[position]),
                             column=columns[key], expected=f"a time after {columns['created_at']}",
                             found=raw[columns[key]].iloc[position])
    repeated = ticket.duplicated() & ticket.notna()
    if repeated.any():
        position = int(np.flatnonzero(repeated.to_numpy())[0])
        raise InputError(source, "the ticket id appears twice", row=int(rows[position]),
                         column=columns["conversation_id"],
                         expected="one row per ticket with layout = \"tickets\"",
                         found=ticket.iloc[position])
    common = {"conversation_id": ticket, "customer_id": frame.get("customer_id"),
              "channel": frame["channel"]}
    inbound = pd.DataFrame({**common, "message_id": ticket + "-in", "sent_at": created,
                            "direction": "inbound", "author_type": "customer",
                            "agent_id": None, "text": frame.get("text")})
    has_reply = replied.notna().to_numpy()
    outbound = pd.DataFrame({**common, "message_id": ticket + "-reply", "sent_at": replied,
                             "direction": "outbound", "author_type": "agent",
                             "agent_id": frame.get("agent_id"), "text": None})[has_reply]
    combined = pd.concat([inbound, outbound], ignore_index=True)
    combined = combined.reindex(columns=MESSAGE_COLUMNS + MESSAGE_OPTIONAL)
    with _export_terms(columns, np.concatenate([rows, rows[has_reply]])):
        messages = validate_messages(combined, source=source)
    has_solve = solved.notna().to_numpy()
    events = empty_events()
    if has_solve.any():
        events = validate_events(pd.DataFrame({
            "conversation_id": ticket[has_solve], "event": "resolved",
            "at": solved[has_solve],
            "agent_id": frame["agent_id"][has_solve] if "agent_id" in frame else None}),
            messages, source=source)
    return messages, events


def _derive_direction(frame: pd.DataFrame) -> pd.Series:
    """The mapped direction, or inbound for customers / outbound for others where blank."""
    author = frame["author_type"].astype("str").str.strip().str.lower()
    derived = pd.Series(np.where(author == "customer", "inbound", "outbound"),
                        index=frame.index, dtype="str")
    if "direction" not in frame:
        return derived
    given = frame["direction"].astype("str").str.strip()
    return given.mask(given.isna() | (given == ""), derived)


class _Times:
    """How the mapping's timestamps are read: ISO 8601 (default), a strftime format, day
    first, or epoch numbers; then placed at local noon when only dates are known."""

    def __init__(self, options):
        self.format = options.get("date_format")
        self.day_first = options.get("day_first", False)
        self.epoch = options.get("epoch")
        self.precision = options.get("time_precision", "second")
        self.source_tz = options.get("source_tz")
        # Dates alone belong to the source's zone, UTC when it does not say.
        self.day_tz = self.source_tz or "UTC"

    def parse(self, values: pd.Series, *, source, required) -> pd.Series:
        """UTC timestamps of ``values`` (NaT where blank and not ``required``)."""
        column = values.name
        text = values.astype("str").str.strip()
        blank = values.isna() | (text == "")
        if blank.any() and required:
            _fail(blank, values, source, column, "the timestamp is empty", "a timestamp")
        present = values[~blank]
        result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]")
        if not len(present):
            return result
        try:
            if self.epoch or self.format or self.day_first:
                parsed = self._custom(present.astype("str").str.strip(), source, column)
            else:
                tz = self.day_tz if self.precision == "day" else self.source_tz
                parsed = parse_timestamps(present, source=source, column=column, source_tz=tz)
        except InputError as error:
            # Rows were counted among the non-blank cells: count them in the whole column.
            if error.row is None:
                raise
            row = int(np.flatnonzero(~blank.to_numpy())[error.row - 1]) + 1
            raise InputError(error.source, error.message, row=row, column=error.column,
                             expected=error.expected, found=error.found) from None
        if self.precision == "day":
            local = parsed.dt.tz_convert(self.day_tz).dt.tz_localize(None).dt.normalize()
            parsed = (local + NOON).dt.tz_localize(self.day_tz).dt.tz_convert("UTC")
        result[~blank] = parsed
        return result.astype("datetime64[ns, UTC]")

    def _custom(self, text: pd.Series, source, column) -> pd.Series:
        if self.epoch:
            numbers = pd.to_numeric(text, errors="coerce")
            seconds = self.epoch == "s"
            if numbers.isna().any():
                _fail(numbers.isna(), text, source, column, "not an epoch number",
                      f"epoch {'seconds such as 1709550000' if seconds else 'milliseconds such as 1709550000000'}")
            # 1e11 seconds is the year 5138 and 1e11 milliseconds 1973: the other unit.
            wrong = numbers >= 1e11 if seconds else numbers < 1e11
            if wrong.any():
                _fail(wrong, text, source, column,
                      f"reads as epoch {'milliseconds' if seconds else 'seconds'}",
                      f'[input] epoch = "{"ms" if seconds else "s"}"')
            return pd.to_datetime(numbers, unit=self.epoch, utc=True)
        if self.format:
            parsed = pd.to_datetime(text, format=self.format, errors="coerce")
            example = pd.Timestamp("2026-10-05 09:15:00").strftime(self.format)
            message, expected = (f"does not match date_format {self.format!r}",
                                 f"a value such as {example!r}, or another [input] date_format")
        else:
            parsed = pd.to_datetime(text, dayfirst=True, errors="coerce")
            message, expected = "cannot be read day first", "a date such as 05/10/2026 09:15"
        bad = parsed.isna()
        if bad.any():
            _fail(bad, text, source, column, f"the timestamp {message}", expected)
        if isinstance(parsed.dtype, pd.DatetimeTZDtype):
            return parsed.dt.tz_convert("UTC")
        if self.source_tz is None and self.precision != "day":
            _fail(pd.Series(True, index=text.index), text, source, column,
                  "the timestamp has no UTC offset",
                  "[input] source_tz = the export's IANA zone (e.g. America/Sao_Paulo), "
                  "%z in date_format, or time_precision = \"day\"")
        tz = self.source_tz or self.day_tz
        return parsed.dt.tz_localize(tz, ambiguous=np.ones(len(parsed), dtype=bool),
                                     nonexistent="shift_forward").dt.tz_convert("UTC")


def _fail(mask, values, source, column, message, expected):
    position = int(np.flatnonzero(mask.to_numpy())[0])
    raise InputError(source, message, row=position + 1, column=column, expected=expected,
                     found=values.iloc[position])


def _read_mapping(path: Path) -> dict:
    if not path.is_file():
        raise InputError(path, "mapping file not found")
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, f"not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text", expected="a UTF-8 TOML file") from None


class _Spec:
    """The parsed mapping file; every failure names the file and the key."""

    def __init__(self, path: Path, config: dict):
        self.file = path
        self.config = config
        self.check_keys("", config, _TABLES)

    def fail(self, key, message, expected=None):
        raise InputError(self.file, f"key '{key}': {message}" if key else message,
                         expected=expected)

    def check_keys(self, table, values, allowed):
        if not isinstance(values, dict):
            self.fail(table, "not a table", f"[{table}] with keys {', '.join(allowed)}")
        unknown = [key for key in values if key not in allowed]
        if unknown:
            key = f"{table}.{unknown[0]}" if table else unknown[0]
            self.fail(key, "unknown key", "one of " + ", ".join(allowed))

    def string(self, key, value):
        if not isinstance(value, str):
            self.fail(key, f"{value!r} is not a string", "a quoted string")
        return value

    def input_options(self) -> dict:
        """The ``[input]`` table, checked: types, choices, one messages source, ``name``."""
        if "input" not in self.config:
            self.fail("input", "the table is missing", "an [input] table with messages and name")
        inputs = self.config["input"]
        self.check_keys("input", inputs, _INPUT_KEYS)
        options = {}
        for key, value in inputs.items():
            if key in _BOOLEAN_KEYS:
                if not isinstance(value, bool):
                    self.fail(f"input.{key}", f"{value!r} is not a boolean", "true or false")
                options[key] = value
            else:
                options[key] = self.string(f"input.{key}", value)
            if key in _CHOICES and value not in _CHOICES[key]:
                self.fail(f"input.{key}", f"unknown value {value!r}",
                          "one of " + ", ".join(_CHOICES[key]))
        if "name" not in options:
            self.fail("input.name", "the key is missing", "a value for it")
        for one, other in (("messages", "query"), ("events", "events_query")):
            if one in options and other in options:
                self.fail(f"input.{other}", f"given together with input.{one}", "one of the two")
        if "messages" not in options and "query" not in options:
            self.fail("input.messages", "the key is missing",
                      "the export file (or input.query, a DuckDB query)")
        if "database" in options and not ("query" in options or "events_query" in options):
            self.fail("input.database", "only a query reads it", "input.query as well")
        if options.get("layout") == "tickets" and ("events" in options
                                                   or "events_query" in options):
            self.fail("input.events", "the tickets layout takes resolutions from its "
                      "resolved_at column", "no events file with layout = \"tickets\"")
        formats = [key for key in ("date_format", "day_first", "epoch") if options.get(key)]
        if len(formats) > 1:
            self.fail(f"input.{formats[1]}", f"given together with input.{formats[0]}",
                      "one way to read the timestamps")
        if "date_format" in options and "%" not in options["date_format"]:
            self.fail("input.date_format", f"{options['date_format']!r} has no % directive",
                      'a strftime format such as "%m/%d/%Y" or "%d/%m/%Y %H:%M"')
        if not _NAME.fullmatch(options["name"]):
            self.fail("input.name", f"{options['name']!r} cannot name a report folder",
                      "letters, digits, '_', '-' or '.'")
        if "source_tz" in options:
            try:
                zoneinfo.ZoneInfo(options["source_tz"])
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                self.fail("input.source_tz", f"unknown time zone {options['source_tz']!r}",
                          "an IANA zone such as America/Sao_Paulo")
        self.read = self.read_options(options)
        return options

    def read_options(self, options) -> dict:
        """``sep``, ``encoding`` and ``sheet`` for :func:`read_table`, checked."""
        read = {"mapping": self.file}
        if "delimiter" in options:
            delimiter = {"\\t": "\t"}.get(options["delimiter"], options["delimiter"])
            if len(delimiter) != 1:
                self.fail("input.delimiter", f"{options['delimiter']!r} is not one character",
                          "a single character such as ',' or ';'")
            read["sep"] = delimiter
        if "encoding" in options:
            try:
                codecs.lookup(options["encoding"])
            except LookupError:
                self.fail("input.encoding", f"unknown encoding {options['encoding']!r}",
                          "a codec name such as utf-8 or cp1252")
            read["encoding"] = options["encoding"]
        if "sheet" in options:
            read["sheet"] = options["sheet"]
        return read

    def table(self, options, file_key, query_key):
        """The raw rows of the file or query: ``(frame, source label, file row numbers)``."""
        if query_key in options:
            from analytics.load.sources.sql import run_query

            database = (self.resolve("input.database", options["database"])
                        if "database" in options else None)
            source = f"{self.file} [input] {query_key}"
            raw = run_query(options[query_key], label=source, folder=self.file.parent,
                            database=database)
        else:
            path = self.resolve(f"input.{file_key}", options[file_key])
            raw, source = read_table(path, **self.read), str(path)
        return raw, source, np.arange(1, len(raw) + 1)

    def derive(self) -> dict:
        derive = self.config.get("derive", {})
        self.check_keys("derive", derive, _DERIVE_KEYS)
        values = {}
        for key in _DERIVE_KEYS:
            value = derive.get(key, False)
            if not isinstance(value, bool):
                self.fail(f"derive.{key}", "not a boolean", "true or false")
            values[key] = value
        return values

    def constants(self, allowed=_CONSTANT_COLUMNS) -> dict:
        constants = self.config.get("constants", {})
        self.check_keys("constants", constants, allowed)
        return {key: self.string(f"constants.{key}", value) for key, value in constants.items()}

    def filter_rows(self, table, raw, source, rows):
        """``raw`` without the rows ``[table.keep]`` does not list or ``[table.drop]`` lists.

        Cells are compared as trimmed, case-insensitive text ("" = blank), so a CSV's ``t``
        and a Parquet boolean's ``True`` are matched by the values written for them.
        """
        spec = self.config.get(table, {})
        self.check_keys(table, spec, ("keep", "drop"))
        keep = pd.Series(True, index=raw.index)
        for mode, columns in spec.items():
            self.check_keys(f"{table}.{mode}", columns, tuple(map(str, raw.columns)))
            for column, values in columns.items():
                key = f"{table}.{mode}.{column}"
                if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                    self.fail(key, f"{values!r} is not a list of strings",
                              'a list such as ["0", "1"] ("" = a blank cell)')
                cells = raw[column].astype("str").str.strip().str.lower().fillna("")
                listed = cells.isin([value.strip().lower() for value in values])
                keep &= listed if mode == "keep" else ~listed
        if not keep.all():
            if not keep.any():
                raise InputError(source, f"the mapping's [{table}] leaves no rows",
                                 expected=f"values of [{table}] that the export holds")
            raw, rows = raw[keep.to_numpy()], rows[keep.to_numpy()]
        return raw, rows

    def resolve(self, key, value) -> Path:
        path = self.file.parent / value
        if not path.exists():
            self.fail(key, f"{path} not found", "a path relative to the mapping file")
        return path

    def columns(self, table, raw, source, allowed, required, exclude=()) -> dict:
        """``{log column: export column}`` from ``[table]``, each present in ``raw``.

        A query's result needs no ``[columns]`` when its columns already have the log's names.
        """
        mapping = self.config.get(table)
        if mapping is None and " [input] " in source:
            mapping = {key: key for key in allowed if key in raw.columns and key not in exclude}
        if mapping is None:
            self.fail(table, "the table is missing", f"[{table}] mapping {', '.join(required)}")
        self.check_keys(table, mapping, allowed)
        for key in required:
            if key not in mapping:
                self.fail(f"{table}.{key}", "the key is missing",
                          f"the {Path(source).name} column that holds {key}")
        for key, column in mapping.items():
            self.string(f"{table}.{key}", column)
            if key in exclude:
                self.fail(f"{table}.{key}", "also given in [constants]", "one of the two")
            if column not in raw.columns:
                self.fail(f"{table}.{key}", f"column {column!r} is not in {Path(source).name}",
                          "one of " + ", ".join(map(str, raw.columns)))
        return mapping

    def apply_values(self, table, raw, columns) -> pd.DataFrame:
        """The mapped columns under their log names, with ``[table.<column>]`` substituted;
        the key ``""`` gives blank cells a value."""
        values = self.config.get(table, {})
        self.check_keys(table, values, tuple(columns))
        frame = pd.DataFrame({log: raw[export] for log, export in columns.items()})
        for log, substitutions in values.items():
            if not isinstance(substitutions, dict):
                self.fail(f"{table}.{log}", "not a table", "export value = log value pairs")
            for export_value, log_value in substitutions.items():
                self.string(f"{table}.{log}.{export_value}", log_value)
            text = frame[log].astype("str").str.strip().fillna("")
            replaced = text.replace(substitutions)
            frame[log] = replaced.mask(replaced == "")
        return frame


@contextmanager
def _export_terms(columns: dict, rows):
    """Re-raise a validation InputError with the export's column name, not the log's, and the
    row of the file (filtered rows are not counted away)."""
    try:
        yield
    except InputError as error:
        column = columns.get(error.column, error.column)
        row = int(rows[error.row - 1]) if error.row is not None else None
        expected = error.expected
        if error.message == "the cell is blank" and error.column in columns:
            expected += f' (or [values.{error.column}] "" = the value for blank cells)'
        if (column, row, expected) == (error.column, error.row, error.expected):
            raise
        raise InputError(error.source, error.message, row=row, column=column,
                         expected=expected, found=error.found) from None
