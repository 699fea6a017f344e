"""Serve a single-page app: static assets, and index.html for every other non-API path."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

from leadsignal.core.errors import error_body

_API_PREFIXES = ("api/", "oauth/", "openapi.json", "docs", "healthz", "readyz", "metrics")


def mount_spa(app: FastAPI, dist: Path) -> None:
    assets = dist / "assets"
    if assets.is_dir():
        app.mount("/assets", StaticFiles(directory=assets), name="assets")
    index = dist / "index.html"

    @app.get("/{path:path}", include_in_schema=False)
    def spa(path: str, request: Request) -> Response:
        if path.startswith(_API_PREFIXES):
            from fastapi.responses import JSONResponse

            return JSONResponse(error_body("not_found", "Not Found"), status_code=404)
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and dist.resolve() in candidate.parents:
            return FileResponse(candidate)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})
