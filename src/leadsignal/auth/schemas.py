"""Request and response bodies of the auth, users and teams routes."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from leadsignal.core.pagination import NO_NUL, DbId

RoleName = Literal["admin", "manager", "agent", "compliance"]


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=254, pattern=NO_NUL)
    password: str = Field(min_length=1, max_length=1024)


class RefreshIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=256, pattern=NO_NUL)


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_in: int
    refresh_token: str


class ClientTokenOut(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_in: int
    scope: str


class MeOut(BaseModel):
    kind: Literal["user", "client"]
    id: int
    name: str
    role: str
    team_ids: list[int]
    managed_team_ids: list[int]
    scopes: list[str]


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    role: str
    is_active: bool
    locked_until: dt.datetime | None
    created_at: dt.datetime


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=254, pattern=NO_NUL)
    password: str = Field(min_length=12, max_length=1024)
    role: RoleName
    team_ids: list[DbId] = Field(default_factory=list, max_length=50)


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: RoleName | None = None
    is_active: bool | None = None
    password: str | None = Field(default=None, min_length=12, max_length=1024)


class TeamPersonOut(BaseModel):
    """A staff member of a team as its viewers may know them (the Assign picker labels people by e-mail)."""

    user_id: int
    email: str
    role: str
    is_active: bool


class TeamOut(BaseModel):
    id: int
    name: str
    manager_user_id: int | None
    member_ids: list[int]
    members: list[TeamPersonOut]
    manager: TeamPersonOut | None


class TeamCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120, pattern=NO_NUL)
    manager_user_id: DbId | None = None


class MemberIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: DbId
