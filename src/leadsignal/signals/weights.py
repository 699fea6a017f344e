"""The scoring weight of each signal type: built-in defaults, then ``settings.signal_type_weights``,
then admins' overrides in ``signal_type_weights``.

Monitoring and the digest read the effective weights at the start of every batch or run, so an
admin's change applies to the next cycle without a restart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session

from leadsignal.compliance import audit
from leadsignal.db import utcnow
from leadsignal.events.sql import insert_ignore
from leadsignal.settings import Settings
from leadsignal.signals.models import HARDSHIP_TYPES, POSITIVE_TYPES, SignalTypeWeight
from leadsignal.signals.score import DEFAULT_TYPE_WEIGHTS, ScoringPolicy

MIN_WEIGHT, MAX_WEIGHT = 0.0, 3.0
_TABLE: Table = SignalTypeWeight.__table__  # type: ignore[assignment]


class WeightError(ValueError):
    """A weight change names an unknown or unscored signal type, or a weight out of range."""


@dataclass(frozen=True)
class Weights:
    effective: dict[str, float]
    defaults: dict[str, float]  # what applies without an override (built-in defaults and settings)
    overrides: dict[str, float]


def defaults(settings: Settings) -> dict[str, float]:
    return {**DEFAULT_TYPE_WEIGHTS, **settings.signal_type_weights}


def overrides(session: Session) -> dict[str, float]:
    rows = session.execute(select(SignalTypeWeight.signal_type, SignalTypeWeight.weight))
    return {signal_type: float(weight) for signal_type, weight in rows}


def current(session: Session, settings: Settings) -> Weights:
    base, stored = defaults(settings), overrides(session)
    return Weights(effective={**base, **stored}, defaults=base, overrides=stored)


def effective_weights(session: Session, settings: Settings) -> dict[str, float]:
    return current(session, settings).effective


def scoring_policy(session: Session, settings: Settings) -> ScoringPolicy:
    """The scoring policy in force now."""
    return ScoringPolicy(type_weights=effective_weights(session, settings))


def check_changes(changes: Mapping[str, float | None]) -> None:
    unknown = sorted(t for t in changes if t not in POSITIVE_TYPES and t not in HARDSHIP_TYPES)
    if unknown:
        raise WeightError(f"unknown signal type(s): {', '.join(unknown)}; known: {', '.join(POSITIVE_TYPES)}")
    unscored = sorted(t for t in changes if t in HARDSHIP_TYPES)
    if unscored:
        raise WeightError(f"hardship signal type(s) are never scored, so take no weight: {', '.join(unscored)}")
    bad = sorted(t for t, w in changes.items() if w is not None and not (math.isfinite(w) and 0 <= w <= MAX_WEIGHT))
    if bad:
        raise WeightError(f"weight must be between {MIN_WEIGHT:g} and {MAX_WEIGHT:g} for: {', '.join(bad)}")


def set_weights(
    session: Session, changes: Mapping[str, float | None], *, actor: audit.Actor, user_id: int | None
) -> dict[str, dict[str, Any]]:
    """Set (a number) or remove (``None``) overrides, all or none; returns what changed, audited."""
    check_changes(changes)
    before = overrides(session)
    changed: dict[str, dict[str, Any]] = {}
    for signal_type, weight in sorted(changes.items()):
        old = before.get(signal_type)
        if weight is None:
            session.execute(delete(SignalTypeWeight).where(SignalTypeWeight.signal_type == signal_type))
        else:
            values = {"weight": float(weight), "updated_by_user_id": user_id, "updated_at": utcnow()}
            if not insert_ignore(session, _TABLE, {"signal_type": signal_type, **values}):
                session.execute(update(SignalTypeWeight).where(SignalTypeWeight.signal_type == signal_type)
                                .values(**values))  # fmt: skip
        if old != weight:
            changed[signal_type] = {"from": old, "to": weight}
    if changed:
        audit.record(session, actor, "signal_weights.updated", entity_type="signal_type_weights",
                     fields=sorted(changed), details={"changes": changed})  # fmt: skip
    return changed
