"""The acceptance bar, measured on the held-out posts that training never sees."""

from __future__ import annotations

from leadsignal.nlp.classifier import SignalModel
from leadsignal.nlp.corpus import held_out_examples, training_examples
from leadsignal.nlp.evaluation import evaluate


def test_held_out_set_is_separate_and_large_enough() -> None:
    held_out = held_out_examples()
    train_texts = {e.text.strip().lower() for e in training_examples()}
    assert len(held_out) >= 300
    assert not [e.text for e in held_out if e.text.strip().lower() in train_texts]
    assert {e.label for e in held_out} == {
        "new_job", "promotion", "certification", "license", "award", "business_launch", "education", "none"
    }  # fmt: skip
    gold_orgs = [e for e in held_out if e.label in ("new_job", "promotion")]
    assert all(e.has_org_gold for e in gold_orgs)


def test_held_out_quality_meets_the_bar(bundled_model: SignalModel) -> None:
    report = evaluate(bundled_model, held_out_examples())
    assert report.macro_f1 >= 0.90, report.table()
    assert report.accuracy >= 0.92, report.table()
    assert report.org_exact_match.rate >= 0.85, report.table()
    assert report.ece <= 0.08, report.table()
    assert all(s.f1 >= 0.8 for s in report.per_class.values()), report.table()


def test_confidence_is_calibrated_out_of_fold(bundled_model: SignalModel) -> None:
    cal = bundled_model.calibration
    assert cal["oof_ece"] < cal["oof_ece_uncalibrated"]
    assert cal["oof_ece"] <= 0.05
