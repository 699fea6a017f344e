"""Apply lead updates from the CRM: only fields the CRM owns, ordered by the CRM's version.

``crm_version`` is monotonic per lead on the CRM side. An update older than the stored version
is ignored and reported as stale, the same version again is a duplicate, so out-of-order or
repeated deliveries converge to the CRM's latest state whatever order they arrive in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.compliance import audit
from leadsignal.crm.models import CONTACT_FLAGS, LeadContactFlags
from leadsignal.crm.ownership import CRM_FIELDS, owner_of
from leadsignal.db import utcnow
from leadsignal.events.sql import insert_ignore
from leadsignal.leads import service as leads
from leadsignal.leads.fields import FIELD_BY_EXTERNAL
from leadsignal.leads.models import Lead
from leadsignal.leads.normalize import FieldError


class LeadNotFound(LookupError):
    """No lead has that agency id number."""


class FieldOwnershipError(ValueError):
    """The update touches fields the CRM does not own."""

    def __init__(self, fields: dict[str, str | None]) -> None:
        self.fields = fields
        named = ", ".join(f"{f} (owned by {o})" for f, o in sorted(fields.items()))
        super().__init__(f"the CRM may not update {named}")


@dataclass
class SyncResult:
    status: Literal["applied", "stale", "duplicate"]
    crm_version: int
    stored_version: int
    changed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ContactFlags:
    do_not_contact: bool = False
    cease_and_desist: bool = False
    bankruptcy: bool = False
    attorney_represented: bool = False
    disputed: bool = False
    crm_version: int = 0

    @property
    def blocks_contact(self) -> bool:
        """True when collectors must not be prompted to reach out (alerts use this)."""
        return self.do_not_contact or self.cease_and_desist or self.bankruptcy or self.attorney_represented


def find_lead(session: Session, agency_id_number: str) -> Lead:
    lead = leads.lead_by_agency_id(session, agency_id_number)
    if lead is None:
        raise LeadNotFound(f"no lead with agency_id_number {agency_id_number!r}")
    return lead


def contact_flags(session: Session, lead_id: int) -> ContactFlags:
    row = session.get(LeadContactFlags, lead_id)
    if row is None:
        return ContactFlags()
    return ContactFlags(**{f: getattr(row, f) for f in CONTACT_FLAGS}, crm_version=row.crm_version)


def check_ownership(fields: dict[str, Any]) -> None:
    unknown = sorted(name for name in fields if owner_of(name) is None)
    if unknown:
        raise FieldError(f"unknown lead field(s): {', '.join(unknown)}")
    refused: dict[str, str | None] = {name: owner_of(name) for name in fields if owner_of(name) != "crm"}
    if refused:
        raise FieldOwnershipError(refused)


def parse_crm_fields(fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, bool]]:
    """Split and validate an update into lead columns and flags; raises FieldError on bad values."""
    check_ownership(fields)
    columns: dict[str, Any] = {}
    flags: dict[str, bool] = {}
    for name, raw in fields.items():
        if name in CONTACT_FLAGS:
            if not isinstance(raw, bool):
                raise FieldError(f"{name}: must be true or false")
            flags[name] = raw
            continue
        if raw is not None and not isinstance(raw, str):
            raise FieldError(f"{name}: must be a string or null")
        spec = FIELD_BY_EXTERNAL[name]
        columns[spec.column] = spec.parse(raw)
    return columns, flags


def _lock_flags(session: Session, lead_id: int, source: str) -> LeadContactFlags:
    insert_ignore(
        session,
        LeadContactFlags.__table__,  # type: ignore[arg-type]
        {"lead_id": lead_id, "source": source, "crm_version": 0, "updated_at": utcnow(),
         **dict.fromkeys(CONTACT_FLAGS, False)},
    )  # fmt: skip
    row = session.scalar(select(LeadContactFlags).where(LeadContactFlags.lead_id == lead_id).with_for_update())
    assert row is not None
    return row


def apply_crm_update(
    session: Session,
    lead: Lead,
    fields: dict[str, Any],
    *,
    crm_version: int,
    source: str,
    actor: audit.Actor,
    force: bool = False,
) -> SyncResult:
    """Apply the CRM-owned ``fields`` (external names) of one lead at ``crm_version``.

    ``force`` (reconciliation repair) applies the CRM's current values whatever the versions say,
    keeping the highest version seen.
    """
    if crm_version < 0 or (crm_version == 0 and not force):
        raise FieldError("crm_version: must be a positive integer")
    columns, flags = parse_crm_fields(fields)
    row = _lock_flags(session, lead.id, source)
    stored = row.crm_version
    if force:
        crm_version = max(crm_version, stored)
    elif crm_version < stored:
        audit.record(
            session, actor, "lead.crm_update.stale", entity_type="lead", entity_id=lead.id, fields=list(fields),
            details={"crm_version": crm_version, "stored_version": stored, "source": source},
        )  # fmt: skip
        return SyncResult("stale", crm_version, stored)
    elif crm_version == stored:  # a redelivery: nothing written, but the attempt is on record
        audit.record(
            session, actor, "lead.crm_update.duplicate", entity_type="lead", entity_id=lead.id, fields=list(fields),
            details={"crm_version": crm_version, "source": source},
        )  # fmt: skip
        return SyncResult("duplicate", crm_version, stored)
    changed = leads.apply_crm_fields(session, lead, columns, actor=actor, source=source) if columns else []
    changed_flags = {name: value for name, value in flags.items() if getattr(row, name) != value}
    for name, value in changed_flags.items():
        setattr(row, name, value)
    if changed_flags:
        audit.record(
            session, actor, "lead.contact_flags.updated", entity_type="lead", entity_id=lead.id,
            fields=list(changed_flags), details={"values": changed_flags, "crm_version": crm_version, "source": source},
        )  # fmt: skip
    row.crm_version, row.source, row.updated_at = crm_version, source, utcnow()
    session.flush()
    external = {c: c for c in CRM_FIELDS}
    return SyncResult("applied", crm_version, crm_version, sorted([external[c] for c in changed] + list(changed_flags)))
