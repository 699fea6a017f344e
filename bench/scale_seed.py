"""Bulk-load a large, realistic book into a migrated PostgreSQL database, for benchmarks at scale.

``seed_scale`` writes teams (a manager and agents each), one admin, leads spread over the teams
(most assigned to an agent) and signals over the last ``days`` days with one evidence row each:
a skewed mix of signal types, priorities from a score, statuses and alert statuses that depend on
the signal's age, as a book that has been worked for months looks. Rows are streamed with COPY
in text format, ids are generated here (so no row has to be read back), secondary indexes are
dropped first and built once at the end, foreign-key triggers are skipped (the ids are consistent
by construction), and the tables are vacuumed and analysed afterwards. 100,000 leads and
1,000,000 signals take about 45 s on two idle cores (2 to 4 minutes when other work shares them).
Needs a superuser connection (trust on 127.0.0.1 in development) because of
``session_replication_role``.

``scratch_database`` creates a throwaway database, migrates it and drops it afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from leadsignal.auth.models import Team, TeamMember, User
from leadsignal.auth.service import password_hasher
from leadsignal.core import migrate
from leadsignal.db import make_engine
from leadsignal.settings import Settings
from leadsignal.signals.merge import summarise
from leadsignal.signals.models import HARDSHIP_TYPES

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "scale-password-123456"  # noqa: S105 - accounts in a throwaway benchmark database
BULK_TABLES = ("leads", "signals", "signal_evidence")
NULL = "\\N"  # COPY text format
# Signal types by how often they occur in a collections book (new jobs dominate).
TYPE_WEIGHTS = {
    "new_job": 30, "promotion": 18, "certification": 14, "license": 8, "award": 5, "business_launch": 4,
    "education": 6, "job_loss": 10, "open_to_work": 5,
}  # fmt: skip
FIRST = ("James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
         "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "Karen",
         "Daniel", "Lisa", "Matthew", "Nancy", "Aisha", "Ashley", "Wei", "Emily", "Ryan", "Nicholas")  # fmt: skip
LAST = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Wilson", "Anderson", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez",
        "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Young", "King", "Nguyen", "Okafor",
        "Kowalski", "Novak", "Haddad", "Tanaka", "Ivanova", "Schmidt", "Rossi", "Dubois", "Silva",
        "Lindqvist")  # fmt: skip
STATES = ("OH", "TX", "CA", "NY", "FL", "PA", "IL", "GA", "NC", "MI")
CREDITORS = ("Ohio State University", "Kent State University", "Ohio Department of Taxation", "Sinclair College")
ORGS = ("Cleveland Clinic", "Kroger", "Progressive", "Nationwide", "H-E-B", "Costco", "Acme Logistics",
        "St. David's Medical Center", "JPMorgan Chase", "Own business")  # fmt: skip
TITLES = ("Registered Nurse", "Charge Nurse", "Data Analyst", "Store Manager", "Electrician", "Account Executive",
          "Software Engineer", "Operations Lead", "Teacher", "Paralegal")  # fmt: skip
CREDENTIALS = ("PMP", "CompTIA Security+", "Professional Engineer (PE)", "Real estate licence", "CDL Class A",
               "BLS Certification", "MBA", "CPA")  # fmt: skip
SNIPPETS = {
    "new_job": "Excited to share that I started a new position as {title} at {org}!",
    "promotion": "Thrilled to announce my promotion to {title} at {org}.",
    "certification": "Just earned my {credential} certification. Hard work pays off.",
    "license": "Passed the exam and received my {credential}.",
    "award": "Honoured to receive the employee of the year award at {org}.",
    "business_launch": "After years of planning I launched my own company, {org}.",
    "education": "Graduated today with an {credential}!",
    "job_loss": "After six years my position at {org} was eliminated. Open to new opportunities.",
    "open_to_work": "I am #OpenToWork and looking for my next role as {title}.",
}
# Which of org (o), title (t) and credential (c) a type's summary names; the rest name a credential.
USES = {"new_job": "ot", "promotion": "ot", "job_loss": "o", "open_to_work": "t", "award": "o", "business_launch": "o"}
BLOCK_REASONS = ('["opted_out"]', '["cease_and_desist"]', '["recent_contact"]', '["bankruptcy"]')


@dataclass(frozen=True)
class SeedInfo:
    """Who can sign in (all with ``password``) and what was loaded, with the time of each phase."""

    password: str
    admin_email: str
    team_ids: tuple[int, ...]
    manager_emails: tuple[str, ...]  # one per team, in the order of team_ids
    agent_emails: tuple[tuple[str, ...], ...]  # per team, in the order of team_ids
    leads: int
    signals: int
    seconds: dict[str, float] = field(default_factory=dict)


@contextmanager
def scratch_database(prefix: str = "leadsignal_scale", admin_url: str = PG_ADMIN) -> Iterator[str]:
    """A fresh, migrated database on the local server; dropped (even while in use) on exit."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def seed_scale(
    database_url: str,
    *,
    leads: int,
    signals: int,
    seed: int,
    teams: int = 10,
    agents_per_team: int = 8,
    days: int = 180,
) -> SeedInfo:
    """Load the book into an empty, migrated database (see the module docstring)."""
    if leads < 1 or signals < 0 or teams < 1 or agents_per_team < 1:
        raise ValueError("leads, teams and agents_per_team must be positive and signals not negative")
    dsn = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        row = conn.execute("SELECT EXISTS (SELECT 1 FROM leads) OR EXISTS (SELECT 1 FROM teams)").fetchone()
    if row != (False,):
        raise ValueError("seed_scale needs a migrated database without leads or teams (it numbers the rows itself)")
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    seconds: dict[str, float] = {}
    started = t0 = time.perf_counter()
    info = _people(database_url, teams, agents_per_team, now)
    seconds["users and teams"] = time.perf_counter() - t0
    with psycopg.connect(dsn, autocommit=True) as conn:
        cur = conn.cursor()
        cur.execute("SET session_replication_role = replica")
        cur.execute("SET maintenance_work_mem = '256MB'")
        cur.execute("SET synchronous_commit = off")
        dropped = _drop_secondary_indexes(cur)
        agent_ids = _agent_ids(cur, info.team_ids)
        t0 = time.perf_counter()
        lead_team, lead_assignee = _copy_leads(cur, rng, leads, info.team_ids, agent_ids, now)
        seconds["leads"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        _copy_signals(cur, rng, signals, lead_team, lead_assignee, agent_ids, now, days)
        seconds["signals and evidence"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for definition in dropped:
            cur.execute(definition)
        for table in BULK_TABLES:
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 0) + 1"
                        f" FROM {table}), false)")  # fmt: skip
        seconds["indexes"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        cur.execute("SET session_replication_role = origin")
        cur.execute(f"VACUUM (ANALYZE) {', '.join(BULK_TABLES)}")
        cur.execute("ANALYZE")
        seconds["vacuum and analyze"] = time.perf_counter() - t0
    seconds["total"] = time.perf_counter() - started
    return SeedInfo(
        password=PASSWORD,
        admin_email=info.admin_email,
        team_ids=info.team_ids,
        manager_emails=info.manager_emails,
        agent_emails=info.agent_emails,
        leads=leads,
        signals=signals,
        seconds=seconds,
    )


def _people(database_url: str, teams: int, agents_per_team: int, now: dt.datetime) -> SeedInfo:
    """Users and teams through the ORM (a few hundred rows), one password hash shared by all."""
    settings = Settings(_env_file=None, env="test", database_url=database_url)
    password_hash = password_hasher(settings)[0].hash(PASSWORD)
    engine = make_engine(database_url)
    with Session(engine) as session, session.begin():

        def user(email: str, role: str) -> User:
            row = User(email=email, password_hash=password_hash, role=role, is_active=True, failed_logins=0,
                       created_at=now)  # fmt: skip
            session.add(row)
            return row

        admin = user("admin@scale.example", "admin")
        team_ids, managers, agents = [], [], []
        for t in range(teams):
            manager = user(f"manager{t}@scale.example", "manager")
            members = [user(f"agent{t}-{a}@scale.example", "agent") for a in range(agents_per_team)]
            session.flush()
            team = Team(name=f"Collections team {t + 1}", manager_user_id=manager.id, created_at=now)
            session.add(team)
            session.flush()
            session.add_all(TeamMember(user_id=m.id, team_id=team.id) for m in [manager, *members])
            team_ids.append(team.id)
            managers.append(manager.email)
            agents.append(tuple(m.email for m in members))
        admin_email = admin.email
    engine.dispose()
    return SeedInfo(PASSWORD, admin_email, tuple(team_ids), tuple(managers), tuple(agents), 0, 0)


def _agent_ids(cur: psycopg.Cursor[tuple[int, int]], team_ids: Sequence[int]) -> dict[int, list[int]]:
    cur.execute(
        "SELECT m.team_id, u.id FROM team_members m JOIN users u ON u.id = m.user_id"
        " WHERE u.role = 'agent' ORDER BY u.id"
    )
    out: dict[int, list[int]] = {t: [] for t in team_ids}
    for team_id, user_id in cur.fetchall():
        out[team_id].append(user_id)
    return out


def _drop_secondary_indexes(cur: psycopg.Cursor[tuple[str, str]]) -> list[str]:
    """Drop the bulk tables' indexes that back no constraint; returns their definitions to rebuild."""
    cur.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        (list(BULK_TABLES),),
    )
    rows = cur.fetchall()
    for name, _ in rows:
        cur.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in rows]


