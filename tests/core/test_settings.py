from __future__ import annotations

import pytest
from pydantic import ValidationError

from leadsignal.core.dburl import needs_no_prepared_statements, normalise_database_url
from leadsignal.settings import Settings


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "postgresql://postgres:pw@db.abcd.supabase.co:5432/postgres?sslmode=require",
            "postgresql+psycopg://postgres:pw@db.abcd.supabase.co:5432/postgres?sslmode=require",
        ),
        ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql+psycopg2://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///var/x.db", "sqlite:///var/x.db"),
    ],
)
def test_database_urls_are_normalised(raw: str, expected: str) -> None:
    assert normalise_database_url(raw) == expected


def test_supabase_pooler_disables_prepared_statements() -> None:
    pooled = normalise_database_url("postgresql://postgres.abcd:pw@aws-0-us-east-1.pooler.supabase.com:6543/postgres")
    assert needs_no_prepared_statements(pooled)
    assert not needs_no_prepared_statements("postgresql+psycopg://u@db.abcd.supabase.co:5432/postgres")


def test_default_database_is_sqlite_in_data_dir(tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    assert s.sqlalchemy_url == f"sqlite:///{tmp_path / 'leadsignal.db'}"


def test_production_refuses_missing_secrets() -> None:
    with pytest.raises(ValidationError, match="LEADSIGNAL_ENCRYPTION_KEYS"):
        Settings(_env_file=None, env="production", database_url="postgresql://x@y/z")  # type: ignore[call-arg]


def test_secrets_never_in_repr() -> None:
    s = Settings(_env_file=None, jwt_secret="super-secret-value", apify_token="apify_api_token123")  # type: ignore[call-arg]
    assert "super-secret-value" not in repr(s)
    assert "apify_api_token123" not in str(s.model_dump())


def test_secrets_read_from_files(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "leadsignal_jwt_secret").write_text("from-a-file")
    s = Settings(_env_file=None, _secrets_dir=tmp_path)  # type: ignore[call-arg]
    assert s.jwt_secret is not None
    assert s.jwt_secret.get_secret_value() == "from-a-file"
