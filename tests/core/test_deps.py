"""The request's session commits before the response leaves, so a client's next read sees its write."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select

from leadsignal.auth.models import Team
from leadsignal.core.context import AppContext
from leadsignal.core.deps import SessionDep


def test_the_write_is_committed_when_the_response_starts(app_ctx: AppContext) -> None:
    app = FastAPI()
    app.state.ctx = app_ctx

    @app.post("/teams")
    def create(session: SessionDep) -> dict[str, str]:
        session.add(Team(name="committed-before-response"))
        return {"status": "ok"}

    seen_at_start: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            with app_ctx.sessions() as other:  # another connection, as the client's next request would use
                seen_at_start.append(other.scalar(select(func.count(Team.id))) or 0)

    scope = {"type": "http", "method": "POST", "path": "/teams", "headers": [], "query_string": b"",
             "http_version": "1.1", "scheme": "http", "server": ("test", 80), "client": ("127.0.0.1", 1),
             "root_path": "", "app": app}  # fmt: skip
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    assert seen_at_start == [1]
