"""Post sentiment with VADER (a lexicon shipped inside the package, nothing fetched at run time)."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # type: ignore[import-untyped]

SentimentLabel = Literal["positive", "neutral", "negative"]
# VADER's own recommended cut-offs on the compound score.
THRESHOLD = 0.05
# Long posts cost time linearly; the opening carries the tone of a LinkedIn announcement.
MAX_CHARS = 1500


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def sentiment(text: str) -> tuple[SentimentLabel, float]:
    """(label, compound score in [-1, 1])."""
    score = float(_analyzer().polarity_scores(text[:MAX_CHARS])["compound"])
    if score >= THRESHOLD:
        return "positive", score
    if score <= -THRESHOLD:
        return "negative", score
    return "neutral", score
