"""Every router of the versioned API. A domain adds its router here, under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter

from leadsignal.alerts.email.routes import outbox_router as email_outbox_router
from leadsignal.alerts.email.routes import webhook_router as email_webhook_router
from leadsignal.alerts.routes import router as digest_prefs_router
from leadsignal.alerts.routing_routes import router as routing_rules_router
from leadsignal.alerts.stream import router as signal_stream_router
from leadsignal.auth.routes import router as auth_router
from leadsignal.crm.routes import router as crm_router
from leadsignal.leads.routes import router as leads_router
from leadsignal.matching.routes import router as identity_router
from leadsignal.signals.routes import router as signals_router

api_v1 = APIRouter(prefix="/api/v1")
api_v1.include_router(email_webhook_router)
api_v1.include_router(email_outbox_router)
api_v1.include_router(crm_router)
api_v1.include_router(auth_router)
api_v1.include_router(digest_prefs_router)
api_v1.include_router(leads_router)
api_v1.include_router(identity_router)
api_v1.include_router(routing_rules_router)
api_v1.include_router(signal_stream_router)  # before /signals/{signal_id}
api_v1.include_router(signals_router)
