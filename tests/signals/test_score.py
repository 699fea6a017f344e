from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from leadsignal.signals.models import Signal
from leadsignal.signals.score import ScoringPolicy, current_level, current_score, freshness, score_signal

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
POLICY = ScoringPolicy()


def signal(**overrides: object) -> Signal:
    values: dict[str, object] = {
        "signal_type": "new_job",
        "confidence": 0.9,
        "match_confidence": 1.0,
        "event_date": NOW.date() - dt.timedelta(days=5),
        "detected_at": NOW,
    }
    values.update(overrides)
    return Signal(**values)


def scored(s: Signal, *, total_due: str | None = "9000", status: str = "Active - Delinquent",
           kinds: frozenset[str] = frozenset({"post"})) -> Signal:  # fmt: skip
    score_signal(s, total_due=Decimal(total_due) if total_due else None, status=status,
                 evidence_kinds=set(kinds), policy=POLICY)  # fmt: skip
    return s


def test_fresh_confident_new_job_is_high_with_breakdown() -> None:
    s = scored(signal())
    assert s.priority == "high"
    assert s.priority_score == pytest.approx(90.0)
    assert s.score_breakdown["type_weight"] == 1.0
    assert s.score_breakdown["freshness"] == 1.0
    assert not s.stale
    assert s.expires_at == NOW + dt.timedelta(days=30)


def test_corroboration_adds_bonus_and_caps_at_100() -> None:
    s = scored(signal(confidence=0.99), kinds=frozenset({"post", "profile_diff"}))
    assert s.priority_score == 100.0


def test_weak_identity_match_or_payment_plan_lowers_priority() -> None:
    assert scored(signal(match_confidence=0.5)).priority == "medium"
    assert scored(signal(match_confidence=0.3)).priority == "low"
    assert scored(signal(), status="Active - Payment Plan").priority == "low"


def test_old_event_is_stale() -> None:
    s = scored(signal(event_date=NOW.date() - dt.timedelta(days=400)))
    assert s.stale
    assert s.score_breakdown["freshness"] == 0.3


@pytest.mark.parametrize(("age", "expected"), [(0, 1.0), (30, 1.0), (75, 0.65), (120, 0.3)])
def test_freshness_curve(age: int, expected: float) -> None:
    assert freshness(NOW.date() - dt.timedelta(days=age), NOW.date(), POLICY)[0] == pytest.approx(expected)


def test_hardship_never_scores() -> None:
    s = scored(signal(signal_type="job_loss"))
    assert (s.priority_score, s.priority) == (0.0, "low")


def test_decay_and_expiry() -> None:
    s = scored(signal())
    assert current_score(s, NOW + dt.timedelta(days=7), POLICY) == pytest.approx(45.0)
    assert current_level(s, NOW + dt.timedelta(days=7), POLICY) == "medium"
    assert current_score(s, NOW + dt.timedelta(days=31), POLICY) == 0.0
