"""Builders of emails and digest items for the alerts tests."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from leadsignal.alerts.email.port import IDEMPOTENCY_HEADER, OutgoingEmail
from leadsignal.alerts.email.render import DigestItem

NOW = dt.datetime(2026, 11, 24, 13, 0, tzinfo=dt.UTC)
DASHBOARD = "https://leadsignal.agency.example"


def make_email(**overrides: Any) -> OutgoingEmail:
    values: dict[str, Any] = {
        "to": "dana.ortiz@agency.example",
        "to_name": "Dana Ortiz",
        "subject": "leadsignal digest: 2 new signals",
        "html": "<p>Hello <b>Dana</b></p>",
        "text": "Hello Dana",
        "tags": ("digest",),
        "headers": {IDEMPOTENCY_HEADER: f"digest-{uuid.uuid4().hex}"},
        "template": "digest",
        "metadata": {"collector_id": 7},
    }
    values.update(overrides)
    return OutgoingEmail(**values)


def make_item(signal_id: int, **overrides: Any) -> DigestItem:
    values: dict[str, Any] = {
        "signal_id": signal_id,
        "lead_id": 1000 + signal_id,
        "lead_name": f"Lead {signal_id}",
        "signal_type": "new_job",
        "summary": f"Started a new role (signal {signal_id})",
        "priority": "medium",
        "score": 50.0,
        "confidence": 0.8,
        "detected_at": NOW - dt.timedelta(hours=signal_id),
        "event_date": dt.date(2026, 11, 20),
        "evidence_url": f"https://www.linkedin.com/posts/lead-{signal_id}",
        "evidence_snippet": "Excited to share that I started a new position!",
        "assignee": "Dana Ortiz",
    }
    values.update(overrides)
    return DigestItem(**values)


def sample_digest_items() -> list[DigestItem]:
    """A realistic mix: every priority, several types, and one hostile lead scraped from the web."""
    return [
        make_item(11, lead_name="Maria Gonzalez", signal_type="new_job", priority="high", score=91, confidence=0.94,
                  summary="Started as Registered Nurse at St. Luke's Health System",
                  evidence_snippet="Thrilled to start my new role as an RN at St. Luke's in Boise!"),
        make_item(12, lead_name="James O'Neil", signal_type="promotion", priority="medium", score=64,
                  summary="Promoted to Senior Software Engineer at Acme Logistics", evidence_snippet=None),
        make_item(13, lead_name="Lee Chen", signal_type="certification", priority="low", score=31, confidence=0.62,
                  summary="Earned the Certified Public Accountant credential", evidence_url=None),
        make_item(14, lead_name="Ana Silva", signal_type="license", priority="high", score=88,
                  summary="Licensed real estate sales agent, Texas Real Estate Commission"),
        make_item(15, lead_name='<img src=x onerror="alert(1)">Eve', signal_type="business_launch", priority="medium",
                  score=58, summary="Launched a bakery <script>steal()</script>",
                  evidence_url="javascript:alert(document.cookie)",
                  evidence_snippet='</div><a href="https://evil.example">Click</a><script>alert(2)</script>'),
    ]  # fmt: skip
