"""Memory of large runs (analytics/scale/memory.py): the compact log keeps what the kernel
reads as categoricals and gives the same facts; the allocator and the release are harmless."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from helpers import agent, bot, inbound, log, t

from analytics.metrics.kernel import customer_facts
from analytics.scale.memory import (
    CATEGORICAL_COLUMNS,
    compact,
    release_memory,
    use_system_allocator,
)

MESSAGES = (
    inbound("Z", "2024-03-01 10:00", customer="c1", channel="email"),
    agent("Z", "2024-03-01 11:00", customer="c1", channel="email", agent_id="ag2"),
    inbound("A", "2024-03-01 09:00", customer="c2"),
    bot("A", "2024-03-01 09:00"),
    agent("A", "2024-03-01 09:04", customer="c2"),
)


def test_compact_drops_ids_and_texts_and_stores_categories():
    messages = log(*MESSAGES)
    small = compact(messages)
    assert "message_id" not in small.columns and "text" not in small.columns
    for column in (*CATEGORICAL_COLUMNS, "conversation_id"):
        assert isinstance(small[column].dtype, pd.CategoricalDtype), column
    # Conversation ids in order of first appearance in the (time-ordered) log: A, then Z.
    assert small["conversation_id"].cat.categories.tolist() == ["A", "Z"]
    assert small["conversation_id"].astype(str).tolist() == messages["conversation_id"].tolist()
    assert small["agent_id"].cat.categories.tolist() == ["bot", "ag1", "ag2"]  # as met
    assert messages["message_id"].notna().all()  # the input is left as it was


def test_the_compact_log_gives_the_same_facts_and_waits():
    messages = log(*MESSAGES)
    as_of = t("2024-03-31 00:00")
    facts, waits = customer_facts(messages, as_of=as_of)
    small_facts, small_waits = customer_facts(compact(messages), as_of=as_of)
    key = ["conversation_id"]
    for full, small in ((facts, small_facts), (waits, small_waits)):
        full = full.sort_values(key).reset_index(drop=True)
        small = small.sort_values(key).reset_index(drop=True)
        for column in full.columns:
            a, b = full[column], small[column]
            if isinstance(b.dtype, pd.CategoricalDtype):
                b = b.astype(a.dtype)
            pd.testing.assert_series_equal(a, b, check_dtype=False, obj=column)
    assert facts.set_index("conversation_id")["first_response_s"].to_dict() == {
        "A": 240.0, "Z": 3600.0}  # the bot's greeting is no response


def test_the_allocator_and_the_release_can_be_called_any_time():
    use_system_allocator()
    use_system_allocator()  # idempotent
    assert pa.default_memory_pool().backend_name == "system"
    release_memory()


def test_large_runs_ask_numpy_for_ordinary_pages():
    from numpy._core import multiarray

    before = multiarray._set_madvise_hugepage(True)  # returns the previous setting
    try:
        use_system_allocator()
        assert multiarray._set_madvise_hugepage(True) is False  # it had been turned off
    finally:
        multiarray._set_madvise_hugepage(before)


def test_large_runs_reuse_freed_memory_on_glibc():
    import platform

    from analytics.scale.memory import _reuse_freed_memory

    use_system_allocator()
    if platform.system() == "Linux" and platform.libc_ver()[0] == "glibc":
        assert _reuse_freed_memory() is True
    # Freed and allocated again: still usable, and released without error.
    import numpy as np

    for _ in range(3):
        block = np.ones(10_000_000)
        assert block.sum() == 10_000_000
        del block
    release_memory()
