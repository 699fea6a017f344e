"""CSV export: the overview's rows, spreadsheet-safe, audited."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy import select

from leadsignal.analytics.routes import csv_cell
from leadsignal.auth.models import Team
from leadsignal.compliance.models import AuditEntry
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope
from tests.analytics.fixtures import OCT, Month

URL = "/api/v1/analytics/export.csv"


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_export_is_a_csv_attachment_and_audited(client: TestClient, month: Month, app_ctx: AppContext) -> None:
    response = client.get(f"{URL}?dataset=outcomes&{OCT}", headers=month.scene.headers["admin"])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == (
        'attachment; filename="analytics-outcomes-2026-10-01-2026-10-31.csv"'
    )
    assert rows(response.text) == [
        ["outcome", "count", "amount"],
        ["contacted", "2", ""],
        ["right_party_contact", "1", ""],
        ["payment_plan_enrolled", "1", "100.00"],
        ["payment_received", "1", "50.25"],
        ["refused", "1", ""],
    ]
    with session_scope(app_ctx.sessions) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "analytics.exported")).one()
        assert entry.actor == f"user:{month.scene.users['admin'].id}"
        assert entry.entity_id == "outcomes"
        assert entry.details["rows"] == 5
        assert entry.details["since"] == "2026-10-01"


def test_every_dataset_exports_its_columns(client: TestClient, month: Month) -> None:
    headers = month.scene.headers["manager"]
    signals = rows(client.get(f"{URL}?{OCT}", headers=headers).text)  # signals is the default dataset
    assert signals[0] == ["bucket", "signal_type", "count"]
    assert signals[1] == ["2026-10-05", "new_job", "1"]
    conversion = rows(client.get(f"{URL}?dataset=conversion&{OCT}", headers=headers).text)
    assert conversion[1] == ["new_job", "3", "2", "1", "1", "1", "0.5", "0.5"]
    times = rows(client.get(f"{URL}?dataset=response_times&{OCT}", headers=headers).text)
    assert times[0][:4] == ["team_id", "team_name", "user_id", "user_email"]
    assert len(times) == 3


def test_cells_that_would_run_as_formulas_are_neutralised(
    client: TestClient, month: Month, app_ctx: AppContext
) -> None:
    with session_scope(app_ctx.sessions) as session:
        team = session.get(Team, month.scene.team_a.id)
        assert team is not None
        team.name = '=HYPERLINK("http://evil.example","x")'
    text = client.get(f"{URL}?dataset=response_times&{OCT}", headers=month.scene.headers["admin"]).text
    names = {row[1] for row in rows(text)[1:]}
    assert '\'=HYPERLINK("http://evil.example","x")' in names
    assert csv_cell("-x") == "'-x"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("+1") == "'+1"
    assert csv_cell("-12.50") == "-12.50"
    assert csv_cell(3) == "3"
    assert csv_cell(None) == ""
    assert csv_cell("ok") == "ok"


def test_bad_export_parameters_are_422(client: TestClient, month: Month) -> None:
    headers = month.scene.headers["admin"]
    assert client.get(f"{URL}?dataset=leads", headers=headers).status_code == 422
    assert client.get(f"{URL}?since=2026-10-02&until=2026-10-01", headers=headers).status_code == 422
    assert client.get(f"{URL}?{OCT}", headers=month.scene.headers["client"]).status_code == 403
