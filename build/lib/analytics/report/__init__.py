"""What the report notebooks call: the context (:func:`prepare`), tables, figures, sentences,
style and the reader's language.
"""

from analytics.report.context import Report, prepare

__all__ = ["Report", "prepare"]
