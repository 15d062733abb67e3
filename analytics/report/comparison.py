"""When a figure may be compared with the previous period, and how its change is written.

Rules in docs/metrics.md, "Comparisons": both periods need enough contacts and similar
coverage of their days; a change is relative for counts and durations, in percentage points
for shares.
"""

from __future__ import annotations

import math

from analytics.report import style
from analytics.report.i18n import t

#: A change against the previous period is shown only when both periods have at least this
#: many contacts (docs/metrics.md, "Comparisons"): below it, one evening's burst reads as
#: +2,614 % (twcs 2017-W44 against a 35-contact week).
MIN_COMPARISON_CONTACTS = 100


#: Two periods are compared only when the one with fewer days with data has at least this
#: share of the other's coverage (days with a contact / days of the period).
MIN_COVERAGE_RATIO = 0.5


def coverage(figures: dict) -> float | None:
    """Share of a period's days with at least one contact (None for an old summary)."""
    if not figures.get("days"):
        return None
    return figures["days_with_contacts"] / figures["days"]


def similar_coverage(summary: dict) -> bool:
    """Whether the period and the previous one cover similar shares of their days."""
    now, before = coverage(summary), coverage(summary["previous"])
    if now is None or before is None:
        return True
    return min(now, before) >= MIN_COVERAGE_RATIO * max(now, before)


def comparable(summary: dict) -> bool:
    """Whether the period and the previous one both have enough contacts and similar
    coverage (days with data) to be compared."""
    return min(summary["contacts"] or 0,
               summary["previous"]["contacts"] or 0) >= MIN_COMPARISON_CONTACTS \
        and similar_coverage(summary)


def change_text(current, previous, kind: str, lang: str) -> str:
    """Change against the previous period: relative for counts and durations, percentage
    points for shares."""
    if current is None or previous is None or (isinstance(current, float) and math.isnan(current)):
        return style.format_percent(None, lang)
    if kind == "share":
        return style.format_signed(100 * (current - previous), lang, 1, " " + t("unit.pp", lang))
    if not previous:
        return style.format_percent(None, lang)
    return style.format_signed(100 * (current / previous - 1), lang, 0, "%")


