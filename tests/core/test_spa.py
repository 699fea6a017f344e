"""The dashboard's static files: hashed assets compressed and cached for good, every route gets index.html."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadsignal.core.spa import mount_spa


def _dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log('leadsignal');\n" * 200)
    return tmp_path


def test_assets_are_gzipped_and_immutable(tmp_path: Path) -> None:
    app = FastAPI()
    mount_spa(app, _dist(tmp_path))
    client = TestClient(app)
    res = client.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})
    assert res.status_code == 200
    assert res.headers["content-encoding"] == "gzip"
    assert res.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert res.text.startswith("console.log")  # httpx decompressed it
    plain = client.get("/assets/index-abc123.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers


def test_client_routes_get_index_and_api_paths_do_not(tmp_path: Path) -> None:
    app = FastAPI()
    mount_spa(app, _dist(tmp_path))
    client = TestClient(app)
    page = client.get("/leads/42")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-cache"
    assert "root" in page.text
    assert client.get("/api/v1/nothing-here").status_code == 404
