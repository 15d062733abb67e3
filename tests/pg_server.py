"""A throw-away PostgreSQL cluster for tests: Debian's initdb/pg_ctl, a temporary folder, a
loopback port, stopped and deleted afterwards. Skips (with the reason) when PostgreSQL is not
installed; as root (CI) it runs the server as the ``postgres`` user, since initdb refuses root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def postgres_cluster():
    """Yield a DSN (``postgresql://postgres@127.0.0.1:PORT/postgres``) or a skip reason str
    prefixed with ``skip:``."""
    binaries = _bin_dir()
    if binaries is None:
        yield "skip: PostgreSQL is not installed (apt-get install postgresql; .ci/run does)"
        return
    prefix = []
    folder = Path(tempfile.mkdtemp(prefix="pg-test-"))
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            runuser = None
        if runuser is None:
            shutil.rmtree(folder, ignore_errors=True)
            yield "skip: running as root without a postgres user to run the server as"
            return
        shutil.chown(folder, "postgres", "postgres")
        prefix = [runuser, "-u", "postgres", "--"]
    data, port = folder / "data", _free_port()
    started = False
    try:
        subprocess.run(prefix + [str(binaries / "initdb"), "-D", str(data), "-A", "trust",
                                 "-U", "postgres", "-E", "UTF8", "--no-sync"],
                       check=True, capture_output=True)
        subprocess.run(prefix + [str(binaries / "pg_ctl"), "-D", str(data), "-w", "-t", "60",
                                 "-l", str(folder / "server.log"), "-o",
                                 f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -F",
                                 "start"], check=True, capture_output=True)
        started = True
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        if started:
            subprocess.run(prefix + [str(binaries / "pg_ctl"), "-D", str(data), "-m",
                                     "immediate", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
