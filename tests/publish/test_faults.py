"""Fault injection for scheduled runs (issue 14): a run never overwrites, deletes or leaks a
report.

Each test starts from a good published report in a temporary folder, does what a hostile
tester or a tired operator would do (numbered as in the issue), and checks that the good
report is still there byte for byte, that the run said so on one line with its documented
exit status, and that nothing temporary (``.tmp-*``, ``.old-*``, ``.lock-*``, kernel socket
folders, kernel processes) is left behind. The input is the bundled demo's last week of
October 2026 with customer ids made e-mail addresses, phone numbers and CPFs and agent ids
made e-mail addresses, so the grep of the published tree can find a leak.

Most renders use the fixture notebooks of ``tests/fixtures/render`` (a kernel, no report
code); one module-wide render of two real pages proves the pages carry pseudonyms.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest

from analytics.cli import main
from analytics.load.log import open_log
from analytics.publish import run as run_module
from analytics.publish.guard import SOCKET_PREFIX

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("publish_faults")]

FIXTURES = Path(__file__).parents[1] / "fixtures" / "render"
OK = str(FIXTURES / "registry_ok.toml")
TWO = str(FIXTURES / "registry_two.toml")
SLOW = str(FIXTURES / "registry_slow.toml")
PERIOD = "2026-10-25..2026-10-31"
TZ = "America/Sao_Paulo"
SLUG = "2026-10-25_to_2026-10-31"


def _identities(ids: pd.Series, make) -> dict:
    return {raw: make(n) for n, raw in enumerate(sorted(ids.dropna().unique()))}


def _hostile_log() -> pd.DataFrame:
    """The demo's conversations begun 25-31 October 2026 (local), with personal data as ids:
    customers by e-mail, phone or CPF in turn, agents by e-mail."""
    messages = open_log("demo").messages
    start = pd.Timestamp("2026-10-25", tz=TZ).tz_convert("UTC")
    first = messages.groupby("conversation_id")["sent_at"].transform("min")
    week = messages[first >= start].copy()
    kinds = (lambda n: f"cliente{n}@exemplo.com.br", lambda n: f"(11) 9{n:04d}-{n:04d}",
             lambda n: f"{n:03d}.{n * 7 % 1000:03d}.{n * 3 % 1000:03d}-{n % 100:02d}")
    customers = _identities(week["customer_id"], lambda n: kinds[n % 3](n))
    agents = _identities(week["agent_id"], lambda n: f"agente{n}@empresa.com.br")
    week["customer_id"] = week["customer_id"].map(customers)
    week["agent_id"] = week["agent_id"].map(agents)
    return week[["message_id", "conversation_id", "customer_id", "channel", "sent_at",
                 "direction", "author_type", "agent_id", "text"]].reset_index(drop=True)


def _write_csv(frame: pd.DataFrame, path: Path, *, naive=False) -> Path:
    out = frame.copy()
    local = out["sent_at"].dt.tz_convert(TZ)
    out["sent_at"] = (local.dt.strftime("%Y-%m-%dT%H:%M:%S") if naive
                      else local.dt.strftime("%Y-%m-%dT%H:%M:%S%z").str.replace(
                          r"(\d\d)(\d\d)$", r"\1:\2", regex=True))
    out.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile log (frame), its CSV, and the personal data it holds."""
    folder = tmp_path_factory.mktemp("input")
    frame = _hostile_log()
    personal = set(frame["customer_id"].dropna()) | set(frame["agent_id"].dropna())
    return {"frame": frame, "csv": _write_csv(frame, folder / "log.csv"), "folder": folder,
            "personal": personal}


@pytest.fixture(scope="module")
def key(tmp_path_factory):
    return tmp_path_factory.mktemp("key") / "id-key"


def _cli(args, capfd):
    """Run the CLI in this process; return (exit status, stdout, stderr)."""
    code = main(args)
    out, err = capfd.readouterr()
    return code, out, err


def _render(log, out, key, *extra, registry=OK):
    return ["render", "--messages", str(log), "--period", PERIOD, "--tz", TZ, "--workers", "1",
            "--registry", registry, "--output", str(out), "--id-key", str(key), *extra]


