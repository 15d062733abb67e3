"""Sentences in words from the figures, for the report pages (Markdown strings).

Each function takes the figures it writes about and the reader's language, and returns one
Markdown string whose numbers all come from the data; the words come from
:mod:`analytics.i18n`. When there is nothing to say (an empty period or segment) the sentence
says so instead of writing zeros. Notebooks display them with
``display(Markdown(...))``.
"""

from __future__ import annotations

import pandas as pd

from analytics import channel_movement, channels, plots, repeats, response, style
from analytics.i18n import channel_label, purchase_channel_label, t
from analytics.summary import parse_duration

PAGES = ("summary", "response_times", "channel_usage", "repeat_contacts", "dependency")
#: The partial-period caveat shows when the data stops more than this before the period ends
#: (an export taken in the last hours of the period is not called partial).
_PARTIAL = pd.Timedelta(days=1)


def _d(seconds, lang):
    return style.format_duration(seconds, lang)


def _c(value, lang):
    return style.format_count(value, lang)


def _p(value, lang, digits=1):
    return style.format_percent(value, lang, digits)


def heading(key: str, lang: str) -> str:
    """A section heading (``## ...``) in the reader's language."""
    return "## " + t(f"heading.{key}", lang)


def no_contacts(summary: dict, lang: str) -> str:
    """The sentence for a section with no contact in the period."""
    return t("s.no_contacts", lang, period=summary["period"]["label"])


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
    lines.append(t("header.report", lang, title=t(f"title.{page}", lang), period=period.label,
                   first=style.format_date(period.first_day, lang),
                   last=style.format_date(period.last_day, lang), tz=tz,
                   previous=period.previous().label))
    lines.append(t("header.source", lang, description=summary["description"]))
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
        t(f"def.cohort.{cohort}", lang, period=report.period.label),
        t("def.tz", lang, tz=tz),
        t("def.calendar", lang, hours=parameters["hours"],
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
                          (chosen or sorted(channels.PUBLIC_CHANNELS)))
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


# Response times ----------------------------------------------------------------------------

def first_response_sentence(summary: dict, lang: str) -> str:
    """Answered out of contacts, the median and p90 with the previous period's median, the
    SLA share and the unanswered."""
    first = summary["first_response"]
    contacts = first["n"] + first["unanswered"]
    if contacts == 0:
        return no_contacts(summary, lang)
    parts = []
    if first["n"]:
        parts.append(t("s.frt", lang, period=summary["period"]["label"],
                       answered=_c(first["n"], lang), contacts=_c(contacts, lang),
                       median=_d(first["median_s"], lang), p90=_d(first["p90_s"], lang),
                       previous=_d(summary["previous"]["first_response"]["median_s"], lang),
                       previous_period=summary["previous_period"]["label"]))
        parts.append(t("s.frt.sla", lang, share=_p(first["within_sla"], lang),
                       sla=_d(_sla_seconds(summary), lang)))
    else:
        parts.append(t("s.frt.none_answered", lang, contacts=_c(contacts, lang)))
    if first["unanswered"]:
        parts.append(t("s.frt.unanswered", lang, n=_c(first["unanswered"], lang),
                       oldest=_d(first["oldest_unanswered_s"], lang)))
    else:
        parts.append(t("s.frt.all_answered", lang))
    if first["small_n"] and first["n"]:
        parts.append(t("s.small_n", lang))
    return " ".join(parts)


def _sla_seconds(summary: dict) -> float:
    return parse_duration(summary["parameters"]["sla"].split(",")[0].strip()).total_seconds()


def distribution_sentence(buckets: pd.DataFrame, lang: str) -> str:
    """Share answered fast (within 15 minutes, or the same day for date-only sources), share
    that waited long (over a day, or over a week) and share unanswered."""
    table = plots.bucket_shares(buckets)
    if table["contacts"].sum() == 0:
        return t("s.no_data", lang)
    shares = table.set_index("bucket")["share"]
    if "same_day" in shares.index:
        return t("s.distribution.days", lang, fast=_p(shares["same_day"], lang),
                 slow=_p(shares[["8_14_days", "over_14_days"]].sum(), lang),
                 unanswered=_p(shares[response.UNANSWERED], lang))
    labels = [label for label, _ in response.BUCKETS]
    return t("s.distribution", lang, fast=_p(shares[labels[:2]].sum(), lang),
             slow=_p(shares[labels[-1]], lang), unanswered=_p(shares[response.UNANSWERED], lang))


