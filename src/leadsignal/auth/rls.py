"""The per-transaction settings PostgreSQL row-level security policies read (migration 0600).

``set_config(..., true)`` is ``SET LOCAL``: it lasts until the transaction ends, so a pooled
connection never carries one request's identity into the next.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

_SET = text(
    "SELECT set_config('leadsignal.role', :role, true), set_config('leadsignal.user_id', :user_id, true),"
    " set_config('leadsignal.team_ids', :team_ids, true)"
)


def apply_rls_context(session: Session, *, role: str, user_id: int | None, team_ids: Sequence[int]) -> None:
    """Tell PostgreSQL who is asking; a no-op elsewhere (SQLite has no row-level security)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(
        _SET,
        {"role": role, "user_id": "" if user_id is None else str(user_id), "team_ids": ",".join(map(str, team_ids))},
    )
