"""Compiled one-pass checks of a log being validated (numba): what a clean export lets
validation skip.

Most exports are clean: ids without stray spaces, no empty cell, messages in time order. Each
check below reads the column once, straight from Arrow's buffers or the int64 instants,
without the arrays of one flag per row that the same test written in NumPy allocates (three
such arrays per text column at 10M rows); when a check finds something, validation takes its
full path.
"""

from __future__ import annotations

import numpy as np
from numba import types

from analytics.compiled import compiled, read_only

_FLAGS = types.UniTuple(types.boolean, 2)


@compiled([_FLAGS(read_only(offset), read_only(types.uint8), read_only(types.boolean),
                  types.boolean) for offset in (types.int32, types.int64)])
def _text_flags(offsets, chars, valid, check_valid):
    edge = False
    empty = False
    for i in range(len(offsets) - 1):
        if check_valid and not valid[i]:
            continue
        start, end = offsets[i], offsets[i + 1]
        if start == end:
            empty = True
        else:
            # 0x21-0x7E: printable ASCII other than space. ASCII whitespace is at most 0x20
            # and any other whitespace character is encoded in bytes of 0x80 or more.
            first, last = chars[start], chars[end - 1]
            edge = edge or first < 0x21 or first > 0x7E or last < 0x21 or last > 0x7E
        if edge and empty:
            break
    return edge, empty


def text_flags(strings) -> tuple[bool, bool]:
    """``(may_have_edge_space, has_empty)`` of an Arrow string (Chunked)Array: whether some
    present string may start or end with whitespace (its first or last byte is not printable
    ASCII other than space: False means stripping changes nothing) and whether some present
    string is empty. Nulls are neither. Non-string chunks answer ``(True, True)``: check."""
    import pyarrow as pa

    edge = empty = False
    chunks = strings.chunks if isinstance(strings, pa.ChunkedArray) else [strings]
    for chunk in chunks:
        if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
            return True, True
        if not len(chunk) or chunk.null_count == len(chunk):
            continue
        _, offsets, chars = chunk.buffers()
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        offsets = np.frombuffer(offsets, dtype=width)[chunk.offset:chunk.offset + len(chunk) + 1]
        chars = np.frombuffer(chars, dtype=np.uint8) if chars is not None \
            else np.zeros(0, np.uint8)
        check = chunk.null_count > 0
        valid = chunk.is_valid().to_numpy(zero_copy_only=False) if check \
            else np.zeros(0, dtype=bool)
        e, m = _text_flags(offsets, chars, valid, check)
        edge, empty = edge or e, empty or m
        if edge and empty:
            break
    return bool(edge), bool(empty)


@compiled([types.boolean(read_only(types.int64), read_only(types.boolean))])
def in_time_order(sent, outbound):
    """Whether the int64 instants ``sent`` never decrease and, at equal instants, no inbound
    message follows an outbound one (``outbound``): the order ``sort_messages`` gives, so a
    stable sort would change nothing. NaT (int64 minimum) after a time is a decrease."""
    for i in range(1, len(sent)):
        if sent[i] < sent[i - 1]:
            return False
        if sent[i] == sent[i - 1] and outbound[i - 1] and not outbound[i]:
            return False
    return True
