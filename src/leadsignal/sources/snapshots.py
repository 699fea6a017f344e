"""Profile snapshots and posts: the normalise stage's storage.

A snapshot is stored only when the profile's content hash changes, so the history is a list of
real changes (and the diff of the last two is the detect stage's input). Posts are stored once
per platform post id; the unique constraint plus on-conflict-do-nothing makes concurrent workers
and retries safe on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any, cast

from pydantic import BaseModel, ConfigDict
from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, String, Table, Text, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from leadsignal.db import Base, BigIntPK, UTCDateTime, utcnow
from leadsignal.sources.records import PostRecord, ProfileRecord


class ProfileSnapshot(Base):
    """One distinct version of a profile. ``data`` is ``ProfileRecord.model_dump(mode="json")``."""

    __tablename__ = "profile_snapshots"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    profile_url: Mapped[str] = mapped_column(String(255))
    lead_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("leads.id", ondelete="CASCADE"))
    content_hash: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    fetched_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    source: Mapped[str] = mapped_column(String(40))

    __table_args__ = (
        Index("ix_profile_snapshots_profile_url_fetched_at", "profile_url", "fetched_at"),
        Index("ix_profile_snapshots_lead_id", "lead_id"),
        Index("ix_profile_snapshots_fetched_at", "fetched_at"),
    )


class StoredPost(Base):
    """A post seen once. ``first_seen_at`` is when we first stored it, not when it was posted."""

    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    post_id: Mapped[str] = mapped_column(String(64), unique=True)
    profile_url: Mapped[str | None] = mapped_column(String(255))
    lead_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("leads.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    posted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    url: Mapped[str | None] = mapped_column(Text)
    is_repost: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(40))
    first_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        Index("ix_posts_profile_url_posted_at", "profile_url", "posted_at"),
        Index("ix_posts_lead_id", "lead_id"),
        Index("ix_posts_first_seen_at", "first_seen_at"),
    )


_POSTS = cast(Table, StoredPost.__table__)
_URL_CHUNK = 500  # profile URLs per IN (...) query


class StoreResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    snapshot_id: int
    changed: bool
    previous: ProfileRecord | None  # the latest stored version before this call (None for a first sight)


class SnapshotView(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    profile_url: str
    lead_id: int | None
    content_hash: str
    fetched_at: dt.datetime
    source: str
    profile: ProfileRecord


class PurgeCounts(BaseModel):
    model_config = ConfigDict(frozen=True)

    snapshots: int
    posts: int


def content_hash(profile: ProfileRecord) -> str:
    """sha256 of the record's canonical JSON; ``fetched_at`` and ``source`` are excluded by the model."""
    payload = json.dumps(profile.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _to_record(row: ProfileSnapshot) -> ProfileRecord:
    record = ProfileRecord.model_validate(row.data)
    return record.model_copy(update={"fetched_at": row.fetched_at, "source": row.source})


def _latest_row(session: Session, profile_url: str) -> ProfileSnapshot | None:
    stmt = (
        select(ProfileSnapshot)
        .where(ProfileSnapshot.profile_url == profile_url)
        .order_by(ProfileSnapshot.fetched_at.desc(), ProfileSnapshot.id.desc())
        .limit(1)
    )
    return session.scalars(stmt).first()


def store_profile(session: Session, lead_id: int | None, profile: ProfileRecord) -> StoreResult:
    """Store a snapshot only if the content changed since the latest one for this profile URL."""
    return store_profiles(session, [(lead_id, profile)])[0]


def _latest_rows(session: Session, urls: Sequence[str]) -> dict[str, ProfileSnapshot]:
    latest: dict[str, ProfileSnapshot] = {}
    for start in range(0, len(urls), _URL_CHUNK):
        chunk = urls[start : start + _URL_CHUNK]
        ranked = (
            select(
                ProfileSnapshot.id,
                func.row_number()
                .over(
                    partition_by=ProfileSnapshot.profile_url,
                    order_by=(ProfileSnapshot.fetched_at.desc(), ProfileSnapshot.id.desc()),
                )
                .label("rank"),
            )
            .where(ProfileSnapshot.profile_url.in_(chunk))
            .subquery()
        )
        stmt = select(ProfileSnapshot).join(ranked, ranked.c.id == ProfileSnapshot.id).where(ranked.c.rank == 1)
        latest.update((row.profile_url, row) for row in session.scalars(stmt))
    return latest


def store_profiles(session: Session, items: Sequence[tuple[int | None, ProfileRecord]]) -> list[StoreResult]:
    """``store_profile`` for a batch (one actor run's worth): one query for the latest versions,
    one flush. Results are in input order; a URL repeated in the batch is compared in order.

    Two workers storing the same new version at the same moment may both insert it; that costs a
    duplicate row whose diff is empty, never a lost change, so no lock is taken.
    """
    latest = _latest_rows(session, list(dict.fromkeys(p.profile_url for _, p in items)))
    outcomes: list[tuple[ProfileSnapshot, bool, ProfileRecord | None]] = []
    for lead_id, profile in items:
        digest = content_hash(profile)
        row = latest.get(profile.profile_url)
        previous = _to_record(row) if row is not None else None
        if row is not None and row.content_hash == digest:
            if lead_id is not None and row.lead_id is None:
                row.lead_id = lead_id
            outcomes.append((row, False, previous))
            continue
        row = ProfileSnapshot(
            profile_url=profile.profile_url,
            lead_id=lead_id,
            content_hash=digest,
            data=profile.model_dump(mode="json"),
            fetched_at=profile.fetched_at or utcnow(),
            source=profile.source,
        )
        session.add(row)
        latest[profile.profile_url] = row
        outcomes.append((row, True, previous))
    session.flush()
    return [StoreResult(snapshot_id=row.id, changed=changed, previous=prev) for row, changed, prev in outcomes]


def latest_snapshot(session: Session, profile_url: str) -> SnapshotView | None:
    """The newest stored version of a profile (``profile_url`` canonical, as records carry it)."""
    row = _latest_row(session, profile_url)
    if row is None:
        return None
    return SnapshotView(
        id=row.id,
        profile_url=row.profile_url,
        lead_id=row.lead_id,
        content_hash=row.content_hash,
        fetched_at=row.fetched_at,
        source=row.source,
        profile=_to_record(row),
    )


def store_posts(
    session: Session, lead_id: int | None, posts: Iterable[PostRecord], *, profile_url: str | None = None
) -> list[PostRecord]:
    """Store each post once; returns only the posts this call inserted (in input order).

    ``profile_url`` names the monitored profile the posts were fetched for; without it the post's
    author URL is used.
    """
    unique: dict[str, PostRecord] = {}
    for post in posts:
        unique.setdefault(post.post_id, post)
    if not unique:
        return []
    now = utcnow()
    rows = [
        {
            "post_id": post.post_id,
            "profile_url": profile_url or post.author_profile_url,
            "lead_id": lead_id,
            "text": post.text,
            "posted_at": post.posted_at,
            "url": post.url,
            "is_repost": post.is_repost,
            "source": post.source,
            "first_seen_at": now,
        }
        for post in unique.values()
    ]
    session.flush()
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    # One cached statement run as "insertmanyvalues" (batched, with RETURNING of the rows that
    # were really inserted) instead of a freshly compiled multi-VALUES statement per call.
    stmt = insert(_POSTS).on_conflict_do_nothing(index_elements=["post_id"]).returning(_POSTS.c.post_id)
    inserted = set(session.connection().execute(stmt, rows).scalars())
    return [post for post in unique.values() if post.post_id in inserted]


def posts_for_profile(session: Session, profile_url: str, *, limit: int = 100) -> list[PostRecord]:
    """Stored posts of a profile, newest first."""
    stmt = (
        select(StoredPost)
        .where(StoredPost.profile_url == profile_url)
        .order_by(StoredPost.posted_at.desc(), StoredPost.id.desc())
        .limit(limit)
    )
    return [
        PostRecord(
            post_id=row.post_id,
            url=row.url,
            author_profile_url=row.profile_url,
            text=row.text,
            posted_at=row.posted_at,
            is_repost=row.is_repost,
            source=row.source,
        )
        for row in session.scalars(stmt)
    ]


def purge_lead_data(session: Session, lead_id: int, *, profile_urls: Sequence[str] = ()) -> PurgeCounts:
    """Delete a lead's snapshots and posts (opt-out, erasure), including rows stored under its
    profile URLs before the lead was linked."""
    snap_filter = ProfileSnapshot.lead_id == lead_id
    post_filter = StoredPost.lead_id == lead_id
    if profile_urls:
        snap_filter = snap_filter | ProfileSnapshot.profile_url.in_(list(profile_urls))
        post_filter = post_filter | StoredPost.profile_url.in_(list(profile_urls))
    snaps = session.execute(delete(ProfileSnapshot).where(snap_filter).returning(ProfileSnapshot.id)).all()
    posts = session.execute(delete(StoredPost).where(post_filter).returning(StoredPost.id)).all()
    session.flush()
    return PurgeCounts(snapshots=len(snaps), posts=len(posts))
