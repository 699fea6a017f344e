"""Backups of the whole database, and restores from them.

SQLite: the online backup API (a consistent copy while the app runs). PostgreSQL: ``pg_dump -Fc``
and ``pg_restore --clean --if-exists`` against the configured URL; the password goes to the tools
through ``PGPASSWORD``, never on the command line. Each backup gets a manifest (database kind,
time, Alembic heads, size, sha256) and is verified after writing. Rows are copied as stored, so
PII columns stay encrypted in the backup; the keys are not in it and must be kept separately.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Literal

import structlog
from pydantic import BaseModel
from sqlalchemy import Engine
from sqlalchemy.engine import URL

from leadsignal.core import migrate
from leadsignal.db import utcnow
from leadsignal.settings import Settings

log = structlog.get_logger(__name__)

DbKind = Literal["sqlite", "postgresql"]
_NAME_RE = re.compile(r"^leadsignal-\d{8}T\d{6}Z(?:-\d+)?\.(?:sqlite3|pgdump)$")
_SUFFIX: dict[DbKind, str] = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}


class BackupError(RuntimeError):
    """A backup or restore could not be made, or a file failed verification."""


class BackupManifest(BaseModel):
    file: str
    db_kind: DbKind
    created_at: dt.datetime
    alembic_heads: list[str]
    size_bytes: int
    sha256: str
    tool_version: str | None = None


def backup_root(settings: Settings) -> Path:
    return settings.backup_dir or settings.data_dir / "backups"


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".manifest.json")


def _kind(engine: Engine) -> DbKind:
    name = engine.dialect.name
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {name}")
    return "sqlite" if name == "sqlite" else "postgresql"


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


# -- PostgreSQL tools ----------------------------------------------------------------------------


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URL without the password, and the environment that carries it."""
    plain = url.set(drivername="postgresql", password=None)
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed or not on PATH; install the PostgreSQL client tools of the server's "
            "major version or newer (e.g. apt-get install postgresql-client-15)"
        )
    return path


def _tool_version(tool: str) -> str:
    out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    return out.stdout.strip()


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    if done.returncode != 0:
        message = done.stderr.strip()[-1500:]
        if "version mismatch" in message:
            message += " (use pg_dump/pg_restore of the server's major version or newer)"
        raise BackupError(f"{what} failed (exit {done.returncode}): {message}")


# -- create --------------------------------------------------------------------------------------


