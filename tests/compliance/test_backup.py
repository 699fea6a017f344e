"""Backups on the test database: create, mutate, restore, data back; encrypted fields stay encrypted."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from leadsignal.cli import app
from leadsignal.compliance import backup
from leadsignal.compliance.tasks import retention_due, run_maintenance_loop
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import session_scope
from leadsignal.jobs.celery_app import create_celery_app
from leadsignal.leads.models import Lead
from tests.factories import make_lead

TAX_ID = "987-65-4321"


def _dump_text(path: Path, kind: str) -> bytes:
    """What an attacker holding the backup file reads: the raw bytes, or pg_restore's SQL for a dump."""
    if kind == "sqlite":
        return path.read_bytes()
    done = subprocess.run(["pg_restore", "--file=-", str(path)], capture_output=True, check=True)
    return done.stdout


def test_create_mutate_restore_brings_the_data_back(app_ctx: AppContext, cipher: PiiCipher, tmp_path: Path) -> None:
    with session_scope(app_ctx.sessions) as session:
        lead = make_lead(session, cipher, debtor_name="Rosa Parks Example", tax_id=TAX_ID)
        lead_id, ciphertext = lead.id, lead.tax_id_enc
    assert ciphertext is not None
    assert ciphertext.startswith("v1:")

    manifest = backup.create_backup(app_ctx.engine, tmp_path / "backups")
    path = tmp_path / "backups" / manifest.file
    kind = app_ctx.engine.dialect.name
    assert manifest.db_kind == kind
    assert manifest.size_bytes == path.stat().st_size
    assert "1400" in manifest.alembic_heads
    raw = _dump_text(path, kind)
    assert ciphertext.encode() in raw  # the row is in the backup...
    assert TAX_ID.encode() not in raw
    assert TAX_ID.replace("-", "").encode() not in raw

    with session_scope(app_ctx.sessions) as session:
        session.delete(session.get_one(Lead, lead_id))
        make_lead(session, cipher, debtor_name="Added After Backup")
    backup.restore_backup(app_ctx.engine, path)

    with session_scope(app_ctx.sessions) as session:
        names = set(session.scalars(select(Lead.debtor_name)))
        restored = session.get_one(Lead, lead_id)
        assert cipher.decrypt(restored.tax_id_enc or "", context="tax_id") == TAX_ID
    assert names == {"Rosa Parks Example"}


def test_a_corrupt_or_foreign_backup_is_refused(app_ctx: AppContext, tmp_path: Path) -> None:
    manifest = backup.create_backup(app_ctx.engine, tmp_path)
    path = tmp_path / manifest.file
    assert backup.verify_backup(path).sha256 == manifest.sha256
    other = "postgresql" if manifest.db_kind == "sqlite" else "sqlite"
    foreign = tmp_path / "foreign" / manifest.file
    foreign.parent.mkdir()
    shutil.copy(path, foreign)
    backup.manifest_path(foreign).write_text(manifest.model_copy(update={"db_kind": other}).model_dump_json())
    with pytest.raises(backup.BackupError, match="backup; the configured database is"):
        backup.restore_backup(app_ctx.engine, foreign)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(backup.BackupError, match="sha256 does not match"):
        backup.restore_backup(app_ctx.engine, path)
    backup.manifest_path(path).unlink()
    with pytest.raises(backup.BackupError, match="has no manifest"):
        backup.verify_backup(path)


def test_missing_pg_tools_give_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(backup.BackupError, match="pg_dump is not installed"):
        backup._tool("pg_dump")


def test_pg_dump_failures_are_reported(tmp_path: Path) -> None:
    fake = tmp_path / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump: error: aborting because of server version mismatch' >&2\nexit 1\n")
    fake.chmod(0o755)
    with pytest.raises(backup.BackupError, match=r"server version mismatch.*major version or newer"):
        backup._run([str(fake)], {}, "pg_dump")


def test_scheduled_backups_follow_the_schedule_and_keep_the_newest(app_ctx: AppContext, tmp_path: Path) -> None:
    settings = app_ctx.settings.model_copy(
        update={"backup_dir": tmp_path, "backup_schedule_hours": 6, "backup_keep": 2}
    )
    start = dt.datetime(2026, 11, 24, 0, 0, tzinfo=dt.UTC)
    made = [backup.scheduled_backup(app_ctx.engine, settings, now=start + dt.timedelta(hours=h)) for h in (0, 1, 7, 14)]
    assert [m is not None for m in made] == [True, False, True, True]
    kept = backup.list_backups(tmp_path)
    assert [p.name for p in kept] == [m.file for m in made[2:] if m]
    assert all(backup.manifest_path(p).exists() for p in kept)
    assert len(list(tmp_path.glob("*.manifest.json"))) == 2
    off = settings.model_copy(update={"backup_schedule_hours": 0})
    assert backup.scheduled_backup(app_ctx.engine, off, now=start + dt.timedelta(days=3)) is None


def test_backup_cli_create_verify_restore(cli_env: Path) -> None:
    runner = CliRunner()
    created = runner.invoke(app, ["backup", "create", "--out", str(cli_env / "b")])
    assert created.exit_code == 0, created.output
    (path,) = backup.list_backups(cli_env / "b")
    assert runner.invoke(app, ["backup", "verify", str(path)]).exit_code == 0
    listed = runner.invoke(app, ["backup", "list", "--dir", str(cli_env / "b")])
    assert path.name in listed.output
    refused = runner.invoke(app, ["backup", "restore", str(path)], input="n\n")
    assert refused.exit_code == 1
    assert "Aborted" in refused.output
    restored = runner.invoke(app, ["backup", "restore", str(path), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert "restored" in restored.output
    missing = runner.invoke(app, ["backup", "restore", str(cli_env / "nope.sqlite3"), "--yes"])
    assert missing.exit_code == 1
    assert "no backup file" in missing.output


def test_schedules_run_retention_and_backups(app_ctx: AppContext, tmp_path: Path) -> None:
    beat = create_celery_app(app_ctx.settings, lambda: app_ctx).conf.beat_schedule
    assert beat["compliance-retention"]["task"] == "leadsignal.compliance.retention"
    assert beat["compliance-backup"]["schedule"] == 24 * 3600.0
    assert "monitor-cycle" in beat

    app_ctx.settings = app_ctx.settings.model_copy(update={"backup_dir": tmp_path})
    assert retention_due(app_ctx, dt.datetime.now(dt.UTC))
    stop = threading.Event()
    worker = threading.Thread(target=run_maintenance_loop, args=(app_ctx, stop, 0.05, 0.0))
    worker.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (
        not backup.list_backups(tmp_path) or retention_due(app_ctx, dt.datetime.now(dt.UTC))
    ):
        time.sleep(0.1)
    stop.set()
    worker.join(10)
    assert len(backup.list_backups(tmp_path)) == 1  # the schedule (24 h) is not due again
    assert not retention_due(app_ctx, dt.datetime.now(dt.UTC))
