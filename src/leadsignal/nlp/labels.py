"""The signal taxonomy: the exact label strings every component and the CRM payloads use."""

from __future__ import annotations

from typing import Literal

SignalType = Literal[
    "new_job", "promotion", "certification", "license", "award", "business_launch", "education", "none"
]

LABELS: tuple[str, ...] = (
    "new_job",
    "promotion",
    "certification",
    "license",
    "award",
    "business_launch",
    "education",
    "none",
)
