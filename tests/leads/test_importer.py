"""Import behaviour on clean, messy and hostile files; nothing stored is ever lost or half-written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from leadsignal.compliance.audit import Actor
from leadsignal.compliance.models import AuditEntry
from leadsignal.core.context import AppContext
from leadsignal.leads.fields import EXTERNAL_NAMES
from leadsignal.leads.importer import ImportRefused, ImportReport, import_leads
from leadsignal.leads.models import Lead
from tests.factories import lead_row, write_csv

ACTOR = Actor("test:importer")


def run_import(ctx: AppContext, path: Path, **kwargs: Any) -> ImportReport:
    return import_leads(ctx.sessions, ctx.cipher, path, actor=ACTOR, **kwargs)


def snapshot(sessions: sessionmaker[Session]) -> list[tuple[object, ...]]:
    with sessions() as s:
        rows = s.execute(select(Lead).order_by(Lead.id)).scalars().all()
        return [(r.id, r.debtor_name, r.email, r.total_due, r.tax_id_hash, r.version) for r in rows]


def test_clean_import_then_same_file_is_unchanged(app_ctx: AppContext, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [lead_row(), lead_row(debtor_name="SMITH, JOHN")])
    first = run_import(app_ctx, path)
    assert (first.imported, first.updated, first.unchanged, first.rejected) == (2, 0, 0, [])
    before = snapshot(app_ctx.sessions)
    again = run_import(app_ctx, path)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 2)
    assert snapshot(app_ctx.sessions) == before


def test_values_are_normalised(app_ctx: AppContext, tmp_path: Path) -> None:
    row = lead_row(debtor_name="DOE, JANE A", email="Jane.Doe@Example.COM", state="ohio", zip="4300",
                   total_due="$1,234.56", referral_date="3/7/2024")  # fmt: skip
    run_import(app_ctx, write_csv(tmp_path / "a.csv", [row]))
    with app_ctx.sessions() as s:
        lead = s.scalars(select(Lead)).one()
    assert (lead.first_name, lead.middle_name, lead.last_name) == ("Jane", "A", "Doe")
    assert lead.email == "jane.doe@example.com"
    assert lead.state == "OH"
    assert lead.zip == "04300"
    assert lead.phone_1 == "+16145550123"
    assert str(lead.total_due) == "1234.56"
    assert lead.referral_date.isoformat() == "2024-03-07"


def test_later_file_updates_and_records_changed_fields(app_ctx: AppContext, tmp_path: Path) -> None:
    row = lead_row()
    run_import(app_ctx, write_csv(tmp_path / "a.csv", [row]))
    changed = dict(row, email="new@example.com", total_due="$10.00", tax_id="123-45-0001")
    report = run_import(app_ctx, write_csv(tmp_path / "b.csv", [changed]))
    assert (report.imported, report.updated, report.unchanged) == (0, 1, 0)
    with app_ctx.sessions() as s:
        lead = s.scalars(select(Lead)).one()
        assert lead.email == "new@example.com"
        assert lead.version == 2
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "lead.updated")).one()
        assert entry.fields == ["email", "tax_id", "total_due"]
        assert entry.entity_id == str(lead.id)
        assert "new@example.com" not in json.dumps(entry.details)


def test_update_falls_back_to_loan_number(app_ctx: AppContext, tmp_path: Path) -> None:
    row = lead_row(agency_id_number="")
    run_import(app_ctx, write_csv(tmp_path / "a.csv", [row]))
    report = run_import(app_ctx, write_csv(tmp_path / "b.csv", [dict(row, city="Dayton")]))
    assert (report.imported, report.updated) == (0, 1)


def test_bad_rows_are_reported_and_good_rows_kept(app_ctx: AppContext, tmp_path: Path) -> None:
    rows = [
        lead_row(),
        lead_row(referral_date="2/30/2024"),
        lead_row(total_due="-5"),
        lead_row(referral_amount="lots"),
        lead_row(state="ZZ"),
        lead_row(dob="1/1/2090", email="nope"),
        lead_row(),
    ]
    report = run_import(app_ctx, write_csv(tmp_path / "a.csv", rows))
    assert report.imported == 2
    assert [(r.line, r.errors) for r in report.rejected] == [
        (3, ["referral_date: '2/30/2024' is not a real date"]),
        (4, ["total_due: '-5' is negative"]),
        (5, ["referral_amount: 'lots' is not an amount of money"]),
        (6, ["state: 'ZZ' is not a US state or territory"]),
        (7, ["dob: is in the future", "email: 'nope' is not a valid address (An email address must have an @-sign.)"]),
    ]


def test_bad_row_for_existing_lead_leaves_it_untouched(app_ctx: AppContext, tmp_path: Path) -> None:
    row = lead_row()
    run_import(app_ctx, write_csv(tmp_path / "a.csv", [row]))
    before = snapshot(app_ctx.sessions)
    report = run_import(app_ctx, write_csv(tmp_path / "b.csv", [dict(row, email="changed@example.com", zip="x")]))
    assert report.rejected[0].errors == ["zip: 'x' is not a 5 or 9 digit ZIP code"]
    assert snapshot(app_ctx.sessions) == before


def test_duplicates_inside_one_file(app_ctx: AppContext, tmp_path: Path) -> None:
    row = lead_row()
    rows = [row, dict(row), dict(row, city="Elsewhere")]
    report = run_import(app_ctx, write_csv(tmp_path / "a.csv", rows))
    assert (report.imported, report.unchanged) == (1, 1)
    assert report.rejected[0].line == 4
    assert "same lead as line 2" in report.rejected[0].errors[0]


def test_bom_crlf_quoted_commas_and_extra_columns(app_ctx: AppContext, tmp_path: Path) -> None:
    header = [*EXTERNAL_NAMES, "internal_notes"]
    row = lead_row(address="12 Main St, Apt 4", debtor_name="Doe, Jane")
    row["internal_notes"] = "called, no answer"
    path = write_csv(tmp_path / "a.csv", [row], header=header, encoding="utf-8-sig", newline="\r\n")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    report = run_import(app_ctx, path)
    assert (report.imported, report.rejected, report.ignored_columns) == (1, [], ["internal_notes"])
    with app_ctx.sessions() as s:
        assert s.scalars(select(Lead.address)).one() == "12 Main St, Apt 4"


def test_row_longer_or_shorter_than_header(app_ctx: AppContext, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("debtor_name,agency_id_number,loan_number\nJane Doe,A1,L1,surplus\nJohn Roe,A2\nAmy Poe,A3,L3\n")
    report = run_import(app_ctx, path)
    assert report.imported == 1
    assert [(r.line, r.errors) for r in report.rejected] == [
        (2, ["row: has 4 fields but the header has 3"]),
        (3, ["row: has 2 fields but the header has 3"]),
    ]


def test_multiline_quoted_field_keeps_line_numbers(app_ctx: AppContext, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "debtor_name,agency_id_number,loan_number,address\n"
        'Jane Doe,A1,L1,"12 Main\nSt"\nJohn Roe,A2,L2,"x"\nAmy,A3,L3,y\n'
    )
    report = run_import(app_ctx, path)
    assert report.imported == 2
    assert report.rejected[0].line == 5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"name,id\nJane,1\n", "lacks required column(s): debtor_name, agency_id_number, loan_number"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "not a CSV file"),
        ("debtor_name,agency_id_number,loan_number\nJos\xe9 Pe\xf1a,A1,L1\n".encode("latin-1"), "is not valid utf-8"),
        (b"debtor_name,agency_id_number,loan_number,loan_number\n", "repeats column(s): loan_number"),
    ],
)
def test_whole_file_refusals(app_ctx: AppContext, tmp_path: Path, content: bytes, message: str) -> None:
    write_csv(tmp_path / "good.csv", [lead_row()])
    run_import(app_ctx, tmp_path / "good.csv")
    before = snapshot(app_ctx.sessions)
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ImportRefused) as info:
        run_import(app_ctx, path)
    assert message in str(info.value)
    assert snapshot(app_ctx.sessions) == before


def test_windows_1252_file_imports_with_encoding_option(app_ctx: AppContext, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("debtor_name,agency_id_number,loan_number\nJos\xe9 Pe\xf1a,A1,L1\n".encode("cp1252"))
    report = run_import(app_ctx, path, encoding="cp1252")
    assert report.imported == 1
    with app_ctx.sessions() as s:
        assert s.scalars(select(Lead.debtor_name)).one() == "José Peña"


def test_cli_exit_codes_and_report_file(app_ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from leadsignal import cli
    from leadsignal.core import cli_support

    monkeypatch.setattr(cli_support, "app_context", lambda: app_ctx)
    monkeypatch.setattr("leadsignal.leads.cli.app_context", lambda: app_ctx)
    runner = CliRunner()
    good = write_csv(tmp_path / "a.csv", [lead_row(), lead_row(state="ZZ")])
    report_path = tmp_path / "report.json"
    result = runner.invoke(cli.app, ["leads", "import", str(good), "--report", str(report_path)])
    assert result.exit_code == 0, result.output
    assert "imported 1, updated 0, unchanged 0, rejected 1" in result.output
    report = json.loads(report_path.read_text())
    assert report["imported"] == 1
    assert report["rejected"] == [{"line": 3, "errors": ["state: 'ZZ' is not a US state or territory"]}]
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    refused = runner.invoke(cli.app, ["leads", "import", str(empty)])
    assert refused.exit_code == 2
    assert "is empty" in refused.output
    with app_ctx.sessions() as s:
        assert s.scalar(select(func.count(Lead.id))) == 1


def test_large_file_is_validated_in_worker_processes_with_the_same_result(app_ctx: AppContext, tmp_path: Path) -> None:
    from leadsignal.demo.leadbook import write_sample_csv

    path = write_sample_csv(tmp_path / "book.csv", 4500, seed=5)
    bad = path.read_text().splitlines()
    bad[4321] = bad[4321].replace("SYN-", "SYN X-", 1)  # a rejected row deep inside a worker's batch
    path.write_text("\n".join(bad) + "\n")
    report = run_import(app_ctx, path, workers=2)
    assert report.imported == 4499
    assert [(r.line, r.errors) for r in report.rejected] == [(4322, ["agency_id_number: must not contain spaces"])]
    again = run_import(app_ctx, path, workers=1)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 4499)
