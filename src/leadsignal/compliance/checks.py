"""The automated compliance checklist: each item passes or fails with the evidence it was judged on.

Evidence comes from the stored records (scrape log, rate-limit incidents, leads, signals, identity
matches, retention runs) and from the settings, never from what the code is believed to do. The
history checks look back ``compliance_lookback_days`` (rate limits and robots.txt: the last 24 hours).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, and_, case, func, literal_column, or_, select
from sqlalchemy.orm import Session

from leadsignal.compliance.retention import DATA_CLASSES, retention_days, system_scope
from leadsignal.compliance.retention_models import RetentionRun
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import CryptoConfigError, DecryptionError
from leadsignal.db import utcnow
from leadsignal.integrations.http.errors import InvalidUserAgent
from leadsignal.integrations.http.useragent import validate_user_agent
from leadsignal.leads.fields import SENSITIVE
from leadsignal.leads.models import Lead
from leadsignal.matching.models import IdentityMatch
from leadsignal.matching.service import CONFIRMED_STATUSES
from leadsignal.signals.models import HARDSHIP_TYPES, Signal
from leadsignal.sources.parsing import canonical_or_none
from leadsignal.sources.scrape_log import RateLimitIncident, ScrapeLogEntry
from leadsignal.sources.snapshots import ProfileSnapshot

DAY = dt.timedelta(hours=24)
ROBOTS_TTL = dt.timedelta(hours=1)  # the polite client caches a robots.txt decision this long
RATE_TOLERANCE = 1.1  # requests per minute may exceed the configured rate by 10% (clock skew, bursts)
PII_SAMPLE = 200
RETENTION_MAX_AGE = dt.timedelta(hours=48)


class CheckItem(BaseModel):
    name: str
    title: str
    passed: bool
    evidence: str
    details: dict[str, Any]


class ComplianceReport(BaseModel):
    passed: bool
    checked_at: dt.datetime
    items: list[CheckItem]


Check = Callable[[AppContext, Session, dt.datetime], CheckItem]


def _item(name: str, title: str, passed: bool, evidence: str, **details: Any) -> CheckItem:
    return CheckItem(name=name, title=title, passed=passed, evidence=evidence, details=details)


def _sent() -> ColumnElement[bool]:
    """Scrape-log rows for a request that really went out (a timing was measured)."""
    return ScrapeLogEntry.latency_ms.is_not(None)


# -- the checks ------------------------------------------------------------------------------------


def check_rate_limits(ctx: AppContext, session: Session, now: dt.datetime) -> CheckItem:
    name, title = "rate_limits", "Rate limits configured and not exceeded"
    s = ctx.settings
    rates = {"default host": s.http_default_host_rate} | {f"host {h}": r for h, r in s.http_host_rates.items()}
    rates |= {f"service {k}": r for k, r in s.http_service_rates.items()}
    bad = sorted(k for k, r in rates.items() if not (r > 0 and math.isfinite(r)))
    if bad:
        return _item(name, title, False, f"invalid rate settings: {', '.join(bad)}", invalid=bad)
    since = now - DAY
    minute = (
        func.date_trunc("minute", ScrapeLogEntry.occurred_at)
        if session.get_bind().dialect.name == "postgresql"
        else func.strftime("%Y-%m-%d %H:%M", ScrapeLogEntry.occurred_at)
    )
    per_minute = (
        select(ScrapeLogEntry.service, minute.label("minute"), func.count().label("n"))
        .where(ScrapeLogEntry.occurred_at >= since, _sent())
        .group_by(ScrapeLogEntry.service, minute)
        .subquery()
    )
    peaks = {str(svc): int(n) for svc, n in session.execute(
        select(per_minute.c.service, func.max(per_minute.c.n)).group_by(per_minute.c.service)
    )}  # fmt: skip
    over = {
        svc: {"peak_per_minute": peak, "allowed_per_minute": _allowed(s.http_service_rates[svc])}
        for svc, peak in peaks.items()
        if svc in s.http_service_rates and peak > _allowed(s.http_service_rates[svc])
    }
    incidents = Counter(
        f"{i.host} {i.kind}"
        for i in session.scalars(select(RateLimitIncident).where(RateLimitIncident.started_at >= since))
    )
    passed = not over and not incidents
    parts = [f"{len(rates)} rates configured, all positive"]
    parts.append(
        "peak requests per minute within the configured service rates"
        if not over
        else "over the configured rate: "
        + ", ".join(f"{k} {v['peak_per_minute']}/min > {v['allowed_per_minute']}/min" for k, v in over.items())
    )
    parts.append(
        "no 429, block or CAPTCHA incidents in the last 24 h"
        if not incidents
        else "incidents in the last 24 h: " + ", ".join(f"{k} x{n}" for k, n in sorted(incidents.items()))
    )
    return _item(name, title, passed, "; ".join(parts), peaks_per_minute=peaks, over=over,
                 incidents=dict(incidents), rates=rates)  # fmt: skip


def _allowed(rate: float) -> int:
    return math.ceil(rate * 60 * RATE_TOLERANCE) + max(1, int(rate))


def check_robots(ctx: AppContext, session: Session, now: dt.datetime) -> CheckItem:
    name, title = "robots_txt", "robots.txt honoured by recent fetches"
    since = now - DAY
    refusals = session.execute(
        select(ScrapeLogEntry.source_url, ScrapeLogEntry.occurred_at).where(
            ScrapeLogEntry.occurred_at >= since, ScrapeLogEntry.outcome == "robots_disallowed"
        )
    ).all()
    robots_fetches = session.scalar(
        select(func.count()).where(ScrapeLogEntry.occurred_at >= since, ScrapeLogEntry.service == "robots")
    )
    sent = int(session.scalar(select(func.count()).where(ScrapeLogEntry.occurred_at >= since, _sent())) or 0)
    violations: list[dict[str, Any]] = []
    if refusals:
        refused_at: dict[str, list[dt.datetime]] = {}
        for url, at in refusals:
            refused_at.setdefault(url, []).append(at)
        fetched = session.execute(
            select(ScrapeLogEntry.id, ScrapeLogEntry.source_url, ScrapeLogEntry.occurred_at).where(
                ScrapeLogEntry.source_url.in_(list(refused_at)),
                ScrapeLogEntry.occurred_at >= since,
                ScrapeLogEntry.service != "robots",
                _sent(),
            )
        ).all()
        for row_id, url, at in fetched:
            if any(t <= at <= t + ROBOTS_TTL for t in refused_at[url]):
                violations.append({"scrape_log_id": row_id, "url": url, "at": at.isoformat()})
    evidence = (
        f"last 24 h: {sent} requests sent, {robots_fetches or 0} robots.txt fetches, {len(refusals)} URLs refused "
        f"by robots.txt, {len(violations)} fetched within {int(ROBOTS_TTL.total_seconds() // 60)} min of a refusal"
    )
    return _item(name, title, not violations, evidence, refusals=len(refusals), violations=violations[:20])


def check_user_agent(ctx: AppContext, session: Session, now: dt.datetime) -> CheckItem:
    name, title = "user_agent", "User agent configured and valid"
    ua = ctx.settings.user_agent
    default = type(ctx.settings).model_fields["user_agent"].default
    try:
        validate_user_agent(ua)
    except InvalidUserAgent as exc:
        return _item(name, title, False, str(exc), user_agent=ua)
    if "agency.example" in ua.lower() or (ctx.settings.env == "production" and ua == default):
        return _item(name, title, False, "user agent still names the placeholder agency.example contact; "
                     "set LEADSIGNAL_USER_AGENT with your real bot page and contact", user_agent=ua)  # fmt: skip
    return _item(name, title, True, f"identifies the bot and gives a contact: {ua}", user_agent=ua)


def check_opt_outs(ctx: AppContext, session: Session, now: dt.datetime) -> CheckItem:
    name, title = "opt_outs", "Opt-outs honoured"
    since = now - dt.timedelta(days=ctx.settings.compliance_lookback_days)
    opted = and_(Lead.do_not_scrape.is_(True), Lead.do_not_scrape_at.is_not(None))
    n_opted = int(session.scalar(select(func.count()).select_from(Lead).where(opted)) or 0)
    fetches = session.execute(
        select(Lead.id, func.count(ScrapeLogEntry.id))
        .join(ScrapeLogEntry, ScrapeLogEntry.lead_id == Lead.id)
        .where(
            opted,
            ScrapeLogEntry.occurred_at >= since,
            ScrapeLogEntry.occurred_at > Lead.do_not_scrape_at,
            ScrapeLogEntry.outcome != "robots_disallowed",
        )
        .group_by(Lead.id)
    ).all()
    alerts = session.execute(
        select(Lead.id, func.count(Signal.id))
        .join(Signal, Signal.lead_id == Lead.id)
        .where(
            opted,
            Signal.alerted_at >= since,  # alerts and hardship flags; a later block does not undo them
            Signal.alerted_at > Lead.do_not_scrape_at,
        )
        .group_by(Lead.id)
    ).all()
    stored = session.execute(
        select(Lead.id, func.count(ProfileSnapshot.id))
        .join(ProfileSnapshot, ProfileSnapshot.lead_id == Lead.id)
        .where(opted, ProfileSnapshot.fetched_at > Lead.do_not_scrape_at)
        .group_by(Lead.id)
    ).all()
    bad = {
        "fetches": {int(i): int(n) for i, n in fetches},
        "alerts": {int(i): int(n) for i, n in alerts},
        "snapshots": {int(i): int(n) for i, n in stored},
    }
    passed = not any(bad.values())
    if passed:
        evidence = (f"{n_opted} opted-out leads: no fetch, alert or stored profile after the opt-out "
                    f"(last {ctx.settings.compliance_lookback_days} days)")  # fmt: skip
    else:
        evidence = (f"after the opt-out: {sum(bad['fetches'].values())} fetches, {sum(bad['alerts'].values())} alerts, "
                    f"{sum(bad['snapshots'].values())} stored profiles, for leads "
                    f"{sorted(set().union(*(set(v) for v in bad.values())))[:20]}")  # fmt: skip
    return _item(name, title, passed, evidence, opted_out=n_opted, **{k: {str(i): n for i, n in v.items()}
                                                                     for k, v in bad.items()})  # fmt: skip


def check_pii_encryption(ctx: AppContext, session: Session, now: dt.datetime) -> CheckItem:
    name, title = "pii_encryption", "PII encryption key present and fields encrypted"
    s = ctx.settings
    configured = s.encryption_keys is not None and s.blind_index_key is not None
    if not configured and s.env == "production":
        return _item(name, title, False, "LEADSIGNAL_ENCRYPTION_KEYS and LEADSIGNAL_BLIND_INDEX_KEY must both be set")
    # Outside production the embedded default generates local keys (data_dir/dev-keys.json); say so.
    origin = "" if configured else "development keys from dev-keys.json (production needs configured keys); "
    try:
        cipher = ctx.cipher
    except CryptoConfigError as exc:
        return _item(name, title, False, f"encryption keys are misconfigured: {exc}")
    columns = [getattr(Lead, f"{f}_enc") for f in SENSITIVE]
    rows = session.execute(
        select(Lead.id, *columns)
        .where(or_(*(c.is_not(None) for c in columns)))
        .order_by(Lead.id.desc())
        .limit(PII_SAMPLE)
    ).all()
    by_key: Counter[str] = Counter()
    failures: list[dict[str, Any]] = []
    for lead_id, *values in rows:
        for field, value in zip(SENSITIVE, values, strict=True):
            if value is None:
                continue
            try:
                cipher.decrypt(value, context=field)
                by_key[cipher.key_id_of(value)] += 1
            except DecryptionError as exc:
                failures.append({"lead_id": lead_id, "field": field, "error": str(exc)})
    values_checked = sum(by_key.values()) + len(failures)
    evidence = (f"{origin}active key {cipher.active_kid}; sampled {len(rows)} leads, "
                f"{values_checked} encrypted values, "
                f"{len(failures)} not valid ciphertext under the configured keys")  # fmt: skip
    return _item(name, title, not failures, evidence, keys=sorted(cipher.keys), by_key=dict(by_key),
                 failures=failures[:20])  # fmt: skip


def check_tls(ctx: AppContext, session: Session, now: dt.datetime) -> CheckItem:
    name, title = "tls", "TLS configured for production"
    s = ctx.settings
    if s.env != "production":
        return _item(name, title, True, f"environment is {s.env}: TLS is required only in production", env=s.env)
    if s.tls_terminated_by_proxy:
        proxy = "TLS terminates at a trusted reverse proxy (LEADSIGNAL_TLS_TERMINATED_BY_PROXY)"
        return _item(name, title, True, proxy, env=s.env)
    files = {"certfile": s.tls_certfile, "keyfile": s.tls_keyfile}
    missing = [k for k, p in files.items() if p is None or not p.is_file()]
    if missing:
        return _item(name, title, False, f"production without TLS: {', '.join(missing)} not set or not a file, and "
                     "no trusted TLS proxy configured", env=s.env, missing=missing)  # fmt: skip
    return _item(name, title, True, f"TLS 1.3 with certificate {s.tls_certfile}", env=s.env)


def check_retention(ctx: AppContext, session: Session, now: dt.datetime) -> CheckItem:
    name, title = "retention", "Retention jobs ran"
    s = ctx.settings
    enabled = [c for c in DATA_CLASSES if retention_days(s, c) > 0]
    if not s.retention_enabled:
        return _item(name, title, False, "retention is switched off (LEADSIGNAL_RETENTION_ENABLED=false)")
    if not enabled:
        return _item(name, title, True, "every data class is kept forever (all retention days are 0)")
    rows = session.execute(
        select(RetentionRun.data_class, func.max(RetentionRun.finished_at))
        .where(RetentionRun.status == "succeeded", RetentionRun.dry_run.is_(False))
        .group_by(RetentionRun.data_class)
    ).all()
    last = {str(c): _aware(at) for c, at in rows if at is not None}
    stale = [c for c in enabled if c not in last or now - last[c] > RETENTION_MAX_AGE]
    seen = {c: last[c].isoformat() for c in enabled if c in last}
    evidence = (f"a successful run in the last 48 h for every enabled class ({', '.join(enabled)})" if not stale
                else f"no successful run in the last 48 h for: {', '.join(stale)}")  # fmt: skip
    return _item(name, title, not stale, evidence, last_success=seen, stale=stale)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def check_identity_matches(ctx: AppContext, session: Session, now: dt.datetime) -> CheckItem:
    """Every alert needs the lead's identity confirmed when it was raised: by the matcher or a person,
    or by the agency itself (the lead's own profile URL, unless someone disputed that URL before the
    alert). A match reopened after the alert (e.g. "wrong person") was still confirmed at alert time."""
    name, title = "identity_match", "No signal alerted without a confirmed identity match"
    since = now - dt.timedelta(days=ctx.settings.compliance_lookback_days)
    confirmed_at = case(
        (IdentityMatch.status == "human_confirmed", IdentityMatch.reviewed_at), else_=IdentityMatch.created_at
    )
    reopened_after_alert = and_(
        IdentityMatch.status == "pending_review",
        IdentityMatch.reviewed_at > Signal.alerted_at,
        IdentityMatch.created_at <= Signal.alerted_at,
    )
    confirmed = (
        select(literal_column("1"))
        .where(
            IdentityMatch.lead_id == Signal.lead_id,
            or_(and_(IdentityMatch.status.in_(CONFIRMED_STATUSES), confirmed_at <= Signal.alerted_at),
                reopened_after_alert),
        )
        .exists()
    )  # fmt: skip
    # Alerted at some point (a later opt-out or dispute may have blocked it since); hardship flags
    # are routed without a match by design and are not collection alerts.
    alerted = and_(Signal.alerted_at >= since, Signal.signal_type.not_in(HARDSHIP_TYPES))
    total = int(session.scalar(select(func.count()).select_from(Signal).where(alerted)) or 0)
    candidates = session.execute(
        select(Signal.id, Signal.alerted_at, Lead.id, Lead.linkedin_url)
        .join(Lead, Lead.id == Signal.lead_id)
        .where(alerted, ~confirmed)
        .order_by(Signal.id)
    ).all()
    own = [(sid, at, lead, canonical_or_none(url)) for sid, at, lead, url in candidates]
    links = _agency_link_rows(session, {(lead, url) for _, _, lead, url in own if url is not None})
    bad = [sid for sid, at, lead, url in own
           if at is None or url is None or not _agency_link_stood(links.get((lead, url)), at)]  # fmt: skip
    evidence = (f"{total} signals alerted in the last {ctx.settings.compliance_lookback_days} days, "
                f"{len(bad)} without a confirmed match of the lead at alert time")  # fmt: skip
    return _item(name, title, not bad, evidence, alerted=total, signal_ids=bad[:50])


def _agency_link_rows(session: Session, wanted: set[tuple[int, str]]) -> dict[tuple[int, str], IdentityMatch]:
    """The identity-match rows of the leads' own (agency-supplied) profile URLs, in batched queries."""
    lead_ids = sorted({lead for lead, _ in wanted})
    found: dict[tuple[int, str], IdentityMatch] = {}
    for start in range(0, len(lead_ids), 1000):
        rows = session.scalars(select(IdentityMatch).where(IdentityMatch.lead_id.in_(lead_ids[start : start + 1000])))
        found.update({(r.lead_id, r.profile_url): r for r in rows if (r.lead_id, r.profile_url) in wanted})
    return found


