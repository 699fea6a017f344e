"""Analytics fixtures: the API test app, its shared scene, and a hand-built month of signals."""

from tests.analytics.fixtures import month
from tests.auth.fixtures import app_ctx, client, scene

__all__ = ["app_ctx", "client", "month", "scene"]
