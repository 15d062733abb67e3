"""What keeps scheduled runs from harming a published report: one name per report and input,
one run per report at a time, no worse report over a better one, and the clean-up of what a
killed run left behind.

A report lives in ``<output>/<name>/<period>/``. The name is ``--name``, else the mapping's
``[input] name``, else the source (``demo``, ``twcs``, ``consumidor_gov``, ``messages``). The
folder's ``render.json`` records a fingerprint of the input that made it; another input is
refused under that name unless the run says ``--replace``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import tomllib
from pathlib import Path

import pandas as pd

from analytics.errors import InputError, ReportLockedError

#: A report name is a plain folder name (the mapping's ``[input] name`` follows the same rule).
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
#: Temporary folders of a run: ``.tmp-<period>-<stamp>-<pid>`` (being built) and
#: ``.old-<period>-<pid>`` (the report it replaces, removed after the swap).
_LEFTOVER = re.compile(r"\.(tmp|old)-.*-(\d+)")
#: Private folders of the kernels' IPC sockets: ``sa-kernel-<pid of the run>-<random>``.
SOCKET_PREFIX = "sa-kernel-"


def report_name(source: str, input_path: str = "", name: str | None = None) -> str:
    """The report's folder name: ``name``, else a mapping's ``[input] name``, else ``source``.

    >>> report_name("twcs")
    'twcs'
    >>> report_name("messages", "log.csv", "north-desk")
    'north-desk'
    """
    if name:
        if not NAME_PATTERN.fullmatch(name):
            raise InputError("--name", f"{name!r} cannot name a report folder",
                             expected="letters, digits, '.', '_' or '-', not starting with "
                                      "'.' or '_'")
        return name
    if source == "mapping" and input_path:
        try:
            with open(input_path, "rb") as handle:
                mapped = tomllib.load(handle).get("input", {}).get("name")
        except (OSError, tomllib.TOMLDecodeError):
            mapped = None  # the mapping loader names the problem when the data is read
        if isinstance(mapped, str) and NAME_PATTERN.fullmatch(mapped):
            return mapped
    return source


def input_fingerprint(params: dict) -> str:
    """A hash of which input a report reads: the source and the resolved paths of its files.

    The files' contents are left out on purpose: a scheduled log grows between runs and
    stays the same input.
    """
    def where(value) -> str:
        # A database DSN (never holding a password: the CLI refuses one) is its own identity.
        if not value:
            return ""
        return str(value) if "://" in str(value) else str(Path(value).resolve())

    identity = {"source": params.get("source", "demo"),
                **{key: where(params.get(key))
                   for key in ("input_path", "events_path", "self_service_path")}}
    text = json.dumps(identity, sort_keys=True)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def refuse_other_input(name_folder: Path, fingerprint: str, name: str):
    """Raise InputError when a report under ``name_folder`` was made from another input."""
    for render in sorted(name_folder.glob("*/render.json")):
        if render.parent.name.startswith("."):
            continue
        recorded = _read_json(render).get("input", {}).get("fingerprint")
        if recorded and recorded != fingerprint:
            raise InputError(
                name_folder, f"the report name {name!r} holds {render.parent.name} of another "
                             "input", expected="--name NAME for this input, or --replace")


def refuse_worse_report(final: Path, summary: dict, period):
    """Raise InputError when ``summary`` (no contacts, or a cut-off before the period starts)
    would replace a published report of ``final`` that has contacts."""
    previous = _read_json(final / "summary.json")
    if not previous.get("contacts"):
        return
    as_of = summary.get("as_of")
    early = as_of is not None and pd.Timestamp(as_of) < period.start
    if summary.get("contacts") and not early:
        return
    why = (f"has a cut-off ({as_of}) before the period starts" if early
           else "has no contacts")
    raise InputError(final, f"the new render {why}; the published report has "
                            f"{previous['contacts']:,} contacts and is kept",
                     expected="--replace to publish it anyway")


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError:  # a half-written file from an old crash: no record
        return {}


def pid_alive(pid: int) -> bool:
    """True when a process ``pid`` exists (ours or another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ReportLock:
    """``<output>/<name>/.lock-<period>``: one run per report at a time.

    The file holds the holder's pid and start time. A second run exits with
    :class:`ReportLockedError` (status 4) rather than wait: cron starts the next run anyway. A
    lock whose pid is dead (a killed run) is taken over.
    """

    def __init__(self, name_folder: Path, slug: str):
        self.path = Path(name_folder) / f".lock-{slug}"

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        holder = {"pid": os.getpid(),
                  "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                other = _read_json(self.path)
                if other.get("pid") and pid_alive(int(other["pid"])):
                    raise ReportLockedError(
                        f"{self.path.parent.name} {self.path.name[6:]} is being rendered by pid "
                        f"{other['pid']} since {other.get('started', '?')} ({self.path}); "
                        "nothing done") from None
                self.path.unlink(missing_ok=True)  # stale: its holder is dead
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(holder, handle)
            return self
        raise ReportLockedError(f"{self.path}: another run took the stale lock first; nothing done")

    def __exit__(self, *exc):
        self.path.unlink(missing_ok=True)
        try:  # a run that published nothing (postponed, refused) leaves no empty folder
            self.path.parent.rmdir()
        except OSError:
            pass


def remove_leftovers(name_folder: Path):
    """Remove the temporary folders of dead runs under ``name_folder`` and their kernel
    socket folders; a folder of a live run (another period being rendered) is left alone."""
    if name_folder.is_dir():
        for path in name_folder.iterdir():
            match = _LEFTOVER.fullmatch(path.name)
            if match and path.is_dir() and not pid_alive(int(match.group(2))):
                shutil.rmtree(path, ignore_errors=True)
    sockets = re.compile(re.escape(SOCKET_PREFIX) + r"(\d+)-.*")
    for path in Path(tempfile.gettempdir()).glob(SOCKET_PREFIX + "*"):
        match = sockets.fullmatch(path.name)
        if match and not pid_alive(int(match.group(1))):
            shutil.rmtree(path, ignore_errors=True)


def write_atomically(path: Path, text: str):
    """Write ``text`` to ``path`` through a temporary file and a rename: a full disk or a kill
    leaves the previous file, never a truncated one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
