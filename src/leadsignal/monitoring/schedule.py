"""Which leads are due: members of monitored segments, not opted out, not closed, past their cadence.

A lead in several segments takes the cadence of its highest-priority segment. Opted-out and closed
leads never enter; ``still_eligible`` checks again right before any fetch, because an opt-out can
arrive while a batch waits in the queue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.core.crypto import PiiCipher
from leadsignal.leads.models import Lead
from leadsignal.leads.segments import is_closed_status, list_segments, segment_members
from leadsignal.monitoring.models import MonitorState


@dataclass(frozen=True)
class DueLead:
    lead_id: int
    cadence_hours: int
    segment: str


def due_leads(session: Session, cipher: PiiCipher, *, now: dt.datetime, limit: int | None = None) -> list[DueLead]:
    not_due = set(session.scalars(select(MonitorState.lead_id).where(MonitorState.next_due_at > now)))
    chosen: dict[int, DueLead] = {}
    for segment in list_segments(session):  # highest priority first
        if not segment.monitored:
            continue
        for lead in segment_members(session, segment.parsed_rules, cipher, today=now.date()):
            if lead.id in chosen or lead.id in not_due or lead.do_not_scrape:
                continue
            if is_closed_status(lead.status_description):
                continue
            chosen[lead.id] = DueLead(lead.id, segment.cadence_hours, segment.name)
            if limit is not None and len(chosen) >= limit:
                return list(chosen.values())
    return list(chosen.values())


def still_eligible(session: Session, lead_ids: Iterable[int], *, lock: bool = False) -> set[int]:
    """The subset of ``lead_ids`` that may be fetched now (fresh read, not the queued snapshot).

    ``lock`` holds the eligible leads' rows until the caller commits, so an opt-out landing meanwhile
    waits and then purges what this transaction stored, instead of missing it.
    """
    ids = list(lead_ids)
    if not ids:
        return set()
    stmt = select(Lead.id, Lead.status_description).where(Lead.id.in_(ids), Lead.do_not_scrape.is_(False))
    rows = session.execute(stmt.with_for_update() if lock else stmt).all()
    return {lead_id for lead_id, status in rows if not is_closed_status(status)}
