"""Page furniture: headings, the header lines, the "no contacts" sentence, the definitions box."""

from __future__ import annotations

import re

import pandas as pd

from analytics.load.channel_names import PUBLIC_CHANNELS
from analytics.metrics import repeats
from analytics.report import style
from analytics.report.comparison import MIN_COMPARISON_CONTACTS, comparable, similar_coverage
from analytics.report.i18n import TEXTS, channel_label, t

PAGES = ("summary", "response_times", "channel_usage", "repeat_contacts", "dependency")
#: The partial-period caveat shows when the data stops more than this before the period ends
#: (an export taken in the last hours of the period is not called partial).
_PARTIAL = pd.Timedelta(days=1)


def _c(value, lang):
    return style.format_count(value, lang)


def _money(value, currency, lang, digits=2):
    """An amount for a markdown sentence: the page renderer reads ``$...$`` as maths, so the
    dollar sign is escaped (``US\\$ 8,01`` renders as US$ 8,01)."""
    return style.format_money(value, currency, lang, digits).replace("$", "\\$")


def heading(key: str, lang: str, responders: str = "person") -> str:
    """A section heading (``## ...``) in the reader's language; ``responders`` is the log's
    ``agent_ids`` (``"company"``: the heading names companies where it would name agents)."""
    return "## " + t(_responder_key(f"heading.{key}", lang, responders), lang)


def _responder_key(key: str, lang: str, responders: str) -> str:
    """``key`` or its ``.company`` wording when the source's agent ids name companies."""
    variant = f"{key}.company"
    return variant if responders == "company" and variant in TEXTS[lang] else key


def no_contacts(summary: dict, lang: str) -> str:
    """The sentence for a section with no contact in the period."""
    return t("s.no_contacts", lang, period=style.period_name(summary["period"]["label"], lang))


def header(report, page: str) -> str:
    """The lines under the title: period, time zone, source, data freshness, the synthetic
    data banner and the caveats that change how every figure reads."""
    lang = report.lang
    summary = report.summary
    period = report.period
    tz = period.tz
    lines = []
    if report.log.synthetic:
        lines.append(t("header.synthetic", lang))
    lines.append(t("header.report" if comparable(summary) else "header.report.alone", lang,
                   title=t(f"title.{page}", lang), period=style.period_name(period.label, lang),
                   first=style.format_date(period.first_day, lang),
                   last=style.format_date(period.last_day, lang), tz=tz,
                   previous=style.period_name(period.previous().label, lang)))
    lines.append(t("header.source", lang, description=source_description(summary, lang)))
    lines.append(t("header.freshness", lang,
                   last=style.format_datetime(summary["data"]["last_message"], tz, lang),
                   as_of=style.format_datetime(summary["as_of"], tz, lang),
                   messages=_c(summary["data"]["messages"], lang)))
    channels = summary["parameters"].get("channels")
    if channels:
        lines.append(t("header.channels", lang,
                       channels=", ".join(channel_label(c, lang) for c in channels)))
    if summary.get("warnings") and period.end - pd.Timestamp(summary["as_of"]) > _PARTIAL:
        lines.append(t("caveat.partial", lang,
                       last=style.format_datetime(summary["as_of"], tz, lang)))
    if summary["data"]["time_precision"] == "day":
        lines.append(t("caveat.day_precision", lang))
    return "\n\n".join(lines)


def source_name(source: str, lang: str) -> str:
    """A source as a reader names it (``consumidor.gov.br``, not ``consumidor_gov``); a
    source without a name in the strings files as it is."""
    key = f"source_name.{source}"
    return t(key, lang) if key in TEXTS[lang] else source


def source_description(summary: dict, lang: str) -> str:
    """The source line in the reader's language: the bundled sources' own words from the
    strings files; a user's file or mapping as described (its file name or its own line)."""
    source = summary["source"]
    if f"source.{source}" not in TEXTS[lang]:
        return summary["description"]
    partial = re.search(r"; (\d+) partial threads", summary["description"])
    return t(f"source.{source}", lang, partial=_c(int(partial.group(1)) if partial else 0, lang))


