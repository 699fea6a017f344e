"""Every router of the versioned API. A domain adds its router here, under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter

from leadsignal.alerts.email.routes import outbox_router as email_outbox_router
from leadsignal.alerts.email.routes import webhook_router as email_webhook_router
from leadsignal.alerts.routes import router as digest_prefs_router
from leadsignal.alerts.routing_routes import router as routing_rules_router
from leadsignal.alerts.stream import router as signal_stream_router
from leadsignal.analytics.routes import router as analytics_router
from leadsignal.auth.routes import router as auth_router
from leadsignal.compliance.audit_routes import router as audit_router
from leadsignal.compliance.checks_routes import router as compliance_checks_router
from leadsignal.compliance.ops.routes import router as monitoring_router
from leadsignal.compliance.optout_routes import router as consumer_rights_router
from leadsignal.crm.admin_routes import router as crm_admin_router
from leadsignal.crm.routes import router as crm_router
from leadsignal.leads.routes import router as leads_router
from leadsignal.matching.routes import router as identity_router
from leadsignal.signals.routes import router as signals_router
from leadsignal.signals.weight_routes import router as signal_weights_router
from leadsignal.uplift.routes import router as reports_router

api_v1 = APIRouter(prefix="/api/v1")
api_v1.include_router(analytics_router)
api_v1.include_router(email_webhook_router)
api_v1.include_router(email_outbox_router)
api_v1.include_router(crm_router)
api_v1.include_router(crm_admin_router)
api_v1.include_router(auth_router)
api_v1.include_router(digest_prefs_router)
api_v1.include_router(leads_router)
api_v1.include_router(identity_router)
api_v1.include_router(routing_rules_router)
api_v1.include_router(signal_stream_router)  # before /signals/{signal_id}
api_v1.include_router(signals_router)
api_v1.include_router(consumer_rights_router)
api_v1.include_router(signal_weights_router)
api_v1.include_router(reports_router)
api_v1.include_router(compliance_checks_router)
api_v1.include_router(audit_router)
api_v1.include_router(monitoring_router)
