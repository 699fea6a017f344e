"""The public, borrower-facing opt-out form: ``/opt-out`` and ``/opt-out/verify``. No sign-in.

Server-rendered HTML, no JavaScript (the CSP forbids inline scripts and the form needs none).
Every POST carries a CSRF token tied to a cookie. Whoever submits gets the same pages and the
same email; the database is searched for the person only after the emailed code is confirmed,
and both POSTs take at least ``MIN_RESPONSE_SECONDS``, so neither the answer nor its timing
tells whether we hold data about someone. Limits: ``PER_IP_PER_HOUR`` requests per address and
``PER_EMAIL_PER_DAY`` per email address (accepted requests count), then a polite 429 page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Annotated, Any, TypeVar

import jinja2
import structlog
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse

from leadsignal.alerts.email.port import IDEMPOTENCY_HEADER, OutgoingEmail, RetryableEmailError
from leadsignal.alerts.email.providers import build_email_sender
from leadsignal.alerts.email.service import send_and_log
from leadsignal.auth.tokens import jwt_secret
from leadsignal.compliance import audit
from leadsignal.compliance.optout_requests import (
    CODE_TTL,
    PER_EMAIL_PER_DAY,
    PER_IP_PER_HOUR,
    NewRequest,
    PersonDetails,
    create_request,
    rate_limited,
    verify_and_apply,
)
from leadsignal.core.context import AppContext
from leadsignal.core.deps import CtxDep
from leadsignal.db import session_scope, utcnow
from leadsignal.leads.fields import FIELD_BY_EXTERNAL
from leadsignal.leads.normalize import FieldError, parse_date, parse_email, parse_name, parse_state
from leadsignal.leads.us_states import STATE_CODES

log = structlog.get_logger(__name__)
router = APIRouter(include_in_schema=False)

CSRF_COOKIE = "leadsignal_optout"
MIN_RESPONSE_SECONDS = 0.6
TOKEN_MAX = 128
T = TypeVar("T")

FormText = Annotated[str, Form(max_length=400)]
OptionalText = Annotated[str, Form(max_length=400)]


@lru_cache(maxsize=1)
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("leadsignal.compliance", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )


def render_email(ctx: AppContext, new: NewRequest) -> tuple[str, str]:
    """(html, text) of the code email: the same words for everyone who asks."""
    values = {"code": new.code, "organisation": ctx.settings.email_from_name, "verify_url": verify_url(ctx, new.token)}
    return _templates().get_template("optout_email.html").render(values), _templates().get_template(
        "optout_email.txt"
    ).render(values)


def verify_url(ctx: AppContext, token: str) -> str:
    return f"{ctx.settings.public_base_url.rstrip('/')}/opt-out/verify?request={token}"


# -- CSRF: a random cookie, and a keyed hash of it in every form ---------------------------------


def _csrf_key(ctx: AppContext) -> bytes:
    return hashlib.sha256(b"optout-csrf\x00" + jwt_secret(ctx.settings).encode()).digest()


def _csrf_for(ctx: AppContext, cookie: str) -> str:
    return hmac.new(_csrf_key(ctx), cookie.encode(), hashlib.sha256).hexdigest()


def _csrf_ok(ctx: AppContext, request: Request, token: str) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    return bool(cookie) and len(cookie) <= TOKEN_MAX and hmac.compare_digest(_csrf_for(ctx, cookie), token)


def _page(
    ctx: AppContext,
    request: Request,
    template: str,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **values: Any,
) -> HTMLResponse:
    """Render a page with a CSRF token for the visitor's cookie, setting the cookie when missing."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    fresh = not cookie or len(cookie) > TOKEN_MAX
    if fresh:
        cookie = secrets.token_urlsafe(32)
    body = (
        _templates()
        .get_template(template)
        .render(organisation=ctx.settings.email_from_name, csrf=_csrf_for(ctx, cookie), **values)
    )
    response = HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store", **(headers or {})})
    if fresh:
        response.set_cookie(
            CSRF_COOKIE, cookie, httponly=True, samesite="lax", path="/opt-out", secure=request.url.scheme == "https"
        )
    return response


