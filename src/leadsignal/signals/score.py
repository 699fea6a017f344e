"""An explainable priority for each signal, stored with its breakdown.

score = 100 x type weight x detection confidence x identity-match confidence x freshness
        x balance factor x status factor, plus a corroboration bonus, capped at 100.

The stored score is the score at detection; ``current_score`` decays it with a half-life, so
yesterday's high-priority signal sinks below today's. Signals expire after a window; an event
whose own date is long before we detected it is flagged stale (freshness is what makes a call
timely, and an old job change is not news to the borrower).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from leadsignal.leads.segments import balance_band
from leadsignal.signals.models import HARDSHIP_TYPES, Signal

DEFAULT_TYPE_WEIGHTS: dict[str, float] = {
    "new_job": 1.0,
    "promotion": 0.85,
    "license": 0.8,
    "business_launch": 0.6,
    "certification": 0.6,
    "education": 0.6,
    "award": 0.4,
}
BALANCE_FACTORS = {"under_1k": 0.6, "1k_5k": 0.8, "5k_20k": 1.0, "20k_50k": 1.0, "50k_plus": 0.9}
# Statuses where a signal is worth less: already paying, or being handled another way.
STATUS_FACTORS = (("payment plan", 0.3), ("rehab", 0.6), ("skip trace", 0.8))


class ScoringPolicy(BaseModel):
    model_config = ConfigDict(frozen=True)

    type_weights: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_TYPE_WEIGHTS))
    high_threshold: float = 60.0
    medium_threshold: float = 35.0
    half_life_days: float = 7.0
    expiry_days: int = 30
    stale_after_days: int = 120
    corroboration_bonus: float = 10.0


def freshness(event_date: dt.date | None, detected: dt.date, policy: ScoringPolicy) -> tuple[float, bool]:
    """1.0 within 30 days of the event, falling linearly to 0.3 at the stale limit."""
    if event_date is None:
        return 0.8, False  # unknown event date: assume recent-ish, never stale
    age = max((detected - event_date).days, 0)
    if age <= 30:
        return 1.0, False
    if age >= policy.stale_after_days:
        return 0.3, True
    span = policy.stale_after_days - 30
    return round(1.0 - 0.7 * (age - 30) / span, 4), False


def status_factor(status: str | None) -> float:
    lowered = (status or "").lower()
    for needle, factor in STATUS_FACTORS:
        if needle in lowered:
            return factor
    return 1.0


def level(score: float, policy: ScoringPolicy) -> str:
    if score >= policy.high_threshold:
        return "high"
    if score >= policy.medium_threshold:
        return "medium"
    return "low"


def score_signal(
    signal: Signal,
    *,
    total_due: Decimal | None,
    status: str | None,
    evidence_kinds: set[str],
    policy: ScoringPolicy,
) -> None:
    """Compute and store the priority score, level, breakdown, staleness and expiry."""
    if signal.signal_type in HARDSHIP_TYPES:
        signal.priority_score, signal.priority, signal.stale = 0.0, "low", False
        signal.score_breakdown = {"reason": "hardship signals are never collection alerts"}
        signal.expires_at = signal.detected_at + dt.timedelta(days=policy.expiry_days)
        return
    weight = policy.type_weights.get(signal.signal_type, 0.5)
    fresh, stale = freshness(signal.event_date, signal.detected_at.date(), policy)
    band = balance_band(total_due)
    balance = BALANCE_FACTORS.get(band or "", 0.7)
    status_f = status_factor(status)
    match = signal.match_confidence if signal.match_confidence is not None else 0.0
    corroborated = {"post", "profile_diff"} <= evidence_kinds
    base = 100 * weight * signal.confidence * match * fresh * balance * status_f
    bonus = policy.corroboration_bonus if corroborated else 0.0
    score = round(min(100.0, base + bonus), 2)
    breakdown: dict[str, Any] = {
        "type_weight": weight,
        "confidence": round(signal.confidence, 4),
        "match_confidence": round(match, 4),
        "freshness": fresh,
        "balance_band": band,
        "balance_factor": balance,
        "status_factor": status_f,
        "corroboration_bonus": bonus,
        "score": score,
    }
    signal.priority_score = score
    signal.priority = level(score, policy)
    signal.score_breakdown = breakdown
    signal.stale = stale
    signal.expires_at = signal.detected_at + dt.timedelta(days=policy.expiry_days)


def current_score(signal: Signal, now: dt.datetime, policy: ScoringPolicy) -> float:
    """The stored score decayed by time since detection; zero once expired."""
    if signal.expires_at is not None and now >= signal.expires_at:
        return 0.0
    days = max((now - signal.detected_at).total_seconds() / 86400, 0.0)
    decay: float = 0.5 ** (days / policy.half_life_days)
    return round(signal.priority_score * decay, 2)


def current_level(signal: Signal, now: dt.datetime, policy: ScoringPolicy) -> str:
    return level(current_score(signal, now, policy), policy)
