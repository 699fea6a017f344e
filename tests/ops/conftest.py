"""Ops fixtures: the rolled-back API app and scene, and the local SMTP server of the alerts tests."""

from tests.alerts.conftest import smtp_server
from tests.auth.fixtures import app_ctx, client, scene

__all__ = ["app_ctx", "client", "scene", "smtp_server"]
