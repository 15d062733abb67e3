"""Out of core and distributed: customer buckets of whole conversations, run one at a time,
in worker processes, or as Dask tasks, through :func:`analytics.metrics.kernel.customer_facts`.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from analytics.errors import InputError
from analytics.load.files import READ_COLUMNS, _frame, parquet_dataset, read_arrow
from analytics.load.schema import (
    DUPLICATE_ID,
    MESSAGE_COLUMNS,
    _arrow_strings,
    _text_column,
    _unless_same,
    as_text,
    factorize,
    factorize_arrow,
    parse_timestamps,
    validate_messages,
)
from analytics.metrics.kernel import customer_facts
from analytics.scale.memory import (
    CATEGORICAL_COLUMNS,
    _compact,
    compact,
    release_memory,
    use_system_allocator,
)
from analytics.scale.message_ids import check_unique_message_ids, spill_message_keys
from analytics.scale.split import (
    KEY_COLUMNS,
    _first_inbound,
    _stable_hash,
    read_bucket_files,
    split_log,
)

# --- buckets -------------------------------------------------------------------------------


def _assign(codes: np.ndarray, ids: pd.Index, rows: np.ndarray, customers: pd.Series,
            n: int) -> np.ndarray:
    """Bucket of each conversation code (see :func:`customer_buckets`), from the rows of the
    first inbound messages and their customer ids (str, missing allowed)."""
    if n < 1:
        raise ValueError(f"the number of buckets must be at least 1, got {n}")
    owner = np.full(len(ids), -1, dtype=np.int64)
    customer_codes, names = factorize(customers)
    owner[codes[rows]] = customer_codes
    key = np.empty(len(ids), dtype=np.uint64)
    known = owner >= 0
    key[known] = _stable_hash(names)[owner[known]]
    key[~known] = _stable_hash(ids[~known])
    return (key % np.uint64(n)).astype(np.int64)


def conversation_buckets(messages: pd.DataFrame, n: int, *, source_tz=None):
    """Each conversation's bucket (see :func:`customer_buckets`).

    Returns
    -------
    ids : Index
        The conversation ids, in order of first appearance.
    buckets : ndarray of int64
        The bucket of each id, in ``0 .. n-1``.
    codes : ndarray
        The position in ``ids`` of each message's conversation.
    """
    conversation = _text_column(messages, "conversation_id")
    customer = _text_column(messages, "customer_id")
    inbound = (_unless_same(_text_column(messages, "direction"), "lower")
               == "inbound").to_numpy()
    sent = parse_timestamps(messages["sent_at"], source="messages", column="sent_at",
                               source_tz=source_tz).array.asi8
    codes, ids = factorize(conversation)
    rows = _first_inbound(codes, len(ids), inbound, sent)
    buckets = _assign(codes, ids, rows, as_text(customer.iloc[rows]), n)
    return ids, buckets, codes


def customer_buckets(messages: pd.DataFrame, n: int, *, source_tz=None) -> pd.Series:
    """Bucket (``0 .. n-1``) of each message: conversations whole, customers together.

    A conversation belongs to the customer of its first inbound message (even where later
    rows carry another id or none), and goes to the bucket ``hash(customer) mod n``;
    conversations with no known customer go to ``hash(conversation_id) mod n``. The hash is
    FNV-1a of the UTF-8 id with a splitmix64 finish (``split._stable_hash``): the same in
    every process, on every machine, in every run, so buckets can be computed where the data
    lives.

    Parameters
    ----------
    messages : DataFrame
        Raw or validated messages with ``conversation_id``, ``customer_id``, ``direction`` and
        ``sent_at`` (cleaned as :func:`analytics.load.schema.validate_messages` does).
    n : int
        Number of buckets.
    source_tz : str, optional
        Zone of naive timestamps, as for validation.

    Returns
    -------
    Series
        int64 bucket per message, indexed like ``messages``.

    Examples
    --------
    >>> log = pd.DataFrame({"conversation_id": ["a", "a", "b"],
    ...                     "customer_id": ["c1", None, "c1"],
    ...                     "direction": ["inbound", "outbound", "inbound"],
    ...                     "sent_at": pd.to_datetime(["2024-03-04 10:00", "2024-03-04 10:05",
    ...                                                "2024-03-05 09:00"], utc=True)})
    >>> buckets = customer_buckets(log, 8)
    >>> bool(buckets.nunique() == 1)  # one customer: one bucket, its conversations whole
    True
    """
    _, buckets, codes = conversation_buckets(messages, n, source_tz=source_tz)
    return pd.Series(buckets[codes], index=messages.index, name="bucket")


@dataclass(frozen=True)
class BucketPlan:
    """Which conversations, and so which rows, go to which bucket (from one first pass).

    ``conversation_ids`` (Arrow strings) and ``buckets`` are aligned; ``rows`` is the bucket
    of every row of the scan, in scan order; ``as_of`` is the latest message time seen (the
    default cut-off of every bucket).
    """

    n_buckets: int
    conversation_ids: object  # pyarrow.Array
    buckets: np.ndarray
    rows: np.ndarray
    as_of: pd.Timestamp | None

    def ids(self, bucket: int):
        """The conversation ids of one bucket (a pyarrow Array)."""
        import pyarrow as pa

        return self.conversation_ids.filter(pa.array(self.buckets == bucket))

    def sizes(self) -> np.ndarray:
        """Messages per bucket."""
        return np.bincount(self.rows, minlength=self.n_buckets)


def plan_buckets(path, n_buckets: int, *, filter=None, filesystem=None,
                 source_tz=None) -> BucketPlan:
    """First pass over a Parquet dataset: the bucket of every conversation and every row.

    Reads the four key columns one at a time (memory holds about two of them), cleaned as
    validation cleans them.
    """
    import pyarrow as pa

    use_system_allocator()
    dataset = parquet_dataset(path, filesystem=filesystem,
                                 categorical=("direction", "conversation_id"))
    missing = [c for c in KEY_COLUMNS if c not in dataset.schema.names]
    if missing:
        raise InputError(path, f"missing column(s) {', '.join(missing)}",
                            expected=f"columns {', '.join(KEY_COLUMNS)}")

    def column(name):
        return dataset.to_table(columns=[name], filter=filter).column(0)

    def text(values):
        return _text_column(pd.DataFrame({"c": values.to_pandas()}), "c")

    def conversations():
        # Read as dictionaries (Parquet's own, row group by row group): only the distinct ids
        # of each row group are hashed, not every row. Cleaned like validation, on the
        # distinct ids only.
        chunks = column("conversation_id").chunks
        values = pd.Series(pd.array(pa.chunked_array([c.dictionary for c in chunks],
                                                     type=pa.string()), dtype="str"))
        codes_of_values, ids = factorize(_text_column(pd.DataFrame({"c": values}), "c"))
        del values
        start = np.concatenate(([0], np.cumsum([len(c.dictionary) for c in chunks])))
        codes = np.empty(sum(len(c) for c in chunks), dtype=np.int32)
        at = 0
        for offset, chunk in zip(start, chunks, strict=False):
            local = chunk.indices.fill_null(-1).to_numpy(zero_copy_only=False)
            codes[at:at + len(local)] = np.where(
                local >= 0, codes_of_values[offset + np.maximum(local, 0)], -1)
            at += len(local)
        return codes, pd.Index(ids, dtype="str")

    def times():
        inbound = (_unless_same(text(column("direction")), "lower") == "inbound").to_numpy()
        sent = column("sent_at")
        if pa.types.is_timestamp(sent.type) and sent.type.tz is not None:
            # UTC instants already: integers in the column's unit, no conversion.
            unit = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}[sent.type.unit]
            sent = np.concatenate([c.to_numpy().view(np.int64) for c in sent.chunks]
                                  or [np.zeros(0, np.int64)])
            sent *= unit
        else:
            sent = parse_timestamps(sent.to_pandas(), source=str(path), column="sent_at",
                                       source_tz=source_tz).array.asi8
        return inbound, sent

    # Arrow reads and hashes without the GIL: the conversation ids (the costly column) are
    # read and encoded while the other columns are read.
    with ThreadPoolExecutor(1) as thread:
        pending = thread.submit(times)
        codes, ids = conversations()
        inbound, sent = pending.result()
    as_of = pd.Timestamp(int(sent.max()), unit="ns", tz="UTC") if len(sent) else None
    rows = _first_inbound(codes, len(ids), inbound, sent)
    del inbound, sent
    # The customer column is read last, when little else is held, and only its first inbound
    # rows kept.
    customers = as_text(text(column("customer_id").take(pa.array(rows))))
    buckets = _assign(codes, ids, rows, customers, n_buckets)
    small = np.int16 if n_buckets < 2**15 else np.int32
    plan = BucketPlan(n_buckets, pa.array(ids.to_numpy(), type=pa.string()), buckets,
                      buckets.astype(small)[codes], as_of)
    del codes, ids, rows, customers
    release_memory()
    return plan


def _bucket_filter(ids, filter=None):
    import pyarrow.compute as pc

    # Raw ids are matched: run_dask's scans assume ids without stray spaces.
    expression = pc.field("conversation_id").isin(ids)
    return expression if filter is None else expression & filter


def read_bucket(path, ids, *, columns=READ_COLUMNS, filter=None, filesystem=None,
                source_tz=None) -> pd.DataFrame:
    """The validated messages of the conversations ``ids`` (one pyarrow scan, pushed down),
    :func:`compact`."""
    return load_messages(path, columns=columns, filter=_bucket_filter(ids, filter),
                         filesystem=filesystem, source_tz=source_tz)


def load_messages(path, *, columns=READ_COLUMNS, filter=None, filesystem=None,
                  source_tz=None) -> pd.DataFrame:
    """Read, validate and :func:`compact` the messages of a Parquet dataset.

    Only ``columns`` and the rows matching ``filter`` are read (pushed into the scan), the
    low-cardinality columns straight from Parquet's dictionaries; validation is
    :func:`analytics.load.schema.validate_messages` (keeping those columns categorical).
    """
    use_system_allocator()
    # No name holds the raw table here, so that _validated can free it before handing
    # memory back.
    return _validated(read_arrow(path, columns=columns, filter=filter, filesystem=filesystem,
                                 categorical=CATEGORICAL_COLUMNS), path, source_tz)


def _validated(raw, source, source_tz) -> pd.DataFrame:
    """Validate and :func:`compact` a raw frame, or the Arrow table of a scan.

    The conversation ids (the one costly column to encode) are dictionary-encoded by Arrow
    in a second thread while the table becomes a frame and validation runs; the codes are
    used when validation kept the ids as they were (a clean, time-ordered export), else the
    validated ids are encoded again.
    """
    import pyarrow as pa

    with ThreadPoolExecutor(1) as thread:
        pending = None
        if isinstance(raw, pa.Table):
            if _plain_strings(raw, "conversation_id"):
                pending = thread.submit(factorize_arrow, raw.column("conversation_id"))
            held = [raw]
            del raw
            raw = _frame(held.pop())  # the table's columns are freed as they are converted
        if raw.empty:
            raw = pd.DataFrame(columns=list(MESSAGE_COLUMNS))
        ids = raw["conversation_id"] if "conversation_id" in raw.columns else None
        if ids is None or not _arrow_strings(ids) or ids.hasnans:
            if pending is not None:
                pending.result()
            return compact(validate_messages(raw, source=str(source), source_tz=source_tz,
                                             keep_categorical=True))
        if pending is None:
            pending = thread.submit(factorize, ids)
        try:
            messages = validate_messages(raw, source=str(source), source_tz=source_tz,
                                         keep_categorical=True)
        finally:
            encoded = pending.result()
    if not _same_strings(messages["conversation_id"], ids):
        encoded = None
    del raw, ids
    out = _compact(messages, encoded)
    # The strings the scan's threads decoded sit in their own malloc arenas: freed but kept
    # by the C library (about 0.1-0.4 GB at 10M rows, more resident memory in the facts)
    # until handed back, which needs the raw and validated frames gone first.
    del messages
    release_memory()
    return out


def _plain_strings(table, name: str) -> bool:
    """Whether ``table`` has a non-empty string column ``name`` without nulls (what
    :func:`_validated` can encode before validation)."""
    import pyarrow as pa

    if name not in table.column_names or not table.num_rows:
        return False
    column = table.column(name)
    return (pa.types.is_large_string(column.type) or pa.types.is_string(column.type)) \
        and column.null_count == 0


def _same_strings(a: pd.Series, b: pd.Series) -> bool:
    """Whether two Arrow-backed string columns hold the same strings in the same rows."""
    import pyarrow.compute as pc

    if not (_arrow_strings(a) and _arrow_strings(b)) or len(a) != len(b):
        return False
    if a.hasnans or b.hasnans:
        return False
    x, y = a.array.__arrow_array__(), b.array.__arrow_array__()
    return x is y or pc.all(pc.equal(x, y)).as_py() is not False


def _kernel(messages, *, events, as_of, calendar, window_days, resolve_after_inactivity,
            per_bucket):
    bucket_events = None
    if events is not None:
        bucket_events = events[events["conversation_id"].isin(
            messages["conversation_id"].unique())].reset_index(drop=True)
    result = customer_facts(messages, bucket_events, as_of=as_of, calendar=calendar,
                            window_days=window_days,
                            resolve_after_inactivity=resolve_after_inactivity)
    return per_bucket(*result) if per_bucket is not None else result


def _run_file(files, bucket=None, *, source, source_tz, **kernel):
    """One bucket written by :func:`split_log` (its files; none: an empty bucket) through
    the kernel. A bad row is reported as in the log ``source``: its row in the scan, as an
    in-memory run reports it. With ``bucket`` (its number), the hashes of its message ids
    are spilled beside its files for the check across buckets."""
    use_system_allocator()
    raw, positions = read_bucket_files(files, positions=True)
    if bucket is not None and files:
        spill_message_keys(raw, Path(files[0]).parent, bucket)
    try:
        messages = _validated(raw, source, source_tz)
    except InputError as error:
        located = error.located(source, None if error.row is None
                                else int(positions[error.row - 1]) + 1)
        if bucket is not None and (error.column, error.message) == ("message_id",
                                                                     DUPLICATE_ID):
            # An earlier row of another bucket may repeat an id first: the check across
            # buckets names the first repeat of the log, as an in-memory run does.
            return _Repeated(located)
        raise located from None
    result = _kernel(messages, **kernel)
    release_memory()
    return result


def _run_scan(ids, path, *, columns, filter, filesystem, source_tz, **kernel):
    """One bucket read from the dataset itself (a scan filtered on its conversation ids).
    A bad row is reported without its row number: the bucket's position is not the log's."""
    try:
        messages = read_bucket(path, ids, columns=columns, filter=filter,
                               filesystem=filesystem, source_tz=source_tz)
    except InputError as error:
        raise error.located(path) from None
    return _kernel(messages, **kernel)


def _combine(results):
    """Concatenate the buckets' outputs (frames, or tuples of frames) in bucket order."""
    if isinstance(results[0], pd.DataFrame):
        return _concat(results)
    return tuple(_concat(parts) for parts in zip(*results, strict=True))