def _message(
    ctx: AppContext,
    request: Request,
    heading: str,
    *paragraphs: str,
    status: int = 200,
    again: bool = True,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    return _page(
        ctx,
        request,
        "optout_message.html",
        status=status,
        headers=headers,
        heading=heading,
        paragraphs=paragraphs,
        again=again,
    )


def _at_least(seconds: float, started: float, make: Callable[[], T]) -> T:
    """Build the response, then wait until ``seconds`` have passed since ``started``."""
    result = make()
    remaining = seconds - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)
    return result


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _actor(request: Request) -> audit.Actor:
    return audit.Actor(
        "public:optout", origin=f"ip:{_client_ip(request)}", request_id=getattr(request.state, "request_id", None)
    )


# -- the form ------------------------------------------------------------------------------------

_STATES = sorted(STATE_CODES.items(), key=lambda kv: kv[1])


def _form(
    ctx: AppContext,
    request: Request,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    blank = {"full_name": "", "email": "", "state": "", "dob": "", "linkedin_url": ""}
    return _page(
        ctx,
        request,
        "optout_form.html",
        status=status,
        values={**blank, **(values or {})},
        errors=errors or {},
        states=_STATES,
    )


@router.get("/opt-out", response_class=HTMLResponse)
def optout_form(request: Request, ctx: CtxDep) -> HTMLResponse:
    return _form(ctx, request)


def parse_person(values: dict[str, str]) -> tuple[PersonDetails | None, dict[str, str]]:
    """The form's values as a request, or the message for each field a person must correct."""
    errors: dict[str, str] = {}
    name = email = None
    try:
        name = parse_name(values["full_name"]).display if values["full_name"].strip() else None
        if name is None:
            errors["full_name"] = "Enter your full name."
    except FieldError:
        errors["full_name"] = "Enter your first and last name, using letters only."
    try:
        email = parse_email(values["email"])
        if email is None:
            errors["email"] = "Enter your email address."
    except FieldError:
        errors["email"] = "Enter an email address like name@example.com."
    state = dob = url = None
    try:
        state = parse_state(values["state"])
    except FieldError:
        errors["state"] = "Choose a state from the list."
    try:
        dob = parse_date(values["dob"], "dob")
        if dob is not None and not dt.date(1900, 1, 1) <= dob <= dt.date.today():
            errors["dob"] = "Enter a real date of birth."
    except FieldError:
        errors["dob"] = "Enter your date of birth as a date, e.g. 1990-07-31."
    try:
        url = FIELD_BY_EXTERNAL["linkedin_url"].parse(values["linkedin_url"])
    except FieldError:
        errors["linkedin_url"] = (
            "Enter a LinkedIn profile address starting https://www.linkedin.com/in/, or leave it empty."
        )
    if errors or name is None or email is None:
        return None, errors
    return PersonDetails(full_name=name, email=email, state=state, dob=dob, linkedin_url=url), {}


@router.post("/opt-out", response_class=HTMLResponse)
def submit_optout(
    request: Request,
    ctx: CtxDep,
    csrf: Annotated[str, Form(max_length=TOKEN_MAX)] = "",
    full_name: OptionalText = "",
    email: OptionalText = "",
    state: OptionalText = "",
    dob: OptionalText = "",
    linkedin_url: OptionalText = "",
) -> HTMLResponse:
    started = time.monotonic()
    values = {"full_name": full_name, "email": email, "state": state, "dob": dob, "linkedin_url": linkedin_url}
    if not _csrf_ok(ctx, request, csrf):
        expired = {"full_name": "Your form expired. Please check your details and send it again."}
        return _form(ctx, request, values=values, errors=expired, status=403)
    person, errors = parse_person(values)
    if person is None:
        return _form(ctx, request, values=values, errors=errors, status=422)
    return _at_least(MIN_RESPONSE_SECONDS, started, lambda: _accept(ctx, request, person))


def _accept(ctx: AppContext, request: Request, person: PersonDetails) -> HTMLResponse:
    ip = _client_ip(request)
    with session_scope(ctx.sessions) as session:
        limit = rate_limited(session, ctx.cipher, email=person.email, ip=ip, now=utcnow())
        new = None if limit else create_request(session, ctx.cipher, person, ip=ip)
    if new is None:
        window = "hour" if limit == "ip" else "day"
        allowed = PER_IP_PER_HOUR if limit == "ip" else PER_EMAIL_PER_DAY
        log.info("optout.rate_limited", limit=limit)
        source = "connection" if limit == "ip" else "email address"
        return _message(
            ctx,
            request,
            "Too many requests",
            f"We accept at most {allowed} requests per {window} from one {source}, "
            "to protect people from abuse of this form.",
            "If you already asked, please use the code in the email we sent. Otherwise try again later.",
            status=429,
            headers={"Retry-After": "3600" if limit == "ip" else "86400"},
        )
    _send_code(ctx, request, person, new)
    return _page(ctx, request, "optout_verify.html", sent=True, token=new.token, error=None)


def _send_code(ctx: AppContext, request: Request, person: PersonDetails, new: NewRequest) -> None:
    html, text = render_email(ctx, new)
    message = OutgoingEmail(
        to=person.email,
        subject="Your verification code",
        html=html,
        text=text,
        tags=("optout",),
        headers={IDEMPOTENCY_HEADER: f"optout:{new.request_id}"},
        template="optout_code",
        metadata={"optout_request_id": new.request_id},
    )
    try:
        with session_scope(ctx.sessions) as session:
            send_and_log(session, build_email_sender(ctx.settings, session), message, actor=_actor(request))
    except RetryableEmailError:  # the page is the same either way; the person may ask for a new code
        log.warning("optout.code_email_deferred", optout_request_id=new.request_id)
    except Exception:
        log.exception("optout.code_email_failed", optout_request_id=new.request_id)


# -- verification --------------------------------------------------------------------------------


@router.get("/opt-out/verify", response_class=HTMLResponse)
def verify_form(
    request: Request, ctx: CtxDep, token: Annotated[str, Query(alias="request", max_length=TOKEN_MAX)] = ""
) -> HTMLResponse:
    if not token:
        return _message(
            ctx,
            request,
            "Start with the form",
            "Please fill in the opt-out form first: we will email you a code.",
            status=400,
        )
    return _page(ctx, request, "optout_verify.html", sent=False, token=token, error=None)


@router.post("/opt-out/verify", response_class=HTMLResponse)
def submit_code(
    request: Request,
    ctx: CtxDep,
    csrf: Annotated[str, Form(max_length=TOKEN_MAX)] = "",
    token: Annotated[str, Form(alias="request", max_length=TOKEN_MAX)] = "",
    code: Annotated[str, Form(max_length=20)] = "",
) -> HTMLResponse:
    started = time.monotonic()
    if not _csrf_ok(ctx, request, csrf):
        return _page(
            ctx,
            request,
            "optout_verify.html",
            status=403,
            sent=False,
            token=token,
            error="Your form expired. Please enter the code again.",
        )
    digits = code.strip()
    if not (len(digits) == 6 and digits.isdigit()):
        return _page(
            ctx,
            request,
            "optout_verify.html",
            status=422,
            sent=False,
            token=token,
            error="Enter the 6 digits from the email.",
        )
    return _at_least(MIN_RESPONSE_SECONDS, started, lambda: _verify(ctx, request, token, digits))


def _verify(ctx: AppContext, request: Request, token: str, code: str) -> HTMLResponse:
    with session_scope(ctx.sessions) as session:
        outcome, left = verify_and_apply(session, ctx.cipher, token, code, actor=_actor(request))
    if outcome in ("confirmed", "already_confirmed"):
        return _message(
            ctx,
            request,
            "Request confirmed",
            "Thank you. If we hold data about you, we have stopped collecting it as of now and deleted "
            "the profile data and posts we collected. We keep only a short record that you opted out, "
            "so that we never collect your data again.",
            "You do not need to do anything else.",
            again=False,
        )
    if outcome == "wrong_code":
        plural = "attempt" if left == 1 else "attempts"
        return _page(
            ctx,
            request,
            "optout_verify.html",
            status=422,
            sent=False,
            token=token,
            error=f"That code is not right. You have {left} {plural} left.",
        )
    minutes = int(CODE_TTL.total_seconds() // 60)
    reason = {
        "expired": f"This code has expired (codes last {minutes} minutes).",
        "locked": "This code was entered wrongly too many times.",
        "unknown": "We could not find this request. The link may be incomplete.",
    }[outcome]
    return _message(
        ctx,
        request,
        "Please ask for a new code",
        reason,
        "Fill in the form again and we will email you a new code.",
        status=400,
    )
