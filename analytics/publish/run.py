"""Render the report notebooks into HTML pages, atomically.

One run = one input, one period, the notebooks of the registry:

1. the parameters are checked against each notebook's ``parameters`` cell, and the data is
   loaded and analysed once here, so a bad input fails before any kernel starts;
2. the notebooks execute with papermill (two at a time) into a temporary folder next to the
   destination;
3. only when every notebook succeeded are they converted to HTML (code hidden) and the folder
   renamed into ``<output>/<source>/<period>/``, replacing an earlier render of that period;
4. on failure the executed notebooks are kept under ``<output>/_failed/`` with the error, the
   run exits non-zero, and the last good report is left untouched.

The renderer knows nothing of metrics beyond writing ``summary.json`` and
``conversations.csv`` from the same :func:`analytics.report.context.prepare` the notebooks call.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

from analytics import paths
from analytics.errors import DataNotCompleteError, InputError
from analytics.load.log import DEFAULT_TZ
from analytics.period import parse_period
from analytics.publish.registry import check_parameters, load_registry
from analytics.publish.site import write_definitions, write_index
from analytics.publish.status import record_status
from analytics.report.context import prepare
from analytics.report.i18n import strings
from analytics.report.sentences import source_description, source_name
from analytics.report.style import format_date, format_datetime

CELL_TIMEOUT_S = 300


class RenderError(Exception):
    """A notebook failed; the message says which, why, and where the failed copy is."""


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
            cwd=str(paths.suite_root()), execution_timeout=CELL_TIMEOUT_S, progress_bar=False,
            log_output=False, report_mode=False)
    except papermill.PapermillExecutionError as exc:
        return f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # a dead kernel or a timeout is a failed report, not a crash
        return f"{type(exc).__name__}: {exc}"
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
    return None


def render_report(parameters: dict, *, notebooks=None, output="reports", workers=2,
                  today=None, registry_path=None, require_complete=False,
                  pdf=False) -> Path:
    """Render one report folder and return its path; raise RenderError on a failed notebook.

    ``parameters`` are notebook parameters (see :data:`PARAMETERS`); a relative period
    (``last-month``) is resolved against ``today`` first so the folder has a concrete name.
    ``registry_path`` names the registry; its notebooks live in the same folder.
    ``require_complete`` raises :class:`DataNotCompleteError` (the run is *postponed*, nothing
    is written) when the data ends before the period does; a notebook raising that error
    postpones the run the same way. ``pdf`` also publishes ``<source>-<period>.pdf``
    (:mod:`analytics.publish.pdf`) with the pages, in the same atomic rename.
    """
    registry_path = Path(registry_path) if registry_path else paths.registry_path()
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
        # The kernel runs in the repository root; a database DSN is not a path.
        if params.get(key) and "://" not in str(params[key]):
            params[key] = str(Path(params[key]).resolve())
    sources = {name: registry_path.parent / registry["notebooks"][name]["file"]
               for name in names}
    missing = [str(path) for path in sources.values() if not path.exists()]
    if missing:
        raise InputError(registry_path, "notebook file(s) not found: " + ", ".join(missing))
    check_parameters(sources.values(), params)
    lang = params.get("lang", "en")
    if pdf:
        from analytics.publish.pdf import require_chromium

        require_chromium()

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
        if pdf:
            _write_pdf(work, names, registry, lang, final)
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


def _write_pdf(work, names, registry, lang, final):
    from playwright.sync_api import Error as BrowserError

    from analytics.publish.pdf import write_report_pdf

    titles = [(name, registry["notebooks"][name]["title"].get(
        lang, registry["notebooks"][name]["title"]["en"])) for name in names]
    try:
        write_report_pdf(work, titles, lang=lang)
    except (BrowserError, OSError, ValueError) as exc:
        raise RenderError(f"the PDF could not be made ({type(exc).__name__}: {exc}); the last "
                          f"good report in {final} is unchanged") from None


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
    labels = strings(lang)["site"]
    exporter = HTMLExporter(template_name="report", extra_template_basedirs=[str(paths.package_file("publish", "templates"))],
                            exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, language_code=lang.split("-")[0])
    summary = report.summary
    resources = {
        "language_code": lang.split("-")[0],
        "report": {
            "index_href": "../../index.html", "home_label": labels["home"],
            "source_label": source_name(report.log.source, lang), "period_label": f"{report.period.label} "
                                                              f"({report.period.tz})",
            "synthetic": report.log.synthetic, "synthetic_label": labels["synthetic"],
            "definitions_href": "../../definitions.html",
            "definitions_label": labels["definitions"],
            "footer_text": html.escape(f"{source_description(summary, lang)} · {labels['as_of']} "
                                       f"{format_datetime(summary['as_of'], report.period.tz, lang)} · "
                                       f"{labels['rendered']} "
                                       f"{format_date(dt.date.today(), lang)}"),
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


