"""Digest preferences over HTTP: your own (``/me/digest``), or a user's as admin or their manager."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy import select

from leadsignal.alerts.preferences import DigestPrefsOut, DigestPrefsUpdate, get_preferences, update_preferences
from leadsignal.auth.access import access
from leadsignal.auth.deps import Principal, require_roles
from leadsignal.auth.models import TeamMember, User
from leadsignal.core.deps import SessionDep
from leadsignal.core.errors import ApiError

router = APIRouter(tags=["alerts"])
Person = Annotated[Principal, Depends(require_roles("admin", "manager", "agent", "compliance"))]
Writer = Annotated[Principal, Depends(require_roles("admin", "manager", "agent"))]
Supervisor = Annotated[Principal, Depends(require_roles("admin", "manager"))]
_SELF = {"agent": 200, "manager": 200, "compliance": 403, "admin": 200, "client": 403}
_ADMIN = {"agent": 403, "manager": 403, "compliance": 403, "admin": 200, "client": 403}
_EXAMPLE = {"min_priority": "medium", "local_hour": 8, "timezone": "America/Chicago"}


def _apply(session: SessionDep, user: User, body: DigestPrefsUpdate, principal: Principal) -> DigestPrefsOut:
    try:
        return update_preferences(session, user, body, actor=principal.actor).out()
    except ValueError as exc:
        raise ApiError(422, "invalid_preferences", str(exc)) from exc


@router.get("/me/digest", response_model=DigestPrefsOut,
            openapi_extra=access(agent=200, manager=200, compliance=200, admin=200, client=403))  # fmt: skip
def my_digest(session: SessionDep, principal: Person) -> DigestPrefsOut:
    """Your digest preferences (the defaults if you never changed them)."""
    return get_preferences(session, principal.id).out()


@router.put("/me/digest", response_model=DigestPrefsOut,
            openapi_extra=access(_SELF, json=_EXAMPLE))  # fmt: skip
def update_my_digest(body: DigestPrefsUpdate, session: SessionDep, principal: Writer) -> DigestPrefsOut:
    """Change the fields you send; the others keep their value."""
    user = session.get(User, principal.id)
    if user is None:
        raise ApiError(404, "not_found", "your account no longer exists")
    return _apply(session, user, body, principal)


def _supervised_user(session: SessionDep, principal: Principal, user_id: int) -> User:
    """Admins: anyone. Managers: the members of the teams they manage."""
    user = session.get(User, user_id)
    if user is None:
        raise ApiError(404, "not_found", f"no user {user_id}")
    if principal.role != "admin":
        teams = set(session.scalars(select(TeamMember.team_id).where(TeamMember.user_id == user_id)))
        if not teams & set(principal.managed_team_ids):
            raise ApiError(403, "forbidden", "managers may see or change the digests of their own teams only")
    return user


@router.get("/users/{user_id}/digest", response_model=DigestPrefsOut, openapi_extra=access(_ADMIN))
def user_digest(user_id: int, session: SessionDep, principal: Supervisor) -> DigestPrefsOut:
    """A user's digest preferences (the defaults if never changed); reading stores nothing."""
    return get_preferences(session, _supervised_user(session, principal, user_id).id).out()


@router.put("/users/{user_id}/digest", response_model=DigestPrefsOut,
            openapi_extra=access(_ADMIN, json=_EXAMPLE))  # fmt: skip
def update_user_digest(user_id: int, body: DigestPrefsUpdate, session: SessionDep,
                       principal: Supervisor) -> DigestPrefsOut:  # fmt: skip
    """Admins: anyone's. Managers: the members of the teams they manage."""
    return _apply(session, _supervised_user(session, principal, user_id), body, principal)
