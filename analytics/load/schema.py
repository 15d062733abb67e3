"""The message log's schema and its validation: columns, allowed values, timestamps, ids.

Every source (files, adapters, mappings) ends in :func:`validate_messages` (and
:func:`validate_events`, :func:`validate_self_service`), which return frames in UTC, ordered by
time, or raise :class:`analytics.errors.InputError` naming the file, row and column.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analytics.errors import InputError
from analytics.load.channel_names import normalize_channels
from analytics.load.scans import in_time_order, text_flags

MESSAGE_COLUMNS = ("message_id", "conversation_id", "customer_id", "channel", "sent_at",
                   "direction", "author_type")
MESSAGE_OPTIONAL = ("agent_id", "text")
DIRECTIONS = ("inbound", "outbound")
AUTHOR_TYPES = ("customer", "agent", "bot", "system")

EVENT_COLUMNS = ("conversation_id", "event", "at")
EVENT_OPTIONAL = ("agent_id",)
EVENT_TYPES = ("resolved", "reopened", "handoff", "transfer")

SELF_SERVICE_COLUMNS = ("session_id", "customer_id", "started_at", "source")
SELF_SERVICE_OPTIONAL = ("topic",)
SELF_SERVICE_SOURCES = ("help_center", "faq", "app", "ivr", "chatbot")

# An offset counts only after a time of day: the "-04" ending a bare date is its day.
_OFFSET = r"[Tt ]\d{1,2}(?::?\d{2}){0,2}(?:[.,]\d+)?\s*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$"


@dataclass(frozen=True)
class SupportLog:
    """Everything a report reads: messages, events, self-service sessions and source facts.

    Attributes
    ----------
    messages : DataFrame
        The validated message log (columns in the module docstring), ``sent_at`` in UTC,
        sorted by time with inbound before outbound at equal timestamps, then input order.
    events : DataFrame
        ``conversation_id, event, at, agent_id``; empty when the source has none.
    self_service : DataFrame or None
        ``session_id, customer_id, started_at, source, topic``; None when the source has none.
    conversation_attributes : DataFrame or None
        One row per conversation with what the source knows beyond messages (company,
        purchase channel, rating...), indexed by ``conversation_id``.
    source : str
        Short name used in report paths (``demo``, ``twcs``, ``consumidor_gov``, ``messages``).
    time_precision : str
        ``"second"`` or ``"day"`` (the source only records dates).
    synthetic : bool
        True when the data is generated, never real: every report says so.
    description : str
        One line on where the data comes from (origin, license), shown in reports.
    agent_ids : str
        ``"person"`` when ``agent_id`` names the person who replied, ``"company"`` when it
        names the brand account or the company (twcs, consumidor.gov.br): then the number of
        people handling a conversation is unknown, not 1.
    message_detail : str
        ``"messages"`` when every customer message is logged, ``"milestones"`` when the source
        records only the complaint and the answers (consumidor.gov.br): then customer effort
        in messages is unknown.
    """

    messages: pd.DataFrame
    events: pd.DataFrame = field(default_factory=lambda: empty_events())
    self_service: pd.DataFrame | None = None
    conversation_attributes: pd.DataFrame | None = None
    source: str = "messages"
    time_precision: str = "second"
    synthetic: bool = False
    description: str = ""
    agent_ids: str = "person"
    message_detail: str = "messages"

    @property
    def has_resolution_events(self) -> bool:
        """True when the source records when conversations were resolved."""
        return bool((self.events["event"] == "resolved").any())

    @property
    def latest_timestamp(self) -> pd.Timestamp:
        """The latest time in the messages and events (the default analysis cut-off)."""
        latest = self.messages["sent_at"].max()
        if len(self.events):
            latest = max(latest, self.events["at"].max())
        return latest

    def replace(self, **changes) -> SupportLog:
        return dataclasses.replace(self, **changes)


def empty_events() -> pd.DataFrame:
    return pd.DataFrame({
        "conversation_id": pd.Series(dtype="str"),
        "event": pd.Series(dtype="str"),
        "at": pd.Series(dtype="datetime64[ns, UTC]"),
        "agent_id": pd.Series(dtype="str"),
    })


def _require_columns(frame, required, source):
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(source, f"missing column(s) {', '.join(missing)}",
                         expected=f"columns {', '.join(required)}",
                         found=", ".join(map(str, frame.columns)))


def _fail_at(mask: pd.Series, frame, source, column, message, expected):
    """Raise InputError for the first True of ``mask`` (positional row, 1-based)."""
    position = int(np.flatnonzero(mask.to_numpy())[0])
    found = frame[column].iloc[position]
    raise InputError(source, message, row=position + 1, column=column, expected=expected,
                     found=None if pd.api.types.is_scalar(found) and pd.isna(found) else found)


def parse_timestamps(values: pd.Series, *, source, column, source_tz=None) -> pd.Series:
    """Parse ISO 8601 timestamps to UTC.

    Values must carry an offset (``2024-03-01T09:15:00-03:00`` or ``...Z``); naive values are
    accepted only when ``source_tz`` (an IANA zone) says where they were recorded, and are then
    localised in that zone (DST gaps shift forward, repeated hours take the first occurrence).
    """
    frame = values.to_frame()
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert("UTC").astype("datetime64[ns, UTC]")
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        if source_tz is None:
            raise InputError(source, "timestamps have no time zone", column=column,
                             expected="timestamps with an offset, or a source time zone (--source-tz)")
        return _localize(values, source_tz).astype("datetime64[ns, UTC]")
    text = values.astype("str").str.strip()
    missing = values.isna() | (text == "")
    if missing.any():
        _fail_at(missing, frame, source, column, "the timestamp is empty",
                 "an ISO 8601 timestamp such as 2024-03-01T09:15:00-03:00")
    has_offset = text.str.contains(_OFFSET, regex=True)
    _refuse_other_formats(text, ~has_offset, frame, source, column)
    # Text that is no date at all ("yesterday", "not-a-date") lacks more than an offset:
    # saying "no UTC offset" would send the user after the wrong fix.
    undated = ~has_offset & ~text.str.match(r"\d{4}-\d{2}-\d{2}")
    if undated.any():
        _fail_at(undated, frame, source, column, "the timestamp cannot be read",
                 "an ISO 8601 timestamp such as 2024-03-01T09:15:00-03:00")
    if not has_offset.all() and source_tz is None:
        _fail_at(~has_offset, frame, source, column, "the timestamp has no UTC offset",
                 "an offset such as -03:00 or Z, or a source time zone (--source-tz)")
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]")
    if has_offset.any():
        parsed = pd.to_datetime(text[has_offset], format="ISO8601", utc=True, errors="coerce")
        result[has_offset] = parsed
    if (~has_offset).any():
        naive = pd.to_datetime(text[~has_offset], format="ISO8601", errors="coerce")
        result[~has_offset] = _localize(naive, source_tz)
    bad = result.isna()
    if bad.any():
        _fail_at(bad, frame, source, column, "the timestamp cannot be read",
                 "an ISO 8601 timestamp such as 2024-03-01T09:15:00-03:00")
    return result.astype("datetime64[ns, UTC]")


#: Timestamps that are not ISO 8601, and the mapping key that reads each (docs/mapping.md).
_OTHER_FORMATS = (
    (r"\d{9,10}(?:\.\d+)?", "epoch seconds", 'a mapping with [input] epoch = "s"'),
    (r"\d{12,13}", "epoch milliseconds", 'a mapping with [input] epoch = "ms"'),
    (r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?:[ T].*)?", "a day/month or month/day date",
     'ISO 8601 (2026-10-05T09:15:00-03:00), or a mapping with [input] date_format = '
     '"%d/%m/%Y %H:%M" (day first) or "%m/%d/%Y %H:%M" (US order)'),
)


def _refuse_other_formats(text: pd.Series, candidates: pd.Series, frame, source, column):
    """Name the fix for epoch numbers and slash dates, which ISO 8601 parsing cannot place:
    ``05/10/2026`` is 5 October or May 10 depending on the export."""
    if not candidates.any():
        return
    for pattern, what, fix in _OTHER_FORMATS:
        other = candidates & text.str.fullmatch(pattern)
        if other.any():
            _fail_at(other, frame, source, column, f"the timestamp is {what}, not ISO 8601",
                     fix + " (docs/mapping.md)")


def _localize(naive: pd.Series, tz) -> pd.Series:
    try:
        local = naive.dt.tz_localize(tz, ambiguous=np.ones(len(naive), dtype=bool),
                                     nonexistent="shift_forward")
    except Exception as exc:  # zoneinfo raises KeyError subclasses for unknown zones
        raise InputError("--source-tz", f"unknown time zone {tz!r} ({exc})",
                         expected="an IANA zone such as America/Sao_Paulo") from None
    return local.dt.tz_convert("UTC")


#: The message of a repeated id (out of core, the check across buckets gives the same).
DUPLICATE_ID = "duplicate id"


def _check_unique(frame, column, source):
    values = frame[column]
    if _strictly_increasing(values) or pd.Index(values).is_unique:
        return
    dup = values.duplicated(keep="first")
    if dup.any():
        _fail_at(dup, frame, source, column, DUPLICATE_ID, "each value to appear once")


def _strictly_increasing(values: pd.Series) -> bool:
    """True when each value is greater than the one before (so no value repeats).

    Exports often list ids in order: then one comparison of neighbours proves uniqueness
    without hashing ten million strings. Arrow-backed strings only; False otherwise.
    """
    dtype = values.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow") or len(values) < 2:
        return False
    import pyarrow.compute as pc

    data = values.array.__arrow_array__()
    if data.null_count:
        return False
    return bool(pc.all(pc.less(data[:-1], data[1:])).as_py())


def _check_values(frame, column, allowed, source):
    values = frame[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        # Categories first: rows only matter when a category (or a missing value) is bad.
        if values.cat.categories.isin(allowed).all() and not (values.cat.codes < 0).any():
            return
    bad = ~values.isin(allowed)
    if bad.any():
        first = bad.to_numpy().argmax()
        blank = pd.isna(values.iloc[first])  # shown as "the cell is blank", not as 'nan'
        _fail_at(bad, frame, source, column, "the cell is blank" if blank else "unknown value",
                 "one of " + ", ".join(allowed))


def _is_in(values: pd.Series, pool) -> pd.Series:
    """``values.isin(pool)``; a categorical is looked up category by category (pandas' own
    ``isin`` on one took 0.32 s of 10M validated messages)."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return values.isin(pool)
    hit = np.append(values.cat.categories.isin(pool), False)  # code -1 (missing): False
    return pd.Series(hit[values.cat.codes.to_numpy()], index=values.index)


