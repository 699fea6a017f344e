"""Score JSON Lines of (lead fields, raw actor item) pairs: the ``leadsignal match`` contract.

Each line is judged on its own: a malformed line yields an ``error`` (with its id when readable)
and the lines after it go on.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Any

from leadsignal.matching.identity import LeadFieldsError, identity_from_fields
from leadsignal.matching.scoring import Thresholds, score_candidate
from leadsignal.sources.mappers import map_profile_item


def match_line(
    text: str, *, line: int, source: str, thresholds: Thresholds, today: dt.date | None = None
) -> dict[str, Any]:
    """One input line -> its output object."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return {"error": f"line {line}: not valid JSON ({exc.msg} at column {exc.colno})"}
    if not isinstance(record, dict):
        return {"error": f"line {line}: expected a JSON object with id, lead and candidate"}
    head: dict[str, Any] = {"id": record["id"]} if "id" in record else {}
    errors: list[str] = []
    lead, candidate = record.get("lead"), record.get("candidate")
    identity = profile = None
    if not isinstance(lead, dict):
        errors.append("lead: missing or not an object")
    else:
        try:
            identity = identity_from_fields(lead, today=today)
        except LeadFieldsError as exc:
            errors.append(f"lead: {exc}")
    if not isinstance(candidate, dict):
        errors.append("candidate: missing or not an object")
    else:
        try:
            profile = map_profile_item(candidate, source=source)
        except ValueError as exc:  # MalformedItem, or a value the record model refuses
            errors.append(f"candidate: {exc}".splitlines()[0])
    if errors or identity is None or profile is None:
        return {**head, "error": f"line {line}: " + "; ".join(errors)}
    result = score_candidate(identity, profile, thresholds=thresholds, today=today)
    return {"id": record.get("id"), "decision": result.decision, "score": result.score, "reasons": result.reasons}


def match_lines(
    lines: Iterable[str], *, source: str, thresholds: Thresholds, today: dt.date | None = None
) -> Iterator[dict[str, Any]]:
    """Outputs in input order; blank lines are skipped."""
    for number, text in enumerate(lines, start=1):
        if text.strip():
            yield match_line(text, line=number, source=source, thresholds=thresholds, today=today)
