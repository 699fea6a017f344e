"""Precision as agents judged it: confirms, rejects and wrong-person outcomes, per type and ISO week."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from leadsignal.core.crypto import PiiCipher
from leadsignal.nlp.feedback import record_feedback
from leadsignal.uplift.precision import iso_week, precision_report
from tests.auth.factories import make_signal
from tests.factories import make_lead
from tests.uplift.factories import outcome

MONDAY = dt.datetime(2026, 11, 16, 10, tzinfo=dt.UTC)  # ISO week 2026-W47


def test_iso_week() -> None:
    assert iso_week(MONDAY) == "2026-W47"
    assert iso_week(dt.datetime(2027, 1, 1, tzinfo=dt.UTC)) == "2026-W53"


def test_precision_by_type_and_week(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher)
    week2 = MONDAY + dt.timedelta(days=7)
    confirmed = [make_signal(db, lead.id, detected_at=MONDAY) for _ in range(3)]
    for s in confirmed:
        s.status = "confirmed"
    rejected = make_signal(db, lead.id, detected_at=MONDAY)
    rejected.status = "rejected"
    wrong = make_signal(db, lead.id, detected_at=MONDAY)
    wrong.status = "confirmed"  # the event was real, but it was someone else's
    outcome(db, lead.id, "wrong_person", MONDAY + dt.timedelta(days=1), signal_id=wrong.id)
    only_labelled = make_signal(db, lead.id, detected_at=week2, signal_type="award")
    only_labelled.status = "acknowledged"
    record_feedback(db, text="Got an award today", label="none", source="agent_reject", signal_id=only_labelled.id)
    make_signal(db, lead.id, detected_at=week2)  # never judged: not counted
    db.flush()
    report = precision_report(db, now=week2)
    cells = {(c.week, c.signal_type): c for c in report.weeks}
    w47 = cells[("2026-W47", "new_job")]
    assert (w47.confirmed, w47.rejected, w47.wrong_person, w47.judged, w47.precision) == (3, 1, 1, 5, 0.6)
    assert w47.ci is not None
    assert w47.ci[0] < 0.6 < w47.ci[1]
    award = cells[("2026-W48", "award")]
    assert (award.rejected, award.precision) == (1, 0.0)
    assert ("2026-W48", "new_job") not in cells
    assert [c.signal_type for c in report.by_signal_type] == ["award", "new_job"]
    assert report.overall.judged == 6
    assert report.overall.confirmed == 3
    recent = precision_report(db, now=week2, since=week2.date())
    assert recent.overall.judged == 1


def test_empty_precision(db: Session) -> None:
    report = precision_report(db, now=MONDAY)
    assert report.weeks == []
    assert report.overall.precision is None
    assert report.overall.ci is None