def waiting_sentence(facts: pd.DataFrame, summary: dict, lang: str) -> str:
    """The median that counts the unanswered (Kaplan–Meier) and the share still waiting at
    the SLA."""
    contacts = facts[~facts["proactive"]]
    if contacts.empty:
        return no_contacts(summary, lang)
    curve = response.still_waiting_curve(contacts)
    sla_s = _sla_seconds(summary)
    waiting = curve.loc[curve["time_s"] <= sla_s, "still_waiting"].iloc[-1]
    median = response.survival_median(curve)
    first = (t("s.waiting.median", lang, median=_d(median, lang)) if median is not None
             else t("s.waiting.never", lang))
    return first + " " + t("s.waiting.sla", lang, sla=_d(sla_s, lang), share=_p(waiting, lang))


def trend_sentence(weekly: pd.DataFrame, lang: str) -> str:
    """The all-channel median of the last week with data against the first one."""
    overall = weekly[(weekly["group"] == plots.ALL) & weekly["median_s"].notna()]
    overall = overall.sort_values("week_start")
    if overall.empty:
        return t("s.trend.too_few", lang, n=plots.MIN_WEEKLY_N)
    first, last = overall.iloc[0], overall.iloc[-1]
    if len(overall) == 1:
        return t("s.trend.one", lang, week=style.format_date(last["week_start"], lang),
                 median=_d(last["median_s"], lang), n=_c(last["answered"], lang))
    return t("s.trend", lang, last_week=style.format_date(last["week_start"], lang),
             last=_d(last["median_s"], lang), first_week=style.format_date(first["week_start"],
                                                                         lang),
             first=_d(first["median_s"], lang), weeks=len(overall),
             n=plots.MIN_WEEKLY_N)


def agent_sentence(report) -> str:
    """Who answers fastest and slowest, among agents with enough answers to judge."""
    lang = report.lang
    stats = plots.agent_stats(report)
    if stats.empty:
        return t("s.agents.none", lang)
    judged = stats[~stats["small_n"]] if (~stats["small_n"]).any() else stats
    ranked = judged.sort_values("median_s", kind="stable")
    fast, slow = ranked.iloc[0], ranked.iloc[-1]
    return t("s.agents", lang, agents=_c(len(stats), lang), fast=fast["first_responder"],
             fast_median=_d(fast["median_s"], lang), fast_n=_c(fast["answered"], lang),
             slow=slow["first_responder"], slow_median=_d(slow["median_s"], lang),
             slow_n=_c(slow["answered"], lang), n=response.SMALL_N)


def sla_sentence(report) -> str:
    """Fastest and slowest channel by median first response (channels with answered
    contacts), or the single channel's SLA share; the small-sample footnote when needed."""
    lang = report.lang
    stats = plots.channel_stats(report)
    answered = stats[stats["answered"] > 0]
    if stats.empty:
        return no_contacts(report.summary, lang)
    sla = _d(report.analysis.settings.sla_s, lang)
    if len(answered) <= 1:
        row = stats.iloc[0]
        text = t("s.sla.one", lang, channel=channel_label(row["channel"], lang),
                 share=_p(row["within_sla"], lang), sla=sla)
    else:
        ordered = answered.sort_values(["median_s", "channel"])
        fast, slow = ordered.iloc[0], ordered.iloc[-1]
        text = t("s.sla", lang, fast=channel_label(fast["channel"], lang),
                 fast_median=_d(fast["median_s"], lang),
                 fast_share=_p(fast["within_sla"], lang),
                 slow=channel_label(slow["channel"], lang),
                 slow_median=_d(slow["median_s"], lang),
                 slow_share=_p(slow["within_sla"], lang), sla=sla)
    if stats["small_n"].any():
        text += " " + t("s.sla.small_n", lang, n=response.SMALL_N)
    return text


def timing_sentence(report) -> str:
    """Busiest weekday and hour (local time) and the share of contacts outside working
    hours; the busiest weekday only when the source records dates only."""
    lang = report.lang
    contacts = report.contacts
    if contacts.empty:
        return no_contacts(report.summary, lang)
    tz = report.period.tz
    local = contacts["start"].dt.tz_convert(tz)
    days = t("weekdays_long", lang).split(",")
    if report.log.time_precision == "day":
        counts = local.dt.day_of_week.value_counts()
        day = int(counts.idxmax())
        return t("s.timing.days", lang, day=days[day], share=_p(counts.max() / len(local), lang))
    cells = pd.DataFrame({"day": local.dt.day_of_week, "hour": local.dt.hour}).value_counts()
    (day, hour), busiest = cells.idxmax(), cells.max()
    text = t("s.timing", lang, day=days[int(day)], start=f"{int(hour):02d}:00",
             end=f"{(int(hour) + 1) % 24:02d}:00", n=_c(busiest, lang))
    calendar = report.analysis.settings.calendar(tz)
    outside = 1 - calendar.is_open(contacts["start"]).mean()
    if outside > 0:
        text += " " + t("s.timing.outside", lang, share=_p(outside, lang),
                        hours=report.summary["parameters"]["hours"])
    return text


