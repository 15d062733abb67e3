"""The facts store of :mod:`analytics.scale.incremental`: its layout (a folder beside the log
holding versioned parts of facts and waits, the messages of the conversations not final, and a
manifest of the parameters), loading it and writing a new version atomically (written beside,
then switched to by renaming ``CURRENT``; a failed run leaves the old version in use)."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analytics.metrics.facts import FACT_COLUMNS, _durations, _seconds
from analytics.metrics.repeats import REPEAT_COLUMNS

#: Bumped when the store's layout or meaning changes (a store of another version is rebuilt).
STORE_VERSION = 1
#: Bookkeeping columns of the stored facts: whether the conversation is final (see the
#: module docstring) and how many of its messages were up to the store's cut-off.
FINAL, ROWS = "_final", "_rows"
#: And the time of its first message (int64 nanoseconds, UTC): where a re-read begins.
FIRST = "_first"
#: In a store part's facts: whether the part also holds the conversation's waits.
WAITS = "_waits"
#: An incremental run that would make more parts than this rewrites the store as one.
MAX_PARTS = 12
_CURRENT = "CURRENT"
_MANIFEST = "manifest.json"
_OPEN = "open-messages.parquet"
#: The modules whose code decides the stored rows: a change to any of them rebuilds the store.
_KERNEL_MODULES = ("analytics.metrics.facts", "analytics.metrics.passes",
                   "analytics.metrics.repeats",
                   "analytics.metrics.kernel", "analytics.calendar", "analytics.load.schema",
                   "analytics.scale.incremental", "analytics.scale.facts_store")


class StoreFallback(UserWarning):
    """A facts store existed but could not be used: the run read the whole log."""


class _Unusable(Exception):
    """Why the store cannot give this run's answer (the run falls back to a full one)."""


@dataclass
class IncrementalRun:
    """What :func:`run_incremental` did and found. Unpacks as ``facts, waits``.

    ``mode`` is ``"incremental"`` or ``"full"``; ``reason`` says why a run was full (None for
    an incremental one); ``rows_read`` counts the message rows read from the log (every row
    up to the cut-off in a full run), ``rows_computed`` those run through the kernel (the
    read ones and the stored messages of the open conversations) and
    ``conversations_read`` their conversations; ``new_rows`` the rows after the store's
    cut-off (incremental runs); ``conversations`` and ``wait_rows`` what the store holds
    (all the log's conversations up to the cut-off), of which ``facts`` and ``waits`` hold
    those active since ``active_since`` (all of them when it is None).
    """

    facts: pd.DataFrame
    waits: pd.DataFrame
    mode: str
    reason: str | None
    as_of: pd.Timestamp
    store: Path
    rows_read: int
    rows_computed: int
    conversations_read: int
    new_rows: int = 0
    timings: dict = field(default_factory=dict)
    parts: int = 1
    active_since: pd.Timestamp | None = None
    conversations: int = 0
    wait_rows: int = 0

    def __iter__(self):
        return iter((self.facts, self.waits))


@dataclass
class _Update:
    """What a run writes into the store: a new part (``facts`` with the bookkeeping columns
    and ``_final``/``_waits``, and ``waits``; pandas frames or Arrow tables), the earlier
    parts it keeps beside it (``previous`` in ``folder``; None: the part is the whole store),
    the messages of the conversations not final, the store's totals (``log_rows``,
    ``conversations``, ``waits``, ``final``) and, for an incremental run, ``whole``: a
    function giving the whole store as one part (facts, waits), used when the parts would
    grow too many or too large."""

    facts: object
    waits: object
    open_rows: pd.DataFrame
    totals: dict
    previous: list | None = None
    folder: Path | None = None
    whole: object = None


def default_store(path) -> Path:
    """The store of a log: ``<log>.facts`` beside it (``messages.parquet.facts/``)."""
    return Path(str(path).rstrip("/\\") + ".facts")


#: Rows per row group of a stored waits file: a run reads only the groups holding the waits
#: it returns.
WAIT_GROUP_ROWS = 2**17


