"""Incremental scheduled runs: a facts store next to the log, and a weekly run that reads from
the log only what the new period can change.

What a later cut-off can change (read from :mod:`analytics.metrics.facts` and
:mod:`analytics.metrics.repeats`):

- A conversation's facts and waits depend only on its own messages up to ``as_of``, and on
  ``as_of`` itself only through (a) a wait still open at the cut-off (its ``age_s`` and
  business age, the facts' ``unanswered_age_s``) and (b) the inactivity rule, when set (a
  conversation whose last message is an agent reply counts as resolved once ``as_of - last
  message >= resolve_after_inactivity``). A conversation with no open wait whose last message
  is older than ``as_of`` minus that horizon is **final**: its facts and waits change only if
  it gets a new message. One with an open wait, no new message and a last message already
  older than the old cut-off minus the horizon changes only in (a), which
  :func:`~analytics.scale.facts_store.open_wait_ages` computes from the wait's opening time.
- One thing is global: whether resolutions are *available* at all (with no events, whether
  any conversation of the log is resolved by the inactivity rule). Without any, ``resolved``
  and ``reopened`` are missing everywhere; with some, False where not resolved. It is
  applied to the returned rows.
- The repeat columns of a contact depend on its customer's other contacts only through
  their :data:`~analytics.metrics.facts.CONTACT_COLUMNS` (customer, channel, start,
  proactive), which change only when one of the customer's conversations gets a new
  message; ``lookahead_complete`` also on ``as_of`` (``start + window <= as_of``).

So :func:`run_incremental` reads from the log the rows after the store's cut-off (the time
filter pushed into the scan) and then, in one pushed-down scan, the earlier rows of the final
conversations that got a new message (the open ones' are in the store); runs those, and the
open ones whose inactivity rule is not settled, through
:func:`~analytics.metrics.facts.facts_and_waits`; computes the repeat flags again, with
:func:`~analytics.metrics.repeats.repeat_flags` as the kernel does, for the customers whose
contacts changed; leaves every other stored row in Arrow as stored; returns the rows asked for
(``active_since``) with their ages, look-ahead and availability at ``as_of``; and writes the
changed rows as a new part of the store beside the old version before switching to it. The
result equals :func:`~analytics.metrics.kernel.customer_facts` on the whole log at that cut-off
(rows in another order: sort by ``conversation_id``, and waits by ``conversation_id,
wait_index``).

Assumptions, checked where they can be: the log only grows by messages later than the
store's cut-off (the number of rows up to that cut-off is compared with the store's, and so
is each re-read conversation's); conversation ids are stored as validation cleans them (a
re-read conversation whose rows up to the old cut-off are not all found under its id makes
the run fall back to a full one); ``sent_at`` is a Parquet timestamp with a time zone (else
every run is a full run). No events (resolve events make availability and the inactivity
rule depend on the whole event log): pass none.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from analytics.errors import InputError
from analytics.load.files import READ_COLUMNS, parquet_dataset
from analytics.load.schema import _text_column, _unless_same
from analytics.metrics.facts import CONTACT_COLUMNS, FACT_COLUMNS, facts_and_waits
from analytics.metrics.kernel import customer_facts
from analytics.metrics.repeats import REPEAT_COLUMNS, repeat_flags
from analytics.scale.facts_store import (  # noqa: F401 (StoreFallback, default_store: public)
    _KERNEL_MODULES,
    FINAL,
    FIRST,
    MAX_PARTS,
    ROWS,
    STORE_VERSION,
    WAITS,
    IncrementalRun,
    StoreFallback,
    _arrow,
    _arrow_isin,
    _bookkeeping,
    _bring_ages_up,
    _check_rows,
    _final,
    _in_schema,
    _load,
    _open_rows,
    _plain,
    _save,
    _State,
    _strings,
    _to_pandas,
    _union,
    _Unusable,
    _Update,
    default_store,
)
from analytics.scale.partitions import load_messages, run_partitioned

# --- parameters ------------------------------------------------------------------------------


def _kernel_code() -> str:
    import importlib

    digest = hashlib.sha256()
    for name in _KERNEL_MODULES:
        digest.update(Path(importlib.import_module(name).__file__).read_bytes())
    return digest.hexdigest()[:16]


def parameters(*, calendar=None, window_days: float = 7, resolve_after_inactivity=None,
               columns=READ_COLUMNS, source_tz=None) -> dict:
    """The kernel parameters a store was computed with, and a hash of them (``hash``): a
    store is used only by a run with the same hash."""
    calendar_key = None
    if calendar is not None:
        calendar_key = repr(calendar)
        if getattr(calendar, "country", None):
            import holidays

            calendar_key += f" holidays {holidays.__version__}"
    inactivity = (None if resolve_after_inactivity is None
                  else pd.Timedelta(resolve_after_inactivity).isoformat())
    params = {"store_version": STORE_VERSION, "kernel_code": _kernel_code(),
              "pandas": pd.__version__, "window_days": float(window_days),
              "calendar": calendar_key, "resolve_after_inactivity": inactivity,
              "columns": sorted(columns), "source_tz": source_tz}
    params["hash"] = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()
    return params


# --- the run ---------------------------------------------------------------------------------


def run_incremental(path, store=None, *, as_of, active_since=None, calendar=None,
                    window_days: float = 7,
                    resolve_after_inactivity=None, columns=READ_COLUMNS, source_tz=None,
                    full: bool = False, buckets: int | None = None,
                    workers: int = 1) -> IncrementalRun:
    """Facts and waits of a Parquet log at ``as_of``, from the facts store of the last run.

    Parameters
    ----------
    path : str or Path
        A local Parquet file or folder (as for :func:`run_partitioned`), ``sent_at`` a
        timestamp column with a time zone.
    store : str or Path, optional
        The facts store (a folder; default :func:`default_store`). Missing, unreadable,
        written with other parameters or by other code, or ahead of ``as_of``: the run reads
        the whole log (a :class:`StoreFallback` warning says why when a store was there).
    as_of : Timestamp
        The cut-off (UTC): messages after it are ignored, as in ``customer_facts``.
    active_since : Timestamp, optional
        Return only the conversations with a message at or after this instant
        (``last_message_at >= active_since``) and their waits: what a report of any period
        beginning then needs, whatever its cohort basis, with every repeat flag computed
        from the customer's whole history. The rest stay in the store as stored, never
        converted, which is what makes a weekly run cheap. None: every conversation.
    calendar, window_days, resolve_after_inactivity
        As for :func:`~analytics.metrics.kernel.customer_facts`.
    columns, source_tz
        As for :func:`~analytics.scale.partitions.load_messages`.
    full : bool
        Read the whole log even if the store could be used (and rewrite the store).
    buckets, workers : int, optional
        A full run goes through :func:`run_partitioned` with that many customer buckets (out
        of core) instead of in memory.

    Returns
    -------
    IncrementalRun
        ``facts`` and ``waits`` equal to ``customer_facts`` on the whole log at ``as_of`` (row
        order aside; with ``active_since``, its rows of the conversations active since
        then), with what the run read. The store then holds this run.
    """
    import time

    began = time.perf_counter()
    as_of = _utc(as_of)
    since = None if active_since is None else _utc(active_since, "active_since")
    store = Path(store) if store is not None else default_store(path)
    params = parameters(calendar=calendar, window_days=window_days,
                        resolve_after_inactivity=resolve_after_inactivity, columns=columns,
                        source_tz=source_tz)
    kernel = dict(calendar=calendar, window_days=window_days,
                  resolve_after_inactivity=resolve_after_inactivity)
    dataset = parquet_dataset(path)
    if "sent_at" not in dataset.schema.names:
        raise InputError(path, "missing column(s) sent_at", expected="a sent_at column")
    sent_type = dataset.schema.field("sent_at").type
    reason, result = None, None
    if full:
        reason = "a full run was asked for"
    elif not _timestamp_with_zone(sent_type):
        reason = (f"sent_at is stored as {sent_type}, not as a timestamp with a time zone: "
                  "the new rows cannot be selected by time")
    elif not store.exists():
        reason = f"no facts store at {store}"
    else:
        try:
            state = _load(store, params, path)
            result, update = _incremental(path, dataset, sent_type, state, as_of, since,
                                          store, columns, source_tz, kernel)
        except _Unusable as unusable:
            reason = f"the facts store at {store} was not used: {unusable}"
            warnings.warn(f"{reason}; reading the whole log", StoreFallback, stacklevel=2)
    if result is None:
        result, update = _full(path, dataset, sent_type, as_of, store, reason, columns,
                               source_tz, kernel, buckets, workers)
    result.timings["compute"] = time.perf_counter() - began
    written = time.perf_counter()
    result.parts = _save(store, update, params, path, as_of, result.mode)
    del update
    result.timings["write"] = time.perf_counter() - written
    if result.mode == "full":
        for column in (ROWS, FIRST, FINAL, WAITS):
            del result.facts[column]  # in place: the frame is not copied
        if since is not None:
            result.facts, result.waits = conversations_active_since(result.facts,
                                                                    result.waits, since)
    result.active_since = since
    result.timings["total"] = time.perf_counter() - began
    return result


def conversations_active_since(facts: pd.DataFrame, waits: pd.DataFrame, since):
    """The conversations of ``facts`` with a message at or after ``since`` (an aware
    timestamp), and their waits: what :func:`run_incremental` returns with ``active_since``."""
    active = (facts["last_message_at"] >= since).to_numpy(dtype=bool)
    facts = facts.loc[active].reset_index(drop=True)
    keep = _arrow_isin(_arrow(waits["conversation_id"]),
                       _strings(facts["conversation_id"].astype("str")))
    return facts, waits.loc[keep].reset_index(drop=True)


def _utc(value, name="as_of") -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        what = "the cut-off" if name == "as_of" else "active_since"
        raise InputError(name, f"{what} has no time zone",
                         expected="an aware timestamp, e.g. 2025-06-02T00:00:00Z",
                         found=str(value))
    return stamp.tz_convert("UTC")


def _timestamp_with_zone(kind) -> bool:
    import pyarrow as pa

    return pa.types.is_timestamp(kind) and kind.tz is not None


def _time_filter(kind, *, after=None, upto=None, scalar=None):
    """``after < sent_at <= upto`` as a pyarrow expression in the column's own type (row
    groups outside it are skipped by their statistics); with ``scalar``, that instant as a
    pyarrow scalar of the column's type, rounded down."""
    import pyarrow as pa
    import pyarrow.compute as pc

    per_unit = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}[kind.unit]

    def instant(stamp):  # stored values are whole units: compare with the floor
        return pa.scalar(stamp.value // per_unit, pa.int64()).cast(kind)

    if scalar is not None:
        return instant(scalar)

    sent = pc.field("sent_at")
    expression = None
    if after is not None:
        expression = sent > instant(after)
    if upto is not None:
        bound = sent <= instant(upto)
        expression = bound if expression is None else expression & bound
    return expression


def _full(path, dataset, sent_type, as_of, store, reason, columns, source_tz, kernel,
          buckets, workers) -> IncrementalRun:
    import time

    began = time.perf_counter()
    upto = _time_filter(sent_type, upto=as_of) if _timestamp_with_zone(sent_type) else None
    if buckets:
        facts, waits = run_partitioned(path, buckets, workers=workers, as_of=as_of,
                                       columns=columns, filter=upto, source_tz=source_tz,
                                       **kernel)
        books = _scan_bookkeeping(dataset, upto, as_of, source_tz, path)
        final = _final(facts, waits, as_of, kernel["resolve_after_inactivity"])
        import pyarrow.compute as pc

        wanted = pc.field("conversation_id").isin(_strings(facts.loc[~final,
                                                                     "conversation_id"]))
        messages = load_messages(path, columns=columns, source_tz=source_tz,
                                 filter=wanted if upto is None else wanted & upto)
    else:
        messages = load_messages(path, columns=columns, filter=upto, source_tz=source_tz)
        facts, waits = customer_facts(messages, as_of=as_of, **kernel)
        books = _bookkeeping(messages, as_of)
        final = _final(facts, waits, as_of, kernel["resolve_after_inactivity"])
    open_rows = _open_rows(messages, facts, final, as_of)
    del messages
    books = books.reindex(facts["conversation_id"])
    facts[ROWS] = books[ROWS].to_numpy(dtype=np.int64)
    facts[FIRST] = books[FIRST].to_numpy(dtype=np.int64)
    facts[FINAL] = final
    facts[WAITS] = True
    rows = int(facts[ROWS].sum())
    totals = {"log_rows": rows, "conversations": len(facts), "waits": len(waits),
              "final": int(final.sum())}
    run = IncrementalRun(facts, waits, "full", reason, as_of, store, rows_read=rows,
                         rows_computed=rows, conversations_read=len(facts),
                         timings={"full": time.perf_counter() - began},
                         conversations=len(facts), wait_rows=len(waits))
    return run, _Update(facts, waits, open_rows, totals)


def _scan_bookkeeping(dataset, upto, as_of, source_tz, path) -> pd.DataFrame:
    """:func:`_bookkeeping` from one scan of two columns (ids cleaned as validation does)."""
    from analytics.load.files import _frame
    from analytics.load.schema import parse_timestamps, sort_messages

    frame = _frame(dataset.to_table(columns=["conversation_id", "sent_at"], filter=upto))
    frame["conversation_id"] = _text_column(frame, "conversation_id")
    frame["sent_at"] = parse_timestamps(frame["sent_at"], source=str(path), column="sent_at",
                                        source_tz=source_tz)
    frame["direction"] = "inbound"
    return _bookkeeping(sort_messages(frame), as_of)


# --- the incremental step ----------------------------------------------------------------------


def _incremental(path, dataset, sent_type, state, as_of, since, store, columns, source_tz,
                 kernel):
    import time

    import pyarrow as pa
    import pyarrow.compute as pc

    from analytics.load.files import read_parquet
    from analytics.load.schema import sort_messages
    from analytics.scale.memory import compact
    from analytics.scale.partitions import _validated

    clock = {}
    began = time.perf_counter()
    old = state.as_of
    if as_of < old:
        raise _Unusable(f"its cut-off {old.isoformat()} is later than this run's "
                        f"{as_of.isoformat()}")
    now_rows = dataset.count_rows(filter=_time_filter(sent_type, upto=old))
    if now_rows != state.log_rows:
        raise _Unusable(f"the log now has {now_rows:,} rows up to the store's cut-off "
                        f"{old.isoformat()}, the store was made from {state.log_rows:,} "
                        "(rows were added, removed or moved in time before it)")
    names = [c for c in columns if c in dataset.schema.names]
    # 1. The rows after the old cut-off (the time filter skips the older row groups): which
    # conversations got a message, and who wrote the inbound ones.
    new_raw = read_parquet(path, columns=names,
                           filter=_time_filter(sent_type, after=old, upto=as_of))
    clean_ids = _text_column(new_raw, "conversation_id")
    new_conversations = _strings(clean_ids.dropna().unique())
    inbound = (_unless_same(_text_column(new_raw, "direction"), "lower") == "inbound")
    new_customers = _strings(_text_column(new_raw, "customer_id")[inbound.to_numpy()]
                             .dropna().unique())
    n_new = len(new_raw)
    clock["new_rows"] = time.perf_counter() - began
    began = time.perf_counter()
    facts_table, waits_table, live = state.facts, state.waits, state.live
    stored_ids = facts_table.column("conversation_id")
    final = facts_table.column(FINAL).to_numpy().astype(bool)
    touched = live & _arrow_isin(stored_ids, new_conversations)
    # An open conversation with no new message whose inactivity rule was already settled at
    # the old cut-off changes only in the ages of its open wait: brought up to date on the
    # returned rows (open_wait_ages), not run through the kernel again.
    settled = np.ones(len(final), dtype=bool)
    if kernel["resolve_after_inactivity"] is not None:
        horizon = old - pd.Timedelta(kernel["resolve_after_inactivity"])
        settled = (facts_table.column("last_message_at").to_numpy()
                   <= np.datetime64(horizon.tz_convert(None).as_unit("ns")))
    aged = live & ~final & ~touched & settled
    reread = live & (touched | (~final & ~aged))
    revived = touched & final
    aged_messages = _arrow_isin(_arrow(state.open_rows["conversation_id"]),
                                _strings(stored_ids.filter(pa.array(aged))))
    # 2. Their rows up to the old cut-off: the open conversations' from the store, those of
    # final conversations that got a message from the log (ids and times pushed down).
    expected = facts_table.select(["conversation_id", ROWS, FIRST]).filter(
        pa.array(reread)).to_pandas()
    frames = []
    if revived.any():
        again = facts_table.select(["conversation_id", FIRST]).filter(pa.array(revived))
        earliest = pd.Timestamp(pc.min(again.column(FIRST)).as_py(), unit="ns", tz="UTC")
        # Their ids as stored (cleaned), and as the new rows spell them.
        spelled = new_raw["conversation_id"][_arrow_isin(clean_ids.astype("str"),
                                                         _union(again.column(
                                                             "conversation_id")))]
        wanted = (pc.field("conversation_id").isin(_union(again.column("conversation_id"),
                                                          _strings(spelled.astype("str"))))
                  & (pc.field("sent_at") >= _time_filter(sent_type, scalar=earliest))
                  & _time_filter(sent_type, upto=old))
        frames.append(read_parquet(path, columns=names, filter=wanted))
    frames.append(new_raw)
    raw = pd.concat(frames, ignore_index=True) if len(frames) > 1 else new_raw
    del frames, new_raw
    rows_read = len(raw)
    clock["read"] = time.perf_counter() - began
    began = time.perf_counter()
    # The stored open conversations' messages were validated when stored: only the rows
    # from the log are validated now, then all are put in time order again.
    combined = [state.open_rows.loc[~aged_messages]]
    if len(raw):
        combined.append(_plain(_validated(raw, path, source_tz)))
    del raw
    combined = [f for f in combined if len(f)]
    if combined:
        messages = compact(sort_messages(pd.concat(combined, ignore_index=True)))
        del combined
        _check_rows(messages, expected, old)
        fresh, fresh_waits = facts_and_waits(messages, None, as_of=as_of,
                                             **_facts_kernel(kernel))
        books = _bookkeeping(messages, as_of).reindex(fresh["conversation_id"])
        fresh[ROWS] = books[ROWS].to_numpy(dtype=np.int64)
        fresh[FIRST] = books[FIRST].to_numpy(dtype=np.int64)
        rows_computed = len(messages)
    else:
        messages = None
        fresh = facts_table.slice(0, 0).drop_columns([FINAL]).to_pandas()
        fresh_waits = waits_table.schema.empty_table().to_pandas()
        rows_computed = 0
    clock["kernel"] = time.perf_counter() - began
    began = time.perf_counter()
    # 3. Three kinds of stored rows: re-read (replaced by the fresh ones), those of the
    # customers whose contacts changed (their repeat flags are computed again) and the rest,
    # which stay in the store as they are, in Arrow, never converted.
    previous = (facts_table.select(["conversation_id", *REPEAT_COLUMNS])
                .filter(pa.array(reread)).to_pandas()
                .set_index("conversation_id").reindex(fresh["conversation_id"]))
    for column in REPEAT_COLUMNS:  # .array: datetimes stay datetimes, not objects
        fresh[column] = previous[column].array
    fresh = fresh[list(FACT_COLUMNS) + list(REPEAT_COLUMNS) + [ROWS, FIRST]]
    fresh[FINAL] = _final(fresh, fresh_waits, as_of, kernel["resolve_after_inactivity"])
    owners = _union(new_customers, facts_table.column("customer_id").filter(pa.array(touched)))
    stored = live & ~reread
    owned = stored & _arrow_isin(facts_table.column("customer_id"), owners)
    # Final or aged: their rows stay as stored (the aged ones' ages are brought up on return).
    kept = stored & ~owned
    n_owned = int(owned.sum())
    changed = _to_pandas(facts_table.filter(pa.array(owned)), fresh)
    # 4. Repeat flags again for the customers whose contacts changed (and the new
    # conversations): all their contacts are among the changed rows.
    again = np.ones(len(changed), dtype=bool)
    again[n_owned:] = (_arrow_isin(fresh["customer_id"], owners)
                       | _arrow_isin(fresh["conversation_id"], new_conversations))
    flags = repeat_flags(changed.loc[again, list(CONTACT_COLUMNS)],
                         window_days=kernel["window_days"], as_of=as_of)
    positions = np.flatnonzero(again)
    for column in REPEAT_COLUMNS:
        values = changed[column].array.copy() if column in ("next_start", "next_channel") \
            else changed[column].to_numpy().copy()
        computed = flags[column]
        values[positions] = computed.array if isinstance(computed, pd.Series) else computed
        changed[column] = values
    fresh_ids = _strings(fresh["conversation_id"])
    stored_waits = state.live_waits & ~_arrow_isin(waits_table.ids, fresh_ids)
    # Resolutions are available when any conversation of the whole log is resolved.
    available = bool(changed["resolved"].fillna(False).any()) or bool(
        pc.any(pc.fill_null(facts_table.column("resolved").filter(pa.array(kept)),
                            False)).as_py())
    clock["combine"] = time.perf_counter() - began
    began = time.perf_counter()
    # 5. What is returned: the conversations active since ``since``, and their waits.
    kept_out = kept
    changed_out = np.ones(len(changed), dtype=bool)
    if since is not None:
        bound = np.datetime64(since.tz_convert(None).as_unit("ns"))
        kept_out = kept & (facts_table.column("last_message_at").to_numpy() >= bound)
        changed_out = (changed["last_message_at"] >= since).to_numpy(dtype=bool)
    schema = facts_table.schema
    facts = _to_pandas(facts_table.filter(pa.array(kept_out)).drop_columns([FINAL]),
                       changed.loc[changed_out].drop(columns=[FINAL]))
    for column in ("repeated", "cross_channel"):
        facts[column] = facts[column].astype(bool)
    facts["days_to_next"] = facts["days_to_next"].astype(np.float64)
    window = pd.Timedelta(days=kernel["window_days"])
    facts["lookahead_complete"] = (((facts["start"] + window) <= as_of).to_numpy(dtype=bool)
                                   & ~facts["proactive"].to_numpy(dtype=bool))
    facts = _availability(facts.drop(columns=[ROWS, FIRST]), available)
    waits_out, fresh_waits_out = stored_waits, slice(None)
    if since is not None:
        ids = _strings(facts["conversation_id"])
        waits_out = stored_waits & _arrow_isin(waits_table.ids, ids)
        fresh_waits_out = _arrow_isin(fresh_waits["conversation_id"].astype("str"), ids)
    stored_waits_out = waits_table.take(waits_out)
    n_stored_out = stored_waits_out.num_rows
    waits = _to_pandas(stored_waits_out, fresh_waits.loc[fresh_waits_out])
    _bring_ages_up(facts, waits, n_stored_out, as_of, kernel["calendar"])
    clock["output"] = time.perf_counter() - began
    # 6. What the store keeps: only the changed rows (a new part), and the messages of the
    # conversations still open (the aged ones', carried over, and the re-read ones').
    open_rows = state.open_rows.loc[aged_messages]
    if messages is not None:
        open_rows = pd.concat([open_rows, _open_rows(messages, fresh,
                                                     fresh[FINAL].to_numpy(dtype=bool), as_of)],
                              ignore_index=True)
    with_waits = np.zeros(len(changed), dtype=bool)
    with_waits[n_owned:] = True
    part_schema = schema.append(pa.field(WAITS, pa.bool_()))
    part = _in_schema(changed.assign(**{WAITS: with_waits}), part_schema)
    part_waits = _in_schema(fresh_waits, waits_table.schema)
    n_kept = int(kept.sum())

    def whole():
        """The store as one part: the kept rows and the changed ones."""
        stored_part = facts_table.filter(pa.array(kept))
        stored_part = stored_part.append_column(WAITS, pa.array(np.ones(n_kept, dtype=bool)))
        return (pa.concat_tables([stored_part, part.set_column(
                    part.num_columns - 1, WAITS, pa.array(np.ones(len(changed), dtype=bool)))]),
                pa.concat_tables([waits_table.take(stored_waits), part_waits]))

    log_rows = (pc.sum(facts_table.column(ROWS).filter(pa.array(kept))).as_py() or 0) \
        + int(changed[ROWS].sum())
    totals = {"log_rows": log_rows, "conversations": n_kept + len(changed),
              "waits": int(stored_waits.sum()) + len(fresh_waits),
              "final": n_kept + int(changed[FINAL].sum())}
    run = IncrementalRun(facts, waits, "incremental", None, as_of, store,
                         rows_read=rows_read, rows_computed=rows_computed,
                         conversations_read=len(fresh), new_rows=n_new, timings=clock,
                         conversations=totals["conversations"], wait_rows=totals["waits"])
    return run, _Update(part, part_waits, open_rows, totals, previous=state.parts,
                        folder=state.folder, whole=whole)


def _facts_kernel(kernel: dict) -> dict:
    return {"calendar": kernel["calendar"],
            "resolve_after_inactivity": kernel["resolve_after_inactivity"]}


def _availability(facts: pd.DataFrame, available: bool) -> pd.DataFrame:
    """Resolutions are available when any conversation of the log is resolved (see the
    module docstring): then ``resolved`` and ``reopened`` are False where not resolved, else
    missing everywhere, as :func:`facts_and_waits` gives them on the whole log."""
    if available:
        facts["resolved"] = facts["resolved"].fillna(False).to_numpy(dtype=bool)
        facts["reopened"] = facts["reopened"].fillna(False).astype("boolean")
    else:
        missing = pd.arrays.BooleanArray(np.zeros(len(facts), dtype=bool),
                                         np.ones(len(facts), dtype=bool))
        facts["resolved"] = missing
        facts["reopened"] = missing.copy()
    return facts
