"""Access tokens (HS256 JWTs, minutes long) and opaque secrets stored only as digests."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from typing import Any, Literal

import jwt
from pydantic import BaseModel

from leadsignal.core.crypto import ensure_dev_keys
from leadsignal.settings import Settings

ISSUER = "leadsignal"
AUDIENCE = "leadsignal-api"
ALGORITHM = "HS256"


class TokenError(ValueError):
    """An access token is missing, malformed, forged or expired."""


class AccessClaims(BaseModel):
    kind: Literal["user", "client"]
    subject: str  # the user id, or the OAuth client_id
    role: str
    scopes: list[str]
    expires_at: dt.datetime


def jwt_secret(settings: Settings) -> str:
    """The signing secret; outside production the dev-keys.json one when none is configured."""
    if settings.jwt_secret is not None:
        return settings.jwt_secret.get_secret_value()
    if settings.env == "production":
        raise TokenError("LEADSIGNAL_JWT_SECRET is required in production")
    return ensure_dev_keys(settings.data_dir)["jwt_secret"]


def issue_access_token(
    settings: Settings, *, kind: Literal["user", "client"], subject: str, role: str, scopes: list[str],
    now: dt.datetime,
) -> tuple[str, int]:  # fmt: skip
    ttl = settings.access_token_ttl_seconds
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": f"{kind}:{subject}",
        "role": role,
        "scope": " ".join(scopes),
        "iat": int(now.timestamp()),
        "exp": int(now.timestamp()) + ttl,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, jwt_secret(settings), algorithm=ALGORITHM), ttl


def decode_access_token(settings: Settings, token: str) -> AccessClaims:
    try:
        claims = jwt.decode(
            token, jwt_secret(settings), algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "aud", "iss"]},
        )  # fmt: skip
    except jwt.ExpiredSignatureError as exc:
        raise TokenError("access token expired") from exc
    except jwt.PyJWTError as exc:
        raise TokenError("access token is invalid") from exc
    kind, _, subject = str(claims.get("sub", "")).partition(":")
    if kind not in ("user", "client") or not subject or not isinstance(claims.get("role"), str):
        raise TokenError("access token is invalid")
    return AccessClaims(
        kind=kind,
        subject=subject,
        role=claims["role"],
        scopes=str(claims.get("scope", "")).split(),
        expires_at=dt.datetime.fromtimestamp(claims["exp"], dt.UTC),
    )


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """SHA-256 of a high-entropy random secret (a slow hash buys nothing against 256 bits)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def digest_matches(secret: str, stored: str) -> bool:
    return hmac.compare_digest(digest(secret), stored)
