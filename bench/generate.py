"""A seeded, synthetic support log of any size, written as Parquet (no text column).

SYNTHETIC: no row describes a real person. The log is shaped like a large company's year of
support (the shape the benchmark needs, not a calibrated model; ``analytics.synthetic`` is the
calibrated demo):

- customers have several conversations a year (heavy-tailed: most one to three, some dozens);
  some come back within days about the same need (often on another channel), which gives the
  7-day repeat contacts something to find;
- conversations start on weekdays in office hours more than at night or at weekends
  (UTC demand profile), on eight channels;
- a bot greets most chat and WhatsApp customers (bots never answer);
- customers sometimes insist before the first answer; the first agent reply comes after a
  channel-specific log-normal delay, scaled by the agent's speed, and a reply that would fall
  outside business hours (Monday-Friday 09:00-18:00 UTC, the benchmark's calendar) usually
  waits for the next opening; a channel-specific share is never answered;
- a few exchanges follow (log-normal gaps), sometimes with a transfer to another agent, and
  sometimes the last customer message stays unanswered; some conversations end with a
  ``system`` message;
- 3 % of conversations are proactive (an agent writes first; half of the customers answer);
- 3 % come from unknown people (no ``customer_id`` anywhere); outbound rows carry the
  customer id only 80 % of the time; 1 % of conversations have later inbound rows under another
  customer id (merged accounts), and 0.5 % have no id on the first inbound row but one later:
  the conversation belongs to the customer of its first inbound message;
- messages after the end of the period are cut, as in an export made at that moment.

Timestamps have second precision (UTC); the file is in time order (inbound before outbound at
equal times, as ``analytics.load.schema.sort_messages`` orders a log), written in row groups of
``ROW_GROUP`` rows so that readers can skip by ``sent_at``. ``message_id`` follows the file
order. Columns: ``message_id, conversation_id, customer_id, channel, sent_at, direction,
author_type, agent_id`` (all strings except ``sent_at``, ``timestamp[us, UTC]``).

The log is streamed: the conversations are drawn first (about 45 bytes each), then their
messages chunk by chunk in one random stream, spilled by week to files beside the output
(27 bytes a message) and sorted a week at a time, so memory stays near 0.6 GB at 30M
messages and 2 GB at 100M; the output is the one a sort of the whole log in memory gave (the
same bytes at 1M, 10M and 30M as the in-memory generator wrote).

Usage: ``python -m bench.generate 10M [--seed 7] [--out bench/out]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

CHANNELS = ("whatsapp", "chat", "email", "phone", "instagram", "facebook", "twitter",
            "web_form")
_SHARE = np.array([0.30, 0.22, 0.18, 0.12, 0.07, 0.04, 0.03, 0.04])
_REPLY_MIN = np.array([8, 2, 180, 1, 30, 40, 10, 300], dtype=float)   # median first reply
_SIGMA = np.array([1.4, 1.1, 1.2, 0.8, 1.5, 1.5, 1.6, 1.2])
_UNANSWERED = np.array([0.08, 0.05, 0.06, 0.02, 0.10, 0.10, 0.09, 0.08])
_BOT = np.array([0.8, 0.6, 0, 0, 0, 0, 0, 0])
_PUSH = np.array([0.7, 0.8, 0.9, 1.0, 0.5, 0.5, 0.35, 0.95])
_HOURLY = np.array([0.1, 0.05, 0.03, 0.03, 0.03, 0.05, 0.15, 0.5, 1.2, 1.7, 1.8, 1.7, 1.3, 1.3,
                    1.5, 1.5, 1.4, 1.2, 0.9, 0.7, 0.6, 0.5, 0.3, 0.15])
_WEEKLY = np.array([1.25, 1.12, 1.05, 1.0, 0.92, 0.45, 0.28])   # Monday .. Sunday
N_AGENTS = 300
DAY = 86_400
OPEN, CLOSE = 9 * 3600, 18 * 3600          # the benchmark calendar: mon-fri 09-18 UTC
ROW_GROUP = 262_144
START = np.datetime64("2025-01-01T00:00:00", "s").astype("int64")
#: Average messages per conversation (measured); sizes the conversation pool.
_MEAN_MESSAGES = 4.5

SCHEMA = pa.schema([
    ("message_id", pa.string()), ("conversation_id", pa.string()),
    ("customer_id", pa.string()), ("channel", pa.string()),
    ("sent_at", pa.timestamp("us", tz="UTC")), ("direction", pa.string()),
    ("author_type", pa.string()), ("agent_id", pa.string()),
])
# Message kinds: (direction, author_type).
_KINDS = (("inbound", "customer"), ("outbound", "agent"), ("outbound", "bot"),
          ("outbound", "system"))
_IN, _AGENT, _BOTK, _SYSTEM = range(4)


def parse_scale(text: str) -> int:
    """``20k`` / ``1M`` / ``10M`` / ``30000000`` -> number of messages."""
    text = str(text).strip().upper()
    factor = {"K": 1_000, "M": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("KM")) * factor)


def _ids(prefix: str, n: int, width: int, first: int = 0) -> pa.Array:
    """``prefix`` + zero-padded ``first``..``first + n - 1``, built as one fixed-width byte
    buffer, a digit column at a time (fast at 10^7, one int64 temporary)."""
    numbers = np.arange(first, first + n, dtype=np.int64)
    step = len(prefix) + width
    data = np.empty((n, step), dtype=np.uint8)
    data[:, :len(prefix)] = np.frombuffer(prefix.encode(), dtype=np.uint8)
    for k in range(width):
        data[:, step - 1 - k] = numbers % 10 + ord("0")
        numbers //= 10
    offsets = np.arange(0, (n + 1) * step, step, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))


def _lognormal(rng, median, sigma, size):
    return np.exp(np.log(median) + sigma * rng.standard_normal(size))


def _next_opening(t: np.ndarray) -> np.ndarray:
    """The next instant at or after ``t`` inside mon-fri 09:00-18:00 UTC."""
    day, sec = np.divmod(t, DAY)
    dow = (day + 3) % 7                      # 1970-01-01 was a Thursday
    is_open = (dow < 5) & (sec >= OPEN) & (sec < CLOSE)
    same_day = (dow < 5) & (sec < OPEN)
    nxt = day + 1
    ndow = (nxt + 3) % 7
    nxt = nxt + np.where(ndow == 5, 2, np.where(ndow == 6, 1, 0))
    target = np.where(same_day, day, nxt) * DAY + OPEN
    return np.where(is_open, t, target)


def _starts(rng, n, days):
    """Conversation start times (s since epoch) from a weekday x hour-of-day profile."""
    day_of_week = (np.arange(days) + (START // DAY) + 3) % 7
    day_w = _WEEKLY[day_of_week]
    day = rng.choice(days, size=n, p=day_w / day_w.sum())
    hour = rng.choice(24, size=n, p=_HOURLY / _HOURLY.sum())
    return START + day * DAY + hour * 3600 + rng.integers(0, 3600, size=n)


def _conversations(rng, n_conv, days):
    """Conversation-level draws: customer, channel, start, flags."""
    n_cust = max(n_conv // 3, 1)
    customer = (n_cust * rng.random(n_conv) ** 1.6).astype(np.int64)
    start = _starts(rng, n_conv, days)
    channel = rng.choice(len(CHANNELS), size=n_conv, p=_SHARE)
    # Follow-ups: the same customer comes back within days, often on another channel.
    follow = np.flatnonzero(rng.random(n_conv) < 0.12)
    parent = rng.integers(0, n_conv, size=follow.size)
    customer[follow] = customer[parent]
    start[follow] = start[parent] + rng.exponential(2.5 * DAY, size=follow.size).astype(np.int64)
    switch = rng.random(follow.size) < 0.4
    channel[follow] = np.where(switch, rng.choice(len(CHANNELS), size=follow.size, p=_SHARE),
                               channel[parent])
    customer[rng.random(n_conv) < 0.03] = -1                 # unknown person
    return {
        "customer": customer, "start": start, "channel": channel.astype(np.int8),
        "proactive": rng.random(n_conv) < 0.03,
        "agent": rng.integers(0, N_AGENTS, size=n_conv).astype(np.int16),
        "agent2": rng.integers(0, N_AGENTS, size=n_conv).astype(np.int16),
        "transfer": rng.random(n_conv) < 0.10,
        "merged": rng.random(n_conv) < 0.01,
        "late_id": rng.random(n_conv) < 0.005,
        "other": (n_cust * rng.random(n_conv)).astype(np.int64),
        "ids": rng.permutation(n_conv),                      # conversation ids are not in time order
    }


def _messages(rng, conv: dict, index: np.ndarray, speed: np.ndarray) -> dict:
    """Every message of the conversations ``index`` (vectorised over slots)."""
    n = index.size
    ch = conv["channel"][index].astype(np.int64)
    t0 = conv["start"][index]
    proactive = conv["proactive"][index]
    agent, agent2 = conv["agent"][index], conv["agent2"][index]
    slots = []  # (present, time, kind, agent or -1, inbound customer-id rule)

    def add(present, t, kind, who=None, rule=0):
        slots.append((present, t.astype(np.int64), kind,
                      np.full(n, -1, np.int16) if who is None else who, rule))

    # A proactive conversation opens with an agent's message; half of the customers answer.
    add(proactive, t0 - _lognormal(rng, 7200, 1.0, n).astype(np.int64) - 1, _AGENT, agent)
    has_in = ~proactive | (rng.random(n) < 0.5)
    add(has_in, t0, _IN, rule=1)
    add(has_in & (rng.random(n) < _BOT[ch]), t0 + rng.integers(0, 4, size=n), _BOTK,
        np.full(n, -2, np.int16))
    answered = has_in & (rng.random(n) >= _UNANSWERED[ch])
    delay = _lognormal(rng, _REPLY_MIN[ch] * 60, _SIGMA[ch], n) * speed[agent]
    reply = t0 + 1 + delay.astype(np.int64)
    push = (_next_opening(reply) != reply) & (rng.random(n) < _PUSH[ch])
    reply = np.where(push, _next_opening(reply) + _lognormal(rng, 1200, 1.0, n).astype(np.int64),
                     reply)
    insist = rng.choice(3, size=n, p=[0.75, 0.18, 0.07])
    last = t0.copy()
    for j in range(2):
        last = last + _lognormal(rng, 180, 1.0, n).astype(np.int64)
        add(has_in & (insist > j) & (~answered | (last < reply)), last, _IN, rule=2)
    add(answered, reply, _AGENT, agent)
    exchanges = rng.choice(4, size=n, p=[0.35, 0.3, 0.2, 0.15])
    going = answered.copy()
    t = reply
    for j in range(3):
        going = going & (exchanges > j)
        t = t + _lognormal(rng, 600, 1.2, n).astype(np.int64) + 1
        add(going, t, _IN, rule=3)
        going = going & (rng.random(n) >= 0.06)             # sometimes left unanswered
        t = t + _lognormal(rng, 300, 1.2, n).astype(np.int64) + 1
        who = np.where(conv["transfer"][index] & (j >= 1), agent2, agent).astype(np.int16)
        add(going, t, _AGENT, who)
    add(has_in & (rng.random(n) < 0.05), t + 60, _SYSTEM)

    present = np.stack([s[0] for s in slots])               # slots x conversations
    rows = np.flatnonzero(present.T.ravel())                # conversation-major order
    conv_of = rows // len(slots)
    slot_of = rows % len(slots)
    times = np.stack([s[1] for s in slots]).T.ravel()[rows]
    kinds = np.array([s[2] for s in slots], dtype=np.int8)[slot_of]
    who = np.stack([s[3] for s in slots]).T.ravel()[rows]
    rule = np.array([s[4] for s in slots], dtype=np.int8)[slot_of]

    glob = index[conv_of]
    cust = conv["customer"][glob].copy()
    inbound = kinds == _IN
    # Outbound rows carry the customer id 80 % of the time.
    cust[~inbound & (rng.random(rows.size) >= 0.8)] = -1
    # Merged accounts: later inbound rows under another customer id.
    cust[(rule == 3) & conv["merged"][glob]] = conv["other"][glob][(rule == 3)
                                                                    & conv["merged"][glob]]
    # No id on the first inbound row, an id later: the conversation's customer is unknown.
    cust[(rule == 1) & conv["late_id"][glob]] = -1
    return {"t": times, "conv": glob, "kind": kinds, "agent": who, "customer": cust}


#: One spilled message of the external sort (27 bytes): time, conversation, customer, agent,
#: kind.
_SPILLED = np.dtype([("t", "<i8"), ("conv", "<i8"), ("customer", "<i8"), ("agent", "<i2"),
                     ("kind", "i1")])
#: Width of the time slices of the external sort (a week: 2 million rows at 100M).
SLICE_S = 7 * DAY


def _draws(n_messages: int, seed: int, days: int):
    """The conversation draws, then every message chunk (200,000 conversations) in the order
    and with the random stream of the whole log: cut to about ``n_messages`` at a
    conversation boundary, then at the period's end (an export made at that moment)."""
    rng = np.random.default_rng(seed)
    n_conv = int(n_messages / _MEAN_MESSAGES * 1.15) + 16
    conv = _conversations(rng, n_conv, days)
    speed = _lognormal(rng, 1.0, 0.35, N_AGENTS)
    yield conv
    end = START + days * DAY
    total, chunk = 0, 200_000
    for lo in range(0, n_conv, chunk):
        part = _messages(rng, conv, np.arange(lo, min(lo + chunk, n_conv)), speed)
        size = part["t"].size
        last = total + size >= n_messages
        if total + size > n_messages:
            # The last conversation boundary before n_messages (the edge of the previous
            # chunk is one).
            inside = np.flatnonzero(np.diff(part["conv"]) != 0) + total
            boundary = np.concatenate(([total - 1], inside)) if total else inside
            cut = boundary[boundary < n_messages][-1] + 1 - total
            part = {k: v[:cut] for k, v in part.items()}
        total += size
        keep = part["t"] < end
        yield {k: v[keep] for k, v in part.items()}
        if last:
            break


