"""Build, evaluate and register a model from the bundled corpus plus stored feedback."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leadsignal.db import utcnow
from leadsignal.nlp import registry
from leadsignal.nlp.classifier import SignalModel, describe, train_model
from leadsignal.nlp.corpus import data_hash, held_out_examples, training_examples
from leadsignal.nlp.evaluation import evaluate
from leadsignal.nlp.feedback import feedback_examples
from leadsignal.nlp.models import ModelVersion
from leadsignal.settings import Settings

BUNDLED_PREFIX = "bundled-"


@dataclass(frozen=True)
class TrainingSet:
    texts: list[str]
    labels: list[str]
    data_hash: str
    feedback: int


def training_set(session: Session | None, *, include_feedback: bool = True) -> TrainingSet:
    """The bundled corpus, then stored feedback; a later label for the same text replaces an earlier one."""
    merged = {e.text: e.label for e in training_examples()}
    fb = feedback_examples(session) if (session is not None and include_feedback) else []
    for text, label in fb:
        merged[text] = label
    texts, labels = list(merged), list(merged.values())
    return TrainingSet(
        texts=texts, labels=labels, data_hash=data_hash(zip(texts, labels, strict=True)), feedback=len(fb)
    )


def _fit(data: TrainingSet) -> tuple[SignalModel, dict[str, object], dict[str, object]]:
    started = time.perf_counter()
    model = train_model(data.texts, data.labels)
    seconds = time.perf_counter() - started
    report = evaluate(model, held_out_examples())
    details = {**describe(model), "train_seconds": round(seconds, 2), "feedback_examples": data.feedback}
    return model, report.model_dump(), details


def train_version(
    settings: Settings,
    session: Session,
    *,
    include_feedback: bool = True,
    activate: bool = False,
    version: str | None = None,
) -> ModelVersion:
    """Train a new version, store its artifact and register it (optionally active). Flushes, never commits."""
    data = training_set(session, include_feedback=include_feedback)
    name = version or f"{utcnow():%Y%m%d-%H%M%S}-{data.data_hash[:8]}"
    if registry.get_version(session, name) is not None:
        raise registry.RegistryError(f"model version {name} already exists")
    model, metrics, details = _fit(data)
    artifact = registry.save_artifact(
        settings, name, model, {"data_hash": data.data_hash, "n_examples": len(data.texts), "metrics": metrics}
    )
    row = registry.register(
        session,
        version=name,
        data_hash=data.data_hash,
        n_examples=len(data.texts),
        metrics=metrics,
        details=details,
        artifact=artifact,
    )
    if activate:
        registry.promote(session, name)
    return row


def bundled_version_name() -> str:
    return BUNDLED_PREFIX + training_set(None).data_hash[:12]


def ensure_active(settings: Settings, session: Session) -> ModelVersion:
    """The active version; on a fresh machine, train the bundled default (deterministic, seconds) and activate it."""
    active = registry.active_version(session)
    if active is not None:
        if not registry.artifact_path(settings, active).exists() and active.version == bundled_version_name():
            # Same corpus, same code: the bundled model can be rebuilt bit-for-bit in place.
            model, _, _ = _fit(training_set(None))
            registry.save_artifact(settings, active.version, model, {"data_hash": active.data_hash, "rebuilt": True})
        return active
    versions = registry.list_versions(session)
    if versions:
        return registry.promote(session, versions[-1].version)
    name = bundled_version_name()
    try:
        with session.begin_nested():
            train_version(settings, session, include_feedback=False, activate=True, version=name)
    except IntegrityError:
        # Another process registered the bundled default at the same moment; use theirs.
        pass
    row = registry.active_version(session)
    if row is None:
        raise registry.RegistryError("could not register the bundled default model")
    return row