def _snapshot(folder: Path) -> dict:
    """Every file of a report folder and its hash: "intact" means this is equal."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _one_line(err: str, start: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith(start) and "Traceback" not in err, err
    return lines[0]


def _no_leftovers(out: Path):
    left = [p for p in out.rglob(".*") if re.match(r"\.(tmp|old|lock)-", p.name)]
    assert not left, left
    assert not list(Path(tempfile.gettempdir()).glob(f"{SOCKET_PREFIX}{os.getpid()}-*"))


@pytest.fixture(scope="module")
def published_once(hostile, key, tmp_path_factory):
    """One good published report (fixture page) of the hostile log for the module."""
    out = tmp_path_factory.mktemp("published") / "reports"
    assert main(_render(hostile["csv"], out, key)) == 0
    return out


@pytest.fixture
def published(published_once, tmp_path):
    """A copy of the good report for one test: (reports folder, report folder, snapshot)."""
    out = tmp_path / "reports"
    shutil.copytree(published_once, out)
    folder = out / "messages" / SLUG
    return out, folder, _snapshot(folder)


# 1. Reports overwrite each other --------------------------------------------------------

def test_a_second_input_under_the_same_name_is_refused_with_one_line(published, hostile, key,
                                                                      capfd, tmp_path):
    out, folder, before = published
    other = _write_csv(hostile["frame"].head(200), tmp_path / "other.csv")
    code, _, err = _cli(_render(other, out, key), capfd)
    assert code == 2
    assert "another input" in _one_line(err, "error: ") and "--name" in err
    assert _snapshot(folder) == before
    code, _, err = _cli(_render(other, out, key, "--name", "north-desk"), capfd)
    assert code == 0, err
    assert (out / "north-desk" / folder.name / "ok.html").exists()
    assert _snapshot(folder) == before  # two inputs, two folders
    assert ">north-desk<" in (out / "index.html").read_text()
    _no_leftovers(out)


def test_a_mapping_publishes_under_its_input_name(tmp_path, key, capfd):
    out = tmp_path / "reports"
    code, outtext, err = _cli(["render", "--mapping", "data/mapping_example/mapping.toml",
                               "--period", "2024-03", "--tz", TZ, "--workers", "1",
                               "--registry", OK, "--output", str(out), "--id-key", str(key)],
                              capfd)
    assert code == 0, err
    assert (out / "mapping_example" / "2024-03" / "ok.html").exists()
    assert not (out / "mapping").exists()
    record = json.loads((out / "mapping_example" / "2024-03" / "render.json").read_text())
    assert record["input"]["fingerprint"].startswith("sha256:")


# 2. A subset render deletes pages ------------------------------------------------------

def test_a_subset_render_replaces_only_its_pages(hostile, key, tmp_path, capfd):
    out = tmp_path / "reports"
    assert _cli(_render(hostile["csv"], out, key, registry=TWO), capfd)[0] == 0
    folder = out / "messages" / SLUG
    second = (folder / "second.html").read_bytes()
    first_run = json.loads((folder / "render.json").read_text())["pages"]["second"]["run"]
    code, _, err = _cli(_render(hostile["csv"], out, key, "--only", "ok", registry=TWO), capfd)
    assert code == 0, err
    assert (folder / "second.html").read_bytes() == second
    assert (folder / "notebooks" / "second.ipynb").exists()
    pages = json.loads((folder / "render.json").read_text())["pages"]
    assert pages["second"]["run"] == first_run != pages["ok"]["run"]
    index = (out / "index.html").read_text()
    assert "second.html" in index and "ok.html" in index
    _no_leftovers(out)


# 3. Silent loss on Parquet with naive timestamps ---------------------------------------

def test_parquet_with_naive_local_times_gives_the_csv_figures(hostile, tmp_path, capfd):
    naive = _write_csv(hostile["frame"], tmp_path / "naive.csv", naive=True)
    table = pd.read_csv(naive, dtype=str)
    table["sent_at"] = pd.to_datetime(table["sent_at"])  # naive timestamp column
    parquet = tmp_path / "naive.parquet"
    table.to_parquet(parquet, index=False)
    figures = {}
    for path in (naive, parquet):
        code, out, err = _cli(["metrics", "--messages", str(path), "--source-tz", TZ,
                               "--period", PERIOD, "--tz", TZ, "--json"], capfd)
        assert code == 0, err
        summary = json.loads(out)
        summary.pop("description", None)
        summary.pop("parameters", None)  # names the file and the data read
        figures[path.suffix] = summary
    assert figures[".csv"]["as_of"] == figures[".parquet"]["as_of"]
    assert figures[".csv"]["as_of"] == hostile["frame"]["sent_at"].max().isoformat()
    assert figures[".csv"] == figures[".parquet"]


# 4. Personal data in the published folder ----------------------------------------------

@pytest.fixture(scope="module")
def real_pages(hostile, key, tmp_path_factory):
    """Two real report pages of the hostile log (one render for the module)."""
    out = tmp_path_factory.mktemp("real") / "reports"
    done = subprocess.run(
        [sys.executable, "-m", "analytics", "render", "--messages", str(hostile["csv"]),
         "--period", PERIOD, "--tz", TZ, "--only", "summary", "response_times",
         "--output", str(out), "--id-key", str(key)],
        capture_output=True, text=True, timeout=600)
    return out, done


def test_no_personal_id_of_the_input_is_published(real_pages, hostile):
    out, done = real_pages
    assert done.returncode == 0, done.stderr
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"summary.html", "response_times.html",
                                       "conversations.csv", "summary.ipynb"}
    leaks = {str(p.relative_to(out)): sorted(v for v in hostile["personal"]
                                            if v in p.read_text(encoding="utf-8"))[:3]
             for p in files}
    assert not {k: v for k, v in leaks.items() if v}
    rows = pd.read_csv(next(out.rglob("conversations.csv")), dtype=str)
    assert rows["customer_id"].dropna().str.fullmatch(r"c-[0-9a-f]{16}").all()
    assert rows["first_responder"].dropna().str.fullmatch(r"a-[0-9a-f]{16}").all()
    assert re.search(r"a-[0-9a-f]{16}", next(out.rglob("response_times.html")).read_text())


def test_raw_ids_publishes_the_source_ids_for_analysts(hostile, key, tmp_path, capfd):
    out = tmp_path / "reports"
    assert _cli(_render(hostile["csv"], out, key, "--raw-ids"), capfd)[0] == 0
    text = next(out.rglob("conversations.csv")).read_text()
    assert any(value in text for value in hostile["personal"])  # the grep above can fail


def test_agents_table_gives_agents_a_display_name(hostile, key, tmp_path, capfd):
    agent = sorted(hostile["frame"]["agent_id"].dropna().unique())[0]
    table = tmp_path / "agents.csv"
    table.write_text(f"agent_id,name\n{agent},Ana (suporte)\n")
    out = tmp_path / "reports"
    assert _cli(_render(hostile["csv"], out, key, "--agents", str(table)), capfd)[0] == 0
    responders = pd.read_csv(next(out.rglob("conversations.csv")), dtype=str)["first_responder"]
    assert "Ana (suporte)" in set(responders)
    assert agent not in set(responders)


# 5. Empty or impossible runs replace good reports --------------------------------------

def test_a_cut_off_before_the_period_is_refused_over_a_good_report(published, hostile, key,
                                                                    capfd):
    out, folder, before = published
    code, _, err = _cli(_render(hostile["csv"], out, key, "--as-of", "1999-01-01T00:00Z"),
                        capfd)
    assert code == 2
    assert "before the period starts" in _one_line(err, "error: ") and "--replace" in err
    assert _snapshot(folder) == before
    _no_leftovers(out)


def test_a_render_without_contacts_is_refused_unless_replace(published, hostile, key, capfd):
    out, folder, before = published
    frame = hostile["frame"]
    # The same export file rewritten with the following fortnight only (a wrong extract): the
    # data reaches past the period, which holds no contact.
    empty = frame.assign(sent_at=frame["sent_at"] + pd.Timedelta(days=14))
    _write_csv(empty, hostile["csv"].with_name("log.csv.tmp"))
    original = hostile["csv"].read_bytes()
    hostile["csv"].with_name("log.csv.tmp").replace(hostile["csv"])
    try:
        code, _, err = _cli(_render(hostile["csv"], out, key), capfd)
        assert code == 2
        assert "has no contacts" in _one_line(err, "error: ")
        assert _snapshot(folder) == before
        code, _, err = _cli(_render(hostile["csv"], out, key, "--replace"), capfd)
        assert code == 0, err
        assert json.loads((folder / "summary.json").read_text())["contacts"] == 0
    finally:
        hostile["csv"].write_bytes(original)
    _no_leftovers(out)


# 6 and 7. No lock; kill -9 during a render --------------------------------------------

def _children(pid: int) -> set[int]:
    """Every live descendant of ``pid`` (from /proc)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pids) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _kernels(pids) -> set[int]:
    found = set()
    for pid in pids:
        try:
            if b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.add(pid)
        except OSError:
            continue
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_leaves_no_process_lock_or_temporary_folder(published, hostile, key, capfd):
    out, folder, before = published
    command = _render(hostile["csv"], out, key, registry=SLOW)
    command[command.index("--workers") + 1] = "2"  # a pool of workers, each with a kernel
    render = subprocess.Popen([sys.executable, "-m", "analytics", *command],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240
        while len(_kernels(_children(render.pid))) < 2:
            assert render.poll() is None, render.communicate()
            assert time.monotonic() < deadline, "the kernels did not start"
            time.sleep(0.5)
        # 6. A second run of the same report meanwhile exits with its own status.
        code, _, err = _cli(_render(hostile["csv"], out, key), capfd)
        assert code == 4
        assert f"pid {render.pid}" in _one_line(err, "locked: ")
        descendants = _children(render.pid)
        assert (folder.parent / f".lock-{folder.name}").exists()
        os.kill(render.pid, signal.SIGKILL)
        render.communicate()
        deadline = time.monotonic() + 10
        while _alive(descendants) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(descendants), "workers or kernels survived the kill"
    finally:
        if render.poll() is None:
            render.kill()
    assert _snapshot(folder) == before  # the good report is intact
    assert list(folder.parent.glob(".tmp-*"))  # what the killed run left...
    code, _, err = _cli(_render(hostile["csv"], out, key), capfd)
    assert code == 0, err  # ...the next run takes over the stale lock and removes it all
    _no_leftovers(out)
    assert not list(Path(tempfile.gettempdir()).glob(f"{SOCKET_PREFIX}{render.pid}-*"))


def test_a_live_lock_holder_is_respected_and_a_dead_one_taken_over(published, hostile, key,
                                                                   capfd):
    out, folder, before = published
    lock = folder.parent / f".lock-{folder.name}"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock.write_text(json.dumps({"pid": sleeper.pid, "started": "2026-11-01T06:30:00+00:00"}))
        code, _, err = _cli(_render(hostile["csv"], out, key), capfd)
        assert code == 4 and "since 2026-11-01T06:30:00+00:00" in _one_line(err, "locked: ")
        assert lock.exists() and _snapshot(folder) == before
    finally:
        sleeper.kill()
        sleeper.wait()
    code, _, err = _cli(_render(hostile["csv"], out, key), capfd)
    assert code == 0, err
    _no_leftovers(out)


# 8. Errors that are not one line --------------------------------------------------------

def _fail_with(exc):
    def fail(*args, **kwargs):
        raise exc
    return fail


@pytest.mark.parametrize("where, error", [
    ("_write_data", OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "conversations.csv")),
    ("_publish", PermissionError(errno.EACCES, os.strerror(errno.EACCES), "reports/messages")),
], ids=["disk-full", "permission-denied"])
def test_a_failing_write_is_one_line_exit_5_and_keeps_the_report(published, hostile, key,
                                                                 capfd, monkeypatch, where,
                                                                 error):
    out, folder, before = published
    monkeypatch.setattr(run_module, where, _fail_with(error))
    code, _, err = _cli(_render(hostile["csv"], out, key), capfd)
    assert code == 5
    assert error.strerror in _one_line(err, "error: cannot read or write")
    assert _snapshot(folder) == before
    _no_leftovers(out)


