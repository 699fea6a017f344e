"""Serve a single-page app: static assets, and index.html for every other non-API path."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import Scope

from leadsignal.core.errors import error_body

_API_PREFIXES = ("api/", "oauth/", "openapi.json", "docs", "healthz", "readyz", "metrics")


class HashedAssets(StaticFiles):
    """Vite puts a content hash in every asset's name, so a browser may keep them for good."""

    def file_response(self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:  # fmt: skip
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def mount_spa(app: FastAPI, dist: Path) -> None:
    assets = dist / "assets"
    if assets.is_dir():
        # Compressed here only: API responses carry tokens and reflect input, which compression would expose (BREACH).
        app.mount("/assets", GZipMiddleware(HashedAssets(directory=assets), minimum_size=1024), name="assets")
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