# Channels ----------------------------------------------------------------------------------

def mix_sentence(summary: dict, lang: str) -> str:
    """Largest channel and its share, total against the previous period, and the channel
    that changed most."""
    channels = summary["channels"]
    before = summary["previous"]["channels"]
    total, previous_total = summary["contacts"], summary["previous"]["contacts"]
    previous_label = summary["previous_period"]["label"]
    if not total:
        return no_contacts(summary, lang) + " " + t(
            "s.mix.previous_only", lang, n=_c(previous_total, lang), previous=previous_label)
    top = max(channels, key=lambda c: (channels[c], c))
    if len(channels) == 1:
        return t("s.mix.one", lang, channel=channel_label(top, lang), n=_c(total, lang),
                 before=_c(previous_total, lang), previous=previous_label)
    text = t("s.mix", lang, channel=channel_label(top, lang), n=_c(channels[top], lang),
             share=_p(channels[top] / total, lang), total=_c(total, lang),
             channels=len(channels), before=_c(previous_total, lang), previous=previous_label)
    changes = {c: channels.get(c, 0) - before.get(c, 0) for c in set(channels) | set(before)}
    moved = max(changes, key=lambda c: (abs(changes[c]), c))
    if changes[moved]:
        text += " " + t("s.mix.moved", lang, channel=channel_label(moved, lang),
                        before=_c(before.get(moved, 0), lang), now=_c(channels.get(moved, 0), lang))
    return text


def served_sentence(report) -> str:
    """Which channel gets the most agent replies per contact and which is left unanswered
    most often."""
    lang = report.lang
    stats = plots.channel_stats(report)
    if stats.empty:
        return no_contacts(report.summary, lang)
    stats = stats.assign(unanswered_share=stats["unanswered"] / stats["contacts"])
    most = stats.sort_values(["replies", "channel"], ascending=[False, True]).iloc[0]
    text = t("s.served.replies" if len(stats) > 1 else "s.served.replies_one", lang,
             channel=channel_label(most["channel"], lang),
             replies=style.format_number(most["replies"], lang, 1))
    if len(stats) == 1:
        return text
    if stats["unanswered"].sum():
        worst = stats.sort_values(["unanswered_share", "channel"],
                                  ascending=[False, True]).iloc[0]
        text += " " + t("s.served.unanswered", lang, channel=channel_label(worst["channel"],
                                                                           lang),
                        share=_p(worst["unanswered_share"], lang), n=_c(worst["unanswered"], lang))
    else:
        text += " " + t("s.frt.all_answered", lang)
    return text


def public_sentence(report) -> str:
    """Share of contacts on public channels and their speed against private channels."""
    lang = report.lang
    stats = plots.public_private_stats(report)
    total = stats["contacts"].sum()
    if total == 0:
        return no_contacts(report.summary, lang)
    public, private = stats.loc["public"], stats.loc["private"]
    names = ", ".join(channel_label(c, lang) for c in public["channels"])
    if public["contacts"] == 0:
        return t("s.public.none", lang)
    if private["contacts"] == 0:
        return t("s.public.all", lang, channels=names, median=_d(public["median_s"], lang))
    return t("s.public", lang, channels=names, share=_p(public["share"], lang),
             public=_d(public["median_s"], lang), private=_d(private["median_s"], lang))


# Repeated contacts ---------------------------------------------------------------------------

def _no_identity(summary: dict) -> bool:
    return bool(summary["contacts"]) and not summary["repeat_contacts"]["identity_coverage"]


