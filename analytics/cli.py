"""Command line: ``python -m analytics metrics|render|demo|intents ...``.

A thin layer over the functions the notebooks use. A user's mistake prints one line naming
the file, row and column and exits with status 2; no traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
import traceback
from pathlib import Path

import pandas as pd

from analytics import paths
from analytics.errors import (
    DataNotCompleteError,
    InputError,
    OperationalError,
    ReportLockedError,
)
from analytics.load.log import DEFAULT_TZ, SOURCES, open_for_period
from analytics.metrics.dependency import read_cost_table
from analytics.metrics.summary import Settings, analyse, build_summary
from analytics.period import parse_period
from analytics.publish.guard import report_name
from analytics.publish.registry import load_registry
from analytics.publish.run import RenderError, render_report
from analytics.publish.site import write_index
from analytics.publish.status import PAUSE_FILE, paused, record_status


def _add_input_options(parser):
    group = parser.add_argument_group(
        "input (one of --messages, --source/--input, --mapping, --query, --source/--dsn)")
    group.add_argument("--messages", help="message log (CSV or Parquet) in the documented schema")
    group.add_argument("--events", help="events file (resolved/reopened/handoff/transfer)")
    group.add_argument("--self-service", dest="self_service", help="self-service sessions file")
    group.add_argument("--source", choices=SOURCES, help="built-in source adapter")
    group.add_argument("--input", help="the source's file or folder (default: bundled sample)")
    group.add_argument("--mapping", help="TOML mapping of your helpdesk export")
    group.add_argument("--query", help="DuckDB .sql file returning the log's columns "
                                       "(--events: a .sql events query)")
    group.add_argument("--dsn", help="postgresql://user@host:port/db of a Chatwoot or Zammad "
                                     "database (--source chatwoot|zammad; password in "
                                     "PGPASSWORD or ~/.pgpass, not in the DSN)")
    group.add_argument("--source-tz", dest="source_tz",
                       help="IANA zone of naive timestamps in --messages")


def _add_setting_options(parser):
    group = parser.add_argument_group("definitions (printed in every report)")
    group.add_argument("--period", required=True,
                       help="YYYY-MM, YYYY-Www, YYYY-Qn, YYYY-MM-DD..YYYY-MM-DD, last-week, "
                            "last-month or last-quarter")
    group.add_argument("--tz", help="IANA time zone of the period and calendar "
                                    "(default depends on the source)")
    group.add_argument("--today", help="anchor for relative periods (YYYY-MM-DD; default today)")
    group.add_argument("--as-of", dest="as_of",
                       help="analysis cut-off (ISO 8601; default: latest timestamp in the input)")
    group.add_argument("--hours",
                       help='working hours, e.g. "mon-fri 08:00-12:00,13:00-18:00; sat 09:00-13:00" '
                            f'(default: the Chatwoot inboxes\' working hours, else "{Settings.hours}")')
    group.add_argument("--holidays", help="public holidays: country[-subdivision], e.g. BR or BR-SP")
    group.add_argument("--closed", nargs="*", default=(), help="extra closed dates (YYYY-MM-DD)")
    group.add_argument("--sla", default=Settings.sla, help="first-response target(s), e.g. 1h, 30min or 1h,4h (the first is the headline)")
    group.add_argument("--repeat-window", dest="repeat_window", type=float, default=7,
                       help="repeat-contact window in days (default 7)")
    group.add_argument("--cohort", choices=("started", "replied"), default="started",
                       help="conversations started in the period (default) or replies sent in it")
    group.add_argument("--inactivity",
                       help="off by default; e.g. 72h resolves silent conversations after an "
                            "agent reply (only for sources without resolve events)")
    group.add_argument("--frequent-k", dest="frequent_k", type=int,
                       help="a frequent contacter makes at least K contacts (default 3)")
    group.add_argument("--public-channels", dest="public_channels", nargs="*", default=(),
                       help="channels counted as public (default: the documented table)")
    group.add_argument("--cost-table", dest="cost_table",
                       help='cost per contact by channel: JSON such as \'{"phone": 9.5, '
                            '"default": 6, "self_service": 0.1, "currency": "BRL"}\' or a '
                            '.json/.toml file')


def _resolve_input(args):
    """``(source, input)`` from the input options (``metrics`` and ``render``)."""
    if args.input and not args.source:
        # without a source the file would be ignored and the bundled demo reported instead
        raise InputError("--input", "a file without its source",
                         expected="--source NAME --input FILE (twcs, consumidor_gov, "
                                  "demo), or --messages FILE for a log in the documented "
                                  "schema", found=args.input)
    if args.messages:
        return "messages", args.messages
    if args.mapping:
        return "mapping", args.mapping
    if args.query:
        return "query", args.query
    if args.dsn:
        if args.source not in ("chatwoot", "zammad"):
            raise InputError("--dsn", "a database needs its connector",
                             expected="--source chatwoot or --source zammad",
                             found=args.source or "no --source")
        if re.search(r"://[^/@]*:[^/@]*@", args.dsn) or "password=" in args.dsn.lower():
            # Reports write their parameters (render.json, _status.json), and the command
            # line is visible to every user of the machine.
            raise InputError("--dsn", "the DSN holds a password",
                             expected="the password in PGPASSWORD or ~/.pgpass and a DSN "
                                      "such as postgresql://user@host:5432/db")
        return args.source, args.dsn
    if args.source:
        return args.source, args.input
    raise InputError("input", "no input given",
                     expected="--messages FILE, --source NAME [--input FILE], --mapping FILE, "
                              "--query FILE or --source chatwoot|zammad --dsn DSN")


def _timestamp(text, option):
    try:
        value = pd.Timestamp(text)
    except ValueError:
        raise InputError(option, "not a timestamp", expected="ISO 8601", found=text) from None
    if value.tzinfo is None:
        raise InputError(option, "the timestamp has no UTC offset",
                         expected="an offset such as -03:00 or Z", found=text)
    return value.tz_convert("UTC")


def report_calendar(args, source, path) -> tuple[str, str]:
    """The report's time zone and working hours: the options, else what the source sets
    (Chatwoot: the zone and week its inboxes share, see ``chatwoot_calendar``), else the
    defaults. Either way they are printed in every report."""
    tz, hours = args.tz, args.hours
    if source == "chatwoot" and path and (tz is None or hours is None):
        from analytics.load.sources.helpdesks import chatwoot_calendar

        offered = chatwoot_calendar(path)
        tz, hours = tz or offered["tz"], hours or offered["hours"]
    return tz or DEFAULT_TZ[source], hours or Settings.hours


def settings_from_args(args, hours=None) -> Settings:
    return Settings(hours=hours or args.hours or Settings.hours, holidays=args.holidays, closed_dates=tuple(args.closed),
                    sla=args.sla, repeat_window_days=args.repeat_window, cohort=args.cohort,
                    as_of=_timestamp(args.as_of, "--as-of") if args.as_of else None,
                    inactivity=args.inactivity,
                    frequent_k=args.frequent_k if args.frequent_k is not None
                    else Settings.frequent_k,
                    public_channels=tuple(args.public_channels or ()),
                    cost_table=read_cost_table(args.cost_table) if args.cost_table else {})


def _today(args):
    if not args.today:
        return None
    try:
        return pd.Timestamp(args.today).date()
    except ValueError:
        raise InputError("--today", "not a date", expected="YYYY-MM-DD", found=args.today) from None


def cmd_metrics(args) -> int:
    source, path = _resolve_input(args)
    tz, hours = report_calendar(args, source, path)
    period = parse_period(args.period, tz, today=_today(args))
    settings = settings_from_args(args, hours)
    log, settings = open_for_period(source, path, events=args.events,
                                    self_service=args.self_service, source_tz=args.source_tz,
                                    period=period, settings=settings)
    summary = build_summary(analyse(log, settings, tz), period)
    if args.json:
        json.dump(summary, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(_describe(summary))
    return 0


def _minutes(seconds):
    return "n/a" if seconds is None else f"{seconds / 60:,.1f} min"


def _describe(summary) -> str:
    """A few plain lines for a terminal (the JSON has everything)."""
    frt = summary["first_response"]
    rep = summary["repeat_contacts"]
    rate = "n/a" if rep["rate"] is None else f"{rep['rate']:.1%}"
    return "\n".join([
        f"{summary['source']} · {summary['period']['label']} ({summary['period']['tz']})"
        + (" · SYNTHETIC DATA" if summary["synthetic"] else ""),
        f"contacts {summary['contacts']:,} from {summary['customers']:,} known customers",
        f"first response: median {_minutes(frt['median_s'])}, p90 {_minutes(frt['p90_s'])}, "
        f"mean {_minutes(frt['mean_s'])}, n {frt['n']:,}, unanswered {frt['unanswered']:,}",
        f"repeat contacts ({rep['window_days']:g} days): {rate} of {rep['eligible']:,} eligible",
    ])


def cmd_render(args) -> int:
    return render_from_args(args)


def cmd_demo(args) -> int:
    from analytics.synthetic import write_demo

    write_demo(args.output, seed=args.seed)
    print(f"wrote the synthetic demo company to {args.output}")
    return 0


def cmd_intents(args) -> int:
    """Classify the intent of each row's text; write the input columns plus ``intent`` and
    ``intent_probability`` (the classifier's calibrated probability of that intent)."""
    from pathlib import Path

    from analytics.text import detect_language
    from analytics.text.intent_model import classify

    source = Path(args.input)
    if not source.is_file():
        raise InputError(args.input, "file not found", expected="a CSV file")
    try:
        frame = pd.read_csv(source, dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise InputError(args.input, f"not a readable CSV ({exc.__class__.__name__})",
                         expected="a UTF-8 CSV with a header") from None
    for column in (args.text_column, args.lang_column):
        if column is not None and column not in frame.columns:
            raise InputError(args.input, "column not found", column=column,
                             expected=", ".join(frame.columns) or "a header row")
    out = frame.copy()
    texts = frame[args.text_column].astype(object)
    if args.lang_column:
        langs = frame[args.lang_column].astype(object)
    else:
        langs = detect_language(texts)
        out["lang_detected"] = langs
    read = classify(texts, langs, cache_path=args.cache)
    out["intent"] = read["intent"]
    out["intent_probability"] = read["probability"].round(4)
    target = Path(args.output)
    if target.resolve() == source.resolve():
        raise InputError(args.output, "the output would overwrite the input",
                         expected="another file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            out.to_csv(handle, index=False)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    counts = out["intent"].value_counts().reindex(["how_to", "problem", "other"], fill_value=0)
    print(f"wrote {len(out):,} rows to {target}: " + ", ".join(
        f"{k} {v:,}" for k, v in counts.items()) + f", no text {int(out['intent'].isna().sum()):,}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    metrics = commands.add_parser("metrics", help="print the headline figures of a period")
    _add_input_options(metrics)
    _add_setting_options(metrics)
    metrics.add_argument("--json", action="store_true", help="print the JSON contract")
    metrics.set_defaults(func=cmd_metrics)

    render = commands.add_parser("render", help="render the report notebooks into HTML")
    _add_input_options(render)
    _add_setting_options(render)
    render.set_defaults(period=None)
    for action in render._actions:
        if action.dest == "period":
            action.required = False
    render.add_argument("--defaults", action="store_true",
                        help="render every default report of notebooks/registry.toml")
    render.add_argument("--lang", choices=("en", "pt-BR"), default="en")
    render.add_argument("--notebooks", "--only", dest="notebooks", nargs="*",
                        help="only these notebooks (by name)")
    render.add_argument("--registry", help="report registry (default notebooks/registry.toml)")
    render.add_argument("--continue-on-error", dest="continue_on_error", action="store_true",
                        help="with several reports (--defaults), render the rest after a failure")
    render.add_argument("--require-complete", dest="require_complete", action="store_true",
                        help="postpone (exit 3, no report written) when the data does not reach "
                             "the period's last local day; for scheduled runs")
    render.add_argument("--ignore-pause", dest="ignore_pause", action="store_true",
                        help="render even when OUTPUT/PAUSED exists")
    render.add_argument("--output", default="reports", help="output folder (default reports/)")
    render.add_argument("--name", help="report folder name (default: the mapping's [input] "
                                       "name, else the source)")
    render.add_argument("--replace", action="store_true",
                        help="publish over a report of another input under the same name, or "
                             "over a report with contacts when this one has none")
    render.add_argument("--raw-ids", dest="raw_ids", action="store_true",
                        help="publish the source's customer and agent ids (default: keyed "
                             "pseudonyms)")
    render.add_argument("--id-key", dest="id_key",
                        help="key file of the pseudonyms (default "
                             "~/.config/support-analytics/id-key, made on first use)")
    render.add_argument("--agents", help="agents table (CSV: agent_id, name): agents are "
                                         "shown by name, else by pseudonym")
    render.add_argument("--workers", type=int, default=2, help="notebooks executed at once")
    from analytics.publish.delivery import add_options

    add_options(render)
    render.set_defaults(func=cmd_render)

    demo = commands.add_parser("demo", help="(re)write the synthetic demo company files")
    demo.add_argument("--output", default="data/demo")
    demo.add_argument("--seed", type=int, default=7)
    demo.set_defaults(func=cmd_demo)

    intents = commands.add_parser(
        "intents", help="classify each message as how_to, problem or other (docs/intents.md)")
    intents.add_argument("--input", required=True, help="CSV with a text column")
    intents.add_argument("--text-column", dest="text_column", default="text",
                         help="column holding the message text (default: text)")
    intents.add_argument("--lang-column", dest="lang_column",
                         help="column with the language (pt, pt-BR, en, en-US...); detected "
                              "when absent and written as lang_detected")
    intents.add_argument("--output", required=True,
                         help="CSV to write: every input column plus intent")
    intents.add_argument("--cache", default=None,
                         help="Parquet file of results already computed, keyed by a hash of "
                              "each message: only unseen messages are classified, and added "
                              "(default: $ANALYTICS_INTENT_CACHE if set; docs/intents.md)")
    intents.set_defaults(func=cmd_intents)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DataNotCompleteError as exc:
        print(f"postponed: {exc}", file=sys.stderr)
        return 3
    except ReportLockedError as exc:
        print(f"locked: {exc}", file=sys.stderr)
        return 4
    except OperationalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 5
    except OSError as exc:  # permissions, a full disk: the machine, not the input
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: cannot read or write {where}{exc.strerror or exc}; the last good report "
              "is unchanged", file=sys.stderr)
        return 5


def _parameters_from_args(args) -> dict:
    if any((args.messages, args.mapping, args.query, args.dsn, args.source, args.input)):
        source, path = _resolve_input(args)
    else:
        source, path = "demo", None
    tz, hours = report_calendar(args, source, path)
    params = {"source": source, "input_path": path or "", "events_path": args.events or "",
              "self_service_path": args.self_service or "", "period": args.period,
              "tz": tz, "lang": args.lang, "hours": hours,
              "holidays": args.holidays or "", "sla": args.sla,
              "repeat_window": float(args.repeat_window), "cohort": args.cohort,
              "as_of": args.as_of or ""}
    if args.source_tz:
        params["source_tz"] = args.source_tz
    if args.frequent_k is not None:
        params["frequent_k"] = args.frequent_k
    if args.public_channels:
        params["public_channels"] = list(args.public_channels)
    if args.cost_table:
        params["cost_table"] = read_cost_table(args.cost_table)
    if args.agents:
        params["agents_path"] = args.agents
    return params


def render_from_args(args) -> int:
    """The ``render`` command: one report, or every default of the registry.

    Exit status: 0 all published (or paused by the gate file), 1 a report failed, 2 a user's
    mistake or a refused publication (another input under the name, a worse report), 3
    postponed (the data is not complete yet), 4 another run holds the report's lock, 5 an
    operational failure (permissions, full disk, a PAUSED that is not a file). E-mail
    (:mod:`analytics.publish.delivery`) never changes it: a digest or notice that cannot be
    sent is one ``mail: not sent`` line. With several reports the run stops at the first
    failure unless ``--continue-on-error``.
    """
    today = pd.Timestamp(args.today).date() if args.today else None
    reason = None if args.ignore_pause else paused(args.output)
    if reason is not None:
        print(f"paused: {Path(args.output) / PAUSE_FILE} exists ({reason}); nothing rendered. "
              f"Remove the file to resume scheduled runs.", file=sys.stderr)
        return 0
    registry_path = Path(args.registry) if args.registry else paths.registry_path()
    from analytics.publish.delivery import deliver, delivery_from_args

    delivery = delivery_from_args(args, load_registry(registry_path))
    if args.defaults:
        jobs = [dict(entry) for entry in load_registry(registry_path).get("defaults", [])]
    else:
        if not args.period:
            raise InputError("--period", "no period given", expected="e.g. 2024-11 or last-month")
        jobs = [_parameters_from_args(args)]
    failed = postponed = False
    for params in jobs:
        started = time.perf_counter()
        source = params.get("source", "demo")
        tz = params.get("tz") or DEFAULT_TZ.get(source, "UTC")
        label = parse_period(params["period"], tz, today=today).label
        name = report_name(source, params.get("input_path", ""),
                           params.pop("name", None) or args.name)
        where = {**params, "period": label}
        try:
            folder = render_report(params, notebooks=args.notebooks, output=args.output,
                                   workers=args.workers, today=today,
                                   registry_path=registry_path,
                                   require_complete=args.require_complete, name=name,
                                   replace=args.replace, raw_ids=args.raw_ids,
                                   id_key=args.id_key, pdf=delivery.pdf)
        except DataNotCompleteError as exc:
            record_status(args.output, name, label, "postponed", str(exc))
            line = f"postponed: {name} {label}: {exc}"
            print(line, file=sys.stderr)
            deliver(delivery, state="postponed", where=where, output=args.output, line=line)
            postponed = True
            continue
        except RenderError as exc:
            record_status(args.output, name, label, "failed", str(exc))
            print(f"error: {exc}", file=sys.stderr)
            deliver(delivery, state="failed", where=where, output=args.output,
                    line=f"error: {exc}")
        except InputError as exc:
            deliver(delivery, state="failed", where=where, output=args.output,
                    line=f"error: {exc}", exit_status=2)
            raise
        except (ReportLockedError, OperationalError, OSError):
            raise
        except Exception as exc:  # a bug, not the user's mistake: show the traceback in the log
            record_status(args.output, name, label, "failed", f"{type(exc).__name__}: {exc}")
            traceback.print_exc()
            deliver(delivery, state="failed", where=where, output=args.output,
                    line=f"{type(exc).__name__}: {exc}")
        else:
            print(f"rendered {folder} in {time.perf_counter() - started:.1f} s")
            deliver(delivery, state="published", where=where, output=args.output,
                    folder=folder)
            continue
        failed = True
        if not args.continue_on_error:
            break
    if failed or postponed:
        write_index(args.output)  # show the notice
    return 1 if failed else 3 if postponed else 0
