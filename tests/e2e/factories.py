"""A small, realistic world for the browser tests: two teams, one person per role, leads with signals."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from leadsignal.auth import service
from leadsignal.auth.models import Team, User
from leadsignal.compliance.audit import Actor
from leadsignal.core.crypto import PiiCipher
from leadsignal.leads.models import Lead
from leadsignal.settings import Settings
from leadsignal.signals.merge import summarise
from leadsignal.signals.models import HARDSHIP_TYPES, Signal, SignalEvidence
from tests.factories import make_lead

PASSWORD = "e2e-correct-horse-battery"
ACTOR = Actor("e2e-seed")
_seq = itertools.count(1)


@dataclass
class World:
    users: dict[str, User]
    team_a: Team
    team_b: Team
    leads: dict[str, Lead]
    signals: dict[str, Signal] = field(default_factory=dict)

    def email(self, persona: str) -> str:
        return self.users[persona].email


def add_signal(
    session: Session,
    lead: Lead,
    *,
    signal_type: str,
    snippet: str,
    days_ago: float,
    priority: str = "medium",
    score: float = 50.0,
    title: str | None = None,
    org: str | None = None,
    credential: str | None = None,
    source_url: str | None = None,
    confidence: float = 0.9,
) -> Signal:
    """A scored signal with one piece of evidence, as the pipeline would store it."""
    n = next(_seq)
    detected = dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)
    breakdown: dict[str, Any] = {
        "type_weight": 1.0,
        "confidence": confidence,
        "match_confidence": 0.97,
        "freshness": 1.0,
        "balance_band": "5k-20k",
        "balance_factor": 1.0,
        "status_factor": 1.0,
        "corroboration_bonus": 0.0,
        "score": score,
    }
    signal = Signal(
        lead_id=lead.id,
        signal_type=signal_type,
        category="hardship" if signal_type in HARDSHIP_TYPES else "positive",
        status="new",
        confidence=confidence,
        match_confidence=0.97,
        event_date=(detected - dt.timedelta(days=2)).date(),
        detected_at=detected,
        org=org,
        title=title,
        credential=credential,
        summary=summarise(signal_type, org=org, title=title, credential=credential),
        evidence_count=1,
        priority=priority,
        priority_score=score,
        score_breakdown=breakdown,
    )
    signal.evidence.append(
        SignalEvidence(
            evidence_key=f"e2e:{n}",
            kind="post",
            snippet=snippet,
            signal_type=signal_type,
            confidence=confidence,
            observed_at=detected,
            source_url=source_url,
            details={},
        )
    )
    session.add(signal)
    session.flush()
    return signal


def build_world(session: Session, cipher: PiiCipher, settings: Settings) -> World:
    users = {
        persona: service.create_user(
            session, settings, email=f"{persona}@agency.example", password=PASSWORD, role=role, actor=ACTOR
        )
        for persona, role in (
            ("admin", "admin"),
            ("manager", "manager"),
            ("agent", "agent"),
            ("other_agent", "agent"),
            ("compliance", "compliance"),
        )
    }
    team_a = service.create_team(session, name="East collections", manager_user_id=users["manager"].id, actor=ACTOR)
    team_b = service.create_team(session, name="West collections", actor=ACTOR)
    service.add_member(session, team_a, users["agent"], actor=ACTOR)
    service.add_member(session, team_b, users["other_agent"], actor=ACTOR)

    def lead(name: str, team: Team, assignee: User | None, **extra: Any) -> Lead:
        row = make_lead(session, cipher, debtor_name=name, **extra)
        row.team_id, row.assignee_user_id = team.id, assignee.id if assignee else None
        return row

    leads = {
        "avery": lead(
            "Jordan Avery",
            team_a,
            users["agent"],
            tax_id="123456789",
            state="TX",
            city="Austin",
            linkedin_url="https://www.linkedin.com/in/jordan-avery-rn",
        ),
        "okafor": lead("Chidi Okafor", team_a, users["agent"], tax_id="555443333", state="OH"),
        "lindqvist": lead("Maja Lindqvist", team_a, None, state="TX"),
        "other": lead("Bob Westfield", team_b, users["other_agent"], tax_id="987654321", state="CA"),
    }
    session.flush()
    signals = {
        "promotion": add_signal(
            session,
            leads["avery"],
            signal_type="promotion",
            days_ago=0.1,
            priority="high",
            score=86.4,
            title="Charge Nurse",
            org="St. David's Medical Center",
            snippet="Excited to share that I've been promoted to Charge Nurse at St. David's!",
            source_url="https://www.linkedin.com/posts/jordan-avery-rn_promotion",
        ),
        "license": add_signal(
            session,
            leads["okafor"],
            signal_type="license",
            days_ago=0.5,
            priority="medium",
            score=61.0,
            credential="Professional Engineer (PE), Ohio",
            snippet="Passed the PE exam and received my Ohio Professional Engineer licence.",
            source_url="https://www.linkedin.com/posts/chidi-okafor_pe",
        ),
        "new_job": add_signal(
            session,
            leads["lindqvist"],
            signal_type="new_job",
            days_ago=1.2,
            priority="medium",
            score=55.5,
            title="Data Analyst",
            org="H-E-B",
            snippet="Started a new position as Data Analyst at H-E-B.",
        ),
        "older": add_signal(
            session,
            leads["avery"],
            signal_type="certification",
            days_ago=20,
            priority="low",
            score=22.0,
            credential="BLS Certification",
            snippet="Renewed my Basic Life Support certification.",
        ),
        "other": add_signal(
            session,
            leads["other"],
            signal_type="new_job",
            days_ago=0.2,
            priority="high",
            score=80.0,
            title="Store Manager",
            org="Costco",
            snippet="New job alert: Store Manager at Costco!",
        ),
    }
    return World(users=users, team_a=team_a, team_b=team_b, leads=leads, signals=signals)
