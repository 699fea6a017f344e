"""A small world for API tests: two teams, one person per role, a lead with a signal, a CRM client."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy.orm import Session

from leadsignal.auth import service
from leadsignal.auth.models import Team, TeamMember, User
from leadsignal.auth.tokens import issue_access_token
from leadsignal.compliance.audit import Actor
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import utcnow
from leadsignal.settings import Settings
from leadsignal.signals.models import Signal, SignalEvidence
from tests.factories import make_lead

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)
ACTOR = Actor("test")


FAST_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 1024, "argon2_parallelism": 1}


def fast_hashing(settings: Settings) -> Settings:
    """The same settings with a cheap argon2 cost: tests check the rules, not the work factor."""
    return settings.model_copy(update=FAST_ARGON2)


@lru_cache(maxsize=1)
def password_hash() -> str:
    return service.hash_password(fast_hashing(Settings(_env_file=None, env="test")), PASSWORD)  # type: ignore[call-arg]


def make_user(session: Session, role: str, *, teams: tuple[Team, ...] = (), email: str | None = None) -> User:
    user = User(email=email or f"{role}{next(_seq)}@agency.example", password_hash=password_hash(), role=role,
                is_active=True, failed_logins=0)  # fmt: skip
    session.add(user)
    session.flush()
    for team in teams:
        session.add(TeamMember(user_id=user.id, team_id=team.id))
    session.flush()
    return user


def make_team(session: Session, name: str | None = None, manager: User | None = None) -> Team:
    team = Team(name=name or f"Team {next(_seq)}", manager_user_id=manager.id if manager else None)
    session.add(team)
    session.flush()
    return team


def make_signal(session: Session, lead_id: int, *, detected_at: dt.datetime | None = None,
                signal_type: str = "new_job", snippet: str = "Thrilled to start my new role at Acme!",
                confidence: float = 0.9) -> Signal:  # fmt: skip
    n = next(_seq)
    signal = Signal(lead_id=lead_id, signal_type=signal_type, category="positive", status="new",
                    confidence=confidence, detected_at=detected_at or utcnow(), summary=f"{signal_type} at Acme",
                    org="Acme", evidence_count=1)  # fmt: skip
    signal.evidence.append(
        SignalEvidence(
            evidence_key=f"post:{n}",
            kind="post",
            snippet=snippet,
            signal_type=signal_type,
            confidence=confidence,
            observed_at=signal.detected_at,
            details={},
        )
    )
    session.add(signal)
    session.flush()
    return signal


def bearer(settings: Settings, user: User) -> dict[str, str]:
    token, _ = issue_access_token(settings, kind="user", subject=str(user.id), role=user.role,
                                  scopes=list(service.ROLE_SCOPES[user.role]), now=utcnow())  # fmt: skip
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Scene:
    """Team A (managed by ``manager``) holds ``lead``, assigned to ``agent``; ``other_agent`` is in team B."""

    team_a: Team
    team_b: Team
    users: dict[str, User]
    lead: object
    other_lead: object
    signal: Signal
    other_signal: Signal
    spare: User
    client_id: str
    client_secret: str
    headers: dict[str, dict[str, str]] = field(default_factory=dict)


def build_scene(session: Session, cipher: PiiCipher, settings: Settings) -> Scene:
    manager = make_user(session, "manager")
    team_a = make_team(session, manager=manager)
    team_b = make_team(session)
    users = {
        "agent": make_user(session, "agent", teams=(team_a,)),
        "other_agent": make_user(session, "agent", teams=(team_b,)),
        "manager": manager,
        "compliance": make_user(session, "compliance"),
        "admin": make_user(session, "admin"),
    }
    spare = make_user(session, "agent")
    lead = make_lead(session, cipher, debtor_name="Jane Doe", tax_id="123456789")
    lead.team_id, lead.assignee_user_id = team_a.id, users["agent"].id
    other = make_lead(session, cipher, debtor_name="Bob Other", tax_id="987654321")
    other.team_id = team_b.id
    session.flush()
    signal = make_signal(session, lead.id)
    other_signal = make_signal(session, other.id)
    client, secret = service.create_client(session, name="Acme CRM", scopes=["leads:read", "signals:read"],
                                           actor=ACTOR)  # fmt: skip
    scene = Scene(team_a=team_a, team_b=team_b, users=users, lead=lead, other_lead=other, signal=signal,
                  other_signal=other_signal, spare=spare, client_id=client.client_id, client_secret=secret)  # fmt: skip
    scene.headers = {name: bearer(settings, user) for name, user in users.items()}
    scene.headers["anonymous"] = {}
    token, _ = issue_access_token(settings, kind="client", subject=client.client_id, role="client",
                                  scopes=["leads:read", "signals:read"], now=utcnow())  # fmt: skip
    scene.headers["client"] = {"Authorization": f"Bearer {token}"}
    return scene
