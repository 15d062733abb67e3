"""Render the report notebooks into HTML pages, atomically.

One run = one input, one period, the notebooks of the registry:

1. the parameters are checked against each notebook's ``parameters`` cell, and the data is
   loaded and analysed once here, so a bad input fails before any kernel starts;
2. the notebooks execute with papermill (two at a time) into a temporary folder next to the
   destination;
3. only when every notebook succeeded are they converted to HTML (code hidden) and the folder
   renamed into ``<output>/<name>/<period>/``, replacing an earlier render of that period
   (a render of some notebooks only, ``--only``, keeps the other pages of the earlier one);
4. on failure the executed notebooks are kept under ``<output>/_failed/`` with the error, the
   run exits non-zero, and the last good report is left untouched.

The guards of :mod:`analytics.publish.guard` hold around steps 2-3: one run per report (a lock
file), no other input under the report's name and no worse report over a good one (unless
``replace``), and the leftovers of killed runs removed. Customer and agent ids are published
as pseudonyms (:mod:`analytics.publish.pseudonym`) unless ``raw_ids``.

The renderer knows nothing of metrics beyond writing ``summary.json`` and
``conversations.csv`` from the same :func:`analytics.report.context.prepare` the notebooks call.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import html
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pandas as pd

from analytics import paths
from analytics.errors import DataNotCompleteError, InputError
from analytics.load.log import DEFAULT_TZ
from analytics.period import parse_period
from analytics.publish.guard import (
    SOCKET_PREFIX,
    ReportLock,
    input_fingerprint,
    refuse_other_input,
    refuse_worse_report,
    remove_leftovers,
    report_name,
)
from analytics.publish.pseudonym import ensure_key
from analytics.publish.registry import check_parameters, load_registry
from analytics.publish.site import write_definitions, write_index
from analytics.publish.status import record_status
from analytics.report.context import prepare
from analytics.report.i18n import strings
from analytics.report.sentences import source_description, source_name
from analytics.report.style import capitalize, format_date, format_datetime, period_name

CELL_TIMEOUT_S = 300


class RenderError(Exception):
    """A notebook failed; the message says which, why, and where the failed copy is."""


_PR_SET_PDEATHSIG = 1


def die_with_parent():
    """Ask Linux to kill this process when its parent dies (``prctl(PR_SET_PDEATHSIG)``).

    Run in each notebook worker and, before ``exec``, in each kernel: a render killed with
    ``kill -9`` then leaves no worker or kernel behind (elsewhere a no-op; the kernels'
    own parent poller still stops them within a second).
    """
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _kernel_manager_class(stderr_log: Path | None = None):
    """nbclient's kernel manager, changed in three ways for unattended runs.

    - The kernel dies with the worker that started it (:func:`die_with_parent`).
    - The kernel process's own stderr goes to ``stderr_log``, not to the cron log: what a
      notebook prints is in the notebook already, and the rest is ipykernel's shutdown noise
      (a tornado "Uncaught exception in ZMQStream callback" when its sockets close first).
    - At shutdown the idle kernel is asked to stop by message only. jupyter_client first sends
      it SIGINT, which ipykernel logs as ``[IPKernelApp] ERROR | KeyboardInterrupt caught in
      kernel.`` into the cron log when it lands during a message handler.
    """
    from jupyter_client.manager import AsyncKernelManager

    class UnattendedKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd, **kw):
            kw["preexec_fn"] = die_with_parent
            if stderr_log is None:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            with open(stderr_log, "ab") as sink:  # the kernel keeps its own copy of the fd
                kw["stderr"] = sink
                return await super()._async_launch_kernel(kernel_cmd, **kw)

        async def _async_interrupt_kernel(self):
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

    return UnattendedKernelManager


def _execute(notebook: Path, output: Path, parameters: dict, owner: int) -> str | None:
    """Execute one notebook (in a worker process of the run ``owner``); return an error text
    or None."""
    import papermill
    from traitlets.config import Config

    # IPC sockets in a private temporary folder (short: socket paths are limited to 107
    # bytes): the kernel is not reachable over the network, and ipykernel does not warn on
    # stderr about an unencrypted TCP kernel. nbclient owns the kernel manager, so it shuts the
    # kernel down; the folder goes with the run.
    sockets = tempfile.mkdtemp(prefix=f"{SOCKET_PREFIX}{owner}-")
    config = Config({"KernelManager": {"transport": "ipc", "ip": f"{sockets}/k"}})
    kernel_log = Path(sockets) / "stderr"
    try:
        papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters, kernel_name="python3",
            config=config, kernel_manager_class=_kernel_manager_class(kernel_log),
            cwd=str(paths.suite_root()), execution_timeout=CELL_TIMEOUT_S, progress_bar=False,
            log_output=False, report_mode=False)
    except papermill.PapermillExecutionError as exc:
        return f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # a dead kernel or a timeout is a failed report, not a crash
        return f"{type(exc).__name__}: {exc}{_last_line(kernel_log)}"
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
    return None


def _last_line(log: Path) -> str:
    """The kernel's last stderr line, for the error of a notebook whose kernel died ('' if
    none)."""
    try:
        lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    return f" (kernel: {lines[-1].strip()})" if lines else ""


def render_report(parameters: dict, *, notebooks=None, output="reports", workers=2,
                  today=None, registry_path=None, require_complete=False, name=None,
                  replace=False, raw_ids=False, id_key=None, pdf=False) -> Path:
    """Render one report folder and return its path; raise RenderError on a failed notebook.

    ``parameters`` are notebook parameters (see :data:`PARAMETERS`); a relative period
    (``last-month``) is resolved against ``today`` first so the folder has a concrete name.
    ``registry_path`` names the registry; its notebooks live in the same folder.
    ``require_complete`` raises :class:`DataNotCompleteError` (the run is *postponed*, no
    report is written) when the data does not reach the period's last local day; a notebook
    raising that error postpones the run the same way. ``pdf`` also publishes
    ``<source>-<period>.pdf`` (:mod:`analytics.publish.pdf`) with the pages, in the same
    atomic rename.

    ``name`` names the report folder (:func:`analytics.publish.guard.report_name`).
    ``replace`` publishes over a report of another input, or over a report with contacts
    when this one has none. ``raw_ids`` publishes the source's customer and agent ids;
    otherwise they are pseudonyms keyed by ``id_key`` (default
    :func:`analytics.publish.pseudonym.default_key_path`, made on first use).
    Raises ReportLockedError when another run renders the same report.
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
    for key in ("input_path", "events_path", "self_service_path", "agents_path"):
        # The kernel runs in the repository root; a database DSN is not a path.
        if params.get(key) and "://" not in str(params[key]):
            params[key] = str(Path(params[key]).resolve())
    name = report_name(source, params.get("input_path", ""), name)
    output = Path(output)
    if not raw_ids:
        params["id_key"] = str(ensure_key(id_key, output=output).resolve())
    sources = {page: registry_path.parent / registry["notebooks"][page]["file"]
               for page in names}
    missing = [str(path) for path in sources.values() if not path.exists()]
    if missing:
        raise InputError(registry_path, "notebook file(s) not found: " + ", ".join(missing))
    check_parameters(sources.values(), params)
    lang = params.get("lang", "en")
    if pdf:
        from analytics.publish.pdf import require_chromium

        require_chromium()

    report = prepare(**params)  # validates the input before any kernel starts
    if require_complete:
        _require_complete(report)
    # A page with nothing measurable for this source is not published; the index says why.
    silent = {page: reasons for page in names if (reasons := report.says_nothing(page))}
    sources = {page: path for page, path in sources.items() if page not in silent}
    rendered_pages = [page for page in names if page not in silent]
    name_folder = output / name
    final = name_folder / period.slug
    fingerprint = input_fingerprint(params)
    with ReportLock(name_folder, period.slug):
        remove_leftovers(name_folder)
        if not replace:
            refuse_other_input(name_folder, fingerprint, name)
            refuse_worse_report(final, report.summary, period)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        run = f"{stamp}-{os.getpid()}"
        work = name_folder / f".tmp-{period.slug}-{run}"
        (work / "executed").mkdir(parents=True)
        try:
            started = time.perf_counter()
            errors = _execute_all(sources, work, params, workers)
            postponed = {page: e for page, e in errors.items()
                         if e.startswith(DataNotCompleteError.__name__)}
            if postponed:
                raise DataNotCompleteError("; ".join(f"notebook {page}: {error}"
                                                     for page, error in postponed.items()))
            if errors:
                kept = _keep_failed(work, output, name, period.slug, stamp, errors)
                raise RenderError(
                    "; ".join(f"notebook {page} failed ({error})"
                              for page, error in errors.items())
                    + f". The failed notebooks are in {kept}; the last good report in {final} "
                    "is unchanged.")
            _write_data(report, work)
            for page in rendered_pages:
                _to_html(work / "executed" / f"{page}.ipynb", work / f"{page}.html", page,
                         registry, report, lang)
            (work / "executed").rename(work / "notebooks")
            rendered_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            record = {"rendered_at": rendered_at,
                      "seconds": round(time.perf_counter() - started, 1),
                      "notebooks": rendered_pages, "parameters": params,
                      "input": {"source": source, "fingerprint": fingerprint},
                      "pages": {page: {"run": run, "rendered_at": rendered_at}
                                for page in rendered_pages},
                      "not_published": {page: {"run": run, "reasons": reasons}
                                        for page, reasons in silent.items()},
                      "runs": {run: params}}
            _keep_other_pages(final, work, names, record)
            if pdf:  # every page of the folder, kept ones too, in the registry's order
                shown = [page for page in registry["notebooks"] if page in record["pages"]]
                _write_pdf(work, shown, registry, lang, final)
            (work / "render.json").write_text(json.dumps(record, indent=2, ensure_ascii=False),
                                              encoding="utf-8")
            _publish(work, final)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    record_status(output, name, period.label, "published")
    write_definitions(output)
    write_index(output)
    return final


