"""Support analytics: response times, channel usage, repeated contacts and customer
independence, computed from one tidy message log and rendered into periodic reports.

The data flows one way, one subpackage per job::

    load/     source files, adapters, mappings -> one validated message log (UTC)
    metrics/  conversation facts (one row per conversation, per customer) -> metric areas
              -> the summary of a period (the JSON contract)
    text/     the customers' own words: language, intents, personal data, terms, tone
    report/   what a notebook reads: prepare(...) -> Report, tables, figures, sentences
    publish/  registry -> execute -> convert -> atomic publish, the site pages
    scale/    the same per-customer kernel out of core and on Dask

What a notebook or a script needs is importable from here (``from analytics import
prepare, open_log, parse_period``); the names load their module on first use, so ``python
-m analytics`` stays quick.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_PUBLIC = {
    # the report context a notebook gets
    "prepare": "analytics.report.context",
    "Report": "analytics.report.context",
    # loading
    "open_log": "analytics.load.log",
    "open_for_period": "analytics.load.log",
    "load_log": "analytics.load.log",
    "SupportLog": "analytics.load.schema",
    "validate_messages": "analytics.load.schema",
    "validate_events": "analytics.load.schema",
    "validate_self_service": "analytics.load.schema",
    # periods and calendars
    "Period": "analytics.period",
    "parse_period": "analytics.period",
    "BusinessCalendar": "analytics.calendar",
    # figures
    "Settings": "analytics.metrics.summary",
    "Analysis": "analytics.metrics.summary",
    "analyse": "analytics.metrics.summary",
    "build_summary": "analytics.metrics.summary",
    "conversation_facts": "analytics.metrics.facts",
    "facts_and_waits": "analytics.metrics.facts",
    "reply_waits": "analytics.metrics.facts",
    "customer_facts": "analytics.metrics.kernel",
    "repeat_contacts": "analytics.metrics.repeats",
    # text
    "classify_intents": "analytics.text.intents",
    "detect_language": "analytics.text.language",
    "mask_pii": "analytics.text.pii",
    # publishing
    "render_report": "analytics.publish.run",
    "RenderError": "analytics.publish.run",
    # errors a caller may catch
    "InputError": "analytics.errors",
    "DataNotCompleteError": "analytics.errors",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'analytics' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
