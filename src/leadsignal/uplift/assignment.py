"""Hold-out assignment at signal time: deterministic, stored once per lead and experiment, audited.

The lead is the unit of randomisation. Its bucket is ``HMAC-SHA256(salt, "experiment:lead_id")``
read as a number in [0, 1); the lead is control when the bucket is below the control share of the
signal type that first enrolled it. Anyone holding the salt can recompute every group, and the
stored row (bucket, share, triggering signal) shows how it was decided. A lead keeps its group for
every later signal of the same experiment; a new experiment name re-randomises everyone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.compliance import audit
from leadsignal.events.sql import insert_ignore
from leadsignal.settings import Settings
from leadsignal.signals.models import Signal
from leadsignal.uplift.models import ExperimentAssignment

ACTOR = audit.Actor("system:experiment")


def bucket(salt: str, experiment: str, lead_id: int) -> float:
    """The lead's uniform value in [0, 1): the first 64 bits of the HMAC over 2**64."""
    digest = hmac.digest(salt.encode(), f"{experiment}:{lead_id}".encode(), hashlib.sha256)
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass(frozen=True)
class HoldoutConfig:
    experiment: str
    share: float
    window: dt.timedelta
    salt: str
    share_by_type: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings) -> HoldoutConfig:
        return cls(
            experiment=settings.holdout_experiment,
            share=settings.holdout_share,
            window=dt.timedelta(days=settings.holdout_window_days),
            salt=settings.holdout_salt.get_secret_value(),
            share_by_type=dict(settings.holdout_share_by_type),
        )

    @property
    def enabled(self) -> bool:
        return self.share > 0 or any(v > 0 for v in self.share_by_type.values())

    def share_for(self, signal_type: str) -> float:
        return self.share_by_type.get(signal_type, self.share)

    def group(self, lead_id: int, signal_type: str) -> tuple[str, float, float]:
        """(group, share, bucket) for a lead enrolled by a signal of this type."""
        share = self.share_for(signal_type)
        value = bucket(self.salt, self.experiment, lead_id)
        return ("control" if value < share else "treatment"), share, value


def assign(session: Session, signal: Signal, config: HoldoutConfig, *, now: dt.datetime) -> ExperimentAssignment | None:
    """The lead's assignment in the experiment, created by this signal if it is the lead's first.

    None when the experiment is off (every share zero) and the lead was never assigned.
    """
    existing = _find(session, config.experiment, signal.lead_id)
    if existing is not None or not config.enabled:
        return existing
    group, share, value = config.group(signal.lead_id, signal.signal_type)
    held_until = now + config.window if group == "control" else None
    values = {
        "experiment": config.experiment, "lead_id": signal.lead_id, "group": group, "share": share, "bucket": value,
        "signal_id": signal.id, "signal_type": signal.signal_type, "assigned_at": now, "held_until": held_until,
    }  # fmt: skip
    created = insert_ignore(session, ExperimentAssignment.__table__, values)  # type: ignore[arg-type]
    row = _find(session, config.experiment, signal.lead_id)
    assert row is not None
    if created:
        audit.record(session, ACTOR, "experiment.assigned", entity_type="lead", entity_id=signal.lead_id,
                     details={"experiment": config.experiment, "group": group, "share": share,
                              "bucket": round(value, 6), "signal_id": signal.id,
                              "held_until": held_until.isoformat() if held_until else None})  # fmt: skip
    return row


def _find(session: Session, experiment: str, lead_id: int) -> ExperimentAssignment | None:
    return session.scalar(
        select(ExperimentAssignment).where(
            ExperimentAssignment.experiment == experiment, ExperimentAssignment.lead_id == lead_id
        )
    )


def hold_until(session: Session, signal: Signal, config: HoldoutConfig, *, now: dt.datetime) -> dt.datetime | None:
    """When the signal may reach an agent if its lead is control and still inside its window, else None."""
    row = assign(session, signal, config, now=now)
    if row is None or row.group != "control" or row.held_until is None or now >= row.held_until:
        return None
    return row.held_until
