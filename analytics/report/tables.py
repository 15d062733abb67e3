"""The tables of the report pages: figures formatted for display in the reader's language.

Each ``*_table`` takes computed figures (a frame or the summary) and returns a small frame of
strings; :func:`table_html` turns one into HTML. Computing lives in :mod:`analytics.metrics`.
"""

from __future__ import annotations

import pandas as pd

from analytics.metrics import channel_movement, channels, dependency, repeats, response
from analytics.metrics.facts import customer_started
from analytics.metrics.repeats import (
    FREQUENT_K,
    frequent_contacters,
    repeat_channel_stats,
)
from analytics.metrics.response import ALL
from analytics.metrics.summary import parse_duration
from analytics.report import style
from analytics.report.comparison import change_text, comparable
from analytics.report.i18n import channel_label, purchase_channel_label, t

#: How :func:`format_columns` writes a value of each kind (``value, lang -> text``).
FORMATS = {
    "count": style.format_count,
    "share": style.format_percent,
    "share0": lambda v, lang: style.format_percent(v, lang, 0),
    "duration": style.format_duration,
    "number1": lambda v, lang: style.format_number(v, lang, 1),
    "number2": lambda v, lang: style.format_number(v, lang, 2),
    "number0": lambda v, lang: style.format_number(v, lang, 0),
    "pp": lambda v, lang: style.format_signed(100 * v, lang, 1, " " + t("unit.pp", lang)),
    "tone": lambda v, lang: style.format_tone(v, lang),
    "channel": channel_label,
    "purchase_channel": purchase_channel_label,
    "intent": lambda v, lang: t(f"intent.{v}", lang),
    "text": lambda v, lang: str(v),
    # the base of a figure, blank where the figure itself is missing
    "base": lambda v, lang: "" if pd.isna(v) else style.format_count(v, lang),
    # a change of a 0-100 index, in its own points
    "signed0": lambda v, lang: style.format_signed(v, lang, 0),
}


def format_columns(frame: pd.DataFrame, spec, lang: str, **header_args) -> pd.DataFrame:
    """The display table of ``frame``: one column per ``(header key, column, kind)`` of
    ``spec``, in that order.

    ``header key`` is a ``table.*`` text (filled with ``header_args``, e.g. ``sla=``,
    ``period=``); ``kind`` is a key of :data:`FORMATS`, or ``(kind, n column)`` to write the
    base beside the figure (``54,4% (1.447)``), or the name of a column of ``frame`` holding
    each row's kind (a table whose rows are different figures). A column of ``frame`` that is
    already text is passed with kind ``text``.

    >>> format_columns(pd.DataFrame({"n": [1234], "s": [0.5], "b": [10]}),
    ...                [("table.contacts", "n", "count"),
    ...                 ("table.share", "s", ("share", "b"))], "pt-BR").iloc[0].tolist()
    ['1.234', '50,0% (10)']
    """
    columns = {}
    for key, column, kind in spec:
        kind, n_column = kind if isinstance(kind, tuple) else (kind, None)
        kinds = [kind] * len(frame) if kind in FORMATS else frame[kind]
        texts = [FORMATS[k](v, lang) for v, k in zip(frame[column], kinds, strict=True)]
        if n_column:
            texts = [f"{text} ({style.format_count(n, lang)})"
                     for text, n in zip(texts, frame[n_column], strict=True)]
        columns[t(key, lang, **header_args)] = texts
    return pd.DataFrame(columns, index=range(len(frame)))


