"""Accounts, teams, logins with lockout, rotating refresh tokens, and CRM machine clients.

Failures that must persist (a failed-login count, a revoked token family) are returned as
``AuthFailure`` values instead of raised, so the caller's transaction still commits them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from leadsignal.auth.models import ROLES, LoginThrottle, OAuthClient, RefreshToken, Team, TeamMember, User
from leadsignal.auth.tokens import digest, digest_matches, issue_access_token, new_secret
from leadsignal.compliance import audit
from leadsignal.compliance.models import AuditEntry
from leadsignal.db import utcnow
from leadsignal.settings import Settings

SCOPES = ("leads:read", "leads:write", "signals:read", "outcomes:write")
ROLE_SCOPES: dict[str, tuple[str, ...]] = {
    "admin": SCOPES,
    "manager": SCOPES,
    "agent": SCOPES,
    "compliance": ("leads:read", "signals:read"),
}
MIN_PASSWORD_LENGTH = 12


@lru_cache(maxsize=4)
def _hasher_for(time_cost: int, memory_kib: int, parallelism: int) -> tuple[PasswordHasher, str]:
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
    # Verified against when the e-mail is unknown, so both failures cost the same time.
    return hasher, hasher.hash("leadsignal-timing-equaliser")


def password_hasher(settings: Settings) -> tuple[PasswordHasher, str]:
    """The argon2id hasher the settings ask for, and a dummy hash made with the same cost."""
    return _hasher_for(settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)


class AccountError(ValueError):
    """Bad input for an account, team or client operation (the message says which)."""


class ClientNotFound(AccountError):
    """No CRM client has that client_id."""


@dataclass(frozen=True)
class AuthFailure:
    status: int
    code: str
    message: str
    details: dict[str, Any] | None = None


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    user: User


@dataclass(frozen=True)
class ClientToken:
    access_token: str
    expires_in: int
    scopes: list[str]


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise AccountError(f"invalid e-mail address: {exc}") from exc


def hash_password(settings: Settings, password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    return password_hasher(settings)[0].hash(password)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}, not {role!r}")


# --- users and teams -------------------------------------------------------------------------


def create_user(
    session: Session, settings: Settings, *, email: str, password: str, role: str, actor: audit.Actor
) -> User:
    _check_role(role)
    address = normalise_email(email)
    if session.scalar(select(User.id).where(User.email == address)) is not None:
        raise AccountError(f"a user with e-mail {address} already exists")
    user = User(
        email=address, password_hash=hash_password(settings, password), role=role, is_active=True, failed_logins=0
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.created", entity_type="user", entity_id=user.id, details={"role": role})
    return user


def update_user(
    session: Session, settings: Settings, user: User, *, actor: audit.Actor, role: str | None = None,
    is_active: bool | None = None, password: str | None = None,
) -> User:  # fmt: skip
    changed: list[str] = []
    if role is not None and role != user.role:
        _check_role(role)
        user.role, changed = role, [*changed, "role"]
    if is_active is not None and is_active != user.is_active:
        user.is_active, changed = is_active, [*changed, "is_active"]
    if password is not None:
        user.password_hash, changed = hash_password(settings, password), [*changed, "password"]
    if changed:
        revoke_all_refresh_tokens(session, user.id)  # a changed account starts from a fresh login
    session.flush()
    audit.record(session, actor, "user.updated", entity_type="user", entity_id=user.id, fields=changed)
    return user


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def create_team(session: Session, *, name: str, actor: audit.Actor, manager_user_id: int | None = None) -> Team:
    name = name.strip()
    if not name or len(name) > 120:
        raise AccountError("team name must be 1-120 characters")
    if session.scalar(select(Team.id).where(Team.name == name)) is not None:
        raise AccountError(f"a team named {name!r} already exists")
    if manager_user_id is not None:
        _require_manager(session, manager_user_id)
    team = Team(name=name, manager_user_id=manager_user_id)
    session.add(team)
    session.flush()
    audit.record(session, actor, "team.created", entity_type="team", entity_id=team.id)
    return team


def _require_manager(session: Session, user_id: int) -> None:
    role = session.scalar(select(User.role).where(User.id == user_id))
    if role not in ("manager", "admin"):
        raise AccountError(f"user {user_id} cannot manage a team (needs role manager or admin)")


def get_team_by_name(session: Session, name: str) -> Team | None:
    return session.scalar(select(Team).where(Team.name == name.strip()))


def add_member(session: Session, team: Team, user: User, *, actor: audit.Actor) -> None:
    """Idempotent: adding a member twice leaves one membership."""
    exists = session.get(TeamMember, (user.id, team.id))
    if exists is None:
        session.add(TeamMember(user_id=user.id, team_id=team.id))
        session.flush()
        audit.record(session, actor, "team.member_added", entity_type="team", entity_id=team.id,
                     details={"user_id": user.id})  # fmt: skip


def remove_member(session: Session, team: Team, user_id: int, *, actor: audit.Actor) -> None:
    result = session.execute(delete(TeamMember).where(TeamMember.team_id == team.id, TeamMember.user_id == user_id))
    if result.rowcount:  # type: ignore[attr-defined]
        audit.record(session, actor, "team.member_removed", entity_type="team", entity_id=team.id,
                     details={"user_id": user_id})  # fmt: skip
    session.flush()


def team_ids_of(session: Session, user_id: int) -> tuple[list[int], list[int]]:
    """(teams the user belongs to or manages, teams the user manages), each sorted."""
    member = set(session.scalars(select(TeamMember.team_id).where(TeamMember.user_id == user_id)))
    managed = set(session.scalars(select(Team.id).where(Team.manager_user_id == user_id)))
    return sorted(member | managed), sorted(managed)


def list_users(session: Session) -> Sequence[User]:
    return session.scalars(select(User).order_by(User.id)).all()


def members_of(session: Session, team_ids: Sequence[int]) -> dict[int, list[int]]:
    rows = session.execute(select(TeamMember.team_id, TeamMember.user_id).where(TeamMember.team_id.in_(team_ids)))
    out: dict[int, list[int]] = {tid: [] for tid in team_ids}
    for team_id, user_id in rows:
        out[team_id].append(user_id)
    return {tid: sorted(users) for tid, users in out.items()}


# --- login, refresh, logout --------------------------------------------------------------------


def login(session: Session, settings: Settings, *, email: str, password: str, now: dt.datetime | None = None
          ) -> TokenPair | AuthFailure:  # fmt: skip
    """Check a password; lock the e-mail for a while after repeated failures, known or not."""
    now = now or utcnow()
    try:
        address = normalise_email(email)
    except AccountError:
        address = email.strip().lower()
    user = session.scalar(select(User).where(User.email == address))
    throttle: User | LoginThrottle
    if user is not None:
        throttle = user
    else:
        key = digest(f"login:{address}")
        throttle = session.get(LoginThrottle, key) or LoginThrottle(email_hash=key, failed_logins=0)
        if throttle not in session:
            session.add(throttle)
    hasher, dummy = password_hasher(settings)
    verified = _verify(hasher, user.password_hash if user else dummy, password) and user is not None
    if throttle.locked_until is not None and throttle.locked_until > now:
        seconds = int((throttle.locked_until - now).total_seconds()) + 1
        return AuthFailure(423, "account_locked", "too many failed logins: this account is locked for a while",
                           {"retry_after_seconds": seconds})  # fmt: skip
    if not verified or user is None or not user.is_active:
        throttle.failed_logins += 1
        if throttle.failed_logins >= settings.login_max_failures:
            throttle.locked_until = now + dt.timedelta(seconds=settings.login_lock_seconds)
            throttle.failed_logins = 0
        session.flush()
        return AuthFailure(401, "invalid_credentials", "e-mail or password is wrong")
    user.failed_logins, user.locked_until = 0, None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    pair = _issue_pair(session, settings, user, family_id=uuid.uuid4().hex, now=now)
    audit.record(session, audit.Actor(f"user:{user.id}"), "auth.login", entity_type="user", entity_id=user.id)
    return pair


def _verify(hasher: PasswordHasher, stored: str, password: str) -> bool:
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _issue_pair(session: Session, settings: Settings, user: User, *, family_id: str, now: dt.datetime) -> TokenPair:
    access, ttl = issue_access_token(settings, kind="user", subject=str(user.id), role=user.role,
                                     scopes=list(ROLE_SCOPES[user.role]), now=now)  # fmt: skip
    refresh = new_secret()
    session.add(
        RefreshToken(
            token_hash=digest(refresh), family_id=family_id, user_id=user.id, issued_at=now,
            expires_at=now + dt.timedelta(seconds=settings.refresh_token_ttl_seconds),
        )
    )  # fmt: skip
    session.flush()
    return TokenPair(access_token=access, refresh_token=refresh, expires_in=ttl, user=user)


def refresh(session: Session, settings: Settings, token: str, *, now: dt.datetime | None = None
            ) -> TokenPair | AuthFailure:  # fmt: skip
    """Rotate a refresh token. Presenting a spent one means it leaked: its whole family dies."""
    now = now or utcnow()
    row = session.scalar(select(RefreshToken).where(RefreshToken.token_hash == digest(token)))
    invalid = AuthFailure(401, "invalid_refresh_token", "refresh token is invalid or expired")
    if row is None:
        return invalid
    if row.revoked_at is not None:
        revoke_family(session, row.family_id, now=now)
        audit.record(session, audit.Actor(f"user:{row.user_id}"), "auth.refresh_reuse", entity_type="user",
                     entity_id=row.user_id, details={"family_id": row.family_id})  # fmt: skip
        return AuthFailure(
            401, "refresh_token_reused", "refresh token was already used: every session of it is revoked"
        )
    if row.expires_at <= now:
        return invalid
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        revoke_family(session, row.family_id, now=now)
        return invalid
    row.revoked_at = now
    return _issue_pair(session, settings, user, family_id=row.family_id, now=now)


def logout(session: Session, token: str, *, now: dt.datetime | None = None) -> None:
    """Revoke the session the refresh token belongs to; unknown tokens are ignored."""
    row = session.scalar(select(RefreshToken).where(RefreshToken.token_hash == digest(token)))
    if row is not None:
        revoke_family(session, row.family_id, now=now or utcnow())
        audit.record(session, audit.Actor(f"user:{row.user_id}"), "auth.logout", entity_type="user",
                     entity_id=row.user_id)  # fmt: skip


def revoke_family(session: Session, family_id: str, *, now: dt.datetime) -> None:
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    session.flush()


def revoke_all_refresh_tokens(session: Session, user_id: int) -> None:
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


# --- CRM machine clients ----------------------------------------------------------------------


def parse_scopes(raw: str | Sequence[str]) -> list[str]:
    items = raw.replace(",", " ").split() if isinstance(raw, str) else list(raw)
    unknown = sorted(set(items) - set(SCOPES))
    if unknown:
        raise AccountError(f"unknown scope(s) {', '.join(unknown)}; known: {', '.join(SCOPES)}")
    if not items:
        raise AccountError("at least one scope is required")
    return sorted(set(items))


def create_client(session: Session, *, name: str, scopes: Sequence[str], actor: audit.Actor) -> tuple[OAuthClient, str]:
    """A new client and its secret, which is shown once and stored only as a digest."""
    name = name.strip()
    if not name or len(name) > 120:
        raise AccountError("client name must be 1-120 characters")
    secret = new_secret()
    client = OAuthClient(client_id=f"lsc_{uuid.uuid4().hex[:20]}", secret_hash=digest(secret), name=name,
                         scopes=parse_scopes(scopes), is_active=True)  # fmt: skip
    session.add(client)
    session.flush()
    audit.record(session, actor, "crm_client.created", entity_type="oauth_client", entity_id=client.client_id,
                 details={"scopes": client.scopes})  # fmt: skip
    return client, secret


def list_clients(session: Session) -> Sequence[OAuthClient]:
    return session.scalars(select(OAuthClient).order_by(OAuthClient.id)).all()


def last_token_times(session: Session, client_ids: Sequence[str]) -> dict[str, dt.datetime]:
    """When each client last got an access token, read from the audit log (nothing else tracks use)."""
    if not client_ids:
        return {}
    rows = session.execute(
        select(AuditEntry.entity_id, func.max(AuditEntry.occurred_at))
        .where(AuditEntry.entity_type == "oauth_client", AuditEntry.entity_id.in_(client_ids),
               AuditEntry.action == "auth.client_token")
        .group_by(AuditEntry.entity_id)
    ).all()  # fmt: skip
    return {client_id: at for client_id, at in rows if client_id is not None}


def revoke_client(session: Session, client_id: str, *, actor: audit.Actor) -> OAuthClient:
    client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
    if client is None:
        raise ClientNotFound(f"no client with id {client_id}")
    if client.is_active:
        client.is_active, client.revoked_at = False, utcnow()
        audit.record(session, actor, "crm_client.revoked", entity_type="oauth_client", entity_id=client_id)
        session.flush()
    return client


@dataclass(frozen=True)
class OAuthFailure:
    """An RFC 6749 section 5.2 error."""

    status: int
    error: str
    description: str


def client_credentials_token(
    session: Session, settings: Settings, *, client_id: str, secret: str, scope: str | None,
    now: dt.datetime | None = None,
) -> ClientToken | OAuthFailure:  # fmt: skip
    now = now or utcnow()
    client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
    if client is None or not client.is_active or not digest_matches(secret, client.secret_hash):
        return OAuthFailure(401, "invalid_client", "client authentication failed")
    granted = list(client.scopes)
    if scope is not None and scope.strip():
        requested = scope.split()
        if not set(requested) <= set(granted):
            return OAuthFailure(400, "invalid_scope", "requested scope exceeds the client's scopes")
        granted = sorted(set(requested))
    token, ttl = issue_access_token(settings, kind="client", subject=client.client_id, role="client",
                                    scopes=granted, now=now)  # fmt: skip
    audit.record(session, audit.Actor(f"crm:{client.client_id}"), "auth.client_token", entity_type="oauth_client",
                 entity_id=client.client_id, details={"scopes": granted})  # fmt: skip
    return ClientToken(access_token=token, expires_in=ttl, scopes=granted)
