"""One entry point to open any supported input as a :class:`~analytics.io.SupportLog`.

The CLI and the notebooks call :func:`open_log` with the same options, so a report and the
``metrics`` command always read the data the same way.
"""

from __future__ import annotations

from pathlib import Path

from analytics.errors import InputError
from analytics.io import load_log

#: Folder of the bundled samples (relative to the repository root).
DATA_DIR = Path(__file__).resolve().parent.parent / "data"

#: Report time zone used when none is given, per source.
DEFAULT_TZ = {"demo": "America/Sao_Paulo", "consumidor_gov": "America/Sao_Paulo",
              "twcs": "UTC", "messages": "UTC", "mapping": "UTC"}

SOURCES = ("demo", "messages", "twcs", "consumidor_gov", "mapping")


def open_log(source="demo", input=None, *, events=None, self_service=None, source_tz=None):
    """Open an input.

    Parameters
    ----------
    source : str
        ``demo`` (the bundled synthetic company, a folder with ``messages.csv.gz``,
        ``events.csv.gz`` and ``self_service.csv.gz``), ``messages`` (a message-log file in the
        documented schema), ``twcs`` or ``consumidor_gov`` (public exports), or ``mapping``
        (a TOML mapping file describing a helpdesk export).
    input : str or Path
        The file or folder; defaults to the bundled sample of the source.
    events, self_service : str or Path, optional
        Companion files of a ``messages`` log.
    source_tz : str, optional
        IANA zone of naive timestamps in a ``messages`` log.
    """
    if source not in SOURCES:
        raise InputError("--source", "unknown source", expected=", ".join(SOURCES), found=source)
    if source == "demo":
        folder = Path(input) if input else DATA_DIR / "demo"
        log = load_log(folder / "messages.csv.gz", events=folder / "events.csv.gz",
                       self_service=folder / "self_service.csv.gz")
        return log.replace(source="demo", synthetic=True,
                           description="Synthetic demo company: generated data, not real "
                                       "customers (see data/demo/README.md)")
    if source == "messages":
        if not input:
            raise InputError("--messages", "no message log given", expected="a CSV or Parquet file")
        return load_log(input, events=events, self_service=self_service, source_tz=source_tz)
    if source == "mapping":
        from analytics.sources.mapping import load_mapped

        return load_mapped(input or DATA_DIR / "mapping_example" / "mapping.toml")
    from analytics.sources import load_source

    default = {"twcs": DATA_DIR / "twcs" / "twcs_head5000.csv.gz",
               "consumidor_gov": DATA_DIR / "consumidor_gov"
               / "consumidor_gov_br_2014-05_2015-01.csv.gz"}[source]
    return load_source(source, input or default)
