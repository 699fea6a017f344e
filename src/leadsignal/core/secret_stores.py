"""Read secrets from HashiCorp Vault (KV v2) or AWS Secrets Manager over their HTTP APIs.

Both stores hold one JSON object whose keys are Settings field names, for example
``{"encryption_keys": "k1:...", "jwt_secret": "..."}``. Values set explicitly (environment,
``.env``, secret files) win over the store, so an operator can override one secret locally.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from leadsignal.settings import Settings


class SecretStoreError(RuntimeError):
    """A configured secret store could not be read; start-up must stop, not run without keys."""


def fetch_external_secrets(settings: Settings) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if settings.vault_addr and settings.vault_token:
        found.update(
            read_vault(settings.vault_addr, settings.vault_token.get_secret_value(), settings.vault_secret_path)
        )
    if settings.aws_secret_id:
        found.update(read_aws_secret(settings))
    return found


def read_vault(addr: str, token: str, path: str, *, timeout: float = 5.0) -> dict[str, Any]:
    url = f"{addr.rstrip('/')}/v1/{path.lstrip('/')}"
    try:
        response = httpx.get(url, headers={"X-Vault-Token": token}, timeout=timeout)
    except httpx.HTTPError as exc:
        raise SecretStoreError(f"Vault at {addr} is unreachable: {exc}") from exc
    if response.status_code != 200:
        raise SecretStoreError(f"Vault answered {response.status_code} for {path}")
    body = response.json()
    data = body.get("data", {})
    # KV v2 nests the secret under data.data; KV v1 returns it under data.
    secret = data.get("data", data) if isinstance(data, dict) else {}
    if not isinstance(secret, dict):
        raise SecretStoreError(f"Vault secret {path} is not a JSON object")
    return secret


def read_aws_secret(settings: Settings, *, timeout: float = 5.0) -> dict[str, Any]:
    region = settings.aws_region or "us-east-1"
    endpoint = settings.aws_secretsmanager_endpoint or f"https://secretsmanager.{region}.amazonaws.com"
    if not (settings.aws_access_key_id and settings.aws_secret_access_key):
        raise SecretStoreError("aws_secret_id is set but AWS credentials are not")
    payload = json.dumps({"SecretId": settings.aws_secret_id}).encode()
    headers = sign_aws_request(
        endpoint=endpoint,
        region=region,
        service="secretsmanager",
        target="secretsmanager.GetSecretValue",
        body=payload,
        access_key=settings.aws_access_key_id,
        secret_key=settings.aws_secret_access_key.get_secret_value(),
    )
    try:
        response = httpx.post(endpoint, content=payload, headers=headers, timeout=timeout)
    except httpx.HTTPError as exc:
        raise SecretStoreError(f"AWS Secrets Manager is unreachable: {exc}") from exc
    if response.status_code != 200:
        raise SecretStoreError(f"AWS Secrets Manager answered {response.status_code}: {response.text[:200]}")
    secret_string = response.json().get("SecretString")
    if not secret_string:
        raise SecretStoreError("AWS secret has no SecretString (binary secrets are not supported)")
    value = json.loads(secret_string)
    if not isinstance(value, dict):
        raise SecretStoreError("AWS secret is not a JSON object")
    return value


def sign_aws_request(
    *,
    endpoint: str,
    region: str,
    service: str,
    target: str,
    body: bytes,
    access_key: str,
    secret_key: str,
    now: dt.datetime | None = None,
) -> dict[str, str]:
    """AWS Signature Version 4 for a JSON-protocol POST to ``/``."""
    now = now or dt.datetime.now(dt.UTC)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    day = now.strftime("%Y%m%d")
    host = httpx.URL(endpoint).netloc.decode()
    headers = {
        "content-type": "application/x-amz-json-1.1",
        "host": host,
        "x-amz-date": amz_date,
        "x-amz-target": target,
    }
    signed = ";".join(sorted(headers))
    canonical = "\n".join(
        ["POST", "/", "", *(f"{k}:{headers[k]}" for k in sorted(headers)), "", signed, hashlib.sha256(body).hexdigest()]
    )
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = f"AWS4{secret_key}".encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, SignedHeaders={signed}, Signature={signature}"
    )
    return headers
