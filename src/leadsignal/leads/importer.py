"""Load the agency's CSV export: validate every row, then insert or update in chunks.

Guarantees: a rejected row writes nothing; a chunk is one transaction, so a crash leaves every
lead either as it was or fully updated; importing the same file again changes nothing.
"""

from __future__ import annotations

import collections
import csv
import io
import itertools
import json
import multiprocessing
import os
import sys
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from leadsignal.compliance import audit
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import bulk_insert, session_scope, utcnow
from leadsignal.leads.fields import EXTERNAL_NAMES, FIELD_BY_EXTERNAL
from leadsignal.leads.models import Lead
from leadsignal.leads.normalize import FieldError, parse_name
from leadsignal.leads.service import changed_columns, external_field_of, storage_values

REQUIRED_COLUMNS = ("debtor_name", "agency_id_number", "loan_number")
_ALIASES = {"company_domain": "companyDomain", "company_about": "companyAbout",
            "companydomain": "companyDomain", "companyabout": "companyAbout"}  # fmt: skip


class ImportRefused(Exception):
    """The file as a whole cannot be imported (not a CSV, wrong encoding, missing columns)."""


@dataclass
class RejectedRow:
    line: int
    errors: list[str]


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [{"line": r.line, "errors": r.errors} for r in self.rejected],
            "ignored_columns": self.ignored_columns,
        }

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.as_dict(), indent=2) + "\n")


@dataclass
class _Row:
    line: int
    values: dict[str, Any]
    key: str
    fingerprint: tuple[tuple[str, Any], ...]


def _canonical_header(name: str) -> str:
    cleaned = name.strip().strip('"').replace(" ", "_")
    if cleaned in EXTERNAL_NAMES:
        return cleaned
    lowered = cleaned.lower()
    return _ALIASES.get(lowered, lowered)


