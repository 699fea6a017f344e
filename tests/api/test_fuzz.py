"""Property-based fuzzing of every operation in /openapi.json (hypothesis; schemathesis-like).

Requests are drawn from each operation's own schema (path, query, JSON or form body), plus
junk, and sent as an anonymous caller and as an agent. No answer may be a 5xx, and an anonymous
caller must never receive lead data. (503, a route's deliberate "not configured", is allowed.)
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from tests.auth.factories import Scene

MAX_EXAMPLES = 12
_ids = st.one_of(st.integers(min_value=-(2**70), max_value=2**70), st.sampled_from([0, 1, 2, 3, 2**63 - 1, 2**63]))
_text = st.text(st.characters(codec="utf-8"), max_size=40)
_junk = st.one_of(st.none(), st.booleans(), _ids, st.floats(allow_nan=True), _text)


def resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def from_schema(schema: dict[str, Any], spec: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """A strategy for values of a JSON schema, sometimes stepping outside it on purpose."""
    schema = resolve(schema, spec)
    if depth > 4:
        return st.none()
    if "enum" in schema:
        return st.sampled_from(schema["enum"]) | _junk
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return st.one_of([from_schema(s, spec, depth + 1) for s in schema[key]])
    kind = schema.get("type")
    if kind == "integer":
        return _ids
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False) | st.integers(-5, 5)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date-time":
            return st.datetimes(timezones=st.just(__import__("datetime").UTC)).map(lambda d: d.isoformat()) | _text
        return _text | st.text(max_size=300)
    if kind == "array":
        return st.lists(from_schema(schema.get("items", {}), spec, depth + 1), max_size=4)
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        required = set(schema.get("required", []))
        optional = {k: from_schema(v, spec, depth + 1) for k, v in props.items() if k not in required}
        return st.fixed_dictionaries({k: from_schema(props[k], spec, depth + 1) for k in required},
                                     optional=optional)  # fmt: skip
    return _junk


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, op) for path, item in spec["paths"].items() for method, op in item.items()
            if path.startswith(("/api/v1", "/oauth"))]  # fmt: skip


def request_strategy(path: str, op: dict[str, Any], spec: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    params = op.get("parameters", [])
    path_params = {p["name"]: _ids | _text.filter(lambda t: t and "/" not in t and t not in (".", ".."))
                   for p in params if p["in"] == "path"}  # fmt: skip
    query = {p["name"]: from_schema(p.get("schema", {}), spec) for p in params if p["in"] == "query"}
    content = op.get("requestBody", {}).get("content", {})
    body: st.SearchStrategy[Any] = st.none()
    if "application/json" in content:
        body = from_schema(content["application/json"]["schema"], spec).map(lambda b: ("json", b)) | _junk.map(
            lambda b: ("json", b)
        )
    elif "application/x-www-form-urlencoded" in content:
        schema = content["application/x-www-form-urlencoded"]["schema"]
        body = st.dictionaries(st.sampled_from([*schema.get("properties", {}), "junk"]), _text, max_size=4).map(
            lambda b: ("form", b)
        )
    return st.fixed_dictionaries({"path": st.fixed_dictionaries(path_params), "query": st.fixed_dictionaries(
        {}, optional=query), "body": body})  # fmt: skip


def _send(client: TestClient, method: str, path: str, drawn: dict[str, Any], headers: dict[str, str]):  # type: ignore[no-untyped-def]
    from urllib.parse import quote

    url = re.sub(r"\{(\w+)\}", lambda m: quote(str(drawn["path"][m.group(1)]), safe=""), path)
    query = {k: json.dumps(v) if isinstance(v, (list, dict)) else ("" if v is None else str(v))
             for k, v in drawn["query"].items()}  # fmt: skip
    kind_body = drawn["body"]
    kwargs: dict[str, Any] = {}
    if kind_body is not None:
        kind, value = kind_body
        if kind == "json":
            kwargs["content"] = json.dumps(value, allow_nan=True).encode()
            headers = {**headers, "Content-Type": "application/json"}
        else:
            kwargs["data"] = value
    return client.request(method, url, params=query, headers=headers, **kwargs)


SECRET_MARKERS = ("Jane Doe", "Bob Other", "debtor_name", "123456789", "6789")


def _checker(client: TestClient, spec: dict[str, Any], method: str, path: str, op: dict[str, Any],
             headers: dict[str, str], persona: str, failures: list[str]) -> Any:  # fmt: skip
    @hyp_settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(drawn=request_strategy(path, op, spec))
    def check(drawn: dict[str, Any]) -> None:
        response = _send(client, method, path, drawn, headers)
        # 503 is a deliberate "not configured here" answer; anything else 5xx is a crash.
        if response.status_code >= 500 and response.status_code != 503:
            failures.append(f"{method} {path} {drawn!r} -> {response.status_code} {response.text[:200]}")
        if persona == "anonymous" and any(marker in response.text for marker in SECRET_MARKERS):
            failures.append(f"{method} {path} {drawn!r} leaked lead data to an anonymous caller")

    return check


@pytest.mark.parametrize("persona", ["anonymous", "agent"])
def test_no_server_errors_and_no_data_for_strangers(client: TestClient, scene: Scene, persona: str) -> None:
    spec = client.get("/openapi.json").json()
    headers = scene.headers[persona]
    failures: list[str] = []
    for method, path, op in operations(spec):
        _checker(client, spec, method, path, op, headers, persona, failures)()
    assert failures == [], "\n".join(failures[:20])
