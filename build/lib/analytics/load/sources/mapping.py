"""Map a helpdesk export to the message log with a small TOML file instead of code.

The mapping file has these tables (paths are relative to the mapping file)::

    [input]
    messages = "export.csv"           # required: the message export (CSV or Parquet)
    events = "events.csv"             # optional: status changes (needs [event_columns])
    delimiter = ","                   # optional: CSV separator; guessed when absent
    encoding = "utf-8"                # optional: text encoding of the CSV files
    source_tz = "America/Sao_Paulo"   # optional: IANA zone of naive timestamps
    name = "my_helpdesk"              # required: short name, used as the report folder
    description = "..."               # optional: one line on the data, shown in reports

    [columns]                         # log column = export column
    message_id = "Comment ID"         # required
    conversation_id = "Ticket ID"     # required
    sent_at = "Created at"            # required
    channel = "Via"                   # required
    author_type = "Author role"       # required
    direction = "Direction"           # required unless derived, see [derive]
    customer_id = "Requester email"   # optional: without it every customer is unknown
    agent_id = "Author"               # optional
    text = "Body"                     # optional

    [values.author_type]              # export value = log value, for any mapped column;
    "end-user" = "customer"           # values not listed are kept as they are
    [derive]
    direction_from_author_type = true # inbound for customer, outbound otherwise, wherever
                                      # the direction column is absent or blank
    [event_columns]                   # conversation_id, event and at required; agent_id
    [event_values.event]              # optional; values as in [values]

Every problem (unknown table or key, a value of the wrong type, an export column that does not
exist, a required key missing) raises InputError naming the mapping file and the key. Problems
in the data itself name the export file, the row and the export column.
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
    validate_events,
    validate_messages,
)

_TABLES = ("input", "columns", "values", "derive", "event_columns", "event_values")
_INPUT_KEYS = ("messages", "events", "delimiter", "encoding", "source_tz", "name",
               "description")
_MESSAGE_REQUIRED = ("message_id", "conversation_id", "sent_at", "channel", "author_type")
_DERIVE_KEYS = ("direction_from_author_type",)
# The report folder is named after the source: keep it a plain file name.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def load_mapped(mapping_path) -> SupportLog:
    """Load a helpdesk export described by a TOML mapping file (see the module docstring).

    Parameters
    ----------
    mapping_path : str or Path
        The mapping file.

    Returns
    -------
    SupportLog
        ``messages`` with the log columns ``message_id, conversation_id, customer_id, channel,
        sent_at, direction, author_type, agent_id, text`` (unmapped export columns are
        dropped); ``events`` (``conversation_id, event, at, agent_id``) when an events file is
        given; ``source`` = ``[input] name``, ``time_precision`` second, synthetic False.

    Raises
    ------
    InputError
        A problem in the mapping (names the mapping file and the key) or in the exports (names
        the export file, row and column).
    """
    mapping_path = Path(mapping_path)
    spec = _Spec(mapping_path, _read_mapping(mapping_path))
    options = spec.input_options()
    read_options = spec.read_options(options)
    source_tz = options.get("source_tz")

    messages_path = spec.resolve("input.messages", options["messages"])
    raw = read_table(messages_path, **read_options)
    from_author = spec.derive_direction()
    required = _MESSAGE_REQUIRED + (() if from_author else ("direction",))
    columns = spec.columns("columns", raw, messages_path, MESSAGE_COLUMNS + MESSAGE_OPTIONAL,
                           required)
    frame = spec.apply_values("values", raw, columns)
    if from_author:
        frame["direction"] = _derive_direction(frame)
    # Unmapped optional log columns (customer_id) are added empty.
    frame = frame.reindex(columns=list(dict.fromkeys(MESSAGE_COLUMNS + tuple(frame))))
    with _export_terms(columns):
        messages = validate_messages(frame, source=str(messages_path), source_tz=source_tz)

    events = empty_events()
    if "events" in options:
        events_path = spec.resolve("input.events", options["events"])
        raw_events = read_table(events_path, **read_options)
        event_columns = spec.columns("event_columns", raw_events, events_path,
                                     EVENT_COLUMNS + EVENT_OPTIONAL, EVENT_COLUMNS)
        event_frame = spec.apply_values("event_values", raw_events, event_columns)
        with _export_terms(event_columns):
            events = validate_events(event_frame, messages, source=str(events_path),
                                     source_tz=source_tz)
    elif "event_columns" in spec.config or "event_values" in spec.config:
        spec.fail("input.events", "[event_columns] is given but no events file",
                  "input.events = the events export")
    description = options.get("description") or (
        f"{options['name']}: helpdesk export {messages_path.name} mapped by {mapping_path.name}")
    return SupportLog(messages=messages, events=events, source=options["name"],
                      time_precision="second", synthetic=False, description=description)


def _derive_direction(frame: pd.DataFrame) -> pd.Series:
    """The mapped direction, or inbound for customers / outbound for others where blank."""
    author = frame["author_type"].astype("str").str.strip().str.lower()
    derived = pd.Series(np.where(author == "customer", "inbound", "outbound"),
                        index=frame.index, dtype="str")
    if "direction" not in frame:
        return derived
    given = frame["direction"].astype("str").str.strip()
    return given.mask(given.isna() | (given == ""), derived)


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
        """The ``[input]`` table, checked: all strings, ``messages`` and ``name`` present."""
        if "input" not in self.config:
            self.fail("input", "the table is missing", "an [input] table with messages and name")
        inputs = self.config["input"]
        self.check_keys("input", inputs, _INPUT_KEYS)
        options = {key: self.string(f"input.{key}", value) for key, value in inputs.items()}
        for key in ("messages", "name"):
            if key not in options:
                self.fail(f"input.{key}", "the key is missing", "a value for it")
        if not _NAME.fullmatch(options["name"]):
            self.fail("input.name", f"{options['name']!r} cannot name a report folder",
                      "letters, digits, '_', '-' or '.'")
        if "source_tz" in options:
            try:
                zoneinfo.ZoneInfo(options["source_tz"])
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                self.fail("input.source_tz", f"unknown time zone {options['source_tz']!r}",
                          "an IANA zone such as America/Sao_Paulo")
        return options

    def read_options(self, options) -> dict:
        """``sep`` and ``encoding`` for :func:`read_table`, checked."""
        read = {}
        if "delimiter" in options:
            if len(options["delimiter"]) != 1:
                self.fail("input.delimiter", f"{options['delimiter']!r} is not one character",
                          "a single character such as ',' or ';'")
            read["sep"] = options["delimiter"]
        if "encoding" in options:
            try:
                codecs.lookup(options["encoding"])
            except LookupError:
                self.fail("input.encoding", f"unknown encoding {options['encoding']!r}",
                          "a codec name such as utf-8 or cp1252")
            read["encoding"] = options["encoding"]
        return read

    def derive_direction(self) -> bool:
        derive = self.config.get("derive", {})
        self.check_keys("derive", derive, _DERIVE_KEYS)
        value = derive.get("direction_from_author_type", False)
        if not isinstance(value, bool):
            self.fail("derive.direction_from_author_type", "not a boolean", "true or false")
        return value

    def resolve(self, key, value) -> Path:
        path = self.file.parent / value
        if not path.exists():
            self.fail(key, f"{path} not found", "a path relative to the mapping file")
        return path

    def columns(self, table, raw, export, allowed, required) -> dict:
        """``{log column: export column}`` from ``[table]``, each present in ``raw``."""
        mapping = self.config.get(table)
        if mapping is None:
            self.fail(table, "the table is missing", f"[{table}] mapping {', '.join(required)}")
        self.check_keys(table, mapping, allowed)
        for key in required:
            if key not in mapping:
                self.fail(f"{table}.{key}", "the key is missing",
                          f"the {export.name} column that holds {key}")
        for key, column in mapping.items():
            self.string(f"{table}.{key}", column)
            if column not in raw.columns:
                self.fail(f"{table}.{key}", f"column {column!r} is not in {export.name}",
                          "one of " + ", ".join(map(str, raw.columns)))
        return mapping

    def apply_values(self, table, raw, columns) -> pd.DataFrame:
        """The mapped columns under their log names, with ``[table.<column>]`` substituted."""
        values = self.config.get(table, {})
        self.check_keys(table, values, tuple(columns))
        frame = pd.DataFrame({log: raw[export] for log, export in columns.items()})
        for log, substitutions in values.items():
            if not isinstance(substitutions, dict):
                self.fail(f"{table}.{log}", "not a table", "export value = log value pairs")
            for export_value, log_value in substitutions.items():
                self.string(f"{table}.{log}.{export_value}", log_value)
            frame[log] = frame[log].astype("str").str.strip().replace(substitutions)
        return frame


@contextmanager
def _export_terms(columns: dict):
    """Re-raise a validation InputError with the export's column name, not the log's."""
    try:
        yield
    except InputError as error:
        if error.column not in columns:
            raise
        raise InputError(error.source, error.message, row=error.row,
                         column=columns[error.column], expected=error.expected,
                         found=error.found) from None
