"""Login, refresh and logout; who am I; users and teams; and the OAuth token endpoint."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated
from urllib.parse import unquote

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import select

from leadsignal.auth import service
from leadsignal.auth.access import access
from leadsignal.auth.deps import Principal, PrincipalDep, require_roles
from leadsignal.auth.models import Team, User
from leadsignal.auth.schemas import (
    ClientTokenOut,
    LoginIn,
    MemberIn,
    MeOut,
    RefreshIn,
    TeamCreate,
    TeamOut,
    TeamPersonOut,
    TokenOut,
    UserCreate,
    UserOut,
    UserUpdate,
)
from leadsignal.core.deps import CtxDep, SessionDep
from leadsignal.core.errors import ApiError, error_body
from leadsignal.core.pagination import CursorQuery, IdPath, LimitQuery, Page, decode_cursor, encode_cursor

router = APIRouter(tags=["auth"])
oauth_router = APIRouter(tags=["auth"])

Admin = Annotated[Principal, Depends(require_roles("admin"))]
Overseer = Annotated[Principal, Depends(require_roles("admin", "compliance"))]
Person = Annotated[Principal, Depends(require_roles("admin", "manager", "agent", "compliance"))]
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_PUBLIC_401 = access(anonymous=401, agent=401, manager=401, compliance=401, admin=401, client=401,
                     json={"email": "nobody-{unique}@example.com", "password": "not-the-password"})  # fmt: skip


def _failure(failure: service.AuthFailure) -> JSONResponse:
    return JSONResponse(error_body(failure.code, failure.message, failure.details), status_code=failure.status,
                        headers=_NO_STORE)  # fmt: skip


def _tokens(pair: service.TokenPair) -> JSONResponse:
    body = TokenOut(access_token=pair.access_token, expires_in=pair.expires_in, refresh_token=pair.refresh_token)
    return JSONResponse(body.model_dump(), headers=_NO_STORE)


@router.post(
    "/auth/login", response_model=TokenOut, openapi_extra=_PUBLIC_401,
    responses={401: {"description": "wrong e-mail or password"}, 423: {"description": "locked after failures"}},
)  # fmt: skip
def login(body: LoginIn, session: SessionDep, ctx: CtxDep) -> JSONResponse:
    """Exchange e-mail and password for a 15-minute access token and a refresh token."""
    result = service.login(session, ctx.settings, email=body.email, password=body.password)
    return _failure(result) if isinstance(result, service.AuthFailure) else _tokens(result)


@router.post(
    "/auth/refresh", response_model=TokenOut,
    openapi_extra=access(anonymous=401, agent=401, manager=401, compliance=401, admin=401, client=401,
                         json={"refresh_token": "not-a-token-{unique}"}),
)  # fmt: skip
def refresh(body: RefreshIn, session: SessionDep, ctx: CtxDep) -> JSONResponse:
    """Rotate a refresh token. Re-using a spent one revokes every token of its login."""
    result = service.refresh(session, ctx.settings, body.refresh_token)
    return _failure(result) if isinstance(result, service.AuthFailure) else _tokens(result)


@router.post(
    "/auth/logout", status_code=204,
    openapi_extra=access(anonymous=204, agent=204, manager=204, compliance=204, admin=204, client=204,
                         json={"refresh_token": "not-a-token-{unique}"}),
)  # fmt: skip
def logout(body: RefreshIn, session: SessionDep) -> Response:
    """Revoke the login the refresh token belongs to (access tokens expire on their own)."""
    service.logout(session, body.refresh_token)
    return Response(status_code=204)


@router.get("/me", response_model=MeOut, openapi_extra=access(agent=200, manager=200, compliance=200, admin=200,
                                                                client=200))  # fmt: skip
def me(principal: PrincipalDep) -> MeOut:
    return MeOut(**principal.model_dump(include={"kind", "id", "name", "role", "team_ids", "managed_team_ids",
                                                 "scopes"}))  # fmt: skip


# --- users ---------------------------------------------------------------------------------------

_ADMIN_ONLY = {"agent": 403, "manager": 403, "compliance": 403, "admin": 200, "client": 403}
_OVERSEERS = {"agent": 403, "manager": 403, "compliance": 200, "admin": 200, "client": 403}


@router.get("/users", response_model=Page[UserOut], openapi_extra=access(_OVERSEERS))
def list_users(session: SessionDep, _: Overseer, limit: LimitQuery = 50, cursor: CursorQuery = None) -> Page[UserOut]:
    query = select(User).order_by(User.id).limit(limit + 1)
    if cursor:
        _key, last_id = decode_cursor(cursor, int)
        query = query.where(User.id > last_id)
    rows = session.scalars(query).all()
    page = rows[:limit]
    next_cursor = encode_cursor(page[-1].id, page[-1].id) if len(rows) > limit else None
    return Page(items=[UserOut.model_validate(u) for u in page], next_cursor=next_cursor)


@router.post(
    "/users", response_model=UserOut, status_code=201,
    openapi_extra=access(_ADMIN_ONLY, admin=201,
                         json={"email": "new-{unique}@example.com", "password": "a-long-password-123",
                               "role": "agent", "team_ids": ["{team_id}"]}),
)  # fmt: skip
def create_user(body: UserCreate, session: SessionDep, ctx: CtxDep, principal: Admin) -> UserOut:
    teams = [_team(session, tid, status=422) for tid in body.team_ids]
    try:
        user = service.create_user(session, ctx.settings, email=body.email, password=body.password, role=body.role,
                                   actor=principal.actor)  # fmt: skip
    except service.AccountError as exc:
        raise ApiError(409 if "already exists" in str(exc) else 422, "invalid_account", str(exc)) from exc
    for team in teams:
        service.add_member(session, team, user, actor=principal.actor)
    return UserOut.model_validate(user)


def _user(session: SessionDep, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise ApiError(404, "not_found", f"user {user_id} not found")
    return user


@router.get("/users/{user_id}", response_model=UserOut, openapi_extra=access(_OVERSEERS))
def get_user(user_id: IdPath, session: SessionDep, _: Overseer) -> UserOut:
    return UserOut.model_validate(_user(session, user_id))


@router.patch(
    "/users/{user_id}", response_model=UserOut,
    openapi_extra=access(_ADMIN_ONLY, json={"is_active": True}),
)  # fmt: skip
def update_user(user_id: IdPath, body: UserUpdate, session: SessionDep, ctx: CtxDep, principal: Admin) -> UserOut:
    """Change a role, disable an account (its refresh tokens die with it) or set a new password."""
    user = _user(session, user_id)
    try:
        service.update_user(session, ctx.settings, user, actor=principal.actor, role=body.role,
                            is_active=body.is_active, password=body.password)  # fmt: skip
    except service.AccountError as exc:
        raise ApiError(422, "invalid_account", str(exc)) from exc
    return UserOut.model_validate(user)


# --- teams ---------------------------------------------------------------------------------------


def _team(session: SessionDep, team_id: int, *, status: int = 404) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise ApiError(status, "not_found" if status == 404 else "unknown_team", f"team {team_id} not found")
    return team


def _team_out(session: SessionDep, teams: list[Team]) -> list[TeamOut]:
    """Teams with their people: whoever may see a team may know its staff by e-mail and role (staff
    accounts, not lead data, so nothing is audited), which lets managers label the Assign picker."""
    members = service.members_of(session, [t.id for t in teams])
    wanted = {uid for ids in members.values() for uid in ids} | {t.manager_user_id for t in teams if t.manager_user_id}
    people = {
        u.id: TeamPersonOut(user_id=u.id, email=u.email, role=u.role, is_active=u.is_active)
        for u in (session.scalars(select(User).where(User.id.in_(wanted))).all() if wanted else [])
    }
    out = []
    for t in teams:
        manager = people.get(t.manager_user_id) if t.manager_user_id else None
        out.append(TeamOut(id=t.id, name=t.name, manager_user_id=t.manager_user_id, member_ids=members[t.id],
                           members=[people[uid] for uid in members[t.id]], manager=manager))  # fmt: skip
    return out


@router.get(
    "/teams", response_model=Page[TeamOut],
    openapi_extra=access(agent=200, manager=200, compliance=200, admin=200, client=403),
)  # fmt: skip
def list_teams(session: SessionDep, principal: Person, limit: LimitQuery = 50, cursor: CursorQuery = None
               ) -> Page[TeamOut]:  # fmt: skip
    """Every team for admin and compliance; the caller's own teams for everyone else."""
    query = select(Team).order_by(Team.id).limit(limit + 1)
    if principal.role not in ("admin", "compliance"):
        query = query.where(Team.id.in_(principal.team_ids))
    if cursor:
        _key, last_id = decode_cursor(cursor, int)
        query = query.where(Team.id > last_id)
    rows = list(session.scalars(query).all())
    page = rows[:limit]
    next_cursor = encode_cursor(page[-1].id, page[-1].id) if len(rows) > limit else None
    return Page(items=_team_out(session, page), next_cursor=next_cursor)


