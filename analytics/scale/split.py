"""One read pass of a Parquet log into customer-bucket files, out of core.

A conversation belongs to the bucket of the customer of its first inbound message
(:func:`analytics.scale.partitions.customer_buckets`), which a streaming pass cannot know for
a conversation until it has met that message. So the pass remembers, for every conversation
met so far, the earliest inbound message seen and the bucket it gives; each row goes straight
to its conversation's bucket file when the conversation has one, else to a *pending* file.
Once the log is read, every conversation's bucket is final: the pending rows (conversations
opened by an agent or a bot before a batch that holds their customer's first message) are
sent to their buckets, and so are the rows of the rare conversations whose owner changed when
an earlier inbound message turned up later (a log out of time order). Those re-reads touch
the bucket files only, never the log. Every row carries its position in the scan, so a
bucket's rows are put back in scan order before validation.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from numba.types import int64, uint8, uint64

from analytics.compiled import compiled, read_only
from analytics.errors import InputError
from analytics.load.files import _frame, parquet_dataset
from analytics.load.schema import _text_column, _unless_same, as_text, factorize, parse_timestamps
from analytics.scale.memory import CATEGORICAL_COLUMNS

#: The columns that decide a conversation's bucket.
KEY_COLUMNS = ("conversation_id", "customer_id", "direction", "sent_at")
#: Rows handled at once by the pass (about 100 MB of the needed columns).
BATCH_ROWS = 1 << 20
#: The scan position of each row in the bucket files.
ROW = "_row"
_NONE = np.iinfo(np.int64).max
#: Ids stored in one chunk at least, unless fewer were met (see _Conversations._allocate).
_SMALL_CHUNK = 1 << 16


def _stable_hash(values) -> np.ndarray:
    """uint64 hash of each string, the same in every process and on every machine.

    FNV-1a over the UTF-8 bytes with a final avalanche (splitmix64), compiled and read
    straight from Arrow's buffers: no Python string is made (pandas' ``hash_array`` needs
    one object per value, measured 2.3 s of a 30M-message split). Missing values hash as
    the empty string.
    """
    import pyarrow as pa

    if isinstance(values, pd.Index | pd.Series) and isinstance(values.dtype, pd.StringDtype) \
            and values.dtype.storage == "pyarrow":
        data = values.array.__arrow_array__()
    else:
        data = pa.array(np.asarray(values, dtype=object), type=pa.large_string())
    if isinstance(data, pa.ChunkedArray):
        data = data.combine_chunks() if data.num_chunks else pa.array([], pa.large_string())
    if not pa.types.is_large_string(data.type):
        data = data.cast(pa.large_string())
    if not len(data):
        return np.zeros(0, dtype=np.uint64)
    _, offsets, chars = data.buffers()
    offsets = np.frombuffer(offsets, dtype=np.int64)[data.offset:data.offset + len(data) + 1]
    chars = np.frombuffer(chars, dtype=np.uint8) if chars is not None else np.zeros(0, np.uint8)
    hashes = _fnv_hashes(offsets, chars)
    if data.null_count:  # a null's bytes, if any, are not its value
        hashes[data.is_null().to_numpy(zero_copy_only=False)] = _fnv_hashes(
            np.zeros(2, np.int64), chars)[0]
    return hashes


@compiled(uint64[:](read_only(int64), read_only(uint8)))
def _fnv_hashes(offsets, chars):
    out = np.empty(len(offsets) - 1, dtype=np.uint64)
    for i in range(len(out)):
        h = np.uint64(14695981039346656037)
        for p in range(offsets[i], offsets[i + 1]):
            h = (h ^ np.uint64(chars[p])) * np.uint64(1099511628211)
        h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        out[i] = h ^ (h >> np.uint64(31))
    return out


def _first_inbound(codes: np.ndarray, n_ids: int, inbound: np.ndarray,
                   sent: np.ndarray) -> np.ndarray:
    """Row of each conversation's first inbound message (conversations without one: none).

    First = earliest, then first in input order: the order sort_messages keeps among
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