def _extras(cur: psycopg.Cursor[tuple[str, str]], table: str, given: Sequence[str]) -> tuple[str, str]:
    """NOT NULL columns without a default that this file does not know (added by later features)."""
    cur.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public'"
        " AND table_name = %s AND is_nullable = 'NO' AND column_default IS NULL ORDER BY ordinal_position",
        (table,),
    )
    filler = {"json": "{}", "jsonb": "{}", "text": "", "character varying": "", "boolean": "f"}
    extra = [(col, filler.get(kind, "0")) for col, kind in cur.fetchall() if col not in given]
    return "".join(f", {c}" for c, _ in extra), "".join(f"\t{v}" for _, v in extra)


def _ts(value: dt.datetime) -> str:
    return value.isoformat(sep=" ")


def _copy(cur: psycopg.Cursor[tuple[str, str]], table: str, columns: Sequence[str], lines: Iterator[str]) -> None:
    names, suffix = _extras(cur, table, columns)
    with cur.copy(f"COPY {table} ({', '.join(columns)}{names}) FROM STDIN") as copy:
        batch: list[str] = []
        for line in lines:
            batch.append(line + suffix + "\n")
            if len(batch) >= 20_000:
                copy.write("".join(batch))
                batch.clear()
        copy.write("".join(batch))


