"""Scale: the per-customer kernel on one frame, on Parquet buckets out of core, or on Dask.

Every metric starts from the conversation facts, and a conversation's facts depend only on its
own messages; repeat contacts depend only on the same customer's contacts. So the log can be
cut into *customer buckets* -- every conversation whole, in the bucket of the customer of its
first inbound message -- and each bucket run through the same function the reports use
(:func:`customer_facts`: :func:`analytics.facts.facts_and_waits` then
:func:`analytics.repeats.repeat_contacts`). Concatenating the buckets' facts gives exactly the
in-memory facts; figures that do not add up across buckets (medians, percentiles) are computed
at the end from the per-conversation values (:func:`metric_table`), never averaged.

Three ways to run it:

- in memory: ``customer_facts(load_messages(path), as_of=...)`` (:func:`load_messages` reads
  the needed Parquet columns, validates them and :func:`compact` s the log);
- out of core: :func:`run_partitioned` reads a Parquet file or folder bucket by bucket (a
  first pass reads four key columns to assign every conversation to a bucket, a second copies
  the needed columns into one file per bucket, then each bucket is validated and run, in
  this process or in worker processes);
- on a cluster: :func:`run_dask` does the same with ``dask.distributed``, one task per bucket.

:func:`read_period` reads only the rows a report of a period needs (the period plus its
look-back and look-ahead), with the time filter pushed into the Parquet scan. The metric table
of the benchmark (``bench/``) is :func:`metric_table`.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from analytics import io
from analytics.facts import _facts_and_waits
from analytics.repeats import REPEAT_COLUMNS, repeat_flags

#: Columns read for the metrics (``text`` is left out: no metric here reads it).
READ_COLUMNS = io.MESSAGE_COLUMNS + ("agent_id",)
#: The columns that decide a conversation's bucket.
KEY_COLUMNS = ("conversation_id", "customer_id", "direction", "sent_at")

WEEK = pd.Timedelta(days=7)
_NONE = pd.Timedelta(0)

METRIC_COLUMNS = (
    "channel", "week", "contacts", "answered", "frt_median_s", "frt_p90_s", "frt_mean_s",
    "frt_business_median_s", "frt_business_p90_s", "frt_business_mean_s", "within_sla",
    "replies", "open_waits", "reply_median_s", "reply_p90_s", "reply_mean_s",
    "repeat_eligible", "repeated",
)


# --- the kernel ----------------------------------------------------------------------------


def customer_facts(messages: pd.DataFrame, events: pd.DataFrame | None = None, *, as_of,
                   calendar=None, window_days: float = 7, resolve_after_inactivity=None):
    """Conversation facts with repeat flags, and reply waits, of a validated message log.

    The per-customer kernel: the reports (``summary.analyse``), :func:`run_partitioned` and
    :func:`run_dask` all call it. On a partition of the log it gives exactly the rows of the
    whole log's result for the partition's conversations, provided the partition holds whole
    conversations and all contacts of its customers (:func:`customer_buckets`) and ``as_of``
    is the whole log's cut-off.

    Parameters
    ----------
    messages : DataFrame
        Validated message log (``io.validate_messages``), or one customer bucket of it.
    events : DataFrame, optional
        Validated events of those conversations.
    as_of : Timestamp
        The cut-off (UTC); required, so that every partition uses the same one.
    calendar : BusinessCalendar, optional
        For the business-hours columns.
    window_days : float
        The repeat-contact window.
    resolve_after_inactivity : Timedelta, optional
        See :func:`analytics.facts.facts_and_waits`.

    Returns
    -------
    facts : DataFrame
        :func:`analytics.facts.facts_and_waits` facts plus the repeat columns of
        :func:`analytics.repeats.repeat_contacts` (proactive rows: ``lookahead_complete``,
        ``repeated`` and ``cross_channel`` False, the others missing).
    waits : DataFrame
        Every reply wait.
    """
    # The repeat flags need only who started each contact, when and where: they are
    # computed, for every conversation at once, while another thread builds the waits.
    facts, waits, flags = _facts_and_waits(
        messages, events, as_of=as_of, calendar=calendar,
        resolve_after_inactivity=resolve_after_inactivity,
        contacts=partial(repeat_flags, window_days=window_days, as_of=as_of))
    for column in REPEAT_COLUMNS:  # proactive rows: not contacts (missing, or False)
        facts[column] = flags[column]
    return facts, waits


#: Low-cardinality columns :func:`compact` stores as categoricals.
CATEGORICAL_COLUMNS = ("channel", "direction", "author_type", "agent_id")


def use_system_allocator() -> None:
    """Make pyarrow allocate with the C library's allocator (process-wide, idempotent).

    Arrow's default allocator (mimalloc) keeps freed memory for reuse and, on Linux kernels
    with transparent huge pages in ``madvise`` mode, spends seconds of system time mapping
    the first gigabytes (measured: a 10M-row read took 5 s instead of 2 s). The C library
    hands big buffers back to the operating system when they are freed. The entry points of
    this module call it; call it yourself before other large Arrow work.
    """
    import pyarrow as pa

    if pa.default_memory_pool().backend_name != "system":
        pa.set_memory_pool(pa.system_memory_pool())


def release_memory() -> None:
    """Hand freed memory back to the operating system (Arrow's pool, then the C heap).

    The C library keeps freed blocks of up to 32 MB for reuse, so after a pass over millions
    of rows a process can hold a gigabyte it no longer uses; out of core, that is the
    difference between fitting and not. ``malloc_trim`` exists in glibc only: elsewhere this
    only releases Arrow's pool.
    """
    import ctypes
    import ctypes.util

    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    name = ctypes.util.find_library("c")
    try:
        ctypes.CDLL(name).malloc_trim(0)
    except (OSError, AttributeError, TypeError):
        pass


def compact(messages: pd.DataFrame) -> pd.DataFrame:
    """The validated log with only what the kernel reads, in about a third of the memory.

    ``message_id`` and ``text`` are dropped (no fact depends on them), the low-cardinality
    columns become categoricals (one small integer per row instead of a string) and so does
    ``conversation_id`` (its categories in order of first appearance: the facts then order
    conversations by these integers without hashing strings again); :func:`customer_facts`
    gives the same facts and waits from it. Arrow memory freed on the way is handed back to
    the operating system.
    """
    return _compact(messages)


def _compact(messages: pd.DataFrame, encoded=None) -> pd.DataFrame:
    """:func:`compact`; ``encoded`` is an ``io.factorize`` of the conversation ids already
    done (on the raw column, see :func:`_validated`), used when the ids are the same."""
    keep = [c for c in messages.columns if c not in ("message_id", "text")]
    out = messages[keep]
    for column in CATEGORICAL_COLUMNS + ("conversation_id",):
        if column in out.columns and not isinstance(out[column].dtype, pd.CategoricalDtype):
            if column == "conversation_id" and encoded is not None:
                codes, uniques = encoded
            else:
                codes, uniques = io.factorize(out[column])
            out[column] = io.categorical(codes, uniques)
    del messages
    release_memory()
    return out


# --- buckets -------------------------------------------------------------------------------


def _stable_hash(values) -> np.ndarray:
    """uint64 hash of each string, the same in every process and on every machine."""
    return pd.util.hash_array(np.asarray(values, dtype=object), categorize=False)


def _first_inbound(codes: np.ndarray, n_ids: int, inbound: np.ndarray,
                   sent: np.ndarray) -> np.ndarray:
    """Row of each conversation's first inbound message (conversations without one: none).

    First = earliest, then first in input order: the order io.sort_messages keeps among
    inbound messages.
    """
    rows = np.flatnonzero(inbound)
    if len(rows) < 2 or (np.diff(sent[rows]) >= 0).all():
        # Already in time order (most exports): the first one met.
        first = np.full(n_ids, len(sent), dtype=np.int64)
        np.minimum.at(first, codes[rows], rows)
        return first[first < len(sent)]
    rows = rows[np.lexsort((sent[rows], codes[rows]))]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = codes[rows[1:]] != codes[rows[:-1]]
    return rows[first]


def _assign(codes: np.ndarray, ids: pd.Index, rows: np.ndarray, customers: pd.Series,
            n: int) -> np.ndarray:
    """Bucket of each conversation code (see :func:`customer_buckets`), from the rows of the
    first inbound messages and their customer ids (str, missing allowed)."""
    if n < 1:
        raise ValueError(f"the number of buckets must be at least 1, got {n}")
    owner = np.full(len(ids), -1, dtype=np.int64)
    customer_codes, names = io.factorize(customers)
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
    conversation = io._text_column(messages, "conversation_id")
    customer = io._text_column(messages, "customer_id")
    inbound = (io._unless_same(io._text_column(messages, "direction"), "lower")
               == "inbound").to_numpy()
    sent = io.parse_timestamps(messages["sent_at"], source="messages", column="sent_at",
                               source_tz=source_tz).array.asi8
    codes, ids = io.factorize(conversation)
    rows = _first_inbound(codes, len(ids), inbound, sent)
    buckets = _assign(codes, ids, rows, io.as_text(customer.iloc[rows]), n)
    return ids, buckets, codes


def customer_buckets(messages: pd.DataFrame, n: int, *, source_tz=None) -> pd.Series:
    """Bucket (``0 .. n-1``) of each message: conversations whole, customers together.

    A conversation belongs to the customer of its first inbound message (even where later
    rows carry another id or none), and goes to the bucket ``hash(customer) mod n``;
    conversations with no known customer go to ``hash(conversation_id) mod n``. The hash is
    pandas' SipHash of the UTF-8 id with a fixed key: the same in every process, on every
    machine, in every run, so buckets can be computed where the data lives.

    Parameters
    ----------
    messages : DataFrame
        Raw or validated messages with ``conversation_id``, ``customer_id``, ``direction`` and
        ``sent_at`` (cleaned as :func:`analytics.io.validate_messages` does).
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
    dataset = io.parquet_dataset(path, filesystem=filesystem,
                                 categorical=("direction", "conversation_id"))
    missing = [c for c in KEY_COLUMNS if c not in dataset.schema.names]
    if missing:
        raise io.InputError(path, f"missing column(s) {', '.join(missing)}",
                            expected=f"columns {', '.join(KEY_COLUMNS)}")

    def column(name):
        return dataset.to_table(columns=[name], filter=filter).column(0)

    def text(values):
        return io._text_column(pd.DataFrame({"c": values.to_pandas()}), "c")

    def conversations():
        # Read as dictionaries (Parquet's own, row group by row group): only the distinct ids
        # of each row group are hashed, not every row. Cleaned like validation, on the
        # distinct ids only.
        chunks = column("conversation_id").chunks
        values = pd.Series(pd.array(pa.chunked_array([c.dictionary for c in chunks],
                                                     type=pa.string()), dtype="str"))
        codes_of_values, ids = io.factorize(io._text_column(pd.DataFrame({"c": values}), "c"))
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
        inbound = (io._unless_same(text(column("direction")), "lower") == "inbound").to_numpy()
        sent = column("sent_at")
        if pa.types.is_timestamp(sent.type) and sent.type.tz is not None:
            # UTC instants already: integers in the column's unit, no conversion.
            unit = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}[sent.type.unit]
            sent = np.concatenate([c.to_numpy().view(np.int64) for c in sent.chunks]
                                  or [np.zeros(0, np.int64)])
            sent *= unit
        else:
            sent = io.parse_timestamps(sent.to_pandas(), source=str(path), column="sent_at",
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
    customers = io.as_text(text(column("customer_id").take(pa.array(rows))))
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
    :func:`analytics.io.validate_messages` (keeping those columns categorical).
    """
    use_system_allocator()
    raw = io.read_parquet(path, columns=columns, filter=filter, filesystem=filesystem,
                          categorical=CATEGORICAL_COLUMNS)
    return _validated(raw, path, source_tz)


def _validated(raw: pd.DataFrame, source, source_tz) -> pd.DataFrame:
    """Validate and :func:`compact` a raw frame.

    The conversation ids (the one costly column to encode) are dictionary-encoded by Arrow
    in a second thread while validation runs; the codes are used when validation kept the ids
    as they were (a clean, time-ordered export), else the validated ids are encoded again.
    """
    if raw.empty:
        raw = pd.DataFrame(columns=list(io.MESSAGE_COLUMNS))
    ids = raw["conversation_id"] if "conversation_id" in raw.columns else None
    if ids is None or not io._arrow_strings(ids) or ids.hasnans:
        return compact(io.validate_messages(raw, source=str(source), source_tz=source_tz,
                                            keep_categorical=True))
    with ThreadPoolExecutor(1) as thread:
        pending = thread.submit(io.factorize, ids)
        try:
            messages = io.validate_messages(raw, source=str(source), source_tz=source_tz,
                                            keep_categorical=True)
        finally:
            encoded = pending.result()
    if not _same_strings(messages["conversation_id"], ids):
        encoded = None
    del raw, ids
    return _compact(messages, encoded)


def _same_strings(a: pd.Series, b: pd.Series) -> bool:
    """Whether two Arrow-backed string columns hold the same strings in the same rows."""
    import pyarrow.compute as pc

    if not (io._arrow_strings(a) and io._arrow_strings(b)) or len(a) != len(b):
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


def _run_file(file, *, source_tz, **kernel):
    """One bucket written by ``io.split_parquet`` (None: an empty bucket) through the kernel."""
    use_system_allocator()
    raw = io.read_arrow_stream(file) if file is not None else pd.DataFrame()
    result = _kernel(_validated(raw, file, source_tz), **kernel)
    release_memory()
    return result


def _run_scan(ids, path, *, columns, filter, filesystem, source_tz, **kernel):
    """One bucket read from the dataset itself (a scan filtered on its conversation ids)."""
    messages = read_bucket(path, ids, columns=columns, filter=filter, filesystem=filesystem,
                           source_tz=source_tz)
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

    Three passes: the key columns (:func:`plan_buckets`); one streaming copy of the needed
    columns into one file per bucket (``io.split_parquet``, in ``spill_dir`` or a temporary
    folder, removed at the end); then each bucket file through validation and
    :func:`customer_facts`, in this process or in ``workers`` processes. Memory holds one
    bucket per process (about 1/``n_buckets`` of the log) plus the results.

    Parameters
    ----------
    path : str or Path
        A Parquet file or a folder of them (e.g. one file per month), local or on shared
        storage (see :func:`analytics.io.parquet_dataset`).
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
            # threads is unsafe). The workers start (import the package) during the first
            # passes.
            pool = stack.enter_context(ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context("spawn")))
            warm = [pool.submit(_ready) for _ in range(workers)]
        plan = plan_buckets(path, n_buckets, filter=filter, filesystem=filesystem,
                            source_tz=source_tz)
        kernel = dict(events=events, as_of=_cut_off(plan.as_of, as_of, events),
                      calendar=calendar, window_days=window_days,
                      resolve_after_inactivity=resolve_after_inactivity, per_bucket=per_bucket)
        folder = stack.enter_context(tempfile.TemporaryDirectory(dir=spill_dir,
                                                                 prefix="buckets-"))
        files = io.split_parquet(path, plan.rows, n_buckets, folder, columns=columns,
                                 filter=filter, filesystem=filesystem,
                                 categorical=CATEGORICAL_COLUMNS)
        del plan
        release_memory()
        run = partial(_run_file, source_tz=source_tz, **kernel)
        if pool is not None:
            for future in warm:
                future.result()
            # Largest buckets first would balance better; buckets are of similar size.
            results = list(pool.map(run, files))
        else:
            results = [run(file) for file in files]
    return _combine(results)


def _ready() -> bool:
    """A no-op that makes a worker process start (and import this module)."""
    return True


def run_dask(path, client, n_buckets: int, *, events: pd.DataFrame | None = None, as_of=None,
             calendar=None, window_days: float = 7, resolve_after_inactivity=None,
             per_bucket=None, columns=READ_COLUMNS, filter=None, filesystem=None,
             source_tz=None, spill_dir=None):
    """:func:`run_partitioned` on a ``dask.distributed`` cluster: one task per bucket.

    The first pass (:func:`plan_buckets`) runs as one task on a worker. Then, by default,
    each bucket task receives only its conversation ids and reads its rows from the dataset
    itself (one scan, columns projected, its ids as a pushed-down row filter; ids are matched
    as stored, so ids with stray spaces need ``spill_dir``), so ``path`` must be readable from
    every worker: shared storage or an object store. With
    ``spill_dir`` -- a folder every worker sees, e.g. a shared mount -- one task copies the
    dataset into one file per bucket there instead (as :func:`run_partitioned` does) and each
    bucket task reads only its file: one scan of the dataset in all rather than one per
    bucket. Each task validates its rows, runs :func:`customer_facts` (and ``per_bucket``)
    and sends back its result; the client concatenates the results in bucket order.
    Parameters and result as for :func:`run_partitioned`; ``client`` is a
    ``distributed.Client``, e.g. ``Client("tcp://scheduler:8786")``.
    """
    kernel = dict(calendar=calendar, window_days=window_days, per_bucket=per_bucket,
                  resolve_after_inactivity=resolve_after_inactivity)
    shared_events = client.scatter(events, broadcast=True) if events is not None else None
    if spill_dir is not None:
        split = client.submit(_plan_and_split, path, n_buckets, spill_dir, columns=columns,
                              filter=filter, filesystem=filesystem, source_tz=source_tz,
                              pure=False)
        folder, files, latest = split.result()
        try:
            futures = client.map(_run_file, files, source_tz=source_tz, events=shared_events,
                                 as_of=_cut_off(latest, as_of, events), pure=False, **kernel)
            results = client.gather(futures)
        finally:
            client.submit(shutil.rmtree, folder, ignore_errors=True, pure=False).result()
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


def _plan_and_split(path, n_buckets, spill_dir, *, columns, filter, filesystem, source_tz):
    """First pass and bucket files in a new folder under ``spill_dir`` (a Dask task)."""
    import tempfile

    plan = plan_buckets(path, n_buckets, filter=filter, filesystem=filesystem,
                        source_tz=source_tz)
    folder = tempfile.mkdtemp(dir=spill_dir, prefix="buckets-")
    files = io.split_parquet(path, plan.rows, n_buckets, folder, columns=columns,
                             filter=filter, filesystem=filesystem,
                             categorical=CATEGORICAL_COLUMNS)
    latest = plan.as_of
    del plan
    release_memory()
    return folder, files, latest


def _plan_as_of(plan: BucketPlan):
    return plan.as_of


# --- reading a period ----------------------------------------------------------------------


def period_filter(start, end, *, lookback=_NONE, lookahead=_NONE, column: str = "sent_at"):
    """pyarrow expression ``start - lookback <= column < end + lookahead`` (UTC instants)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def instant(value):
        stamp = pd.Timestamp(value)
        stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
        return pa.scalar(stamp.to_pydatetime(), type=pa.timestamp("us", tz="UTC"))

    low = instant(pd.Timestamp(start) - pd.Timedelta(lookback))
    high = instant(pd.Timestamp(end) + pd.Timedelta(lookahead))
    return (pc.field(column) >= low) & (pc.field(column) < high)


def read_period(path, start, end, lookback=WEEK, lookahead=WEEK, columns=READ_COLUMNS, *,
                filesystem=None) -> pd.DataFrame:
    """Raw messages sent from ``start - lookback`` to before ``end + lookahead``.

    Only those rows and ``columns`` are read: the time filter is pushed into the Parquet scan
    (row groups outside the window are skipped by their statistics, the rest filtered while
    scanning). Validate the result with :func:`analytics.io.validate_messages`.

    The look-ahead must cover what the period's figures wait for after its end: replies to
    conversations started near the end, and the repeat window (7 days by default). The
    look-back must cover the longest conversation, so that a conversation started before the
    period is not mistaken for one started in it (its earlier messages are read too). The
    file must store ``sent_at`` as a timestamp (Parquet written from a validated log does).

    Parameters
    ----------
    path : str or Path
        Parquet file or folder.
    start, end : Timestamp or str
        The period ``[start, end)``; naive values are UTC (``Period.start``/``Period.end``
        are zone-aware).
    lookback, lookahead : Timedelta
        Extra time read before and after.
    columns : sequence of str
        Columns to read.
    """
    return io.read_parquet(path, columns=columns,
                           filter=period_filter(start, end, lookback=lookback,
                                                lookahead=lookahead),
                           filesystem=filesystem)


# --- the metric table ----------------------------------------------------------------------


def _week(start: pd.Series, tz: str) -> pd.Series:
    """Monday (local date, as naive midnight) of each instant's ISO week in ``tz``."""
    if tz == "UTC" and isinstance(start.dtype, pd.DatetimeTZDtype):
        unit = start.dtype.unit
        per_day = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[unit] * 86_400
        values = start.array.asi8
        days = np.floor_divide(values, per_day)
        monday = (days - (days + 3) % 7) * per_day  # 1970-01-01 was a Thursday
        week = pd.Series(monday.view(f"M8[{unit}]"), index=start.index)
        return week.where(start.notna())
    local = start.dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()
    return local - pd.to_timedelta(local.dt.day_of_week, unit="D")


def _wait_rows(facts: pd.DataFrame, waits: pd.DataFrame) -> np.ndarray:
    """Position in ``facts`` of each wait's conversation.

    :func:`analytics.facts.facts_and_waits` lists waits grouped by conversation in the facts'
    row order, and a conversation has waits exactly when it has customer messages: then the
    positions follow from where the id changes, checked against the facts, with no lookup of
    millions of strings. Frames in any other order are matched by id.
    """
    ids = waits["conversation_id"]
    change = ids.ne(ids.shift()).to_numpy()
    run = np.cumsum(change) - 1
    candidates = np.flatnonzero(facts["customer_messages"].to_numpy() > 0)
    if len(candidates) == int(change.sum()):
        firsts = ids.iloc[np.flatnonzero(change)].reset_index(drop=True)
        expected = facts["conversation_id"].iloc[candidates].reset_index(drop=True)
        if firsts.equals(expected):
            return candidates[run]
    return pd.Index(facts["conversation_id"]).get_indexer(ids)


def metric_inputs(facts: pd.DataFrame, waits: pd.DataFrame, *, tz: str = "UTC"):
    """The per-conversation and per-wait values the metric table aggregates (small frames).

    Returns
    -------
    contacts : DataFrame
        One row per contact (non-proactive conversation): ``channel``, ``week`` (Monday of
        the start's ISO week in ``tz``), ``first_response_s``, ``first_response_business_s``,
        ``lookahead_complete``, ``repeated``.
    replies : DataFrame
        One row per wait of those contacts: ``channel``, ``week``, ``wait_s`` (NaN if open).
    """
    contact = ~facts["proactive"].to_numpy(dtype=bool)
    week = _week(facts["start"], tz).to_numpy()
    codes, names = io.factorize(facts["channel"])
    # A categorical: small to send between processes (see _combine for several buckets).
    channel = pd.Series(pd.Categorical.from_codes(codes, categories=names))
    contacts = pd.DataFrame({
        "channel": channel[contact].reset_index(drop=True),
        "week": week[contact],
        "first_response_s": facts["first_response_s"].to_numpy()[contact],
        "first_response_business_s": facts["first_response_business_s"].to_numpy()[contact],
        "lookahead_complete": facts["lookahead_complete"].to_numpy(dtype=bool)[contact],
        "repeated": facts["repeated"].to_numpy(dtype=bool)[contact],
    })
    rows = _wait_rows(facts, waits)
    mine = (rows >= 0) & contact[np.maximum(rows, 0)]
    rows = rows[mine]
    replies = pd.DataFrame({
        "channel": channel.iloc[rows].reset_index(drop=True),
        "week": week[rows],
        "wait_s": waits["wait_s"].to_numpy()[mine],
    })
    return contacts, replies


def _group_stats(values: np.ndarray, group: np.ndarray, n_groups: int, prefix: str) -> dict:
    """Exact per-group n, median, p90 and mean of the non-missing values.

    Values are sorted within groups, so the figures do not depend on row order; percentiles
    interpolate linearly exactly as ``numpy.percentile`` does.
    """
    ok = ~np.isnan(values)
    values, group = values[ok], group[ok]
    whole = values.astype(np.int64)
    if len(values) and (whole == values).all() and whole.min() >= 0 and whole.max() < 2**40:
        # Whole seconds (the usual case): one sort of (group, value) packed in an integer.
        key = np.sort((group.astype(np.int64) << 40) | whole)
        group, values = key >> 40, (key & (2**40 - 1)).astype(float)
    else:
        # Sort by value, then stably by group (a radix sort when groups fit in 16 bits).
        order = np.argsort(values)
        small = np.int16 if n_groups < 2**15 else np.int64
        order = order[np.argsort(group[order].astype(small), kind="stable")]
        values, group = values[order], group[order]
    n = np.bincount(group, minlength=n_groups)
    first = np.concatenate(([0], np.cumsum(n)[:-1]))
    has = n > 0
    padded = np.append(values, np.nan)  # empty groups read this NaN
    out = {f"{prefix}n": n}
    for name, q in (("median", 0.5), ("p90", 0.9)):
        position = (n - 1) * q
        low = np.floor(position).astype(np.int64)
        high = np.minimum(low + 1, n - 1)
        t = position - low
        a = padded[np.where(has, first + low, len(values))]
        b = padded[np.where(has, first + high, len(values))]
        # numpy's _lerp: a + (b - a) t below t = 0.5, b - (b - a)(1 - t) from there.
        diff = b - a
        out[f"{prefix}{name}_s"] = np.where(t >= 0.5, b - diff * (1 - t), a + diff * t)
    sums = np.bincount(group, weights=values, minlength=n_groups)
    out[f"{prefix}mean_s"] = np.where(has, sums / np.maximum(n, 1), np.nan)
    return out


def _channel_weeks(contacts: pd.DataFrame, replies: pd.DataFrame):
    """Group number (sorted by channel, then week) of each contact and reply, and the groups."""
    channel_codes, channels = [], []
    for frame in (contacts, replies):
        codes, uniques = io.factorize(frame["channel"])
        channel_codes.append(codes)
        channels.append(uniques)
    names = pd.Index(sorted(set(channels[0]) | set(channels[1])), dtype="str")
    weeks = [frame["week"].to_numpy() for frame in (contacts, replies)]
    week_values = np.sort(pd.unique(np.concatenate(weeks)))
    keys = []
    for codes, uniques, week in zip(channel_codes, channels, weeks, strict=True):
        channel = names.get_indexer(pd.Index(uniques, dtype="str"))[codes]
        keys.append(channel.astype(np.int64) * len(week_values)
                    + np.searchsorted(week_values, week))
    distinct, group = np.unique(keys[0], return_inverse=True)
    reply_group = np.searchsorted(distinct, keys[1])
    table = pd.DataFrame({"channel": names[distinct // max(len(week_values), 1)],
                          "week": week_values[distinct % max(len(week_values), 1)]})
    return group.ravel(), reply_group, table


def aggregate_metrics(contacts: pd.DataFrame, replies: pd.DataFrame, *,
                      sla_s: float = 3600) -> pd.DataFrame:
    """The metric table from :func:`metric_inputs` (of one log, or of many buckets).

    One row per channel and week with contacts: ``contacts``, ``answered``, first response
    ``frt_median_s``/``frt_p90_s``/``frt_mean_s`` (answered contacts), the same in business
    seconds, ``within_sla`` (share of answered contacts answered within ``sla_s``; NaN when
    none), every reply wait of those contacts (``replies`` answered, ``open_waits``,
    ``reply_median_s``/``reply_p90_s``/``reply_mean_s``), ``repeat_eligible`` (look-ahead
    complete) and ``repeated`` among them. Sorted by channel and week.
    """
    group, reply_group, keys = _channel_weeks(contacts, replies)
    n = len(keys)
    frt = contacts["first_response_s"].to_numpy(dtype=float)
    business = contacts["first_response_business_s"].to_numpy(dtype=float)
    wait = replies["wait_s"].to_numpy(dtype=float)
    # The reply waits (the most values) are sorted in a second thread (NumPy's sort releases
    # the GIL).
    with ThreadPoolExecutor(1) as thread:
        pending = thread.submit(_group_stats, wait, reply_group, n, "reply_")
        try:
            first = _group_stats(frt, group, n, "frt_")
            in_business = _group_stats(business, group, n, "frt_business_")
        finally:
            reply = pending.result()
    answered = frt[~np.isnan(frt)]
    within = np.bincount(group[~np.isnan(frt)], weights=answered <= sla_s, minlength=n)
    eligible = contacts["lookahead_complete"].to_numpy(dtype=bool)
    repeated = eligible & contacts["repeated"].to_numpy(dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        within_sla = np.where(first["frt_n"] > 0, within / np.maximum(first["frt_n"], 1),
                              np.nan)
    table = pd.DataFrame({
        "channel": keys["channel"].astype("str"),
        "week": keys["week"],
        "contacts": np.bincount(group, minlength=n).astype(np.int64),
        "answered": first["frt_n"].astype(np.int64),
        "frt_median_s": first["frt_median_s"], "frt_p90_s": first["frt_p90_s"],
        "frt_mean_s": first["frt_mean_s"],
        "frt_business_median_s": in_business["frt_business_median_s"],
        "frt_business_p90_s": in_business["frt_business_p90_s"],
        "frt_business_mean_s": in_business["frt_business_mean_s"],
        "within_sla": within_sla,
        "replies": reply["reply_n"].astype(np.int64),
        "open_waits": np.bincount(reply_group[np.isnan(wait)], minlength=n).astype(np.int64),
        "reply_median_s": reply["reply_median_s"], "reply_p90_s": reply["reply_p90_s"],
        "reply_mean_s": reply["reply_mean_s"],
        "repeat_eligible": np.bincount(group[eligible], minlength=n).astype(np.int64),
        "repeated": np.bincount(group[repeated], minlength=n).astype(np.int64),
    })
    return table[list(METRIC_COLUMNS)]


def metric_table(facts: pd.DataFrame, waits: pd.DataFrame, *, sla_s: float = 3600,
                 tz: str = "UTC") -> pd.DataFrame:
    """First response, business-hours first response, every reply and repeat contacts by
    channel and ISO week of the start (see :func:`aggregate_metrics`).

    Medians and percentiles cannot be combined across partitions, so partitioned runs keep
    each bucket's :func:`metric_inputs` (one row per contact or wait) and aggregate once.
    """
    return aggregate_metrics(*metric_inputs(facts, waits, tz=tz), sla_s=sla_s)
