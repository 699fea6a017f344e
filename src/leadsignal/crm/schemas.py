"""Pydantic models at the CRM edge: what the CRM sends us and what our CRM routes answer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

OutcomeKind = Literal[
    "contacted",
    "right_party_contact",
    "promise_to_pay",
    "payment_plan_enrolled",
    "payment_received",
    "refused",
    "wrong_person",
]


MAX_FUTURE = dt.timedelta(minutes=5)  # clock skew allowed for a dashboard's occurred_at


def check_amount(outcome: str, amount: Decimal | None) -> None:
    """A payment has an amount; nothing else does."""
    if outcome == "payment_received" and amount is None:
        raise ValueError("payment_received needs an amount")
    if outcome != "payment_received" and amount is not None:
        raise ValueError(f"{outcome} takes no amount")


class OutcomeFields(BaseModel):
    """What the outcome ledger stores for any reporter (CRM or dashboard). ``external_id`` makes it idempotent."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    external_id: str = Field(min_length=1, max_length=120)
    outcome: OutcomeKind
    occurred_at: AwareDatetime
    agent_external_id: str = Field(min_length=1, max_length=120)
    signal_id: int | None = Field(default=None, ge=1)
    amount: Decimal | None = Field(default=None, gt=0, max_digits=14, decimal_places=2)
    notes: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _amount_only_for_payments(self) -> OutcomeFields:
        check_amount(self.outcome, self.amount)
        return self


class OutcomeIn(OutcomeFields):
    """One thing an agent did or learned, reported by the CRM for the lead with ``agency_id_number``."""

    agency_id_number: str = Field(min_length=1, max_length=64)


class SignalOutcomeIn(BaseModel):
    """An outcome an agent records on a signal in the dashboard; ``occurred_at`` defaults to now."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    outcome: OutcomeKind
    amount: Decimal | None = Field(default=None, gt=0, max_digits=14, decimal_places=2)
    occurred_at: AwareDatetime | None = None
    notes: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _check(self) -> SignalOutcomeIn:
        check_amount(self.outcome, self.amount)
        if self.occurred_at is not None and self.occurred_at > dt.datetime.now(dt.UTC) + MAX_FUTURE:
            raise ValueError("occurred_at is in the future")
        return self


class OutcomeOut(BaseModel):
    id: int
    external_id: str
    lead_id: int
    outcome: str
    occurred_at: dt.datetime
    agent_external_id: str
    signal_id: int | None
    amount: Decimal | None
    created: bool


class LeadUpdateIn(BaseModel):
    """CRM-owned fields of one lead at the CRM's ``crm_version``; only fields present are changed."""

    # Extra keys are kept so a field the CRM does not own is refused by name, not silently dropped.
    model_config = ConfigDict(extra="allow")

    crm_version: int = Field(ge=1)
    address: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    phone_1: str | None = None
    phone_2: str | None = None
    email: str | None = None
    status_description: str | None = None
    do_not_contact: bool | None = None
    cease_and_desist: bool | None = None
    bankruptcy: bool | None = None
    attorney_represented: bool | None = None
    disputed: bool | None = None

    def fields(self) -> dict[str, Any]:
        present = {name: getattr(self, name) for name in self.model_fields_set if name != "crm_version"}
        present.update(self.model_extra or {})
        return present


class LeadUpdateOut(BaseModel):
    agency_id_number: str
    status: Literal["applied", "stale", "duplicate"]
    crm_version: int
    stored_version: int
    changed: list[str]


class InboundEvent(BaseModel):
    """What the CRM posts to ``/crm/webhooks/inbound``: its own event id, a type and the data."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1, max_length=120)
    type: Literal["outcome.recorded", "lead.updated"]
    data: dict[str, Any]


class InboundAck(BaseModel):
    inbox_id: int
    status: Literal["handled", "duplicate", "failed"]
    result: dict[str, Any] | None = None
    error: str | None = None


class DeadLetterOut(BaseModel):
    delivery_id: int
    event_id: str
    event_type: str
    endpoint_id: int
    endpoint_name: str
    lead_id: int | None
    attempts: int
    last_status_code: int | None
    last_error: str | None
    first_attempt_at: dt.datetime | None
    last_attempt_at: dt.datetime | None


class ReplayOut(BaseModel):
    delivery_id: int
    status: str


# --- admin: webhook endpoints and CRM clients -----------------------------------------------------

ClientScope = Literal["leads:read", "leads:write", "signals:read", "outcomes:write"]


class WebhookEndpointIn(BaseModel):
    """A new endpoint. ``event_types`` are versioned types (``signal.created.v1``) or ``["*"]``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=120)
    url: str = Field(min_length=1, max_length=500)
    event_types: list[str] = Field(min_length=1, max_length=20)


class WebhookEndpointUpdate(BaseModel):
    """Only the fields given change; ``is_active: true`` also clears ``deactivated_reason``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=120)
    url: str | None = Field(default=None, min_length=1, max_length=500)
    event_types: list[str] | None = Field(default=None, min_length=1, max_length=20)
    is_active: bool | None = None


class WebhookEndpointOut(BaseModel):
    """An endpoint and its deliveries: ``pending`` still to send (``retrying`` of them failed before),
    ``dead`` gave up (see the dead letters). The signing secret is never listed."""

    id: int
    name: str
    url: str
    event_types: list[str]
    is_active: bool
    deactivated_reason: str | None
    created_at: dt.datetime
    pending: int
    retrying: int
    dead: int
    delivered: int
    last_delivered_at: dt.datetime | None


class WebhookEndpointCreated(WebhookEndpointOut):
    secret: str = Field(description="The signing secret: shown only in this response, stored encrypted.")


class WebhookSecretOut(BaseModel):
    id: int
    secret: str = Field(description="The new signing secret: shown only in this response.")


class CrmClientIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=120)
    scopes: list[ClientScope] = Field(min_length=1)


class CrmClientOut(BaseModel):
    client_id: str
    name: str
    scopes: list[str]
    is_active: bool
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    last_token_at: dt.datetime | None = Field(description="When it last obtained an access token (audit log).")


class CrmClientCreated(CrmClientOut):
    client_secret: str = Field(description="Shown only in this response; stored as a digest.")
