"""Demo accounts for the embedded default, so the dashboard can be opened right after ``make demo``.

Passwords are random per data directory and written to ``var/demo-credentials.txt`` (mode 0600);
nothing here runs in production.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from leadsignal.auth.models import Team
from leadsignal.auth.service import add_member, create_team, create_user, get_user_by_email
from leadsignal.compliance.audit import Actor
from leadsignal.leads.models import Lead
from leadsignal.settings import Settings

DEMO_TEAM = "Demo team"
ROLES = ("admin", "manager", "agent", "compliance")


def ensure_demo_accounts(session: Session, settings: Settings, *, actor: Actor) -> Path:
    """One user per role in a demo team that owns the synthetic (``SYN-``) leads."""
    if settings.env == "production":
        raise RuntimeError("demo accounts are never created in production")
    path = settings.data_dir / "demo-credentials.txt"
    team = session.scalar(select(Team).where(Team.name == DEMO_TEAM)) or create_team(
        session, name=DEMO_TEAM, actor=actor
    )
    lines = []
    for role in ROLES:
        email = f"{role}@demo.leadsignal.example"
        if get_user_by_email(session, email) is not None:
            continue
        password = secrets.token_urlsafe(12)
        user = create_user(session, settings, email=email, password=password, role=role, actor=actor)
        if role in ("manager", "agent"):
            add_member(session, team, user, actor=actor)
        if role == "manager":
            team.manager_user_id = user.id
        lines.append(f"{role:<11} {email:<36} {password}")
    session.execute(
        update(Lead).where(Lead.agency_id_number.like("SYN-%"), Lead.team_id.is_(None)).values(team_id=team.id)
    )
    if lines:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a") as handle:
            handle.write("\n".join(lines) + "\n")
    session.flush()
    return path
