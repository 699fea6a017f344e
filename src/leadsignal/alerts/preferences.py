"""Digest preferences: what each user wants in their daily email, and when.

A user without a row gets the defaults (every positive type, from low priority, 07:00 New York
time), so nothing has to be written when an account is created.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.orm import Session

from leadsignal.alerts.models import PRIORITIES, DigestPreference
from leadsignal.auth.models import User
from leadsignal.compliance import audit
from leadsignal.signals.models import HARDSHIP_TYPES, POSITIVE_TYPES

Priority = Literal["low", "medium", "high"]
DEFAULT_HOUR = 7
DEFAULT_TZ = "America/New_York"
PRIORITY_RANK = {p: i for i, p in enumerate(PRIORITIES)}


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}; use an IANA name such as 'America/Chicago'") from exc
    return name


def check_types(types: list[str]) -> list[str]:
    if not types:
        raise ValueError("choose at least one signal type (to stop digests, disable them instead)")
    hardship = sorted(set(types) & set(HARDSHIP_TYPES))
    if hardship:
        raise ValueError(f"{', '.join(hardship)} are hardship signals, which are never collection alerts")
    unknown = sorted(set(types) - set(POSITIVE_TYPES))
    if unknown:
        raise ValueError(f"unknown signal type(s) {', '.join(unknown)}; known: {', '.join(POSITIVE_TYPES)}")
    return sorted(set(types), key=POSITIVE_TYPES.index)


class DigestPrefsUpdate(BaseModel):
    """A partial change: only the fields given are changed. ``signal_types: null`` means every type."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool | None = None
    signal_types: list[str] | None = None
    min_priority: Priority | None = None
    local_hour: int | None = Field(default=None, ge=0, le=23)
    timezone: str | None = Field(default=None, min_length=1, max_length=64)

    @field_validator("signal_types")
    @classmethod
    def _types(cls, v: list[str] | None) -> list[str] | None:
        return None if v is None else check_types(v)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str | None) -> str | None:
        return None if v is None else check_timezone(v)


class DigestPrefsOut(BaseModel):
    user_id: int
    enabled: bool
    signal_types: list[str]
    all_types: bool
    min_priority: Priority
    local_hour: int
    timezone: str
    last_sent_on: dt.date | None


@dataclass(frozen=True)
class EffectivePrefs:
    """The preferences in force for one user, whether stored or defaulted."""

    user_id: int
    enabled: bool
    signal_types: tuple[str, ...]
    all_types: bool
    min_priority: Priority
    local_hour: int
    timezone: str
    last_sent_on: dt.date | None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def out(self) -> DigestPrefsOut:
        return DigestPrefsOut(user_id=self.user_id, enabled=self.enabled, signal_types=list(self.signal_types),
                              all_types=self.all_types, min_priority=self.min_priority, local_hour=self.local_hour,
                              timezone=self.timezone, last_sent_on=self.last_sent_on)  # fmt: skip


def effective(user_id: int, row: DigestPreference | None) -> EffectivePrefs:
    if row is None:
        return EffectivePrefs(user_id, True, POSITIVE_TYPES, True, "low", DEFAULT_HOUR, DEFAULT_TZ, None)
    types = tuple(row.signal_types) if row.signal_types else POSITIVE_TYPES
    level: Priority = row.min_priority if row.min_priority in ("low", "medium", "high") else "low"  # type: ignore[assignment]
    return EffectivePrefs(row.user_id, row.enabled, types, not row.signal_types, level, row.local_hour, row.timezone,
                          row.last_sent_on)  # fmt: skip


def get_preferences(session: Session, user_id: int) -> EffectivePrefs:
    return effective(user_id, session.get(DigestPreference, user_id))


def ensure_row(session: Session, user_id: int) -> DigestPreference:
    """The stored row, created with the defaults if missing (flushed, not committed)."""
    row = session.get(DigestPreference, user_id)
    if row is None:
        row = DigestPreference(user_id=user_id, enabled=True, signal_types=None, min_priority="low",
                               local_hour=DEFAULT_HOUR, timezone=DEFAULT_TZ)  # fmt: skip
        session.add(row)
        session.flush()
    return row


def update_preferences(
    session: Session, user: User, change: DigestPrefsUpdate, *, actor: audit.Actor
) -> EffectivePrefs:
    """Apply the fields given in ``change`` and audit what actually changed."""
    row = ensure_row(session, user.id)
    before = effective(user.id, row)
    for name in change.model_fields_set:
        value = getattr(change, name)
        if name == "signal_types":
            row.signal_types = None if value is None or set(value) == set(POSITIVE_TYPES) else list(value)
        elif value is None:
            raise ValueError(f"{name} cannot be null")
        else:
            setattr(row, name, value)
    session.flush()
    after = effective(user.id, row)
    diff = {
        name: [_plain(getattr(before, name)), _plain(getattr(after, name))]
        for name in ("enabled", "signal_types", "min_priority", "local_hour", "timezone")
        if getattr(before, name) != getattr(after, name)
    }
    if diff:
        audit.record(session, actor, "digest_preferences.updated", entity_type="user", entity_id=user.id,
                     details={"changes": diff})  # fmt: skip
    return after


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value