def sla_table(report) -> pd.DataFrame:
    """First response by channel against the SLA, formatted for display (all channels last).

    Columns: channel, contacts, answered, unanswered (with share), median, 9 in 10 within (p90),
    average (mean), answered within the SLA.
    """
    lang = report.lang
    base = report.response_base
    sla_s = report.analysis.settings.sla_s
    table = response.first_response_table(base, "channel", sla_s=sla_s)
    if len(table) > 1:
        total = response.first_response_summary(base, sla_s=sla_s)
        table = pd.concat([table, pd.DataFrame([{
            "channel": ALL, "contacts": total["n"] + total["unanswered"],
            "answered": total["n"], "unanswered": total["unanswered"],
            "unanswered_share": total["unanswered"] / (total["n"] + total["unanswered"]),
            "median_s": total["median_s"], "p90_s": total["p90_s"], "mean_s": total["mean_s"],
            "within_sla": total["within_sla"], "small_n": total["small_n"]}])],
            ignore_index=True)
    names = [t("plot.all_channels", lang) if c == ALL else channel_label(c, lang)
             for c in table["channel"].astype("str")]
    table = table.assign(name=[f"{n} *" if small else n
                               for n, small in zip(names, table["small_n"], strict=True)],
                         unanswered_text=[
                             f"{style.format_count(n, lang)} ({style.format_percent(s, lang)})"
                             for n, s in zip(table["unanswered"], table["unanswered_share"],
                                             strict=True)])
    return format_columns(table, [
        ("table.channel", "name", "text"), ("table.contacts", "contacts", "count"),
        ("table.answered", "answered", "count"), ("table.unanswered", "unanswered_text", "text"),
        *_TIMES, ("table.within_sla", "within_sla", "share")], lang, sla=_sla_text(report))


#: The three first-response durations of the response tables.
_TIMES = (("table.median", "median_s", "duration"), ("table.p90", "p90_s", "duration"),
          ("table.mean", "mean_s", "duration"))


def _sla_text(report) -> str:
    return style.format_duration(report.analysis.settings.sla_s, report.lang)


def _within_sla(report) -> list:
    """The within-target column, none when the source cannot check the target."""
    return [("table.within_sla", "within_sla", "share")] if report.sla_s is not None else []


#: Agents the agent table lists (most answers first); its sentence names only these.
AGENTS_LISTED = 15


def agent_table(report, *, top=AGENTS_LISTED) -> pd.DataFrame:
    """:func:`agent_stats` formatted for display (the ``top`` agents by answers)."""
    stats = report.agent_stats.head(top)
    stats = stats.assign(name=[f"{a} *" if small else str(a) for a, small in
                               zip(stats["first_responder"], stats["small_n"], strict=True)])
    agent = "table.agent.company" if report.log.agent_ids == "company" else "table.agent"
    return format_columns(stats, [(agent, "name", "text"),
                                  ("table.answered", "answered", "count"), *_TIMES,
                                  *_within_sla(report)],
                          report.lang, sla=_sla_text(report))


def _comparable_only(table: pd.DataFrame, summary: dict, lang: str) -> pd.DataFrame:
    """``table`` without its previous-period and change columns when the two periods cannot
    be compared (too few contacts or uneven coverage:
    :func:`analytics.report.comparison.comparable`); the page's comparison note says why."""
    if comparable(summary):
        return table
    period = style.period_name(summary["previous_period"]["label"], lang)
    previous = [t(key, lang, period=period)
                for key in ("table.previous", "table.previous_rate", "table.previous_judged")]
    return table.drop(columns=[t("table.change", lang), *previous], errors="ignore")


def channel_table(report) -> pd.DataFrame:
    """How each channel is served, formatted: contacts, share, change against the previous
    period, median first response, within the SLA, unanswered, agent replies per contact,
    median time to resolution (when the source records resolutions), public or private."""
    lang = report.lang
    stats = report.channel_stats
    stats = stats.assign(
        change=[change_text(c, p, "count", lang)
                for c, p in zip(stats["contacts"], stats["previous"], strict=True)],
        visibility=[t("table.public" if p else "table.private", lang) for p in stats["public"]])
    resolution = ([("table.resolution", "resolution_median_s", "duration")]
                  if stats["resolution_median_s"].notna().any() else [])
    return _comparable_only(format_columns(stats, [
        ("table.channel", "channel", "channel"), ("table.contacts", "contacts", "count"),
        ("table.share", "share", "share"), ("table.change", "change", "text"),
        ("table.median", "median_s", "duration"), *_within_sla(report),
        ("table.unanswered", "unanswered", "count"), ("table.replies", "replies", "number1"),
        *resolution, ("table.visibility", "visibility", "text")], lang, sla=_sla_text(report)),
        report.summary, lang)


