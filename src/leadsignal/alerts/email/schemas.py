"""API shapes of the email endpoints."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict


class OutboxSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: dt.datetime
    message_id: str
    sender: str
    recipient: str
    subject: str
    template: str
    tags: list[str]


class OutboxPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[OutboxSummary]


class EventsAccepted(BaseModel):
    """``unmatched``: events for a message id we never sent; ``skipped``: event types we don't know."""

    recorded: int
    duplicates: int
    unmatched: int
    skipped: int