def test_an_unwritable_reports_folder_is_one_line_exit_5(hostile, key, tmp_path, capfd):
    blocked = tmp_path / "reports"
    blocked.write_text("a file where the reports folder should be")
    code, _, err = _cli(_render(hostile["csv"], blocked, key), capfd)
    assert code == 5 and str(blocked) in _one_line(err, "error: ")


def test_paused_as_a_folder_is_one_line_exit_5(published, hostile, key, capfd):
    out, folder, before = published
    (out / "PAUSED").mkdir()
    code, _, err = _cli(_render(hostile["csv"], out, key), capfd)
    assert code == 5 and "is not a file" in _one_line(err, "error: ")
    assert _snapshot(folder) == before


@pytest.mark.parametrize("broken", ["not toml [", None], ids=["invalid-toml", "a-folder"])
def test_an_unreadable_registry_is_one_line(published, hostile, key, capfd, tmp_path, broken):
    out, folder, before = published
    registry = tmp_path / "registry.toml"
    if broken is None:
        registry.mkdir()
    else:
        registry.write_text(broken)
    code, _, err = _cli(_render(hostile["csv"], out, key, registry=str(registry)), capfd)
    assert (code, err.startswith("error: ")) == ((2 if broken else 5), True), err
    assert str(registry) in _one_line(err, "error: ")
    assert _snapshot(folder) == before


