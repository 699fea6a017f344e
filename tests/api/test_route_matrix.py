"""Every API route, called as every persona, answers what its declared access table says.

Routes are enumerated from the app itself, so a route added later is tested automatically, and
a route without an ``x-access`` declaration (auth/access.py) fails the test.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from leadsignal.auth.access import PERSONAS
from tests.auth.factories import Scene

PREFIXES = ("/api/v1", "/oauth")
ORDER = ("anonymous", "client", "other_agent", "agent", "compliance", "manager", "admin")  # writers last


def api_routes(client: TestClient) -> list[tuple[str, str, dict[str, Any] | None]]:
    found = []
    for context in iter_route_contexts(client.app.routes):  # type: ignore[attr-defined]
        route = context.original_route
        path = context.path
        if not isinstance(route, APIRoute) or not path or not path.startswith(PREFIXES):
            continue
        for method in sorted(context.methods or ()):
            if method != "HEAD":
                found.append((method, path, (route.openapi_extra or {}).get("x-access")))
    return found


def placeholders(scene: Scene) -> dict[str, str]:
    return {
        "lead_id": str(scene.lead.id),  # type: ignore[attr-defined]
        "signal_id": str(scene.signal.id),
        "team_id": str(scene.team_a.id),
        "user_id": str(scene.spare.id),
        "spare_user_id": str(scene.spare.id),
        "agent_id": str(scene.users["agent"].id),
        "lead_agency_id": str(scene.lead.agency_id_number),  # type: ignore[attr-defined]
    }


def fill(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, names) for v in value]
    if isinstance(value, str):
        whole = re.fullmatch(r"\{(\w+)\}", value)
        if whole and whole.group(1).endswith("_id") and names.get(whole.group(1), "").isdigit():
            return int(names[whole.group(1)])
        return re.sub(r"\{(\w+)\}", lambda m: names.get(m.group(1)) or uuid.uuid4().hex[:10], value)
    return value


def test_every_route_declares_access(client: TestClient) -> None:
    routes = api_routes(client)
    assert len(routes) >= 20, routes
    undeclared = [f"{m} {p}" for m, p, declared in routes if declared is None]
    assert undeclared == [], f"routes without an access declaration (auth.access.access): {undeclared}"


def test_every_declared_route_answers_each_persona_as_declared(client: TestClient, scene: Scene) -> None:
    names = placeholders(scene)
    failures: list[str] = []
    for method, path, declared in api_routes(client):
        if declared is None:
            continue  # reported by test_every_route_declares_access
        assert set(declared["statuses"]) == set(PERSONAS)
        path_values = {**names, **{k: str(fill(v, names)) for k, v in declared["example"].get("path", {}).items()}}
        missing = set(re.findall(r"\{(\w+)\}", path)) - path_values.keys()
        assert not missing, f"{method} {path}: give access(path={{...}}) a value for {missing}"
        url = re.sub(r"\{(\w+)\}", lambda m, values=path_values: values[m.group(1)], path)
        for persona in ORDER:
            example = fill(declared["example"], names | {"unique": uuid.uuid4().hex[:10]})
            response = client.request(method, url, headers=scene.headers[persona], json=example.get("json"),
                                      data=example.get("form"))  # fmt: skip
            expected = declared["statuses"][persona]
            if response.status_code != expected:
                failures.append(f"{method} {path} as {persona}: {response.status_code} != {expected} "
                                f"{response.text[:200]}")  # fmt: skip
    assert failures == []


def test_agents_see_only_their_own_leads_in_lists(client: TestClient, scene: Scene) -> None:
    lead_id, other_id = scene.lead.id, scene.other_lead.id  # type: ignore[attr-defined]
    seen = {p: {i["id"] for i in client.get("/api/v1/leads", headers=scene.headers[p]).json()["items"]}
            for p in ("agent", "other_agent", "manager", "compliance", "admin", "client")}  # fmt: skip
    assert seen["agent"] == {lead_id}
    assert seen["other_agent"] == {other_id}
    assert seen["manager"] == {lead_id}
    assert seen["compliance"] == seen["admin"] == seen["client"] == {lead_id, other_id}
    feed = client.get("/api/v1/signals", headers=scene.headers["agent"]).json()["items"]
    assert [s["id"] for s in feed] == [scene.signal.id]
