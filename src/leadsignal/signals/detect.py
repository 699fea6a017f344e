"""Candidate signals from the two kinds of evidence: a lead's new posts and its profile changes."""

from __future__ import annotations

from collections.abc import Sequence

from leadsignal.nlp.profile_events import classify_profile_event
from leadsignal.nlp.service import SignalDetector
from leadsignal.signals.merge import SignalCandidate
from leadsignal.sources.diff import ProfileEvent
from leadsignal.sources.records import PostRecord

HARDSHIP_EVENTS = {"position_ended": "job_loss", "open_to_work": "open_to_work"}


def candidates_from_posts(
    lead_id: int,
    posts: Sequence[PostRecord],
    detector: SignalDetector,
    *,
    match_confidence: float | None,
    min_confidence: float,
) -> list[SignalCandidate]:
    if not posts:
        return []
    detections = detector.detect_many([p.text for p in posts])
    out = []
    for post, d in zip(posts, detections, strict=True):
        if d.signal_type == "none" or d.confidence < min_confidence:
            continue
        out.append(
            SignalCandidate(
                lead_id=lead_id,
                signal_type=d.signal_type,
                confidence=d.confidence,
                evidence_key=f"post:{post.post_id}"[:200],
                kind="post",
                snippet=post.text[:2000],
                source_url=post.url,
                event_date=post.posted_at.date() if post.posted_at else None,
                org=d.org,
                title=d.title,
                credential=d.credential,
                sentiment_label=d.sentiment_label,
                sentiment_score=d.sentiment_score,
                model_version=detector.version,
                match_confidence=match_confidence,
                details={"post_id": post.post_id},
            )
        )
    return out


def candidates_from_events(
    lead_id: int,
    events: Sequence[ProfileEvent],
    *,
    snapshot_id: int,
    profile_url: str,
    match_confidence: float | None,
) -> list[SignalCandidate]:
    out = []
    for event in events:
        if event.kind in HARDSHIP_EVENTS:
            signal_type, confidence = HARDSHIP_EVENTS[event.kind], 0.9
        else:
            signal_type, confidence = classify_profile_event(event.kind, name=event.name, detail=event.detail)
        if signal_type == "none":
            continue
        is_role = signal_type in ("new_job", "promotion", "job_loss")
        out.append(
            SignalCandidate(
                lead_id=lead_id,
                signal_type=signal_type,
                confidence=confidence,
                evidence_key=f"diff:{snapshot_id}:{event.kind}:{event.name or ''}"[:200],
                kind="profile_diff",
                snippet=event.detail or event.name or event.kind,
                source_url=profile_url,
                event_date=event.event_date,
                org=event.organisation,
                title=event.name if is_role else None,
                credential=event.name if signal_type in ("certification", "license") else None,
                match_confidence=match_confidence,
                details={"event": event.kind, "snapshot_id": snapshot_id, **event.evidence},
            )
        )
    return out