def _text_column(frame, column):
    """Strings with blanks as missing (pandas' string dtype; categoricals stay categoricals,
    cleaned category by category)."""
    if column not in frame.columns:
        return _missing_text(frame.index)
    values = frame[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        return _recode(values, _text_column(pd.DataFrame({"c": values.cat.categories}), "c"))
    values = values.astype("str")
    if _arrow_strings(values):
        edge, empty = text_flags(values.array.__arrow_array__())
        if not (edge or empty):  # a clean column: nothing to strip, no blank cell
            return values
    values = _unless_same(values, "strip")
    blank = values == ""  # missing cells stay missing through astype and strip
    return values.mask(blank) if blank.any() else values


def _missing_text(index: pd.Index) -> pd.Series:
    """An all-missing ``str`` column: one Arrow null array, where ``pd.Series(pd.NA,
    dtype="str")`` writes a missing value row by row (0.02 s instead of 0.4 s at 10^7 rows)."""
    import pyarrow as pa

    return pd.Series(pd.array(pa.nulls(len(index), pa.large_string()), dtype="str"),
                     index=index)


def _unless_same(values: pd.Series, method: str) -> pd.Series:
    """``values.str.<method>()``, or ``values`` itself when that changes nothing.

    Clean exports change nothing: keeping the input's arrays then avoids holding a second
    copy of millions of strings. A categorical is changed category by category.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = pd.Series(values.cat.categories)
        return _recode(values, getattr(categories.str, method)())
    if method == "strip" and _arrow_strings(values) and not _may_have_edge_space(values):
        return values
    changed = getattr(values.str, method)()
    if _arrow_strings(values):
        import pyarrow.compute as pc

        same = pc.all(pc.equal(changed.array.__arrow_array__(),
                               values.array.__arrow_array__())).as_py() is not False
    else:
        same = changed.equals(values)
    return values if same else changed


def _may_have_edge_space(values: pd.Series) -> bool:
    """False when no string of ``values`` (Arrow-backed) starts or ends with whitespace
    (:func:`analytics.load.scans.text_flags`); True means: it may have, strip to know."""
    return text_flags(values.array.__arrow_array__())[0]


def _arrow_strings(values) -> bool:
    dtype = values.dtype
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def _recode(values: pd.Series, categories: pd.Series) -> pd.Series:
    """A categorical whose categories become ``categories`` (same order; missing = NA; equal
    values merge). Unchanged when they already are the categories, as ``str``."""
    current = values.cat.categories
    if (_arrow_strings(current) and categories.notna().all() and categories.is_unique
            and pd.Index(categories).equals(current)):
        return values
    new_codes, uniques = pd.factorize(categories.astype("str"))
    codes = np.append(new_codes, -1)[values.cat.codes.to_numpy()]  # code -1 stays missing
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype="str")),
                     index=values.index, name=values.name)


def as_text(values: pd.Series) -> pd.Series:
    """``values.astype("str")``; a categorical of strings goes through Arrow (no objects).

    >>> as_text(pd.Series(["chat", None, "chat"], dtype="category")).tolist()
    ['chat', nan, 'chat']
    """
    if isinstance(values.dtype, pd.CategoricalDtype) and len(values):
        categories = values.cat.categories
        if _arrow_strings(categories):
            import pyarrow as pa

            codes = values.cat.codes.to_numpy()
            dictionary = categories.array.__arrow_array__()
            if isinstance(dictionary, pa.ChunkedArray):
                dictionary = dictionary.combine_chunks()
            taken = dictionary.take(pa.array(codes, mask=codes < 0))
            return pd.Series(pd.array(taken, dtype=categories.dtype), index=values.index,
                             name=values.name)
    return values.astype("str")


def categorical(codes: np.ndarray, uniques: pd.Index) -> pd.Categorical:
    """``pd.Categorical.from_codes(codes, categories=uniques)`` for the output of
    :func:`factorize` (distinct categories, valid codes), without checking again that
    millions of categories are distinct (a hash of every string)."""
    fastpath = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    if fastpath is None:
        return pd.Categorical.from_codes(codes, categories=uniques)
    return pd.Categorical.from_codes(codes, dtype=fastpath(uniques, ordered=False),
                                     validate=False)


def factorize(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(values, sort=False)``: codes in order of first appearance (-1 = missing).

    Arrow-backed strings are dictionary-encoded by Arrow, which hashes them without making
    Python objects (two to three times faster than pandas at 10^7 rows); same result.

    >>> codes, uniques = factorize(pd.Series(["b", "a", None, "b"], dtype="str"))
    >>> codes.tolist(), uniques.tolist()
    ([0, 1, -1, 0], ['b', 'a'])
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        # Factorise the small integer codes, not the strings.
        category = values.cat.codes.to_numpy()
        valid = category >= 0
        codes = np.full(len(values), -1, dtype=np.intp)
        codes[valid], used = pd.factorize(category[valid], sort=False)
        return codes, pd.Index(as_text(pd.Series(values.cat.categories.take(used))),
                               dtype="str")
    if _arrow_strings(values) and len(values):
        return factorize_arrow(values.array.__arrow_array__(), values.dtype)
    codes, uniques = pd.factorize(values, sort=False)
    return codes, pd.Index(uniques)


def factorize_arrow(strings, dtype="str") -> tuple[np.ndarray, pd.Index]:
    """:func:`factorize` of an Arrow string (Chunked)Array, ``dtype`` for the uniques: the
    codes and uniques of the pandas column the array becomes (its conversion is zero-copy)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(strings)
    chunks = encoded.chunks if isinstance(encoded, pa.ChunkedArray) else [encoded]
    if not chunks:
        return np.zeros(0, dtype=np.intp), pd.Index([], dtype=dtype)
    # One memo table runs over all chunks: the last chunk's dictionary holds every value.
    dictionary = chunks[-1].dictionary
    codes = np.concatenate([c.indices.fill_null(-1).to_numpy(zero_copy_only=False)
                            for c in chunks]).astype(np.intp, copy=False)
    return codes, pd.Index(pd.array(dictionary, dtype=dtype))


def validate_messages(frame: pd.DataFrame, *, source="messages", source_tz=None,
                      keep_categorical: bool = False) -> pd.DataFrame:
    """Check a raw message table and return the tidy message log (see module docstring).

    The input is not modified. Raises InputError on the first problem found. Text columns
    come back as ``str``; with ``keep_categorical``, categorical input columns (Parquet
    dictionary columns, see :func:`read_parquet`) stay categoricals, cleaned category by
    category, which saves time and memory on large logs.
    """
    _require_columns(frame, MESSAGE_COLUMNS, source)
    out = pd.DataFrame(index=frame.index)
    for column in ("message_id", "conversation_id"):
        out[column] = _text_column(frame, column)
        missing = out[column].isna()
        if missing.any():
            _fail_at(missing, frame, source, column, "the id is empty", "a non-empty id")
    _check_unique(out, "message_id", source)
    out["customer_id"] = _text_column(frame, "customer_id")
    channel = _text_column(frame, "channel")
    if channel.isna().any():
        _fail_at(channel.isna(), frame, source, "channel", "the channel is empty",
                 "a channel name such as email, chat or whatsapp")
    # Normalise each distinct spelling once, not each of millions of rows.
    if isinstance(channel.dtype, pd.CategoricalDtype):
        channel = _recode(channel, normalize_channels(pd.Series(channel.cat.categories)))
    else:
        codes, spellings = pd.factorize(channel, sort=False)
        canonical = normalize_channels(pd.Series(spellings, dtype="str"))
        if not canonical.equals(pd.Series(spellings, dtype="str")):
            channel = canonical.take(codes).set_axis(frame.index)
    out["channel"] = channel.rename("channel")
    out["sent_at"] = parse_timestamps(frame["sent_at"], source=source, column="sent_at",
                                      source_tz=source_tz)
    for column, allowed in (("direction", DIRECTIONS), ("author_type", AUTHOR_TYPES)):
        out[column] = _unless_same(_text_column(frame, column), "lower")
        _check_values(out, column, allowed, source)
    contradictory = (out["direction"] == "inbound") & _is_in(out["author_type"], ["agent", "bot"])
    if contradictory.any():
        _fail_at(contradictory, frame, source, "author_type",
                 "an inbound message cannot be written by an agent or a bot",
                 "author_type customer (or system) for inbound messages")
    out["agent_id"] = _text_column(frame, "agent_id")
    out["text"] = _text_column(frame, "text")
    if not keep_categorical:
        for column in out.columns:
            if isinstance(out[column].dtype, pd.CategoricalDtype):
                out[column] = as_text(out[column])
    extra = [c for c in frame.columns if c not in out.columns]
    for column in extra:
        out[column] = frame[column]
    return sort_messages(out.reset_index(drop=True))


def sort_messages(messages: pd.DataFrame) -> pd.DataFrame:
    """Order by time, inbound before outbound at equal times, then input order (stable)."""
    outbound_last = (messages["direction"] != "inbound").to_numpy()
    sent = messages["sent_at"]
    # Integer instants (tz-aware datetimes would become an array of Python objects).
    sent = sent.array.asi8 if sent.dtype.kind == "M" or isinstance(
        sent.dtype, pd.DatetimeTZDtype) else sent.to_numpy()
    # Exports usually come in time order: then the stable sort would change nothing.
    if len(sent) > 1 and sent.dtype.kind == "i" and in_time_order(
            sent.astype(np.int64, copy=False), outbound_last.astype(bool, copy=False)):
        return messages.reset_index(drop=True)
    order = np.lexsort((outbound_last, sent))
    return messages.iloc[order].reset_index(drop=True)


def is_member(values: pd.Series, pool: pd.Series) -> pd.Series:
    """``values.isin(pool)`` through one hash table of objects: pandas 3's ``isin`` on Arrow
    strings turns every candidate into a Python scalar first (2 s for 200,000 candidates,
    0.04 s this way)."""
    return values.astype(object).isin(pool.astype(object))


def validate_events(frame: pd.DataFrame, messages: pd.DataFrame, *, source="events",
                    source_tz=None) -> pd.DataFrame:
    """Check an events table (resolved/reopened/handoff/transfer) against the messages."""
    _require_columns(frame, EVENT_COLUMNS, source)
    out = pd.DataFrame(index=frame.index)
    out["conversation_id"] = _text_column(frame, "conversation_id")
    out["event"] = _text_column(frame, "event").str.lower()
    _check_values(out, "event", EVENT_TYPES, source)
    out["at"] = parse_timestamps(frame["at"], source=source, column="at", source_tz=source_tz)
    out["agent_id"] = _text_column(frame, "agent_id")
    unknown = ~is_member(out["conversation_id"], messages["conversation_id"])
    if unknown.any():
        _fail_at(unknown, frame, source, "conversation_id",
                 "event for a conversation that is not in the messages",
                 "a conversation_id present in the message log")
    order = np.argsort(out["at"].to_numpy(), kind="stable")
    return out.iloc[order].reset_index(drop=True)


def validate_self_service(frame: pd.DataFrame, *, source="self-service",
                          source_tz=None) -> pd.DataFrame:
    """Check a self-service sessions table (help centre, FAQ, app, IVR, chatbot visits)."""
    _require_columns(frame, SELF_SERVICE_COLUMNS, source)
    out = pd.DataFrame(index=frame.index)
    out["session_id"] = _text_column(frame, "session_id")
    _check_unique(out, "session_id", source)
    out["customer_id"] = _text_column(frame, "customer_id")
    out["started_at"] = parse_timestamps(frame["started_at"], source=source,
                                         column="started_at", source_tz=source_tz)
    out["source"] = _text_column(frame, "source").str.lower()
    _check_values(out, "source", SELF_SERVICE_SOURCES, source)
    out["topic"] = _text_column(frame, "topic")
    return out.reset_index(drop=True)
