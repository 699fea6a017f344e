"""Hold-out assignment at signal time: control signals are held back from every channel, then released."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import itertools

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.alerts.digest import digest_items
from leadsignal.alerts.preferences import get_preferences
from leadsignal.alerts.processor import evaluate, release_due
from leadsignal.compliance.models import AuditEntry
from leadsignal.core.crypto import PiiCipher
from leadsignal.events.models import OutboxEvent
from leadsignal.settings import Settings
from leadsignal.signals.models import Signal
from leadsignal.signals.score import ScoringPolicy
from leadsignal.uplift.assignment import HoldoutConfig, bucket
from leadsignal.uplift.models import ExperimentAssignment
from tests.alerts.test_guard_and_routing import NOW, stored_signal
from tests.auth.factories import make_team, make_user

SALT = "test-salt"
WINDOW = dt.timedelta(days=2)


def config_putting(lead_id: int, group: str, *, share: float = 0.5) -> HoldoutConfig:
    """A hold-out whose experiment name (found by trying) puts this lead in ``group``."""
    for n in itertools.count():
        name = f"exp-{n}"
        if (bucket(SALT, name, lead_id) < share) == (group == "control"):
            return HoldoutConfig(experiment=name, share=share, window=WINDOW, salt=SALT)
    raise AssertionError("unreachable")


def events_of(db: Session, signal_id: int) -> list[str]:
    return list(db.scalars(
        select(OutboxEvent.event_type).where(OutboxEvent.aggregate_id == str(signal_id)).order_by(OutboxEvent.id)
    ))  # fmt: skip


def test_bucket_is_the_documented_hmac_and_roughly_uniform() -> None:
    expected = int.from_bytes(hmac.new(b"s", b"exp:42", hashlib.sha256).digest()[:8], "big") / 2**64
    assert bucket("s", "exp", 42) == expected
    values = [bucket("s", "exp", i) for i in range(20_000)]
    assert all(0 <= v < 1 for v in values)
    assert sum(v < 0.1 for v in values) / len(values) == pytest.approx(0.1, abs=0.01)
    assert bucket("s", "other", 42) != expected  # a new experiment re-randomises


def test_config_from_settings_and_per_type_share(settings: Settings) -> None:
    s = settings.model_copy(update={"holdout_share": 0.1, "holdout_share_by_type": {"award": 0.5}})
    config = HoldoutConfig.from_settings(s)
    assert config.share_for("award") == 0.5
    assert config.share_for("new_job") == 0.1
    assert config.window == dt.timedelta(days=30)
    assert not HoldoutConfig.from_settings(settings).enabled  # tests run with the experiment off
    with pytest.raises(ValueError, match=r"between 0 and 0\.5"):
        Settings(_env_file=None, holdout_share_by_type={"award": 0.9})  # type: ignore[call-arg]


def test_control_signal_is_held_from_crm_feed_digest_then_released(db: Session, cipher: PiiCipher) -> None:
    team = make_team(db)
    agent = make_user(db, "agent", teams=(team,))
    first = stored_signal(db, cipher, team_id=team.id, assignee_user_id=agent.id)
    config = config_putting(first.lead_id, "control")
    assert evaluate(db, first, now=NOW, holdout=config) == "held"
    assert (first.alert_status, first.held_until, first.assignee_user_id) == ("held", NOW + WINDOW, None)
    row = db.scalars(select(ExperimentAssignment)).one()
    assert (row.experiment, row.lead_id, row.group, row.signal_id) == (config.experiment, first.lead_id, "control",
                                                                      first.id)  # fmt: skip
    assert row.bucket == pytest.approx(bucket(SALT, config.experiment, first.lead_id))
    assert row.share == 0.5
    actions = set(db.scalars(select(AuditEntry.action)))
    assert {"experiment.assigned", "signal.held"} <= actions
    # A later signal of the same lead follows its group without a new assignment.
    second = stored_signal(db, cipher, signal_type="certification")
    second.lead_id = first.lead_id
    db.flush()
    assert evaluate(db, second, now=NOW + dt.timedelta(hours=1), holdout=config) == "held"
    assert second.held_until == NOW + WINDOW
    assert len(db.scalars(select(ExperimentAssignment)).all()) == 2 - 1
    # Nothing reached the CRM, the live feed (outbox), escalation or a digest.
    assert events_of(db, first.id) == events_of(db, second.id) == []
    first.assignee_user_id = agent.id  # even if it had an assignee, the digest reads only alerted signals
    db.flush()
    prefs = get_preferences(db, agent.id)
    assert digest_items(db, agent, prefs, NOW + dt.timedelta(hours=2), ScoringPolicy()) == []
    # Not yet due: nothing released.
    assert release_due(db, now=NOW + WINDOW - dt.timedelta(seconds=1)) == {}
    released = release_due(db, now=NOW + WINDOW)
    assert released == {"released_alerted": 2}
    for signal in (first, second):
        assert signal.alert_status == "alerted"
        assert signal.alerted_at == NOW + WINDOW
        assert signal.alert_latency_ms is None  # a deliberate wait is not alerting latency
        assert events_of(db, signal.id) == ["signal.created.v1", "alert.raised.v1"]
    later = NOW + WINDOW + dt.timedelta(hours=1)
    items = digest_items(db, agent, prefs, later, ScoringPolicy())
    assert {i.signal_id for i in items} == {first.id, second.id}


def test_treatment_signal_is_alerted_at_once(db: Session, cipher: PiiCipher) -> None:
    signal = stored_signal(db, cipher)
    config = config_putting(signal.lead_id, "treatment")
    assert evaluate(db, signal, now=NOW, holdout=config) == "alerted"
    row = db.scalars(select(ExperimentAssignment)).one()
    assert (row.group, row.held_until, row.signal_type) == ("treatment", None, "new_job")
    assert events_of(db, signal.id) == ["signal.created.v1", "alert.raised.v1"]


def test_release_reguards_and_ignores_only_the_expiry_the_hold_caused(db: Session, cipher: PiiCipher) -> None:
    expired = stored_signal(db, cipher)
    config = HoldoutConfig(**{**config_putting(expired.lead_id, "control").__dict__, "window": dt.timedelta(days=40)})
    assert evaluate(db, expired, now=NOW, holdout=config) == "held"
    opted_out = stored_signal(db, cipher)
    opted_out.alert_status, opted_out.held_until = "held", NOW + dt.timedelta(days=1)
    lead = opted_out.lead_id
    from leadsignal.leads.models import Lead

    db.get(Lead, lead).do_not_scrape = True  # type: ignore[union-attr]
    db.flush()
    assert release_due(db, now=NOW + dt.timedelta(days=41)) == {"released_alerted": 1, "released_blocked": 1}
    assert expired.alert_status == "alerted"  # past expires_at (30 days) only because it was held
    assert opted_out.alert_status == "blocked"
    assert "borrower opted out" in opted_out.blocked_reasons


def test_hardship_blocked_and_disabled_are_not_in_the_experiment(db: Session, cipher: PiiCipher) -> None:
    hardship = stored_signal(db, cipher, signal_type="job_loss")
    assert evaluate(db, hardship, now=NOW, holdout=config_putting(hardship.lead_id, "control")) == "hardship"
    blocked = stored_signal(db, cipher, match=None)
    assert evaluate(db, blocked, now=NOW, holdout=config_putting(blocked.lead_id, "control")) == "blocked"
    off = stored_signal(db, cipher)
    disabled = HoldoutConfig(experiment="off", share=0.0, window=WINDOW, salt=SALT)
    assert evaluate(db, off, now=NOW, holdout=disabled) == "alerted"
    assert db.scalars(select(ExperimentAssignment)).all() == []


def test_control_lead_after_its_window_is_business_as_usual(db: Session, cipher: PiiCipher) -> None:
    first = stored_signal(db, cipher)
    config = config_putting(first.lead_id, "control")
    assert evaluate(db, first, now=NOW, holdout=config) == "held"
    later = stored_signal(db, cipher, signal_type="license")
    later.lead_id = first.lead_id
    db.flush()
    assert evaluate(db, later, now=NOW + WINDOW, holdout=config) == "alerted"
    assert db.scalar(select(Signal.alert_status).where(Signal.id == first.id)) == "held"  # released by the loop
