"""Transport security: `leadsignal serve` refuses TLS 1.2, speaks TLS 1.3; strict CORS; headers; size cap."""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import os
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fastapi.testclient import TestClient

from leadsignal.app import create_app
from leadsignal.core.context import AppContext


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))  # fmt: skip
    return cert_path, key_path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    cert, key = _self_signed(tmp_path)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADSIGNAL_")}
    env.update(LEADSIGNAL_ENV="test", LEADSIGNAL_DATA_DIR=str(tmp_path / "data"), LEADSIGNAL_TLS_CERTFILE=str(cert),
               LEADSIGNAL_TLS_KEYFILE=str(key), LEADSIGNAL_FRONTEND_DIST=str(tmp_path / "none"))  # fmt: skip
    command = [sys.executable, "-c", "from leadsignal.cli import main; main()", "serve", "--port", str(port)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"server did not start: {proc.stderr.read() if proc.stderr else b''!r}"
                    ) from None
                time.sleep(0.2)
        yield port, cert
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _context(cert: Path, version: ssl.TLSVersion) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(cert))
    context.minimum_version = context.maximum_version = version
    return context


def test_tls_12_refused_tls_13_served(tls_server: tuple[int, Path]) -> None:
    port, cert = tls_server
    old = http.client.HTTPSConnection("127.0.0.1", port, context=_context(cert, ssl.TLSVersion.TLSv1_2), timeout=10)
    with pytest.raises(ssl.SSLError):
        old.request("GET", "/healthz")
    old.close()
    modern = http.client.HTTPSConnection("127.0.0.1", port, context=_context(cert, ssl.TLSVersion.TLSv1_3),
                                         timeout=10)  # fmt: skip
    modern.request("GET", "/healthz")
    response = modern.getresponse()
    assert response.status == 200
    assert modern.sock.version() == "TLSv1.3"  # type: ignore[union-attr]
    assert response.getheader("strict-transport-security", "").startswith("max-age=")
    modern.close()


def test_no_cors_by_default(client: TestClient) -> None:
    preflight = client.options("/api/v1/leads", headers={"Origin": "https://evil.example",
                                                         "Access-Control-Request-Method": "GET"})  # fmt: skip
    assert "access-control-allow-origin" not in preflight.headers
    plain = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in plain.headers


def test_cors_allows_only_configured_origins(app_ctx: AppContext) -> None:
    app_ctx.settings.cors_origins = ["https://dash.agency.example"]
    with TestClient(create_app(app_ctx)) as cors_client:
        ok = cors_client.options("/api/v1/leads", headers={"Origin": "https://dash.agency.example",
                                                           "Access-Control-Request-Method": "GET"})  # fmt: skip
        assert ok.headers["access-control-allow-origin"] == "https://dash.agency.example"
        bad = cors_client.options("/api/v1/leads", headers={"Origin": "https://evil.example",
                                                            "Access-Control-Request-Method": "GET"})  # fmt: skip
        assert "access-control-allow-origin" not in bad.headers


def test_security_headers_and_body_limit(client: TestClient) -> None:
    response = client.get("/api/v1/leads")
    assert response.status_code == 401
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-request-id"]
    limit = client.app.state.ctx.settings.max_request_bytes  # type: ignore[attr-defined]
    big = client.post("/api/v1/auth/login", content=b"x" * (limit + 1), headers={"Content-Type": "application/json"})
    assert big.status_code == 413
    assert big.json()["error"]["code"] == "payload_too_large"
