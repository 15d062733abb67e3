"""Message ids unique across the buckets of an out-of-core run, as validation requires of a log.

Each bucket's validation finds an id repeated inside the bucket; two messages of different
customers can still share an id in two buckets. So each bucket also spills the sorted 64-bit
hashes of its message ids; once every bucket is done, each range of hash values is checked
across buckets (a sort of about 1/``n`` of the log's hashes, SIMD-fast in NumPy), and only when
a hash is met twice are the bucket files read again to find its rows and compare the ids as
strings, so a shared hash of two different ids is no error. The error names the same row as an
in-memory run: the first row whose id was met before."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analytics.errors import InputError
from analytics.load.schema import DUPLICATE_ID, _text_column
from analytics.scale.split import ROW, _stable_hash


def _ranges(n: int) -> int:
    """Hash ranges of a run of ``n`` buckets: a power of two, at least ``n``."""
    return 1 << max(0, int(n - 1).bit_length())


def _keys(raw: pd.DataFrame) -> np.ndarray:
    """The hash of each message id, cleaned as validation cleans it."""
    return _stable_hash(_text_column(raw, "message_id"))


def spill_message_keys(raw: pd.DataFrame, folder, bucket: int) -> None:
    """Write the sorted hashes of one bucket's message ids to ``folder`` (one ``.npy``)."""
    np.save(Path(folder) / f"ids-{bucket:05d}.npy", np.sort(_keys(raw)))


def _met_twice(folder, buckets: list[int], r: int, n_ranges: int) -> np.ndarray:
    """The hashes of range ``r`` (of ``n_ranges``) that more than one message id has."""
    width = (1 << 64) // n_ranges
    lo, hi = np.uint64(r * width), np.uint64(min((r + 1) * width, (1 << 64) - 1))
    last = r == n_ranges - 1  # the top range holds the largest hash too
    pieces = []
    for b in buckets:
        keys = np.load(Path(folder) / f"ids-{b:05d}.npy", mmap_mode="r")
        start = np.searchsorted(keys, lo, side="left")
        end = np.searchsorted(keys, hi, side="right" if last else "left")
        pieces.append(np.asarray(keys[start:end]))
    keys = np.sort(np.concatenate(pieces)) if pieces else np.zeros(0, np.uint64)
    return np.unique(keys[1:][keys[1:] == keys[:-1]])


def check_unique_message_ids(folder, files: list[list[str]], source, pool=None) -> None:
    """Raise :class:`InputError` at the first row whose message id an earlier row has, across
    the buckets whose hashes :func:`spill_message_keys` wrote to ``folder`` (``files``: every
    bucket's files; ``pool``: an executor to check the ranges in, else this process)."""
    import pyarrow as pa

    buckets = [b for b in range(len(files)) if (Path(folder) / f"ids-{b:05d}.npy").exists()]
    n = _ranges(len(files))
    args = ([folder] * n, [buckets] * n, range(n), [n] * n)
    found = list(pool.map(_met_twice, *args)) if pool is not None else [
        _met_twice(*each) for each in zip(*args, strict=True)]
    shared = np.concatenate(found) if found else np.zeros(0, np.uint64)
    if not len(shared):
        return
    # The rows of those hashes, read back from the bucket files, compared as strings.
    met = []
    for b in buckets:
        for file in files[b]:
            with pa.OSFile(str(file)) as stream:
                table = pa.ipc.open_stream(stream).read_all().select(["message_id", ROW])
            frame = table.to_pandas()
            hit = np.isin(_keys(frame), shared)
            if hit.any():
                met.append(pd.DataFrame({
                    "id": _text_column(frame, "message_id").to_numpy()[hit],
                    "row": frame[ROW].to_numpy()[hit]}))
    met = pd.concat(met, ignore_index=True).sort_values("row", kind="stable")
    again = met[met.duplicated("id", keep="first")]
    if len(again):
        first = again.iloc[0]
        raise InputError(source, DUPLICATE_ID, row=int(first["row"]) + 1,
                         column="message_id", expected="each value to appear once",
                         found=first["id"])
