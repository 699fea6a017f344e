"""Precision and recall of "confirmed" on the labelled pairs, through the same path as ``leadsignal match``.

.venv/bin/python -m tests.matching.evaluate [--details]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leadsignal.matching.batch import match_line
from leadsignal.matching.scoring import Thresholds

DATA = Path(__file__).parent / "data" / "labelled_pairs.jsonl"
TODAY = dt.date(2026, 11, 23)  # the labelled set's reference date, so the figures never drift
SOURCE = "harvestapi/linkedin-profile-scraper"


@dataclass
class Evaluation:
    pairs: int = 0
    matches: int = 0
    by_decision: Counter[tuple[str, str]] = field(default_factory=Counter)  # (label, decision) -> count
    outputs: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)

    @property
    def confirmed(self) -> int:
        return sum(n for (_, d), n in self.by_decision.items() if d == "confirmed")

    @property
    def true_confirmed(self) -> int:
        return self.by_decision[("match", "confirmed")]

    @property
    def precision(self) -> float:
        return self.true_confirmed / self.confirmed if self.confirmed else 1.0

    @property
    def recall(self) -> float:
        return self.true_confirmed / self.matches if self.matches else 0.0

    @property
    def non_matches_rejected(self) -> float:
        non = self.pairs - self.matches
        return self.by_decision[("non_match", "rejected")] / non if non else 0.0


def evaluate(path: Path = DATA, thresholds: Thresholds | None = None) -> Evaluation:
    limits = thresholds or Thresholds()
    result = Evaluation()
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        row = json.loads(text)
        out = match_line(text, line=number, source=SOURCE, thresholds=limits, today=TODAY)
        if "error" in out:
            raise AssertionError(f"labelled pair {row['id']} failed: {out['error']}")
        result.pairs += 1
        result.matches += row["label"] == "match"
        result.by_decision[(row["label"], out["decision"])] += 1
        result.outputs.append((row, out))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list every pair that is not decided as expected")
    parser.add_argument("--sweep", action="store_true", help="precision and recall at other confirm thresholds")
    args = parser.parse_args()
    if args.sweep:
        print("confirm threshold | confirmed | precision | recall")
        for confirm in (0.80, 0.85, 0.90, 0.95, 0.97, 0.99):
            at = evaluate(thresholds=Thresholds(confirm=confirm, review=min(0.5, confirm)))
            print(f"{confirm:17.2f} | {at.confirmed:9d} | {at.precision:9.4f} | {at.recall:.4f}")
        return
    ev = evaluate()
    print(f"pairs {ev.pairs}: {ev.matches} match, {ev.pairs - ev.matches} non_match")
    for label in ("match", "non_match"):
        counts = ", ".join(f"{d} {ev.by_decision[(label, d)]}" for d in ("confirmed", "review", "rejected"))
        print(f"  {label:9s} -> {counts}")
    print(f"precision of confirmed {ev.precision:.4f} ({ev.true_confirmed}/{ev.confirmed})")
    print(f"recall of confirmed    {ev.recall:.4f} ({ev.true_confirmed}/{ev.matches})")
    if args.details:
        for row, out in ev.outputs:
            wrong = (row["label"] == "match") != (out["decision"] == "confirmed")
            if wrong:
                print(f"\n{row['id']} [{row['tag']}] label={row['label']} -> {out['decision']} {out['score']}")
                for reason in out["reasons"]:
                    print(f"    {reason}")


if __name__ == "__main__":
    main()