def _copy_leads(
    cur: psycopg.Cursor[tuple[str, str]],
    rng: random.Random,
    count: int,
    team_ids: Sequence[int],
    agent_ids: dict[int, list[int]],
    now: dt.datetime,
) -> tuple[list[int | None], list[int | None]]:
    """Leads 1..count: 97% in a team, three in four of those assigned to one of its agents."""
    teams: list[int | None] = [None]
    assignees: list[int | None] = [None]
    stamp = _ts(now)

    def lines() -> Iterator[str]:
        for i in range(1, count + 1):
            team = rng.choice(team_ids) if rng.random() < 0.97 else None
            assignee = rng.choice(agent_ids[team]) if team is not None and rng.random() < 0.75 else None
            teams.append(team)
            assignees.append(assignee)
            first, last = rng.choice(FIRST), rng.choice(LAST)
            since = now.date() - dt.timedelta(days=rng.randint(60, 2500))
            yield (f"{i}\t{first} {last}\t{first}\t{last}\tS-{i:08d}\tSpringfield\t{rng.choice(STATES)}\t"
                   f"{rng.randint(10000, 99999)}\t{rng.choice(CREDITORS)}\t{rng.randint(200, 60000)}.00\t{since}\t"
                   f"Active - Delinquent\t{rng.randint(1950, 2002)}\tf\t{{}}\t1\t{stamp}\t{stamp}\t"
                   f"{NULL if team is None else team}\t{NULL if assignee is None else assignee}")  # fmt: skip

    columns = ("id", "debtor_name", "first_name", "last_name", "agency_id_number", "city", "state", "zip",
               "org_creditor", "total_due", "delinquent_since", "status_description", "birth_year",
               "do_not_scrape", "extra", "version", "created_at", "updated_at", "team_id",
               "assignee_user_id")  # fmt: skip
    _copy(cur, "leads", columns, lines())
    return teams, assignees


@dataclass(frozen=True)
class _Kind:
    """A pre-rendered signal shape: the per-row work is then a few random draws and one f-string."""

    signal_type: str
    category: str
    org: str
    title: str
    credential: str
    summary: str
    snippet: str
    confidence: float
    score: float
    priority: str
    breakdown: str


def _kinds(rng: random.Random, n: int = 4000) -> list[_Kind]:
    types, weights = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
    out = []
    for _ in range(n):
        kind = rng.choices(types, weights)[0]
        org, title, credential = rng.choice(ORGS), rng.choice(TITLES), rng.choice(CREDENTIALS)
        uses = USES.get(kind, "c")
        o, t, c = (
            (org if "o" in uses else None),
            (title if "t" in uses else None),
            (credential if "c" in uses else None),
        )
        confidence = round(rng.uniform(0.55, 0.99), 3)
        score = round(min(99.0, max(1.0, rng.gauss(45, 18) * (0.6 + confidence / 2))), 1)
        priority = "high" if score >= 70 else "medium" if score >= 40 else "low"
        breakdown = json.dumps({"type_weight": 1.0, "confidence": confidence, "match_confidence": 0.95,
                                "freshness": 1.0, "balance_band": rng.choice(["<5k", "5k-20k", ">20k"]),
                                "balance_factor": 1.0, "status_factor": 1.0, "corroboration_bonus": 0.0,
                                "score": score})  # fmt: skip
        out.append(_Kind(kind, "hardship" if kind in HARDSHIP_TYPES else "positive", o or NULL, t or NULL,
                         c or NULL, summarise(kind, org=o, title=t, credential=c),
                         SNIPPETS[kind].format(org=org, title=title, credential=credential), confidence, score,
                         priority, breakdown))  # fmt: skip
    for k in out:
        assert not any(ch in f"{k.summary}{k.snippet}{k.breakdown}" for ch in "\t\n\\"), k
    return out


