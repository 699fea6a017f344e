"""API fixtures: a rolled-back app context, a TestClient, and the shared scene."""

from tests.auth.fixtures import app_ctx, client, scene

__all__ = ["app_ctx", "client", "scene"]
