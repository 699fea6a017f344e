"""Reconciliation through the generic REST adapter against the fake CRM's lead API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from leadsignal.compliance.audit import Actor
from leadsignal.core.context import AppContext
from leadsignal.crm.adapters import CrmNotConfigured, adapter_from_settings
from leadsignal.crm.ports import CrmPermanentError, CrmRetryableError
from leadsignal.crm.reconcile import Drift, reconcile
from leadsignal.crm.sync import contact_flags
from leadsignal.db import session_scope, utcnow
from leadsignal.events.models import OutboxEvent
from leadsignal.integrations.crm_rest.adapter import RestCrmAdapter, get_path
from tests.crm import factories as f
from tests.crm.fake_crm import FakeCrm
from tests.fakes.base import Reply

OPERATOR = Actor("cli:test")
FIELD_MAP = {"email": "contact.email", "phone_1": "contact.phones.0", "do_not_contact": "flags.dnc",
             "companyDomain": "employer.domain", "crm_version": "meta.version", "agency_id_number": "ref"}  # fmt: skip


def _crm_lead(agency_id: str, **overrides: Any) -> dict[str, Any]:
    """The CRM's JSON for a lead; ``contact__email="x"`` sets ``lead["contact"]["email"]``."""
    lead: dict[str, Any] = {"ref": agency_id, "meta": {"version": 4}, "contact": {"email": None, "phones": [None]},
                            "flags": {"dnc": False}, "employer": {"domain": None}}  # fmt: skip
    for path, value in overrides.items():
        node: dict[str, Any] = lead
        *parents, last = path.split("__")
        for part in parents:
            node = node[part]
        node[last] = value
    return lead


def _adapter(ctx: AppContext, fake: FakeCrm) -> RestCrmAdapter:
    settings = ctx.settings.model_copy(update={"crm_base_url": fake.url, "crm_field_map": FIELD_MAP})
    adapter = adapter_from_settings(settings)
    assert isinstance(adapter, RestCrmAdapter)
    return adapter


def test_no_base_url_means_not_configured(crm_ctx: AppContext) -> None:
    with pytest.raises(CrmNotConfigured):
        adapter_from_settings(crm_ctx.settings)


def test_drift_is_reported_per_field_with_its_owner(crm_ctx: AppContext, fake_crm: FakeCrm) -> None:
    _, same = f.lead(crm_ctx, phone_1="+16145550100")
    _, drifted = f.lead(crm_ctx, company_domain="mercy.com")
    _, absent = f.lead(crm_ctx)
    fake_crm.leads[same] = _crm_lead(same, contact__phones=["614-555-0100"])
    fake_crm.leads[drifted] = _crm_lead(drifted, contact__email="Agent.Set@Example.com", flags__dnc=True,
                                        employer__domain="old-employer.com")  # fmt: skip
    report = reconcile(crm_ctx, _adapter(crm_ctx, fake_crm), actor=OPERATOR)
    assert report.checked == 3
    assert report.missing_in_crm == [absent]
    assert report.drifts == [
        Drift(drifted, "companyDomain", "leadsignal"),
        Drift(drifted, "do_not_contact", "crm"),
        Drift(drifted, "email", "crm"),
    ]
    assert report.by_owner() == {"crm": 2, "leadsignal": 1}
    assert (report.pulled, report.republished, report.errors) == (0, 0, [])


