"""Scale: customer buckets, the partitioned and Dask runs against the in-memory run, the DuckDB
reference against the package, and period reads that push their filters into Parquet."""

from __future__ import annotations

import sys
from functools import partial

import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from helpers import ROOT, agent, bot, inbound, log, t
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import scale
from analytics.calendar import BusinessCalendar
from analytics.load.files import READ_COLUMNS, period_filter, read_parquet, read_period
from analytics.load.log import open_log
from analytics.load.schema import as_text, validate_messages
from analytics.metrics.kernel import customer_facts
from analytics.metrics.response import duration_stats
from analytics.scale.table import _week

if str(ROOT) not in sys.path:  # the benchmark's generator and SQL reference live in bench/
    sys.path.insert(0, str(ROOT))
from bench import duckdb_reference, generate  # noqa: E402

CALENDAR = BusinessCalendar(tz="UTC", hours="mon-fri 09:00-18:00")  # the benchmark's calendar
KEYS = ["conversation_id", "wait_index"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A seeded synthetic log of about 20,000 messages over 45 days, as one Parquet file."""
    path = tmp_path_factory.mktemp("log") / "messages.parquet"
    generate.write(20_000, path, seed=11, days=45, row_group=2_000)
    return path


@pytest.fixture(scope="module")
def in_memory(generated):
    """The reports' in-memory path on the generated log: facts, waits, metric table."""
    messages = validate_messages(read_parquet(generated, columns=READ_COLUMNS))
    facts, waits = customer_facts(messages, as_of=messages["sent_at"].max(),
                                        calendar=CALENDAR)
    return messages, facts, waits, scale.metric_table(facts, waits)


def by_id(frame, keys=("conversation_id",)):
    return frame.sort_values(list(keys)).reset_index(drop=True)


# --- buckets -------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 12), seed=st.integers(0, 2**16))
def test_buckets_keep_conversations_whole_and_customers_together_in_any_row_order(
        in_memory, n, seed):
    messages, facts, _, _ = in_memory
    shuffled = messages.sample(frac=1, random_state=seed)
    buckets = scale.customer_buckets(shuffled, n)
    assert buckets.between(0, n - 1).all()
    assert (buckets.groupby(shuffled["conversation_id"]).nunique() == 1).all()
    per_conversation = buckets.groupby(shuffled["conversation_id"]).first()
    contacts = facts[~facts["proactive"] & facts["customer_id"].notna()]
    owner = per_conversation.reindex(contacts["conversation_id"]).to_numpy()
    assert (pd.Series(owner).groupby(contacts["customer_id"].to_numpy()).nunique() == 1).all()
    # The row order does not change any conversation's bucket.
    pd.testing.assert_series_equal(
        per_conversation, scale.customer_buckets(messages, n).groupby(
            messages["conversation_id"]).first())


def test_conversation_whose_later_rows_carry_another_or_no_customer_stays_whole(tmp_path):
    messages = log(
        inbound("A", "2024-03-04 10:00", customer="c1"),
        agent("A", "2024-03-04 10:05", customer=""),
        inbound("A", "2024-03-04 10:07", customer="c2"),    # merged account: another id
        agent("A", "2024-03-04 10:20", customer="c9"),
        inbound("B", "2024-03-05 09:00", customer="c1"),    # c1 again: a repeat of A
        agent("B", "2024-03-05 09:30", customer="c1"),
        inbound("C", "2024-03-04 11:00", customer="c2"),
        inbound("D", "2024-03-04 12:00", customer=""),      # no id on the first inbound row,
        bot("D", "2024-03-04 12:01", customer=""),
        inbound("D", "2024-03-04 12:02", customer="c1"),    # an id later: still unknown
    )
    for n in (2, 3, 7, 16):
        buckets = scale.customer_buckets(messages, n)
        assert (buckets.groupby(messages["conversation_id"]).nunique() == 1).all()
        of = buckets.groupby(messages["conversation_id"]).first()
        assert of["A"] == of["B"]                             # c1's contacts together
    path = tmp_path / "messages.parquet"
    messages.to_parquet(path)
    as_of = messages["sent_at"].max()
    facts, waits = customer_facts(messages, as_of=as_of, calendar=CALENDAR)
    owners = facts.set_index("conversation_id")["customer_id"]
    assert owners[["A", "B", "C"]].tolist() == ["c1", "c1", "c2"]
    assert pd.isna(owners["D"])
    assert facts.set_index("conversation_id").loc["A", "repeated"]
    for n in (1, 2, 5):
        parts, part_waits = scale.run_partitioned(path, n, calendar=CALENDAR)
        pd.testing.assert_frame_equal(by_id(parts), by_id(facts))
        pd.testing.assert_frame_equal(by_id(part_waits, KEYS), by_id(waits, KEYS))


# --- partitioned, out of core ----------------------------------------------------------------


@pytest.mark.parametrize("n_buckets", [1, 2, 5, 16])
def test_partitioned_run_equals_the_in_memory_run_exactly(generated, in_memory, n_buckets):
    _, facts, waits, table = in_memory
    parts, part_waits = scale.run_partitioned(generated, n_buckets, calendar=CALENDAR)
    pd.testing.assert_frame_equal(by_id(parts), by_id(facts))
    pd.testing.assert_frame_equal(by_id(part_waits, KEYS), by_id(waits, KEYS))
    inputs = scale.run_partitioned(generated, n_buckets, calendar=CALENDAR,
                                   per_bucket=scale.metric_inputs)
    pd.testing.assert_frame_equal(scale.aggregate_metrics(*inputs), table)


def test_partitioned_run_reads_the_log_once(generated, in_memory, monkeypatch):
    """One scan of the dataset, every row read once; no planning pass."""
    from analytics.scale import split

    _, facts, waits, _ = in_memory
    scans, rows = [], [0]
    opened = split.parquet_dataset

    read = split._batches
    columns = []

    class Counted:  # the dataset, every scan of it counted
        def __init__(self, dataset):
            self.dataset = dataset
            self.schema = dataset.schema

        def get_fragments(self, **kwargs):
            scans.append(kwargs)
            return self.dataset.get_fragments(**kwargs)

    def counted(dataset, read_columns, filter):
        columns.append(read_columns)
        for batch in read(dataset, read_columns, filter):
            rows[0] += batch.num_rows
            yield batch

    monkeypatch.setattr(split, "parquet_dataset", lambda *a, **k: Counted(opened(*a, **k)))
    monkeypatch.setattr(split, "_batches", counted)
    monkeypatch.setattr(scale.partitions, "plan_buckets",
                        lambda *a, **k: pytest.fail("the partitioned run planned in a pass"))
    parts, part_waits = scale.run_partitioned(generated, 4, calendar=CALENDAR)
    assert len(scans) == 1 and rows[0] == pq.ParquetFile(generated).metadata.num_rows
    assert set(READ_COLUMNS) <= set(columns[0])
    pd.testing.assert_frame_equal(by_id(parts), by_id(facts))
    pd.testing.assert_frame_equal(by_id(part_waits, KEYS), by_id(waits, KEYS))


@pytest.mark.parametrize("seed", [1, 2])
def test_one_pass_split_of_a_log_out_of_time_order_equals_the_in_memory_run(
        generated, tmp_path, monkeypatch, seed):
    """Small batches of shuffled rows: owners met late, rows pending, conversations moved
    between buckets; a weak hash, so that many ids share one."""
    from analytics.scale import split

    frame = pq.read_table(generated).to_pandas().sample(frac=1, random_state=seed)
    path = tmp_path / "shuffled.parquet"
    frame.to_parquet(path, index=False, row_group_size=1_500)
    # Equal times keep the input order: the shuffled log's own in-memory run is the reference.
    messages = validate_messages(read_parquet(path, columns=READ_COLUMNS))
    facts, waits = customer_facts(messages, as_of=messages["sent_at"].max(), calendar=CALENDAR)
    table = scale.metric_table(facts, waits)
    monkeypatch.setattr(split, "BATCH_ROWS", 1_000)
    strong = split._stable_hash
    monkeypatch.setattr(split, "_stable_hash", lambda values: strong(values) % np.uint64(97))
    moved = []
    rehome = split._rehome
    monkeypatch.setattr(split, "_rehome", lambda file, own, *a: (moved.append(own),
                                                                rehome(file, own, *a)))
    parts, part_waits = scale.run_partitioned(path, 5, calendar=CALENDAR)
    assert any(own >= 0 for own in moved) and -1 in moved
    pd.testing.assert_frame_equal(by_id(parts), by_id(facts))
    pd.testing.assert_frame_equal(by_id(part_waits, KEYS), by_id(waits, KEYS))
    inputs = scale.run_partitioned(path, 3, calendar=CALENDAR, per_bucket=scale.metric_inputs)
    pd.testing.assert_frame_equal(scale.aggregate_metrics(*inputs), table)


def test_partitioned_run_of_a_folder_of_monthly_files_equals_the_single_file(generated,
                                                                           in_memory, tmp_path):
    _, facts, _, table = in_memory
    frame = pq.read_table(generated).to_pandas()
    month = frame["sent_at"].dt.strftime("%Y-%m")
    for value in month.unique():
        folder = tmp_path / f"month={value}"
        folder.mkdir()
        frame[month == value].to_parquet(folder / "part-0.parquet", index=False)
    inputs = scale.run_partitioned(tmp_path, 3, calendar=CALENDAR,
                                   per_bucket=scale.metric_inputs)
    pd.testing.assert_frame_equal(scale.aggregate_metrics(*inputs), table)
    assert month.nunique() >= 2


def test_partitioned_run_in_two_worker_processes_equals_one_process(generated, in_memory):
    _, _, _, table = in_memory
    inputs = scale.run_partitioned(generated, 4, workers=2, calendar=CALENDAR,
                                   per_bucket=scale.metric_inputs)
    pd.testing.assert_frame_equal(scale.aggregate_metrics(*inputs), table)


def test_partitioned_run_with_events_equals_the_reports_analysis(tmp_path):
    demo = open_log("demo")
    path = tmp_path / "demo.parquet"
    demo.messages.to_parquet(path)
    as_of = demo.latest_timestamp
    calendar = BusinessCalendar(tz="America/Sao_Paulo", hours="mon-fri 08:00-18:00",
                                country="BR")
    facts, waits = customer_facts(demo.messages, demo.events, as_of=as_of,
                                        calendar=calendar)
    parts, part_waits = scale.run_partitioned(path, 3, events=demo.events, calendar=calendar)
    pd.testing.assert_frame_equal(by_id(parts), by_id(facts))
    pd.testing.assert_frame_equal(by_id(part_waits, KEYS), by_id(waits, KEYS))
    assert facts["resolved"].any() and facts["transfers"].sum() > 0


def test_compact_log_gives_the_same_facts(in_memory):
    messages, facts, waits, _ = in_memory
    compact = scale.compact(messages)
    assert "message_id" not in compact and isinstance(compact["channel"].dtype,
                                                        pd.CategoricalDtype)
    again, again_waits = customer_facts(compact, as_of=messages["sent_at"].max(),
                                              calendar=CALENDAR)
    pd.testing.assert_frame_equal(again, facts)
    pd.testing.assert_frame_equal(again_waits, waits)


def test_load_messages_hands_memory_back_once_the_raw_frame_is_gone(generated, monkeypatch):
    """Freed memory can only go back to the system after the scan's table and the raw and
    validated frames are dropped: release_memory runs once, when none of them is alive."""
    import weakref

    from analytics.scale import partitions

    made, alive = [], []

    def keep_track(function):
        def tracked(*args, **kwargs):
            result = function(*args, **kwargs)
            made.append(weakref.ref(result))
            return result
        return tracked

    monkeypatch.setattr(partitions, "read_arrow", keep_track(partitions.read_arrow))
    monkeypatch.setattr(partitions, "_frame", keep_track(partitions._frame))
    monkeypatch.setattr(partitions, "release_memory",
                        lambda: alive.append([ref() is not None for ref in made]))
    loaded = scale.load_messages(generated)
    assert alive == [[False, False]]  # the table, then the raw frame made from it
    assert "message_id" not in loaded


def test_validation_of_dictionary_columns_gives_the_same_values(generated):
    raw = read_parquet(generated, columns=READ_COLUMNS,
                          categorical=scale.CATEGORICAL_COLUMNS)
    raw["channel"] = raw["channel"].cat.rename_categories(
        lambda name: f" {name.upper()} " if name == "email" else name)
    plain = validate_messages(raw)
    kept = validate_messages(raw, keep_categorical=True)
    assert isinstance(kept["channel"].dtype, pd.CategoricalDtype)
    assert plain["channel"].dtype == "str" and "email" in set(plain["channel"])
    for column in plain.columns:
        values = kept[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = as_text(values)
        pd.testing.assert_series_equal(values, plain[column])


# --- Dask ------------------------------------------------------------------------------------


def test_dask_run_on_a_local_cluster_equals_the_in_memory_run(generated, in_memory, tmp_path):
    distributed = pytest.importorskip("distributed")
    _, facts, waits, table = in_memory
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        parts, part_waits = scale.run_dask(generated, client, 3, calendar=CALENDAR)
        inputs = scale.run_dask(generated, client, 4, calendar=CALENDAR,
                                per_bucket=scale.metric_inputs, spill_dir=tmp_path)
        # Each bucket task spills its inputs to a folder the client sees too; the client
        # then aggregates a slice of weeks at a time, never holding every contact and wait.
        shared = tmp_path / "inputs"
        shared.mkdir()
        summary = scale.run_dask(generated, client, 4, calendar=CALENDAR,
                                 per_bucket=partial(scale.spill_metric_inputs, folder=shared))
    pd.testing.assert_frame_equal(by_id(parts), by_id(facts))
    pd.testing.assert_frame_equal(by_id(part_waits, KEYS), by_id(waits, KEYS))
    pd.testing.assert_frame_equal(scale.aggregate_metrics(*inputs), table)
    assert len(summary) < len(facts)  # a row per bucket and week came back, not per contact
    pd.testing.assert_frame_equal(scale.aggregate_spilled(summary, slice_rows=500), table)
    assert [p.name for p in tmp_path.iterdir()] == ["inputs"]  # the bucket files are removed


# --- the DuckDB reference --------------------------------------------------------------------


def test_duckdb_reference_gives_the_package_figures(generated, in_memory):
    """Two implementations of the definitions, written apart, must agree contact by contact."""
    _, facts, waits, table = in_memory
    contacts = facts[~facts["proactive"]].set_index("conversation_id").sort_index()
    sql = duckdb_reference.contact_facts(generated).set_index("conversation_id").sort_index()
    assert list(sql.index) == list(contacts.index)
    pd.testing.assert_series_equal(sql["customer_id"], contacts["customer_id"],
                                   check_names=False, check_dtype=False)
    assert (sql["channel"] == contacts["channel"]).all()
    assert (sql["start"].to_numpy() == contacts["start"].to_numpy()).all()
    for column in ("first_response_s", "first_response_business_s"):
        np.testing.assert_array_equal(sql[column].to_numpy(float),
                                      contacts[column].to_numpy(float))
    assert (sql["lookahead_complete"] == contacts["lookahead_complete"]).all()
    assert (sql["repeated"] == contacts["repeated"]).all()
    assert contacts["repeated"].sum() > 0 and contacts["answered"].mean() < 1

    sql_waits = duckdb_reference.reply_waits(generated)
    ours = by_id(waits, KEYS)
    assert (sql_waits["conversation_id"].to_numpy() == ours["conversation_id"].to_numpy()).all()
    assert (sql_waits["wait_index"].to_numpy() == ours["wait_index"].to_numpy()).all()
    np.testing.assert_array_equal(sql_waits["customer_messages"].to_numpy(),
                                  ours["customer_messages"].to_numpy())
    np.testing.assert_array_equal((sql_waits["closed"] - sql_waits["opened"]).to_numpy(float),
                                  ours["wait_s"].to_numpy(float))

    reference = duckdb_reference.metric_table(generated)
    reference["week"] = pd.to_datetime(reference["week"]).astype(table["week"].dtype)
    pd.testing.assert_frame_equal(reference, table, check_dtype=False, atol=1e-6, rtol=0)


def test_metric_table_figures_are_the_package_duration_stats(in_memory):
    _, facts, _, table = in_memory
    contacts = facts[~facts["proactive"]]
    week = _week(contacts["start"], "UTC")
    row = table.iloc[len(table) // 2]
    group = contacts[(contacts["channel"] == row["channel"]) & (week == row["week"]).to_numpy()]
    stats = duration_stats(group["first_response_s"])
    assert (row["answered"], row["frt_median_s"], row["frt_p90_s"]) == (
        stats["n"], stats["median_s"], stats["p90_s"])
    assert row["frt_mean_s"] == pytest.approx(stats["mean_s"], rel=1e-12)
    assert row["contacts"] == len(group)


# --- reading a period ------------------------------------------------------------------------


def test_read_period_reads_only_the_period_with_its_look_back_and_look_ahead(generated):
    everything = pq.read_table(generated).to_pandas()
    start, end = t("2025-01-15"), t("2025-01-22")
    lookback, lookahead = pd.Timedelta(days=2), pd.Timedelta(days=7)
    rows = read_period(generated, start, end, lookback=lookback, lookahead=lookahead)
    inside = everything["sent_at"].between(start - lookback, end + lookahead, inclusive="left")
    assert len(rows) == inside.sum() < len(everything)
    assert rows["sent_at"].min() >= start - lookback
    assert rows["sent_at"].max() < end + lookahead
    assert list(rows.columns) == list(READ_COLUMNS)
    # Row groups outside the window are never read (their statistics exclude it).
    fragment = next(iter(ds.dataset(generated).get_fragments()))
    kept = fragment.split_by_row_group(period_filter(start, end, lookback=lookback,
                                                           lookahead=lookahead))
    assert 0 < len(kept) < pq.ParquetFile(generated).num_row_groups


def test_a_clean_scan_encodes_its_conversation_ids_once_from_the_arrow_table(generated,
                                                                              monkeypatch):
    from analytics.scale import partitions

    expected = scale.load_messages(generated)

    def refuse(values):
        raise AssertionError("the ids were encoded again from the frame")

    monkeypatch.setattr(partitions, "factorize", refuse)
    loaded = scale.load_messages(generated)
    pd.testing.assert_frame_equal(loaded, expected)
    assert list(loaded["conversation_id"].cat.categories[:3]) == list(
        pd.unique(read_parquet(generated, columns=["conversation_id"])["conversation_id"])[:3])
