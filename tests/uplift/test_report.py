"""The uplift report: conversions inside the window from the ledger, the numbers, CSV/HTML and the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from leadsignal import cli
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import session_scope
from leadsignal.uplift.render import uplift_csv, uplift_html
from leadsignal.uplift.report import LeadResult, build_report, load_results
from tests.uplift.factories import T0, assigned_lead, outcome

DAY = dt.timedelta(days=1)
WINDOW = dt.timedelta(days=30)


def results(signal_type: str, group: str, converted: int, total: int, *, paid: int = 0) -> list[LeadResult]:
    return [
        LeadResult(signal_type=signal_type, group=group, share=0.5, observing=False, enrolled=i < converted,
                   paid=i < paid, days_to_payment=float(i + 1) if i < paid else None,
                   recovered=100.0 if i < paid else 0.0)
        for i in range(total)
    ]  # fmt: skip


def test_only_outcomes_inside_the_window_count(db: Session, cipher: PiiCipher) -> None:
    treated = assigned_lead(db, cipher, group="treatment")
    control = assigned_lead(db, cipher, group="control", signal_type="award")
    later = assigned_lead(db, cipher, group="treatment", at=T0 + 20 * DAY)
    outcome(db, treated, "payment_plan_enrolled", T0 - DAY)  # before the signal: not caused by it
    outcome(db, treated, "payment_plan_enrolled", T0 + 2 * DAY)
    outcome(db, treated, "payment_received", T0 + 4 * DAY, "120.50")
    outcome(db, treated, "payment_received", T0 + 10 * DAY, "79.50")
    outcome(db, treated, "contacted", T0 + DAY)
    outcome(db, control, "payment_received", T0 + 31 * DAY, "300.00")  # after the window: business as usual
    outcome(db, later, "payment_plan_enrolled", T0 + 21 * DAY)
    got = load_results(db, experiment="alerts-v1", window=WINDOW, now=T0 + 40 * DAY)
    by_lead = dict(zip([treated, control, later], got, strict=True))
    t = by_lead[treated]
    assert (t.enrolled, t.paid, t.days_to_payment, t.recovered, t.observing) == (True, True, 4.0, 200.0, False)
    c = by_lead[control]
    assert (c.enrolled, c.paid, c.recovered, c.signal_type, c.group) == (False, False, 0.0, "award", "control")
    assert by_lead[later].observing
    assert by_lead[later].enrolled
    assert load_results(db, experiment="other", window=WINDOW, now=T0) == []
    since = load_results(db, experiment="alerts-v1", window=WINDOW, now=T0 + 40 * DAY, since=(T0 + 10 * DAY).date())
    assert [r.observing for r in since] == [True]


def test_report_numbers_per_type_and_overall() -> None:
    rows = (results("new_job", "treatment", 30, 100, paid=10) + results("new_job", "control", 20, 100, paid=5)
            + results("award", "treatment", 3, 40) + results("award", "control", 0, 40))  # fmt: skip
    report = build_report(rows, experiment="e", window_days=30, generated_at=T0)
    new_job = next(s for s in report.by_signal_type if s.signal_type == "new_job")
    plan = new_job.payment_plan
    assert (plan.treatment_rate, plan.control_rate, plan.absolute_uplift) == (0.3, 0.2, pytest.approx(0.1))
    assert plan.relative_uplift == pytest.approx(0.5)
    assert plan.relative_ci == (pytest.approx(-0.0840, abs=1e-4), pytest.approx(1.4564, abs=1e-4))
    assert plan.p_value == pytest.approx(0.10247, abs=1e-5)
    assert not plan.significant
    # not significant: the report says how many more leads per arm would detect the 20% target
    assert plan.additional_treatment_needed is not None
    assert plan.additional_treatment_needed > 0
    assert plan.mde_relative is not None
    assert plan.mde_relative > 0.5
    assert new_job.treatment.median_days_to_payment == 5.5
    assert new_job.control.median_days_to_payment == 3.0
    assert new_job.treatment.recovered_per_lead == 10.0
    assert new_job.control.recovered_amount == 500.0
    award = next(s for s in report.by_signal_type if s.signal_type == "award")
    assert award.payment_plan.relative_uplift is None  # no control conversions: no ratio
    assert award.payment_plan.absolute_ci is not None
    assert report.overall.treatment.leads == 140
    assert report.overall.control.payment_plan == 20
    assert any("2 signal types" in n for n in report.notes)
    significant = build_report(results("x", "treatment", 60, 200) + results("x", "control", 20, 200),
                               experiment="e", window_days=30, generated_at=T0).overall.payment_plan  # fmt: skip
    assert significant.significant
    assert significant.additional_treatment_needed is None


def test_empty_report_and_renderers() -> None:
    empty = build_report([], experiment="e", window_days=30, generated_at=T0)
    assert empty.overall.treatment.leads == 0
    assert empty.overall.payment_plan.p_value is None
    report = build_report(results("new_job", "treatment", 30, 100) + results("new_job", "control", 20, 100),
                          experiment="e", window_days=30, generated_at=T0)  # fmt: skip
    table = list(csv.DictReader(io.StringIO(uplift_csv(report))))
    assert [r["signal_type"] for r in table] == ["all", "new_job"]
    assert table[0]["payment_plan_relative_ci_low"] == str(report.overall.payment_plan.relative_ci[0])  # type: ignore[index]
    page = uplift_html(report)
    assert page.startswith("<!doctype html>")
    assert "+50.0%" in page
    assert "Read with care" in page
    assert "<script" not in page
    assert "http" not in page
    uplift_csv(empty)
    uplift_html(empty)


def test_report_cli_formats(cli_ctx: AppContext) -> None:
    with session_scope(cli_ctx.sessions) as session:
        lead = assigned_lead(session, cli_ctx.cipher, group="treatment", at=T0)
        outcome(session, lead, "payment_plan_enrolled", T0 + DAY)
        assigned_lead(session, cli_ctx.cipher, group="control", at=T0)
    runner = CliRunner()
    as_json = runner.invoke(cli.app, ["report", "uplift", "--since", T0.date().isoformat()])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.output)
    assert data["overall"]["treatment"]["payment_plan"] == 1
    assert data["overall"]["control"]["leads"] == 1
    as_csv = runner.invoke(cli.app, ["report", "uplift", "--format", "csv"])
    assert as_csv.exit_code == 0
    assert as_csv.output.startswith("signal_type,")
    as_html = runner.invoke(cli.app, ["report", "uplift", "--format", "html"])
    assert as_html.exit_code == 0
    assert "<table>" in as_html.output
    future = runner.invoke(cli.app, ["report", "uplift", "--since", "2999-01-01"])
    assert future.exit_code == 2
    assert "future" in future.output
    precision = runner.invoke(cli.app, ["report", "precision", "--format", "csv"])
    assert precision.exit_code == 0
    assert precision.output.startswith("week,signal_type")
    assert runner.invoke(cli.app, ["report", "precision", "--format", "html"]).exit_code == 2
