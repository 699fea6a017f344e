"""The public face of the NLP domain: load the active model once, then detect signals in post text."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from leadsignal.nlp import registry
from leadsignal.nlp.classifier import SignalModel
from leadsignal.nlp.entities import extract
from leadsignal.nlp.labels import SignalType
from leadsignal.nlp.sentiment import SentimentLabel, sentiment
from leadsignal.nlp.training import ensure_active
from leadsignal.settings import Settings

# LinkedIn caps a post at 3,000 characters; anything longer is not a post, and only costs time.
MAX_CHARS = 10_000


class Detection(BaseModel):
    """What one post (or profile headline) says: the signal, how sure we are, and who/what it names."""

    model_config = ConfigDict(frozen=True)

    signal_type: SignalType
    confidence: float = Field(ge=0.0, le=1.0)
    org: str | None = None
    title: str | None = None
    credential: str | None = None
    person_names: list[str] = Field(default_factory=list)
    sentiment_label: SentimentLabel
    sentiment_score: float = Field(ge=-1.0, le=1.0)


class SignalDetector:
    """A loaded classifier plus the entity and sentiment rules. Thread-safe for reading."""

    def __init__(self, model: SignalModel, version: str) -> None:
        self.model = model
        self.version = version

    @classmethod
    def load(cls, settings: Settings, session: Session) -> SignalDetector:
        """Load the active model, training and activating the bundled default if none is registered."""
        row = ensure_active(settings, session)
        return cls(registry.load_artifact(settings, row), row.version)

    def detect(self, text: str) -> Detection:
        return self.detect_many([text])[0]

    def detect_many(self, texts: Sequence[str]) -> list[Detection]:
        clipped = [t[:MAX_CHARS] for t in texts]
        predictions = self.model.predict(clipped)
        out = []
        for text, (label, confidence) in zip(clipped, predictions, strict=True):
            ents = extract(text)
            mood, score = sentiment(text)
            out.append(
                Detection(
                    signal_type=label,
                    confidence=min(max(confidence, 0.0), 1.0),
                    org=ents.org,
                    title=ents.title,
                    credential=ents.credential,
                    person_names=ents.person_names,
                    sentiment_label=mood,
                    sentiment_score=min(max(score, -1.0), 1.0),
                )
            )
        return out
