"""Digest, alert and admin-summary rendering: grouping, counts, links, time zones, escaping."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest

from leadsignal.alerts.email.render import (
    DigestItem,
    group_items,
    render_admin_summary,
    render_alert_email,
    render_digest,
)
from tests.alerts.factories import DASHBOARD, NOW, make_item, sample_digest_items


class _Collector(HTMLParser):
    """Every start tag with its attributes, to check what a mail client would actually see."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Collector()
    parser.feed(html)
    return parser.tags


def _digest() -> tuple[str, str, str]:
    return render_digest("Dana Ortiz", "America/New_York", sample_digest_items(), dashboard_url=DASHBOARD + "/",
                         generated_at=NOW)  # fmt: skip


def test_subject_counts_and_greeting() -> None:
    subject, html, text = _digest()
    assert subject == "leadsignal digest: 5 new signals (2 high) - Tue 24 Nov 2026"
    for body in (html, text):
        assert "Hi Dana Ortiz," in body
        assert "5 new signals: 2 high, 2 medium, 1 low." in body
    assert "High: 2   Medium: 2   Low: 1" in text
    assert "High priority (2)" in html
    assert "Medium priority (2)" in html
    assert "Low priority (1)" in html
    assert "== HIGH PRIORITY (2) ==" in text


def test_groups_run_high_to_low_and_by_score_within_a_level() -> None:
    grouped = group_items(sample_digest_items())
    assert [[i.signal_id for i in grouped[p]] for p in ("high", "medium", "low")] == [[11, 14], [12, 15], [13]]
    _, html, text = _digest()
    for body in (html, text):
        positions = [body.index(f"/signals/{sid}") for sid in (11, 14, 12, 15, 13)]
        assert positions == sorted(positions)


def test_every_item_links_to_its_signal_and_lead_in_both_parts() -> None:
    _, html, text = _digest()
    hrefs = [attrs.get("href") for tag, attrs in _tags(html) if tag == "a"]
    for item in sample_digest_items():
        signal, lead = f"{DASHBOARD}/signals/{item.signal_id}", f"{DASHBOARD}/leads/{item.lead_id}"
        assert signal in hrefs
        assert lead in hrefs
        assert f"Signal:   {signal}" in text
        assert f"Lead:     {lead}" in text
    assert "https://www.linkedin.com/posts/lead-11" in hrefs  # evidence link
    assert f"{DASHBOARD}/signals" in hrefs  # no double slash from the trailing "/" given


def test_times_are_shown_in_the_recipient_zone() -> None:
    _, html, text = _digest()
    # Signal 11 was detected at 02:00 UTC on the 24th: 21:00 the evening before in New York (EST).
    assert "Detected Mon 23 Nov 2026, 21:00 EST" in text
    assert "Generated Tue 24 Nov 2026, 08:00 EST." in html


def test_hostile_web_text_is_escaped_and_unsafe_links_dropped() -> None:
    _, html, text = _digest()
    tags = _tags(html)
    assert not [t for t, _ in tags if t in ("script", "img", "iframe", "object")]
    assert all(not (attrs.get("href") or "").startswith("javascript:") for _, attrs in tags)
    assert "https://evil.example" not in [attrs.get("href") for _, attrs in tags]
    assert all("onerror" not in attrs for _, attrs in tags)
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;Eve" in html
    assert "Launched a bakery &lt;script&gt;steal()&lt;/script&gt;" in html
    assert "&lt;/div&gt;&lt;a href=&#34;https://evil.example&#34;&gt;Click&lt;/a&gt;" in html
    # The text part is not HTML: it shows the text as written, but never offers the javascript: link.
    assert '<img src=x onerror="alert(1)">Eve' in text
    assert "javascript:" not in text


def test_email_html_is_self_contained() -> None:
    for _, html, _ in (_digest(), _alert(), render_admin_summary({"signals": 1}, [("Opt-outs", True, "")])):
        tags = _tags(html)
        assert not [t for t, _ in tags if t in ("script", "link", "img", "iframe", "form", "style")]
        assert "max-width:600px" in html
        assert all("src" not in attrs for _, attrs in tags)  # nothing fetched when the mail is opened
        assert "url(" not in html
        assert "@import" not in html


def test_untrusted_lines_cannot_forge_text_layout() -> None:
    item = make_item(1, lead_name="Mallory\n\nSignal:   https://evil.example", summary="ok\r\nLead: x")
    _, _, text = render_digest("Dana", "UTC", [item], dashboard_url=DASHBOARD, generated_at=NOW)
    assert "\nSignal:   https://evil.example" not in text
    assert "* Mallory Signal: https://evil.example - New job (medium)" in text


