from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leadsignal import cli
from leadsignal.core.context import AppContext
from leadsignal.matching.scoring import MatchResult
from leadsignal.matching.service import record_match
from tests.factories import make_lead
from tests.matching.evaluate import DATA
from tests.matching.factories import profile

CANDIDATE = {
    "id": "ACoAACLevxsBfWQoDUYkHyCP2jzl81cDAvckQEI",
    "publicIdentifier": "towhid-rahman",
    "linkedinUrl": "https://www.linkedin.com/in/towhid-rahman",
    "firstName": "Towhid",
    "lastName": "Rahman, PharmD",
    "location": {"linkedinText": "Los Angeles, California, United States", "countryCode": "US",
                 "parsed": {"text": "Los Angeles, CA, United States", "countryCode": "US", "regionCode": None,
                            "country": "United States", "countryFull": "United States of America",
                            "state": "California", "city": "Los Angeles"}},
    "currentPosition": [{"companyName": "CVS Health"}],
    "experience": [{"position": "Staff Pharmacist", "companyName": "CVS Health",
                    "companyLinkedinUrl": "https://www.linkedin.com/company/cvshealth/",
                    "startDate": {"month": "Jan", "year": 2024, "text": "Jan 2024"}, "endDate": {"text": "Present"}}],
    "education": [{"schoolName": "Western University of Health Sciences", "degree": "Doctor of Pharmacy",
                   "startDate": {"month": "Aug", "year": 2018, "text": "Aug 2018"},
                   "endDate": {"month": "May", "year": 2022, "text": "May 2022"}}],
}  # fmt: skip
LEAD = {"debtor_name": "RAHMAN, TOWHID", "city": "Los Angeles", "state": "CA", "dob": "3/7/1998",
        "companyDomain": "cvshealth.com"}  # fmt: skip


def _lines() -> str:
    in_texas = {**CANDIDATE, "location": {"linkedinText": "Austin, Texas, United States"}}
    rows = [
        json.dumps({"id": "a", "lead": LEAD, "candidate": CANDIDATE}),
        "{not json",
        "",
        json.dumps({"id": 7, "lead": {**LEAD, "state": "Narnia"}, "candidate": CANDIDATE}),
        json.dumps({"id": "c", "lead": LEAD, "candidate": {"firstName": "No", "lastName": "Url"}}),
        json.dumps({"id": "d", "lead": LEAD}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "e", "lead": LEAD, "candidate": in_texas}),
    ]
    return "\n".join(rows) + "\n"


def _check(outputs: list[dict[str, object]]) -> None:
    assert [o.get("id") for o in outputs] == ["a", None, 7, "c", "d", None, "e"]
    first = outputs[0]
    assert first["decision"] == "confirmed"
    assert 0.95 <= float(first["score"]) <= 1  # type: ignore[arg-type]
    assert set(first) == {"id", "decision", "score", "reasons"}
    assert outputs[1] == {
        "error": "line 2: not valid JSON (Expecting property name enclosed in double quotes at column 2)"
    }
    assert outputs[2] == {"id": 7, "error": "line 4: lead: state: 'Narnia' is not a US state or territory"}
    assert "candidate: profile item has no usable LinkedIn profile URL" in str(outputs[3]["error"])
    assert outputs[4]["error"] == "line 6: candidate: missing or not an object"
    assert "expected a JSON object" in str(outputs[5]["error"])
    assert outputs[6]["decision"] == "review"  # the known employer agrees, but another state is never confirmed
    assert any(str(r).startswith("location: another state") for r in outputs[6]["reasons"])  # type: ignore[attr-defined]


def test_match_command_with_files(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(_lines(), encoding="utf-8")
    target = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli.app, ["match", "--input", str(source), "--output", str(target)])
    assert result.exit_code == 0, result.output
    _check([json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()])


def test_match_command_refuses_a_missing_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.app, ["match", "--input", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_match_command_through_stdin_and_stdout(tmp_path: Path) -> None:
    """The installed command, as operators and checks run it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADSIGNAL_")}
    exe = Path(sys.executable).parent / "leadsignal"
    done = subprocess.run(
        [str(exe), "match"],
        input=_lines(),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    _check([json.loads(line) for line in done.stdout.splitlines()])


def test_match_command_on_the_labelled_set(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli.app, ["match", "--input", str(DATA), "--output", str(target)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    outputs = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [o["id"] for o in outputs] == [r["id"] for r in rows]
    assert all("error" not in o for o in outputs)


def test_identity_queue_and_review(app_ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("leadsignal.matching.cli.app_context", lambda: app_ctx)
    with app_ctx.sessions.begin() as session:
        lead = make_lead(session, app_ctx.cipher)
        row = record_match(session, lead.id, profile(), MatchResult(decision="review", score=0.8, reasons=["why"]))
        match_id = row.id
    runner = CliRunner()
    queue = runner.invoke(cli.app, ["identity", "queue", "--json"])
    assert queue.exit_code == 0, queue.output
    listed = [json.loads(line) for line in queue.output.splitlines()]
    assert [(m["match_id"], m["score"], m["reasons"]) for m in listed] == [(match_id, 0.8, ["why"])]
    done = runner.invoke(cli.app, ["identity", "review", str(match_id), "--approve"])
    assert done.exit_code == 0, done.output
    assert f"match {match_id}: human_confirmed" in done.output
    assert "nothing to review" in runner.invoke(cli.app, ["identity", "queue"]).output
    missing = runner.invoke(cli.app, ["identity", "review", "999999", "--reject"])
    assert missing.exit_code == 2
    assert "does not exist" in missing.output
    needs_flag = runner.invoke(cli.app, ["identity", "review", str(match_id)])
    assert needs_flag.exit_code != 0
