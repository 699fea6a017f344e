"""Cursors round-trip exactly, and anything else is a clean 400, never a crash."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from leadsignal.core.errors import ApiError
from leadsignal.core.pagination import MAX_ID, decode_cursor, encode_cursor
from tests.auth.factories import Scene

_ids = st.integers(min_value=0, max_value=MAX_ID)


@given(key=st.text(st.characters(exclude_characters="\x00"), max_size=200), row_id=_ids)
def test_text_cursor_round_trips(key: str, row_id: int) -> None:
    assert decode_cursor(encode_cursor(key, row_id), str) == (key, row_id)


@given(key=st.datetimes(timezones=st.just(dt.UTC)), row_id=_ids)
def test_datetime_cursor_round_trips(key: dt.datetime, row_id: int) -> None:
    assert decode_cursor(encode_cursor(key, row_id), dt.datetime) == (key, row_id)


def _outcome(cursor: str) -> tuple[str, int] | int:
    try:
        return decode_cursor(cursor, str)
    except ApiError as exc:
        return exc.status


@given(raw=st.binary(max_size=64))
def test_arbitrary_bytes_are_refused_cleanly(raw: bytes) -> None:
    outcome = _outcome(base64.urlsafe_b64encode(raw).decode().rstrip("="))
    if isinstance(outcome, int):
        assert outcome == 400
    else:
        assert isinstance(outcome[0], str)
        assert 0 <= outcome[1] <= MAX_ID


@pytest.mark.parametrize(
    "payload", ['["a", 1e999]', '["a", true]', f'["a", {MAX_ID + 1}]', '["a\\u0000", 1]', '{"k": 1}']
)
def test_tampered_cursors_are_400(client: TestClient, scene: Scene, payload: str) -> None:
    cursor = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    for url in (f"/api/v1/leads?cursor={cursor}", f"/api/v1/signals?cursor={cursor}", f"/api/v1/users?cursor={cursor}"):
        response = client.get(url, headers=scene.headers["admin"])
        assert response.status_code == 400, (url, payload, response.text)
        assert response.json()["error"]["code"] == "invalid_cursor"


def test_signal_cursor_needs_an_aware_time(client: TestClient, scene: Scene) -> None:
    naive = base64.urlsafe_b64encode(b'["2026-01-01T00:00:00", 1]').decode().rstrip("=")
    response = client.get(f"/api/v1/signals?cursor={naive}", headers=scene.headers["admin"])
    assert response.status_code == 400
