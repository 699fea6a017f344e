"""Render the digest, single-alert and admin-summary emails: (subject, html, text).

HTML is built for mail clients, not browsers: nested tables, inline CSS, max 600 px wide, no
scripts, no images or fonts from outside. Lead names and snippets come from the web, so every
HTML template autoescapes, and evidence links are shown only for http(s) URLs (autoescape does
not stop a ``javascript:`` link). Subjects carry no borrower names: they show on lock screens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal, NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2
from pydantic import BaseModel, ConfigDict, Field, field_validator

Priority = Literal["high", "medium", "low"]
PRIORITIES: tuple[Priority, ...] = ("high", "medium", "low")
SNIPPET_MAX = 300
MAX_DIGEST_ITEMS = 40  # about 75 KB of HTML, under Gmail's ~100 KB clipping limit

TYPE_LABELS = {
    "new_job": "New job",
    "promotion": "Promotion",
    "certification": "Certification",
    "license": "Licence",
    "award": "Award",
    "business_launch": "Business launch",
    "education": "Education",
    "job_loss": "Job loss",
    "open_to_work": "Open to work",
}


class DigestItem(BaseModel):
    """One signal as a collector sees it in an email. ``score`` is 0-100, ``confidence`` 0-1."""

    model_config = ConfigDict(frozen=True)

    signal_id: int = Field(ge=1)
    lead_id: int = Field(ge=1)
    lead_name: str = Field(min_length=1, max_length=200)
    signal_type: str = Field(min_length=1, max_length=32)
    summary: str = Field(min_length=1, max_length=2000)
    priority: Priority
    score: float = Field(ge=0, le=100)
    confidence: float = Field(ge=0, le=1)
    detected_at: dt.datetime
    event_date: dt.date | None = None
    evidence_url: str | None = None
    evidence_snippet: str | None = None
    assignee: str | None = Field(default=None, max_length=200)

    @field_validator("detected_at")
    @classmethod
    def _aware(cls, v: dt.datetime) -> dt.datetime:
        if v.tzinfo is None:
            raise ValueError("detected_at must be timezone-aware")
        return v

    @property
    def safe_evidence_url(self) -> str | None:
        """The evidence link only if it is plain http(s); anything else is not rendered as a link."""
        if not self.evidence_url:
            return None
        parts = urlsplit(self.evidence_url.strip())
        return self.evidence_url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


class RenderedEmail(NamedTuple):
    subject: str
    html: str
    text: str


@dataclass(frozen=True)
class _ItemView:
    item: DigestItem
    type_label: str
    signal_url: str
    lead_url: str
    evidence_href: str | None
    detected_local: str
    confidence_pct: int
    score: int
    snippet: str | None


@dataclass(frozen=True)
class _Group:
    priority: Priority
    label: str
    items: list[_ItemView]
    total: int
    more_url: str

    @property
    def hidden(self) -> int:
        return self.total - len(self.items)


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("leadsignal.alerts", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), disabled_extensions=("txt",), default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["oneline"] = _oneline
    return env


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}; use an IANA name such as 'America/New_York'") from exc


def _base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"dashboard_url must be an absolute http(s) URL, got {url!r}")
    return url.rstrip("/")


def _oneline(text: str) -> str:
    return " ".join(text.split())


def _clip(text: str | None, limit: int = SNIPPET_MAX) -> str | None:
    if not text:
        return None
    flat = _oneline(text)
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _local(moment: dt.datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%a %d %b %Y, %H:%M %Z")


def _view(item: DigestItem, base: str, zone: ZoneInfo) -> _ItemView:
    return _ItemView(
        item=item,
        type_label=TYPE_LABELS.get(item.signal_type, item.signal_type.replace("_", " ").capitalize()),
        signal_url=f"{base}/signals/{item.signal_id}",
        lead_url=f"{base}/leads/{item.lead_id}",
        evidence_href=item.safe_evidence_url,
        detected_local=_local(item.detected_at, zone),
        confidence_pct=round(item.confidence * 100),
        score=round(item.score),
        snippet=_clip(item.evidence_snippet),
    )


def group_items(items: Sequence[DigestItem]) -> dict[Priority, list[DigestItem]]:
    """High, then medium, then low; inside a level the highest score first, then the newest."""
    groups: dict[Priority, list[DigestItem]] = {p: [] for p in PRIORITIES}
    for item in items:
        groups[item.priority].append(item)
    for members in groups.values():
        members.sort(key=lambda i: (-i.score, -i.detected_at.timestamp(), i.signal_id))
    return groups


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def render_digest(
    recipient_name: str,
    recipient_tz: str,
    items: Sequence[DigestItem],
    *,
    dashboard_url: str,
    generated_at: dt.datetime,
    max_items: int = MAX_DIGEST_ITEMS,
) -> RenderedEmail:
    """At most ``max_items`` cards, most important first; the rest are counted and linked, because
    Gmail clips a message past about 100 KB and hides the end of the digest behind a link."""
    if max_items < 1:
        raise ValueError("max_items must be at least 1")
    zone, base = _zone(recipient_tz), _base_url(dashboard_url)
    grouped = group_items(items)
    room = max_items
    groups = []
    for p in PRIORITIES:
        shown = grouped[p][: max(room, 0)]
        room -= len(shown)
        views = [_view(i, base, zone) for i in shown]
        groups.append(_Group(p, f"{p.capitalize()} priority", views, len(grouped[p]), f"{base}/signals?priority={p}"))
    counts = {p: len(grouped[p]) for p in PRIORITIES}
    day = generated_at.astimezone(zone).strftime("%a %d %b %Y")
    total = len(items)
    if total:
        subject = f"leadsignal digest: {_plural(total, 'new signal')} ({counts['high']} high) - {day}"
        headline = (
            f"{_plural(total, 'new signal')}: {counts['high']} high, {counts['medium']} medium, {counts['low']} low."
        )
    else:
        subject = f"leadsignal digest: no new signals - {day}"
        headline = "No new signals for your leads since the last digest."
    context: dict[str, Any] = {
        "recipient_name": _oneline(recipient_name) or "there",
        "groups": groups,
        "counts": counts,
        "total": total,
        "headline": headline,
        "day": day,
        "dashboard_url": base,
        "generated_local": _local(generated_at, zone),
        "tz": recipient_tz,
    }
    return RenderedEmail(subject, _env().get_template("digest.html").render(context),
                         _env().get_template("digest.txt").render(context))  # fmt: skip


def render_alert_email(
    recipient_name: str,
    recipient_tz: str,
    item: DigestItem,
    *,
    dashboard_url: str,
    generated_at: dt.datetime,
    reason: str,
    kind: Literal["realtime", "escalation"] = "realtime",
) -> RenderedEmail:
    """One signal, now: a real-time alert or an escalation. ``reason`` says why this mail was sent."""
    zone, base = _zone(recipient_tz), _base_url(dashboard_url)
    view = _view(item, base, zone)
    prefix = "leadsignal escalation" if kind == "escalation" else "leadsignal alert"
    subject = f"{prefix}: {item.priority}-priority {view.type_label.lower()} signal #{item.signal_id}"
    context: dict[str, Any] = {
        "recipient_name": _oneline(recipient_name) or "there",
        "view": view,
        "kind": kind,
        "title": "Escalation" if kind == "escalation" else "New signal",
        "reason": _oneline(reason),
        "dashboard_url": base,
        "generated_local": _local(generated_at, zone),
        "tz": recipient_tz,
    }
    return RenderedEmail(subject, _env().get_template("alert.html").render(context),
                         _env().get_template("alert.txt").render(context))  # fmt: skip


Figure = int | float | Decimal | str


def render_admin_summary(
    figures: Mapping[str, Figure],
    compliance: Sequence[tuple[str, bool, str]],
    *,
    generated_at: dt.datetime | None = None,
    dashboard_url: str | None = None,
    tz: str = "UTC",
) -> RenderedEmail:
    """The daily admin email: figures of the day and the compliance checklist, failures counted."""
    zone = _zone(tz)
    when = generated_at or dt.datetime.now(dt.UTC)
    rows = [(name.replace("_", " ").capitalize(), _format_figure(value)) for name, value in figures.items()]
    checks = [(_oneline(name), ok, _oneline(detail)) for name, ok, detail in compliance]
    failing = sum(1 for _, ok, _ in checks if not ok)
    day = when.astimezone(zone).strftime("%a %d %b %Y")
    verdict = f"{_plural(failing, 'compliance check')} failing" if failing else "all compliance checks pass"
    context: dict[str, Any] = {
        "figures": rows,
        "checks": checks,
        "failing": failing,
        "verdict": verdict,
        "day": day,
        "generated_local": _local(when, zone),
        "dashboard_url": _base_url(dashboard_url) if dashboard_url else None,
    }
    subject = f"leadsignal admin summary - {day}: {verdict}"
    return RenderedEmail(subject, _env().get_template("admin_summary.html").render(context),
                         _env().get_template("admin_summary.txt").render(context))  # fmt: skip


def _format_figure(value: Figure) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float | Decimal):
        return f"{value:,.2f}"
    return _oneline(str(value))
