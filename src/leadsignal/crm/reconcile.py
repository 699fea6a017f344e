"""Compare leads on both sides through the CRM adapter and report (or repair) drift per field.

Drift in a CRM-owned field is repaired by pulling the CRM's value into us; drift in a field
leadsignal owns is repaired by publishing ``lead.enriched.v1`` again, which the CRM's webhook
consumer applies. Values never appear in the report, only field names and owners.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.compliance import audit
from leadsignal.core.context import AppContext
from leadsignal.crm.models import CONTACT_FLAGS
from leadsignal.crm.ownership import owner_of
from leadsignal.crm.ports import CrmAdapter, CrmError, CrmLead
from leadsignal.crm.sync import apply_crm_update, contact_flags, parse_crm_fields
from leadsignal.db import session_scope
from leadsignal.events.service import publish_lead_enriched
from leadsignal.leads import service as leads
from leadsignal.leads.fields import FIELD_BY_EXTERNAL
from leadsignal.leads.models import Lead
from leadsignal.leads.normalize import FieldError

_OURS = {"companyDomain": "company_domain", "companyAbout": "company_about", "linkedin_url": "linkedin_url"}


@dataclass(frozen=True)
class Drift:
    agency_id_number: str
    field: str
    owner: str
    repaired: bool = False


@dataclass
class ReconcileReport:
    checked: int = 0
    drifts: list[Drift] = field(default_factory=list)
    missing_in_crm: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pulled: int = 0
    republished: int = 0

    def by_owner(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for d in self.drifts:
            counts[d.owner] = counts.get(d.owner, 0) + 1
        return counts


def _normalised(name: str, raw: Any) -> Any:
    """The CRM's value in our stored form, so '(614) 555-0123' equals '+16145550123'."""
    if name in CONTACT_FLAGS:
        return raw
    if raw is not None and not isinstance(raw, str):
        raise FieldError(f"{name}: not a string")
    return FIELD_BY_EXTERNAL[name].parse(raw)


def compare(session: Session, lead: Lead, crm: CrmLead) -> list[tuple[str, str]]:
    """(field, owner) for each mapped field whose values differ."""
    flags = contact_flags(session, lead.id)
    drift: list[tuple[str, str]] = []
    for name, raw in sorted(crm.fields.items()):
        owner = owner_of(name)
        if owner == "crm":
            ours = getattr(flags, name) if name in CONTACT_FLAGS else getattr(lead, name)
        elif owner == "leadsignal" and name in _OURS:
            ours = getattr(lead, _OURS[name])
        else:
            continue
        try:
            theirs = _normalised(name, raw)
        except FieldError:
            theirs = raw  # a value we could not parse is drift by definition
        if theirs != ours:
            drift.append((name, owner))
    return drift


def _agency_ids(ctx: AppContext, adapter: CrmAdapter, since: dt.datetime | None, batch: int) -> Iterator[str]:
    seen: set[str] = set()
    if since is not None:
        for agency_id in adapter.list_changed_since(since):
            if agency_id not in seen:
                seen.add(agency_id)
                yield agency_id
    last_id = 0
    while True:
        with session_scope(ctx.sessions) as session:
            query = select(Lead.id, Lead.agency_id_number).where(Lead.id > last_id, Lead.agency_id_number.is_not(None))
            if since is not None:
                query = query.where(Lead.updated_at >= since)
            rows = session.execute(query.order_by(Lead.id).limit(batch)).all()
        if not rows:
            return
        last_id = rows[-1][0]
        for _, ours in rows:
            if ours is not None and ours not in seen:
                seen.add(ours)
                yield ours


def reconcile(
    ctx: AppContext,
    adapter: CrmAdapter,
    *,
    actor: audit.Actor,
    since: dt.datetime | None = None,
    repair: bool = False,
    batch: int = 200,
) -> ReconcileReport:
    """Check every lead (or those changed on either side since ``since``); each lead commits alone."""
    report = ReconcileReport()
    source = ctx.settings.crm_source_name
    for agency_id in _agency_ids(ctx, adapter, since, batch):
        try:
            crm = adapter.fetch_lead(agency_id)
        except CrmError as exc:
            report.errors.append(f"{agency_id}: {exc}")
            continue
        with session_scope(ctx.sessions) as session:
            lead = leads.lead_by_agency_id(session, agency_id)
            if lead is None:
                report.errors.append(f"{agency_id}: changed in the CRM but unknown here")
                continue
            report.checked += 1
            if crm is None:
                report.missing_in_crm.append(agency_id)
                continue
            drift = compare(session, lead, crm)
            pull = {name: crm.fields[name] for name, owner in drift if owner == "crm"}
            pulled_ok = False
            if repair and pull:
                try:
                    parse_crm_fields(pull)
                    apply_crm_update(session, lead, pull, crm_version=crm.version or 0, source=source, actor=actor,
                                     force=True)  # fmt: skip
                    pulled_ok = True
                    report.pulled += 1
                except FieldError as exc:
                    report.errors.append(f"{agency_id}: cannot pull CRM values: {exc}")
            republish = repair and any(owner == "leadsignal" for _, owner in drift)
            if republish:
                publish_lead_enriched(session, lead)
                report.republished += 1
            for name, owner in drift:
                repaired = (owner == "crm" and pulled_ok) or (owner == "leadsignal" and republish)
                report.drifts.append(Drift(agency_id, name, owner, repaired))
            if repair and drift:
                audit.record(
                    session, actor, "crm.reconcile.repaired", entity_type="lead", entity_id=lead.id,
                    fields=[name for name, _ in drift],
                )  # fmt: skip
    return report