@router.post(
    "/teams", response_model=TeamOut, status_code=201,
    openapi_extra=access(_ADMIN_ONLY, admin=201, json={"name": "Team {unique}"}),
)  # fmt: skip
def create_team(body: TeamCreate, session: SessionDep, principal: Admin) -> TeamOut:
    try:
        team = service.create_team(session, name=body.name, manager_user_id=body.manager_user_id,
                                   actor=principal.actor)  # fmt: skip
    except service.AccountError as exc:
        raise ApiError(409 if "already exists" in str(exc) else 422, "invalid_team", str(exc)) from exc
    return _team_out(session, [team])[0]


def _managed_team(session: SessionDep, principal: Principal, team_id: int) -> Team:
    team = _team(session, team_id)
    if principal.role != "admin" and team.manager_user_id != principal.id:
        raise ApiError(403, "forbidden", "only an admin or the team's manager changes its members")
    return team


_MEMBERS = {"agent": 403, "other_agent": 403, "manager": 200, "compliance": 403, "admin": 200, "client": 403}


@router.post(
    "/teams/{team_id}/members", response_model=TeamOut,
    openapi_extra=access(_MEMBERS, json={"user_id": "{spare_user_id}"}),
)  # fmt: skip
def add_member(team_id: IdPath, body: MemberIn, session: SessionDep, principal: Person) -> TeamOut:
    team = _managed_team(session, principal, team_id)
    user = session.get(User, body.user_id)
    if user is None:
        raise ApiError(422, "unknown_user", f"user {body.user_id} does not exist")
    service.add_member(session, team, user, actor=principal.actor)
    return _team_out(session, [team])[0]


