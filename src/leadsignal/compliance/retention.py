"""Retention: archive expired rows of each data class, verify the archive, then purge them.

Order per run: select expired rows (leads under legal hold excluded) in id batches, write them
with their child rows to ``<archive_dir>/<class>/<date>-<run>.jsonl.gz``, write a manifest, re-read
the file and compare row counts, ids and sha256, and only then delete in id batches (each its own
transaction, re-checking the cutoff and the holds). A crash at any point leaves every row either
archived and still present (the next run archives it again) or archived and deleted; never lost.
Values are dumped as stored, so encrypted columns stay ciphertext in the archive.

The audit log is append-only: its rows are deleted only through ``audit.purge_before``, and its
cutoff is lowered to the oldest entry about a lead under legal hold, so a hold keeps that history.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import gzip
import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import structlog
from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, Table, and_, delete, func, select
from sqlalchemy.orm import Session

import leadsignal.models  # noqa: F401  - every table registered on Base.metadata
from leadsignal.auth.rls import apply_rls_context
from leadsignal.compliance import audit
from leadsignal.compliance.holds import held_leads, not_held
from leadsignal.compliance.retention_models import RetentionRun
from leadsignal.core.context import AppContext
from leadsignal.db import Base, session_scope, utcnow
from leadsignal.settings import Settings
from leadsignal.signals.models import Signal

log = structlog.get_logger(__name__)

DataClass = Literal["snapshots", "posts", "signals", "scrape_log", "emails", "audit"]
DATA_CLASSES: tuple[DataClass, ...] = ("snapshots", "posts", "signals", "scrape_log", "emails", "audit")
ACTOR = audit.Actor("system:retention")


@dataclass(frozen=True)
class Child:
    """Rows of ``table`` whose ``fk`` points at an archived parent go into the same archive."""

    table: str
    fk: str


@dataclass(frozen=True)
class Part:
    table: str
    time_column: str
    lead_column: str | None = None  # rows of held leads are kept
    children: tuple[Child, ...] = ()
    keep_latest_by: str | None = None  # keep the newest row per value of this column (diff baseline)
    signal_ids_column: str | None = None  # held when any listed signal belongs to a held lead


PARTS: dict[DataClass, tuple[Part, ...]] = {
    "snapshots": (Part("profile_snapshots", "fetched_at", "lead_id", keep_latest_by="profile_url"),),
    "posts": (Part("posts", "first_seen_at", "lead_id"),),
    "signals": (
        Part(
            "signals",
            "detected_at",
            "lead_id",
            children=(
                Child("signal_evidence", "signal_id"),
                Child("signal_escalations", "signal_id"),
                Child("signal_disputes", "signal_id"),
            ),
        ),
    ),
    "scrape_log": (Part("scrape_log", "occurred_at", "lead_id"), Part("rate_limit_incidents", "started_at")),
    "emails": (
        Part(
            "email_log", "created_at", children=(Child("email_events", "email_log_id"),), signal_ids_column="signal_ids"
        ),
        Part("email_outbox", "created_at"),
    ),
    "audit": (Part("audit_log", "occurred_at"),),
}


class RetentionError(RuntimeError):
    """The archive could not be written or did not verify; nothing was deleted."""


class RetentionResult(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    data_class: str
    cutoff: dt.datetime
    dry_run: bool
    status: str
    archived: int
    purged: int
    held: int
    archive_path: str | None
    verified: bool
    error: str | None
    details: dict[str, Any]
    started_at: dt.datetime
    finished_at: dt.datetime | None


def retention_days(settings: Settings, data_class: DataClass) -> int:
    days: int = getattr(settings, f"retention_{data_class}_days")
    return days


def archive_root(settings: Settings) -> Path:
    return settings.archive_dir or settings.data_dir / "archive"


@contextmanager
def system_scope(ctx: AppContext) -> Iterator[Session]:
    """A unit of work with the system's row-level-security rights (PostgreSQL): jobs see every row."""
    with session_scope(ctx.sessions) as session:
        apply_rls_context(session, role="system", user_id=None, team_ids=[])
        yield session


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _line(table: str, row: dict[str, Any]) -> str:
    payload = {"table": table, "row": {k: _jsonable(v) for k, v in row.items()}}
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def read_archive(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (table, row) of an archive file, in the order written."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for raw in handle:
            item = json.loads(raw)
            yield item["table"], item["row"]


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


# -- selecting -----------------------------------------------------------------------------------


def _expired(part: Part, cutoff: dt.datetime) -> ColumnElement[bool]:
    table = _table(part.table)
    cond: ColumnElement[bool] = table.c[part.time_column] < cutoff
    if part.keep_latest_by is not None:
        latest = select(func.max(table.c.id)).group_by(table.c[part.keep_latest_by])
        cond = and_(cond, table.c.id.not_in(latest))
    return cond


def _eligible(part: Part, cutoff: dt.datetime) -> ColumnElement[bool]:
    cond = _expired(part, cutoff)
    if part.lead_column is not None:
        cond = and_(cond, not_held(_table(part.table).c[part.lead_column]))
    return cond


def _held_count(session: Session, part: Part, cutoff: dt.datetime) -> int:
    if part.lead_column is None:
        return 0
    table = _table(part.table)
    stmt = (
        select(func.count())
        .select_from(table)
        .where(_expired(part, cutoff), table.c[part.lead_column].in_(held_leads()))
    )
    return int(session.scalar(stmt) or 0)


def _held_by_signals(session: Session, rows: list[dict[str, Any]], column: str) -> set[int]:
    """Ids of rows listing a signal of a held lead."""
    wanted = {int(s) for row in rows for s in (row[column] or [])}
    if not wanted:
        return set()
    held_signals = set(
        session.scalars(select(Signal.id).where(Signal.id.in_(wanted), Signal.lead_id.in_(held_leads())))
    )
    return {row["id"] for row in rows if held_signals.intersection(int(s) for s in (row[column] or []))}


def _batches(
    ctx: AppContext, part: Part, cutoff: dt.datetime, *, held: Counter[str]
) -> Iterator[tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]]:
    """Eligible rows in id order, with their child rows; each batch read in its own short transaction."""
    table = _table(part.table)
    size = ctx.settings.retention_batch_size
    last = 0
    while True:
        with system_scope(ctx) as session:
            stmt = select(table).where(_eligible(part, cutoff), table.c.id > last).order_by(table.c.id).limit(size)
            rows = [dict(r) for r in session.execute(stmt).mappings()]
            if not rows:
                return
            last = rows[-1]["id"]
            if part.signal_ids_column is not None:
                skip = _held_by_signals(session, rows, part.signal_ids_column)
                held[part.table] += len(skip)
                rows = [r for r in rows if r["id"] not in skip]
            ids = [r["id"] for r in rows]
            children: dict[str, list[dict[str, Any]]] = {}
            for child in part.children:
                ctable = _table(child.table)
                found = session.execute(select(ctable).where(ctable.c[child.fk].in_(ids)).order_by(ctable.c.id))
                children[child.table] = [dict(r) for r in found.mappings()]
        yield rows, children


