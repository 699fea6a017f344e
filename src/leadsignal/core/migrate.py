"""Run Alembic migrations from code (CLI, tests, the demo command)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, target: str = "heads") -> None:
    """Upgrade to every head: domains may add independent branches, all of which must apply.

    For ``heads``, revisions are applied one at a time in dependency order. Alembic's head
    bookkeeping fails (KeyError in ``HeadMaintainer``) when a revision whose ``depends_on`` names
    sibling branches runs in the same step as those branches, and which order it picks changes as
    revisions are added; one revision per step never hits that.
    """
    with engine.begin() as connection:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        if target == "heads":
            for revision in _in_dependency_order(cfg):
                command.upgrade(cfg, revision)
        command.upgrade(cfg, target)


def _in_dependency_order(cfg: Config) -> list[str]:
    """Every revision, each after its parent and its ``depends_on`` revisions."""
    from alembic.script import ScriptDirectory

    scripts = {s.revision: s for s in ScriptDirectory.from_config(cfg).walk_revisions()}
    ordered: list[str] = []
    done: set[str] = set()

    def visit(rev: str) -> None:
        if rev in done:
            return
        done.add(rev)
        script = scripts[rev]
        for parent in script._all_down_revisions:  # parents and depends_on, resolved
            visit(parent)
        ordered.append(rev)

    for rev in sorted(scripts):
        visit(rev)
    return ordered


def downgrade(engine: Engine, target: str) -> None:
    with engine.begin() as connection:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, target)


def current_heads(engine: Engine) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())