def definitions(report, page: str | None = None) -> str:
    """The parameters in force and the plain-language definitions, as a quoted box.

    ``page`` (``repeat_contacts``, ``channel_usage``) adds the parameters only that page
    uses: the frequent-contacter threshold, the public channels."""
    lang = report.lang
    summary = report.summary
    parameters = summary["parameters"]
    tz = report.period.tz
    as_of = style.format_datetime(summary["as_of"], tz, lang)
    sla = style.format_duration(report.analysis.settings.sla_s, lang)
    cohort = parameters["cohort"]
    items = [
        t(f"def.cohort.{cohort}", lang, period=style.period_name(report.period.label, lang)),
        t("def.tz", lang, tz=tz),
        t("def.calendar_days" if summary["data"]["time_precision"] == "day" else "def.calendar",
          lang, hours=style.format_hours(parameters["hours"], lang),
          holidays=parameters["holidays"] or t("def.no_holidays", lang)),
        t("def.sla", lang, sla=sla),
        t("def.cutoff", lang, as_of=as_of),
        t("def.window", lang, window=style.format_number(parameters["repeat_window_days"],
                                                         lang, 0)),
        t("def.median", lang),
        t("def.bots", lang),
    ]
    if parameters.get("data_read"):
        read = parameters["data_read"]
        start, end = (style.format_datetime(read[k], tz, lang) for k in ("from", "to"))
        items.append(t("def.data_read", lang, start=start, end=end)
                     + (" " + t("def.data_read.capped", lang, end=end)
                        if read["as_of_capped"] else ""))
    if parameters.get("inactivity"):
        items.append(t("def.inactivity", lang, inactivity=parameters["inactivity"]))
    if parameters.get("channels"):
        items.append(t("def.channels", lang, channels=", ".join(
            channel_label(c, lang) for c in parameters["channels"])))
    if page == "repeat_contacts":
        items.append(t("def.frequent_k", lang, k=parameters.get("frequent_k",
                                                                repeats.FREQUENT_K)))
        items.append(t("def.one_touch", lang))
    if page == "channel_usage":
        chosen = parameters.get("public_channels") or []
        names = ", ".join(channel_label(c, lang) for c in
                          (chosen or sorted(PUBLIC_CHANNELS)))
        items.append(t("def.public.chosen" if chosen else "def.public.default", lang,
                       channels=names))
        items.append(t("def.movement", lang))
    if page == "dependency":
        items.append(t("def.intent", lang))
        items.append(t("def.cost_table", lang, table=_cost_words(parameters["cost_table"], lang)))
    if summary["data"]["time_precision"] == "day":
        items.append(t("caveat.day_precision", lang))
    items.append(t("def.more", lang))
    return "\n".join([f"> **{t('def.title', lang)}**", ">"] + [f"> - {item}" for item in items])


def _cost_words(costs: dict, lang: str) -> str:
    """A cost table in words: ``USD 8.01 per assisted contact; ... self-service 0.10``."""
    currency = costs["currency"]
    parts = [f"{channel_label(k, lang) if k != 'default' else t('dep.cost.any', lang)}: "
             f"{_money(v, currency, lang)}" for k, v in costs.items()
             if k not in ("currency", "self_service")]
    parts.append(f"{t('heading.self_service', lang)}: "
                 f"{_money(costs['self_service'], currency, lang)}")
    return "; ".join(parts)


def _d(seconds, lang):
    return style.format_duration(seconds, lang)


def _p(value, lang, digits=1):
    return style.format_percent(value, lang, digits)


def _no_identity(summary: dict) -> bool:
    return bool(summary["contacts"]) and not summary["repeat_contacts"]["identity_coverage"]


