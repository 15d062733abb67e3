"""The entry points: :func:`generate_demo` runs the generator over a period (needs, contacts,
two rounds of repeat contacts, unknown people, proactive messages, failed self-service) and
validates the log; :func:`write_demo` writes it as the byte-reproducible files of
``data/demo/``.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd

from analytics.load.schema import (
    SupportLog,
    validate_events,
    validate_messages,
    validate_self_service,
)
from analytics.synthetic.conversations import World
from analytics.synthetic.demand import Calendar
from analytics.synthetic.frames import frames

#: The files :func:`write_demo` writes (and nothing else).
DEMO_FILES = ("messages.csv.gz", "events.csv.gz", "self_service.csv.gz")


def generate_demo(*, start="2026-08-01", end="2026-11-01", customers=1500, seed=7,
                  tz="America/Sao_Paulo") -> SupportLog:
    """Generate the synthetic demo company's support log for ``[start, end)``.

    Parameters
    ----------
    start, end : str or Timestamp
        The period (``end`` exclusive); dates without a time zone are local to ``tz``.
        Conversations start in the period and everything after ``end`` is cut, like an export.
    customers : int
        Number of customers who have support needs in the period (self-service-only customers
        and unknown people come on top). The default gives about 6,000 conversations.
    seed : int
        Seed of the random generator: the same arguments give identical frames.
    tz : str
        IANA time zone of the company (business hours, demand profile, output offsets).

    Returns
    -------
    SupportLog
        Validated messages, events and self-service sessions, ``source="demo"``,
        ``synthetic=True``.
    """
    t_start, t_end = _local(start, tz), _local(end, tz)
    if t_end <= t_start:
        raise ValueError(f"end ({end}) must be after start ({start})")
    if int(customers) < 1:
        raise ValueError("customers must be at least 1")
    rng = np.random.default_rng(seed)
    world = World(rng, Calendar(t_start, t_end, tz), int(customers))

    sessions = world.background_sessions()
    first = world.first_contacts(sessions)
    world.add_conversations(first)
    outcome = world.play(first)
    for _ in range(2):  # repeat contacts of repeat contacts, then stop
        follow = world.follow_ups(first, outcome)
        if follow is None:
            break
        world.add_conversations(follow)
        outcome = world.play(follow)
        first = follow
    known = sum(len(c) for c in world.conversations)
    unknown = world.unknown_contacts(round(known * 0.055))
    world.add_conversations(unknown)
    world.play(unknown)
    proactive = world.proactive(round(known * 0.025))
    world.add_conversations(proactive)
    sessions = pd.concat([sessions, world.failed_self_service()], ignore_index=True)
    messages, events, self_service = frames(world, sessions)

    msgs = validate_messages(messages, source="demo")
    evts = validate_events(events, msgs, source="demo events")
    sess = validate_self_service(self_service, source="demo self-service")
    return SupportLog(messages=msgs, events=evts, self_service=sess, source="demo",
                      synthetic=True,
                      description=("Synthetic demo company (generated, not real data; "
                                   f"seed {seed})"))


def write_demo(folder, **kwargs) -> SupportLog:
    """Generate the demo (``generate_demo(**kwargs)``) and write it into ``folder``.

    Writes exactly :data:`DEMO_FILES`: gzip-compressed CSV with ISO 8601 timestamps carrying
    the offset of ``tz``; the gzip header has no time stamp, so the files are byte-reproducible.
    Returns the generated log.
    """
    log = generate_demo(**kwargs)
    tz = kwargs.get("tz", "America/Sao_Paulo")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "messages.csv.gz": (log.messages, "sent_at"),
        "events.csv.gz": (log.events, "at"),
        "self_service.csv.gz": (log.self_service, "started_at"),
    }
    for name, (frame, column) in tables.items():
        out = frame.copy()
        out[column] = _iso(out[column], tz)
        data = out.to_csv(index=False, lineterminator="\n").encode("utf-8")
        (folder / name).write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return log


def _local(value, tz) -> pd.Timestamp:
    """A date or instant as a timestamp in ``tz`` (naive values are local to ``tz``)."""
    ts = pd.Timestamp(value)
    return ts.tz_localize(tz) if ts.tzinfo is None else ts.tz_convert(tz)


def _iso(values: pd.Series, tz) -> pd.Series:
    """UTC timestamps -> ``2026-08-01T09:15:00-03:00`` strings in ``tz``."""
    text = values.dt.tz_convert(tz).dt.strftime("%Y-%m-%dT%H:%M:%S%z")
    return text.str[:-2] + ":" + text.str[-2:]
