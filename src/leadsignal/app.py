"""The FastAPI application factory: one origin serves the API and the built dashboard."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from leadsignal import __version__
from leadsignal.api import api_v1
from leadsignal.auth.routes import oauth_router
from leadsignal.compliance.ops.metrics import router as metrics_router
from leadsignal.compliance.public_form import router as public_optout_router
from leadsignal.core.context import AppContext
from leadsignal.core.errors import install_error_handlers
from leadsignal.core.health import router as health_router
from leadsignal.core.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from leadsignal.settings import load_settings


def create_app(ctx: AppContext | None = None) -> FastAPI:
    ctx = ctx or AppContext(load_settings())
    app = FastAPI(title="leadsignal", version=__version__, openapi_url="/openapi.json", docs_url="/docs")
    app.state.ctx = ctx
    install_error_handlers(app)
    app.include_router(health_router)
    app.include_router(metrics_router)
    app.include_router(api_v1)
    app.include_router(oauth_router)
    app.include_router(public_optout_router)  # /opt-out: server-rendered, before the SPA catch-all
    if ctx.settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=ctx.settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
            allow_credentials=False,
        )
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=ctx.settings.max_request_bytes)
    app.add_middleware(RequestContextMiddleware)
    _mount_dashboard(app, ctx.settings.frontend_dist)
    return app


def _mount_dashboard(app: FastAPI, dist: Path | None) -> None:
    """Serve the built React app (``frontend/dist``) when present; the API works without it."""
    if dist is None or not (dist / "index.html").exists():
        return
    from leadsignal.core.spa import mount_spa

    mount_spa(app, dist)