# 9. --require-complete -----------------------------------------------------------------

def test_require_complete_accepts_the_demo_month_ending_before_local_midnight(tmp_path, key,
                                                                              capfd):
    out = tmp_path / "reports"
    code, _, err = _cli(["render", "--source", "demo", "--period", "2026-10", "--tz", TZ,
                         "--require-complete", "--registry", OK, "--workers", "1",
                         "--output", str(out), "--id-key", str(key)], capfd)
    assert code == 0, err
    assert (out / "demo" / "2026-10" / "ok.html").exists()


def test_require_complete_postpones_in_one_zone_and_writes_only_the_status(hostile, key,
                                                                           tmp_path, capfd):
    frame = hostile["frame"]
    kept = frame[frame["sent_at"] < pd.Timestamp("2026-10-30T15:00Z")]
    early = _write_csv(kept, tmp_path / "early.csv")
    last = kept["sent_at"].max().tz_convert(TZ)  # 30 October, before noon in São Paulo
    out = tmp_path / "reports"
    code, _, err = _cli(_render(early, out, key, "--require-complete"), capfd)
    assert code == 3
    line = _one_line(err, "postponed: messages 2026-10-25..2026-10-31: ")
    assert f"the data ends at {last:%Y-%m-%d %H:%M} (America/Sao_Paulo)" in line
    assert "before the last day of 2026-10-25..2026-10-31 (2026-10-31)" in line
    assert "+00:00" not in line and "UTC" not in line
    assert sorted(p.name for p in out.iterdir()) == ["_status.json", "index.html",
                                                     "index.pt-BR.html"]