class _StoredWaits:
    """The waits of every part of a version: their conversation ids read at once, every
    other column only for the rows a run asks for (the row groups holding them)."""

    def __init__(self, files: list, rows: list):
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.files = files
        self.rows = rows
        chunks = [pq.read_table(file, columns=["conversation_id"]).column(0)
                  for file in files]
        self.ids = pa.chunked_array([c for chunk in chunks for c in chunk.chunks],
                                    type=chunks[0].type)
        self.schema = pq.read_schema(files[0])
        self.num_rows = len(self.ids)

    def take(self, mask: np.ndarray):
        """The rows where ``mask`` is True (an Arrow table, in stored order)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        pieces, offset = [], 0
        try:
            for file, n in zip(self.files, self.rows, strict=True):
                wanted = mask[offset:offset + n]
                offset += n
                if not wanted.any():
                    continue
                with pq.ParquetFile(file) as handle:
                    sizes = [handle.metadata.row_group(i).num_rows
                             for i in range(handle.num_row_groups)]
                    bounds = np.concatenate(([0], np.cumsum(sizes)))
                    groups = [i for i in range(len(sizes))
                              if wanted[bounds[i]:bounds[i + 1]].any()]
                    table = handle.read_row_groups(groups)
                within = np.concatenate([wanted[bounds[i]:bounds[i + 1]] for i in groups])
                pieces.append(table.filter(pa.array(within)))
        except Exception as exc:  # a damaged file: pyarrow raises many types
            raise _Unusable(f"its waits cannot be read ({exc.__class__.__name__}: "
                            f"{exc})") from None
        if not pieces:
            return self.schema.empty_table()
        return pa.concat_tables(pieces)


@dataclass
class _State:
    """The store's last run: its cut-off, the log's rows up to it, its facts as an Arrow
    table and its waits (all parts, ``live`` and ``live_waits`` marking the rows no later
    part replaced; rows are selected and joined in Arrow and converted once), and the
    messages of the conversations not final."""

    as_of: pd.Timestamp
    log_rows: int
    facts: object  # pyarrow.Table
    waits: _StoredWaits
    live: np.ndarray
    live_waits: np.ndarray
    open_rows: pd.DataFrame
    parts: list
    folder: Path


# --- Arrow helpers --------------------------------------------------------------------------


def _union(*arrays):
    """The distinct non-missing strings of several pyarrow (chunked) arrays."""
    import pyarrow as pa
    import pyarrow.compute as pc

    chunks = []
    for array in arrays:
        parts = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
        chunks += [part.cast(pa.string()) for part in parts]
    return pc.unique(pa.chunked_array(chunks, type=pa.string())).drop_null()


def _arrow_isin(values, wanted) -> np.ndarray:
    """Whether each of ``values`` (a pyarrow string array) is in ``wanted`` (bool array;
    missing values are in nothing)."""
    import pyarrow.compute as pc

    if isinstance(values, pd.Series):
        values = values.array.__arrow_array__()
    found = pc.is_in(values, value_set=wanted, skip_nulls=True)
    return found.fill_null(False).to_numpy(zero_copy_only=False).astype(bool, copy=False)


def _strings(values):
    """A pyarrow string array of ``values`` (a str Series or array; missing dropped)."""
    import pyarrow as pa

    values = pd.Series(values, dtype="str") if not isinstance(values, pd.Series) else values
    array = values.array.__arrow_array__() if hasattr(values.array, "__arrow_array__") \
        else pa.array(values.to_numpy(dtype=object), type=pa.string())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array.cast(pa.string()).drop_null()


def _in_schema(frame: pd.DataFrame, schema):
    """A pandas frame as an Arrow table of ``schema`` (its columns, in their stored types)."""
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, preserve_index=False)
    return pa.Table.from_arrays([table.column(name).cast(schema.field(name).type)
                                 for name in schema.names], schema=schema)


def _to_pandas(stored, fresh: pd.DataFrame) -> pd.DataFrame:
    """Stored rows (Arrow) and fresh rows (pandas) as one frame, in the stored dtypes; the
    Arrow buffers are freed column by column as they are converted."""
    import pyarrow as pa

    combined = pa.concat_tables([stored, _in_schema(fresh, stored.schema)])
    del stored
    return combined.to_pandas(split_blocks=True, self_destruct=True)


# --- what the store records of each conversation ------------------------------------------


def _row_counts(messages: pd.DataFrame, as_of) -> pd.Series:
    """Messages up to ``as_of`` per conversation id (validated ids)."""
    return _bookkeeping(messages, as_of)[ROWS]


def _bookkeeping(messages: pd.DataFrame, as_of) -> pd.DataFrame:
    """Per conversation id (validated ids) of the messages up to ``as_of``: their number
    (``_rows``) and the first one's time (``_first``, int64 nanoseconds; ``messages`` are in
    time order, as validation leaves them)."""
    messages = messages.loc[(messages["sent_at"] <= as_of).to_numpy()]
    ids = messages["conversation_id"]
    if isinstance(ids.dtype, pd.CategoricalDtype):
        codes, names = ids.cat.codes.to_numpy(), ids.cat.categories
    else:
        from analytics.load.schema import factorize

        codes, names = factorize(ids.astype("str"))
    counts = np.bincount(codes, minlength=len(names))
    sent = messages["sent_at"].dt.as_unit("ns").array.asi8
    first = np.zeros(len(names), dtype=np.int64)
    first[codes[::-1]] = sent[::-1]  # the earliest row of each conversation is written last
    used = counts > 0
    return pd.DataFrame({ROWS: counts[used], FIRST: first[used]},
                        index=pd.Index(pd.Series(names[used]).astype("str"), dtype="str"))


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns as ``str`` (frames of other categories can then be concatenated)."""
    from analytics.load.schema import as_text

    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = as_text(frame[column])
    return frame