def public_private_table(report) -> pd.DataFrame:
    """Public (social networks, complaint sites) against private channels, formatted."""
    lang = report.lang
    stats = report.public_private_stats
    stats = stats.assign(
        visibility=[t(f"table.{key}_channels", lang) for key in stats.index],
        names=[", ".join(channel_label(c, lang) for c in cs) or "—" for cs in stats["channels"]])
    return format_columns(stats, [
        ("table.visibility", "visibility", "text"), ("table.channels", "names", "text"),
        ("table.contacts", "contacts", "count"), ("table.share", "share", "share"),
        ("table.median", "median_s", "duration"), *_within_sla(report),
        ("table.unanswered", "unanswered", "count")], lang, sla=_sla_text(report))


def cross_channel_table(contacts: pd.DataFrame, lang: str = "en", top: int = 10) -> pd.DataFrame:
    """Repeated contacts (complete window) by first channel and the channel the customer came
    back on, most frequent first, formatted."""
    eligible = customer_started(contacts)
    repeated = eligible[eligible["lookahead_complete"] & eligible["repeated"]]
    pairs = (pd.DataFrame({"from": repeated["channel"].astype("str"),
                           "to": repeated["next_channel"].astype("str")})
             .value_counts().rename("n").reset_index())
    pairs = pairs.sort_values(["n", "from", "to"], ascending=[False, True, True]).head(top)
    pairs = pairs.assign(same=[t("table.yes" if a == b else "table.no", lang)
                               for a, b in zip(pairs["from"], pairs["to"], strict=True)],
                         share=pairs["n"] / len(repeated))
    return format_columns(pairs, [
        ("table.first_channel", "from", "channel"), ("table.next_channel", "to", "channel"),
        ("table.same_channel", "same", "text"), ("table.repeats", "n", "count"),
        ("table.share_of_repeats", "share", "share")], lang)


def frequent_contacters_table(contacts: pd.DataFrame, *, k: int = FREQUENT_K, lang: str = "en",
                              top: int = 10) -> pd.DataFrame:
    """The ``top`` frequent contacters (see :func:`frequent_contacters`), formatted, without
    customer ids."""
    table = frequent_contacters(contacts, k=k).head(top)
    table = table.assign(customer=[f"#{r}" for r in table["rank"]],
                         names=[", ".join(channel_label(c, lang) for c in cs)
                                for cs in table["channels"]])
    return format_columns(table, [
        ("table.customer", "customer", "text"), ("table.channels", "names", "text"),
        ("table.contacts", "contacts", "count"), ("table.repeated", "repeated", "count"),
        ("table.median", "median_s", "duration")], lang)


def table_html(table: pd.DataFrame):
    """A formatted table for display (``DataFrame.style``, no index): the leading text
    columns (the first one, then those without digits, such as channel names) left-aligned
    and unwrapped, the figures right-aligned."""
    left = []
    for i, column in enumerate(table.columns):
        if i and table[column].astype("str").str.contains(r"\d").any():
            break
        left.append(column)
    styles = [{"selector": "th", "props": [("text-align", "right")]}]
    styles += [{"selector": f"th.col_heading.col{i}", "props": [("text-align", "left")]}
               for i in range(len(left))]
    styler = table.style.hide(axis="index").set_table_styles(styles)
    if left:
        styler = styler.set_properties(subset=left, **{"text-align": "left",
                                                       "white-space": "nowrap"})
    return styler


# Headline ----------------------------------------------------------------------------------

AREAS = ("volume", "first_response", "replies", "resolution", "repeat", "dependency",
         "satisfaction")


