from __future__ import annotations

import itertools
from typing import Any

from leadsignal.signals.merge import SignalCandidate

_seq = itertools.count(1)


def candidate(lead_id: int, **overrides: Any) -> SignalCandidate:
    n = next(_seq)
    values: dict[str, Any] = {
        "lead_id": lead_id,
        "signal_type": "new_job",
        "confidence": 0.8,
        "evidence_key": f"post:test-{n}",
        "kind": "post",
        "snippet": "Thrilled to share that I'm starting a new position as Data Analyst at Contoso Health!",
        "source_url": f"https://www.linkedin.com/posts/x-activity-{n}",
        "org": "Contoso Health",
        "title": "Data Analyst",
        "match_confidence": 0.99,
    }
    values.update(overrides)
    return SignalCandidate(**values)