def _concat(frames) -> pd.DataFrame:
    """``pd.concat(frames, ignore_index=True)``, categoricals kept categorical (their
    categories united) rather than turned into Python strings."""
    frames = list(frames)
    columns = list(frames[0].columns)
    categorical = [c for c in columns
                   if all(isinstance(f[c].dtype, pd.CategoricalDtype) for f in frames)]
    combined = pd.concat([f.drop(columns=categorical) for f in frames], ignore_index=True)
    for column in categorical:
        combined[column] = union_categoricals([f[column] for f in frames])
    return combined[columns]


def _cut_off(latest, as_of, events):
    """The given cut-off, else the latest message or event time."""
    if as_of is None:
        as_of = latest
        if events is not None and len(events):
            as_of = max(as_of, events["at"].max())
    return pd.Timestamp(as_of)


def run_partitioned(path, n_buckets: int, *, workers: int = 1, events: pd.DataFrame | None = None,
                    as_of=None, calendar=None, window_days: float = 7,
                    resolve_after_inactivity=None, per_bucket=None, columns=READ_COLUMNS,
                    filter=None, filesystem=None, source_tz=None, spill_dir=None):
    """Run the kernel over a Parquet dataset one customer bucket at a time (out of core).

    One read of the dataset: a streaming copy of the needed columns into customer-bucket
    files (:func:`analytics.scale.split.split_log`, in ``spill_dir`` or a temporary folder,
    removed at the end); then each bucket through validation and :func:`customer_facts`, in
    this process or in ``workers`` processes; then the message ids across buckets
    (:mod:`analytics.scale.message_ids`), so that a log an in-memory run refuses is refused
    here too, at the same row. Memory holds one batch of about a million rows during the
    copy, then one bucket per process (about 1/``n_buckets`` of the log) plus the results.

    Parameters
    ----------
    path : str or Path
        A Parquet file or a folder of them (e.g. one file per month), local or on shared
        storage (see :func:`analytics.load.files.parquet_dataset`).
    n_buckets : int
        Number of customer buckets (e.g. messages / 2.5 million).
    workers : int
        Processes that run buckets at once (1: all in this process).
    events : DataFrame, optional
        Validated events; each bucket gets its conversations' events.
    as_of : Timestamp, optional
        Cut-off; default the latest message (or event) in the dataset.
    calendar, window_days, resolve_after_inactivity
        As for :func:`customer_facts`.
    per_bucket : callable, optional
        Applied to each bucket's ``(facts, waits)`` before concatenation, e.g.
        :func:`metric_inputs` to keep only what the metric table needs (and send less
        between processes). Must be importable (a module-level function) when ``workers > 1``.
    columns : sequence of str
        Columns to read (the schema's required ones and ``agent_id``; add ``text`` if needed).
    filter : pyarrow expression, optional
        Row filter pushed into every read (e.g. from :func:`period_filter`).
    spill_dir : str or Path, optional
        Where the bucket files go (default: a temporary folder).

    Returns
    -------
    tuple of DataFrame, or DataFrame
        ``(facts, waits)`` of all buckets, concatenated in bucket order (sort by
        ``conversation_id`` to compare with an in-memory run), or the concatenated outputs
        of ``per_bucket``.
    """
    import tempfile
    from contextlib import ExitStack

    with ExitStack() as stack:
        pool = None
        if workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # "spawn": a fresh interpreter per worker (forking a process that runs Arrow
            # threads is unsafe). The workers start (import the package) during the copy.
            pool = stack.enter_context(ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context("spawn")))
            warm = [pool.submit(_ready) for _ in range(workers)]
        use_system_allocator()
        folder = stack.enter_context(tempfile.TemporaryDirectory(dir=spill_dir,
                                                                 prefix="buckets-"))
        files, latest = split_log(path, n_buckets, folder, columns=columns, filter=filter,
                                  filesystem=filesystem, source_tz=source_tz)
        release_memory()
        kernel = dict(events=events, as_of=_cut_off(latest, as_of, events),
                      calendar=calendar, window_days=window_days,
                      resolve_after_inactivity=resolve_after_inactivity, per_bucket=per_bucket)
        run = partial(_run_file, source=str(path), source_tz=source_tz, **kernel)
        if pool is not None:
            for future in warm:
                future.result()
            # Largest buckets first would balance better; buckets are of similar size.
            results = list(pool.map(run, files, range(n_buckets)))
        else:
            results = [run(file, b) for b, file in enumerate(files)]
        # Each bucket has checked its own message ids; two buckets may still share one.
        check_unique_message_ids(folder, files, str(path), pool=pool)
        _raise_repeated(results)
    return _combine(results)


