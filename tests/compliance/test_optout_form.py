"""The public opt-out form over HTTP: CSRF, email code, verification, rate limits, no disclosure."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from leadsignal.alerts.email.models import EmailLog, OutboxMessage
from leadsignal.app import create_app
from leadsignal.compliance import public_form
from leadsignal.compliance.models import AuditEntry
from leadsignal.compliance.optout_requests import MAX_ATTEMPTS, OptOutRequest
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope
from leadsignal.leads.models import Lead
from leadsignal.signals.models import Signal
from tests.auth.factories import make_signal
from tests.auth.fixtures import app_ctx
from tests.factories import make_lead

__all__ = ["app_ctx"]
PERSON = {"full_name": "Jane Doe", "email": "Jane.Doe@Example.com", "state": "", "dob": "", "linkedin_url": ""}


@pytest.fixture
def web(app_ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setattr(public_form, "MIN_RESPONSE_SECONDS", 0.0)
    with TestClient(create_app(app_ctx)) as client:
        yield client


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]{64})"', html)
    assert found, html[:500]
    return found.group(1)


def submit(web: TestClient, **overrides: str) -> tuple[int, str]:
    token = csrf(web.get("/opt-out").text)
    response = web.post("/opt-out", data={**PERSON, **overrides, "csrf": token})
    return response.status_code, response.text


def last_email(ctx: AppContext) -> OutboxMessage:
    with ctx.sessions() as session:
        row = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert row is not None
    return row


def code_and_token(message: OutboxMessage) -> tuple[str, str]:
    code = re.search(r"code is (\d{6})", message.text)
    token = re.search(r"/opt-out/verify\?request=([\w-]+)", message.text)
    assert code
    assert token
    return code.group(1), token.group(1)


def verify(web: TestClient, token: str, code: str) -> tuple[int, str]:
    page = web.get(f"/opt-out/verify?request={token}")
    response = web.post("/opt-out/verify", data={"request": token, "code": code, "csrf": csrf(page.text)})
    return response.status_code, response.text


def _lead(ctx: AppContext, **overrides: object) -> tuple[int, int]:
    with session_scope(ctx.sessions) as session:
        lead = make_lead(session, ctx.cipher, debtor_name="Jane A Doe", email="jane.doe@example.com", **overrides)
        return lead.id, make_signal(session, lead.id).id


def test_the_form_is_accessible_html_without_scripts(web: TestClient) -> None:
    page = web.get("/opt-out")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<script" not in page.text
    assert 'name="viewport"' in page.text
    for field in ("full_name", "email", "state", "dob", "linkedin_url"):
        assert f'<label for="{field}"' in page.text
    cookie = page.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()
    policy = dict(d.strip().split(" ", 1) for d in page.headers["content-security-policy"].split(";") if d.strip())
    assert "'unsafe-inline'" not in policy.get("script-src", policy["default-src"])  # no inline script may run


def test_a_known_borrower_opts_out_with_the_emailed_code(web: TestClient, app_ctx: AppContext) -> None:
    lead_id, signal_id = _lead(app_ctx)
    status, html = submit(web, full_name="jane doe")
    assert status == 200
    assert "Enter your code" in html
    message = last_email(app_ctx)
    assert message.recipient == "jane.doe@example.com"
    assert message.subject == "Your verification code"
    code, token = code_and_token(message)
    with app_ctx.sessions() as session:
        row = session.scalars(select(OptOutRequest)).one()
        assert code not in (row.code_hash, row.email_hash)
        assert token not in row.token_hash
        assert "jane" not in (row.email_enc + row.name_enc).lower()
    status, html = verify(web, token, code)
    assert status == 200
    assert "Request confirmed" in html
    with app_ctx.sessions() as session:
        lead = session.get(Lead, lead_id)
        signal = session.get(Signal, signal_id)
        assert lead is not None
        assert signal is not None
        assert (lead.do_not_scrape, lead.do_not_scrape_source) == (True, "borrower")
        assert signal.alert_status == "blocked"
        assert session.scalars(select(OptOutRequest.matched_lead_ids)).one() == [lead_id]
        actor = session.scalars(select(AuditEntry.actor).where(AuditEntry.action == "lead.opt_out.applied")).one()
        assert actor == "public:optout"


def test_an_unknown_person_gets_the_same_pages_and_the_same_email(web: TestClient, app_ctx: AppContext) -> None:
    _lead(app_ctx)
    pages, emails = [], []
    for email in ("jane.doe@example.com", "nobody.here@example.org"):
        status, html = submit(web, email=email)
        message = last_email(app_ctx)
        code, token = code_and_token(message)
        pages.append((status, _normalise(html, token)))
        emails.append((message.subject, _normalise(message.text, token, code), _normalise(message.html, token, code)))
        status, html = verify(web, token, code)
        pages.append((status, _normalise(html, token)))
    assert pages[0] == pages[2]
    assert pages[1] == pages[3]
    assert emails[0] == emails[1]
    with app_ctx.sessions() as session:
        assert sorted(len(ids) for ids in session.scalars(select(OptOutRequest.matched_lead_ids))) == [0, 1]


def _normalise(text: str, token: str, code: str = "") -> str:
    text = re.sub(r'name="csrf" value="[0-9a-f]{64}"', "", text).replace(token, "TOKEN")
    return text.replace(code, "CODE") if code else text


def test_name_must_match_as_well_as_the_email(web: TestClient, app_ctx: AppContext) -> None:
    lead_id, _ = _lead(app_ctx)
    submit(web, full_name="Robert Smith")
    code, token = code_and_token(last_email(app_ctx))
    assert verify(web, token, code)[0] == 200
    with app_ctx.sessions() as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        assert not lead.do_not_scrape


def test_wrong_codes_lock_the_request_and_expired_codes_fail(web: TestClient, app_ctx: AppContext) -> None:
    lead_id, _ = _lead(app_ctx)
    submit(web)
    code, token = code_and_token(last_email(app_ctx))
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    status, html = verify(web, token, wrong)
    assert status == 422
    assert f"You have {MAX_ATTEMPTS - 1} attempts left" in html
    for _ in range(MAX_ATTEMPTS - 1):
        status, html = verify(web, token, wrong)
    assert status == 400
    assert "too many times" in html
    assert "too many times" in verify(web, token, code)[1]  # the right code no longer helps
    submit(web)
    code, token = code_and_token(last_email(app_ctx))
    with session_scope(app_ctx.sessions) as session:
        for row in session.scalars(select(OptOutRequest).where(OptOutRequest.status == "pending")):
            row.expires_at = row.created_at - dt.timedelta(seconds=1)
    status, html = verify(web, token, code)
    assert (status, "has expired" in html) == (400, True)
    with app_ctx.sessions() as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        assert not lead.do_not_scrape


def test_forms_without_the_cookie_token_are_refused(web: TestClient, app_ctx: AppContext) -> None:
    response = web.post("/opt-out", data={**PERSON, "csrf": "0" * 64})
    assert response.status_code == 403
    assert "Your form expired" in response.text
    with app_ctx.sessions() as session:
        assert session.scalars(select(OptOutRequest)).first() is None


def test_invalid_input_is_explained_per_field(web: TestClient) -> None:
    status, html = submit(web, full_name="Madonna", email="not-an-email", dob="31/31/1990",
                          linkedin_url="https://example.com/me")  # fmt: skip
    assert status == 422
    assert "Enter your first and last name" in html
    assert "Enter an email address like name@example.com" in html
    assert "date of birth" in html
    assert "LinkedIn profile address" in html
    assert 'aria-invalid="true"' in html


def test_rate_limits_per_email_and_per_address_answer_429(web: TestClient, app_ctx: AppContext) -> None:
    for _ in range(3):
        assert submit(web)[0] == 200
    status, html = submit(web)
    assert status == 429
    assert "at most 3 requests per day from one email address" in html
    assert submit(web, email="other1@example.org")[0] == 200
    assert submit(web, email="other2@example.org")[0] == 200
    status, html = submit(web, email="other3@example.org")
    assert status == 429
    assert "at most 5 requests per hour from one connection" in html
    with app_ctx.sessions() as session:
        assert len(session.scalars(select(EmailLog)).all()) == 5


def test_both_posts_take_the_same_minimum_time(app_ctx: AppContext) -> None:
    _lead(app_ctx)
    with TestClient(create_app(app_ctx)) as web:
        started = time.monotonic()
        submit(web, email="someone@example.org")
        assert time.monotonic() - started >= public_form.MIN_RESPONSE_SECONDS
        code, token = code_and_token(last_email(app_ctx))
        started = time.monotonic()
        verify(web, token, code)
        assert time.monotonic() - started >= public_form.MIN_RESPONSE_SECONDS
