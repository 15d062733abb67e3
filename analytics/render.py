"""Render the report notebooks into HTML pages, atomically.

One run = one input, one period, the notebooks of ``notebooks/registry.toml``:

1. the parameters are checked against each notebook's ``parameters`` cell, and the data is
   loaded and analysed once here, so a bad input fails before any kernel starts;
2. the notebooks execute with papermill (two at a time) into a temporary folder next to the
   destination;
3. only when every notebook succeeded are they converted to HTML (code hidden) and the folder
   renamed into ``<output>/<source>/<period>/``, replacing an earlier render of that period;
4. on failure the executed notebooks are kept under ``<output>/_failed/`` with the error, the
   run exits non-zero, and the last good report is left untouched.

The renderer knows nothing of metrics beyond writing ``summary.json`` and
``conversations.csv`` from the same :func:`analytics.report.prepare` the notebooks call.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import os
import shutil
import sys
import tempfile
import time
import tomllib
import traceback
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pandas as pd

from analytics.errors import DataNotCompleteError, InputError
from analytics.inputs import DEFAULT_TZ
from analytics.period import parse_period
from analytics.report import prepare
from analytics.style import format_count, format_datetime, format_duration, format_percent

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = ROOT / "notebooks" / "registry.toml"
TEMPLATES = Path(__file__).resolve().parent / "templates"
DEFINITIONS = ROOT / "docs" / "metrics.md"

#: Parameters every report notebook declares, in order.
PARAMETERS = ("source", "input_path", "events_path", "self_service_path", "source_tz", "period",
              "tz", "lang", "hours", "holidays", "sla", "repeat_window", "cohort", "as_of",
              "channels", "public_channels", "frequent_k", "cost_table")
CELL_TIMEOUT_S = 300

LABELS = {
    "en": {"home": "All reports", "definitions": "Metric definitions and caveats",
           "synthetic": "SYNTHETIC DATA: not real customers", "index_title": "Support reports",
           "rendered": "Rendered", "as_of": "figures as of", "contacts": "Contacts", "frt": "Median first response",
           "unanswered": "Unanswered", "repeat": "Repeat contact rate", "period": "Period",
           "pages": "Pages", "trend": "Median first response by period",
           "not_updated": "Not updated: the latest run of these reports did not publish, so "
                          "the pages below may be older than expected.",
           "failed": "failed", "postponed": "postponed, the data was not complete yet"},
    "pt-BR": {"home": "Todos os relatórios", "definitions": "Definições das métricas e ressalvas",
              "synthetic": "DADOS SINTÉTICOS: não são clientes reais",
              "index_title": "Relatórios de atendimento", "rendered": "Gerado em",
              "as_of": "números calculados em", "contacts": "Contatos", "frt": "Mediana da primeira resposta",
              "unanswered": "Sem resposta", "repeat": "Taxa de contato repetido",
              "period": "Período", "pages": "Páginas",
              "trend": "Mediana da primeira resposta por período",
              "not_updated": "Não atualizado: a última execução destes relatórios não foi "
                             "publicada; as páginas abaixo podem ser mais antigas que o esperado.",
              "failed": "falhou", "postponed": "adiado, os dados ainda não estavam completos"},
}


class RenderError(Exception):
    """A notebook failed; the message says which, why, and where the failed copy is."""


#: A file in the output folder that pauses scheduled runs without editing code or cron.
PAUSE_FILE = "PAUSED"
STATUS_FILE = "_status.json"


def load_registry(path=REGISTRY) -> dict:
    """The report registry: ``notebooks`` (name -> file, title, owner) and ``defaults``."""
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def _execute(notebook: Path, output: Path, parameters: dict) -> str | None:
    """Execute one notebook (in a worker process); return an error text or None."""
    import papermill
    from traitlets.config import Config

    # IPC sockets in a private temporary folder (short: socket paths are limited to 107
    # bytes): the kernel is not reachable over the network, and ipykernel does not warn on
    # stderr about an unencrypted TCP kernel. nbclient owns the kernel manager, so it shuts the
    # kernel down; the folder goes with the run.
    sockets = tempfile.mkdtemp(prefix="sa-kernel-")
    config = Config({"KernelManager": {"transport": "ipc", "ip": f"{sockets}/k"}})
    try:
        papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters, kernel_name="python3",
            config=config,
            cwd=str(ROOT), execution_timeout=CELL_TIMEOUT_S, progress_bar=False,
            log_output=False, report_mode=False)
    except papermill.PapermillExecutionError as exc:
        return f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # a dead kernel or a timeout is a failed report, not a crash
        return f"{type(exc).__name__}: {exc}"
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
    return None


def check_parameters(paths, parameters: dict):
    """Refuse parameters a notebook does not declare (papermill would only warn)."""
    import papermill

    for path in paths:
        declared = set(papermill.inspect_notebook(str(path)))
        unknown = sorted(set(parameters) - declared)
        if unknown:
            raise InputError(path.name, "unknown report parameter(s) " + ", ".join(unknown),
                             expected=", ".join(sorted(declared)))


def render_report(parameters: dict, *, notebooks=None, output="reports", workers=2,
                  today=None, registry_path=REGISTRY, require_complete=False) -> Path:
    """Render one report folder and return its path; raise RenderError on a failed notebook.

    ``parameters`` are notebook parameters (see :data:`PARAMETERS`); a relative period
    (``last-month``) is resolved against ``today`` first so the folder has a concrete name.
    ``registry_path`` names the registry; its notebooks live in the same folder.
    ``require_complete`` raises :class:`DataNotCompleteError` (the run is *postponed*, nothing
    is written) when the data ends before the period does; a notebook raising that error
    postpones the run the same way.
    """
    registry_path = Path(registry_path)
    registry = load_registry(registry_path)
    names = list(notebooks or registry["notebooks"])
    unknown = [n for n in names if n not in registry["notebooks"]]
    if unknown:
        raise InputError("--notebooks", f"unknown notebook(s) {', '.join(unknown)}",
                         expected=", ".join(registry["notebooks"]))
    params = dict(parameters)
    source = params.get("source", "demo")
    params["tz"] = params.get("tz") or DEFAULT_TZ.get(source, "UTC")
    period = parse_period(params["period"], params["tz"], today=today)
    params["period"] = period.label
    for key in ("input_path", "events_path", "self_service_path"):
        if params.get(key):  # the kernel runs in the repository root
            params[key] = str(Path(params[key]).resolve())
    sources = {name: registry_path.parent / registry["notebooks"][name]["file"]
               for name in names}
    missing = [str(path) for path in sources.values() if not path.exists()]
    if missing:
        raise InputError(registry_path, "notebook file(s) not found: " + ", ".join(missing))
    check_parameters(sources.values(), params)
    lang = params.get("lang", "en")

    report = prepare(**params)  # validates the input before any kernel starts
    if require_complete and report.summary.get("warnings"):
        raise DataNotCompleteError(
            f"the data ends at {report.summary['as_of']}, before the end of {period.label} "
            f"({period.end.isoformat()}); run again when the data is complete")
    output = Path(output)
    final = output / source / period.slug
    final.parent.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    work = final.parent / f".tmp-{period.slug}-{stamp}-{os.getpid()}"
    (work / "executed").mkdir(parents=True)
    try:
        started = time.perf_counter()
        errors = _execute_all(sources, work, params, workers)
        postponed = {name: e for name, e in errors.items()
                     if e.startswith(DataNotCompleteError.__name__)}
        if postponed:
            raise DataNotCompleteError("; ".join(f"notebook {name}: {error}"
                                                 for name, error in postponed.items()))
        if errors:
            kept = _keep_failed(work, output, source, period.slug, stamp, errors)
            raise RenderError(
                "; ".join(f"notebook {name} failed ({error})" for name, error in errors.items())
                + f". The failed notebooks are in {kept}; the last good report in {final} "
                "is unchanged.")
        _write_data(report, work)
        for name in names:
            _to_html(work / "executed" / f"{name}.ipynb", work / f"{name}.html", name,
                     registry, report, lang)
        (work / "render.json").write_text(json.dumps({
            "rendered_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - started, 1),
            "notebooks": names, "parameters": params}, indent=2, ensure_ascii=False))
        _publish(work, final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    record_status(output, params, "published")
    write_definitions(output)
    write_index(output, lang=lang)
    return final


def _execute_all(sources, work, params, workers) -> dict:
    jobs = {name: (path, work / "executed" / f"{name}.ipynb") for name, path in sources.items()}
    if workers <= 1 or len(jobs) == 1:
        results = {name: _execute(src, out, params) for name, (src, out) in jobs.items()}
    else:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
            futures = {name: pool.submit(_execute, src, out, params)
                       for name, (src, out) in jobs.items()}
            results = {name: future.result() for name, future in futures.items()}
    return {name: error for name, error in results.items() if error}


def _keep_failed(work, output, source, slug, stamp, errors) -> Path:
    kept = output / "_failed" / source / f"{slug}-{stamp}"
    kept.mkdir(parents=True, exist_ok=True)
    for executed in (work / "executed").glob("*.ipynb"):
        shutil.copy2(executed, kept / executed.name)
    (kept / "errors.txt").write_text(
        "".join(f"{name}: {error}\n" for name, error in errors.items()))
    return kept


def _write_data(report, work):
    (work / "summary.json").write_text(json.dumps(report.summary, indent=2, ensure_ascii=False))
    contacts = report.contacts.copy()
    for column in contacts.select_dtypes("datetimetz").columns:
        contacts[column] = contacts[column].dt.tz_convert(report.period.tz)
    contacts.to_csv(work / "conversations.csv", index=False)


def _to_html(executed: Path, target: Path, name, registry, report, lang):
    from nbconvert import HTMLExporter

    nb = nbformat.read(executed, as_version=4)
    entry = registry["notebooks"][name]
    title = entry["title"].get(lang, entry["title"]["en"])
    nb.metadata["title"] = f"{title} · {report.period.label}"
    # The notebook's own title cell names the page in both languages for analysts; the reader
    # gets it in the report's language only.
    for cell in nb.cells:
        if "title" in cell.metadata.get("tags", []):
            cell.source = f"# {title}"
    labels = LABELS.get(lang, LABELS["en"])
    exporter = HTMLExporter(template_name="report", extra_template_basedirs=[str(TEMPLATES)],
                            exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    summary = report.summary
    resources = {
        "language_code": lang.split("-")[0],
        "report": {
            "index_href": "../../index.html", "home_label": labels["home"],
            "source_label": report.log.source, "period_label": f"{report.period.label} "
                                                              f"({report.period.tz})",
            "synthetic": report.log.synthetic, "synthetic_label": labels["synthetic"],
            "definitions_href": "../../definitions.html",
            "definitions_label": labels["definitions"],
            "footer_text": html.escape(f"{report.log.description} · {labels['as_of']} "
                                       f"{format_datetime(summary['as_of'], report.period.tz, lang)} · "
                                       f"{labels['rendered']} "
                                       f"{dt.date.today().isoformat()}"),
        },
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    target.write_text(body, encoding="utf-8")


def _publish(work: Path, final: Path):
    """Swap the new folder in by renames; the old one is removed only after the swap."""
    (work / "executed").rename(work / "notebooks")
    old = None
    if final.exists():
        old = final.with_name(f".old-{final.name}-{os.getpid()}")
        final.rename(old)
    work.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_definitions(output):
    """Publish docs/metrics.md as ``definitions.html`` beside the reports."""
    import mistune

    text = DEFINITIONS.read_text(encoding="utf-8") if DEFINITIONS.exists() else "# Definitions"
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Definitions'
            f'</title><style>{_INDEX_CSS}</style></head><body><main>'
            f'{mistune.html(text)}</main></body></html>')
    (Path(output) / "definitions.html").write_text(page, encoding="utf-8")


_INDEX_CSS = """body{font-family:"DejaVu Sans","Segoe UI",Arial,sans-serif;color:#222;margin:0}
main{max-width:1020px;margin:0 auto;padding:16px}table{border-collapse:collapse;margin:8px 0 24px}
th,td{border-bottom:1px solid #ddd;padding:4px 10px;text-align:right}th:first-child,
td:first-child{text-align:left}code,pre{background:#f5f5f5}
.synthetic{background:#fff3cd;color:#664d03;padding:1px 6px;border-radius:4px;font-size:12px}
.notice{background:#f8d7da;color:#58151c;padding:8px 12px;border-radius:4px;margin:8px 0}"""


def write_index(output, *, lang="en"):
    """``index.html``: every rendered period per source with its headline figures and a trend
    built from the ``summary.json`` files already published."""
    output = Path(output)
    labels = LABELS.get(lang, LABELS["en"])
    rows = []
    for path in sorted(output.glob("*/*/summary.json")):
        if path.parts[-3].startswith(("_", ".")) or path.parts[-2].startswith("."):
            continue
        summary = json.loads(path.read_text(encoding="utf-8"))
        pages = sorted(p.stem for p in path.parent.glob("*.html"))
        rows.append((path.parent.relative_to(output), summary, pages))
    sections = []
    for source in sorted({str(folder.parts[0]) for folder, _, _ in rows}):
        mine = sorted((r for r in rows if r[0].parts[0] == source),
                      key=lambda r: r[1]["period"]["start"])
        body = []
        for folder, summary, pages in mine:
            frt = summary["first_response"]
            links = " · ".join(f'<a href="{html.escape(str(folder / p))}.html">{html.escape(p)}</a>'
                               for p in pages)
            body.append(
                f"<tr><td>{html.escape(summary['period']['label'])}</td>"
                f"<td>{format_count(summary['contacts'], lang)}</td>"
                f"<td>{format_duration(frt['median_s'], lang)}</td>"
                f"<td>{format_count(frt['unanswered'], lang)}</td>"
                f"<td>{format_percent(summary['repeat_contacts']['rate'], lang)}</td>"
                f"<td>{links}</td></tr>")
        synthetic = any(s["synthetic"] for _, s, _ in mine)
        badge = f' <span class="synthetic">{labels["synthetic"]}</span>' if synthetic else ""
        trend = _trend_image([s for _, s, _ in mine], labels["trend"])
        sections.append(
            f"<h2>{html.escape(source)}{badge}</h2><p>{html.escape(mine[-1][1]['description'])}"
            f"</p><table><tr><th>{labels['period']}</th><th>{labels['contacts']}</th>"
            f"<th>{labels['frt']}</th><th>{labels['unanswered']}</th><th>{labels['repeat']}</th>"
            f"<th>{labels['pages']}</th></tr>{''.join(body)}</table>{trend}")
    page = (f'<!DOCTYPE html><html lang="{lang.split("-")[0]}"><head><meta charset="utf-8">'
            f'<title>{labels["index_title"]}</title><style>{_INDEX_CSS}</style></head><body><main>'
            f'<h1>{labels["index_title"]}</h1>{_status_notice(output, labels)}{"".join(sections)}'
            f'<p><a href="definitions.html">{labels["definitions"]}</a></p></main></body></html>')
    (output / "index.html").write_text(page, encoding="utf-8")


def _status_notice(output: Path, labels: dict) -> str:
    """A visible notice for periods whose latest run failed or was postponed ('' if none)."""
    path = output / STATUS_FILE
    status = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    items = [f"<li>{html.escape(key)}: {labels[entry['state']]} ({html.escape(entry['at'])})"
             "</li>" for key, entry in sorted(status.items()) if entry["state"] != "published"]
    if not items:
        return ""
    return (f'<div class="notice"><strong>{labels["not_updated"]}</strong><ul>{"".join(items)}'
            "</ul></div>")


def _trend_image(summaries, title) -> str:
    """A small PNG (inline) of the median first response across periods; '' for < 2 periods."""
    points = [(s["period"]["label"], s["first_response"]["median_s"]) for s in summaries
              if s["first_response"]["median_s"] is not None]
    if len(points) < 2:
        return ""
    import matplotlib

    matplotlib.use("Agg")  # the index is drawn in the CLI process, not in a notebook
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 2.2), dpi=100)
    ax.plot([p for p, _ in points], [v / 60 for _, v in points], marker="o", color="#1f77b4")
    ax.set_ylabel("min")
    ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode()
    return f'<img alt="{html.escape(title)}" src="data:image/png;base64,{data}">'


def _parameters_from_args(args) -> dict:
    if args.messages:
        source, path = "messages", args.messages
    elif args.mapping:
        source, path = "mapping", args.mapping
    else:
        source, path = (args.source or "demo"), args.input
    params = {"source": source, "input_path": path or "", "events_path": args.events or "",
              "self_service_path": args.self_service or "", "period": args.period,
              "tz": args.tz or DEFAULT_TZ[source], "lang": args.lang, "hours": args.hours,
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
        from analytics.cli import cost_table

        params["cost_table"] = cost_table(args.cost_table)
    return params


def paused(output) -> str | None:
    """The reason scheduled runs are paused (the text of ``<output>/PAUSED``), or None."""
    gate = Path(output) / PAUSE_FILE
    if not gate.exists():
        return None
    return gate.read_text(encoding="utf-8").strip() or "no reason given"


def record_status(output, params: dict, state: str, message: str = ""):
    """Keep the latest outcome per source and period in ``<output>/_status.json``.

    ``state`` is published, failed or postponed. The index shows a notice for periods whose
    latest run did not publish, so a reader never takes a stale page for this week's.
    """
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    path = output / STATUS_FILE
    status = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    key = f"{params.get('source', 'demo')}/{params.get('period')}"
    status[key] = {"state": state, "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                   "message": message}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(status, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def render_from_args(args) -> int:
    """The ``render`` command: one report, or every default of the registry.

    Exit status: 0 all published (or paused by the gate file), 1 a report failed, 2 a user's
    mistake, 3 postponed (the data is not complete yet). With several reports the run stops at
    the first failure unless ``--continue-on-error``.
    """
    today = pd.Timestamp(args.today).date() if args.today else None
    reason = None if args.ignore_pause else paused(args.output)
    if reason is not None:
        print(f"paused: {Path(args.output) / PAUSE_FILE} exists ({reason}); nothing rendered. "
              f"Remove the file to resume scheduled runs.", file=sys.stderr)
        return 0
    registry_path = Path(args.registry) if args.registry else REGISTRY
    if args.defaults:
        jobs = [dict(entry) for entry in load_registry(registry_path).get("defaults", [])]
    else:
        if not args.period:
            raise InputError("--period", "no period given", expected="e.g. 2024-11 or last-month")
        jobs = [_parameters_from_args(args)]
    failed = postponed = False
    for params in jobs:
        started = time.perf_counter()
        tz = params.get("tz") or DEFAULT_TZ.get(params.get("source", "demo"), "UTC")
        label = parse_period(params["period"], tz, today=today).label
        where = {**params, "period": label}
        try:
            folder = render_report(params, notebooks=args.notebooks, output=args.output,
                                   workers=args.workers, today=today,
                                   registry_path=registry_path,
                                   require_complete=args.require_complete)
        except DataNotCompleteError as exc:
            record_status(args.output, where, "postponed", str(exc))
            print(f"postponed: {where['source']} {label}: {exc}", file=sys.stderr)
            postponed = True
            continue
        except RenderError as exc:
            record_status(args.output, where, "failed", str(exc))
            print(f"error: {exc}", file=sys.stderr)
        except InputError:
            raise
        except Exception as exc:  # a bug, not the user's mistake: show the traceback in the log
            record_status(args.output, where, "failed", f"{type(exc).__name__}: {exc}")
            traceback.print_exc()
        else:
            print(f"rendered {folder} in {time.perf_counter() - started:.1f} s")
            continue
        failed = True
        if not args.continue_on_error:
            break
    if failed or postponed:
        write_index(args.output, lang=jobs[-1].get("lang", "en"))  # show the notice
    return 1 if failed else 3 if postponed else 0
