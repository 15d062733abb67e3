"""Built-in adapters: public exports turned into a validated :class:`~analytics.load.schema.SupportLog`.

==================  ============================================================  ==========
name                export                                                        adapter
==================  ============================================================  ==========
``twcs``            Customer Support on Twitter (Kaggle), one row per tweet       :mod:`.twcs`
``consumidor_gov``  consumidor.gov.br complaints, one row per complaint           :mod:`.consumidor_gov`
==================  ============================================================  ==========

A user's own helpdesk export is mapped without code by :func:`~.mapping.load_mapped`
(``docs/mapping.md``), or read by a DuckDB query (:func:`~.sql.load_query`); Chatwoot and
Zammad databases by :func:`~.helpdesks.load_helpdesk` (PostgreSQL or CSV dumps).
"""

from __future__ import annotations

from analytics.errors import InputError
from analytics.load.schema import SupportLog
from analytics.load.sources.consumidor_gov import load_consumidor_gov
from analytics.load.sources.mapping import load_mapped
from analytics.load.sources.twcs import load_twcs

SOURCES = {"twcs": load_twcs, "consumidor_gov": load_consumidor_gov}

__all__ = ["SOURCES", "load_consumidor_gov", "load_mapped", "load_source", "load_twcs"]


def load_source(name: str, path, **options) -> SupportLog:
    """Load ``path`` with the built-in adapter called ``name``.

    Parameters
    ----------
    name : str
        A key of :data:`SOURCES`.
    path : str or Path
        The export (file, folder or list, as the adapter accepts).
    **options
        Passed to the adapter (for example ``encoding`` for ``consumidor_gov``).

    Raises
    ------
    InputError
        ``name`` is not a known source (or the adapter rejects the input).
    """
    if name not in SOURCES:
        raise InputError("--source", f"unknown source {name!r}",
                         expected="one of " + ", ".join(SOURCES))
    return SOURCES[name](path, **options)
