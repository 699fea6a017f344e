"""What the signals API returns: a signal with its evidence, newest first."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class EvidenceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    source_url: str | None
    snippet: str
    signal_type: str
    confidence: float
    observed_at: dt.datetime


class SignalOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    lead_id: int
    signal_type: str
    category: str
    status: str
    confidence: float
    match_confidence: float | None
    event_date: dt.date | None
    detected_at: dt.datetime
    org: str | None
    title: str | None
    credential: str | None
    summary: str
    evidence_count: int
    priority: str
    priority_score: float
    score_breakdown: dict[str, Any]
    stale: bool
    alert_status: str
    blocked_reasons: list[str]
    assignee_user_id: int | None
    alerted_at: dt.datetime | None
    sentiment_label: str | None
    model_version: str | None


class SignalFeedItem(SignalOut):
    lead_name: str
    team_id: int | None


class SignalDetail(SignalFeedItem):
    evidence: list[EvidenceOut]


class SignalWithEvidence(SignalOut):
    evidence: list[EvidenceOut]


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    verdict: Literal["confirm", "reject"]


class FeedbackOut(BaseModel):
    signal_id: int
    status: str
    label: str
    recorded_for_training: bool


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: int = Field(ge=1)


class SignalWeightsOut(BaseModel):
    """Scoring weight per signal type: ``weights`` in force = ``defaults`` (built-in and settings)
    overlaid with the admins' ``overrides``."""

    weights: dict[str, float]
    defaults: dict[str, float]
    overrides: dict[str, float]


class SignalWeightsIn(BaseModel):
    """Overrides to set; ``null`` removes a type's override (its default applies again)."""

    model_config = ConfigDict(extra="forbid")

    weights: dict[str, Annotated[float, Field(ge=0, le=3, allow_inf_nan=False)] | None]
