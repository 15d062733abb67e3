"""Memory of large runs: compact columns, the C allocator for Arrow, freed memory handed back."""

from __future__ import annotations

import pandas as pd

from analytics.load.schema import categorical, factorize

#: Low-cardinality columns :func:`compact` stores as categoricals.
CATEGORICAL_COLUMNS = ("channel", "direction", "author_type", "agent_id")


def use_system_allocator() -> None:
    """Make pyarrow allocate with the C library's allocator, and NumPy's large arrays with
    ordinary pages (process-wide, idempotent).

    Arrow's default allocator (mimalloc) keeps freed memory for reuse and, on Linux kernels
    with transparent huge pages in ``madvise`` mode, spends seconds of system time mapping
    the first gigabytes (measured: a 10M-row read took 5 s instead of 2 s). The C library
    hands big buffers back to the operating system when they are freed. NumPy asks for huge
    pages for every array of 4 MB or more (``madvise``); a run here fills each array once or
    twice and frees it, so the kernel's compaction to find 2 MB pages costs more than the
    huge pages save (measured at 10M messages on the 2-core machine: 6.4-7.3 s with them,
    4.7-5.4 s without, system time 4.2-5.5 s against 2.5-2.8 s). The entry points of this
    package's large runs call it; call it yourself before other large work.

    The C library is also told to reuse freed memory (:func:`_reuse_freed_memory`).
    """
    import pyarrow as pa

    if pa.default_memory_pool().backend_name != "system":
        pa.set_memory_pool(pa.system_memory_pool())
    _without_huge_pages()
    _reuse_freed_memory()


#: mallopt's parameters (glibc's malloc.h) and the top of the heap kept for reuse.
_M_TRIM_THRESHOLD, _M_MMAP_MAX = -1, -4
_KEEP_AT_TOP = 256 << 20


def _reuse_freed_memory() -> bool:
    """Have glibc's malloc serve large blocks from its heap and keep up to 256 MB at its top,
    instead of mapping every block over 32 MB afresh; whether it could be set (glibc only).

    A 10M-row column of int64 is 80 MB: by default each one is a new mapping whose pages the
    kernel faults in and zeroes, and a run makes hundreds of them. From the heap, a freed
    block is reused as it is (measured at 10M messages in memory, 3 interleaved runs each:
    5.3-5.9 s before, 4.4-4.7 s after; page faults 1.36M -> 0.81M; peak 2.15-2.21 GB both).
    :func:`release_memory` still hands every free page back at the points where it is called.
    """
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        return bool(libc.mallopt(_M_MMAP_MAX, 0) and libc.mallopt(_M_TRIM_THRESHOLD,
                                                                  _KEEP_AT_TOP))
    except (OSError, AttributeError, TypeError):
        return False


def _without_huge_pages() -> None:
    """Stop NumPy's ``madvise(MADV_HUGEPAGE)`` on new arrays (what the environment variable
    ``NUMPY_MADVISE_HUGEPAGE=0`` does at import; the toggle is NumPy's, private, so its
    absence is tolerated)."""
    from numpy._core import multiarray

    toggle = getattr(multiarray, "_set_madvise_hugepage", None)
    if toggle is not None:
        toggle(False)


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
    out = _compact(messages)
    del messages
    release_memory()
    return out


def _compact(messages: pd.DataFrame, encoded=None) -> pd.DataFrame:
    """:func:`compact` without handing memory back (the caller does, once it has dropped
    ``messages``); ``encoded`` is an ``factorize`` of the conversation ids already done (on
    the raw column, see :func:`_validated`), used when the ids are the same."""
    keep = [c for c in messages.columns if c not in ("message_id", "text")]
    out = messages[keep]
    for column in CATEGORICAL_COLUMNS + ("conversation_id",):
        if column in out.columns and not isinstance(out[column].dtype, pd.CategoricalDtype):
            if column == "conversation_id" and encoded is not None:
                codes, uniques = encoded
            else:
                codes, uniques = factorize(out[column])
            out[column] = categorical(codes, uniques)
    return out