def repeat_sentence(summary: dict, lang: str) -> str:
    """The repeat rate with its basis (eligible, excluded), the previous period and the
    identity-coverage caveat."""
    repeat = summary["repeat_contacts"]
    window = style.format_number(repeat["window_days"], lang, 0)
    if not summary["contacts"]:
        return no_contacts(summary, lang)
    if _no_identity(summary):
        return t("s.repeat.no_identity", lang)
    parts = []
    if repeat["eligible"]:
        parts.append(t("s.repeat", lang, rate=_p(repeat["rate"], lang),
                       eligible=_c(repeat["eligible"], lang), repeated=_c(repeat["repeated"], lang),
                       window=window,
                       previous=_p(summary["previous"]["repeat_contacts"]["rate"], lang),
                       previous_period=summary["previous_period"]["label"]))
    else:
        parts.append(t("s.repeat.none_eligible", lang, window=window))
    if repeat["excluded_no_lookahead"]:
        parts.append(t("s.repeat.excluded", lang, n=_c(repeat["excluded_no_lookahead"], lang),
                       window=window))
    if repeat["identity_coverage"] < 0.95:
        parts.append(t("s.repeat.coverage", lang, coverage=_p(repeat["identity_coverage"], lang)))
    return " ".join(parts)


def coverage_sentence(contacts: pd.DataFrame, lang: str) -> str:
    """Overall identity coverage and the channel where it is lowest."""
    if plots.customer_started(contacts).empty:
        return t("s.no_data", lang)
    table = plots.identity_coverage(contacts)
    if table.empty:
        return t("s.no_data", lang)
    overall = table["known"].sum() / table["contacts"].sum()
    text = t("s.coverage", lang, share=_p(overall, lang))
    if len(table) > 1 and table["coverage"].min() < table["coverage"].max():
        low = table.sort_values(["coverage", "channel"]).iloc[0]
        text += " " + t("s.coverage.lowest", lang, channel=channel_label(low["channel"], lang),
                        share=_p(low["coverage"], lang))
    return text


def cross_channel_sentence(summary: dict, lang: str) -> str:
    """How many of the repeats came back on another channel."""
    repeat = summary["repeat_contacts"]
    if not summary["contacts"]:
        return no_contacts(summary, lang)
    if _no_identity(summary):
        return t("s.no_identity", lang)
    if not repeat["repeated"]:
        return t("s.cross.none", lang)
    return t("s.cross", lang, cross=_c(repeat["cross_channel"], lang),
             repeated=_c(repeat["repeated"], lang),
             share=_p(repeat["cross_channel"] / repeat["repeated"], lang))


def gap_sentence(contacts: pd.DataFrame, *, window_days: float, as_of, lang: str) -> str:
    """Share of contacts from known customers followed by another within one day and within
    the window."""
    if plots.customer_started(contacts).empty:
        return t("s.no_data", lang)
    curve = plots.repeat_gap_curve(contacts, window_days=window_days, as_of=as_of)
    if curve["share"].isna().all():
        return t("s.no_identity", lang)

    def at(days):
        return curve.loc[curve["days"] <= days + 1e-9, "share"].iloc[-1]

    return t("s.gap", lang, day=_p(at(1), lang), window=style.format_number(window_days, lang, 0),
             share=_p(at(window_days), lang))


def contacts_per_customer_sentence(contacts: pd.DataFrame, *, k: int, lang: str) -> str:
    """Known customers, how many came once, how many came ``k`` or more times."""
    if plots.customer_started(contacts).empty:
        return t("s.no_data", lang)
    table = plots.contacts_per_customer_distribution(contacts)
    customers = table["customers"].sum()
    if customers == 0:
        return t("s.no_identity", lang)
    once = table.loc[table["low"] == 1, "customers"].sum()
    frequent = table.loc[table["low"] >= k, "customers"].sum()
    return t("s.cpc", lang, customers=_c(customers, lang),
             contacts=_c(len(plots.known_customers(contacts)), lang),
             once=_p(once / customers, lang), frequent=_c(frequent, lang),
             frequent_share=_p(frequent / customers, lang), k=k)


def frequent_sentence(contacts: pd.DataFrame, *, k: int, lang: str) -> str:
    """Frequent contacters and the share of all contacts they make."""
    if plots.customer_started(contacts).empty:
        return t("s.no_data", lang)
    table = plots.frequent_contacters(contacts, k=k)
    if plots.known_customers(contacts).empty:
        return t("s.no_identity", lang)
    if table.empty:
        return t("s.frequent.none", lang, k=k)
    all_contacts = len(plots.customer_started(contacts))
    return t("s.frequent", lang, n=_c(len(table), lang), k=k,
             contacts=_c(table["contacts"].sum(), lang),
             share=_p(table["contacts"].sum() / all_contacts, lang),
             shown=min(len(table), 10))


# Executive summary ---------------------------------------------------------------------------

