from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from importlib import resources

import pytest

from leadsignal.demo.leadbook import synthetic_rows
from leadsignal.sources.diff import diff_profiles
from leadsignal.sources.mappers import map_profile_item
from leadsignal.sources.records import ProfileRecord
from leadsignal.sources.sample import (
    CHANGE_KINDS,
    CYCLE_DAYS,
    HARDSHIP_POST_KINDS,
    NOISE_POST_KINDS,
    NOT_IN_SAMPLE,
    SIGNAL_POST_KINDS,
    SampleProfileSearch,
    SampleSource,
    slug_name,
)
from leadsignal.sources.snapshots import content_hash

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
CYCLES = 16


@pytest.fixture(scope="module")
def urls() -> list[str]:
    rows = synthetic_rows(160, seed=3, today=NOW.date())
    return [r["linkedin_url"] for r in rows if r["linkedin_url"]]


def at_cycle(cycle: int, seed: int = 7) -> SampleSource:
    return SampleSource(seed=seed, cycle=cycle, now=NOW + dt.timedelta(days=CYCLE_DAYS * cycle))


@pytest.fixture(scope="module")
def history(urls: list[str]) -> dict[int, dict[str, ProfileRecord]]:
    out: dict[int, dict[str, ProfileRecord]] = {}
    for cycle in range(CYCLES + 1):
        results = at_cycle(cycle).fetch_profiles(urls)
        out[cycle] = {r.profile_url: r.profile for r in results if r.profile is not None}
    return out


def test_slug_name() -> None:
    assert slug_name("jane-doe-syn12") == ("Jane", "Doe")
    assert slug_name("mary-smith-jones-syn3") == ("Mary", "Smith-Jones")
    assert slug_name("o'brien-syn3") is None
    assert slug_name("williamhgates") is None


def test_deterministic_for_seed_url_cycle(urls: list[str]) -> None:
    a = at_cycle(5).fetch_profiles(urls[:10]) + at_cycle(5).fetch_posts(urls[:10])
    b = at_cycle(5).fetch_profiles(urls[:10]) + at_cycle(5).fetch_posts(urls[:10])
    assert a == b
    other_seed = at_cycle(5, seed=8).fetch_profiles(urls[:10])
    assert [r.profile for r in other_seed] != [r.profile for r in a[:10]]


def test_profiles_are_mapped_from_harvestapi_items(urls: list[str]) -> None:
    source = at_cycle(3)
    (result,) = source.fetch_profiles([urls[0].upper().replace("HTTPS://WWW.LINKEDIN.COM/IN/", "linkedin.com/in/")])
    assert result.error is None
    raw = source.raw_profile_item(urls[0])
    assert raw is not None
    assert "experience" in raw
    assert "linkedinUrl" in raw
    assert result.profile == map_profile_item(raw, source="sample", fetched_at=source.now)
    assert result.profile is not None
    assert result.profile.profile_url == urls[0]
    assert result.profile.source == "sample"
    assert result.profile.fetched_at == source.now
    assert "Synthetic" in (result.profile.about or "")


def test_unknown_urls_are_errors() -> None:
    urls = [
        "https://www.linkedin.com/in/williamhgates",
        "https://example.com/in/jane-doe-syn1",
        "https://www.linkedin.com/in/syn-syn5",
    ]
    for result in SampleSource().fetch_profiles(urls) + SampleSource().fetch_posts(urls):
        assert result.error == NOT_IN_SAMPLE
        assert result.profile is None
        assert result.posts == ()


def test_base_career_fits_age_21_to_30(history: dict[int, dict[str, ProfileRecord]]) -> None:
    for profile in history[0].values():
        first_name, _ = slug_name(profile.profile_url.rsplit("/", 1)[-1]) or ("", "")
        assert profile.first_name == first_name
        assert profile.state is not None
        assert profile.country_code == "US"
        starts = [p.start.year for p in profile.positions if p.start] + [
            e.start.year for e in profile.education if e.start
        ]
        assert starts, profile.profile_url
        assert min(starts) >= NOW.year - 30 + 17
        assert max(starts) <= NOW.year
        assert all(
            p.start is not None and (p.start.year, p.start.month or 1) <= (NOW.year, NOW.month)
            for p in profile.positions
        )