def _get(figures: dict, path: str):
    value = figures
    for key in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def headline_rows(summary: dict, areas=AREAS) -> list[dict]:
    """The headline figures as rows: ``area``, ``key`` (i18n), ``kind`` (count, duration or
    share), ``value``, ``n``, ``previous``. Areas a source does not record are left out."""
    prev = summary.get("previous", {})
    no_identity = summary["contacts"] and not _get(summary, "repeat_contacts.identity_coverage")
    specs = {
        "volume": [("contacts", "count", "contacts", None),
                   ("customers", "count", "customers", None)],
        "first_response": [
            ("frt_median", "duration", "first_response.median_s", "first_response.n"),
            ("frt_p90", "duration", "first_response.p90_s", "first_response.n"),
            ("frt_within_sla", "share", "first_response.within_sla", "first_response.n"),
            ("frt_unanswered", "count", "first_response.unanswered", None),
            # A dates-only source counts business days, not business hours.
            ("frt_business_days_median" if _get(summary, "data.time_precision") == "day"
             else "frt_business_median", "duration", "first_response_business.median_s",
             "first_response_business.n"),
        ],
        "replies": [("reply_median", "duration", "reply_time.median_s", "reply_time.n")],
        "resolution": [("resolution_median", "duration", "resolution_first.median_s",
                        "resolution_first.n"),
                       ("reopened", "count", "reopened", None)],
        "repeat": [("repeat_rate", "share", "repeat_contacts.rate", "repeat_contacts.eligible"),
                   ("repeat_cross", "count", "repeat_contacts.cross_channel", None),
                   ("repeat_excluded", "count", "repeat_contacts.excluded_no_lookahead", None),
                   ("identity_coverage", "share", "repeat_contacts.identity_coverage",
                    "contacts")],
        # The repeated-contacts page only (not in AREAS).
        "repeat_detail": [
            ("repeat_fcr", "share", "repeat_contacts.fcr", "repeat_contacts.eligible"),
            ("repeat_cross_share", "share", "repeat_contacts.cross_channel_share",
             "repeat_contacts.repeated"),
            ("frequent_customers", "share", "frequent_contacters.share_customers",
             "customers"),
            ("frequent_contacts", "share", "frequent_contacters.share_contacts", "contacts")],
        "dependency": [("how_to_share", "share", "dependency.how_to.share",
                        "dependency.how_to.with_text"),
                       ("multi_agent", "share", "dependency.intermediaries.multi_agent_share",
                        "dependency.intermediaries.answered")],
        "satisfaction": [("csat", "share", "satisfaction.csat", "satisfaction.rated"),
                         ("confirmed_resolution", "share", "satisfaction.confirmed_resolution",
                          "satisfaction.evaluated")],
    }
    rows = []
    for area in areas:
        if area == "resolution" and not _get(summary, "resolution_first.available"):
            continue
        if area == "satisfaction" and not summary.get("satisfaction"):
            continue
        for key, kind, path, n_path in specs[area]:
            if area == "dependency" and _get(summary, path) is None \
                    and _get(prev, path) is None:
                continue  # the source cannot tell (no text, agents not named)
            value, previous = _get(summary, path), _get(prev, path)
            if key in ("customers", "repeat_rate", "repeat_cross") and no_identity:
                value = previous = None
            n = _get(summary, n_path) if n_path else None
            if area == "repeat_detail" and no_identity:  # no base to show either
                value = previous = n = None
            if value is None and previous is None:
                continue  # not measured in either period: the page says why, not a row of n/a
            rows.append({"area": area, "key": key, "kind": kind, "value": value, "n": n,
                         "previous": previous})
    return rows


def headline_table(summary: dict, lang: str = "en", *, areas=AREAS) -> pd.DataFrame:
    """The headline figures for display: figure, value, n (what it is based on), previous
    period and change (relative for counts and durations, percentage points for shares).

    A figure that cannot be computed reads ``n/a``, never 0.
    """
    sla = style.format_duration(parse_duration(summary["parameters"]["sla"]).total_seconds(),
                                lang)
    window = style.format_number(summary["repeat_contacts"]["window_days"], lang, 0)
    k = (summary.get("frequent_contacters") or {}).get("k", FREQUENT_K)
    previous_label = style.period_name(summary["previous_period"]["label"], lang)
    rows = headline_rows(summary, areas)
    frame = pd.DataFrame(rows, columns=["key", "kind", "value", "n", "previous"]).astype(object)
    frame["figure"] = [t(f"headline.{r['key']}", lang, sla=sla, window=window, k=k)
                       for r in rows]
    frame["change"] = [change_text(r["value"], r["previous"], r["kind"], lang) for r in rows]
    return format_columns(frame, [
        ("table.figure", "figure", "text"), ("table.value", "value", "kind"),
        ("table.n", "n", "base"), ("table.previous", "previous", "kind"),
        ("table.change", "change", "text")], lang, period=previous_label).pipe(
            _comparable_only, summary, lang)