def summary_readings(summary: dict, lang: str) -> str:
    """One line per area (Markdown bullets): volume, first response, every reply,
    resolution, repeat contacts, channels and satisfaction when the source rates."""
    if not summary["contacts"]:
        return no_contacts(summary, lang)
    first = summary["first_response"]
    replies = summary["reply_time"]
    repeat = summary["repeat_contacts"]
    previous = summary["previous_period"]["label"]
    window = style.format_number(repeat["window_days"], lang, 0)
    change = plots.change_text(summary["contacts"], summary["previous"]["contacts"], "count", lang)
    if _no_identity(summary):
        lines = [t("r.volume.anonymous", lang, contacts=_c(summary["contacts"], lang),
                   change=change, previous=previous)]
    else:
        lines = [t("r.volume", lang, contacts=_c(summary["contacts"], lang), change=change,
                   previous=previous, customers=_c(summary["customers"], lang))]
    lines.append(t("r.first_response", lang, median=_d(first["median_s"], lang),
                   share=_p(first["within_sla"], lang),
                   sla=_d(_sla_seconds(summary), lang), unanswered=_c(first["unanswered"], lang),
                   before=_d(summary["previous"]["first_response"]["median_s"], lang),
                   previous=previous))
    lines.append(t("r.replies", lang, median=_d(replies["median_s"], lang),
                   n=_c(replies["n"], lang), open=_c(replies["open_waits"], lang)))
    if summary["resolution_first"]["available"]:
        lines.append(t("r.resolution", lang,
                       median=_d(summary["resolution_first"]["median_s"], lang),
                       reopened=_c(summary["reopened"], lang)))
    else:
        lines.append(t("r.resolution.na", lang))
    if _no_identity(summary):
        lines.append(t("r.repeat.na", lang))
    elif repeat["eligible"]:
        lines.append(t("r.repeat", lang, rate=_p(repeat["rate"], lang), window=window,
                       eligible=_c(repeat["eligible"], lang),
                       coverage=_p(repeat["identity_coverage"], lang)))
    else:
        lines.append(t("r.repeat.none_eligible", lang, window=window))
    channels = summary["channels"]
    top = max(channels, key=lambda c: (channels[c], c))
    lines.append(t("r.channels", lang, n=len(channels), channel=channel_label(top, lang),
                   share=_p(channels[top] / summary["contacts"], lang)))
    satisfaction = summary.get("satisfaction")
    if satisfaction and satisfaction.get("rated"):
        lines.append(t("r.satisfaction", lang, csat=_p(satisfaction["csat"], lang),
                       rated=_c(satisfaction["rated"], lang),
                       not_rated=_p(satisfaction["not_rated_share"], lang)))
    return "\n".join(f"- {line}" for line in lines)


# Repeated contacts: FCR, one-touch, topics, trend ---------------------------------------------

#: Repeat channels with fewer contacts judged than this are not named as the highest or
#: lowest in a sentence (the tables still show them).
_MIN_NAMED = 30
#: The same for purchase channels (evaluated complaints) and market segments (complaints).
_MIN_NAMED_GROUP = 100


def fcr_sentence(report) -> str:
    """First-contact resolution (1 − repeat rate, same basis) and one-touch resolution, or
    why either cannot be given. When the source has no customer id but asks whether the
    consumer contacted the company before (consumidor.gov.br), that share is given instead:
    it is the only repeat-contact signal such a source carries."""
    summary, contacts, lang = report.summary, report.contacts, report.lang
    if not summary["contacts"]:
        return no_contacts(summary, lang)
    repeat = summary["repeat_contacts"]
    window = style.format_number(repeat["window_days"], lang, 0)
    parts = []
    if _no_identity(summary):
        parts.append(t("s.fcr.no_identity", lang))
        before = channels.contacted_before_share(contacts, report.log.conversation_attributes)
        if before is not None and before[1]:
            parts.append(t("s.fcr.before", lang, share=_p(before[2], lang),
                           n=_c(before[0], lang), known=_c(before[1], lang)))
    elif repeat["rate"] is None:
        parts.append(t("s.repeat.none_eligible", lang, window=window))
    else:
        parts.append(t("s.fcr", lang, fcr=_p(repeat["fcr"], lang),
                       eligible=_c(repeat["eligible"], lang),
                       kept=_c(repeat["eligible"] - repeat["repeated"], lang), window=window))
    one = summary.get("one_touch") or {}
    if not one.get("available"):
        parts.append(t("s.one_touch.na", lang))
    elif not one["replied"]:
        parts.append(t("s.one_touch.none", lang))
    else:
        parts.append(t("s.one_touch", lang, rate=_p(one["rate"], lang),
                       replied=_c(one["replied"], lang), count=_c(one["count"], lang)))
        if one["resolved"] > one["replied"]:
            parts.append(t("s.one_touch.unreplied", lang,
                           n=_c(one["resolved"] - one["replied"], lang)))
        resolved = plots.customer_started(contacts)
        resolved = resolved[resolved["resolved"].fillna(False).astype(bool)]
        if len(resolved) and resolved["agent_replies"].max() <= 1:
            parts.append(t("s.one_touch.single_answer", lang))
    return " ".join(parts)