def open_csv(path: Path, encoding: str = "utf-8") -> tuple[list[str], list[str], Iterator[tuple[int, list[str]]]]:
    """Header, ignored columns, and (line number, cells) for each record."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportRefused(f"cannot read {path}: {exc.strerror}") from exc
    if not raw.strip():
        raise ImportRefused(f"{path.name} is empty")
    if b"\x00" in raw[:8192]:
        raise ImportRefused(f"{path.name} is not a CSV file (it contains binary data)")
    try:
        text = raw.decode("utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportRefused(
            f"{path.name} is not valid {encoding} (byte 0x{raw[exc.start]:02x} on line {line}); "
            "re-export it as UTF-8, or pass --encoding cp1252 for a Windows/Excel export"
        ) from exc
    except LookupError as exc:
        raise ImportRefused(f"unknown encoding {encoding!r}") from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header_cells = next(reader)
    except csv.Error as exc:
        raise ImportRefused(f"{path.name} is not a CSV file: {exc}") from exc
    header = [_canonical_header(h) for h in header_cells]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportRefused(f"{path.name} lacks required column(s): {', '.join(missing)}")
    duplicated = sorted({h for h in header if header.count(h) > 1 and h})
    if duplicated:
        raise ImportRefused(f"{path.name} repeats column(s): {', '.join(duplicated)}")
    ignored = [h for h in header if h not in EXTERNAL_NAMES]

    def records() -> Iterator[tuple[int, list[str]]]:
        start = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield start, [f"\x00csv:{exc}"]
                return
            if cells and any(c.strip() for c in cells):
                yield start, cells
            start = reader.line_num + 1

    return header, ignored, records()


def _validate(header: list[str], cells: list[str], cipher: PiiCipher) -> tuple[dict[str, Any], list[str]]:
    if len(cells) == 1 and cells[0].startswith("\x00csv:"):
        return {}, [f"row: malformed CSV ({cells[0][5:]})"]
    if len(cells) != len(header):
        return {}, [f"row: has {len(cells)} fields but the header has {len(header)}"]
    errors: list[str] = []
    raw = dict(zip(header, cells, strict=True))
    name = None
    try:
        name = parse_name(raw.get("debtor_name", ""))
    except FieldError as exc:
        errors.append(str(exc))
    parsed: dict[str, Any] = {}
    for column, cell in raw.items():
        spec = FIELD_BY_EXTERNAL.get(column)
        if spec is None:
            continue
        try:
            parsed[spec.column] = spec.parse(cell)
        except FieldError as exc:
            errors.append(str(exc))
    if not errors and not parsed.get("agency_id_number") and not parsed.get("loan_number"):
        errors.append("agency_id_number: required (or loan_number)")
    if errors:
        return {}, errors
    return storage_values(name, parsed, cipher), []


_BATCH = 2000
_INLINE_BELOW = 4000  # smaller files are validated in this process: starting workers costs more


def _validate_batch(
    header: list[str], batch: list[tuple[int, list[str]]], cipher: PiiCipher
) -> list[tuple[int, dict[str, Any], list[str]]]:
    return [(line, *_validate(header, cells, cipher)) for line, cells in batch]


def _validated(
    header: list[str], records: Iterator[tuple[int, list[str]]], cipher: PiiCipher, *, workers: int | None
) -> Iterator[tuple[int, dict[str, Any], list[str]]]:
    """Validated rows in file order; batches go to a process pool once the file proves large."""
    first: list[tuple[int, list[str]]] = list(itertools.islice(records, _INLINE_BELOW))
    # One core writes (this process), the others validate.
    workers = workers if workers is not None else max((os.cpu_count() or 1) - 1, 1)
    if len(first) < _INLINE_BELOW or workers < 1:
        yield from _validate_batch(header, first, cipher)
        for line, cells in records:
            yield (line, *_validate(header, cells, cipher))
        return
    batches = itertools.chain(
        (first[i : i + _BATCH] for i in range(0, len(first), _BATCH)),
        iter(lambda: list(itertools.islice(records, _BATCH)), []),
    )
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: collections.deque[Future[list[tuple[int, dict[str, Any], list[str]]]]] = collections.deque()
        for batch in batches:  # at most 2 batches per worker in flight: memory stays flat
            pending.append(pool.submit(_validate_batch, header, batch, cipher))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _fingerprint(values: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """Comparable identity of a row's content (ciphertexts excluded: they differ on every run)."""
    return tuple((k, v) for k, v in sorted(values.items()) if not k.endswith("_enc"))


def import_leads(
    sessions: sessionmaker[Session],
    cipher: PiiCipher,
    path: Path,
    *,
    actor: audit.Actor,
    encoding: str = "utf-8",
    chunk_size: int = 2000,
    workers: int | None = None,
) -> ImportReport:
    """Import ``path``. For a large file, validation (parsing, encryption, hashing) runs in
    ``workers`` processes (default: one per core but one) while this process writes."""
    header, ignored, records = open_csv(path, encoding)
    report = ImportReport(ignored_columns=ignored)
    seen: dict[str, tuple[int, tuple[tuple[str, Any], ...]]] = {}
    chunk: list[_Row] = []
    for line, values, errors in _validated(header, records, cipher, workers=workers):
        if errors:
            report.rejected.append(RejectedRow(line, errors))
            continue
        key = values.get("agency_id_number") or f"loan:{values['loan_number_hash']}"
        fingerprint = _fingerprint(values)
        if key in seen:
            first_line, first_fp = seen[key]
            if first_fp == fingerprint:
                report.unchanged += 1
            else:
                report.rejected.append(RejectedRow(line, [
                    f"agency_id_number: same lead as line {first_line} with different values"
                ]))  # fmt: skip
            continue
        seen[key] = (line, fingerprint)
        chunk.append(_Row(line, values, key, fingerprint))
        if len(chunk) >= chunk_size:
            _write_chunk(sessions, chunk, report, actor)
            chunk = []
    if chunk:
        _write_chunk(sessions, chunk, report, actor)
    report.rejected.sort(key=lambda r: r.line)
    with session_scope(sessions) as session:
        audit.record(session, actor, "lead.import", entity_type="file", entity_id=path.name[:64],
                     details={k: v for k, v in report.as_dict().items() if k != "rejected"}
                     | {"rejected": len(report.rejected)})  # fmt: skip
    return report