def repeat_channel_table(trend: pd.DataFrame, summary: dict, lang="en") -> pd.DataFrame:
    """:func:`repeat_channel_stats` formatted: channel, repeat rate, contacts judged (with a
    complete window), the same two for the previous period, and the change in percentage
    points (the last three only when the periods can be compared)."""
    stats = repeat_channel_stats(trend)
    previous_label = style.period_name(summary["previous_period"]["label"], lang)
    stats = stats.assign(
        name=[t("plot.all_channels", lang) if g == repeats.ALL else channel_label(g, lang)
              for g in stats["group"]],
        change=[change_text(None if pd.isna(a) else a, None if pd.isna(b) else b, "share", lang)
                for a, b in zip(stats["rate"], stats["previous_rate"], strict=True)])
    return format_columns(stats, [
        ("table.channel", "name", "text"), ("table.repeat_rate", "rate", "share"),
        ("table.judged", "eligible", "count"), ("table.previous_rate", "previous_rate", "share"),
        ("table.previous_judged", "previous_eligible", "count"),
        ("table.change", "change", "text")], lang, period=previous_label).pipe(
        _comparable_only, summary, lang)


def repeat_topic_table(stats: pd.DataFrame, lang="en") -> pd.DataFrame:
    """:func:`repeat_topic_stats` formatted for display."""
    stats = stats.assign(name=[v or t("table.unknown", lang) for v in stats["topic"]])
    return format_columns(stats, [
        ("table.topic", "name", "text"), ("table.judged", "eligible", "count"),
        ("table.repeats", "repeated", "count"), ("table.repeat_rate", "rate", "share"),
        ("table.same_topic", "same_topic", "count")], lang)


def forced_migration_table(contacts: pd.DataFrame, *, lang="en", top: int = 5) -> pd.DataFrame:
    """The channel pairs of the cross-channel repeats (customers who came back on another
    channel within the window), most frequent first, formatted."""
    pairs = channel_movement.forced_migration_pairs(contacts, top=top)
    return format_columns(pairs, [
        ("table.first_channel", "from_channel", "channel"),
        ("table.next_channel", "to_channel", "channel"), ("table.repeats", "repeats", "count"),
        ("table.customers", "customers", "count"), ("table.share_of_cross", "share", "share")],
        lang)


# What the source says about the complaint (consumidor.gov.br) --------------------------------

def purchase_channel_table(report) -> pd.DataFrame | None:
    """Outcome, rating and time to answer by how the consumer bought, with n beside each
    figure (:func:`analytics.metrics.channels.purchase_channel_stats`); None when the source does not
    carry the purchase channel."""
    lang = report.lang
    stats = channels.purchase_channel_stats(report.contacts, report.log.conversation_attributes)
    if stats is None:
        return None
    return format_columns(stats, [
        ("table.purchase_channel", "purchase_channel", "purchase_channel"),
        ("table.complaints", "complaints", "count"), ("table.share_complaints", "share", "share"),
        ("table.confirmed_resolution", "confirmed_resolution", ("share", "evaluated")),
        ("table.mean_score", "mean_score", ("number1", "rated")),
        ("table.median_score", "median_score", "number1"),
        ("table.median_answer", "median_response_s", ("duration", "answered"))], lang)


def contacted_before_table(report, *, by: str = "segment", top: int = 10) -> pd.DataFrame | None:
    """The share of complaints whose author had contacted the company before, for the ``top``
    segments or companies by number of complaints (:func:`analytics.channels.
    contacted_before_stats`), formatted; None when the source does not carry it."""
    lang = report.lang
    stats = channels.contacted_before_stats(report.contacts, report.log.conversation_attributes,
                                            by=by, top=top)
    if stats is None:
        return None
    # The last row is every complaint: the overall share the sentence quotes.
    before, _, share = channels.contacted_before_share(report.contacts,
                                                       report.log.conversation_attributes)
    stats = pd.concat([stats, pd.DataFrame([{
        "group": t("table.all_complaints", lang), "complaints": len(customer_started(
            report.contacts)), "contacted_before": before, "share": share}])],
        ignore_index=True)
    stats = stats.assign(name=[" ".join(v.split()) or t("table.unknown", lang)
                               for v in stats["group"]])
    return format_columns(stats, [
        (f"table.{by}", "name", "text"), ("table.complaints", "complaints", "count"),
        ("table.contacted_before", "share", ("share", "contacted_before"))], lang)


