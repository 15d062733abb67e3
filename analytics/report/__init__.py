"""What the report notebooks call: the context (:func:`prepare`), tables, figures, sentences,
style and the reader's language.

``Report`` and ``prepare`` load :mod:`analytics.report.context` on first use, so importing a
module of this package (``analytics.report.style``...) does not load the whole report
context, and the context's own imports of this package's modules make no cycle.
"""

from __future__ import annotations

import importlib

__all__ = ["Report", "prepare"]


def __getattr__(name: str):
    if name in __all__:
        value = getattr(importlib.import_module("analytics.report.context"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'analytics.report' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
