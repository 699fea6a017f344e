"""The contact-permission guard: may this signal prompt an agent to reach out?

Checked before any signal becomes an alert. A blocked signal is still stored and visible to
compliance with its reasons; it is never pushed to agents. Hardship signals (a job ended, open
to work) are never collection alerts: they are routed as hardship flags instead.

Rules (each reason is reported, so compliance sees every one that applies):
- the borrower opted out (``do_not_scrape``) or the CRM says do not contact;
- cease-and-desist, bankruptcy, attorney representation (FDCPA 1692c), or a dispute not yet
  verified (FDCPA 1692g(b)), from the CRM's flags or the account status;
- Regulation F (12 CFR 1006.14(b)): seven call attempts within seven days, or a conversation
  within the last seven days, presumes harassment, so no new prompt to call;
- no confirmed identity match: the signal may belong to someone else;
- a stale or expired event: an old change is not a reason to call now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leadsignal.crm.models import Outcome
from leadsignal.crm.sync import contact_flags
from leadsignal.leads.models import Lead
from leadsignal.signals.models import HARDSHIP_TYPES, Signal

CALL_ATTEMPT_OUTCOMES = ("contacted", "right_party_contact", "promise_to_pay", "refused", "wrong_person")
CONVERSATION_OUTCOMES = ("right_party_contact", "promise_to_pay", "refused")
REG_F_WINDOW = dt.timedelta(days=7)
REG_F_MAX_ATTEMPTS = 7
_STATUS_BLOCKS = (
    ("cease", "cease and desist"),
    ("bankrupt", "bankruptcy"),
    ("attorney", "attorney represented"),
    ("disput", "debt disputed"),
    ("deceased", "borrower deceased"),
    ("do not contact", "do not contact"),
)


@dataclass(frozen=True)
class GuardDecision:
    route: str  # "alert", "hardship" or "blocked"
    reasons: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return self.route == "alert"


def check(session: Session, signal: Signal, lead: Lead, *, now: dt.datetime) -> GuardDecision:
    if signal.signal_type in HARDSHIP_TYPES:
        return GuardDecision("hardship", ["hardship signals are never collection alerts"])
    reasons: list[str] = []
    if lead.do_not_scrape:
        reasons.append("borrower opted out")
    flags = contact_flags(session, lead.id)
    for name, label in (
        ("do_not_contact", "do not contact (CRM)"),
        ("cease_and_desist", "cease and desist (CRM)"),
        ("bankruptcy", "bankruptcy (CRM)"),
        ("attorney_represented", "attorney represented (CRM)"),
        ("disputed", "debt disputed (CRM)"),
    ):
        if getattr(flags, name):
            reasons.append(label)
    status = (lead.status_description or "").lower()
    reasons += [f"{label} (account status)" for needle, label in _STATUS_BLOCKS if needle in status]
    reasons += _regulation_f(session, lead.id, now)
    if signal.match_confidence is None:
        reasons.append("no confirmed identity match")
    if signal.stale:
        reasons.append("event is stale")
    if signal.expires_at is not None and now >= signal.expires_at:
        reasons.append("signal expired")
    return GuardDecision("blocked", reasons) if reasons else GuardDecision("alert")


def _regulation_f(session: Session, lead_id: int, now: dt.datetime) -> list[str]:
    since = now - REG_F_WINDOW
    attempts = session.scalar(
        select(func.count(Outcome.id)).where(
            Outcome.lead_id == lead_id, Outcome.occurred_at >= since, Outcome.outcome.in_(CALL_ATTEMPT_OUTCOMES)
        )
    )
    conversed = session.scalar(
        select(func.count(Outcome.id)).where(
            Outcome.lead_id == lead_id, Outcome.occurred_at >= since, Outcome.outcome.in_(CONVERSATION_OUTCOMES)
        )
    )
    reasons = []
    if (attempts or 0) >= REG_F_MAX_ATTEMPTS:
        reasons.append(f"Regulation F: {attempts} call attempts in the last 7 days")
    if conversed:
        reasons.append("Regulation F: spoke with the borrower in the last 7 days")
    return reasons