# -- the run ---------------------------------------------------------------------------------------


def _audit_cutoff(session: Session, cutoff: dt.datetime) -> dt.datetime:
    """Lower the audit cutoff to the oldest entry about a held lead, so purging keeps its history."""
    table = _table("audit_log")
    held_ids = [str(i) for i in session.scalars(held_leads())]
    if not held_ids:
        return cutoff
    oldest: dt.datetime | None = session.scalar(
        select(func.min(table.c.occurred_at)).where(table.c.entity_type == "lead", table.c.entity_id.in_(held_ids))
    )
    if oldest is None:
        return cutoff
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=dt.UTC)
    return min(cutoff, oldest)


def run_class(
    ctx: AppContext,
    data_class: DataClass,
    *,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    actor: audit.Actor = ACTOR,
) -> RetentionResult | None:
    """One retention run of one class; None when the class is kept forever (0 days)."""
    days = retention_days(ctx.settings, data_class)
    if days <= 0:
        return None
    now = now or utcnow()
    cutoff = now - dt.timedelta(days=days)
    parts = PARTS[data_class]
    with system_scope(ctx) as session:
        if data_class == "audit":
            cutoff = _audit_cutoff(session, cutoff)
        run = RetentionRun(data_class=data_class, cutoff=cutoff, dry_run=dry_run, status="running", archived=0,
                           purged=0, held=0, verified=False, details={}, started_at=utcnow())  # fmt: skip
        session.add(run)
        session.flush()
        run_id = run.id
    details: dict[str, Any] = {"days": days}
    try:
        if dry_run:
            outcome = _count_only(ctx, parts, cutoff)
        else:
            outcome = _archive_and_purge(ctx, data_class, parts, cutoff, run_id, now=now)
        details |= outcome.pop("details")
        status, error = "succeeded", None
    except Exception as exc:  # recorded on the run row; the caller sees status "failed"
        log.exception("retention.failed", data_class=data_class, run_id=run_id)
        outcome = {"archived": 0, "purged": 0, "held": 0, "archive_path": None, "verified": False}
        status, error = "failed", f"{type(exc).__name__}: {exc}"[:2000]
    with system_scope(ctx) as session:
        run = session.get_one(RetentionRun, run_id)
        for key, value in outcome.items():
            setattr(run, key, value)
        run.status, run.error, run.details, run.finished_at = status, error, details, utcnow()
        audit.record(session, actor, "retention.dry_run" if dry_run else "retention.run", entity_type="retention_run",
                     entity_id=run_id, details={"data_class": data_class, "cutoff": cutoff.isoformat(),
                                                "status": status, **outcome})  # fmt: skip
        session.flush()
        result = RetentionResult.model_validate(run)
    log.info("retention.finished", data_class=data_class, status=status, archived=result.archived,
             purged=result.purged, held=result.held, dry_run=dry_run)  # fmt: skip
    return result


