"""One Settings object, read once at start-up and passed in.

Values come, in order of precedence, from explicit arguments, ``LEADSIGNAL_*`` environment
variables, a ``.env`` file, files in ``LEADSIGNAL_SECRETS_DIR`` (one file per field, as Docker
and Kubernetes mount secrets), and finally HashiCorp Vault or AWS Secrets Manager when configured.
Secrets are ``SecretStr`` so they never appear in logs or reprs.
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LEADSIGNAL_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        secrets_dir=os.environ.get("LEADSIGNAL_SECRETS_DIR") or None,
    )

    env: Environment = "development"
    data_dir: Path = Path("var")
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("LEADSIGNAL_DATABASE_URL", "DATABASE_URL")
    )
    database_echo: bool = False
    redis_url: str | None = Field(default=None, validation_alias=AliasChoices("LEADSIGNAL_REDIS_URL", "REDIS_URL"))
    broker_url: str | None = Field(
        default=None, validation_alias=AliasChoices("LEADSIGNAL_BROKER_URL", "CELERY_BROKER_URL")
    )

    # PII encryption. ``encryption_keys`` is "kid:base64key[,kid:base64key...]"; the first key
    # encrypts, every listed key decrypts, so a key can be rotated without downtime.
    encryption_keys: SecretStr | None = None
    blind_index_key: SecretStr | None = None
    jwt_secret: SecretStr | None = None

    # Outside secret stores (optional).
    vault_addr: str | None = None
    vault_token: SecretStr | None = None
    vault_secret_path: str = "secret/data/leadsignal"  # noqa: S105 - a path, not a secret
    aws_secret_id: str | None = None
    aws_region: str | None = None
    aws_secretsmanager_endpoint: str | None = None
    aws_access_key_id: str | None = None
    aws_secret_access_key: SecretStr | None = None

    # Collection.
    user_agent: str = "leadsignal/0.1 (+https://agency.example/leadsignal-bot; compliance@agency.example)"
    apify_token: SecretStr | None = None
    apify_base_url: str = "https://api.apify.com"
    apify_profile_actor: str = "harvestapi/linkedin-profile-scraper"
    apify_posts_actor: str = "harvestapi/linkedin-profile-posts"
    apify_search_actor: str = "harvestapi/linkedin-profile-search"
    google_cse_key: SecretStr | None = None
    google_cse_cx: str | None = None
    google_cse_base_url: str = "https://www.googleapis.com"
    firecrawl_api_key: SecretStr | None = None
    firecrawl_base_url: str = "https://api.firecrawl.dev"
    proxy_urls: list[str] = Field(default_factory=list)

    # Email.
    email_provider: Literal["outbox", "brevo", "smtp"] = "outbox"
    email_from: str = "leadsignal@agency.example"
    brevo_api_key: SecretStr | None = None
    brevo_base_url: str = "https://api.brevo.com"
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True

    public_base_url: str = "http://127.0.0.1:8000"
    sentry_dsn: SecretStr | None = None

    @field_validator("data_dir")
    @classmethod
    def _expand(cls, v: Path) -> Path:
        return v.expanduser()

    @model_validator(mode="after")
    def _refuse_missing_secrets_in_production(self) -> Settings:
        if self.env == "production":
            missing = [
                name
                for name in ("encryption_keys", "blind_index_key", "jwt_secret", "database_url")
                if not getattr(self, name)
            ]
            if missing:
                raise ValueError(
                    "production settings must set " + ", ".join(f"LEADSIGNAL_{m.upper()}" for m in missing)
                )
        return self

    @cached_property
    def sqlalchemy_url(self) -> str:
        """The database URL in the form SQLAlchemy wants, defaulting to SQLite in ``data_dir``."""
        from leadsignal.core.dburl import normalise_database_url

        if not self.database_url:
            return f"sqlite:///{(self.data_dir / 'leadsignal.db').resolve()}"
        return normalise_database_url(self.database_url)


def load_settings(**overrides: Any) -> Settings:
    """Build Settings, then fill secrets still missing from Vault or AWS Secrets Manager."""
    settings = Settings(**overrides)
    from leadsignal.core.secret_stores import fetch_external_secrets

    external = fetch_external_secrets(settings)
    if not external:
        return settings
    explicit = settings.model_dump(exclude_unset=True)
    merged = {k: v for k, v in external.items() if k in Settings.model_fields and k not in explicit}
    return Settings(**{**overrides, **merged}) if merged else settings