def _copy_signals(
    cur: psycopg.Cursor[tuple[str, str]],
    rng: random.Random,
    count: int,
    lead_team: list[int | None],
    lead_assignee: list[int | None],
    agent_ids: dict[int, list[int]],
    now: dt.datetime,
    days: int,
) -> None:
    """Signals 1..count in arrival order (ids grow with detected_at), on 60% of the leads."""
    kinds = _kinds(rng)
    active = rng.sample(range(1, len(lead_team)), max(1, (len(lead_team) - 1) * 3 // 5))
    start = now - dt.timedelta(days=days)
    step = (days * 86400 - 60) / max(count, 1)
    evidence: list[str] = []

    def lines() -> Iterator[str]:
        for i in range(1, count + 1):
            k = kinds[rng.randrange(len(kinds))]
            lead = active[rng.randrange(len(active))]
            team, assignee = lead_team[lead], lead_assignee[lead]
            if assignee is None and team is not None:
                assignee = rng.choice(agent_ids[team])
            detected = start + dt.timedelta(seconds=step * i)
            age = (now - detected).days
            roll = rng.random()
            if k.category == "hardship":
                alert = "hardship"
            elif age == 0 and roll < 0.02:
                alert = "pending"
            else:
                alert = "blocked" if roll < 0.1 else "alerted"
            handled = 0.85 if age > 14 else 0.45 if age > 2 else 0.2
            status = "new"
            acknowledged = NULL
            if rng.random() < handled:
                status = rng.choices(("acknowledged", "confirmed", "rejected"), (6, 3, 1))[0]
                acknowledged = _ts(detected + dt.timedelta(minutes=rng.randint(5, 2880)))
            alerted = latency = NULL
            if alert in ("alerted", "hardship"):
                latency_ms = rng.randint(300, 6000)
                alerted, latency = _ts(detected + dt.timedelta(milliseconds=latency_ms)), str(latency_ms)
            reasons = rng.choice(BLOCK_REASONS) if alert == "blocked" else "[]"
            stamp = _ts(detected)
            expires = detected + dt.timedelta(days=90)
            escalated = "0"
            if k.priority == "high" and status == "new" and alert == "alerted":
                # Escalated as the embedded default would have: level 1 after 4 hours, level 2 after 8.
                escalated = str(min(2, int((now - detected).total_seconds() // (4 * 3600))))
            sentiment = "negative" if k.category == "hardship" else "positive"
            yield (f"{i}\t{lead}\t{k.signal_type}\t{k.category}\t{status}\t{k.confidence}\t0.95\t"
                   f"{detected.date() - dt.timedelta(days=rng.randint(0, 5))}\t{stamp}\t{stamp}\t{k.org}\t{k.title}\t"
                   f"{k.credential}\t{k.summary}\t{sentiment}\t0.6\tscale-seed\t1\t{k.score}\t{k.priority}\t"
                   f"{k.breakdown}\t{'t' if expires < now else 'f'}\t{_ts(expires)}\t{alert}\t{reasons}\t"
                   f"{NULL if assignee is None or alert == 'blocked' else assignee}\t"
                   f"{NULL if team is None or alert == 'blocked' else team}\t{alerted}\t{latency}\t{acknowledged}\t"
                   f"{escalated}")  # fmt: skip
            kind = "post" if rng.random() < 0.8 else "profile_diff"
            url = f"https://www.linkedin.com/posts/scale-{i}" if kind == "post" else NULL
            evidence.append(f"{i}\t{i}\tscale:{i}\t{kind}\t{url}\t{k.snippet}\t{k.signal_type}\t{k.confidence}\t"
                            f"scale-seed\t{stamp}\t{{}}")  # fmt: skip

    columns = ("id", "lead_id", "signal_type", "category", "status", "confidence", "match_confidence", "event_date",
               "detected_at", "updated_at", "org", "title", "credential", "summary", "sentiment_label",
               "sentiment_score", "model_version", "evidence_count", "priority_score", "priority",
               "score_breakdown", "stale", "expires_at", "alert_status", "blocked_reasons", "assignee_user_id",
               "routed_team_id", "alerted_at", "alert_latency_ms", "acknowledged_at", "escalation_level")  # fmt: skip
    _copy(cur, "signals", columns, lines())
    evidence_columns = ("id", "signal_id", "evidence_key", "kind", "source_url", "snippet", "signal_type",
                        "confidence", "model_version", "observed_at", "details")  # fmt: skip
    _copy(cur, "signal_evidence", evidence_columns, iter(evidence))
