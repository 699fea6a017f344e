from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leadsignal.core.crypto import PiiCipher
from leadsignal.leads.models import Lead
from leadsignal.sources.records import Position
from leadsignal.sources.snapshots import (
    ProfileSnapshot,
    StoredPost,
    content_hash,
    latest_snapshot,
    posts_for_profile,
    purge_lead_data,
    store_posts,
    store_profile,
    store_profiles,
)
from tests.factories import make_lead
from tests.sources.factories import job, post, profile

T0 = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)


def _snapshot_count(db: Session, url: str) -> int:
    return db.scalar(select(func.count()).select_from(ProfileSnapshot).where(ProfileSnapshot.profile_url == url)) or 0


def test_same_content_twice_stores_one_snapshot(db: Session) -> None:
    first = profile(fetched_at=T0)
    again = first.model_copy(update={"fetched_at": T0 + dt.timedelta(days=1), "source": "other"})
    r1 = store_profile(db, None, first)
    r2 = store_profile(db, None, again)
    assert (r1.changed, r1.previous) == (True, None)
    assert r2.changed is False
    assert r2.snapshot_id == r1.snapshot_id
    assert r2.previous == first
    assert _snapshot_count(db, first.profile_url) == 1
    assert content_hash(first) == content_hash(again)


def test_changed_content_stores_new_snapshot_with_previous(db: Session) -> None:
    old = profile(fetched_at=T0)
    new = old.model_copy(
        update={"positions": (*old.positions, job("Lead", "Contoso Health")), "fetched_at": T0 + dt.timedelta(days=7)}
    )
    store_profile(db, None, old)
    result = store_profile(db, None, new)
    assert result.changed is True
    assert result.previous is not None
    assert result.previous.positions == old.positions
    assert result.previous.fetched_at == T0
    latest = latest_snapshot(db, old.profile_url)
    assert latest is not None
    assert latest.id == result.snapshot_id
    assert latest.profile == new
    assert latest.profile.positions[-1] == Position(
        title="Lead", company="Contoso Health", start=new.positions[-1].start, is_current=True
    )
    assert latest.fetched_at == T0 + dt.timedelta(days=7)
    assert _snapshot_count(db, old.profile_url) == 2


def test_latest_snapshot_of_unknown_profile_is_none(db: Session) -> None:
    assert latest_snapshot(db, "https://www.linkedin.com/in/nobody-syn0") is None


def test_unchanged_store_links_lead_when_first_stored_without_one(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher)
    record = profile()
    store_profile(db, None, record)
    result = store_profile(db, lead.id, record)
    assert result.changed is False
    view = latest_snapshot(db, record.profile_url)
    assert view is not None
    assert view.lead_id == lead.id


def test_posts_are_stored_once(db: Session) -> None:
    a, b = post(), post()
    assert store_posts(db, None, [a, b, a]) == [a, b]
    assert store_posts(db, None, [a, b]) == []
    c = post()
    assert store_posts(db, None, [b, c]) == [c]
    count = db.scalar(
        select(func.count()).select_from(StoredPost).where(StoredPost.post_id.in_([a.post_id, b.post_id, c.post_id]))
    )
    assert count == 3
    stored = posts_for_profile(db, "https://www.linkedin.com/in/jane-doe-syn1")
    assert {p.post_id for p in stored} >= {a.post_id, b.post_id, c.post_id}
    assert next(p for p in stored if p.post_id == a.post_id).text == a.text


def test_store_posts_uses_given_profile_url(db: Session) -> None:
    p = post(author_profile_url=None)
    store_posts(db, None, [p], profile_url="https://www.linkedin.com/in/owner-syn9")
    (stored,) = posts_for_profile(db, "https://www.linkedin.com/in/owner-syn9")
    assert stored.post_id == p.post_id
    assert store_posts(db, None, []) == []


def test_purge_lead_data(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher)
    other = make_lead(db, cipher)
    mine = profile()
    store_profile(db, lead.id, mine)
    store_profile(db, lead.id, mine.model_copy(update={"headline": "Changed"}))
    unlinked = profile()
    store_profile(db, None, unlinked)
    theirs = profile()
    store_profile(db, other.id, theirs)
    store_posts(db, lead.id, [post(), post()])
    store_posts(db, other.id, [post()])

    counts = purge_lead_data(db, lead.id, profile_urls=[unlinked.profile_url])
    assert (counts.snapshots, counts.posts) == (3, 2)
    assert latest_snapshot(db, mine.profile_url) is None
    assert latest_snapshot(db, unlinked.profile_url) is None
    assert latest_snapshot(db, theirs.profile_url) is not None
    assert db.scalar(select(func.count()).select_from(StoredPost).where(StoredPost.lead_id == other.id)) == 1
    assert purge_lead_data(db, lead.id).snapshots == 0


def test_deleting_a_lead_cascades(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher)
    record = profile()
    store_profile(db, lead.id, record)
    store_posts(db, lead.id, [post()])
    db.delete(db.get(Lead, lead.id))
    db.flush()
    db.expire_all()
    assert latest_snapshot(db, record.profile_url) is None


def test_concurrent_writers_store_a_post_once(sessions) -> None:  # type: ignore[no-untyped-def]
    p = post()
    first, second = sessions(), sessions()
    try:
        assert store_posts(first, None, [p]) == [p]
        first.commit()
        assert store_posts(second, None, [p, post("9" * 19)]) == [post("9" * 19)]
        second.commit()
        assert second.scalar(select(func.count()).select_from(StoredPost)) == 2
    finally:
        first.close()
        second.close()


def test_store_profiles_batch_matches_one_by_one(db: Session) -> None:
    known = profile(fetched_at=T0)
    store_profile(db, None, known)
    changed = known.model_copy(update={"headline": "Senior Analyst", "fetched_at": T0 + dt.timedelta(days=1)})
    fresh = profile(fetched_at=T0)
    results = store_profiles(db, [(None, known), (None, fresh), (None, changed), (None, changed)])
    assert [r.changed for r in results] == [False, True, True, False]
    assert results[0].previous == known
    assert results[1].previous is None
    assert results[2].previous == known
    assert results[3].previous == changed
    assert results[3].snapshot_id == results[2].snapshot_id
    assert _snapshot_count(db, known.profile_url) == 2
    latest = latest_snapshot(db, known.profile_url)
    assert latest is not None
    assert latest.profile.headline == "Senior Analyst"
    assert store_profiles(db, []) == []
