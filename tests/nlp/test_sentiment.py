from __future__ import annotations

from leadsignal.nlp.sentiment import sentiment


def test_labels_and_scores() -> None:
    label, score = sentiment("Thrilled and grateful to start my dream job! 🎉")
    assert label == "positive"
    assert score > 0.5
    label, score = sentiment("I was laid off today. It's been a terrible, painful week.")
    assert label == "negative"
    assert score < -0.5
    label, score = sentiment("The meeting is on Tuesday at 10.")
    assert label == "neutral"
    assert -0.05 < score < 0.05


def test_very_long_posts_are_scored_on_their_opening() -> None:
    label, _ = sentiment("So happy and proud today! " + "filler words here. " * 2000)
    assert label == "positive"
