"""/api/v1/leads: list, detail (masked), reveal (audited), timeline and assignment.

Every query is filtered by ``visible_leads``; a lead outside it answers 404, as if absent.
Every read of lead data writes one audit row (a list writes one row naming all ids).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy import ColumnElement, select, tuple_
from sqlalchemy.orm import Session, selectinload

from leadsignal.auth.access import access
from leadsignal.auth.deps import (
    Principal,
    can_reveal,
    can_see_masked,
    read_only,
    require_roles,
    require_scopes,
    visible_leads,
)
from leadsignal.auth.models import Team, TeamMember, User
from leadsignal.compliance import audit
from leadsignal.core.crypto import PiiCipher
from leadsignal.core.deps import CtxDep, SessionDep
from leadsignal.core.errors import ApiError
from leadsignal.core.pagination import (
    NO_NUL,
    CursorQuery,
    IdPath,
    IdQuery,
    LimitQuery,
    Page,
    decode_cursor,
    encode_cursor,
)
from leadsignal.crm.models import Outcome
from leadsignal.crm.outcomes import outcome_out
from leadsignal.crm.schemas import OutcomeOut
from leadsignal.leads import service
from leadsignal.leads.models import Lead
from leadsignal.leads.schemas import AssignmentIn, AssignmentOut, LeadDetail, LeadSummary, RevealIn, RevealOut
from leadsignal.leads.segments import LeadSegment, _sql_filter
from leadsignal.signals.models import Signal
from leadsignal.signals.routes import signal_before
from leadsignal.signals.schemas import SignalWithEvidence

router = APIRouter(prefix="/leads", tags=["leads"])

LeadReader = Annotated[Principal, Depends(require_scopes("leads:read"))]
SignalReader = Annotated[Principal, Depends(require_scopes("leads:read", "signals:read"))]
Assigner = Annotated[Principal, Depends(require_roles("admin", "manager"))]
SUMMARY_FIELDS = sorted(LeadSummary.model_fields)
OUTCOMES_SHOWN = 200

_READ_ONE = access(agent=200, other_agent=404, manager=200, compliance=200, admin=200, client=200)


def like_pattern(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@router.get(
    "",
    response_model=Page[LeadSummary],
    openapi_extra=access(agent=200, manager=200, compliance=200, admin=200, client=200),
)
def list_leads(
    session: SessionDep,
    principal: LeadReader,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    q: Annotated[str | None, Query(min_length=2, max_length=100, pattern=NO_NUL, description="Name contains.")] = None,
    state: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
    segment: Annotated[str | None, Query(max_length=80, pattern=NO_NUL, description="A saved segment's name.")] = None,
    do_not_scrape: bool | None = None,
    team_id: IdQuery = None,
    assignee_id: IdQuery = None,
) -> Page[LeadSummary]:
    """Leads in name order. A segment filter applies its rules in SQL (age by birth year)."""
    conditions: list[ColumnElement[bool]] = [visible_leads(principal)]
    if q:
        conditions.append(Lead.debtor_name.ilike(like_pattern(q), escape="\\"))
    if state:
        conditions.append(Lead.state == state.upper())
    if do_not_scrape is not None:
        conditions.append(Lead.do_not_scrape.is_(do_not_scrape))
    if team_id is not None:
        conditions.append(Lead.team_id == team_id)
    if assignee_id is not None:
        conditions.append(Lead.assignee_user_id == assignee_id)
    if segment:
        conditions.append(_segment_clause(session, segment))
    if cursor:
        name, last_id = decode_cursor(cursor, str)
        conditions.append(tuple_(Lead.debtor_name, Lead.id) > tuple_(name, last_id))
    rows = session.scalars(select(Lead).where(*conditions).order_by(Lead.debtor_name, Lead.id).limit(limit + 1)).all()
    page = list(rows[:limit])
    next_cursor = encode_cursor(page[-1].debtor_name, page[-1].id) if len(rows) > limit else None
    if page:
        audit.record(session, principal.actor, "lead.read", entity_type="lead", fields=SUMMARY_FIELDS,
                     details={"ids": [lead.id for lead in page], "via": "list"})  # fmt: skip
    return Page(items=[LeadSummary.model_validate(lead) for lead in page], next_cursor=next_cursor)


def _segment_clause(session: Session, name: str) -> ColumnElement[bool]:
    found = session.scalar(select(LeadSegment).where(LeadSegment.name == name))
    if found is None:
        raise ApiError(400, "unknown_segment", f"no segment named {name!r}")
    clause = _sql_filter(found.parsed_rules, dt.date.today()).whereclause
    return clause if clause is not None else Lead.id.is_not(None)


def visible_lead(session: Session, principal: Principal, lead_id: int) -> Lead:
    lead = session.scalar(select(Lead).where(Lead.id == lead_id, visible_leads(principal)))
    if lead is None:
        raise ApiError(404, "not_found", f"lead {lead_id} not found")
    return lead


def mask(field: str, value: str | None) -> str | None:
    if value is None:
        return None
    return f"***-**-{value[-4:]}" if field == "tax_id" else f"****{value[-4:]}"


@router.get("/{lead_id}", response_model=LeadDetail, openapi_extra=_READ_ONE)
def get_lead(lead_id: IdPath, session: SessionDep, ctx: CtxDep, principal: LeadReader) -> LeadDetail:
    lead = visible_lead(session, principal, lead_id)
    masked = _masked(lead, ctx.cipher) if can_see_masked(principal) else {"tax_id": None, "loan_number": None}
    detail = LeadDetail.model_validate({**_columns(lead), **masked})
    returned = [name for name in LeadDetail.model_fields if name not in masked or masked[name] is not None]
    audit.record(session, principal.actor, "lead.read", entity_type="lead", entity_id=lead.id, fields=returned)
    return detail


def _columns(lead: Lead) -> dict[str, object]:
    return {c.key: getattr(lead, c.key) for c in Lead.__table__.columns if c.key in LeadDetail.model_fields}


def _masked(lead: Lead, cipher: PiiCipher) -> dict[str, str | None]:
    """Decrypt to keep the last four characters only; the clear value never leaves this function."""
    out: dict[str, str | None] = {}
    for field in ("tax_id", "loan_number"):
        token = getattr(lead, f"{field}_enc")
        out[field] = mask(field, cipher.decrypt(token, context=field)) if token else None
    return out


@router.post(
    "/{lead_id}/reveal",
    response_model=RevealOut,
    openapi_extra=access(
        agent=403, other_agent=403, manager=200, compliance=200, admin=200, client=403, json={"field": "tax_id"}
    ),
)
@read_only
def reveal_field(lead_id: IdPath, body: RevealIn, session: SessionDep, ctx: CtxDep, principal: LeadReader) -> RevealOut:
    """Show one sensitive field in clear, to admin, compliance and managers only; always audited."""
    if not can_reveal(principal):
        raise ApiError(403, "forbidden", "revealing sensitive fields needs role admin, compliance or manager")
    lead = visible_lead(session, principal, lead_id)
    value = service.reveal(session, lead, body.field, ctx.cipher, principal.actor)
    return RevealOut(lead_id=lead.id, field=body.field, value=value)


@router.get("/{lead_id}/timeline", response_model=Page[SignalWithEvidence], openapi_extra=_READ_ONE)
def lead_timeline(
    lead_id: IdPath, session: SessionDep, principal: SignalReader, limit: LimitQuery = 50, cursor: CursorQuery = None
) -> Page[SignalWithEvidence]:
    """The lead's signals with their evidence, newest first."""
    lead = visible_lead(session, principal, lead_id)
    conditions: list[ColumnElement[bool]] = [Signal.lead_id == lead.id, Signal.alert_status != "held"]  # uplift/
    if cursor:
        detected, last_id = decode_cursor(cursor, dt.datetime)
        conditions.append(signal_before(detected, last_id))
    rows = session.scalars(
        select(Signal).where(*conditions).options(selectinload(Signal.evidence))
        .order_by(Signal.detected_at.desc(), Signal.id.desc()).limit(limit + 1)
    ).all()  # fmt: skip
    page = list(rows[:limit])
    next_cursor = encode_cursor(page[-1].detected_at, page[-1].id) if len(rows) > limit else None
    audit.record(session, principal.actor, "lead.read", entity_type="lead", entity_id=lead.id, fields=["timeline"],
                 details={"signal_ids": [s.id for s in page]})  # fmt: skip
    return Page(items=[SignalWithEvidence.model_validate(s) for s in page], next_cursor=next_cursor)