def _open_rows(messages: pd.DataFrame, facts: pd.DataFrame, final: np.ndarray,
               as_of) -> pd.DataFrame:
    """The validated, compacted messages (up to ``as_of``) of the conversations not final,
    categoricals as ``str``: stored so that the next run need not look for them in the log."""

    ids = _strings(facts.loc[~final, "conversation_id"])
    conversation = messages["conversation_id"]
    if isinstance(conversation.dtype, pd.CategoricalDtype):
        keep = _arrow_isin(pd.Series(conversation.cat.categories).astype("str"), ids)
        keep = np.append(keep, False)[conversation.cat.codes.to_numpy()]
    else:
        keep = _arrow_isin(conversation.astype("str"), ids)
    keep &= (messages["sent_at"] <= as_of).to_numpy()
    return _plain(messages.loc[keep].reset_index(drop=True))


def _final(facts: pd.DataFrame, waits: pd.DataFrame, as_of, inactivity) -> np.ndarray:
    """Whether each conversation's facts and waits are final at ``as_of`` (see the module
    docstring): no wait open, and, with the inactivity rule, the last message older than
    ``as_of`` minus the horizon."""
    open_waits = waits.loc[~waits["answered"].to_numpy(dtype=bool), "conversation_id"]
    final = ~_arrow_isin(facts["conversation_id"], _strings(open_waits.unique()))
    if inactivity is not None:
        final &= ((as_of - facts["last_message_at"]) >= pd.Timedelta(inactivity)).to_numpy()
    return final


def _check_rows(messages, expected: pd.DataFrame, old) -> None:
    """Each re-read stored conversation has exactly its stored number of rows up to the old
    cut-off (else its id is spelled otherwise in the log, or the log changed)."""
    found = _row_counts(messages, old).reindex(expected["conversation_id"]).fillna(0)
    differ = found.to_numpy(dtype=np.int64) != expected[ROWS].to_numpy(dtype=np.int64)
    if differ.any():
        first = expected["conversation_id"].to_numpy()[differ][0]
        raise _Unusable(f"{int(differ.sum()):,} stored conversation(s) have other rows in the "
                        f"log up to the store's cut-off than when stored (e.g. {first!r}: its "
                        "id is spelled otherwise in the log, or the log changed)")


# --- stored rows brought up to a later cut-off ------------------------------------------------


def open_wait_ages(opened_at: pd.Series, as_of, calendar=None):
    """Age at ``as_of`` of waits still open, opened at ``opened_at``: seconds and business
    seconds (NaN without a calendar), float arrays, exactly as :func:`reply_waits` gives
    ``age_s`` and ``business_age_s`` (the same steps as its ``_wait_arrays``, on these waits
    alone). Used to bring stored open waits up to a later cut-off without their messages."""
    cut_off = pd.Timestamp(as_of)
    dtype = opened_at.dtype
    if isinstance(dtype, pd.DatetimeTZDtype) and dtype.unit == "ns" and cut_off.tzinfo:
        opened = opened_at.array.asi8
        until = np.full(len(opened), cut_off.value, dtype=np.int64)
        age_s = _durations(until - opened, "ns")
        business = (calendar._working_ns(opened, until) if calendar is not None
                    else np.full(len(opened), np.nan))
    else:
        age_s = _seconds(as_of - opened_at).to_numpy()
        # The end as reply_waits fills it: the cut-off in the log's own dtype.
        until = pd.Series(pd.NaT, index=opened_at.index, dtype=dtype).fillna(as_of)
        business = (calendar.working_seconds(opened_at, until).to_numpy()
                    if calendar is not None else np.full(len(opened_at), np.nan))
    return age_s, business


