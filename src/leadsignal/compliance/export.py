"""Consumer data export (data access request): everything we hold about one lead.

JSON for machines and a self-contained HTML document (no scripts, no outside assets) for the
person. Sensitive fields are decrypted: the export is for the person the data is about, so it is
produced only for compliance and admin accounts and every export is audited (``lead.exported``).
Audit entries are those recorded against the lead itself, its signals, identity matches and
disputes; list reads that named the lead among many are not searched (they hold only ids).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

import jinja2
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from leadsignal.alerts.email.models import EmailLog
from leadsignal.compliance import audit
from leadsignal.compliance.disputes import SignalDispute
from leadsignal.compliance.models import AuditEntry
from leadsignal.core.crypto import PiiCipher
from leadsignal.crm.models import LeadContactFlags, Outcome
from leadsignal.db import Base, utcnow
from leadsignal.events.models import OutboxEvent
from leadsignal.leads.fields import SENSITIVE
from leadsignal.leads.models import Lead
from leadsignal.leads.service import external_field_of
from leadsignal.matching.models import IdentityMatch
from leadsignal.monitoring.models import MonitorState
from leadsignal.signals.models import Signal, SignalEvidence
from leadsignal.sources.scrape_log import ScrapeLogEntry
from leadsignal.sources.snapshots import ProfileSnapshot, StoredPost

ExportFormat = Literal["json", "html"]
FORMATS: tuple[str, ...] = ("json", "html")
SECTIONS = (
    ("identity_matches", "Profiles we considered to be yours"),
    ("profile_snapshots", "Profile data we collected"),
    ("posts", "Posts we collected"),
    ("signals", "Events we detected"),
    ("disputes", "Disputes"),
    ("outcomes", "Contact outcomes reported by the agency"),
    ("contact_flags", "Contact restrictions"),
    ("monitoring", "Monitoring schedule"),
    ("emails", "Emails about these events"),
    ("events_sent", "Updates sent to the agency's systems"),
    ("scrape_log", "Requests we made for your data"),
    ("audit_log", "Who accessed or changed your record"),
)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(obj: Base, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {c.key: _plain(getattr(obj, c.key)) for c in obj.__mapper__.column_attrs if c.key not in skip}


def lead_fields(lead: Lead, cipher: PiiCipher) -> dict[str, Any]:
    """Every lead column by its external name, sensitive ones decrypted, keyed hashes left out."""
    out: dict[str, Any] = {}
    for column in lead.__mapper__.column_attrs:
        key = column.key
        if key.endswith("_hash"):
            continue
        if key.endswith("_enc"):
            base = key.removesuffix("_enc")
            token = getattr(lead, key)
            out[external_field_of(base)] = None if token is None else cipher.decrypt(token, context=base)
            continue
        out[external_field_of(key)] = _plain(getattr(lead, key))
    return out


def _all(session: Session, stmt: Select[Any], *, skip: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [_row(obj, skip=skip) for obj in session.scalars(stmt)]


def build_export(session: Session, cipher: PiiCipher, lead: Lead, *, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    signal_ids = list(session.scalars(select(Signal.id).where(Signal.lead_id == lead.id)))
    match_ids = [str(i) for i in session.scalars(select(IdentityMatch.id).where(IdentityMatch.lead_id == lead.id))]
    dispute_ids = [str(i) for i in session.scalars(select(SignalDispute.id).where(SignalDispute.lead_id == lead.id))]
    signals = []
    for signal in session.scalars(select(Signal).where(Signal.lead_id == lead.id).order_by(Signal.detected_at)):
        evidence = session.scalars(
            select(SignalEvidence).where(SignalEvidence.signal_id == signal.id).order_by(SignalEvidence.id)
        )
        signals.append({**_row(signal), "evidence": [_row(e, skip=("signal_id",)) for e in evidence]})
    emails = [
        row
        for row in _all(session, select(EmailLog).where(EmailLog.template != "optout_code").order_by(EmailLog.id))
        if set(row["signal_ids"] or []) & set(signal_ids)
    ]
    entity_filters = [(AuditEntry.entity_type == "lead") & (AuditEntry.entity_id == str(lead.id))]
    for entity_type, ids in (
        ("signal", [str(i) for i in signal_ids]),
        ("identity_match", match_ids),
        ("signal_dispute", dispute_ids),
    ):
        if ids:
            entity_filters.append((AuditEntry.entity_type == entity_type) & AuditEntry.entity_id.in_(ids))
    snapshot_filter = ProfileSnapshot.lead_id == lead.id
    return {
        "export": {
            "generated_at": now.isoformat(),
            "lead_id": lead.id,
            "format_version": 1,
            "note": "Everything this system holds about the person, including fields the agency supplied.",
        },
        "lead": lead_fields(lead, cipher),
        "identity_matches": _all(
            session, select(IdentityMatch).where(IdentityMatch.lead_id == lead.id).order_by(IdentityMatch.id)
        ),
        "profile_snapshots": _all(session, select(ProfileSnapshot).where(snapshot_filter).order_by(ProfileSnapshot.id)),
        "posts": _all(session, select(StoredPost).where(StoredPost.lead_id == lead.id).order_by(StoredPost.id)),
        "signals": signals,
        "disputes": _all(
            session, select(SignalDispute).where(SignalDispute.lead_id == lead.id).order_by(SignalDispute.id)
        ),
        "outcomes": _all(session, select(Outcome).where(Outcome.lead_id == lead.id).order_by(Outcome.occurred_at)),
        "contact_flags": _all(session, select(LeadContactFlags).where(LeadContactFlags.lead_id == lead.id)),
        "monitoring": _all(session, select(MonitorState).where(MonitorState.lead_id == lead.id)),
        "emails": emails,
        "events_sent": _all(
            session,
            select(OutboxEvent).where(OutboxEvent.lead_id == lead.id).order_by(OutboxEvent.id),
            skip=("payload",),
        ),
        "scrape_log": _all(
            session, select(ScrapeLogEntry).where(ScrapeLogEntry.lead_id == lead.id).order_by(ScrapeLogEntry.id)
        ),
        "audit_log": _all(
            session, select(AuditEntry).where(or_(*entity_filters)).order_by(AuditEntry.occurred_at, AuditEntry.id)
        ),
    }


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("leadsignal.compliance", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )
    env.filters["pretty"] = lambda v: json.dumps(v, indent=2, ensure_ascii=False, default=str)
    return env.get_template("data_export.html")


def render_html(data: dict[str, Any]) -> str:
    sections = [(key, title, data[key]) for key, title in SECTIONS]
    return _template().render(export=data["export"], lead=data["lead"], sections=sections)


def export_lead(
    session: Session, cipher: PiiCipher, lead: Lead, *, fmt: ExportFormat, actor: audit.Actor
) -> tuple[str, str]:
    """(media type, body) of the export, audited as ``lead.exported``."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    data = build_export(session, cipher, lead)
    counts = {key: len(data[key]) for key, _ in SECTIONS}
    audit.record(
        session,
        actor,
        "lead.exported",
        entity_type="lead",
        entity_id=lead.id,
        fields=sorted({*data["lead"], *SENSITIVE}),
        details={"format": fmt, "counts": counts},
    )
    if fmt == "json":
        return "application/json", json.dumps(data, indent=2, ensure_ascii=False, default=str)
    return "text/html; charset=utf-8", render_html(data)