def create_backup(engine: Engine, out_dir: Path, *, now: dt.datetime | None = None) -> BackupManifest:
    """Write a backup and its manifest to ``out_dir``, then verify it."""
    kind = _kind(engine)
    now = now or utcnow()
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"leadsignal-{now:%Y%m%dT%H%M%SZ}{_SUFFIX[kind]}"
    n = 1
    while target.exists():
        target = out_dir / f"leadsignal-{now:%Y%m%dT%H%M%SZ}-{n}{_SUFFIX[kind]}"
        n += 1
    partial = target.with_name(target.name + ".partial")
    heads = sorted(migrate.current_heads(engine))
    version: str | None
    try:
        if kind == "sqlite":
            version = f"sqlite {sqlite3.sqlite_version}"
            source = sqlite3.connect(_sqlite_path(engine), timeout=30)
            dest = sqlite3.connect(partial)
            try:
                source.backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
            finally:
                dest.close()
                source.close()
        else:
            tool = _tool("pg_dump")
            version = _tool_version(tool)
            url, env = _libpq(engine.url)
            _run([tool, "--format=custom", "--no-owner", f"--file={partial}", f"--dbname={url}"], env, "pg_dump")
        with partial.open("rb") as raw:
            os.fsync(raw.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    manifest = BackupManifest(
        file=target.name, db_kind=kind, created_at=now, alembic_heads=heads,
        size_bytes=target.stat().st_size, sha256=_sha256(target), tool_version=version,
    )  # fmt: skip
    manifest_path(target).write_text(manifest.model_dump_json(indent=2), encoding="utf-8")
    verify_backup(target)
    log.info("backup.created", file=str(target), db_kind=kind, size=manifest.size_bytes)
    return manifest


def read_manifest(backup: Path) -> BackupManifest:
    path = manifest_path(backup)
    if not path.exists():
        raise BackupError(f"{backup.name} has no manifest ({path.name}); not a leadsignal backup?")
    return BackupManifest.model_validate_json(path.read_text(encoding="utf-8"))


def verify_backup(backup: Path) -> BackupManifest:
    """Checksum against the manifest, then a structural check: integrity_check or pg_restore --list."""
    if not backup.is_file():
        raise BackupError(f"no backup file {backup}")
    manifest = read_manifest(backup)
    if _sha256(backup) != manifest.sha256:
        raise BackupError(f"{backup.name}: sha256 does not match its manifest (corrupt or altered)")
    if manifest.db_kind == "sqlite":
        conn = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()
            heads = sorted(r[0] for r in conn.execute("SELECT version_num FROM alembic_version"))
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{backup.name}: not a readable SQLite database ({exc})") from exc
        finally:
            conn.close()
        if not result or result[0] != "ok":
            raise BackupError(f"{backup.name}: integrity check failed: {result}")
        if heads != manifest.alembic_heads:
            raise BackupError(f"{backup.name}: schema heads {heads} differ from the manifest")
    else:
        _run([_tool("pg_restore"), "--list", str(backup)], {**os.environ}, "pg_restore --list")
    return manifest


# -- restore -------------------------------------------------------------------------------------


def restore_backup(engine: Engine, backup: Path) -> BackupManifest:
    """Replace the configured database's contents with ``backup`` (verified first)."""
    kind = _kind(engine)
    claimed = read_manifest(backup).db_kind if backup.is_file() else kind
    if claimed != kind:
        raise BackupError(f"{backup.name} is a {claimed} backup; the configured database is {kind}")
    manifest = verify_backup(backup)
    engine.dispose()  # our own pooled connections must not hold locks or stale pages
    if kind == "sqlite":
        _restore_sqlite(_sqlite_path(engine), backup)
    else:
        url, env = _libpq(engine.url)
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--exit-on-error", f"--dbname={url}", str(backup)], env, "pg_restore")  # fmt: skip
    engine.dispose()
    log.info("backup.restored", file=str(backup), db_kind=kind)
    return manifest


def _restore_sqlite(target: Path, backup: Path) -> None:
    """Copy the backup into place through the backup API, after checking nobody else uses the database.

    A plain file copy over a live WAL database corrupts it; the backup API writes through SQLite's
    own locking, so the result is whole even for a reader that opens the file a moment later.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    dest = sqlite3.connect(target, timeout=2, isolation_level=None)
    try:
        if target.exists():
            busy = dest.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if busy and busy[0]:
                raise BackupError("the database is in use (an open reader or writer); stop the app and workers first")
            try:
                dest.execute("BEGIN EXCLUSIVE")
                dest.execute("ROLLBACK")
            except sqlite3.OperationalError as exc:
                raise BackupError("the database is locked by another process; stop the app and workers first") from exc
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            source.backup(dest)
        finally:
            source.close()
    finally:
        dest.close()


# -- schedule ------------------------------------------------------------------------------------


def list_backups(folder: Path) -> list[Path]:
    """Our backup files in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if _NAME_RE.match(p.name)), key=lambda p: p.name)


def prune_backups(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups (with their manifests); returns what was deleted."""
    backups = list_backups(folder)
    doomed = backups[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink(missing_ok=True)
        manifest_path(path).unlink(missing_ok=True)
    return doomed


def latest_backup_time(folder: Path) -> dt.datetime | None:
    for path in reversed(list_backups(folder)):
        try:
            return read_manifest(path).created_at
        except (BackupError, ValueError):
            continue
    return None


def scheduled_backup(engine: Engine, settings: Settings, *, now: dt.datetime | None = None) -> BackupManifest | None:
    """The periodic job: back up when the newest backup is older than the schedule, then prune."""
    if settings.backup_schedule_hours <= 0:
        return None
    now = now or utcnow()
    folder = backup_root(settings)
    last = latest_backup_time(folder)
    if last is not None and now - last < dt.timedelta(hours=settings.backup_schedule_hours) - dt.timedelta(minutes=5):
        return None
    manifest = create_backup(engine, folder, now=now)
    prune_backups(folder, settings.backup_keep)
    return manifest