def _bring_ages_up(facts: pd.DataFrame, waits: pd.DataFrame, n_stored: int, as_of,
                   calendar) -> None:
    """The ages of the stored open waits (the first ``n_stored`` rows of ``waits``) at
    ``as_of``, and of the facts whose first wait they are (in place)."""
    open_ = np.zeros(len(waits), dtype=bool)
    open_[:n_stored] = ~waits["answered"].to_numpy(dtype=bool)[:n_stored]
    rows = np.flatnonzero(open_)
    if not len(rows):
        return
    age_s, business_age_s = open_wait_ages(waits["opened_at"].iloc[rows], as_of, calendar)
    for column, values in (("age_s", age_s), ("business_age_s", business_age_s)):
        column_values = waits[column].to_numpy(dtype=np.float64, copy=True)
        column_values[rows] = values
        waits[column] = column_values
    first = waits["wait_index"].to_numpy()[rows] == 0
    # Which fact row each first open wait belongs to: looked up in the (small) set of their
    # ids, not by hashing millions of fact ids into an index.
    import pyarrow.compute as pc

    found = pc.index_in(_arrow(facts["conversation_id"]),
                        value_set=_arrow(waits["conversation_id"].iloc[rows[first]]))
    found = found.fill_null(-1).to_numpy(zero_copy_only=False)
    at = np.flatnonzero(found >= 0)
    for column, values in (("unanswered_age_s", age_s), ("unanswered_business_age_s",
                                                          business_age_s)):
        column_values = facts[column].to_numpy(dtype=np.float64, copy=True)
        column_values[at] = values[first][found[at]]
        facts[column] = column_values


def _arrow(values: pd.Series):
    """A string Series as one pyarrow string array, position for position."""
    import pyarrow as pa

    array = pa.array(values.astype("str"), type=pa.large_string())
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


# --- the store -------------------------------------------------------------------------------


