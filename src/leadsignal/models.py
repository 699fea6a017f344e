"""Imports every domain's models so ``Base.metadata`` knows all tables (Alembic, tests)."""

from leadsignal.compliance.models import AuditEntry
from leadsignal.db import Base
from leadsignal.leads.models import Lead
from leadsignal.leads.segments import LeadSegment

__all__ = ["AuditEntry", "Base", "Lead", "LeadSegment"]