# Dependency and independence ---------------------------------------------------------------

def _dependency(summary: dict) -> dict:
    return (summary or {}).get("dependency") or {}


def _previous_args(summary: dict, lang: str) -> dict:
    return {"period": style.period_name(summary["previous_period"]["label"], lang)}


def independence_table(summary: dict, lang: str) -> pd.DataFrame:
    """The independence index (0–100) and its components (100 % = independent), this period
    and the previous one, with the change."""
    now = _dependency(summary)["independence_index"]
    before = _dependency(summary.get("previous"))["independence_index"]
    rows = [{"indicator": t("dep.index", lang), "value": now["value"],
             "previous": before["value"],
             "change": None if now["value"] is None or before["value"] is None
             else now["value"] - before["value"], "kind": "number0", "change_kind": "signed0"}]
    rows += [{"indicator": t(f"dep.component.{key}", lang), "value": now["components"][key],
              "previous": before["components"][key], "kind": "share",
              "change": change_text(now["components"][key], before["components"][key], "share",
                                    lang), "change_kind": "text"}
             for key in dependency.INDEX_COMPONENTS]
    # the index missing reads as the other missing figures do
    frame = pd.DataFrame(rows).astype({"value": object, "previous": object})
    return _comparable_only(format_columns(frame, [
        ("table.indicator", "indicator", "text"), ("table.value", "value", "kind"),
        ("table.previous", "previous", "kind"), ("table.change", "change", "change_kind")],
        lang, **_previous_args(summary, lang)), summary, lang)


#: The dependency table's rows: (text key, figure, how it is written, its base).
_DEPENDENCY_ROWS = (
    ("cpc", ("contacts_per_customer", "per_customer"), "number2",
     ("contacts_per_customer", "contacts")),
    ("repeat_how_to", ("repeat_how_to", "rate"), "share", ("repeat_how_to", "eligible")),
    ("multi_agent", ("intermediaries", "multi_agent_share"), "share",
     ("intermediaries", "answered")),
    ("transferred", ("intermediaries", "transferred_share"), "share",
     ("intermediaries", "answered")),
    ("messages_first", ("effort", "median_to_first_answer"), "number1", ("effort", "answered")),
    ("one_message", ("effort", "one_message_share"), "share", ("effort", "answered")),
    ("messages_resolution", ("effort", "median_to_resolution"), "number1",
     ("effort", "resolved")))


def dependency_table(summary: dict, lang: str) -> pd.DataFrame:
    """The dependency indicators with what they are based on, this period and the previous.

    Contacts per customer keeps two decimals, as its sentence writes it ("1.02"): 1.0 would
    hide the repeats the figure is about."""
    now, before = _dependency(summary), _dependency(summary.get("previous"))
    frame = pd.DataFrame([
        {"indicator": t(f"dep.row.{key}", lang), "value": now[area][name],
         "previous": before[area][name], "kind": kind,
         "n": now[n_area][n_name] if now[area][name] is not None else None}
        for key, (area, name), kind, (n_area, n_name) in _DEPENDENCY_ROWS]).astype(object)
    return _comparable_only(format_columns(frame, [
        ("table.indicator", "indicator", "text"), ("table.value", "value", "kind"),
        ("table.previous", "previous", "kind"), ("table.based_on", "n", "base")],
        lang, **_previous_args(summary, lang)), summary, lang)