@router.get("/{lead_id}/outcomes", response_model=list[OutcomeOut], openapi_extra=_READ_ONE)
def lead_outcomes(lead_id: IdPath, session: SessionDep, principal: LeadReader) -> list[OutcomeOut]:
    """What agents recorded for the lead (CRM and dashboard), newest first, at most 200."""
    lead = visible_lead(session, principal, lead_id)
    rows = session.scalars(
        select(Outcome).where(Outcome.lead_id == lead.id)
        .order_by(Outcome.occurred_at.desc(), Outcome.id.desc()).limit(OUTCOMES_SHOWN)
    ).all()  # fmt: skip
    audit.record(session, principal.actor, "lead.read", entity_type="lead", entity_id=lead.id, fields=["outcomes"],
                 details={"outcome_ids": [o.id for o in rows]})  # fmt: skip
    return [outcome_out(o, created=False) for o in rows]


@router.patch(
    "/{lead_id}/assignment",
    response_model=AssignmentOut,
    openapi_extra=access(
        agent=403,
        other_agent=403,
        manager=200,
        compliance=403,
        admin=200,
        client=403,
        json={"team_id": "{team_id}", "assignee_user_id": "{agent_id}"},
    ),
)
def assign_lead(lead_id: IdPath, body: AssignmentIn, session: SessionDep, principal: Assigner) -> AssignmentOut:
    """Give a lead to a team and/or a person. Managers assign only within teams they manage."""
    lead = visible_lead(session, principal, lead_id)
    team_id = body.team_id if "team_id" in body.model_fields_set else lead.team_id
    assignee = body.assignee_user_id if "assignee_user_id" in body.model_fields_set else lead.assignee_user_id
    if team_id is not None and session.get(Team, team_id) is None:
        raise ApiError(422, "unknown_team", f"team {team_id} does not exist")
    if principal.role == "manager" and (team_id is None or team_id not in principal.managed_team_ids):
        raise ApiError(403, "forbidden", "managers assign leads only to teams they manage")
    if assignee is not None:
        _check_assignee(session, assignee, team_id)
    changed = [name for name, new in (("team_id", team_id), ("assignee_user_id", assignee))
               if getattr(lead, name) != new]  # fmt: skip
    lead.team_id, lead.assignee_user_id = team_id, assignee
    if changed:
        lead.version += 1
    session.flush()
    audit.record(session, principal.actor, "lead.assigned", entity_type="lead", entity_id=lead.id, fields=changed,
                 details={"team_id": team_id, "assignee_user_id": assignee})  # fmt: skip
    return AssignmentOut(lead_id=lead.id, team_id=team_id, assignee_user_id=assignee)


def _check_assignee(session: Session, user_id: int, team_id: int | None) -> None:
    user = session.get(User, user_id)
    if user is None or not user.is_active or user.role not in ("agent", "manager"):
        raise ApiError(422, "invalid_assignee", f"user {user_id} is not an active agent or manager")
    if team_id is not None:
        member = session.get(TeamMember, (user_id, team_id))
        team = session.get(Team, team_id)
        if member is None and (team is None or team.manager_user_id != user_id):
            raise ApiError(422, "invalid_assignee", f"user {user_id} is not in team {team_id}")