def test_repair_pulls_crm_fields_and_republishes_ours(crm_ctx: AppContext, fake_crm: FakeCrm) -> None:
    lead_id, agency_id = f.lead(crm_ctx, company_domain="mercy.com")
    fake_crm.leads[agency_id] = _crm_lead(agency_id, contact__email="Agent.Set@Example.com", flags__dnc=True,
                                          employer__domain="old-employer.com")  # fmt: skip
    report = reconcile(crm_ctx, _adapter(crm_ctx, fake_crm), actor=OPERATOR, repair=True)
    assert all(d.repaired for d in report.drifts)
    assert (report.pulled, report.republished) == (1, 1)
    with session_scope(crm_ctx.sessions) as session:
        lead = f.stored_lead(session, lead_id)
        assert lead.email == "agent.set@example.com"
        assert lead.company_domain == "mercy.com"  # ours: kept, and sent again
        flags = contact_flags(session, lead_id)
        assert (flags.do_not_contact, flags.crm_version) == (True, 4)
        [event] = session.scalars(select(OutboxEvent).where(OutboxEvent.event_type == "lead.enriched.v1")).all()
        assert event.payload["companyDomain"] == "mercy.com"
    again = reconcile(crm_ctx, _adapter(crm_ctx, fake_crm), actor=OPERATOR)
    assert [d.field for d in again.drifts] == ["companyDomain"]  # until the CRM applies our event


def test_since_uses_both_sides_changes_with_pagination(crm_ctx: AppContext, fake_crm: FakeCrm) -> None:
    ids = [f.lead(crm_ctx)[1] for _ in range(3)]
    for agency_id in ids:
        fake_crm.leads[agency_id] = _crm_lead(agency_id)
    fake_crm.changed = [*ids, "CRM-ONLY"]
    fake_crm.leads["CRM-ONLY"] = _crm_lead("CRM-ONLY")
    report = reconcile(crm_ctx, _adapter(crm_ctx, fake_crm), actor=OPERATOR, since=utcnow() + dt.timedelta(days=1))
    assert report.checked == 3
    assert report.errors == ["CRM-ONLY: changed in the CRM but unknown here"]
    pages = fake_crm.requests_to("/leads", "GET")
    assert [r.query.get("cursor") for r in pages if r.path == "/leads"] == [None, "2"]


def test_adapter_maps_failures_to_retryable_or_not(fake_crm: FakeCrm) -> None:
    adapter = RestCrmAdapter(fake_crm.url, token="tok-123", field_map=FIELD_MAP, timeout=0.5)
    assert adapter.fetch_lead("UNKNOWN") is None
    fake_crm.script("/leads/", Reply(503, "busy"), Reply(401, {"error": "bad token"}), Reply(200, "not json"),
                    Reply(200, {"ref": "X", "meta": {"version": "seven"}}), Reply(200, {}, delay=1.0))  # fmt: skip
    with pytest.raises(CrmRetryableError, match="503"):
        adapter.fetch_lead("X")
    with pytest.raises(CrmPermanentError, match="401"):
        adapter.fetch_lead("X")
    with pytest.raises(CrmPermanentError, match="invalid JSON"):
        adapter.fetch_lead("X")
    with pytest.raises(CrmPermanentError, match="not an integer"):
        adapter.fetch_lead("X")
    with pytest.raises(CrmRetryableError, match="timed out"):
        adapter.fetch_lead("X")
    assert fake_crm.requests_to("/leads/")[0].headers["authorization"] == "Bearer tok-123"
    adapter.push_signal({"signal_id": 9, "type": "new_job"})
    assert fake_crm.signals == [{"signal_id": 9, "type": "new_job"}]
    assert fake_crm.requests_to("/signals")[0].headers["idempotency-key"] == "9"
    adapter.close()


def test_adapter_refuses_unreachable_and_bad_config() -> None:
    with pytest.raises(ValueError, match="http"):
        RestCrmAdapter("ftp://crm.example")
    transport = httpx.MockTransport(lambda request: (_ for _ in ()).throw(httpx.ConnectError("refused")))
    adapter = RestCrmAdapter("http://127.0.0.1:9", transport=transport)
    with pytest.raises(CrmRetryableError, match="unreachable"):
        adapter.fetch_lead("X")


def test_get_path() -> None:
    doc = {"a": {"b": [{"c": 1}]}}
    assert get_path(doc, "a.b.0.c") == 1
    assert get_path(doc, "a.x") is get_path(doc, "a.b.5")
