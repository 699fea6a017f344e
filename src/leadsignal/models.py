"""Imports every domain's models so ``Base.metadata`` knows all tables (Alembic, tests)."""

from leadsignal.alerts.email.models import EmailEvent, EmailLog, OutboxMessage
from leadsignal.alerts.models import DigestPreference, RoundRobinCursor, RoutingRule, SignalEscalation
from leadsignal.analytics.models import SIGNALS_UPDATED_AT
from leadsignal.auth.models import LoginThrottle, OAuthClient, RefreshToken, Team, TeamMember, User
from leadsignal.compliance.disputes import SignalDispute
from leadsignal.compliance.models import AuditEntry
from leadsignal.compliance.ops.models import ErrorEvent, WorkerHeartbeat
from leadsignal.compliance.optout_requests import OptOutRequest
from leadsignal.compliance.retention_models import LegalHold, RetentionRun
from leadsignal.crm.models import InboxEvent, LeadContactFlags, Outcome, WebhookDelivery, WebhookEndpoint
from leadsignal.db import Base
from leadsignal.events.models import OutboxCursor, OutboxEvent
from leadsignal.leads.models import Lead
from leadsignal.leads.segments import LeadSegment
from leadsignal.matching.models import IdentityMatch
from leadsignal.monitoring.models import MonitorRun, MonitorState
from leadsignal.nlp.models import LabelledExample, ModelVersion
from leadsignal.signals.indexes import SIGNALS_DETECTED_BRIN
from leadsignal.signals.models import Signal, SignalEvidence, SignalTypeWeight
from leadsignal.sources.scrape_log import RateLimitIncident, ScrapeLogEntry
from leadsignal.sources.snapshots import ProfileSnapshot, StoredPost
from leadsignal.uplift.models import ExperimentAssignment

__all__ = [
    "SIGNALS_DETECTED_BRIN",
    "SIGNALS_UPDATED_AT",
    "AuditEntry",
    "Base",
    "DigestPreference",
    "EmailEvent",
    "EmailLog",
    "ErrorEvent",
    "ExperimentAssignment",
    "IdentityMatch",
    "InboxEvent",
    "LabelledExample",
    "Lead",
    "LeadContactFlags",
    "LeadSegment",
    "LegalHold",
    "LoginThrottle",
    "ModelVersion",
    "MonitorRun",
    "MonitorState",
    "OAuthClient",
    "OptOutRequest",
    "OutboxCursor",
    "OutboxEvent",
    "OutboxMessage",
    "Outcome",
    "ProfileSnapshot",
    "RateLimitIncident",
    "RefreshToken",
    "RetentionRun",
    "RoundRobinCursor",
    "RoutingRule",
    "ScrapeLogEntry",
    "Signal",
    "SignalDispute",
    "SignalEscalation",
    "SignalEvidence",
    "SignalTypeWeight",
    "StoredPost",
    "Team",
    "TeamMember",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WorkerHeartbeat",
]
