"""Precision by signal type and ISO week, as agents judged it.

A signal is judged true when an agent confirmed it, false when an agent rejected it or an outcome
tied to it says the person reached was not our borrower (``wrong_person``: the event may be real,
but it is not this lead's). The verdict is the signal's status, or failing that the latest agent
label in ``labelled_examples`` (the training data the same verdicts feed). Weeks are the ISO weeks
of detection, so a week's precision is about what the system produced that week.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.crm.models import Outcome
from leadsignal.nlp.models import LabelledExample
from leadsignal.signals.models import Signal
from leadsignal.uplift import stats

_AGENT_SOURCES = {"agent_confirm": "confirmed", "agent_reject": "rejected"}
_CHUNK = 900  # ids per IN (...), under SQLite's parameter limit


class PrecisionCell(BaseModel):
    week: str = Field(description='ISO week of detection, e.g. "2026-W48"; "all" in totals.')
    signal_type: str = Field(description='A signal type, or "all".')
    confirmed: int
    rejected: int = Field(description="Rejected by an agent (not counting wrong person).")
    wrong_person: int
    judged: int
    precision: float | None
    ci: tuple[float, float] | None = Field(description="95% Wilson interval of the precision.")


class PrecisionReport(BaseModel):
    generated_at: dt.datetime
    since: dt.date | None
    weeks: list[PrecisionCell] = Field(description="One row per (week, signal type) with any verdict.")
    by_signal_type: list[PrecisionCell] = Field(description="Every week together, per type.")
    overall: PrecisionCell


def iso_week(when: dt.datetime) -> str:
    year, week, _ = when.isocalendar()
    return f"{year}-W{week:02d}"


def precision_report(session: Session, *, now: dt.datetime, since: dt.date | None = None) -> PrecisionReport:
    verdicts = _verdicts(session, since)
    cells: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for week, signal_type, verdict in verdicts:
        for key in ((week, signal_type), ("all", signal_type), ("all", "all")):
            cells[key][verdict] += 1
    weeks = [_cell(w, t, c) for (w, t), c in sorted(cells.items()) if w != "all"]
    types = [_cell("all", t, c) for (w, t), c in sorted(cells.items()) if w == "all" and t != "all"]
    return PrecisionReport(generated_at=now, since=since, weeks=weeks, by_signal_type=types,
                           overall=_cell("all", "all", cells.get(("all", "all"), Counter())))  # fmt: skip


def _verdicts(session: Session, since: dt.date | None) -> list[tuple[str, str, str]]:
    """(ISO week, signal type, verdict) of every judged signal; only judged signals are read."""
    wrong = {sid for sid in session.scalars(select(Outcome.signal_id).where(Outcome.outcome == "wrong_person"))
             if sid is not None}  # fmt: skip
    labelled: dict[int, str] = {}
    for signal_id, source in session.execute(
        select(LabelledExample.signal_id, LabelledExample.source)
        .where(LabelledExample.signal_id.is_not(None), LabelledExample.source.in_(_AGENT_SOURCES))
        .order_by(LabelledExample.id)
    ):
        if signal_id is not None:
            labelled[signal_id] = _AGENT_SOURCES[source]  # the latest wins
    columns = select(Signal.id, Signal.signal_type, Signal.detected_at, Signal.status)
    if since is not None:
        columns = columns.where(Signal.detected_at >= dt.datetime.combine(since, dt.time(0), tzinfo=dt.UTC))
    rows = {r[0]: r for r in session.execute(columns.where(Signal.status.in_(("confirmed", "rejected"))))}
    extra = sorted((wrong | labelled.keys()) - rows.keys())
    for i in range(0, len(extra), _CHUNK):
        rows.update({r[0]: r for r in session.execute(columns.where(Signal.id.in_(extra[i : i + _CHUNK])))})
    out = []
    for sid, signal_type, detected, status in rows.values():
        if sid in wrong:
            verdict = "wrong_person"
        elif status in ("confirmed", "rejected"):
            verdict = status
        elif sid in labelled:
            verdict = labelled[sid]
        else:
            continue
        out.append((iso_week(detected), signal_type, verdict))
    return out


def _cell(week: str, signal_type: str, counts: Counter[str]) -> PrecisionCell:
    confirmed, rejected, wrong = counts["confirmed"], counts["rejected"], counts["wrong_person"]
    judged = confirmed + rejected + wrong
    ci = stats.wilson(confirmed, judged) if judged else None
    return PrecisionCell(
        week=week, signal_type=signal_type, confirmed=confirmed, rejected=rejected, wrong_person=wrong,
        judged=judged, precision=round(confirmed / judged, 6) if judged else None,
        ci=(round(ci[0], 6), round(ci[1], 6)) if ci else None,
    )  # fmt: skip
