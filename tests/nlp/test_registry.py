"""Model versions: the fresh-machine default, promote, rollback, and feedback flowing into retraining."""

from __future__ import annotations

import joblib
import pytest
from sqlalchemy.orm import Session

from leadsignal.nlp import registry
from leadsignal.nlp.classifier import SignalModel
from leadsignal.nlp.feedback import FeedbackError, feedback_examples, record_feedback
from leadsignal.nlp.service import Detection, SignalDetector
from leadsignal.nlp.training import BUNDLED_PREFIX, bundled_version_name, ensure_active, training_set
from leadsignal.settings import Settings
from tests.nlp.factories import register_model


def test_fresh_machine_trains_registers_and_activates_the_bundled_default(db: Session, settings: Settings) -> None:
    assert registry.list_versions(db) == []
    detector = SignalDetector.load(settings, db)
    assert detector.version == bundled_version_name()
    assert detector.version.startswith(BUNDLED_PREFIX)
    row = registry.active_version(db)
    assert row is not None
    assert row.version == detector.version
    assert row.n_examples >= 2000
    assert len(row.data_hash) == 64
    assert row.metrics["macro_f1"] >= 0.9
    assert "confusion" in row.metrics
    assert (settings.data_dir / "models" / row.version / "model.joblib").exists()
    # Loading again reuses it: no second version.
    again = SignalDetector.load(settings, db)
    assert again.version == detector.version
    assert len(registry.list_versions(db)) == 1
    # A lost artifact of the bundled default is rebuilt in place, deterministically.
    registry.artifact_path(settings, row).unlink()
    assert ensure_active(settings, db).version == row.version
    assert isinstance(joblib.load(registry.artifact_path(settings, row)), SignalModel)


def test_promote_and_rollback(db: Session, settings: Settings, bundled_model: SignalModel) -> None:
    register_model(db, settings, bundled_model, "v1", activate=True)
    register_model(db, settings, bundled_model, "v2")
    register_model(db, settings, bundled_model, "v3")
    assert registry.active_version(db).version == "v1"  # type: ignore[union-attr]

    registry.promote(db, "v2")
    registry.promote(db, "v3")
    assert [r.version for r in registry.list_versions(db) if r.is_active] == ["v3"]
    assert registry.rollback(db).version == "v2"
    assert registry.rollback(db).version == "v1"
    with pytest.raises(registry.RegistryError, match="nothing to roll back"):
        registry.rollback(db)
    assert registry.active_version(db).version == "v1"  # type: ignore[union-attr]
    with pytest.raises(registry.RegistryError, match="no model version"):
        registry.promote(db, "v9")
    with pytest.raises(registry.RegistryError, match="already exists"):
        register_model(db, settings, bundled_model, "v1")
    with pytest.raises(registry.RegistryError, match="invalid version"):
        registry.save_artifact(settings, "../escape", bundled_model, {})


def test_missing_artifact_of_a_trained_version_is_a_clear_error(
    db: Session, settings: Settings, bundled_model: SignalModel
) -> None:
    row = register_model(db, settings, bundled_model, "v-lost", activate=True)
    registry.artifact_path(settings, row).unlink()
    with pytest.raises(registry.ArtifactMissing, match="v-lost"):
        SignalDetector.load(settings, db)


def test_feedback_is_validated_and_included_in_retraining(db: Session) -> None:
    base = training_set(db)
    corpus_text = base.texts[0]
    flipped = "award" if base.labels[0] != "award" else "none"
    record_feedback(
        db,
        text="Agent says: this post is about a brand new job at Zylo.",
        label="new_job",
        source="agent_confirm",
        signal_id=42,
    )
    record_feedback(db, text=corpus_text, label=flipped, source="agent_reject")
    assert feedback_examples(db)[0] == ("Agent says: this post is about a brand new job at Zylo.", "new_job")

    data = training_set(db)
    assert data.feedback == 2
    assert len(data.texts) == len(base.texts) + 1
    assert data.labels[data.texts.index(corpus_text)] == flipped
    assert data.data_hash != base.data_hash
    assert training_set(db, include_feedback=False).data_hash == base.data_hash

    with pytest.raises(FeedbackError, match="unknown label"):
        record_feedback(db, text="x", label="job", source="agent_confirm")
    with pytest.raises(FeedbackError, match="unknown feedback source"):
        record_feedback(db, text="x", label="none", source="someone")
    with pytest.raises(FeedbackError, match="empty"):
        record_feedback(db, text="  ", label="none", source="agent_confirm")


def test_detector_output(detector: SignalDetector) -> None:
    d = detector.detect("I'm happy to share that I'm starting a new position as Staff Accountant at Blue Ridge Bank!")
    assert isinstance(d, Detection)
    assert (d.signal_type, d.org, d.title) == ("new_job", "Blue Ridge Bank", "Staff Accountant")
    assert d.confidence > 0.8
    assert d.sentiment_label == "positive"
    with pytest.raises(ValueError, match="frozen"):
        d.org = "x"  # type: ignore[misc]
    many = detector.detect_many(["Congrats to my sister Ana Diaz on passing the NCLEX!", "I passed the NCLEX today!"])
    assert [m.signal_type for m in many] == ["none", "license"]
    assert many[0].person_names == ["Ana Diaz"]
    assert detector.detect_many([]) == []


def test_empty_and_huge_posts(detector: SignalDetector) -> None:
    empty, emoji_only, huge = detector.detect_many(["", "🎉🎉 !!", "Hired Me Now At " * 20000])
    assert (empty.signal_type, empty.confidence) == ("none", 1.0)
    assert emoji_only.signal_type == "none"
    assert huge.signal_type in {"new_job", "none", "promotion"}


def test_registered_but_none_active_activates_the_newest(
    db: Session, settings: Settings, bundled_model: SignalModel
) -> None:
    register_model(db, settings, bundled_model, "old")
    register_model(db, settings, bundled_model, "new")
    assert registry.active_version(db) is None
    assert SignalDetector.load(settings, db).version == "new"
    assert len(registry.list_versions(db)) == 2
