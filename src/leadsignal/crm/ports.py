"""The port the CRM domain needs from any CRM (generic REST today; Salesforce or HubSpot later).

An adapter translates vendor failures into two kinds: worth retrying (time-outs, 429, 5xx) and
not (bad credentials, a refused payload), so callers decide without knowing the vendor.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from pydantic import BaseModel, Field


class CrmError(Exception):
    """The CRM call failed; ``retryable`` says whether trying again later may succeed."""

    retryable = False


class CrmRetryableError(CrmError):
    retryable = True


class CrmPermanentError(CrmError):
    retryable = False


class CrmLead(BaseModel):
    """A lead as the CRM holds it: fields by our names (only those mapped) and the CRM's version."""

    agency_id_number: str
    version: int | None = Field(default=None, ge=0)
    fields: dict[str, Any] = Field(default_factory=dict)


class CrmAdapter(Protocol):
    name: str

    def fetch_lead(self, agency_id_number: str) -> CrmLead | None:
        """The lead's current state in the CRM, or None when the CRM does not know it."""
        ...

    def push_signal(self, payload: dict[str, Any]) -> None:
        """Put one signal (the ``signal.*`` event payload) on the lead's record."""
        ...

    def list_changed_since(self, since: dt.datetime) -> list[str]:
        """Agency id numbers of leads the CRM changed at or after ``since``."""
        ...
