"""Exact figures for the hand-built month (tests/analytics/fixtures.py), per role."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient

from leadsignal.analytics.service import percentile
from tests.analytics.fixtures import OCT, Month

URL = "/api/v1/analytics/overview"


def get(client: TestClient, month: Month, persona: str, query: str = OCT) -> dict[str, Any]:
    response = client.get(f"{URL}?{query}", headers=month.scene.headers[persona])
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def times(body: dict[str, Any]) -> dict[tuple[int | None, int | None], tuple[Any, ...]]:
    return {(r["team_id"], r["user_id"]): (r["signals"], r["acknowledged"], r["median_ack_minutes"],
                                           r["p90_ack_minutes"], r["contacted"], r["median_contact_minutes"])
            for r in body["response_times"]}  # fmt: skip


def test_admin_sees_every_team(client: TestClient, month: Month) -> None:
    body = get(client, month, "admin")
    assert (body["since"], body["until"], body["bucket"], body["team_id"], body["cached"]) == (
        "2026-10-01", "2026-10-31", "day", None, False)  # fmt: skip
    # Only alerted or hardship signals detected in the range: not blocked, pending or September ones.
    assert [(r["bucket"], r["signal_type"], r["count"]) for r in body["signals"]] == [
        ("2026-10-05", "new_job", 1),
        ("2026-10-06", "new_job", 1),
        ("2026-10-06", "job_loss", 1),
        ("2026-10-07", "promotion", 1),
        ("2026-10-12", "new_job", 1),
    ]
    assert body["conversion"] == [
        {"signal_type": "new_job", "signals": 3, "leads": 2, "contacted": 1, "payment_plan": 1,
         "payment_received": 1, "plan_rate": 0.5, "payment_rate": 0.5},
        {"signal_type": "promotion", "signals": 1, "leads": 1, "contacted": 1, "payment_plan": 1,
         "payment_received": 1, "plan_rate": 1.0, "payment_rate": 1.0},
        {"signal_type": "job_loss", "signals": 1, "leads": 1, "contacted": 1, "payment_plan": 0,
         "payment_received": 1, "plan_rate": 0.0, "payment_rate": 1.0},
    ]  # fmt: skip
    scene = month.scene
    a, b = scene.team_a.id, scene.team_b.id
    agent, other = scene.users["agent"].id, scene.users["other_agent"].id
    # Team A: acks after 30, 90 (agent) and 10 min (unassigned s4); first contacts 60, 2940, 1320 min.
    assert times(body) == {
        (a, None): (4, 3, 30.0, 78.0, 3, 1320.0),
        (a, agent): (3, 2, 60.0, 84.0, 3, 1320.0),
        (b, None): (1, 1, 60.0, 60.0, 1, 1440.0),
        (b, other): (1, 1, 60.0, 60.0, 1, 1440.0),
    }
    rows = {(r["team_id"], r["user_id"]): r for r in body["response_times"]}
    assert rows[(a, agent)]["user_email"] == scene.users["agent"].email
    assert rows[(a, None)]["team_name"] == scene.team_a.name
    assert rows[(a, None)]["user_email"] is None
    team_a_rows = [(r["team_id"], r["user_id"]) for r in body["response_times"] if r["team_id"] == a]
    assert team_a_rows == [(a, None), (a, agent)]  # the total first
    assert body["outcomes"] == [
        {"outcome": "contacted", "count": 2, "amount": None},
        {"outcome": "right_party_contact", "count": 1, "amount": None},
        {"outcome": "payment_plan_enrolled", "count": 1, "amount": "100.00"},
        {"outcome": "payment_received", "count": 1, "amount": "50.25"},
        {"outcome": "refused", "count": 1, "amount": None},
    ]
    assert get(client, month, "compliance")["conversion"] == body["conversion"]


def test_weeks_start_on_monday(client: TestClient, month: Month) -> None:
    body = get(client, month, "admin", OCT + "&bucket=week")
    assert body["bucket"] == "week"
    assert [(r["bucket"], r["signal_type"], r["count"]) for r in body["signals"]] == [
        ("2026-10-05", "new_job", 2),
        ("2026-10-05", "promotion", 1),
        ("2026-10-05", "job_loss", 1),
        ("2026-10-12", "new_job", 1),
    ]
    sunday = get(client, month, "admin", "since=2026-10-11&until=2026-10-12&bucket=week")
    assert [r["bucket"] for r in sunday["signals"]] == ["2026-10-12"]


def test_manager_sees_only_their_team(client: TestClient, month: Month) -> None:
    scene = month.scene
    body = get(client, month, "manager")
    assert sum(r["count"] for r in body["signals"]) == 4
    assert [r["signal_type"] for r in body["conversion"]] == ["new_job", "promotion"]
    assert {r["team_id"] for r in body["response_times"]} == {scene.team_a.id}
    assert [(r["outcome"], r["count"]) for r in body["outcomes"]] == [
        ("contacted", 2), ("payment_plan_enrolled", 1), ("refused", 1)]  # fmt: skip
    filtered = get(client, month, "manager", f"{OCT}&team_id={scene.team_a.id}")
    assert (filtered["team_id"], filtered["signals"]) == (scene.team_a.id, body["signals"])
    other = client.get(f"{URL}?{OCT}&team_id={scene.team_b.id}", headers=scene.headers["manager"])
    assert other.status_code == 404
    assert other.json()["error"]["code"] == "not_found"


def test_admin_filters_by_team(client: TestClient, month: Month) -> None:
    scene = month.scene
    body = get(client, month, "admin", f"{OCT}&team_id={scene.team_b.id}")
    assert [(r["signal_type"], r["count"]) for r in body["signals"]] == [("job_loss", 1)]
    assert [(r["outcome"], r["count"]) for r in body["outcomes"]] == [("right_party_contact", 1),
                                                                       ("payment_received", 1)]  # fmt: skip
    missing = client.get(f"{URL}?{OCT}&team_id=999999", headers=scene.headers["admin"])
    assert missing.status_code == 404


def test_agents_see_only_signals_assigned_to_them(client: TestClient, month: Month) -> None:
    scene = month.scene
    mine = get(client, month, "agent")
    assert sum(r["count"] for r in mine["signals"]) == 3  # not the unassigned s4 of their team
    assert mine["conversion"][0] == {"signal_type": "new_job", "signals": 2, "leads": 1, "contacted": 1,
                                     "payment_plan": 1, "payment_received": 1, "plan_rate": 1.0,
                                     "payment_rate": 1.0}  # fmt: skip
    a, agent = scene.team_a.id, scene.users["agent"].id
    assert times(mine) == {(a, None): (3, 2, 60.0, 84.0, 3, 1320.0), (a, agent): (3, 2, 60.0, 84.0, 3, 1320.0)}
    assert [(r["outcome"], r["count"]) for r in mine["outcomes"]] == [("contacted", 2), ("payment_plan_enrolled", 1)]
    theirs = get(client, month, "other_agent")
    assert [(r["signal_type"], r["count"]) for r in theirs["signals"]] == [("job_loss", 1)]
    assert client.get(f"{URL}?{OCT}&team_id={a}", headers=scene.headers["other_agent"]).status_code == 404


def test_callers_without_a_person_role_are_refused(client: TestClient, month: Month) -> None:
    assert client.get(f"{URL}?{OCT}", headers=month.scene.headers["client"]).status_code == 403
    assert client.get(f"{URL}?{OCT}").status_code == 401


def test_default_range_is_the_last_30_days(client: TestClient, month: Month) -> None:
    body = get(client, month, "admin", "")
    since, until = dt.date.fromisoformat(body["since"]), dt.date.fromisoformat(body["until"])
    assert (until - since).days == 29
    assert until == dt.datetime.now(dt.UTC).date()


def test_bad_parameters_are_422(client: TestClient, month: Month) -> None:
    headers = month.scene.headers["admin"]
    for query in ("since=2026-10-31&until=2026-10-01", "since=2025-01-01&until=2026-01-02", "bucket=month",
                  "since=yesterday", "team_id=0", "team_id=-3"):  # fmt: skip
        response = client.get(f"{URL}?{query}", headers=headers)
        assert response.status_code == 422, query
        assert response.json()["error"]["code"] == "validation_error"
    assert client.get(f"{URL}?since=2025-01-01&until=2026-01-01", headers=headers).status_code == 200  # 366 days


def test_percentile_interpolates_like_percentile_cont() -> None:
    assert percentile([], 0.5) is None
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([10.0, 30.0, 90.0], 0.5) == 30.0
    assert percentile([90.0, 10.0, 30.0], 0.9) == 78.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
