"""The headline figures of a published report, with their change, for the PDF cover and the
e-mail digest.

They are the figures of the report's row in ``index.html`` (contacts, median first response,
unanswered, repeat contact rate), read from the report's ``summary.json``, next to the same
figures of the previous period of equal length (``summary["previous"]``, computed in the same
run from the same data). Changes follow the report pages: relative for counts and durations,
percentage points for the repeat rate; a figure missing in either period has no change (n/a),
never zero.
"""

from __future__ import annotations

from analytics.report.comparison import change_text
from analytics.report.i18n import strings
from analytics.report.style import format_date
from analytics.report.tables import FORMATS, _get

#: (label key in the [site] strings, path in the summary, kind of :data:`FORMATS`). The index
#: row's columns, in order.
HEADLINE = (
    ("contacts", "contacts", "count"),
    ("frt", "first_response.median_s", "duration"),
    ("unanswered", "first_response.unanswered", "count"),
    ("repeat", "repeat_contacts.rate", "share"),
)


def headline_rows(summary: dict, lang: str) -> list[dict]:
    """One row per headline figure: ``label``, ``value``, ``previous``, ``change`` (strings).

    Examples
    --------
    >>> summary = {"contacts": 120, "first_response": {"median_s": 1800.0, "unanswered": 4},
    ...            "repeat_contacts": {"rate": 0.25},
    ...            "previous": {"contacts": 100, "first_response": {"median_s": 2400.0,
    ...                         "unanswered": 0}, "repeat_contacts": {"rate": 0.2}}}
    >>> [(r["value"], r["previous"], r["change"]) for r in headline_rows(summary, "en")]
    [('120', '100', '+20%'), ('30 min', '40 min', '−25%'), ('4', '0', 'n/a'), ('25.0%', '20.0%', '+5.0 pts')]
    """
    labels = strings(lang)["site"]
    previous = summary.get("previous") or {}
    rows = []
    for key, path, kind in HEADLINE:
        current, before = _get(summary, path), _get(previous, path)
        rows.append({"label": labels[key], "value": FORMATS[kind](current, lang),
                     "previous": FORMATS[kind](before, lang),
                     "change": change_text(current, before, kind, lang)})
    return rows


def period_text(summary: dict, lang: str) -> str:
    """``1 Oct 2026 – 31 Oct 2026, America/Sao_Paulo``: the period's days (the end is
    exclusive in the summary, so the last day shown is the day before) and its zone."""
    import pandas as pd

    period = summary["period"]
    last = pd.Timestamp(period["end"]) - pd.Timedelta(days=1)
    return (f"{format_date(pd.Timestamp(period['start']), lang)} – {format_date(last, lang)}, "
            f"{period['tz']}")