# 10. A clean cron log -------------------------------------------------------------------

def test_a_successful_run_logs_only_the_documented_line(real_pages):
    _, done = real_pages
    assert done.returncode == 0
    assert re.fullmatch(r"rendered \S+ in \d+\.\d s\n", done.stdout), done.stdout
    assert "KeyboardInterrupt" not in done.stderr and "ERROR" not in done.stderr, done.stderr


def test_kernel_shutdown_sends_no_interrupt(monkeypatch):
    """The SIGINT jupyter_client sends before a shutdown request is what ipykernel logged as
    'KeyboardInterrupt caught in kernel.'; the renderer's kernel manager does not send it."""
    from jupyter_client.manager import AsyncKernelManager

    sent = []

    async def record(self, signum):
        sent.append(signum)

    monkeypatch.setattr(AsyncKernelManager, "_async_signal_kernel", record)
    manager = run_module._kernel_manager_class()(kernel_name="python3")
    manager.shutting_down = True
    import asyncio

    asyncio.run(manager._async_interrupt_kernel())
    assert sent == []
    manager.shutting_down = False
    monkeypatch.setattr(manager, "_kernel_spec", type("Spec", (), {"interrupt_mode": "signal"})())
    monkeypatch.setattr(type(manager), "has_kernel", property(lambda self: True))
    asyncio.run(manager._async_interrupt_kernel())
    assert sent == [signal.SIGINT]  # a real interrupt (a cell timeout) still works


def test_the_kernels_own_stderr_goes_to_its_log_not_to_the_cron_log(monkeypatch, tmp_path):
    """ipykernel's shutdown races ('Uncaught exception in ZMQStream callback ... Socket
    operation on non-socket') were written to the render's stderr: the kernel process now
    writes its stderr to a log file, which a dead kernel's error quotes."""
    import asyncio

    from jupyter_client.manager import AsyncKernelManager

    async def launch(self, kernel_cmd, **kw):  # stands for Popen: the child writes on fd 2
        subprocess.run([sys.executable, "-c", "import sys; sys.stderr.write('zmq noise\\n')"],
                       stderr=kw["stderr"], check=True)

    monkeypatch.setattr(AsyncKernelManager, "_async_launch_kernel", launch)
    log = tmp_path / "stderr"
    manager = run_module._kernel_manager_class(log)(kernel_name="python3")
    asyncio.run(manager._async_launch_kernel(["kernel"]))
    assert log.read_text() == "zmq noise\n"
    assert run_module._last_line(log) == " (kernel: zmq noise)"
    assert run_module._last_line(tmp_path / "absent") == ""
