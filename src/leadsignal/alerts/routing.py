"""Who gets a signal: the lead's owner, else round-robin in the lead's team, else the first rule.

A rule that assigns a team also gives the lead to that team when it had none, so the agent who
receives the alert can open the lead (agents see only their own or their team's leads).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.alerts.models import PRIORITIES, RoundRobinCursor, RoutingRule
from leadsignal.auth.models import TeamMember, User
from leadsignal.leads.models import Lead
from leadsignal.leads.segments import BALANCE_BANDS, balance_band
from leadsignal.leads.us_states import STATE_CODES
from leadsignal.signals.models import SIGNAL_TYPES, Signal


class RuleConditions(BaseModel):
    """Every condition given must hold; an empty condition set matches every signal."""

    model_config = ConfigDict(extra="forbid")

    states: list[str] | None = None
    creditors: list[str] | None = None
    balance_bands: list[str] | None = None
    signal_types: list[str] | None = None
    min_priority: str | None = Field(default=None, pattern="^(low|medium|high)$")

    @field_validator("states")
    @classmethod
    def _states(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return v
        upper = [s.upper() for s in v]
        unknown = sorted(set(upper) - STATE_CODES.keys())
        if unknown:
            raise ValueError(f"unknown state codes: {', '.join(unknown)}")
        return upper

    @field_validator("balance_bands")
    @classmethod
    def _bands(cls, v: list[str] | None) -> list[str] | None:
        known = {name for name, _ in BALANCE_BANDS}
        if v is not None and not set(v) <= known:
            raise ValueError(f"balance bands must be among {sorted(known)}")
        return v

    @field_validator("signal_types")
    @classmethod
    def _types(cls, v: list[str] | None) -> list[str] | None:
        if v is not None and not set(v) <= set(SIGNAL_TYPES):
            raise ValueError(f"signal types must be among {list(SIGNAL_TYPES)}")
        return v

    def matches(self, signal: Signal, lead: Lead) -> bool:
        if self.states is not None and lead.state not in self.states:
            return False
        if self.creditors is not None and (lead.org_creditor or "").lower() not in {c.lower() for c in self.creditors}:
            return False
        if self.balance_bands is not None and balance_band(lead.total_due) not in self.balance_bands:
            return False
        if self.signal_types is not None and signal.signal_type not in self.signal_types:
            return False
        return self.min_priority is None or PRIORITIES.index(signal.priority) >= PRIORITIES.index(self.min_priority)


@dataclass(frozen=True)
class Assignment:
    team_id: int | None
    user_id: int | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"team_id": self.team_id, "user_id": self.user_id, "reason": self.reason}


def route(session: Session, signal: Signal, lead: Lead) -> Assignment:
    if lead.assignee_user_id is not None:
        return Assignment(lead.team_id, lead.assignee_user_id, "lead owner")
    if lead.team_id is not None:
        return Assignment(lead.team_id, next_in_team(session, lead.team_id), "round robin in the lead's team")
    rules = session.scalars(
        select(RoutingRule).where(RoutingRule.active.is_(True)).order_by(RoutingRule.position, RoutingRule.id)
    )
    for rule in rules:
        if RuleConditions.model_validate(rule.conditions).matches(signal, lead):
            user_id = rule.user_id or next_in_team(session, rule.team_id)
            lead.team_id = rule.team_id
            return Assignment(rule.team_id, user_id, f"rule {rule.name!r}")
    return Assignment(None, None, "no routing rule matched: managers and admins see it unassigned")


def next_in_team(session: Session, team_id: int) -> int | None:
    """The next active agent of the team after the last one given a signal (row-locked cursor)."""
    agents = list(
        session.scalars(
            select(User.id)
            .join(TeamMember, TeamMember.user_id == User.id)
            .where(TeamMember.team_id == team_id, User.is_active.is_(True), User.role == "agent")
            .order_by(User.id)
        )
    )
    if not agents:
        return None
    cursor = session.scalar(select(RoundRobinCursor).where(RoundRobinCursor.team_id == team_id).with_for_update())
    if cursor is None:
        cursor = RoundRobinCursor(team_id=team_id, last_user_id=None)
        session.add(cursor)
    following = [a for a in agents if cursor.last_user_id is None or a > cursor.last_user_id]
    chosen = following[0] if following else agents[0]
    cursor.last_user_id = chosen
    session.flush()
    return chosen