def run_all(
    ctx: AppContext,
    *,
    classes: tuple[DataClass, ...] = DATA_CLASSES,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    actor: audit.Actor = ACTOR,
) -> list[RetentionResult]:
    """Every class in turn (those kept forever are skipped); one failing class does not stop the others."""
    now = now or utcnow()
    results = [run_class(ctx, c, now=now, dry_run=dry_run, actor=actor) for c in classes]
    return [r for r in results if r is not None]


def _count_only(ctx: AppContext, parts: tuple[Part, ...], cutoff: dt.datetime) -> dict[str, Any]:
    counts: dict[str, int] = {}
    held = 0
    with system_scope(ctx) as session:
        for part in parts:
            table = _table(part.table)
            stmt = select(func.count()).select_from(table).where(_eligible(part, cutoff))
            counts[part.table] = int(session.scalar(stmt) or 0)
            held += _held_count(session, part, cutoff)
    return {"archived": sum(counts.values()), "purged": 0, "held": held, "archive_path": None, "verified": False,
            "details": {"would_archive": counts}}  # fmt: skip


def _archive_and_purge(
    ctx: AppContext,
    data_class: DataClass,
    parts: tuple[Part, ...],
    cutoff: dt.datetime,
    run_id: int,
    *,
    now: dt.datetime,
) -> dict[str, Any]:
    folder = archive_root(ctx.settings) / data_class
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{now:%Y-%m-%d}-{run_id}"
    path = folder / f"{stem}.jsonl.gz"
    partial = path.with_name(path.name + ".partial")
    written: dict[str, list[int]] = {}
    held: Counter[str] = Counter()
    with gzip.open(partial, "wt", encoding="utf-8") as handle:
        for part in parts:
            for rows, children in _batches(ctx, part, cutoff, held=held):
                for row in rows:
                    handle.write(_line(part.table, row))
                written.setdefault(part.table, []).extend(r["id"] for r in rows)
                for name, child_rows in children.items():
                    for row in child_rows:
                        handle.write(_line(name, row))
                    written.setdefault(name, []).extend(r["id"] for r in child_rows)
    with system_scope(ctx) as session:
        held_total = sum(held.values()) + sum(_held_count(session, p, cutoff) for p in parts)
    primary = {p.table for p in parts}
    archived = sum(len(ids) for name, ids in written.items() if name in primary)
    details: dict[str, Any] = {"rows": {name: len(ids) for name, ids in written.items()}}
    if archived == 0:
        partial.unlink()
        return {"archived": 0, "purged": 0, "held": held_total, "archive_path": None, "verified": True,
                "details": details}  # fmt: skip
    with partial.open("rb") as raw:
        os.fsync(raw.fileno())
    os.replace(partial, path)
    digest = _sha256(path)
    manifest = {
        "data_class": data_class,
        "run_id": run_id,
        "cutoff": cutoff.isoformat(),
        "created_at": utcnow().isoformat(),
        "file": path.name,
        "sha256": digest,
        "rows": details["rows"],
        "id_ranges": {name: [min(ids), max(ids)] for name, ids in written.items() if ids},
    }
    manifest_path = folder / f"{stem}.manifest.json"
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    verify_archive(path, manifest_path, expected={name: set(ids) for name, ids in written.items()})
    details["sha256"] = digest
    if data_class == "audit":
        purged = _purge_audit(ctx, cutoff, archived, run_id)
    else:
        purged = sum(_purge(ctx, part, written.get(part.table, []), cutoff) for part in parts)
    return {"archived": archived, "purged": purged, "held": held_total, "archive_path": str(path),
            "verified": True, "details": details}  # fmt: skip


