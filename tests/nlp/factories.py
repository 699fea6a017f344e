"""Registry rows with real artifacts, without retraining for every version."""

from __future__ import annotations

from sqlalchemy.orm import Session

from leadsignal.nlp import registry
from leadsignal.nlp.classifier import SignalModel
from leadsignal.nlp.models import ModelVersion
from leadsignal.settings import Settings


def register_model(
    session: Session, settings: Settings, model: SignalModel, version: str, *, activate: bool = False
) -> ModelVersion:
    artifact = registry.save_artifact(settings, version, model, {"test": True})
    row = registry.register(
        session,
        version=version,
        data_hash=("0" * 63 + "1"),
        n_examples=1,
        metrics={"accuracy": 1.0, "macro_f1": 1.0},
        details={},
        artifact=artifact,
    )
    if activate:
        registry.promote(session, version)
    return row
