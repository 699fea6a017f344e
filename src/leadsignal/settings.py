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
    # API authentication (auth/): short-lived access tokens, rotating refresh tokens, login lockout.
    access_token_ttl_seconds: int = Field(default=900, ge=60, le=3600)
    refresh_token_ttl_seconds: int = Field(default=14 * 24 * 3600, ge=3600)
    login_max_failures: int = Field(default=5, ge=1)
    login_lock_seconds: int = Field(default=900, ge=1)
    # argon2id cost (RFC 9106 "low memory" defaults); tests may lower it, production should not.
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=8)
    argon2_parallelism: int = Field(default=4, ge=1)

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
    profile_source: Literal["auto", "sample", "apify"] = "auto"
    sample_seed: int = 7
    signal_min_confidence: float = Field(default=0.5, ge=0, le=1)
    signal_type_weights: dict[str, float] = Field(default_factory=dict)
    monitor_batch_size: int = Field(default=50, ge=1, le=1000)
    monitor_interval_seconds: int = Field(default=900, ge=10)
    # Polite outbound HTTP (integrations/http). Rates are requests per second.
    http_timeout_seconds: float = 30.0
    http_max_attempts: int = 4
    http_max_retry_after_seconds: float = 120.0  # a longer Retry-After is surfaced, not slept through
    http_default_host_rate: float = 1.0
    http_host_rates: dict[str, float] = Field(
        default_factory=lambda: {"api.apify.com": 20.0, "www.googleapis.com": 2.0, "api.firecrawl.dev": 2.0}
    )
    http_service_rates: dict[str, float] = Field(
        default_factory=lambda: {"apify": 20.0, "google_cse": 1.0, "firecrawl": 1.5}
    )
    http_block_backoff_seconds: float = 1800.0
    http_rate_limit_prefix: str = "leadsignal:rl"
    proxy_max_failures: int = 3
    proxy_bench_seconds: float = 600.0
    apify_batch_size: int = 100
    apify_run_deadline_seconds: float = 1800.0
    apify_max_posts: int = 20

    # Identity matching (matching/): a score at or above confirm may feed alerts; review goes to people.
    match_confirm_threshold: float = Field(default=0.95, gt=0, le=1)
    match_review_threshold: float = Field(default=0.5, ge=0, lt=1)
    match_search_limit: int = Field(default=10, ge=1, le=100)

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
    email_from_name: str = "leadsignal"
    email_timeout_seconds: float = Field(default=15.0, gt=0)
    email_max_attempts: int = Field(default=3, ge=1, le=10)  # per send, for 429/5xx/time-outs
    email_max_retry_wait_seconds: float = Field(default=60.0, ge=0)  # a longer wait is surfaced, not slept
    brevo_webhook_token: SecretStr | None = None  # bearer token or ?token= secret on the events webhook

    public_base_url: str = "http://127.0.0.1:8000"
    sse_max_seconds: float = Field(default=300.0, gt=0)
    sse_poll_seconds: float = Field(default=0.5, gt=0)
    # Digests and escalation (alerts/digest.py, alerts/escalation.py).
    digest_max_items: int = Field(default=40, ge=1, le=200)
    escalation_after_minutes: int = Field(default=240, ge=1)
    escalation_repeat_minutes: int = Field(default=240, ge=1)
    # Hold-out experiment (uplift/): a share of signal-triggered leads whose alerts are held back for a
    # window, chosen by HMAC-SHA256(holdout_salt, "experiment:lead_id"). Set a private salt in production.
    holdout_experiment: str = Field(default="alerts-v1", min_length=1, max_length=64)
    holdout_share: float = Field(default=0.1, ge=0, le=0.5)
    holdout_share_by_type: dict[str, float] = Field(default_factory=dict)
    holdout_window_days: int = Field(default=30, ge=1, le=365)
    holdout_salt: SecretStr = SecretStr("leadsignal-holdout-v1")
    cors_origins: list[str] = Field(default_factory=list)
    max_request_bytes: int = Field(default=1_048_576, ge=1024)
    frontend_dist: Path | None = Path("frontend/dist")
    tls_certfile: Path | None = None
    tls_keyfile: Path | None = None
    sentry_dsn: SecretStr | None = None
    # Operations (compliance/ops): log format, /metrics access and the daily admin summary email.
    log_format: Literal["json", "console"] = "json"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    metrics_token: SecretStr | None = None  # bearer token for /metrics; unset: loopback-only in production
    admin_summary_recipients: list[str] = Field(default_factory=list)  # besides every active admin
    admin_summary_hour_utc: int = Field(default=7, ge=0, le=23)

    # CRM (crm/, integrations/crm_rest/). The inbound secret signs what the CRM sends us.
    crm_inbound_secret: SecretStr | None = None
    crm_source_name: str = Field(default="crm", min_length=1, max_length=40)
    crm_base_url: str | None = None  # set to use the generic REST adapter for reconciliation
    crm_token: SecretStr | None = None
    crm_field_map: dict[str, str] = Field(default_factory=dict)  # our field -> dotted path in the CRM's JSON
    crm_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_batch_size: int = Field(default=100, ge=1, le=5000)
    outbox_gap_grace_seconds: float = Field(default=10.0, ge=0)
    crm_dispatch_interval_seconds: float = Field(default=2.0, gt=0)

    # Retention (compliance/retention.py): days to keep each data class, 0 = keep forever.
    retention_enabled: bool = True
    retention_snapshots_days: int = Field(default=180, ge=0)
    retention_posts_days: int = Field(default=180, ge=0)
    retention_signals_days: int = Field(default=730, ge=0)
    retention_scrape_log_days: int = Field(default=365, ge=0)
    retention_emails_days: int = Field(default=365, ge=0)
    retention_audit_days: int = Field(default=2555, ge=0)
    retention_batch_size: int = Field(default=1000, ge=1, le=50_000)
    archive_dir: Path | None = None  # default data_dir/archive
    # Backups (compliance/backup.py): every N hours (0 = off), keeping the newest ``backup_keep``.
    backup_dir: Path | None = None  # default data_dir/backups
    backup_schedule_hours: int = Field(default=24, ge=0)
    backup_keep: int = Field(default=7, ge=1)
    tls_terminated_by_proxy: bool = False  # production TLS ends at a trusted reverse proxy
    compliance_lookback_days: int = Field(default=30, ge=1)  # history window of the compliance checks

    @field_validator("data_dir")
    @classmethod
    def _expand(cls, v: Path) -> Path:
        return v.expanduser()

    @field_validator("holdout_share_by_type")
    @classmethod
    def _shares_in_range(cls, v: dict[str, float]) -> dict[str, float]:
        bad = {k: share for k, share in v.items() if not 0 <= share <= 0.5}
        if bad:
            raise ValueError(f"hold-out shares must be between 0 and 0.5: {bad}")
        return v

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