def topic_sentence(summary: dict, stats, lang: str) -> str:
    """Same-topic repeats and the topic with the most repeats; or why they are unknown.

    ``stats`` is :func:`analytics.plots.repeat_topic_stats` (None: no topic recorded)."""
    if not summary["contacts"]:
        return no_contacts(summary, lang)
    if stats is None:
        return t("s.topic.none", lang)
    if _no_identity(summary):
        return t("s.no_identity", lang)
    repeat = summary["repeat_contacts"]
    if not repeat["repeated"]:
        return t("s.cross.none", lang)
    text = t("s.topic", lang, same=_c(repeat["same_topic_repeats"], lang),
             known=_c(repeat["topic_known_repeats"], lang),
             share=_p(repeats.ratio(repeat["same_topic_repeats"],
                                          repeat["topic_known_repeats"]), lang))
    named = stats[stats["topic"] != ""]
    if len(named) and named["repeated"].iloc[0]:
        top = named.iloc[0]
        text += " " + t("s.topic.top", lang, topic=top["topic"], n=_c(top["repeated"], lang),
                        eligible=_c(top["eligible"], lang), rate=_p(top["rate"], lang))
    return text


def repeat_trend_sentence(trend: pd.DataFrame, summary: dict, lang: str) -> str:
    """The period's repeat rate against the previous one, and the channel with the highest
    rate among channels with enough contacts judged."""
    if not summary["contacts"]:
        return no_contacts(summary, lang)
    if _no_identity(summary):
        return t("s.no_identity", lang)
    stats = plots.repeat_channel_stats(trend)
    overall = stats.iloc[-1]
    if pd.isna(overall["rate"]):
        return t("s.repeat_trend.none", lang)
    text = t("s.repeat_trend", lang, rate=_p(overall["rate"], lang),
             n=_c(overall["eligible"], lang), previous=_p(overall["previous_rate"], lang),
             previous_n=_c(overall["previous_eligible"], lang),
             previous_period=summary["previous_period"]["label"])
    channels = stats[(stats["group"] != repeats.ALL) & (stats["eligible"] >= _MIN_NAMED)]
    if len(channels) > 1:
        ordered = channels.sort_values(["rate", "group"], ascending=[False, True])
        high, low = ordered.iloc[0], ordered.iloc[-1]
        text += " " + t("s.repeat_trend.channels", lang, high=channel_label(high["group"], lang),
                        high_rate=_p(high["rate"], lang), high_n=_c(high["eligible"], lang),
                        low=channel_label(low["group"], lang), low_rate=_p(low["rate"], lang),
                        low_n=_c(low["eligible"], lang), n=_MIN_NAMED)
    return text


# Channel movement and the complaint's own attributes ------------------------------------------

def movement_sentence(summary: dict, contacts: pd.DataFrame, lang: str) -> str:
    """Customers who got in touch more than once and the share whose next contact came on
    another channel, with the most common move."""
    if not summary["contacts"]:
        return no_contacts(summary, lang)
    if _no_identity(summary):
        return t("s.no_identity", lang)
    movement = summary["channel_movement"]
    if not movement["customers_multi"]:
        return t("s.movement.none", lang)
    if plots.channel_count(contacts) <= 1:
        channel = plots.customer_started(contacts)["channel"].astype("str").iloc[0]
        return t("s.movement.one_channel", lang, channel=channel_label(channel, lang),
                 n=_c(movement["customers_multi"], lang))
    previous = summary["previous"]["channel_movement"]
    text = t("s.movement", lang, multi=_c(movement["customers_multi"], lang),
             switchers=_c(movement["switchers"], lang),
             share=_p(movement["switch_share"], lang),
             previous=_p(previous["switch_share"], lang),
             previous_period=summary["previous_period"]["label"])
    moves = channel_movement.channel_transitions(contacts)
    moves = moves[(moves["first_channel"] != moves["next_channel"]) & (moves["customers"] > 0)]
    if len(moves):
        top = moves.sort_values(["customers", "first_channel", "next_channel"],
                                ascending=[False, True, True]).iloc[0]
        text += " " + t("s.movement.top", lang, first=channel_label(top["first_channel"], lang),
                        next=channel_label(top["next_channel"], lang),
                        n=_c(top["customers"], lang))
    return text