def _slices(n_messages: int, seed: int, days: int, spill):
    """The log in time order (inbound first at equal times, then generation order), as one
    dict of arrays per time slice of :data:`SLICE_S`.

    An external sort: every chunk's messages are appended to their time slice's file in
    ``spill`` (a folder), then each slice is read back and sorted on its own (stably, so ties
    keep the generation order, as one sort of the whole log would). Memory holds the
    conversation draws (about 45 bytes per conversation) and one slice.
    """
    spill = Path(spill)
    draws = _draws(n_messages, seed, days)
    conv = next(draws)
    n_slices = days * DAY // SLICE_S + 2      # slice 0: before the start (proactive openers)
    files = [open(spill / f"slice-{s:03d}.bin", "wb") for s in range(n_slices)]
    try:
        for part in draws:
            records = np.empty(part["t"].size, _SPILLED)
            for name in _SPILLED.names:
                records[name] = part[name]
            where = np.clip((part["t"] - START) // SLICE_S + 1, 0, n_slices - 1)
            order = np.argsort(where, kind="stable")
            bounds = np.searchsorted(where[order], np.arange(n_slices + 1))
            records = records[order]
            for s in np.flatnonzero(np.diff(bounds)):
                records[bounds[s]:bounds[s + 1]].tofile(files[s])
    finally:
        for handle in files:
            handle.close()
    channel, ids = conv["channel"], conv["ids"]
    del conv
    for s in range(n_slices):
        path = spill / f"slice-{s:03d}.bin"
        records = np.fromfile(path, _SPILLED)
        path.unlink()
        records = records[np.lexsort((records["kind"] != _IN, records["t"]))]
        out = {name: records[name] for name in _SPILLED.names}
        out["channel"] = channel[out["conv"]]
        yield out, ids


def _names(ids: np.ndarray) -> dict:
    """The id strings the log's numbers map to (conversations, customers, agents)."""
    return {"conversations": _ids("cv-", ids.size, 9),
            "customers": _ids("cu-", max(ids.size // 3, 1), 8),
            "agents": _ids("ag-", N_AGENTS, 3)}


def generate(n_messages: int, *, seed: int = 7, days: int = 365) -> dict:
    """Arrays of a synthetic log of about ``n_messages`` rows, in time order (in memory: for
    small logs; :func:`write` streams any size).

    Returns a dict of numpy arrays (``t`` seconds since epoch, ``conv`` conversation number,
    ``kind``, ``agent`` (-1 none, -2 the bot), ``customer`` (-1 unknown), ``channel``) plus the
    conversation id permutation ``ids``; :func:`to_table` turns it into Arrow.
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="generate-") as spill:
        parts = list(_slices(n_messages, seed, days, spill))
    out = {k: np.concatenate([p[k] for p, _ in parts]) for k in parts[0][0]}
    out["ids"] = parts[0][1]
    return out


def to_table(log: dict, ids: np.ndarray, names: dict, first: int = 0) -> pa.Table:
    """Generated rows (``log``: arrays as :func:`generate` returns, the first one message
    number ``first``) as an Arrow table in :data:`SCHEMA`."""
    n = log["t"].size
    cust = log["customer"]
    agent = log["agent"].astype(np.int64)
    kind = log["kind"]
    direction = np.array([d for d, _ in _KINDS])[kind]
    author = np.array([a for _, a in _KINDS])[kind]
    agent_names = names["agents"].take(pa.array(np.where(agent >= 0, agent, 0),
                                                mask=agent < 0))
    agent_names = pc.if_else(pa.array(agent == -2), "bot", agent_names)
    return pa.table({
        "message_id": _ids("m-", n, 10, first=first),
        "conversation_id": names["conversations"].take(pa.array(ids[log["conv"]])),
        "customer_id": names["customers"].take(pa.array(np.where(cust >= 0, cust, 0),
                                                        mask=cust < 0)),
        "channel": pa.array(np.array(CHANNELS)[log["channel"]], pa.string()),
        "sent_at": pa.array(log["t"] * 1_000_000, pa.timestamp("us", tz="UTC")),
        "direction": pa.array(direction, pa.string()),
        "author_type": pa.array(author, pa.string()),
        "agent_id": agent_names,
    }, schema=SCHEMA)


def write(n_messages: int, path, *, seed: int = 7, days: int = 365,
          row_group: int = ROW_GROUP) -> Path:
    """Generate a log of about ``n_messages`` rows and write it to ``path`` (Parquet),
    streaming: memory holds the conversation draws, one time slice and one row group (about
    2 GB at 100M messages), the spill files next to ``path`` take 27 bytes a message."""
    import tempfile

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    names, held, first = None, [], 0
    with tempfile.TemporaryDirectory(dir=path.parent, prefix="generate-") as spill, \
            pq.ParquetWriter(tmp, SCHEMA, compression="zstd") as writer:

        def flush(final):
            nonlocal held, first
            log = {k: np.concatenate([h[k] for h in held]) for k in held[0]}
            rows = log["t"].size
            done = rows if final else rows - rows % row_group
            for lo in range(0, done, row_group):
                hi = min(lo + row_group, done)
                writer.write_table(to_table({k: v[lo:hi] for k, v in log.items()}, ids,
                                            names, first=first + lo),
                                   row_group_size=row_group)
            first += done
            held = [{k: v[done:] for k, v in log.items()}]
            return rows - done

        pending = 0
        for part, ids in _slices(n_messages, seed, days, spill):
            if names is None:
                names = _names(ids)
            held.append(part)
            pending += part["t"].size
            if pending >= row_group:
                pending = flush(final=False)
        if pending:
            flush(final=True)
    tmp.replace(path)
    return path


def table(n_messages: int, *, seed: int = 7, days: int = 365) -> pa.Table:
    """A small generated log as one Arrow table (for tests)."""
    log = generate(n_messages, seed=seed, days=days)
    ids = log.pop("ids")
    return to_table(log, ids, _names(ids))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scales", nargs="+", help="sizes such as 1M 10M 30M")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default="bench/out")
    args = parser.parse_args(argv)
    for scale in args.scales:
        path = Path(args.out) / f"messages-{scale}.parquet"
        if path.exists():
            print(f"{path} exists")
            continue
        began = time.perf_counter()
        write(parse_scale(scale), path, seed=args.seed)
        rows = pq.ParquetFile(path).metadata.num_rows
        print(f"{path}: {rows:,} messages in {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
