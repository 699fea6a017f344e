"""Signal type weights: defaults < settings < admin overrides, read afresh by every cycle and digest."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from leadsignal import cli
from leadsignal.alerts.digest import policy_from
from leadsignal.compliance.audit import Actor
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope
from leadsignal.jobs.runtime import build_deps, use_detector
from leadsignal.monitoring.cycle import run_cycle
from leadsignal.nlp.service import SignalDetector
from leadsignal.settings import Settings
from leadsignal.signals.models import POSITIVE_TYPES, Signal, SignalTypeWeight
from leadsignal.signals.score import DEFAULT_TYPE_WEIGHTS
from leadsignal.signals.weights import WeightError, current, effective_weights, set_weights
from tests.monitoring.conftest import T0, sample_deps, seed_leads

ACTOR = Actor("test")


def test_overrides_beat_settings_which_beat_defaults(db: Session, settings: Settings) -> None:
    configured = settings.model_copy(update={"signal_type_weights": {"award": 0.9, "promotion": 0.7}})
    set_weights(db, {"award": 0.2, "license": 3}, actor=ACTOR, user_id=None)
    found = current(db, configured)
    assert found.defaults == {**DEFAULT_TYPE_WEIGHTS, "award": 0.9, "promotion": 0.7}
    assert found.overrides == {"award": 0.2, "license": 3.0}
    assert found.effective == {**DEFAULT_TYPE_WEIGHTS, "award": 0.2, "promotion": 0.7, "license": 3.0}
    set_weights(db, {"award": None, "license": 1.25}, actor=ACTOR, user_id=None)  # update and remove
    assert effective_weights(db, configured) == {**DEFAULT_TYPE_WEIGHTS, "award": 0.9, "promotion": 0.7,
                                                 "license": 1.25}  # fmt: skip
    assert db.scalars(select(SignalTypeWeight.signal_type)).all() == ["license"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"award": 1.0, "lottery": 1.0}, "unknown signal type(s): lottery"),
        ({"open_to_work": 0.5}, "never scored"),
        ({"award": 3.01}, "between 0 and 3 for: award"),
        ({"award": float("nan")}, "between 0 and 3 for: award"),
    ],
)
def test_bad_changes_store_nothing(db: Session, changes: dict[str, float | None], message: str) -> None:
    with pytest.raises(WeightError, match=message.replace("(", r"\(").replace(")", r"\)")):
        set_weights(db, changes, actor=ACTOR, user_id=None)
    assert db.scalars(select(SignalTypeWeight)).all() == []


def test_an_override_applies_to_the_next_cycle_and_digest_without_restart(
    app_ctx: AppContext, signal_detector: SignalDetector
) -> None:
    use_detector(app_ctx, signal_detector)
    seed_leads(app_ctx, 30)
    before = build_deps(app_ctx).policy
    assert before.type_weights == DEFAULT_TYPE_WEIGHTS
    run_cycle(app_ctx, sample_deps(signal_detector, 0, policy=before), now=T0)
    with session_scope(app_ctx.sessions) as session:
        first = list(session.scalars(select(Signal).where(Signal.category == "positive")))
        assert all(s.score_breakdown["type_weight"] == DEFAULT_TYPE_WEIGHTS[s.signal_type] for s in first)
        first_ids = {s.id for s in first}
        set_weights(session, dict.fromkeys(POSITIVE_TYPES, 2.5), actor=ACTOR, user_id=None)
    after = build_deps(app_ctx).policy  # the same process and context: read from the database again
    assert after.type_weights == dict.fromkeys(POSITIVE_TYPES, 2.5)
    assert policy_from(app_ctx).type_weights == after.type_weights
    later = T0 + dt.timedelta(days=8)
    for cycle in range(1, 5):
        run_cycle(app_ctx, sample_deps(signal_detector, cycle, policy=after), now=later + dt.timedelta(days=cycle))
    with session_scope(app_ctx.sessions) as session:
        positive = list(session.scalars(select(Signal).where(Signal.category == "positive")))
    new = [s for s in positive if s.id not in first_ids]
    assert new, "the later cycles should detect positive signals"
    assert {s.score_breakdown["type_weight"] for s in new} == {2.5}
    for s in new:  # the score follows the weight: 2.5 x the product of the other factors
        b = s.score_breakdown
        base = 100 * 2.5 * b["confidence"] * b["match_confidence"] * b["freshness"] * b["balance_factor"]
        expected = min(100.0, base * b["status_factor"] + b["corroboration_bonus"])
        assert s.priority_score == pytest.approx(expected, rel=1e-3, abs=0.02)


def test_cli_shows_and_sets_weights(app_ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("leadsignal.signals.cli.app_context", lambda: app_ctx)
    runner = CliRunner()
    shown = runner.invoke(cli.app, ["signals", "weights"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["overrides"] == {}
    changed = runner.invoke(cli.app, ["signals", "weights", "--set", "award=1.5", "--set", "new_job=0.25"])
    assert changed.exit_code == 0, changed.output
    assert json.loads(changed.output)["overrides"] == {"award": 1.5, "new_job": 0.25}
    reset = runner.invoke(cli.app, ["signals", "weights", "--set", "award=default"])
    assert json.loads(reset.output)["weights"]["award"] == DEFAULT_TYPE_WEIGHTS["award"]
    for args, message in [(["--set", "lottery=1"], "unknown signal type(s): lottery"),
                          (["--set", "award=lots"], "is not a number"), (["--set", "award"], "wants type=weight"),
                          (["--set", "award=9"], "between 0 and 3")]:  # fmt: skip
        bad = runner.invoke(cli.app, ["signals", "weights", *args])
        assert bad.exit_code == 2
        assert message in bad.output
    with session_scope(app_ctx.sessions) as session:
        assert current(session, app_ctx.settings).overrides == {"new_job": 0.25}