def forced_migration_sentence(summary: dict, lang: str) -> str:
    """Customers who came back on another channel within the repeat window (forced
    migration), against the previous period."""
    if not summary["contacts"]:
        return no_contacts(summary, lang)
    if _no_identity(summary):
        return t("s.no_identity", lang)
    movement = summary["channel_movement"]
    window = style.format_number(summary["repeat_contacts"]["window_days"], lang, 0)
    if not movement["forced_migration_base"]:
        return t("s.repeat.none_eligible", lang, window=window)
    if not movement["forced_migration"]:
        return t("s.forced.zero", lang, base=_c(movement["forced_migration_base"], lang),
                 window=window)
    return t("s.forced", lang, n=_c(movement["forced_migration"], lang),
             base=_c(movement["forced_migration_base"], lang),
             share=_p(movement["forced_migration_share"], lang), window=window,
             previous=_p(summary["previous"]["channel_movement"]["forced_migration_share"],
                         lang),
             previous_period=summary["previous_period"]["label"])


def purchase_sentence(report) -> str:
    """Which purchase channel brings the most complaints and which has the highest and lowest
    consumer-confirmed resolution; or that the source does not record it."""
    lang = report.lang
    if report.contacts.empty:
        return no_contacts(report.summary, lang)
    stats = channels.purchase_channel_stats(report.contacts,
                                                  report.log.conversation_attributes)
    if stats is None:
        return t("s.purchase.na", lang)
    top = stats.iloc[0]
    text = t("s.purchase", lang, channel=purchase_channel_label(top["purchase_channel"],
                                                                      lang),
             share=_p(top["share"], lang), n=_c(top["complaints"], lang))
    judged = stats[(stats["evaluated"] >= _MIN_NAMED_GROUP)
                   & stats["confirmed_resolution"].notna()]
    if len(judged) > 1:
        ordered = judged.sort_values(["confirmed_resolution", "purchase_channel"],
                                     ascending=[False, True])
        best, worst = ordered.iloc[0], ordered.iloc[-1]
        text += " " + t("s.purchase.resolution", lang,
                        best=purchase_channel_label(best["purchase_channel"], lang),
                        best_rate=_p(best["confirmed_resolution"], lang),
                        best_n=_c(best["evaluated"], lang),
                        worst=purchase_channel_label(worst["purchase_channel"], lang),
                        worst_rate=_p(worst["confirmed_resolution"], lang),
                        worst_n=_c(worst["evaluated"], lang), n=_MIN_NAMED_GROUP)
    return text


def contacted_before_sentence(report, *, top: int = 10) -> str:
    """The share of complaints whose author had contacted the company before, and the
    segments where it is highest and lowest; or that the source does not record it."""
    lang = report.lang
    if report.contacts.empty:
        return no_contacts(report.summary, lang)
    attributes = report.log.conversation_attributes
    overall = channels.contacted_before_share(report.contacts, attributes)
    if overall is None:
        return t("s.before.na", lang)
    before, known, share = overall
    text = t("s.before", lang, share=_p(share, lang), n=_c(before, lang), known=_c(known, lang))
    segments = channels.contacted_before_stats(report.contacts, attributes, by="segment",
                                                     top=top)
    if segments is not None:
        named = segments[(segments["complaints"] >= _MIN_NAMED_GROUP)
                         & segments["share"].notna()
                         & (segments["group"] != "")]
        if len(named) > 1:
            ordered = named.sort_values(["share", "group"], ascending=[False, True])
            high, low = ordered.iloc[0], ordered.iloc[-1]
            text += " " + t("s.before.segments", lang, high=" ".join(high["group"].split()),
                            high_share=_p(high["share"], lang),
                            high_n=_c(high["complaints"], lang),
                            low=" ".join(low["group"].split()),
                            low_share=_p(low["share"], lang), low_n=_c(low["complaints"], lang))
    return text


# Dependency and independence ---------------------------------------------------------------

def _cost_words(costs: dict, lang: str) -> str:
    """A cost table in words: ``USD 8.01 per assisted contact; ... self-service 0.10``."""
    currency = costs["currency"]
    parts = [f"{channel_label(k, lang) if k != 'default' else t('dep.cost.any', lang)}: "
             f"{currency} {style.format_number(v, lang, 2)}" for k, v in costs.items()
             if k not in ("currency", "self_service")]
    parts.append(f"{t('heading.self_service', lang)}: {currency} "
                 f"{style.format_number(costs['self_service'], lang, 2)}")
    return "; ".join(parts)


