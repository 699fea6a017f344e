"""Imports every domain's models so ``Base.metadata`` knows all tables (Alembic, tests)."""

from leadsignal.alerts.email.models import EmailEvent, EmailLog, OutboxMessage
from leadsignal.alerts.models import DigestPreference, RoundRobinCursor, RoutingRule, SignalEscalation
from leadsignal.auth.models import LoginThrottle, OAuthClient, RefreshToken, Team, TeamMember, User
from leadsignal.compliance.models import AuditEntry
from leadsignal.crm.models import InboxEvent, LeadContactFlags, Outcome, WebhookDelivery, WebhookEndpoint
from leadsignal.db import Base
from leadsignal.events.models import OutboxCursor, OutboxEvent
from leadsignal.leads.models import Lead
from leadsignal.leads.segments import LeadSegment
from leadsignal.matching.models import IdentityMatch
from leadsignal.monitoring.models import MonitorRun, MonitorState
from leadsignal.nlp.models import LabelledExample, ModelVersion
from leadsignal.signals.indexes import SIGNALS_DETECTED_BRIN
from leadsignal.signals.models import Signal, SignalEvidence
from leadsignal.sources.scrape_log import RateLimitIncident, ScrapeLogEntry
from leadsignal.sources.snapshots import ProfileSnapshot, StoredPost

__all__ = [
    "SIGNALS_DETECTED_BRIN",
    "AuditEntry",
    "Base",
    "DigestPreference",
    "EmailEvent",
    "EmailLog",
    "IdentityMatch",
    "InboxEvent",
    "LabelledExample",
    "Lead",
    "LeadContactFlags",
    "LeadSegment",
    "LoginThrottle",
    "ModelVersion",
    "MonitorRun",
    "MonitorState",
    "OAuthClient",
    "OutboxCursor",
    "OutboxEvent",
    "OutboxMessage",
    "Outcome",
    "ProfileSnapshot",
    "RateLimitIncident",
    "RefreshToken",
    "RoundRobinCursor",
    "RoutingRule",
    "ScrapeLogEntry",
    "Signal",
    "SignalEscalation",
    "SignalEvidence",
    "StoredPost",
    "Team",
    "TeamMember",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
]