@router.delete(
    "/teams/{team_id}/members/{user_id}", status_code=204,
    openapi_extra=access({k: 204 if v == 200 else v for k, v in _MEMBERS.items()}),
)  # fmt: skip
def remove_member(team_id: IdPath, user_id: IdPath, session: SessionDep, principal: Person) -> Response:
    team = _managed_team(session, principal, team_id)
    service.remove_member(session, team, user_id, actor=principal.actor)
    return Response(status_code=204)


# --- OAuth 2.0 client credentials (RFC 6749 section 4.4) -----------------------------------------

_TOKEN_FORM = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["grant_type"],
                    "properties": {
                        "grant_type": {"type": "string", "enum": ["client_credentials"]},
                        "scope": {"type": "string"},
                        "client_id": {"type": "string"},
                        "client_secret": {"type": "string"},
                    },
                }
            }
        },
    }
}


def _oauth_error(status: int, error: str, description: str, *, basic: bool = False) -> JSONResponse:
    headers = dict(_NO_STORE)
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="leadsignal"' if basic else 'Bearer realm="leadsignal"'
    return JSONResponse({"error": error, "error_description": description}, status_code=status, headers=headers)


@oauth_router.post(
    "/oauth/token", response_model=ClientTokenOut,
    openapi_extra={**_TOKEN_FORM, **access(anonymous=401, agent=401, manager=401, compliance=401, admin=401,
                                           client=401, form={"grant_type": "client_credentials"})},
)  # fmt: skip
async def oauth_token(request: Request, session: SessionDep, ctx: CtxDep) -> JSONResponse:
    """Client credentials grant for CRM integrations; errors use RFC 6749 bodies."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        return _oauth_error(400, "invalid_request", "body must be application/x-www-form-urlencoded")
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    if any("\x00" in v for v in fields.values()):
        return _oauth_error(400, "invalid_request", "parameters must not contain NUL characters")
    if len(form.getlist("grant_type")) > 1 or len(form.getlist("client_id")) > 1:
        return _oauth_error(400, "invalid_request", "parameters must not repeat")
    if fields.get("grant_type") != "client_credentials":
        if not fields.get("grant_type"):
            return _oauth_error(400, "invalid_request", "grant_type is required")
        return _oauth_error(400, "unsupported_grant_type", "only client_credentials is supported")
    header = request.headers.get("authorization")
    basic = header is not None and header.lower().startswith("basic ")
    credentials = _basic_credentials(header) if header is not None and basic else None
    if basic and credentials is None:
        return _oauth_error(401, "invalid_client", "malformed Basic credentials", basic=True)
    if credentials and (fields.get("client_id") or fields.get("client_secret")):
        return _oauth_error(400, "invalid_request", "use one client authentication method, not two")
    client_id, secret = credentials or (fields.get("client_id", ""), fields.get("client_secret", ""))
    if not client_id or not secret:
        return _oauth_error(401, "invalid_client", "client authentication is required", basic=True)
    result = service.client_credentials_token(session, ctx.settings, client_id=client_id, secret=secret,
                                              scope=fields.get("scope"))  # fmt: skip
    if isinstance(result, service.OAuthFailure):
        return _oauth_error(result.status, result.error, result.description, basic=basic)
    body = ClientTokenOut(access_token=result.access_token, expires_in=result.expires_in, scope=" ".join(result.scopes))
    return JSONResponse(body.model_dump(), headers=_NO_STORE)


def _basic_credentials(header: str) -> tuple[str, str] | None:
    """RFC 6749 2.3.1: id and secret are form-urlencoded, then joined by ':' and base64-encoded."""
    try:
        decoded = base64.b64decode(header.split(" ", 1)[1].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, IndexError):
        return None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        return None
    return unquote(client_id.replace("+", " ")), unquote(secret.replace("+", " "))
