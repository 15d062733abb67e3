"""The state of scheduled runs beside the reports: the pause gate (``PAUSED``) and the latest
outcome of every report (``_status.json``), which the index shows as "not updated" notices.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

#: A file in the output folder that pauses scheduled runs without editing code or cron.
PAUSE_FILE = "PAUSED"


STATUS_FILE = "_status.json"


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
