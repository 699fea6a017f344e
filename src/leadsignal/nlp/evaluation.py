"""Quality figures for a model on labelled posts: per-class precision/recall/F1, confusion, employer match."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from leadsignal.nlp.classifier import SignalModel, expected_calibration_error
from leadsignal.nlp.corpus import Example
from leadsignal.nlp.entities import extract_org
from leadsignal.nlp.labels import LABELS


class ClassScores(BaseModel):
    precision: float
    recall: float
    f1: float
    support: int


class OrgMatch(BaseModel):
    posts: int
    exact: int
    rate: float


class EvaluationReport(BaseModel):
    examples: int
    accuracy: float
    macro_f1: float
    ece: float
    per_class: dict[str, ClassScores]
    labels: list[str]
    confusion: list[list[int]]
    org_exact_match: OrgMatch

    def table(self) -> str:
        """Plain-text report for the terminal."""
        lines = [f"{'class':<16} {'precision':>9} {'recall':>7} {'f1':>7} {'support':>8}"]
        for label, s in self.per_class.items():
            lines.append(f"{label:<16} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>7.3f} {s.support:>8}")
        lines.append(f"accuracy {self.accuracy:.3f}  macro-F1 {self.macro_f1:.3f}  ECE {self.ece:.3f}")
        o = self.org_exact_match
        lines.append(f"employer exact match (new_job, promotion): {o.exact}/{o.posts} = {o.rate:.3f}")
        short = [lbl[:7] for lbl in self.labels]
        lines.append("confusion (rows = true, columns = predicted):")
        lines.append(" " * 16 + " ".join(f"{s:>7}" for s in short))
        for label, row in zip(self.labels, self.confusion, strict=True):
            lines.append(f"{label:<16}" + " ".join(f"{v:>7}" for v in row))
        return "\n".join(lines)


def normalise_org(value: str | None) -> str | None:
    """Case, spacing, surrounding punctuation and a leading "the" do not count against a match."""
    if value is None:
        return None
    v = re.sub(r"\s+", " ", value.replace("’", "'").lower()).strip(" .,!;:'\"")
    return v.removeprefix("the ") or None


def org_match(examples: Sequence[Example]) -> OrgMatch:
    gold = [e for e in examples if e.label in ("new_job", "promotion") and e.has_org_gold]
    exact = sum(normalise_org(extract_org(e.text)) == normalise_org(e.org) for e in gold)
    return OrgMatch(posts=len(gold), exact=exact, rate=exact / len(gold) if gold else 0.0)


def evaluate(model: SignalModel, examples: Sequence[Example]) -> EvaluationReport:
    if not examples:
        raise ValueError("nothing to evaluate: no labelled examples")
    gold = [e.label for e in examples]
    predictions = model.predict([e.text for e in examples])
    pred = [p for p, _ in predictions]
    conf = np.asarray([c for _, c in predictions])
    labels = list(LABELS)
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    per_class = {
        lbl: ClassScores(precision=float(p[i]), recall=float(r[i]), f1=float(f[i]), support=int(s[i]))
        for i, lbl in enumerate(labels)
    }
    return EvaluationReport(
        examples=len(examples),
        accuracy=float(accuracy_score(gold, pred)),
        macro_f1=float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0)),
        ece=expected_calibration_error(conf, np.asarray(gold) == np.asarray(pred)),
        per_class=per_class,
        labels=labels,
        confusion=confusion_matrix(gold, pred, labels=labels).tolist(),
        org_exact_match=org_match(examples),
    )
