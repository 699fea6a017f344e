"""Routing rules over HTTP, for admins: list, create, replace and delete (each change audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from leadsignal.alerts.models import RoutingRule
from leadsignal.alerts.routing import RuleConditions
from leadsignal.auth.access import access
from leadsignal.auth.deps import Principal, require_roles
from leadsignal.auth.models import Team, TeamMember
from leadsignal.compliance import audit
from leadsignal.core.deps import SessionDep
from leadsignal.core.errors import ApiError
from leadsignal.db import utcnow

router = APIRouter(prefix="/routing-rules", tags=["alerts"])
Admin = Annotated[Principal, Depends(require_roles("admin"))]
_READ = {"agent": 403, "manager": 403, "compliance": 200, "admin": 200, "client": 403}
_WRITE = {"agent": 403, "manager": 403, "compliance": 403, "client": 403}
_EXAMPLE = {"name": "rule-{unique}", "position": 10, "conditions": {"states": ["TX"]}, "team_id": "{team_id}"}


class RuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    position: int = Field(default=100, ge=0, le=100_000)
    active: bool = True
    conditions: RuleConditions = Field(default_factory=RuleConditions)
    team_id: int = Field(ge=1, le=2**53)
    user_id: int | None = Field(default=None, ge=1, le=2**53)


class RuleOut(RuleIn):
    model_config = ConfigDict(from_attributes=True)

    id: int


def _check_targets(session: SessionDep, body: RuleIn) -> None:
    if session.get(Team, body.team_id) is None:
        raise ApiError(422, "validation_error", f"no team {body.team_id}")
    if body.user_id is not None and session.get(TeamMember, (body.user_id, body.team_id)) is None:
        raise ApiError(422, "validation_error", f"user {body.user_id} is not a member of team {body.team_id}")


def _out(rule: RoutingRule) -> RuleOut:
    return RuleOut(id=rule.id, name=rule.name, position=rule.position, active=rule.active, team_id=rule.team_id,
                   user_id=rule.user_id, conditions=RuleConditions.model_validate(rule.conditions))  # fmt: skip


@router.get("", response_model=list[RuleOut], openapi_extra=access(_READ))
def list_rules(
    session: SessionDep, _: Annotated[Principal, Depends(require_roles("admin", "compliance"))]
) -> list[RuleOut]:
    """Every rule, in the order they are tried."""
    return [_out(r) for r in session.scalars(select(RoutingRule).order_by(RoutingRule.position, RoutingRule.id))]


@router.post("", response_model=RuleOut, status_code=201, openapi_extra=access(_WRITE, admin=201, json=_EXAMPLE))
def create_rule(body: RuleIn, session: SessionDep, principal: Admin) -> RuleOut:
    _check_targets(session, body)
    if session.scalar(select(RoutingRule.id).where(RoutingRule.name == body.name)) is not None:
        raise ApiError(409, "conflict", f"a routing rule named {body.name!r} exists")
    conditions = body.conditions.model_dump(exclude_none=True)
    rule = RoutingRule(**body.model_dump(exclude={"conditions"}), conditions=conditions, created_at=utcnow())
    session.add(rule)
    session.flush()
    audit.record(session, principal.actor, "routing_rule.created", entity_type="routing_rule", entity_id=rule.id,
                 details=body.model_dump(mode="json"))  # fmt: skip
    return _out(rule)


@router.put("/{rule_id}", response_model=RuleOut,
            openapi_extra=access(_WRITE, admin=404, json=_EXAMPLE, path={"rule_id": "999999"}))  # fmt: skip
def replace_rule(rule_id: int, body: RuleIn, session: SessionDep, principal: Admin) -> RuleOut:
    rule = session.get(RoutingRule, rule_id)
    if rule is None:
        raise ApiError(404, "not_found", f"no routing rule {rule_id}")
    _check_targets(session, body)
    for key, value in body.model_dump(exclude={"conditions"}).items():
        setattr(rule, key, value)
    rule.conditions = body.conditions.model_dump(exclude_none=True)
    audit.record(session, principal.actor, "routing_rule.updated", entity_type="routing_rule", entity_id=rule.id,
                 details=body.model_dump(mode="json"))  # fmt: skip
    return _out(rule)


@router.delete("/{rule_id}", status_code=204, openapi_extra=access(_WRITE, admin=404, path={"rule_id": "999999"}))
def delete_rule(rule_id: int, session: SessionDep, principal: Admin) -> Response:
    rule = session.get(RoutingRule, rule_id)
    if rule is None:
        raise ApiError(404, "not_found", f"no routing rule {rule_id}")
    session.delete(rule)
    audit.record(session, principal.actor, "routing_rule.deleted", entity_type="routing_rule", entity_id=rule_id)
    return Response(status_code=204)
