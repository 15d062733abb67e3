"""The compiled one-pass checks of validation, against the plain definitions."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.load.scans import in_time_order, text_flags


def expected_flags(values):
    """First or last character outside printable ASCII but space; an empty string."""
    present = [v for v in values if v is not None]
    plain = range(0x21, 0x7F)
    return (any(ord(v[0]) not in plain or ord(v[-1]) not in plain for v in present if v),
            any(v == "" for v in present))


def test_text_flags_by_hand():
    assert text_flags(pa.array(["c1", "c2"])) == (False, False)
    assert text_flags(pa.array(["c1", " c2"])) == (True, False)
    assert text_flags(pa.array(["c1\t", "c2"], pa.large_string())) == (True, False)
    assert text_flags(pa.array(["c1", ""])) == (False, True)
    assert text_flags(pa.array(["c1", None, "c2"])) == (False, False)  # nulls are neither
    assert text_flags(pa.array(["ação"])) == (False, False)  # only the edges matter
    assert text_flags(pa.array(["açã"])) == (True, False)  # a non-ASCII edge: strip to know
    assert text_flags(pa.chunked_array([["a"], [], ["b "]])) == (True, False)
    assert text_flags(pa.array([1, 2])) == (True, True)  # not strings: check everything


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.text(max_size=5)), max_size=30),
       large=st.booleans(), cut=st.integers(0, 30))
def test_text_flags_match_the_definition(values, large, cut):
    array = pa.array(values, pa.large_string() if large else pa.string())
    edge, empty = text_flags(array[cut:])  # a slice: offsets start inside the buffer
    expected_edge, expected_empty = expected_flags(values[cut:])
    assert (edge, empty) == (expected_edge, expected_empty)
    if not edge:  # the promise validation relies on: stripping changes nothing
        assert all(v is None or v == v.strip() for v in values[cut:])


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 5), st.booleans()), max_size=20))
def test_in_time_order_is_the_order_sort_messages_gives(rows):
    sent = np.array([t for t, _ in rows], dtype=np.int64)
    outbound = np.array([o for _, o in rows], dtype=bool)
    already = np.array_equal(np.lexsort((outbound, sent)), np.arange(len(rows)))
    assert in_time_order(sent, outbound) == already


def test_nat_after_a_time_is_out_of_order():
    nat = np.iinfo(np.int64).min
    assert not in_time_order(np.array([5, nat], dtype=np.int64), np.zeros(2, dtype=bool))