def _text(values) -> pd.Series:
    """An Arrow column cleaned as validation cleans text (blanks missing, edges stripped)."""
    return _text_column(pd.DataFrame({"c": values.to_pandas()}), "c")


def _conversations(table) -> tuple[np.ndarray, pd.Index]:
    """Codes (-1: missing) and distinct cleaned ids of a table's conversation ids."""
    return factorize(_text(table.column("conversation_id")))


def _times(table, source, source_tz) -> np.ndarray:
    """``sent_at`` as int64 UTC nanoseconds, parsed as validation parses it."""
    import pyarrow as pa

    sent = table.column("sent_at")
    if pa.types.is_timestamp(sent.type) and sent.type.tz is not None:
        # UTC instants already: integers in the column's unit, no conversion.
        unit = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}[sent.type.unit]
        values = np.concatenate([c.to_numpy().view(np.int64) for c in sent.chunks]
                                or [np.zeros(0, np.int64)])
        return values * unit
    return parse_timestamps(sent.to_pandas(), source=str(source), column="sent_at",
                               source_tz=source_tz).array.asi8


class _Conversations:
    """Every conversation met so far, by cleaned id: a slot, its hash, its owner so far.

    Ids are looked up by a 64-bit hash in a sorted array (one merge per batch) and checked
    against the stored id, so two ids with the same hash are still two conversations (the
    second one is found through a small dictionary).
    """

    def __init__(self, n_buckets: int):
        self.n_buckets = n_buckets
        self.count = 0
        # About 43 bytes per conversation (22 million at 100M messages): slots as int32 (as
        # int64 past 2**31), buckets as the smallest integer that holds them, and the hash
        # of each slot not stored twice (final() is given it).
        self.sorted_keys = np.zeros(0, np.uint64)
        self.sorted_slots = np.zeros(0, np.int32)
        self.chunks: list = []  # the ids, in slot order, a chunk per batch
        self.starts = np.zeros(0, np.int64)  # the first slot of each chunk
        self.others: dict[str, int] = {}
        self.time = np.zeros(0, np.int64)    # the owner's sent_at (ns), _NONE before one
        # The owner's bucket, -1 before one.
        self.bucket = np.zeros(0, np.int16 if n_buckets < 2**15 else np.int32)

    def _allocate(self, keys: np.ndarray, ids) -> np.ndarray:
        import pyarrow as pa

        slots = np.arange(self.count, self.count + len(keys))
        self.count += len(keys)
        if self.count > np.iinfo(self.sorted_slots.dtype).max:
            self.sorted_slots = self.sorted_slots.astype(np.int64)
        self.time = np.concatenate((self.time, np.full(len(keys), _NONE)))
        self.bucket = np.concatenate((self.bucket, np.full(len(keys), -1, self.bucket.dtype)))
        chunk = pa.array(ids, type=pa.large_string())
        if self.chunks and len(self.chunks[-1]) < _SMALL_CHUNK:
            # Single ids (hash collisions) join the chunk before them: few chunks.
            chunk = pa.concat_arrays([self.chunks.pop(), chunk])
            self.starts = self.starts[:-1]
        self.starts = np.append(self.starts, self.count - len(chunk))
        self.chunks.append(chunk)
        return slots

    def _stored(self, slots: np.ndarray):
        """The ids of ``slots``, taken chunk by chunk: pyarrow's take on a chunked array
        first copies every chunk into one (all the ids met, twice in memory)."""
        import pyarrow as pa

        chunk = np.searchsorted(self.starts, slots, side="right") - 1
        order = np.argsort(chunk, kind="stable")
        ends = np.searchsorted(chunk[order], np.arange(1, len(self.chunks) + 1))
        pieces, begin = [], 0
        for c, end in enumerate(ends):
            if end > begin:
                taken = slots[order[begin:end]] - self.starts[c]
                pieces.append(self.chunks[c].take(pa.array(taken)))
            begin = end
        ids = pa.chunked_array(pieces, type=pa.large_string()).combine_chunks()
        back = np.empty(len(order), dtype=np.intp)
        back[order] = np.arange(len(order))
        return ids.take(pa.array(back))

    def slots(self, ids: pd.Index, keys: np.ndarray) -> np.ndarray:
        """The slot of each id (``keys`` its hashes), new ids given new slots."""
        import pyarrow as pa
        import pyarrow.compute as pc

        # Sorted queries: each search starts where the previous one ended (cache friendly).
        by_key = np.argsort(keys)
        pos = np.empty(len(keys), dtype=np.intp)
        pos[by_key] = np.searchsorted(self.sorted_keys, keys[by_key])
        hit = pos < len(self.sorted_keys)
        hit[hit] = self.sorted_keys[pos[hit]] == keys[hit]
        slots = np.full(len(keys), -1, dtype=np.int64)
        slots[hit] = self.sorted_slots[pos[hit]]
        other = np.zeros(len(keys), dtype=bool)
        if hit.any():
            stored = self._stored(slots[hit])
            same = pc.equal(stored, pa.array(ids[hit], type=pa.large_string()))
            other[np.flatnonzero(hit)[~same.to_numpy(zero_copy_only=False)]] = True
        new = np.flatnonzero(~hit)
        if len(new):
            new = new[np.argsort(keys[new], kind="stable")]
            repeated = np.zeros(len(new), dtype=bool)
            repeated[1:] = keys[new[1:]] == keys[new[:-1]]
            other[new[repeated]] = True
            fresh = new[~repeated]  # sorted by hash
            slots[fresh] = self._allocate(keys[fresh], ids[fresh])
            at = np.searchsorted(self.sorted_keys, keys[fresh])
            self.sorted_keys = np.insert(self.sorted_keys, at, keys[fresh])
            self.sorted_slots = np.insert(self.sorted_slots, at, slots[fresh])
        for i in np.flatnonzero(other):  # another id under a hash already taken
            name = ids[i]
            if name not in self.others:
                self.others[name] = int(self._allocate(keys[i:i + 1], ids[i:i + 1])[0])
            slots[i] = self.others[name]
        return slots

    def final(self, slots: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """The bucket of conversations (``keys``: the hashes of their ids) once the log is
        read (no inbound message: its id's)."""
        bucket = self.bucket[slots].astype(np.int64)
        none = bucket < 0
        bucket[none] = (keys[none] % np.uint64(self.n_buckets)).astype(np.int64)
        return bucket


class _Writers:
    """One Arrow IPC stream per name in a folder, opened on first write."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.open: dict[str, object] = {}

    def write(self, name: str, batch) -> None:
        import pyarrow as pa

        if name not in self.open:
            self.open[name] = pa.ipc.new_stream(str(self.folder / name), batch.schema)
        self.open[name].write_table(batch)

    def close(self) -> None:
        for writer in self.open.values():
            writer.close()
        self.open = {}


def _bucket_file(b: int) -> str:
    return f"bucket-{b:05d}.arrows"


def _extra_file(b: int) -> str:
    return f"extra-{b:05d}.arrows"


def _write_grouped(table, buckets: np.ndarray, names, writers: _Writers) -> None:
    """Append the rows of each bucket (in their order) to that bucket's file ``names(b)``."""
    import pyarrow as pa

    order = np.argsort(buckets, kind="stable")
    counts = np.bincount(buckets)
    grouped = table.take(pa.array(order))
    start = 0
    for b in np.flatnonzero(counts):
        writers.write(names(int(b)), grouped.slice(start, counts[b]))
        start += counts[b]


def _batches(dataset, columns, filter):
    """The dataset's record batches in scan order, read a row group at a time with one row
    group read ahead in a thread: the dataset scanner's own read-ahead held 1-2 GB of decoded
    batches (at 10M-30M messages) whenever the pass was slower than the reads."""
    import pyarrow as pa

    groups = (group for fragment in dataset.get_fragments(filter=filter)
              for group in fragment.split_by_row_group(filter=filter))

    def read(group):
        # The dataset's schema, as a whole-dataset scan reads every file: a later file whose
        # column has another type (text times, say) is cast to the first file's, not read as
        # a batch that cannot join the others.
        try:
            return group.to_table(schema=dataset.schema, columns=columns, filter=filter)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
            raise _unreadable(group.path, exc) from None

    with ThreadPoolExecutor(1) as reader:
        ahead = None
        for group in groups:
            following = reader.submit(read, group)
            if ahead is not None:
                yield from ahead.result().to_batches()
            ahead = following
        if ahead is not None:
            yield from ahead.result().to_batches()


def _unreadable(path, exc) -> InputError:
    """The error of a file whose columns cannot be read with the dataset's types."""
    return InputError(path, "its columns cannot be read with the types of the dataset's "
                      f"first file ({str(exc).splitlines()[0]})",
                      expected="the same column types in every file of the folder")


def split_log(path, n_buckets: int, folder, *, columns, filter=None, filesystem=None,
              source_tz=None):
    """Copy a Parquet dataset into customer-bucket files, reading it once (see the module).

    Parameters
    ----------
    path, filter, filesystem, source_tz
        As for :func:`analytics.scale.partitions.run_partitioned`.
    n_buckets : int
        Number of buckets (``hash(customer) mod n_buckets``, as :func:`customer_buckets`).
    folder : str or Path
        Where the files go (Arrow IPC streams, uncompressed: written and read at memory
        speed).
    columns : sequence of str
        Columns to copy; the four key columns are read in any case.

    Returns
    -------
    files : list of list of str
        The files of each bucket, to be read with :func:`read_bucket_files` (empty: an
        empty bucket).
    as_of : Timestamp or None
        The latest message time read (UTC), None for an empty log.
    """
    import pyarrow as pa

    if n_buckets < 1:
        raise ValueError(f"the number of buckets must be at least 1, got {n_buckets}")
    dataset = parquet_dataset(path, filesystem=filesystem, categorical=CATEGORICAL_COLUMNS)
    missing = [c for c in KEY_COLUMNS if c not in dataset.schema.names]
    if missing:
        raise InputError(path, f"missing column(s) {', '.join(missing)}",
                            expected=f"columns {', '.join(KEY_COLUMNS)}")
    read = [c for c in dataset.schema.names if c in set(columns) | set(KEY_COLUMNS)]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    seen = _Conversations(n_buckets)
    writers = _Writers(folder)
    moved_from: set[int] = set()
    latest = None
    base = 0

    def place(table):
        nonlocal base, latest
        codes, ids = _conversations(table)
        keys = _stable_hash(ids)
        slot = seen.slots(ids, keys)
        inbound = (_unless_same(_text(table.column("direction")), "lower")
                   == "inbound").to_numpy(dtype=bool) & (codes >= 0)
        try:
            sent = _times(table, path, source_tz)
        except InputError as error:  # its row counts from this batch's first row
            raise error.located(path, None if error.row is None
                                else base + error.row) from None
        if len(sent):
            latest = sent.max() if latest is None else max(latest, sent.max())
        rows = _first_inbound(codes, len(ids), inbound, sent)
        owner = slot[codes[rows]]
        customers = as_text(_text(table.column("customer_id").take(pa.array(rows))))
        known = customers.notna().to_numpy()
        bucket = (keys[codes[rows]] % np.uint64(n_buckets)).astype(np.int64)
        bucket[known] = (_stable_hash(customers[known])
                         % np.uint64(n_buckets)).astype(np.int64)
        # An earlier message than the owner so far (ties: the first met) takes over.
        better = sent[rows] < seen.time[owner]
        owner, bucket = owner[better], bucket[better]
        before = seen.bucket[owner]
        moved_from.update(before[(before >= 0) & (before != bucket)].tolist())
        seen.time[owner] = sent[rows][better]
        seen.bucket[owner] = bucket
        # Rows go to their conversation's bucket, or wait (no owner yet, or no id) as n.
        target = np.where(codes >= 0, seen.bucket[slot[codes]], -1)
        target[target < 0] = n_buckets
        rows = np.arange(base, base + len(target))
        base += len(target)
        return table.append_column(ROW, pa.array(rows)), target

    def write(table, target):
        _write_grouped(table, target, lambda b: (_bucket_file(b) if b < n_buckets
                                                 else "pending.arrows"), writers)

    try:
        # Row groups are gathered into batches of BATCH_ROWS: each batch costs one merge of
        # the sorted ids, whatever its size. A second thread groups and writes one batch
        # while the next is placed (Arrow's take and writes run without the GIL).
        with ThreadPoolExecutor(1) as thread:
            held, rows, written = [], 0, None
            for batch in _batches(dataset, read, filter):
                held.append(batch)
                rows += batch.num_rows
                if rows >= BATCH_ROWS:
                    placed = place(pa.Table.from_batches(held))
                    if written is not None:
                        written.result()
                    written = thread.submit(write, *placed)
                    held, rows = [], 0
            if rows:
                placed = place(pa.Table.from_batches(held))
                if written is not None:
                    written.result()
                written = thread.submit(write, *placed)
            del held
            if written is not None:
                written.result()
    finally:
        writers.close()

    # Conversations whose owner moved leave the files they were first written to; pending
    # rows go to their conversation's bucket (unknown customers: their conversation's).
    for b in sorted(moved_from):
        _rehome(folder / _bucket_file(b), b, seen, writers)
    if (folder / "pending.arrows").exists():
        _rehome(folder / "pending.arrows", -1, seen, writers)
    writers.close()
    files = [[str(folder / name(b)) for name in (_bucket_file, _extra_file)
              if (folder / name(b)).exists()] for b in range(n_buckets)]
    as_of = pd.Timestamp(int(latest), unit="ns", tz="UTC") if latest is not None else None
    return files, as_of


def _rehome(file: Path, own: int, seen: _Conversations, writers: _Writers) -> None:
    """Send the rows of ``file`` that belong to another bucket to that bucket's extra file;
    ``file`` keeps the rest (``own`` < 0: none, the file is removed)."""
    import pyarrow as pa

    staying = _Writers(file.parent)
    with pa.OSFile(str(file)) as source:
        for batch in pa.ipc.open_stream(source):
            table = pa.Table.from_batches([batch])
            codes, ids = _conversations(table)
            final = np.zeros(len(codes), dtype=np.int64)  # no id: validation refuses it
            valid = codes >= 0
            keys = _stable_hash(ids)
            final[valid] = seen.final(seen.slots(ids, keys), keys)[codes[valid]]
            stay = final == own
            if stay.any():
                staying.write(file.name + ".tmp", table.filter(pa.array(stay)))
            if not stay.all():
                _write_grouped(table.filter(pa.array(~stay)), final[~stay], _extra_file,
                               writers)
    staying.close()
    kept = file.parent / (file.name + ".tmp")
    if kept.exists():
        kept.replace(file)
    else:
        file.unlink()


def read_bucket_files(files, *, positions: bool = False):
    """The rows of one bucket written by :func:`split_log`, in scan order (dictionaries as
    categoricals; no files: an empty frame); with ``positions``, also each row's position
    in the scan of the log (int64 array), to say where a bad row came from."""
    import pyarrow as pa

    if not files:
        return (pd.DataFrame(), np.zeros(0, np.int64)) if positions else pd.DataFrame()
    tables = []
    for file in files:
        with pa.OSFile(str(file)) as source:  # read into memory: the frame outlives the file
            tables.append(pa.ipc.open_stream(source).read_all())
    table = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
    del tables
    rows = None
    if len(files) > 1:
        rows = table.column(ROW).to_numpy()
        if (np.diff(rows) < 0).any():
            order = np.argsort(rows, kind="stable")
            table, rows = table.take(pa.array(order)), rows[order]
    if positions and rows is None:
        rows = table.column(ROW).to_numpy()
    frame = _frame(table.drop_columns([ROW]))
    return (frame, rows) if positions else frame