def _raise_repeated(results) -> None:
    """Raise the first repeated message id a bucket found (the check across buckets found
    none earlier)."""
    repeated = [r.error for r in results if isinstance(r, _Repeated)]
    if repeated:
        raise min(repeated, key=lambda error: error.row)


@dataclass(frozen=True)
class _Repeated:
    """A bucket whose validation found a repeated message id (``error``, located)."""

    error: InputError


def _ready() -> bool:
    """A no-op that makes a worker process start (and import this module)."""
    return True


def run_dask(path, client, n_buckets: int, *, events: pd.DataFrame | None = None, as_of=None,
             calendar=None, window_days: float = 7, resolve_after_inactivity=None,
             per_bucket=None, columns=READ_COLUMNS, filter=None, filesystem=None,
             source_tz=None, spill_dir=None):
    """:func:`run_partitioned` on a ``dask.distributed`` cluster: one task per bucket.

    By default the plan (:func:`plan_buckets`, a pass over the key columns) runs as one task
    on a worker, then each bucket task receives only its conversation ids and reads its rows
    from the dataset itself (one scan, columns projected, its ids as a pushed-down row filter; ids are matched
    as stored, so ids with stray spaces need ``spill_dir``), so ``path`` must be readable from
    every worker: shared storage or an object store. With
    ``spill_dir`` -- a folder every worker sees, e.g. a shared mount -- one task copies the
    dataset into bucket files there instead, reading it once (as :func:`run_partitioned`
    does), and each bucket task reads only its files: one scan of the dataset in all rather
    than one per bucket plus the plan's. Each task validates its rows, runs :func:`customer_facts` (and ``per_bucket``)
    and sends back its result; the client concatenates the results in bucket order.
    With ``spill_dir``, message ids are checked across buckets as :func:`run_partitioned`
    checks them; without it, within each bucket only (two messages of different customers
    sharing an id are not refused). Parameters and result as for :func:`run_partitioned`;
    ``client`` is a ``distributed.Client``, e.g. ``Client("tcp://scheduler:8786")``.
    """
    kernel = dict(calendar=calendar, window_days=window_days, per_bucket=per_bucket,
                  resolve_after_inactivity=resolve_after_inactivity)
    shared_events = client.scatter(events, broadcast=True) if events is not None else None
    if spill_dir is not None:
        split = client.submit(_split, path, n_buckets, spill_dir, columns=columns,
                              filter=filter, filesystem=filesystem, source_tz=source_tz,
                              pure=False)
        folder, files, latest = split.result()
        try:
            futures = client.map(_run_file, files, range(n_buckets), source=str(path),
                                 source_tz=source_tz, events=shared_events,
                                 as_of=_cut_off(latest, as_of, events), pure=False, **kernel)
            results = client.gather(futures)
            client.submit(check_unique_message_ids, folder, files, str(path),
                          pure=False).result()
        finally:
            client.submit(shutil.rmtree, folder, ignore_errors=True, pure=False).result()
        _raise_repeated(results)
        return _combine(results)
    plan = client.submit(plan_buckets, path, n_buckets, filter=filter, filesystem=filesystem,
                         source_tz=source_tz, pure=False)
    latest = client.submit(_plan_as_of, plan, pure=False).result() if as_of is None else None
    ids = [client.submit(BucketPlan.ids, plan, b, pure=False) for b in range(n_buckets)]
    futures = client.map(_run_scan, ids, path=path, events=shared_events,
                         as_of=_cut_off(latest, as_of, events), columns=columns,
                         filter=filter, filesystem=filesystem, source_tz=source_tz,
                         pure=False, **kernel)
    results = client.gather(futures)
    del futures, ids, plan
    return _combine(results)


def _split(path, n_buckets, spill_dir, *, columns, filter, filesystem, source_tz):
    """The bucket files in a new folder under ``spill_dir``, one read of the dataset (a Dask
    task)."""
    import tempfile

    use_system_allocator()
    folder = tempfile.mkdtemp(dir=spill_dir, prefix="buckets-")
    files, latest = split_log(path, n_buckets, folder, columns=columns, filter=filter,
                              filesystem=filesystem, source_tz=source_tz)
    release_memory()
    return folder, files, latest


def _plan_as_of(plan: BucketPlan):
    return plan.as_of
