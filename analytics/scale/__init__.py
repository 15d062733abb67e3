"""Scale: the per-customer kernel on customer buckets out of core, in worker processes or on
a Dask cluster, incremental scheduled runs from a facts store, and the benchmark's metric
table computed exactly from per-bucket rows.
"""

from __future__ import annotations

from analytics.scale.incremental import (
    IncrementalRun,
    StoreFallback,
    conversations_active_since,
    default_store,
    run_incremental,
)
from analytics.scale.memory import (
    CATEGORICAL_COLUMNS,
    compact,
    release_memory,
    use_system_allocator,
)
from analytics.scale.partitions import (
    KEY_COLUMNS,
    BucketPlan,
    conversation_buckets,
    customer_buckets,
    load_messages,
    plan_buckets,
    read_bucket,
    run_dask,
    run_partitioned,
)
from analytics.scale.slices import (
    aggregate_spilled,
    partitioned_metric_table,
    spill_metric_inputs,
)
from analytics.scale.table import (
    METRIC_COLUMNS,
    aggregate_metrics,
    metric_inputs,
    metric_table,
)

__all__ = [
    "BucketPlan",
    "IncrementalRun",
    "StoreFallback",
    "CATEGORICAL_COLUMNS",
    "KEY_COLUMNS",
    "METRIC_COLUMNS",
    "aggregate_metrics",
    "aggregate_spilled",
    "compact",
    "conversation_buckets",
    "conversations_active_since",
    "customer_buckets",
    "default_store",
    "load_messages",
    "metric_inputs",
    "metric_table",
    "partitioned_metric_table",
    "plan_buckets",
    "read_bucket",
    "release_memory",
    "run_dask",
    "run_incremental",
    "run_partitioned",
    "spill_metric_inputs",
    "use_system_allocator",
]