def verify_archive(path: Path, manifest_path: Path, *, expected: dict[str, set[int]] | None = None) -> dict[str, int]:
    """Re-read an archive: sha256 and per-table counts against its manifest, and ids against ``expected``."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if _sha256(path) != manifest["sha256"]:
        raise RetentionError(f"{path.name}: sha256 does not match its manifest")
    seen: dict[str, set[int]] = {}
    count: Counter[str] = Counter()
    for table, row in read_archive(path):
        seen.setdefault(table, set()).add(int(row["id"]))
        count[table] += 1
    if dict(count) != {k: v for k, v in manifest["rows"].items() if v}:
        raise RetentionError(f"{path.name}: row counts {dict(count)} differ from the manifest {manifest['rows']}")
    if expected is not None and seen != {k: v for k, v in expected.items() if v}:
        raise RetentionError(f"{path.name}: the archived ids differ from the rows selected")
    return dict(count)


def _purge(ctx: AppContext, part: Part, ids: list[int], cutoff: dt.datetime) -> int:
    """Delete archived rows in batches; the cutoff and holds are checked again at delete time."""
    table = _table(part.table)
    size = ctx.settings.retention_batch_size
    purged = 0
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        with system_scope(ctx) as session:
            if part.signal_ids_column is not None:  # a hold set since archiving keeps the row
                listed = [dict(r) for r in session.execute(select(table).where(table.c.id.in_(chunk))).mappings()]
                skip = _held_by_signals(session, listed, part.signal_ids_column)
                chunk = [i for i in chunk if i not in skip]
            still = and_(table.c.id.in_(chunk), _eligible(part, cutoff))
            gone = list(session.scalars(delete(table).where(still).returning(table.c.id)))
            for child in part.children:  # normally cascaded; explicit so no orphan survives either way
                ctable = _table(child.table)
                session.execute(delete(ctable).where(ctable.c[child.fk].in_(gone)))
            purged += len(gone)
    return purged


def _purge_audit(ctx: AppContext, cutoff: dt.datetime, archived: int, run_id: int) -> int:
    """Audit rows go only through the sanctioned purge; entries are only ever added with the current
    time, so nothing older than the cutoff can have appeared since archiving."""
    with system_scope(ctx) as session:
        return audit.purge_before(session, cutoff, f"retention run {run_id}: {archived} rows archived and verified",
                                  ACTOR)  # fmt: skip
