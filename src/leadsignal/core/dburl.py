"""Turn whatever connection string an operator pastes into one SQLAlchemy accepts.

Supabase and Heroku hand out ``postgres://`` or ``postgresql://`` URLs; SQLAlchemy needs the
driver named. Supabase's transaction pooler (port 6543, PgBouncer) cannot keep prepared
statements, so the engine factory turns them off for it (see ``needs_no_prepared_statements``).
"""

from __future__ import annotations

from sqlalchemy.engine import make_url


def normalise_database_url(raw: str) -> str:
    url = raw.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
            break
    if url.startswith("postgresql+psycopg2://"):
        url = "postgresql+psycopg://" + url[len("postgresql+psycopg2://") :]
    make_url(url)  # raises ArgumentError with a clear message on a malformed URL
    return url


def needs_no_prepared_statements(url: str) -> bool:
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return False
    pooled = parsed.port == 6543 or parsed.query.get("pgbouncer") in ("true", "1")
    return pooled or (parsed.host or "").endswith(".pooler.supabase.com")
