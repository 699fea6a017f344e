"""The live feed over Server-Sent Events, through a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from leadsignal.alerts.processor import process_pending
from leadsignal.app import create_app
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope
from leadsignal.events.service import publish_signal_detected
from tests.alerts.test_guard_and_routing import stored_signal
from tests.auth.factories import bearer, make_team, make_user


@pytest.fixture
def server(app_ctx: AppContext) -> Iterator[tuple[str, AppContext]]:
    settings = app_ctx.settings.model_copy(
        update={
            "sse_max_seconds": 4.0,
            "sse_poll_seconds": 0.1,
            "outbox_gap_grace_seconds": 0.0,
            "frontend_dist": None,
        }
    )
    ctx = AppContext(settings, _engine=app_ctx.engine)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(ctx), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", ctx
    srv.should_exit = True
    thread.join(10)


def read_events(url: str, token: str, *, want: int, timeout: float, out: list[dict[str, object]]) -> None:
    with httpx.stream("GET", url, params={"access_token": token}, timeout=timeout) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        event: dict[str, object] = {}
        for line in response.iter_lines():
            if line.startswith("event: "):
                event["event"] = line[7:]
            elif line.startswith("data: "):
                event["data"] = json.loads(line[6:])
                event["received"] = time.monotonic()
            elif line == "" and "data" in event:
                out.append(event)
                event = {}
                if len(out) >= want:
                    return


def test_new_alert_reaches_the_assignee_live_and_not_other_teams(server: tuple[str, AppContext]) -> None:
    base, ctx = server
    with session_scope(ctx.sessions) as session:
        team, other_team = make_team(session), make_team(session)
        agent = make_user(session, "agent", teams=(team,))
        outsider = make_user(session, "agent", teams=(other_team,))
        tokens = {
            "agent": bearer(ctx.settings, agent)["Authorization"][7:],
            "outsider": bearer(ctx.settings, outsider)["Authorization"][7:],
        }
        lead_ids = (team.id, agent.id)
    url = f"{base}/api/v1/signals/stream"
    got: dict[str, list[dict[str, object]]] = {"agent": [], "outsider": []}
    readers = [
        threading.Thread(target=read_events, args=(url, tokens[name]), daemon=True,
                         kwargs={"want": 1, "timeout": 15, "out": got[name]})
        for name in got
    ]  # fmt: skip
    for reader in readers:
        reader.start()
    time.sleep(1.0)  # both streams are connected and waiting
    with session_scope(ctx.sessions) as session:
        signal = stored_signal(session, ctx.cipher, team_id=lead_ids[0], assignee_user_id=lead_ids[1])
        publish_signal_detected(session, signal, created=True)
        signal_id = signal.id
    alerted_at = time.monotonic()
    assert process_pending(ctx) == {"alerted": 1}
    readers[0].join(10)
    [event] = got["agent"]
    assert event["event"] == "alert.raised.v1"
    data = event["data"]
    assert isinstance(data, dict)
    assert data["signal_id"] == signal_id
    assert data["assignee_user_id"] == lead_ids[1]
    assert float(event["received"]) - alerted_at < 5  # type: ignore[arg-type]
    readers[1].join(0.5)
    assert got["outsider"] == []


def test_stream_refuses_missing_or_bad_tokens(server: tuple[str, AppContext]) -> None:
    base, _ = server
    assert httpx.get(f"{base}/api/v1/signals/stream", timeout=5).status_code == 401
    bad = httpx.get(f"{base}/api/v1/signals/stream", params={"access_token": "x.y.z"}, timeout=5)
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "unauthenticated"
