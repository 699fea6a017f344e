"""Agents' verdicts on signals become labelled examples, which every retraining includes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.nlp.labels import LABELS
from leadsignal.nlp.models import LabelledExample

SOURCES = ("agent_confirm", "agent_reject", "agent_relabel", "corpus", "import")


class FeedbackError(ValueError):
    """Feedback that cannot be used for training."""


def record_feedback(
    session: Session, *, text: str, label: str, source: str, signal_id: int | None = None
) -> LabelledExample:
    """Store one labelled post. An agent rejecting a signal records the label it should have had (often "none")."""
    if label not in LABELS:
        raise FeedbackError(f"unknown label {label!r}; expected one of {', '.join(LABELS)}")
    if source not in SOURCES:
        raise FeedbackError(f"unknown feedback source {source!r}; expected one of {', '.join(SOURCES)}")
    if not text or not text.strip():
        raise FeedbackError("feedback text is empty")
    row = LabelledExample(text=text, label=label, source=source, signal_id=signal_id)
    session.add(row)
    session.flush()
    return row


def feedback_examples(session: Session) -> list[tuple[str, str]]:
    """(text, label) of every stored example, oldest first, so later verdicts override earlier ones."""
    rows = session.execute(select(LabelledExample.text, LabelledExample.label).order_by(LabelledExample.id))
    return [(t, lbl) for t, lbl in rows]
