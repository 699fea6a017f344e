"""FastAPI dependencies every router shares. The request's session owns the transaction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from leadsignal.core.context import AppContext


def get_ctx(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


CtxDep = Annotated[AppContext, Depends(get_ctx)]


def get_session(ctx: CtxDep) -> Iterator[Session]:
    """Commit when the route returns normally, roll back on any exception.

    Function scope: the commit happens before the response is sent, so a client that reads right
    after a write sees it (with request scope the commit raced the client's next request).
    """
    session = ctx.sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def request_id(request: Request) -> str:
    rid: str = getattr(request.state, "request_id", "")
    return rid