def test_empty_digest_says_so() -> None:
    subject, html, text = render_digest("Dana", "Europe/London", [], dashboard_url=DASHBOARD, generated_at=NOW)
    assert subject == "leadsignal digest: no new signals - Tue 24 Nov 2026"
    assert "No new signals for your leads since the last digest." in html
    assert "No new signals" in text
    assert "priority (" not in html


def test_bad_inputs_are_refused_clearly() -> None:
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        render_digest("Dana", "Mars/Olympus", [], dashboard_url=DASHBOARD, generated_at=NOW)
    with pytest.raises(ValueError, match="dashboard_url must be an absolute http"):
        render_digest("Dana", "UTC", [], dashboard_url="javascript:alert(1)", generated_at=NOW)
    with pytest.raises(ValueError, match="timezone-aware"):
        make_item(1, detected_at=dt.datetime(2026, 11, 24, 12, 0))
    with pytest.raises(ValueError, match="priority"):
        DigestItem.model_validate({**make_item(1).model_dump(), "priority": "urgent"})


def _alert() -> tuple[str, str, str]:
    item = make_item(42, lead_name="Maria <b>Gonzalez</b>", priority="high", score=93, signal_type="license")
    return render_alert_email("Dana", "America/Los_Angeles", item, dashboard_url=DASHBOARD, generated_at=NOW,
                              reason="Not actioned within 48 hours", kind="escalation")  # fmt: skip


def test_alert_email_uses_the_same_card_and_names_no_one_in_the_subject() -> None:
    subject, html, text = _alert()
    assert subject == "leadsignal escalation: high-priority licence signal #42"
    assert "Gonzalez" not in subject
    assert "Escalation: Licence" in html
    assert "Not actioned within 48 hours" in html
    assert "Maria &lt;b&gt;Gonzalez&lt;/b&gt;" in html
    assert f"{DASHBOARD}/signals/42" in html
    assert f"{DASHBOARD}/leads/1042" in text
    realtime = render_alert_email("Dana", "UTC", make_item(7), dashboard_url=DASHBOARD, generated_at=NOW,
                                  reason="New signal on one of your leads")  # fmt: skip
    assert realtime.subject == "leadsignal alert: medium-priority new job signal #7"


def test_admin_summary_counts_failing_checks() -> None:
    figures = {"signals_detected": 1284, "emails_sent": 17, "average_score": 55.456, "top_source": "apify <b>"}
    checks = [("Opt-outs honoured", True, "0 contacts to opted-out leads"),
              ("Retention", False, "3 snapshots older than 180 days"),
              ("Audit log <script>", False, "")]  # fmt: skip
    subject, html, text = render_admin_summary(figures, checks, generated_at=NOW, dashboard_url=DASHBOARD)
    assert subject == "leadsignal admin summary - Tue 24 Nov 2026: 2 compliance checks failing"
    assert "Signals detected: 1,284" in text
    assert "Average score: 55.46" in text
    assert "[FAIL] Retention: 3 snapshots older than 180 days" in text
    assert "[PASS] Opt-outs honoured" in text
    assert html.count(">FAIL<") == 2
    assert html.count(">PASS<") == 1
    assert "Audit log &lt;script&gt;" in html
    assert "apify &lt;b&gt;" in html
    ok = render_admin_summary({}, [("Opt-outs honoured", True, "")], generated_at=NOW)
    assert ok.subject.endswith("all compliance checks pass")
    assert "No figures today." in ok.text


def test_a_long_digest_is_capped_below_gmail_clipping_and_links_the_rest() -> None:
    levels = ("high", "medium", "low")
    items = [make_item(i, priority=levels[i % 3], score=i % 100) for i in range(1, 201)]
    _, html, text = render_digest("Dana", "UTC", items, dashboard_url=DASHBOARD, generated_at=NOW)

    assert len(html.encode()) < 100 * 1024
    opened = [attrs["href"] for tag, attrs in _tags(html) if tag == "a" and "/signals/" in (attrs.get("href") or "")]
    assert len(set(opened)) == 40
    assert "200 new signals: 66 high, 67 medium, 67 low." in text
    assert "High priority (66)" in html
    assert f"26 more high-priority signals: {DASHBOARD}/signals?priority=high" in text
    assert f"67 more low-priority signals: {DASHBOARD}/signals?priority=low" in text
    assert f'href="{DASHBOARD}/signals?priority=medium"' in html
    with pytest.raises(ValueError, match="max_items must be at least 1"):
        render_digest("Dana", "UTC", items, dashboard_url=DASHBOARD, generated_at=NOW, max_items=0)
