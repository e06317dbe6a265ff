"""Server mode (issue #16): the store's interface over PostgreSQL, vectors in a Chroma server.

`PostgresStore` is `SQLiteStore` with another connection under it: the store's SQL (and kb/'s:
corrections, same paper, follow-ups, users, search passages) is written once, in the subset both
engines read alike, and `PgConnection` says it PostgreSQL's way (`?` placeholders, SQLite's
case-blind LIKE). What differs in kind lives here and in the migrations' PostgreSQL branches:
transactions (one writer at a time, as SQLite's BEGIN IMMEDIATE, by an advisory lock), the
keyword index (tsvector + GIN, kb/search/engine.py) and the vectors (chromadb.HttpClient).

Imported only where a postgresql:// KB is opened: psycopg is an optional dependency (`.[server]`).
"""
from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from kb.migrations import migrate, pending
from kb.store import SQLiteStore, StoreError

WRITE_LOCK = 0x5C5B_0016  # pg_advisory_xact_lock key: one writing transaction at a time per database


class ServerDatabaseError(sqlite3.DatabaseError):
    """PostgreSQL's error, as the class of error the layers above kb/ already handle (a file's
    transaction rolled back, said once by the CLI). `server` marks it for kb.store.store_error."""

    server = True


_QUOTED = re.compile(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")")
_LIKE = re.compile(r"\bLIKE\b")


@lru_cache(maxsize=4096)
def translate(sql: str, with_params: bool) -> str:
    """SQLite's SQL said PostgreSQL's way: `?` -> `%s`, LIKE -> ILIKE (SQLite's LIKE ignores ASCII
    case), a literal `%` doubled where psycopg reads placeholders. Quoted text is left as it is
    (but for its `%`)."""
    out = []
    for i, part in enumerate(_QUOTED.split(sql)):
        if with_params:
            part = part.replace("%", "%%")
        if i % 2 == 0:  # outside quotes
            part = _LIKE.sub("ILIKE", part.replace("?", "%s"))
        out.append(part)
    return "".join(out)