#: Repeat channels with fewer contacts judged than this are not named as the highest or
#: lowest in a sentence (the tables still show them).
_MIN_NAMED = 30


#: The same for purchase channels (evaluated complaints) and market segments (complaints).
_MIN_NAMED_GROUP = 100


def not_measurable(report, page: str) -> str:
    """The sections of ``page`` this source cannot measure, each with why, as one quoted box
    under the header ('' when every section can be measured)."""
    lang = report.lang
    missing = report.not_measurable(page)
    if not missing:
        return ""
    if report.contacts.empty:  # one sentence, not the same reason under every heading
        return no_contacts(report.summary, lang)
    by_reason = {}  # one line per reason, its sections in page order
    for section, reason in missing:
        by_reason.setdefault(reason, []).append(t(f"heading.{section}", lang))
    lines = [f"> **{t('why.title', lang)}**", ">"]
    lines += [f"> - **{'; '.join(headings)}**: {t(reason, lang)}"
              for reason, headings in by_reason.items()]
    return "\n".join(lines)


def first_and_last(key: str, lang: str, stats: pd.DataFrame, *, order: str, name: str, label,
                   fields, sides=("high", "low"), ascending: bool = False, **extra) -> str:
    """The best/worst sentence every ranking shares: ``key`` filled with the first and the
    last row of ``stats`` ordered by ``order`` (ties by ``name``, so the choice is stable).

    ``sides`` names the two placeholders (``high``/``low``, ``fast``/``slow``...): each gets
    ``label(row[name])``, and ``<side>_<suffix>`` gets ``write(row[column], lang)`` for every
    ``(suffix, column, write)`` of ``fields``. '' when fewer than two rows are ranked.

    >>> rows = pd.DataFrame({"group": ["a", "b", "c"], "rate": [0.2, 0.5, 0.1],
    ...                      "eligible": [40, 50, 60]})
    >>> first_and_last("s.repeat_trend.channels", "en", rows, order="rate", name="group",
    ...                label=str, n=30, fields=[("rate", "rate", _p), ("n", "eligible", _c)])
    'Among channels with at least 30 contacts judged, b had the highest rate (50.0% of 50) and c the lowest (10.0% of 60).'
    """
    if len(stats) < 2:
        return ""
    ordered = stats.sort_values([order, name], ascending=[ascending, True])
    values = dict(extra)
    for side, row in zip(sides, (ordered.iloc[0], ordered.iloc[-1]), strict=True):
        values[side] = label(row[name])
        values.update({f"{side}_{suffix}": write(row[column], lang)
                       for suffix, column, write in fields})
    return t(key, lang, **values)


def versus(summary: dict, value: str, lang: str, *, joined: bool = False) -> str:
    """The previous period's figure in brackets, `` (32.3% in September 2026)``, or with
    ``joined`` after a semicolon inside brackets the sentence already opened; '' when the
    periods cannot be compared (:func:`comparison_note` says why), so that no sentence quotes
    a figure the page refuses to compare."""
    if not comparable(summary):
        return ""
    return t("s.vs.joined" if joined else "s.vs", lang, value=value,
             previous=style.period_name(summary["previous_period"]["label"], lang))


def comparison_note(summary: dict, lang: str) -> str:
    """Why no change is shown against the previous period ('' when it is)."""
    if comparable(summary):
        return ""
    previous = style.period_name(summary["previous_period"]["label"], lang)
    if not similar_coverage(summary):
        return t("s.no_comparison_coverage", lang, previous=previous,
                 now=_c(summary["days_with_contacts"], lang), days=_c(summary["days"], lang),
                 before=_c(summary["previous"]["days_with_contacts"], lang),
                 before_days=_c(summary["previous"]["days"], lang))
    return t("s.no_comparison", lang, previous=previous,
             now=_c(summary["contacts"], lang), before=_c(summary["previous"]["contacts"], lang),
             min=_c(MIN_COMPARISON_CONTACTS, lang))
