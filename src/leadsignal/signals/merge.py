"""Turn candidate events into signals: one real-world event is one signal, whatever showed it.

A candidate joins an existing signal of the same lead and type seen within the merge window when
their subjects (employer, credential, title) agree or one is unknown; otherwise it starts a new
signal. Confidence of a corroborated signal is the noisy-or of its evidence.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leadsignal.db import utcnow
from leadsignal.signals.models import HARDSHIP_TYPES, SIGNAL_TYPES, Signal, SignalEvidence

MERGE_WINDOW = dt.timedelta(days=120)
_LABELS = {
    "new_job": "New job",
    "promotion": "Promotion",
    "certification": "Certification",
    "license": "Licence",
    "award": "Award",
    "business_launch": "Business launch",
    "education": "Completed education",
    "job_loss": "Job ended",
    "open_to_work": "Open to work",
}
_CORP_SUFFIX = re.compile(r"\b(inc|llc|ltd|corp|corporation|co|company|group|plc)\b\.?", re.IGNORECASE)


class SignalCandidate(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    lead_id: int
    signal_type: str
    confidence: float = Field(ge=0, le=1)
    evidence_key: str = Field(max_length=200)
    kind: Literal["post", "profile_diff"]
    snippet: str
    source_url: str | None = None
    event_date: dt.date | None = None
    org: str | None = None
    title: str | None = None
    credential: str | None = None
    sentiment_label: str | None = None
    sentiment_score: float | None = None
    model_version: str | None = None
    match_confidence: float | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class MergeOutcome(BaseModel):
    signal_id: int
    created: bool
    duplicate: bool


def _norm(value: str | None) -> str | None:
    if not value:
        return None
    text = _CORP_SUFFIX.sub("", value.lower())
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return text or None


def _compatible(a: str | None, b: str | None) -> bool:
    na, nb = _norm(a), _norm(b)
    return na is None or nb is None or na == nb or na in nb or nb in na


def summarise(signal_type: str, *, org: str | None, title: str | None, credential: str | None) -> str:
    label = _LABELS.get(signal_type, signal_type)
    subject = credential or title
    if subject and org:
        return f"{label}: {subject} at {org}"
    if subject or org:
        return f"{label}: {subject or org}"
    return label


def merge_candidate(session: Session, candidate: SignalCandidate, *, now: dt.datetime | None = None) -> MergeOutcome:
    if candidate.signal_type not in SIGNAL_TYPES:
        raise ValueError(f"unknown signal type {candidate.signal_type!r}")
    now = now or utcnow()
    seen = session.scalar(select(SignalEvidence.signal_id).where(SignalEvidence.evidence_key == candidate.evidence_key))
    if seen is not None:
        return MergeOutcome(signal_id=seen, created=False, duplicate=True)
    signal = _find_mergeable(session, candidate, now)
    created = signal is None
    try:
        with session.begin_nested():
            if signal is None:
                signal = _new_signal(candidate, now)
                session.add(signal)
                session.flush()
            else:
                _corroborate(signal, candidate)
            session.add(_evidence(signal.id, candidate, now))
            session.flush()
    except IntegrityError:
        # Another worker stored the same evidence between our check and insert.
        existing = session.scalar(
            select(SignalEvidence.signal_id).where(SignalEvidence.evidence_key == candidate.evidence_key)
        )
        if existing is None:
            raise
        return MergeOutcome(signal_id=existing, created=False, duplicate=True)
    return MergeOutcome(signal_id=signal.id, created=created, duplicate=False)


def _find_mergeable(session: Session, c: SignalCandidate, now: dt.datetime) -> Signal | None:
    recent = session.scalars(
        select(Signal)
        .where(
            Signal.lead_id == c.lead_id, Signal.signal_type == c.signal_type, Signal.detected_at >= now - MERGE_WINDOW
        )
        .order_by(Signal.detected_at.desc())
    ).all()
    for signal in recent:
        if (
            _compatible(signal.org, c.org)
            and _compatible(signal.credential, c.credential)
            and (c.signal_type != "promotion" or _compatible(signal.title, c.title))
        ):
            return signal
    return None


def _new_signal(c: SignalCandidate, now: dt.datetime) -> Signal:
    return Signal(
        lead_id=c.lead_id,
        signal_type=c.signal_type,
        category="hardship" if c.signal_type in HARDSHIP_TYPES else "positive",
        status="new",
        confidence=round(c.confidence, 4),
        match_confidence=c.match_confidence,
        event_date=c.event_date,
        detected_at=now,
        updated_at=now,
        org=c.org,
        title=c.title,
        credential=c.credential,
        summary=summarise(c.signal_type, org=c.org, title=c.title, credential=c.credential),
        sentiment_label=c.sentiment_label,
        sentiment_score=c.sentiment_score,
        model_version=c.model_version,
        evidence_count=1,
    )


def _corroborate(signal: Signal, c: SignalCandidate) -> None:
    signal.confidence = round(min(0.999, 1 - (1 - signal.confidence) * (1 - c.confidence)), 4)
    signal.org = signal.org or c.org
    signal.title = signal.title or c.title
    signal.credential = signal.credential or c.credential
    signal.event_date = (
        min(d for d in (signal.event_date, c.event_date) if d) if (signal.event_date or c.event_date) else None
    )
    signal.model_version = signal.model_version or c.model_version
    if c.sentiment_label and not signal.sentiment_label:
        signal.sentiment_label, signal.sentiment_score = c.sentiment_label, c.sentiment_score
    if c.match_confidence is not None:
        signal.match_confidence = max(signal.match_confidence or 0.0, c.match_confidence)
    signal.summary = summarise(signal.signal_type, org=signal.org, title=signal.title, credential=signal.credential)
    signal.evidence_count += 1


def _evidence(signal_id: int, c: SignalCandidate, now: dt.datetime) -> SignalEvidence:
    return SignalEvidence(
        signal_id=signal_id,
        evidence_key=c.evidence_key,
        kind=c.kind,
        source_url=c.source_url,
        snippet=c.snippet[:2000],
        signal_type=c.signal_type,
        confidence=c.confidence,
        model_version=c.model_version,
        observed_at=now,
        details=c.details,
    )