def _agency_link_stood(row: IdentityMatch | None, alerted_at: dt.datetime) -> bool:
    """Whether the lead's agency-supplied profile URL, with this identity-match row for it (if any),
    counted as confirmed at ``alerted_at`` (see agency_link_usable)."""
    if row is None or row.status in CONFIRMED_STATUSES:
        return True
    changed_at = row.reviewed_at or row.created_at
    return changed_at > alerted_at


CHECKS: tuple[Check, ...] = (
    check_rate_limits,
    check_robots,
    check_user_agent,
    check_opt_outs,
    check_pii_encryption,
    check_tls,
    check_retention,
    check_identity_matches,
)


def run_all(ctx: AppContext, *, now: dt.datetime | None = None) -> ComplianceReport:
    """Run every check (read-only); a check that errors fails with the error as its evidence."""
    now = now or utcnow()
    items: list[CheckItem] = []
    with system_scope(ctx) as session:
        for check in CHECKS:
            try:
                with session.begin_nested():
                    items.append(check(ctx, session, now))
            except Exception as exc:  # a broken check must show as failed, not hide the others
                label = check.__name__.removeprefix("check_")
                items.append(_item(label, label.replace("_", " "), False, f"check failed to run: {exc}"[:500]))
    return ComplianceReport(passed=all(i.passed for i in items), checked_at=now, items=items)
