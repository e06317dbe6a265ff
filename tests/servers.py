"""Throwaway servers for the server-mode tests (issue #16): a PostgreSQL cluster and a Chroma server,
each on 127.0.0.1 at a free port, started once per test session and removed after it. A test that
needs one is skipped, saying why, where the binaries are absent (Debian's `postgresql` package;
chromadb's `chroma` command)."""
from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bindir() -> Path | None:
    """The newest PostgreSQL server binaries: /usr/lib/postgresql/*/bin (Debian), else initdb on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    return Path(which).parent if which else None


def _as_server_user() -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its commands as the `postgres` user."""
    if os.geteuid() != 0:
        return []
    if shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: cannot start PostgreSQL (it refuses root)")
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no `postgres` user to run PostgreSQL as")
    return ["runuser", "-u", "postgres", "--"]


class PgCluster:
    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="scrutiny-pg-"))
        self.port = free_port()
        self.user = _as_server_user()
        if self.user:
            shutil.chown(self.dir, "postgres")
        self.data = self.dir / "data"
        self.url = f"postgresql://scrutiny@127.0.0.1:{self.port}"

    def _run(self, *args: str) -> None:
        out = subprocess.run([*self.user, *args], capture_output=True, text=True, timeout=120)
        if out.returncode:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {out.stderr or out.stdout}")

    def start(self) -> None:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "scrutiny", "--auth=trust",
                  "--no-locale", "-E", "UTF8", "--no-sync")
        opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.dir / "log"),
                  "-w", "-t", "60", "start")

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

    def new_database(self) -> str:
        import psycopg

        name = f"kb_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"{self.url}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"{self.url}/{name}"

    def drop_database(self, url: str) -> None:
        import psycopg

        from kb.pg import close_pools

        close_pools()
        with psycopg.connect(f"{self.url}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")


class ChromaServer:
    def __init__(self, exe: str):
        self.dir = Path(tempfile.mkdtemp(prefix="scrutiny-chroma-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(self.dir / "log", "wb")  # noqa: SIM115 (open for the server's life)
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        self.proc = subprocess.Popen([exe, "run", "--host", "127.0.0.1", "--port", str(self.port),
                                      "--path", str(self.dir / "data")], stdout=self.log, stderr=subprocess.STDOUT,
                                     env=env)

    def wait(self, seconds: float = 60) -> None:
        import urllib.request

        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chroma run exited: {(self.dir / 'log').read_text()[-2000:]}")
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=2).read()
                return
            time.sleep(0.2)
        raise RuntimeError("the Chroma server did not answer within a minute")

    def stop(self) -> None:
        self.proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(10)
        if self.proc.poll() is None:
            self.proc.kill()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def chroma_exe() -> str | None:
    here = Path(sys.executable).parent / "chroma"
    return str(here) if here.exists() else shutil.which("chroma")


@pytest.fixture(scope="session")
def pg_cluster():
    """A PostgreSQL cluster of this session (skipped, saying why, without the binaries or psycopg)."""
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[server]')")
    bindir = pg_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL's server binaries (initdb, pg_ctl) are not installed (apt-get install postgresql)")
    cluster = PgCluster(bindir)
    try:
        cluster.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as e:
        cluster.stop()
        pytest.skip(f"could not start PostgreSQL: {e}")
    yield cluster
    from kb.pg import close_pools

    close_pools()
    cluster.stop()


@pytest.fixture(scope="session")
def chroma_server():
    """A Chroma server of this session (`chroma run`, from the chromadb package)."""
    exe = chroma_exe()
    if exe is None:
        pytest.skip("the `chroma` command (chromadb) is not installed")
    server = ChromaServer(exe)
    try:
        server.wait()
    except RuntimeError as e:
        server.stop()
        pytest.skip(str(e))
    yield server
    server.stop()


@pytest.fixture
def pg_kb(pg_cluster, chroma_server, monkeypatch):
    """A fresh server KB: its own database in the session's cluster, vectors in the session's Chroma
    server (one collection per database); SCRUTINY_KB and SCRUTINY_VECTORS point at them."""
    url = pg_cluster.new_database()
    monkeypatch.setenv("SCRUTINY_KB", url)
    monkeypatch.setenv("SCRUTINY_VECTORS", chroma_server.url)
    yield url
    pg_cluster.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def kb_location(request, tmp_path, monkeypatch):
    """A fresh knowledge base of each backend in turn: a folder (embedded SQLite), then a server KB
    (PostgreSQL + Chroma server). SCRUTINY_KB names it, so CLI runs find it too."""
    if request.param == "sqlite":
        home = tmp_path / "kb"
        monkeypatch.setenv("SCRUTINY_KB", str(home))
        return home
    return request.getfixturevalue("pg_kb")
