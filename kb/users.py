"""People who may sign in to the web workspace (`scrutiny serve` on a shared server), their sessions and
the log of what they did.

Passwords are kept only as bcrypt hashes; a session's token is given to the browser and only its SHA-256
is stored, so a copy of the KB holds nothing that signs anyone in. Roles: a *viewer* reads; an *editor*
also corrects (kb.corrections) and ingests; an *admin* is an editor who may manage users.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

ROLES = ("viewer", "editor", "admin")
MIN_PASSWORD = 10
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further
SESSION_HOURS = 12
_DUMMY_HASH: bytes | None = None


class UserError(Exception):
    """A user cannot be added, changed or found as asked; the message names the culprit."""


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(t: datetime) -> str:
    return t.isoformat(timespec="seconds")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise UserError(f"a password may be at most {MAX_PASSWORD_BYTES} bytes long")


def _hash(password: str) -> str:
    import bcrypt

    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def add_user(store, name: str, password: str, role: str, by: str | None = None, replace: bool = False) -> None:
    """Add NAME (or, with `replace`, set its role and password)."""
    name = (name or "").strip()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise UserError(f'"{name}" cannot be a user name (1-64 characters, no spaces)')
    if role not in ROLES:
        raise UserError(f'unknown role "{role}" (one of {", ".join(ROLES)})')
    check_password(password)
    exists = get_user(store, name) is not None
    if exists and not replace:
        raise UserError(f'user "{name}" exists (use --replace to set a new password or role)')
    with store.transaction() as db:
        if exists:
            db.execute("UPDATE users SET role = ?, password_hash = ? WHERE name = ?", (role, _hash(password), name))
            db.execute('DELETE FROM sessions WHERE "user" = ?', (name,))  # a new password signs everyone out
        else:
            db.execute("INSERT INTO users (name, role, password_hash, created_at, created_by) VALUES (?,?,?,?,?)",
                       (name, role, _hash(password), _stamp(_now()), by))


def remove_user(store, name: str) -> None:
    if get_user(store, name) is None:
        raise UserError(f'no user "{name}"')
    with store.transaction() as db:
        db.execute("DELETE FROM users WHERE name = ?", (name,))


def get_user(store, name: str) -> dict | None:
    row = store.db.execute("SELECT name, role, created_at, created_by FROM users WHERE name = ?", (name,)).fetchone()
    return dict(row) if row else None


def list_users(store) -> list[dict]:
    return [dict(r) for r in store.db.execute("SELECT name, role, created_at, created_by FROM users ORDER BY name")]


def count_users(store) -> int:
    return store.db.execute("SELECT count(*) FROM users").fetchone()[0]


def verify(store, name: str, password: str) -> dict | None:
    """The user when NAME's password is PASSWORD, else None (taking as long either way)."""
    import bcrypt

    global _DUMMY_HASH
    row = store.db.execute("SELECT password_hash FROM users WHERE name = ?", (name,)).fetchone()
    pw = (password or "").encode("utf-8")[:MAX_PASSWORD_BYTES]
    if row is None:
        _DUMMY_HASH = _DUMMY_HASH or bcrypt.hashpw(b"no such user", bcrypt.gensalt())
        bcrypt.checkpw(pw, _DUMMY_HASH)
        return None
    return get_user(store, name) if bcrypt.checkpw(pw, row[0].encode("ascii")) else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_session(store, name: str, hours: float = SESSION_HOURS) -> str:
    """A new session for NAME; returns the token the browser keeps."""
    token = secrets.token_urlsafe(32)
    now = _now()
    with store.transaction() as db:
        db.execute("DELETE FROM sessions WHERE expires_at < ?", (_stamp(now),))
        db.execute('INSERT INTO sessions (token_hash, "user", created_at, expires_at) VALUES (?,?,?,?)',
                   (_token_hash(token), name, _stamp(now), _stamp(now + timedelta(hours=hours))))
    return token


def session_user(store, token: str | None) -> dict | None:
    """The signed-in user of a session token, or None (unknown or expired)."""
    if not token:
        return None
    row = store.db.execute('SELECT u.name, u.role FROM sessions s JOIN users u ON u.name = s."user" '
                           "WHERE s.token_hash = ? AND s.expires_at > ?", (_token_hash(token), _stamp(_now()))
                           ).fetchone()
    return dict(row) if row else None


def end_session(store, token: str | None) -> None:
    if token:
        with store.transaction() as db:
            db.execute("DELETE FROM sessions WHERE token_hash = ?", (_token_hash(token),))


def log(store, user: str, action: str, detail: str | None = None) -> None:
    """Note that USER did ACTION (the web workspace's log of who did what, when)."""
    with store.transaction() as db:
        db.execute('INSERT INTO activity (at, "user", action, detail) VALUES (?,?,?,?)',
                   (_stamp(_now()), user, action, detail))


def activity(store, limit: int = 200) -> list[dict]:
    return [dict(r) for r in store.db.execute("SELECT * FROM activity ORDER BY id DESC LIMIT ?", (limit,))]