class Row:
    """A result row read by position or by column name, as sqlite3.Row (dict(row) works too)."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: dict[str, int], values: tuple):
        self._names = names
        self._values = values

    def __getitem__(self, key):
        if isinstance(key, (int, slice)):
            return self._values[key]
        return self._values[self._names[key]]

    def keys(self) -> list[str]:
        return list(self._names)

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other) -> bool:
        return tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._names, self._values))})"


def _plain(v):
    """Values as SQLite gives them back: a numeric sum as int (or float), not Decimal."""
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def _row_factory(cursor):
    names = {c.name: i for i, c in enumerate(cursor.description or ())}

    def make(values):
        return Row(names, tuple(_plain(v) for v in values))

    return make


class PgConnection:
    """The few methods of sqlite3.Connection that kb/ uses, over one pooled psycopg connection in
    autocommit mode (so that BEGIN ... COMMIT are the store's own, as with SQLite)."""

    dialect = "postgresql"

    def __init__(self, conn):
        self.conn = conn

    def execute(self, sql: str, params=None):
        import psycopg

        cur = self.conn.cursor()
        try:
            if params is None:
                cur.execute(translate(sql, False))
            else:
                cur.execute(translate(sql, True), tuple(params))
        except psycopg.Error as e:
            raise ServerDatabaseError(f"{type(e).__name__}: {e}".strip()) from e
        return cur

    def executemany(self, sql: str, seq):
        import psycopg

        rows = [tuple(p) for p in seq]
        cur = self.conn.cursor()
        if rows:
            try:
                cur.executemany(translate(sql, True), rows)
            except psycopg.Error as e:
                raise ServerDatabaseError(f"{type(e).__name__}: {e}".strip()) from e
        return cur


_pools: dict[str, object] = {}


def pool_for(url: str):
    """One connection pool per server KB per process (psycopg_pool)."""
    pool = _pools.get(url)
    if pool is None:
        import psycopg
        from psycopg_pool import ConnectionPool

        psycopg.connect(url, connect_timeout=10).close()  # a server that is not there is said now, not after a wait

        def configure(conn):
            conn.autocommit = True
            conn.cursor_factory = psycopg.ClientCursor  # values as literals: SQLite's loose typing of parameters
            conn.row_factory = _row_factory

        pool = _pools[url] = ConnectionPool(url, min_size=1, max_size=int(os.environ.get("SCRUTINY_PG_POOL", "8")),
                                            configure=configure, open=True, timeout=30)
    return pool


def close_pools() -> None:
    for pool in list(_pools.values()):
        pool.close()
    _pools.clear()


def safe_url(url: str) -> str:
    """The URL without its password, to show."""
    parts = urlsplit(url)
    if parts.password:
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        parts = parts._replace(netloc=f"{parts.username}:***@{host}")
    return urlunsplit(parts)


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/") or "postgres"


class PostgresStore(SQLiteStore):
    """The store over a PostgreSQL database (server mode). `home` is a local folder for what this
    machine keeps for itself (nothing shared lives there); `url` is the database."""

    server = True

    def __init__(self, url: str, readonly: bool = False, inspect: bool = False, vectors: str | None = None):
        self.url = url
        self.vectors_url = vectors or os.environ.get("SCRUTINY_VECTORS")
        self.home = _local_home(url)
        self.pending = []
        try:
            import psycopg  # noqa: F401
            import psycopg_pool  # noqa: F401
        except ImportError:
            raise StoreError("a server knowledge base needs psycopg: pip install 'scrutiny-kb[server]'") from None
        try:
            self._conn = pool_for(url).getconn()
        except Exception as e:  # psycopg_pool.PoolTimeout, psycopg.OperationalError: the server is not there
            _pools.pop(url, None)
            raise StoreError(f'cannot connect to the knowledge base at "{safe_url(url)}" ({str(e)[:300]})') from None
        self.db = PgConnection(self._conn)
        try:
            if inspect:
                self.pending = pending(self.db)
            else:
                migrate(self.db)
        except BaseException:
            self.close()
            raise

    def location(self) -> str:
        return safe_url(self.url)

    def __del__(self):  # a store dropped unclosed gives its connection back to the pool
        with suppress(Exception):
            self.close()

    def close(self) -> None:
        conn, self._conn = getattr(self, "_conn", None), None
        if conn is not None:
            pool = _pools.get(self.url)
            if pool is not None:
                pool.putconn(conn)
            else:
                conn.close()

    def change_stamp(self):
        """The server's WAL position: it moves with every write to the database (and some others)."""
        return self.db.execute("SELECT pg_current_wal_insert_lsn()::text").fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[PgConnection]:
        """One writing transaction at a time, as SQLite's BEGIN IMMEDIATE: the same paper's and the
        follow-ups' reads and writes see one order whatever number of workers write. Two workers storing
        the same content (one id) therefore store it once, the second replacing the first."""
        self.db.execute("BEGIN")
        try:
            self.db.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            yield self.db
        except BaseException:
            self._rollback()
            raise
        self.db.execute("COMMIT")

    def _rollback(self) -> None:
        with suppress(ServerDatabaseError):  # the connection is gone: the server rolled back already
            self.db.execute("ROLLBACK")

    # --- claims: several ingests on one server KB (ingest/pipeline.py) ------------------------------
    def enqueue(self, sources: list[str]) -> None:
        """Put files on the queue of files to read (again, where one was read before)."""
        with self.transaction() as db:
            db.executemany("INSERT INTO ingest_claims (source) VALUES (?) ON CONFLICT (source) DO UPDATE"
                           " SET done = false WHERE ingest_claims.done", [(s,) for s in sources])

    def claim(self, source: str, ttl: float) -> bool:
        """Claim the file for this ingest unless another live ingest holds it or it is done (FOR UPDATE SKIP
        LOCKED: ingests never wait on each other's claims). A claim is free again when its ingest's
        connection is gone (a process killed) or it has outlived `ttl` seconds (a hung one)."""
        return self.db.execute(
            "UPDATE ingest_claims SET backend = pg_backend_pid(), claimed_at = now(),"
            " expires_at = now() + make_interval(secs => ?) WHERE source = ("
            " SELECT source FROM ingest_claims c WHERE source = ? AND NOT done AND"
            " (backend IS NULL OR expires_at < now() OR NOT EXISTS"
            "  (SELECT 1 FROM pg_stat_activity a WHERE a.pid = c.backend))"
            " FOR UPDATE SKIP LOCKED) RETURNING source", (float(ttl), source)).fetchone() is not None

    def claimed_elsewhere(self, sources: list[str]) -> int:
        """How many of `sources` other live ingests hold now (this one waits for them to finish or die)."""
        return self.db.execute(
            "SELECT count(*) FROM ingest_claims c WHERE source = ANY(?) AND NOT done AND backend IS NOT NULL"
            " AND backend != pg_backend_pid() AND expires_at >= now() AND EXISTS"
            " (SELECT 1 FROM pg_stat_activity a WHERE a.pid = c.backend)", (list(sources),)).fetchone()[0]

    def finish(self, source: str) -> None:
        """The file is stored (or failed, said in its ingest's summary): off the queue."""
        self.db.execute("UPDATE ingest_claims SET done = true, backend = NULL WHERE source = ?", (source,))

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """No lock: any number of ingests may write to a server KB at once (each document in one transaction)."""
        yield


def _local_home(url: str) -> Path:
    """This machine's folder for a server KB (`$XDG_CACHE_HOME/scrutiny-kb/server-<hash of the URL>`)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "scrutiny-kb"
    key = hashlib.sha256(safe_url(url).encode()).hexdigest()[:16]
    return cache / f"server-{key}"


def collection_name(store) -> str:
    """The Chroma collection of a server KB: one per database, so one Chroma server can hold several."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", database_name(store.url))
    return f"chunks-{name}"[:60]


_chroma_clients: dict[str, object] = {}


def chroma_client(store):
    """chromadb.HttpClient for the Chroma server `store.vectors_url` names, one per server per process: making
    one (its settings, an SSL context loading the system's certificates) took ~300 ms of each server search
    (bench/scale.py --search), against ~10 ms for a request through it."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    if not store.vectors_url:
        raise StoreError("a server knowledge base keeps its vectors in a Chroma server: give its address with "
                         "--vectors http://HOST:PORT (or SCRUTINY_VECTORS)")
    client = _chroma_clients.get(store.vectors_url)
    if client is None:
        import chromadb
        from chromadb.config import Settings

        parts = urlsplit(store.vectors_url if "://" in store.vectors_url else f"http://{store.vectors_url}")
        client = _chroma_clients[store.vectors_url] = chromadb.HttpClient(
            host=parts.hostname or "127.0.0.1", port=parts.port or 8000, ssl=parts.scheme == "https",
            settings=Settings(anonymized_telemetry=False))
    return client


def forget_chroma_clients() -> None:
    _chroma_clients.clear()
