"""The state of scheduled runs beside the reports: the pause gate (``PAUSED``) and the latest
outcome of every report (``_status.json``), which the index shows as "not updated" notices.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from analytics.errors import OperationalError
from analytics.publish.guard import write_atomically

#: A file in the output folder that pauses scheduled runs without editing code or cron.
PAUSE_FILE = "PAUSED"


STATUS_FILE = "_status.json"


def paused(output) -> str | None:
    """The reason scheduled runs are paused (the text of ``<output>/PAUSED``), or None.

    A ``PAUSED`` that is not a readable file (a folder, no permission) raises
    :class:`OperationalError`: somebody meant to pause, so nothing is rendered.
    """
    gate = Path(output) / PAUSE_FILE
    if not gate.exists():
        return None
    if not gate.is_file():
        raise OperationalError(f"{gate} is not a file; nothing rendered. Make it a file to "
                               "pause scheduled runs, or remove it to resume")
    try:
        text = gate.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise OperationalError(f"{gate} cannot be read ({exc.strerror}); nothing rendered") \
            from None
    return text.strip() or "no reason given"


def record_status(output, name: str, period: str, state: str, message: str = ""):
    """Keep the latest outcome per report name and period in ``<output>/_status.json``.

    ``state`` is published, failed or postponed. The index shows a notice for periods whose
    latest run did not publish, so a reader never takes a stale page for this week's.
    """
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    path = output / STATUS_FILE
    try:
        status = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except ValueError:  # not ours to repair by hand: start again from this run
        status = {}
    status[f"{name}/{period}"] = {
        "state": state, "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "message": message}
    write_atomically(path, json.dumps(status, indent=2, ensure_ascii=False))
