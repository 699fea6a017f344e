"""The overview's response: one list per dataset, each row flat so it also exports as CSV."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel

Bucket = Literal["day", "week"]
Dataset = Literal["signals", "conversion", "response_times", "outcomes"]


class SignalsRow(BaseModel):
    bucket: dt.date  # the day, or the Monday of the ISO week (UTC)
    signal_type: str
    count: int


class ConversionRow(BaseModel):
    signal_type: str
    signals: int
    leads: int
    contacted: int
    payment_plan: int
    payment_received: int
    plan_rate: float | None
    payment_rate: float | None


class ResponseTimeRow(BaseModel):
    team_id: int | None
    team_name: str | None
    user_id: int | None  # null: the team's total row
    user_email: str | None
    signals: int
    acknowledged: int
    median_ack_minutes: float | None
    p90_ack_minutes: float | None
    contacted: int
    median_contact_minutes: float | None


class OutcomeRow(BaseModel):
    outcome: str
    count: int
    amount: str | None  # sum of the amounts as a decimal string; null when none had an amount


class OverviewOut(BaseModel):
    since: dt.date
    until: dt.date
    bucket: Bucket
    team_id: int | None
    generated_at: dt.datetime
    cached: bool
    signals: list[SignalsRow]
    conversion: list[ConversionRow]
    response_times: list[ResponseTimeRow]
    outcomes: list[OutcomeRow]


DATASET_ROWS: dict[str, type[BaseModel]] = {
    "signals": SignalsRow,
    "conversion": ConversionRow,
    "response_times": ResponseTimeRow,
    "outcomes": OutcomeRow,
}
