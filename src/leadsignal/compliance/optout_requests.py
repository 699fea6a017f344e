"""Borrower opt-out requests from the public form: email-code verification and abuse limits.

A request stores only what is needed to verify it and to find the person: the email's keyed hash
(rate limits, never the address in clear), the name, email and optional details encrypted, and
the code as a keyed hash. Nothing here reveals whether the person is a lead: every request gets
the same email and the same pages; the lead is looked up only once the code is confirmed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import JSON, Index, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from leadsignal.compliance import audit
from leadsignal.compliance.optout import apply_opt_out, system_rights
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import Base, BigIntPK, UTCDateTime, utcnow
from leadsignal.leads.models import Lead
from leadsignal.leads.normalize import FieldError, parse_email, parse_name
from leadsignal.matching.names import fold
from leadsignal.matching.nicknames import same_person_names

CODE_TTL = dt.timedelta(minutes=30)
MAX_ATTEMPTS = 5
PER_IP_PER_HOUR = 5
PER_EMAIL_PER_DAY = 3
STATUSES = ("pending", "confirmed", "expired", "locked")
VerifyOutcome = Literal["confirmed", "wrong_code", "expired", "locked", "unknown", "already_confirmed"]


class OptOutRequest(Base):
    __tablename__ = "optout_requests"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # sha256 of the random token in the verify link/form: the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email_hash: Mapped[str] = mapped_column(String(64))
    ip_hash: Mapped[str] = mapped_column(String(64))
    email_enc: Mapped[str] = mapped_column(Text)
    name_enc: Mapped[str] = mapped_column(Text)
    details_enc: Mapped[str | None] = mapped_column(Text)
    code_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    matched_lead_ids: Mapped[list[int]] = mapped_column(JSON, default=list)

    __table_args__ = (
        Index("ix_optout_requests_ip_created", "ip_hash", "created_at"),
        Index("ix_optout_requests_email_created", "email_hash", "created_at"),
        Index("ix_optout_requests_status", "status", "created_at"),
    )

    def __repr__(self) -> str:
        return f"<OptOutRequest id={self.id} status={self.status}>"


@dataclass(frozen=True)
class PersonDetails:
    """What the person typed: name and email are required, the rest helps a person find them."""

    full_name: str
    email: str
    state: str | None = None
    dob: dt.date | None = None
    linkedin_url: str | None = None

    def extra(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in {
                "state": self.state,
                "dob": self.dob.isoformat() if self.dob else None,
                "linkedin_url": self.linkedin_url,
            }.items()
            if v
        }


@dataclass(frozen=True)
class NewRequest:
    request_id: int
    token: str
    code: str
    expires_at: dt.datetime


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def code_digest(cipher: PiiCipher, token: str, code: str) -> str:
    """Keyed hash of the code, bound to its request: a leaked table gives no usable codes."""
    return cipher.blind_index(f"{_digest(token)}:{code}", context="optout_code")


def rate_limited(session: Session, cipher: PiiCipher, *, email: str, ip: str, now: dt.datetime) -> str | None:
    """'ip' or 'email' when that limit is used up (requests already accepted count), else None."""
    ip_count = session.scalar(
        select(func.count(OptOutRequest.id)).where(
            OptOutRequest.ip_hash == cipher.blind_index(ip, context="optout_ip"),
            OptOutRequest.created_at > now - dt.timedelta(hours=1),
        )
    )
    if (ip_count or 0) >= PER_IP_PER_HOUR:
        return "ip"
    email_count = session.scalar(
        select(func.count(OptOutRequest.id)).where(
            OptOutRequest.email_hash == cipher.blind_index(email, context="optout_email"),
            OptOutRequest.created_at > now - dt.timedelta(days=1),
        )
    )
    if (email_count or 0) >= PER_EMAIL_PER_DAY:
        return "email"
    return None


def create_request(
    session: Session, cipher: PiiCipher, person: PersonDetails, *, ip: str, now: dt.datetime | None = None
) -> NewRequest:
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    code = f"{secrets.randbelow(1_000_000):06d}"
    row = OptOutRequest(
        created_at=now,
        token_hash=_digest(token),
        email_hash=cipher.blind_index(person.email, context="optout_email"),
        ip_hash=cipher.blind_index(ip, context="optout_ip"),
        email_enc=cipher.encrypt(person.email, context="optout_email"),
        name_enc=cipher.encrypt(person.full_name, context="optout_name"),
        details_enc=cipher.encrypt(json.dumps(person.extra()), context="optout_details") if person.extra() else None,
        code_hash=code_digest(cipher, token, code),
        expires_at=now + CODE_TTL,
        attempts=0,
        status="pending",
        matched_lead_ids=[],
    )
    session.add(row)
    session.flush()
    return NewRequest(request_id=row.id, token=token, code=code, expires_at=row.expires_at)


def find_request(session: Session, token: str, *, lock: bool = False) -> OptOutRequest | None:
    stmt = select(OptOutRequest).where(OptOutRequest.token_hash == _digest(token))
    if lock:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def check_code(
    session: Session, cipher: PiiCipher, token: str, code: str, *, now: dt.datetime | None = None
) -> tuple[VerifyOutcome, OptOutRequest | None]:
    """Count an attempt and compare in constant time; the caller applies the opt-out on 'confirmed'."""
    now = now or utcnow()
    row = find_request(session, token, lock=True)
    if row is None:
        return "unknown", None
    if row.status == "confirmed":
        return "already_confirmed", row
    if row.status == "locked" or row.attempts >= MAX_ATTEMPTS:
        return "locked", row
    if now >= row.expires_at:
        row.status = "expired"
        session.flush()
        return "expired", row
    row.attempts += 1
    given = code_digest(cipher, token, code.strip())
    if hmac.compare_digest(given, row.code_hash):
        row.status, row.confirmed_at = "confirmed", now
        session.flush()
        return "confirmed", row
    if row.attempts >= MAX_ATTEMPTS:
        row.status = "locked"
    session.flush()
    return ("locked" if row.status == "locked" else "wrong_code"), row


def person_of(row: OptOutRequest, cipher: PiiCipher) -> PersonDetails:
    extra: dict[str, Any] = (
        json.loads(cipher.decrypt(row.details_enc, context="optout_details")) if row.details_enc else {}
    )
    return PersonDetails(
        full_name=cipher.decrypt(row.name_enc, context="optout_name"),
        email=cipher.decrypt(row.email_enc, context="optout_email"),
        state=extra.get("state"),
        dob=dt.date.fromisoformat(extra["dob"]) if extra.get("dob") else None,
        linkedin_url=extra.get("linkedin_url"),
    )


def _letters(text: str | None) -> str:
    return re.sub(r"[^a-z]", "", fold(text or ""))


def leads_of(session: Session, person: PersonDetails) -> list[Lead]:
    """Leads of this person: the same normalised email and the same name (nicknames allowed).

    Email plus name only: the optional details are kept for a person to use when this finds
    nobody (say, an email we do not hold), never to widen an automatic match.
    """
    try:
        email, name = parse_email(person.email), parse_name(person.full_name)
    except FieldError:
        return []
    if email is None:
        return []
    last, first = _letters(name.last), _letters(name.first)
    found = []
    for lead in session.scalars(select(Lead).where(Lead.email == email).order_by(Lead.id)):
        same_last = _letters(lead.last_name) == last
        if same_last and same_person_names(_letters(lead.first_name), first):
            found.append(lead)
    return found


def verify_and_apply(
    session: Session, cipher: PiiCipher, token: str, code: str, *, actor: audit.Actor, now: dt.datetime | None = None
) -> tuple[VerifyOutcome, int]:
    """Check the code; on success opt out every lead of the person. Returns (outcome, attempts left).

    The answer is the same whether or not anyone matched: the caller must not show a difference.
    """
    now = now or utcnow()
    with system_rights(session):  # no account on the public form; the verified code is the authority
        outcome, row = check_code(session, cipher, token, code, now=now)
        left = 0 if row is None else max(MAX_ATTEMPTS - row.attempts, 0)
        if outcome != "confirmed" or row is None:
            return outcome, left
        leads = leads_of(session, person_of(row, cipher))
        for lead in leads:
            apply_opt_out(
                session,
                lead,
                reason=f"borrower request {row.id} via the public opt-out form",
                source="borrower",
                actor=actor,
                now=now,
            )
        row.matched_lead_ids = [lead.id for lead in leads]
        session.flush()
    audit.record(
        session,
        actor,
        "optout_request.confirmed",
        entity_type="optout_request",
        entity_id=row.id,
        details={"matched_leads": len(leads)},
    )
    return outcome, left
