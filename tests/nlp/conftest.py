"""One model trained on the bundled corpus, shared by the NLP tests (training takes a few seconds)."""

from __future__ import annotations

import pytest

from leadsignal.nlp.classifier import SignalModel, train_model
from leadsignal.nlp.service import SignalDetector
from leadsignal.nlp.training import training_set


@pytest.fixture(scope="session")
def bundled_model() -> SignalModel:
    data = training_set(None)
    return train_model(data.texts, data.labels)


@pytest.fixture(scope="session")
def detector(bundled_model: SignalModel) -> SignalDetector:
    return SignalDetector(bundled_model, "test-bundled")
