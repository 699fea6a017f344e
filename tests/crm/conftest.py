"""CRM test fixtures: an AppContext tuned for tests, and the fake CRM.

``crm_ctx`` runs every session the code opens inside the test's rolled-back transaction (the
code's commits become savepoint releases), which keeps tests independent without truncating
tables. ``committed_ctx`` commits for real, for tests where another process or a CLI built
from the environment must see the data.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from leadsignal.core.context import AppContext
from leadsignal.settings import Settings
from tests.crm.fake_crm import FakeCrm

WEBHOOK_SECRET = "whsec-test-0123456789abcdef"
INBOUND_SECRET = "inbound-test-0123456789abcdef"


def _tuned(settings: Settings) -> Settings:
    """No grace for outbox id gaps (rolled-back tests leave gaps) and short time-outs."""
    return settings.model_copy(
        update={
            "outbox_gap_grace_seconds": 0.0,
            "webhook_timeout_seconds": 0.5,
            "crm_inbound_secret": SecretStr(INBOUND_SECRET),
        }
    )


@pytest.fixture
def crm_ctx(db: Session, settings: Settings, engine: Engine) -> AppContext:
    ctx = AppContext(_tuned(settings), _engine=engine)
    connection = db.get_bind()
    assert isinstance(connection, Connection)
    ctx.__dict__["sessions"] = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    return ctx


@pytest.fixture
def committed_ctx(app_ctx: AppContext) -> AppContext:
    return AppContext(_tuned(app_ctx.settings), _engine=app_ctx.engine)


@pytest.fixture
def fake_crm() -> Iterator[FakeCrm]:
    with FakeCrm(WEBHOOK_SECRET) as server:
        yield server
