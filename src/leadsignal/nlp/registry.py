"""The model registry: artifacts on disk under ``<data_dir>/models/<version>/``, their rows in ``model_versions``.

Exactly one version is active. Promoting remembers which version it replaced, so ``rollback`` walks
back through promotions one step at a time.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import joblib
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.db import utcnow
from leadsignal.nlp.classifier import SignalModel
from leadsignal.nlp.models import ModelVersion
from leadsignal.settings import Settings

ARTIFACT_NAME = "model.joblib"
_VERSION_RX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class RegistryError(ValueError):
    """A registry operation that cannot be done as asked (unknown version, nothing to roll back to...)."""


class ArtifactMissing(RegistryError):
    """The registry names a version whose file is not on this machine."""


def models_dir(settings: Settings) -> Path:
    return settings.data_dir / "models"


def artifact_path(settings: Settings, row: ModelVersion) -> Path:
    return models_dir(settings) / row.artifact


def save_artifact(settings: Settings, version: str, model: SignalModel, meta: dict[str, Any]) -> str:
    """Write the model and a human-readable meta.json; returns the path relative to the models dir."""
    if not _VERSION_RX.match(version):
        raise RegistryError(f"invalid version name {version!r}")
    folder = models_dir(settings) / version
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (ARTIFACT_NAME + ".tmp")
    joblib.dump(model, tmp, compress=1)
    tmp.replace(folder / ARTIFACT_NAME)
    (folder / "meta.json").write_text(json.dumps({"version": version, **meta}, indent=2, default=str))
    return f"{version}/{ARTIFACT_NAME}"


def load_artifact(settings: Settings, row: ModelVersion) -> SignalModel:
    path = artifact_path(settings, row)
    if not path.exists():
        raise ArtifactMissing(f"model {row.version} is registered but its artifact {path} is missing")
    model = joblib.load(path)
    if not isinstance(model, SignalModel):
        raise RegistryError(f"{path} does not hold a SignalModel")
    return model


def get_version(session: Session, version: str) -> ModelVersion | None:
    return session.scalar(select(ModelVersion).where(ModelVersion.version == version))


def active_version(session: Session) -> ModelVersion | None:
    return session.scalar(select(ModelVersion).where(ModelVersion.is_active.is_(True)))


def list_versions(session: Session) -> list[ModelVersion]:
    return list(session.scalars(select(ModelVersion).order_by(ModelVersion.created_at, ModelVersion.id)))


def register(
    session: Session,
    *,
    version: str,
    data_hash: str,
    n_examples: int,
    metrics: dict[str, Any],
    details: dict[str, Any],
    artifact: str,
) -> ModelVersion:
    if get_version(session, version) is not None:
        raise RegistryError(f"model version {version} already exists")
    row = ModelVersion(
        version=version,
        data_hash=data_hash,
        n_examples=n_examples,
        metrics=metrics,
        details=details,
        artifact=artifact,
        is_active=False,
    )
    session.add(row)
    session.flush()
    return row


def _activate(session: Session, row: ModelVersion) -> None:
    current = active_version(session)
    if current is not None:
        current.is_active = False
        # Flush the deactivation first: the one-active unique index is checked row by row.
        session.flush()
    row.is_active = True
    row.activated_at = utcnow()
    session.flush()


def promote(session: Session, version: str) -> ModelVersion:
    """Make VERSION the active model, remembering the one it replaces for ``rollback``."""
    row = get_version(session, version)
    if row is None:
        raise RegistryError(f"no model version {version!r}")
    current = active_version(session)
    if current is not None and current.id == row.id:
        return row
    row.previous_version = current.version if current is not None else None
    _activate(session, row)
    return row


def rollback(session: Session) -> ModelVersion:
    """Re-activate the version that the active one replaced."""
    current = active_version(session)
    if current is None:
        raise RegistryError("no active model to roll back from")
    if not current.previous_version:
        raise RegistryError(f"model {current.version} replaced no earlier version; nothing to roll back to")
    previous = get_version(session, current.previous_version)
    if previous is None:
        raise RegistryError(f"previous version {current.previous_version} is no longer registered")
    _activate(session, previous)
    return previous