#: ``--require-complete`` accepts data that reaches the period's last local day: a day's
#: export that lands before midnight (the demo's ends at 23:11 on 31 October) is complete.
def _require_complete(report):
    """Raise DataNotCompleteError when the cut-off falls before the period's last local day
    (times in the report's zone)."""
    period = report.period
    as_of = pd.Timestamp(report.summary["as_of"]).tz_convert(period.tz)
    if as_of.date() >= period.last_day:
        return
    raise DataNotCompleteError(
        f"the data ends at {as_of:%Y-%m-%d %H:%M} ({period.tz}), before the last day of "
        f"{period.label} ({period.last_day.isoformat()}); run again when the data is complete")


def _keep_other_pages(final: Path, work: Path, names, record: dict):
    """Copy into ``work`` the pages of the published ``final`` this run did not render, with
    their executed notebooks, and their lines of ``render.json`` (which run made them)."""
    if not final.is_dir():
        return
    try:
        previous = json.loads((final / "render.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = {}
    old_run = f"before-{previous.get('rendered_at', 'unknown')}"
    for page_file in sorted(final.glob("*.html")):
        page = page_file.stem
        if page in names:
            continue
        shutil.copy2(page_file, work / page_file.name)
        executed = final / "notebooks" / f"{page}.ipynb"
        if executed.exists():
            shutil.copy2(executed, work / "notebooks" / executed.name)
        made = previous.get("pages", {}).get(page) or {
            "run": old_run, "rendered_at": previous.get("rendered_at")}
        record["pages"][page] = made
        record["runs"].setdefault(made["run"], previous.get("runs", {}).get(
            made["run"], previous.get("parameters", {})))
    for page, entry in previous.get("not_published", {}).items():
        if page not in names:
            record["not_published"][page] = entry


def _execute_all(sources, work, params, workers) -> dict:
    owner = os.getpid()
    jobs = {name: (path, work / "executed" / f"{name}.ipynb") for name, path in sources.items()}
    if workers <= 1 or len(jobs) <= 1:
        results = {name: _execute(src, out, params, owner) for name, (src, out) in jobs.items()}
    else:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)),
                                 initializer=die_with_parent) as pool:
            futures = {name: pool.submit(_execute, src, out, params, owner)
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


def _keep_failed(work, output, name, slug, stamp, errors) -> Path:
    kept = output / "_failed" / name / f"{slug}-{stamp}"
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
    nb.metadata["title"] = f"{title} · {period_name(report.period.label, lang)}"
    # The notebook's own title cell names the page in both languages for analysts; the reader
    # gets it in the report's language only.
    for cell in nb.cells:
        if "title" in cell.metadata.get("tags", []):
            cell.source = f"# {title}"
    _describe_images(nb, title)
    labels = strings(lang)["site"]
    exporter = HTMLExporter(template_name="report", extra_template_basedirs=[str(paths.package_file("publish", "templates"))],
                            exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, language_code=lang.split("-")[0])
    summary = report.summary
    resources = {
        "language_code": lang.split("-")[0],
        "report": {
            "index_href": "../../" + labels["index_page"], "home_label": labels["home"],
            "source_label": source_name(report.log.source, lang), "period_label": f"{capitalize(period_name(report.period.label, lang))} "
                            f"({report.period.tz})",
            "synthetic": report.log.synthetic, "synthetic_label": labels["synthetic"],
            "definitions_href": "../../" + labels["definitions_page"],
            "definitions_label": labels["definitions"],
            "footer_text": html.escape(f"{source_description(summary, lang)} · {labels['as_of']} "
                                       f"{format_datetime(summary['as_of'], report.period.tz, lang)} · "
                                       f"{labels['rendered']} "
                                       f"{format_date(dt.date.today(), lang)}"),
        },
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    target.write_text(body, encoding="utf-8")


def _describe_images(nb, title: str):
    """Give every chart the heading of its section as alternative text (``alt``), so a screen
    reader names it in the page's language instead of nbconvert's English placeholder."""
    heading = title

    def follow(text):
        nonlocal heading
        for line in str(text).splitlines():
            if line.startswith("## "):
                heading = line[3:].strip()

    for cell in nb.cells:
        if cell.cell_type == "markdown":
            follow(cell.source)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            follow(data.get("text/markdown", ""))
            if "image/png" in data:
                output.setdefault("metadata", {})["alt"] = heading


def _publish(work: Path, final: Path):
    """Swap the new folder in by renames; the old one is removed only after the swap, and put
    back if the swap fails."""
    old = None
    if final.exists():
        old = final.with_name(f".old-{final.name}-{os.getpid()}")
        final.rename(old)
    try:
        work.rename(final)
    except OSError:
        if old is not None:
            old.rename(final)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