def _write_chunk(sessions: sessionmaker[Session], rows: list[_Row], report: ImportReport, actor: audit.Actor) -> None:
    try:
        with session_scope(sessions) as session:
            counts = _apply(session, rows, actor)
    except DBAPIError:
        # One bad row must not sink its neighbours: retry the chunk a row at a time.
        counts = (0, 0, 0)
        for row in rows:
            try:
                with session_scope(sessions) as session:
                    single = _apply(session, [row], actor)
                counts = tuple(a + b for a, b in zip(counts, single, strict=True))  # type: ignore[assignment]
            except DBAPIError as exc:
                report.rejected.append(RejectedRow(row.line, [f"row: database refused it ({exc.orig})"]))
    report.imported += counts[0]
    report.updated += counts[1]
    report.unchanged += counts[2]


def _apply(session: Session, rows: list[_Row], actor: audit.Actor) -> tuple[int, int, int]:
    agency_ids = [r.values["agency_id_number"] for r in rows if r.values.get("agency_id_number")]
    loan_hashes = [r.values["loan_number_hash"] for r in rows if r.values.get("loan_number_hash")]
    existing = session.scalars(
        select(Lead).where(or_(Lead.agency_id_number.in_(agency_ids), Lead.loan_number_hash.in_(loan_hashes)))
    ).all()
    by_agency = {lead.agency_id_number: lead for lead in existing if lead.agency_id_number}
    by_loan = {lead.loan_number_hash: lead for lead in existing if lead.loan_number_hash}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    audit_rows: list[dict[str, Any]] = []
    unchanged = 0
    now = utcnow()
    claimed: set[int] = set()
    for row in rows:
        agency_id = row.values.get("agency_id_number")
        lead = by_agency.get(agency_id) if agency_id else None
        if lead is None and row.values.get("loan_number_hash"):
            candidate = by_loan.get(row.values["loan_number_hash"])
            # Fall back to the loan number only when it does not contradict the agency id.
            if candidate is not None and (not agency_id or not candidate.agency_id_number):
                lead = candidate
        if lead is None:
            inserts.append(row.values | {"created_at": now, "updated_at": now, "version": 1, "extra": {}})
            continue
        if lead.id in claimed:
            raise ValueError("two rows resolved to one lead")  # prevented by in-file dedupe
        claimed.add(lead.id)
        changes = changed_columns(lead, row.values)
        if not changes:
            unchanged += 1
            continue
        updates.append({"id": lead.id, **changes, "updated_at": now, "version": lead.version + 1})
        fields = sorted({external_field_of(c) for c in changes})
        audit_rows.append({"action": "lead.updated", "entity_type": "lead", "entity_id": lead.id, "fields": fields})
    if inserts:
        # Not the ORM: its RETURNING path inserts row by row on psycopg. Ids are read back by natural key.
        bulk_insert(session, cast(Table, Lead.__table__), inserts)
        new_ids = _ids_of(session, inserts)
        audit_rows.extend({"action": "lead.created", "entity_type": "lead", "entity_id": i} for i in new_ids)
    batches: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for change in updates:  # ORM bulk UPDATE wants one set of keys per executemany
        batches[tuple(sorted(change))].append(change)
    for batch in batches.values():
        session.execute(update(Lead), batch)
    audit.record_many(session, actor, audit_rows)
    return len(inserts), len(updates), unchanged


def _ids_of(session: Session, inserted: list[dict[str, Any]]) -> list[int]:
    agency_ids = [v["agency_id_number"] for v in inserted if v.get("agency_id_number")]
    loan_hashes = [v["loan_number_hash"] for v in inserted if not v.get("agency_id_number")]
    ids = list(session.scalars(select(Lead.id).where(Lead.agency_id_number.in_(agency_ids)))) if agency_ids else []
    if loan_hashes:
        query = select(Lead.id).where(Lead.loan_number_hash.in_(loan_hashes), Lead.agency_id_number.is_(None))
        ids.extend(session.scalars(query))
    return sorted(ids)