def independence_sentence(summary: dict, lang: str) -> str:
    """The index, its previous value and how many components it averages."""
    index = summary["dependency"]["independence_index"]
    if index["value"] is None:
        return t("s.dep.index.none", lang)
    old = summary["previous"]["dependency"]["independence_index"]["value"]
    return t("s.dep.index", lang, value=style.format_number(index["value"], lang, 0),
             previous=style.format_percent(None, lang) if old is None
             else style.format_number(old, lang, 0),
             previous_period=summary["previous_period"]["label"],
             available=_c(index["available"], lang))


def how_to_sentence(report) -> str:
    """The how-to share, the previous period's, and the channel with the highest share."""
    lang, summary = report.lang, report.summary
    how_to = summary["dependency"]["how_to"]
    if how_to["share"] is None:
        return t("s.dep.how_to.none", lang)
    table = plots.how_to_by_channel(report.contacts)
    table = table[table["with_text"] >= plots.MIN_WEEKLY_N]
    top = channel_label(table["share"].idxmax(), lang) if len(table) else "—"
    return t("s.dep.how_to", lang, share=_p(how_to["share"], lang), n=_c(how_to["with_text"], lang),
             previous=_p(summary["previous"]["dependency"]["how_to"]["share"], lang),
             previous_period=summary["previous_period"]["label"], top=top)


def how_to_trend_sentence(lang: str) -> str:
    return t("s.dep.how_to_trend", lang, min_n=plots.MIN_WEEKLY_N)


def learning_sentence(summary: dict, lang: str) -> str:
    """Contacts per active customer and repeated questions, with their basis."""
    figures = summary["dependency"]
    cpc = figures["contacts_per_customer"]["per_customer"]
    if cpc is None:
        return t("s.dep.learning.no_ids", lang)
    repeat = figures["repeat_how_to"]
    if not repeat["eligible"]:
        return t("s.dep.learning.no_repeat", lang, cpc=style.format_number(cpc, lang, 2))
    return t("s.dep.learning", lang, cpc=style.format_number(cpc, lang, 2),
             repeat=_p(repeat["rate"], lang), eligible=_c(repeat["eligible"], lang),
             excluded=_c(repeat["excluded_no_lookahead"], lang))


def people_sentence(summary: dict, lang: str) -> str:
    """How many people handle a contact and how many messages the customer sends first."""
    figures = summary["dependency"]
    multi = figures["intermediaries"]["multi_agent_share"]
    messages = figures["effort"]["median_to_first_answer"]
    if multi is None or messages is None:
        return t("s.dep.people.unknown", lang)
    return t("s.dep.people", lang, multi=_p(multi, lang),
             messages=style.format_number(messages, lang, 0))


def self_service_sentence(summary: dict, lang: str) -> str:
    figures = summary["dependency"]["self_service"]
    if not figures["available"]:
        return t("s.dep.self_service.none", lang)
    return t("s.dep.self_service", lang, sessions=_c(figures["sessions"], lang),
             score=style.format_percent(None, lang) if figures["score"] is None
             else style.format_number(figures["score"], lang, 1))


def cost_sentence(summary: dict, lang: str) -> str:
    """The avoidable cost, what it assumes and which cost table it used."""
    figures = summary["dependency"]["avoidable_cost"]
    if figures["total"] is None:
        return t("s.dep.cost.none", lang)
    costs = summary["parameters"]["cost_table"]
    from analytics.dependency import DEFAULT_COSTS

    if costs == DEFAULT_COSTS:
        used = t("s.dep.cost.default", lang, currency=costs["currency"],
                 default=style.format_number(costs["default"], lang, 2),
                 self_service=style.format_number(costs["self_service"], lang, 2))
    else:
        used = t("s.dep.cost.custom", lang, table=_cost_words(costs, lang))
    return t("s.dep.cost", lang, currency=figures["currency"],
             total=style.format_number(figures["total"], lang, 0),
             period=summary["period"]["label"], n=_c(figures["how_to"], lang),
             unit=style.format_number(figures["per_how_to"], lang, 2), costs=used)


def voice_sentence(summary: dict, has_text: bool, lang: str) -> str:
    if not has_text:
        return t("s.dep.voice.none", lang)
    return t("s.dep.voice", lang, previous_period=summary["previous_period"]["label"])


def sentiment_note(lang: str) -> str:
    return t("s.dep.sentiment", lang)
