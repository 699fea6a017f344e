"""Vault (KV v2) and AWS Secrets Manager read over their real HTTP protocols from local fakes."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from leadsignal.core.secret_stores import SecretStoreError
from leadsignal.settings import load_settings


class _Store(BaseHTTPRequestHandler):
    secrets: ClassVar[dict[str, Any]] = {}
    seen: ClassVar[list[dict[str, str]]] = []

    def log_message(self, *args: Any) -> None:
        return

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # Vault: GET /v1/secret/data/leadsignal
        self.seen.append(dict(self.headers))
        if self.headers.get("X-Vault-Token") != "vault-token":
            self._send(403, {"errors": ["permission denied"]})
        elif self.path == "/v1/secret/data/leadsignal":
            self._send(200, {"data": {"data": self.secrets, "metadata": {"version": 3}}})
        else:
            self._send(404, {"errors": []})

    def do_POST(self) -> None:  # AWS: POST / with X-Amz-Target
        self.seen.append(dict(self.headers))
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") or "Signature=" not in auth:
            self._send(400, {"__type": "IncompleteSignatureException"})
        elif self.headers.get("X-Amz-Target") != "secretsmanager.GetSecretValue":
            self._send(400, {"__type": "UnknownOperationException"})
        elif body.get("SecretId") != "leadsignal/prod":
            self._send(400, {"__type": "ResourceNotFoundException", "Message": "not found"})
        else:
            self._send(200, {"ARN": "arn:aws:secretsmanager:x", "Name": "leadsignal/prod",
                             "SecretString": json.dumps(self.secrets)})  # fmt: skip


@pytest.fixture
def store() -> Iterator[str]:
    _Store.secrets = {"jwt_secret": "from-store", "encryption_keys": "s1:" + "C" * 43, "unrelated": "x"}
    _Store.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Store)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_vault_fills_missing_secrets_but_explicit_values_win(store: str) -> None:
    settings = load_settings(
        _env_file=None, vault_addr=store, vault_token="vault-token", encryption_keys="mine:" + "D" * 43
    )
    assert settings.jwt_secret is not None
    assert settings.jwt_secret.get_secret_value() == "from-store"
    assert settings.encryption_keys is not None
    assert settings.encryption_keys.get_secret_value().startswith("mine:")


def test_vault_refusal_stops_start_up(store: str) -> None:
    with pytest.raises(SecretStoreError, match="Vault answered 403"):
        load_settings(_env_file=None, vault_addr=store, vault_token="wrong")


def test_aws_secrets_manager_signed_request(store: str) -> None:
    settings = load_settings(
        _env_file=None,
        aws_secret_id="leadsignal/prod",
        aws_region="us-east-1",
        aws_secretsmanager_endpoint=store,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    )
    assert settings.jwt_secret is not None
    assert settings.jwt_secret.get_secret_value() == "from-store"
    sent = _Store.seen[-1]
    assert "x-amz-date" in {k.lower() for k in sent}
    assert "wJalrXUtnFEMI" not in json.dumps(sent)


def test_aws_missing_secret_is_an_error(store: str) -> None:
    with pytest.raises(SecretStoreError, match="answered 400"):
        load_settings(_env_file=None, aws_secret_id="other", aws_secretsmanager_endpoint=store,
                      aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="k")  # fmt: skip
