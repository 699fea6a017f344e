"""Authorisation in one place: who is calling (``PrincipalDep``), what they may do
(``require_roles``, ``require_scopes``) and which leads they may see (``visible_leads``).

Every lead or signal query in the API is filtered by ``visible_leads``; PostgreSQL row-level
security (auth/rls.py) enforces the same rule a second time for non-owner database roles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from leadsignal.auth.models import OAuthClient, User
from leadsignal.auth.rls import apply_rls_context
from leadsignal.auth.service import ROLE_SCOPES, team_ids_of
from leadsignal.auth.tokens import TokenError, decode_access_token
from leadsignal.compliance.audit import Actor
from leadsignal.core.context import AppContext
from leadsignal.core.deps import CtxDep, SessionDep
from leadsignal.core.errors import ApiError
from leadsignal.core.logging import set_principal
from leadsignal.leads.models import Lead

Role = Literal["admin", "manager", "agent", "compliance", "client"]
SEE_ALL: frozenset[str] = frozenset({"admin", "compliance", "client"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_bearer = HTTPBearer(auto_error=False, description="An access token from /api/v1/auth/login or /oauth/token")


class Principal(BaseModel):
    """The authenticated caller: a person (``user``) or a CRM machine client (``client``)."""

    kind: Literal["user", "client"]
    id: int
    role: Role
    name: str
    team_ids: list[int] = []
    managed_team_ids: list[int] = []
    scopes: list[str] = []
    client_id: str | None = None
    origin: str | None = None
    request_id: str | None = None

    @property
    def actor(self) -> Actor:
        name = f"user:{self.id}" if self.kind == "user" else f"crm:{self.client_id}"
        return Actor(name, origin=self.origin, request_id=self.request_id)


def read_only(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a POST that only reads (e.g. reveal), so compliance may call it."""
    endpoint.__leadsignal_read_only__ = True  # type: ignore[attr-defined]
    return endpoint


def compliance_route(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a write of the compliance domain itself (opt-outs, consumer requests, audit exports):
    compliance accounts are read-only everywhere else. Apply below the router decorator."""
    return read_only(endpoint)


def _unauthenticated(message: str) -> HTTPException:
    # Rendered by core.errors as {"error": {"code": "unauthenticated", ...}}, keeping the header.
    return HTTPException(401, detail=message, headers={"WWW-Authenticate": 'Bearer realm="leadsignal"'})


def get_principal(
    request: Request,
    ctx: CtxDep,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthenticated("a bearer access token is required")
    principal = principal_from_token(request, ctx, session, credentials.credentials)
    if principal.role == "compliance" and request.method not in SAFE_METHODS:
        route = request.scope.get("route")
        if not getattr(getattr(route, "endpoint", None), "__leadsignal_read_only__", False):
            raise ApiError(403, "forbidden", "compliance accounts are read-only")
    apply_rls_context(session, role=principal.role, user_id=principal.id if principal.kind == "user" else None,
                      team_ids=principal.team_ids)  # fmt: skip
    return principal


def principal_from_token(request: Request, ctx: AppContext, session: Session, token: str) -> Principal:
    """Validate an access token and load its account (also used where no header can be sent: SSE)."""
    try:
        claims = decode_access_token(ctx.settings, token)
    except TokenError as exc:
        raise _unauthenticated(str(exc)) from exc
    origin = f"ip:{request.client.host}" if request.client else None
    request_id = getattr(request.state, "request_id", None)
    principal = _load(session, claims.kind, claims.subject, claims.scopes, origin, request_id)
    if principal is None:
        raise _unauthenticated("access token no longer valid: the account or client is disabled")
    set_principal(principal.actor.name)
    return principal


def _load(session: Session, kind: str, subject: str, token_scopes: list[str], origin: str | None,
          request_id: str | None) -> Principal | None:  # fmt: skip
    """Re-read the account each request, so disabling a user or client takes effect at once."""
    if kind == "user":
        if not subject.isdigit():
            return None
        user = session.get(User, int(subject))
        if user is None or not user.is_active:
            return None
        teams, managed = team_ids_of(session, user.id)
        scopes = sorted(set(token_scopes) & set(ROLE_SCOPES[user.role]))
        return Principal(kind="user", id=user.id, role=user.role, name=user.email, team_ids=teams,
                         managed_team_ids=managed, scopes=scopes, origin=origin, request_id=request_id)  # fmt: skip
    client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == subject))
    if client is None or not client.is_active:
        return None
    scopes = sorted(set(token_scopes) & set(client.scopes))
    return Principal(kind="client", id=client.id, role="client", name=client.name, client_id=client.client_id,
                     scopes=scopes, origin=origin, request_id=request_id)  # fmt: skip


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency that admits only these roles (OAuth clients have the role ``client``)."""
    allowed = frozenset(roles)

    def dependency(principal: PrincipalDep) -> Principal:
        if principal.role not in allowed:
            raise ApiError(403, "forbidden", f"this needs one of the roles: {', '.join(sorted(allowed))}")
        return principal

    return dependency


def require_scopes(*scopes: str) -> Callable[[Principal], Principal]:
    """A dependency that admits callers holding every scope (users hold their role's scopes)."""
    needed = frozenset(scopes)

    def dependency(principal: PrincipalDep) -> Principal:
        missing = needed - set(principal.scopes)
        if missing:
            raise ApiError(403, "insufficient_scope", f"missing scope(s): {', '.join(sorted(missing))}")
        return principal

    return dependency


def visible_leads(principal: Principal) -> ColumnElement[bool]:
    """The WHERE clause for the leads this principal may see (join leads to filter signals)."""
    if principal.role in SEE_ALL:
        return true()
    in_teams = Lead.team_id.in_(principal.team_ids) if principal.team_ids else false()
    if principal.role == "manager":
        return in_teams
    if principal.role == "agent":
        return or_(Lead.assignee_user_id == principal.id, in_teams)
    return false()


def can_reveal(principal: Principal) -> bool:
    return principal.kind == "user" and principal.role in ("admin", "compliance", "manager")


def can_see_masked(principal: Principal) -> bool:
    """Last four digits of identifiers: for people who verify a caller's identity, never machines."""
    return principal.kind == "user"
