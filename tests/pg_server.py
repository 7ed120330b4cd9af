"""A throwaway PostgreSQL server for tests: Debian's binaries, a cluster in a temp dir, a free port.

Tests run as root in CI and ``initdb`` refuses root, so as root the cluster belongs to the
``postgres`` system user (commands run through ``runuser``); as anyone else it belongs to them.
Missing binaries are an error naming the fix (``bash scripts/test.sh`` installs postgresql), never
a silent skip: only ``NTM_SKIP_POSTGRES=1`` skips.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SKIP_VARIABLE = "NTM_SKIP_POSTGRES"
BIN_VARIABLE = "NTM_PG_BIN"
"""Optional: the folder holding initdb and pg_ctl, when they are not in /usr/lib/postgresql."""
SERVICE_USER = "postgres"
SUPERUSER = "postgres"
START_SECONDS = 60
TEST_SETTINGS = (
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
)
"""Durability off: the cluster lives for one test session and is thrown away."""
MISSING_MESSAGE = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or on "
    "PATH. Run `bash scripts/test.sh`, which installs Debian's postgresql package, or "
    "`apt-get install postgresql`; set NTM_SKIP_POSTGRES=1 only to skip these tests on purpose."
)


class PostgresUnavailable(RuntimeError):
    """The server binaries are missing or the cluster would not start."""


def skip_requested() -> bool:
    return os.environ.get(SKIP_VARIABLE, "").strip() == "1"


def find_bin_dir() -> Path:
    """The folder of initdb and pg_ctl: $NTM_PG_BIN, the newest Debian version, or PATH."""
    explicit = os.environ.get(BIN_VARIABLE)
    candidates = [Path(explicit)] if explicit else []

    def major(path: str) -> int:
        found = re.search(r"/postgresql/(\d+)/bin$", path)
        return int(found.group(1)) if found else 0

    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=major)[::-1]]
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    raise PostgresUnavailable(MISSING_MESSAGE)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Cluster:
    """A running cluster: connect as the superuser over TCP on 127.0.0.1."""

    root: Path
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _admin(self) -> object:
        import psycopg

        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
        )

    def create_database(self) -> str:
        """A new empty database; returns its name."""
        name = f"ntm_test_{secrets.token_hex(6)}"
        with self._admin() as connection:  # type: ignore[attr-defined]
            connection.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with self._admin() as connection:  # type: ignore[attr-defined]
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _as_owner(command: list[str], owner: str | None) -> list[str]:
    if owner is None:
        return command
    if shutil.which("runuser"):
        return ["runuser", "-u", owner, "--", *command]
    import shlex

    return ["su", owner, "-s", "/bin/sh", "-c", shlex.join(command)]


def _run(command: list[str], owner: str | None, what: str) -> None:
    done = subprocess.run(
        _as_owner(command, owner), capture_output=True, text=True, timeout=START_SECONDS
    )
    if done.returncode != 0:
        raise PostgresUnavailable(
            f"{what} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}"
        )


@contextmanager
def running_cluster() -> Iterator[Cluster]:
    """Create, start, yield, then stop and delete a cluster."""
    bin_dir = find_bin_dir()
    owner = None
    if os.geteuid() == 0:
        try:
            service = pwd.getpwnam(SERVICE_USER)
        except KeyError:
            raise PostgresUnavailable(
                f"running as root and there is no {SERVICE_USER!r} user to own the test cluster "
                "(Debian's postgresql package creates it; run `bash scripts/test.sh`)"
            ) from None
        owner = SERVICE_USER
    # not under pytest's tmp_path: its parents are private to root, the server user must enter
    root = Path(tempfile.mkdtemp(prefix="ntm-pg-"))
    data, sockets, log = root / "data", root / "sockets", root / "server.log"
    sockets.mkdir()
    if owner is not None:
        for path in (root, sockets):
            os.chown(path, service.pw_uid, service.pw_gid)
    port = free_port()
    started = False
    try:
        _run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            owner,
            "initdb",
        )
        options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 {TEST_SETTINGS}"
        _run(
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t",
             str(START_SECONDS), "-o", options, "start"],
            owner,
            "pg_ctl start",
        )  # fmt: skip
        started = True
        yield Cluster(root=root, port=port)
    except PostgresUnavailable as error:
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise PostgresUnavailable(f"{error}\n{detail}".strip()) from None
    finally:
        if started:
            subprocess.run(
                _as_owner(
                    [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], owner
                ),
                capture_output=True,
                timeout=START_SECONDS,
            )
        shutil.rmtree(root, ignore_errors=True)