def _load(store: Path, params: dict, path) -> _State:
    """The store's last run, or :class:`_Unusable` saying why not.

    A version holds one or more *parts* (a facts file and a waits file each): a later
    part's facts row replaces any earlier row of the same conversation, and its waits
    replace the earlier waits of the conversations whose row in it has ``_waits`` set.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        name = (store / _CURRENT).read_text().strip()
        folder = store / name
        manifest = json.loads((folder / _MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise _Unusable(f"it cannot be read ({exc.__class__.__name__}: {exc})") from None
    if manifest.get("store_version") != STORE_VERSION:
        raise _Unusable(f"it is of store version {manifest.get('store_version')}, this code "
                        f"writes version {STORE_VERSION}")
    stored = manifest.get("parameters", {})
    if stored.get("hash") != params["hash"]:
        changed = sorted(k for k in params if k != "hash" and stored.get(k) != params[k])
        raise _Unusable("it was computed with other parameters or code ("
                        + ", ".join(f"{k}: {stored.get(k)!r} then, {params[k]!r} now"
                                    for k in changed) + ")")
    if manifest.get("log") != str(Path(path).resolve()):
        raise _Unusable(f"it was made from another log ({manifest.get('log')})")
    expected = list(FACT_COLUMNS) + list(REPEAT_COLUMNS) + [ROWS, FIRST, FINAL, WAITS]
    try:
        as_of = pd.Timestamp(manifest["as_of"]).tz_convert("UTC")
        log_rows = int(manifest["log_rows"])
        parts = []
        for part in manifest["parts"]:
            facts = pq.read_table(folder / part["facts"])
            waits = _StoredWaits([folder / part["waits"]], [part["wait_rows"]])
            if facts.column_names != expected:
                raise ValueError(f"{part['facts']} does not have the expected columns")
            if (facts.num_rows, waits.num_rows) != (part["conversations"],
                                                    part["wait_rows"]):
                raise ValueError(f"{part['facts']} holds {facts.num_rows:,} rows and "
                                 f"{part['waits']} {waits.num_rows:,}, the manifest says "
                                 f"{part['conversations']:,} and {part['wait_rows']:,}")
            parts.append((facts, waits))
        open_rows = pq.read_table(folder / _OPEN).to_pandas()
        if len(open_rows) != manifest["open_rows"]:
            raise ValueError(f"{_OPEN} holds {len(open_rows):,} rows, the manifest says "
                             f"{manifest['open_rows']:,}")
    except Exception as exc:  # a truncated or foreign file: pyarrow raises many types
        raise _Unusable(f"its files cannot be read ({exc.__class__.__name__}: {exc})") from None
    # Each part's rows that no later part replaces (the last part's ids are not hashed).
    later_ids = later_waits = None
    live, live_waits = [], []
    for number, (facts, waits) in enumerate(reversed(parts)):
        ids = facts.column("conversation_id")
        live.append(np.ones(facts.num_rows, dtype=bool) if later_ids is None
                    else ~_arrow_isin(ids, later_ids))
        live_waits.append(np.ones(waits.num_rows, dtype=bool) if later_waits is None
                          else ~_arrow_isin(waits.ids, later_waits))
        if number + 1 < len(parts):
            with_waits = ids.filter(facts.column(WAITS))
            later_ids = _union(ids) if later_ids is None else _union(later_ids, ids)
            later_waits = _union(with_waits) if later_waits is None \
                else _union(later_waits, with_waits)
    facts = pa.concat_tables([f for f, _ in parts]).drop_columns([WAITS])
    waits = _StoredWaits([w.files[0] for _, w in parts], [w.num_rows for _, w in parts])
    live, live_waits = np.concatenate(live[::-1]), np.concatenate(live_waits[::-1])
    if (int(live.sum()), int(live_waits.sum())) != (manifest.get("conversations"),
                                                    manifest.get("waits")):
        raise _Unusable(f"it holds {int(live.sum()):,} conversations and "
                        f"{int(live_waits.sum()):,} waits, its manifest says "
                        f"{manifest.get('conversations')} and {manifest.get('waits')}")
    rows = pc.sum(facts.column(ROWS).filter(pa.array(live))).as_py() or 0
    if rows != log_rows:
        raise _Unusable("its row counts do not add up to the rows of the log it was made from")
    return _State(as_of, log_rows, facts, waits, live, live_waits, open_rows,
                  manifest["parts"], folder)


def _save(store: Path, update: _Update, params: dict, path, as_of, mode: str) -> int:
    """Write the run as the store's new version, beside the old one, then switch to it (one
    atomic rename of the ``CURRENT`` pointer) and remove the old version. A run that fails
    before the switch leaves the old store as it was. Returns the number of parts.

    An incremental run writes only a new part -- its re-read and new conversations (with
    their waits) and the rows whose repeat flags it computed again -- and links the earlier
    parts into the new version; a full run, or one whose parts would hold more than half as
    many rows again as the whole, writes one part.
    """
    store.mkdir(parents=True, exist_ok=True)
    name = f"v-{as_of.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    staging = store / f"tmp-{name}"
    staging.mkdir()
    facts, waits, parts = update.facts, update.waits, []
    previous = update.previous
    if previous is not None:
        stored_rows = sum(part["conversations"] for part in previous)
        if (stored_rows + len(facts) > 1.5 * update.totals["conversations"]
                or len(previous) >= MAX_PARTS):
            facts, waits = update.whole()  # compact: one part again
        else:
            for part in previous:
                for key in ("facts", "waits"):
                    _link(update.folder / part[key], staging / part[key])
            parts = list(previous)
    k = len(parts)
    part = {"facts": f"facts-{k}.parquet", "waits": f"waits-{k}.parquet"}
    files = (staging / part["facts"], staging / part["waits"], staging / _OPEN,
             staging / _MANIFEST)
    _write(facts, staging / part["facts"], ("channel", "first_responder", "next_channel"))
    _write(waits, staging / part["waits"], ("agent_id",), row_group_size=WAIT_GROUP_ROWS)
    part.update(conversations=len(facts), wait_rows=len(waits))
    del facts, waits
    _write(update.open_rows, staging / _OPEN, ("channel", "direction", "author_type",
                                               "agent_id"))
    parts.append(part)
    manifest = {
        "store_version": STORE_VERSION, "parameters": params,
        "as_of": as_of.isoformat(), "log": str(Path(path).resolve()),
        **{key: int(value) for key, value in update.totals.items()}, "mode": mode,
        "open_rows": len(update.open_rows), "parts": parts,
    }
    (staging / _MANIFEST).write_text(json.dumps(manifest, indent=1))
    for file in files:
        _fsync(file)
    staging.rename(store / name)
    pointer = store / f"{_CURRENT}.tmp-{name}"
    pointer.write_text(name + "\n")
    _fsync(pointer)
    os.replace(pointer, store / _CURRENT)
    for other in store.iterdir():
        if other.name not in (name, _CURRENT) and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)
    return len(parts)


def _link(source: Path, target: Path) -> None:
    """A hard link (the earlier part's file, no copy), or a copy where links are refused."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _write(frame, file: Path, dictionary, row_group_size=None) -> None:
    """A frame (pandas or Arrow) as an uncompressed Parquet file (read back fastest);
    dictionaries only for the low-cardinality columns."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(
        frame, preserve_index=False)
    pq.write_table(table, file, compression="none", use_dictionary=list(dictionary),
                   row_group_size=row_group_size)


def _fsync(file: Path) -> None:
    with open(file, "rb") as handle:
        os.fsync(handle.fileno())