def self_service_table(summary: dict, lang: str) -> pd.DataFrame:
    """Self-service sessions against assisted contacts by topic, or sessions by self-service
    channel when contacts carry no topic; empty without self-service data."""
    figures = _dependency(summary)["self_service"]
    if not figures["available"]:
        return pd.DataFrame()
    if figures["by_topic"]:
        frame = pd.DataFrame([{"topic": topic, **v} for topic, v in figures["by_topic"].items()])
        return format_columns(frame.astype({"score": object}), [
            ("table.topic", "topic", "text"), ("table.sessions", "sessions", "count"),
            ("table.contacts", "contacts", "count"),
            ("table.sessions_per_contact", "score", "number1")], lang)
    frame = pd.DataFrame([{"source": t(f"self_service.{source}", lang), "sessions": n}
                          for source, n in sorted(figures["by_source"].items(),
                                                  key=lambda kv: -kv[1])])
    return format_columns(frame, [("table.self_service_source", "source", "text"),
                                  ("table.sessions", "sessions", "count")], lang)


def avoidable_cost_table(summary: dict, lang: str) -> pd.DataFrame:
    """How-to contacts and their avoidable cost per channel, the most expensive first."""
    figures = _dependency(summary)["avoidable_cost"]
    if not figures["by_channel"]:
        return pd.DataFrame()
    frame = pd.DataFrame([{"channel": channel, **v} for channel, v in sorted(
        figures["by_channel"].items(), key=lambda kv: -kv[1]["total"])])
    return format_columns(frame, [
        ("table.channel", "channel", "channel"), ("table.how_to", "how_to", "count"),
        ("table.unit_cost", "unit", "number2"), ("table.total_cost", "total", "number0")],
        lang, currency=figures["currency"])


def voice_table(report, *, n: int = 6, min_contacts: int = 3) -> pd.DataFrame:
    """The words customers used most per kind of contact, their share of those contacts and
    the change against the previous period (words of at least ``min_contacts`` contacts)."""
    from analytics import text

    lang = report.lang
    current = report.opening_texts
    if current.empty:
        return pd.DataFrame()
    previous = report.previous_opening_texts
    lang_column = "lang" if "lang" in current and "lang" in previous else None
    table = text.voice_of_customer(current, previous, by=("intent",), n=n, lang=lang_column)
    table = table[table["count"] >= min_contacts]
    if table.empty:
        return pd.DataFrame()
    return _comparable_only(format_columns(table, [
        ("table.intent", "intent", "intent"), ("table.term", "term", "text"),
        ("table.contacts", "count", "count"), ("table.term_share", "share", "share0"),
        ("table.change", "change", "pp")], lang), report.summary, lang)


def examples_html(report, *, n: int = 3) -> str:
    """Example opening messages per kind of contact as HTML: personal data masked and every
    text escaped, because customer text is hostile input ('' without text)."""
    import html

    from analytics import text

    lang = report.lang
    frame = report.opening_texts
    if frame.empty:
        return ""
    examples = text.example_messages(frame, "intent", n=n,
                                     lang="lang" if "lang" in frame else None)
    parts = []
    for intent in dependency.INTENTS:
        mine = examples[examples["intent"] == intent]
        if len(mine):
            items = "".join(f"<li>“{text.verbatim_html(v)}”</li>" for v in mine["text"])
            parts.append(f"<p><strong>{html.escape(t(f'intent.{intent}', lang))}</strong></p>"
                         f"<ul>{items}</ul>")
    return "".join(parts)


def sentiment_table(report) -> pd.DataFrame:
    """Median tone (−1 … +1) of the English opening messages per kind of contact, with n;
    empty when there is no English text (no offline Portuguese lexicon)."""
    from analytics import text

    lang = report.lang
    frame = report.opening_texts
    if frame.empty:
        return pd.DataFrame()
    frame = frame.assign(tone=text.sentiment(frame["text"], frame.get("lang"))).dropna(
        subset=["tone"])
    if frame.empty:
        return pd.DataFrame()
    table = frame.groupby("intent")["tone"].agg(["median", "size"]).reindex(
        list(dependency.INTENTS)).dropna().rename_axis("intent").reset_index()
    return format_columns(table, [
        ("table.intent", "intent", "intent"), ("table.sentiment", "median", "tone"),
        ("table.based_on", "size", "count")], lang)