def test_history_is_stable_and_every_event_kind_appears(
    urls: list[str], history: dict[int, dict[str, ProfileRecord]]
) -> None:
    seen: Counter[str] = Counter()
    for cycle in range(1, CYCLES + 1):
        truth_source = at_cycle(cycle)
        for url in urls:
            old, new = history[cycle - 1][url], history[cycle][url]
            events = diff_profiles(old, new)
            changed_now = [c for c in truth_source.truth(url).changes if c.cycle == cycle]
            if not changed_now:
                # no simulated change: same content, so the snapshot store keeps one version
                assert content_hash(old) == content_hash(new), (url, cycle)
                assert events == []
            else:
                assert events, (url, cycle, changed_now)
            seen.update(e.kind for e in events)
    assert set(seen) == {
        "new_position_new_employer",
        "new_title_same_employer",
        "new_certification",
        "new_education",
        "new_honor",
        "position_ended",
        "open_to_work",
    }


def test_every_change_and_post_kind_appears(urls: list[str]) -> None:
    source = at_cycle(CYCLES)
    changes: Counter[str] = Counter()
    post_kinds: Counter[str] = Counter()
    for url in urls:
        truth = source.truth(url)
        changes.update(c.kind for c in truth.changes)
        post_kinds.update(truth.post_kinds.values())
    assert set(changes) == set(CHANGE_KINDS)
    assert set(post_kinds) == set(SIGNAL_POST_KINDS) | set(HARDSHIP_POST_KINDS) | set(NOISE_POST_KINDS)
    noise = sum(post_kinds[k] for k in NOISE_POST_KINDS)
    assert noise > sum(post_kinds[k] for k in SIGNAL_POST_KINDS)  # plenty of non-signals


def test_post_kinds_match_the_bundled_templates() -> None:
    raw = json.loads(resources.files("leadsignal.sources").joinpath("sample_data/post_templates.json").read_text())
    assert set(raw["kinds"]) == set(SIGNAL_POST_KINDS) | set(HARDSHIP_POST_KINDS) | set(NOISE_POST_KINDS)


def test_posts_go_through_the_mapper_and_respect_since(urls: list[str]) -> None:
    source = at_cycle(CYCLES)
    results = source.fetch_posts(urls[:20])
    for url, result in zip(urls[:20], results, strict=True):
        truth = source.truth(url)
        assert {p.post_id for p in result.posts} == set(truth.post_kinds)  # the reaction item was skipped
        assert all(p.author_profile_url == url and p.source == "sample" for p in result.posts)
        assert all(p.posted_at is not None and p.posted_at <= source.now for p in result.posts)
    since = source.now - dt.timedelta(days=21)
    recent = source.fetch_posts(urls[:20], since=since)
    assert all(p.posted_at is not None and p.posted_at >= since for r in recent for p in r.posts)
    assert sum(len(r.posts) for r in recent) < sum(len(r.posts) for r in results)


def test_announcement_posts_carry_the_change(urls: list[str]) -> None:
    source = at_cycle(CYCLES)
    announced = 0
    for result in source.fetch_posts(urls):
        truth = source.truth(result.profile_url)
        texts = {p.post_id: p.text for p in result.posts}
        for change in truth.changes:
            if change.post_id is not None:
                announced += 1
                assert change.post_id in texts
    assert announced > 0


def test_search_returns_true_profile_and_decoys() -> None:
    search = SampleProfileSearch(now=NOW)
    sizes = set()
    for first, last, location, state in [
        ("Jane", "Doe", "Columbus, OH", "OH"),
        ("Luis", "Garcia", "TX", "TX"),
        ("Amy", "Chen", "Wichita, Kansas", "KS"),
        ("Mark", "O'Neil", None, None),
        ("Sara", "Lopez", "Tampa, FL", "FL"),
        ("Ben", "Wu", "Denver, CO", "CO"),
    ]:
        candidates = search.search_people(first_name=first, last_name=last, location=location)
        assert candidates == search.search_people(first_name=first, last_name=last, location=location)
        sizes.add(len(candidates))
        assert 1 <= len(candidates) <= 3
        assert all((c.first_name, c.last_name) == (first, last) for c in candidates)
        expected = search.expected_match(first_name=first, last_name=last, location=location)
        true = [c for c in candidates if c.profile_url == expected]
        assert len(true) == 1
        if state is not None:
            assert true[0].state == state
        decoy_states = [c.state for c in candidates if c.profile_url != expected]
        assert true[0].state not in decoy_states
        assert len(search.search_people(first_name=first, last_name=last, location=location, limit=1)) == 1
    assert len(sizes) > 1
    assert search.search_people(first_name="", last_name="Doe", location=None) == []
