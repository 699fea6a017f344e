"""Who may call a route, declared beside the route and published in OpenAPI as ``x-access``.

Each route states the status every kind of caller gets, against one fixed scene: a lead in team
A assigned to ``agent``; ``other_agent`` works in team B; ``manager`` manages team A. The route
matrix test (tests/api/test_route_matrix.py) calls every route as every persona and fails for a
route that declares nothing, so a new route cannot ship without a policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PERSONAS = ("anonymous", "agent", "other_agent", "manager", "compliance", "admin", "client")


def access(
    base: Mapping[str, int] | None = None,
    /,
    *,
    json: dict[str, Any] | None = None,
    form: dict[str, str] | None = None,
    path: dict[str, str] | None = None,
    **overrides: int,
) -> dict[str, Any]:
    """``openapi_extra`` for a route: the status each persona gets (``anonymous`` defaults to 401,
    ``other_agent`` to ``agent``'s). ``json``/``form`` is the example body the matrix sends;
    ``{name}`` placeholders in it are filled from the scene (``team_id``, ``agent_id``, ``lead_agency_id``,
    ``unique``...). ``path`` gives values for path parameters the scene does not know, e.g.
    ``path={"email_id": "999999"}`` (a missing row) or ``path={"agency_id_number": "{lead_agency_id}"}``."""
    statuses: dict[str, int] = {**(base or {}), **overrides}
    statuses.setdefault("anonymous", 401)
    if "agent" in statuses:
        statuses.setdefault("other_agent", statuses["agent"])
    missing, unknown = set(PERSONAS) - statuses.keys(), statuses.keys() - set(PERSONAS)
    if missing or unknown:
        raise ValueError(f"access(): missing personas {sorted(missing)}, unknown {sorted(unknown)}")
    example: dict[str, Any] = {}
    if json is not None:
        example["json"] = json
    if form is not None:
        example["form"] = form
    if path is not None:
        example["path"] = path
    return {"x-access": {"statuses": {p: statuses[p] for p in PERSONAS}, "example": example}}
