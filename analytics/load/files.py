"""File readers: CSV/Parquet tables, Parquet datasets (one file or a folder).

The only module that knows file formats; validation is :mod:`analytics.load.schema`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analytics.errors import InputError
from analytics.load.schema import MESSAGE_COLUMNS

#: Columns read for the metrics (``text`` is left out: no metric here reads it).
READ_COLUMNS = MESSAGE_COLUMNS + ("agent_id",)
WEEK = pd.Timedelta(days=7)


def read_table(path, *, sep=None, encoding=None, sheet=None, mapping=None) -> pd.DataFrame:
    """Read a CSV, ``.xlsx`` or Parquet file as text columns, or raise InputError naming the
    fix (see :func:`analytics.load.spreadsheets.read_table`: delimiter guessing, encodings,
    long cells, Excel sheets)."""
    from analytics.load import spreadsheets

    return spreadsheets.read_table(path, sep=sep, encoding=encoding, sheet=sheet,
                                   mapping=mapping)


def parquet_dataset(path, *, filesystem=None, categorical=()):
    """A Parquet file or folder (nested folders, e.g. one file per month) as a pyarrow dataset.

    Files are taken in path order, which is the log's input order. ``path`` may be a local
    path or, with ``filesystem`` (a pyarrow or fsspec filesystem), a path on shared or object
    storage (``s3://...``, ``gs://...``). Columns in ``categorical`` are read as dictionaries.
    """
    import pyarrow.dataset as ds

    if filesystem is None and not str(path).startswith(("s3://", "gs://", "hdfs://", "abfs://")):
        if not Path(path).exists():
            raise InputError(path, "file not found")
    try:
        dataset = ds.dataset(str(path), format="parquet", filesystem=filesystem)
        fmt = ds.ParquetFileFormat(read_options={"dictionary_columns": list(categorical)})
        return ds.dataset(sorted(dataset.files), format=fmt, filesystem=dataset.filesystem)
    except Exception as exc:  # pyarrow raises many types for a corrupt or missing dataset
        raise InputError(path, f"cannot be read as Parquet ({exc})") from None


def read_parquet(path, *, columns=None, filter=None, filesystem=None,
                 categorical=()) -> pd.DataFrame:
    """Read only ``columns`` and only the rows matching ``filter`` from a Parquet dataset.

    Both are pushed into the pyarrow scan: other columns are never decoded, row groups whose
    statistics exclude the filter are skipped, and the remaining rows are filtered batch by
    batch, so memory holds only the result. ``filter`` is a pyarrow expression
    (``pyarrow.compute.field("sent_at") >= ...``). Strings come back as Arrow-backed ``str``
    columns (no Python objects), those named in ``categorical`` as categoricals (decoded
    from Parquet's dictionary pages, never as one string per row). Columns missing from the
    files are left out.
    """
    return _frame(read_arrow(path, columns=columns, filter=filter, filesystem=filesystem,
                             categorical=categorical))


def read_arrow(path, *, columns=None, filter=None, filesystem=None, categorical=()):
    """:func:`read_parquet`'s scan as an Arrow table (strings as ``large_string``, the
    ``categorical`` columns dictionary-encoded), for work that can start before the
    conversion to pandas."""
    import pyarrow as pa

    dataset = parquet_dataset(path, filesystem=filesystem, categorical=categorical)
    names = dataset.schema.names if columns is None else [
        c for c in columns if c in dataset.schema.names]
    try:
        return dataset.to_table(columns=_as_large_strings(dataset.schema, names),
                                filter=filter)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
        # A file of a folder whose column has a type the first file's cannot take.
        raise InputError(path, "its files cannot be read as one table with the types of "
                         f"the first file ({str(exc).splitlines()[0]})",
                         expected="the same column types in every file of the folder") \
            from None


def _as_large_strings(schema, names) -> dict:
    """Scan projections of ``names`` that read ``string`` columns as ``large_string``.

    pandas' ``str`` columns hold Arrow ``large_string``: cast by the scan, batch by batch on
    its threads, the strings are copied once while hot in cache instead of once more, whole
    column after whole column, on one thread in ``to_pandas`` (measured at 10M rows: 0.2-0.4 s
    less of the read's 2.1-2.3 s).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    return {name: pc.field(name).cast(pa.large_string())
            if schema.field(name).type == pa.string() else pc.field(name) for name in names}


def _frame(table) -> pd.DataFrame:
    """An Arrow table as a DataFrame, column by column, releasing each Arrow column once
    converted (whole-table conversion would consolidate, i.e. copy, every block, and memory
    would hold both forms at once)."""
    names = table.column_names
    arrow = dict(zip(names, table.columns, strict=True))
    del table
    return pd.DataFrame({name: arrow.pop(name).to_pandas() for name in names})


_NONE = pd.Timedelta(0)


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
    scanning). Validate the result with :func:`analytics.load.schema.validate_messages`.

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
    return read_parquet(path, columns=columns,
                           filter=period_filter(start, end, lookback=lookback,
                                                lookahead=lookahead),
                           filesystem=filesystem)
