"""ApifyLinkedInSource and ApifyProfileSearch end to end against the fake Apify server."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from leadsignal.core.context import AppContext
from leadsignal.integrations.apify import ApifyError, ApifyLinkedInSource, ApifyProfileSearch
from leadsignal.integrations.apify.source import build_apify_source_and_search, posted_limit
from leadsignal.settings import Settings
from leadsignal.sources.scrape_log import MemoryScrapeLogSink, ScrapeLogEntry
from tests.fakes.apify import POSTS_ACTOR, PROFILE_ACTOR, SEARCH_ACTOR, FakeApify, make_post_item, make_profile_item
from tests.fakes.base import Reply
from tests.integrations.apify_helpers import make_apify_client

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
URL = "https://www.linkedin.com/in/{}"


def _source(
    fake: FakeApify, *, batch_size: int = 100, max_posts: int = 20
) -> tuple[ApifyLinkedInSource, MemoryScrapeLogSink]:
    client, sink, _ = make_apify_client(fake, page_size=3)
    return ApifyLinkedInSource(client, now=lambda: NOW, batch_size=batch_size, max_posts=max_posts), sink


def _load(fake: FakeApify, *slugs: str) -> None:
    fake.load(profiles=[make_profile_item(s, s.title(), "Doe", company="Acme Corp", title="Analyst") for s in slugs])


def test_profiles_in_one_batch_with_unknown_invalid_and_malformed_items(fake_apify: FakeApify) -> None:
    _load(fake_apify, "ann", "bob", "cy")
    fake_apify.add_raw_items(PROFILE_ACTOR, "not an object", {"linkedinUrl": URL.format("ghost")})
    source, sink = _source(fake_apify)
    asked = [URL.format("ann"), "linkedin.com/in/BOB/", URL.format("cy"), URL.format("zed"), "https://example.com/x"]
    results = source.fetch_profiles(asked)

    by_url = {r.profile_url: r for r in results}
    assert len(fake_apify.run_inputs) == 1  # one actor run for the whole batch
    actor, run_input = fake_apify.run_inputs[0]
    assert actor == PROFILE_ACTOR
    assert run_input == {
        "urls": [URL.format("ann"), URL.format("bob"), URL.format("cy"), URL.format("zed")],
        "profileScraperMode": "Profile details no email ($4 per 1k)",
    }
    assert by_url[URL.format("ann")].profile is not None
    assert by_url[URL.format("ann")].profile.positions[0].company == "Acme Corp"  # type: ignore[union-attr]
    assert by_url[URL.format("ann")].profile.source == f"apify:{PROFILE_ACTOR}"  # type: ignore[union-attr]
    assert by_url[URL.format("bob")].profile is not None  # matched after canonicalisation
    assert "actor error" in (by_url[URL.format("zed")].error or "")
    assert by_url["https://example.com/x"].error == "not a LinkedIn profile URL"
    outcomes = [a.outcome for a in sink.attempts]
    assert outcomes.count("malformed") == 2  # the string item and the nameless "ghost"
    assert outcomes.count("error") == 1  # the actor's own "Profile not found"
    assert len(results) == 5


def test_batches_and_a_failed_run_leaves_nothing_half_stored(fake_apify: FakeApify) -> None:
    _load(fake_apify, "a1", "a2", "a3", "a4", "a5")
    fake_apify.fail_next_run("FAILED")  # the first batch's run fails (its dataset holds half the items)
    source, _ = _source(fake_apify, batch_size=2)
    results = source.fetch_profiles([URL.format(s) for s in ("a1", "a2", "a3", "a4", "a5")])
    assert len(fake_apify.run_inputs) == 3
    assert [r.profile is not None for r in results] == [False, False, True, True, True]
    assert all("FAILED" in (r.error or "") for r in results[:2])


def test_dataset_failure_midway_gives_errors_not_partial_profiles(fake_apify: FakeApify) -> None:
    _load(fake_apify, *[f"p{i}" for i in range(7)])
    source, sink = _source(fake_apify)
    down = Reply(503, {"error": {"type": "internal-error", "message": "down"}})
    # page 1 (offset 0) is served, page 2 fails on every attempt
    fake_apify.script("/v2/datasets/", down, down, down, when=lambda r: r.query.get("offset") != "0")
    results = source.fetch_profiles([URL.format(f"p{i}") for i in range(7)])
    assert all(r.profile is None and "503" in (r.error or "") for r in results)
    assert len(sink.attempts) == len(fake_apify.requests)  # start, poll, 1 page, 3 failed page attempts
    assert [a.outcome for a in sink.attempts][-3:] == ["http_error"] * 3


def test_posts_grouped_filtered_and_reactions_skipped(fake_apify: FakeApify) -> None:
    recent, old = NOW - dt.timedelta(days=2), NOW - dt.timedelta(days=40)
    fake_apify.load(posts={
        URL.format("ann"): [
            make_post_item("ann", "701", "Passed the CPA exam!", recent),
            make_post_item("ann", "702", "Old news", old),
        ],
        URL.format("bob"): [make_post_item("bob", "801", "New job at Initech", recent)],
    })  # fmt: skip
    fake_apify.add_raw_items(POSTS_ACTOR, {"type": "reaction", "id": "r1"}, {"type": "post", "content": "no id"})
    source, sink = _source(fake_apify, max_posts=5)
    results = source.fetch_posts(
        [URL.format("ann"), URL.format("bob"), URL.format("cy")], since=NOW - dt.timedelta(days=7)
    )
    _, run_input = fake_apify.run_inputs[0]
    assert run_input == {
        "targetUrls": [URL.format(s) for s in ("ann", "bob", "cy")],
        "maxPosts": 5,
        "postedLimit": "week",
    }
    posts = {r.profile_url: [p.post_id for p in r.posts] for r in results}
    assert posts == {URL.format("ann"): ["701"], URL.format("bob"): ["801"], URL.format("cy"): []}
    assert [r.error for r in results] == [None, None, None]
    assert [a.outcome for a in sink.attempts].count("malformed") == 1


def test_posted_limit_choice() -> None:
    assert posted_limit(None, NOW) == "month"
    assert posted_limit(NOW - dt.timedelta(minutes=30), NOW) == "1h"
    assert posted_limit(NOW - dt.timedelta(days=20), NOW) == "month"
    assert posted_limit(NOW - dt.timedelta(days=100), NOW) == "6months"
    assert posted_limit(NOW - dt.timedelta(days=900), NOW) == "any"


def test_people_search(fake_apify: FakeApify) -> None:
    fake_apify.add_search_results("jane doe", [
        make_profile_item("jane-doe-1", "Jane", "Doe"),
        make_profile_item("jane-doe-2", "Jane", "Doe", city="Dallas"),
        {"firstName": "no url"},
    ])  # fmt: skip
    client, sink, _ = make_apify_client(fake_apify)
    search = ApifyProfileSearch(client)
    found = search.search_people(first_name="Jane", last_name="Doe", location="Texas", limit=5)
    assert [r.profile_url for r in found] == [URL.format("jane-doe-1"), URL.format("jane-doe-2")]
    actor, run_input = fake_apify.run_inputs[0]
    assert actor == SEARCH_ACTOR
    assert run_input == {"searchQuery": "Jane Doe", "locations": ["Texas"], "profileScraperMode": "Full", "maxItems": 5}
    assert sink.outcomes().count("malformed") == 1
    fake_apify.fail_next_run("TIMED-OUT")
    with pytest.raises(ApifyError) as info:
        search.search_people(first_name="Jane", last_name="Doe", location=None)
    assert info.value.retryable


def test_built_from_settings_logs_to_the_database(app_ctx: AppContext, fake_apify: FakeApify) -> None:
    _load(fake_apify, "ann")
    host = f"127.0.0.1:{fake_apify.port}"
    settings = Settings(
        _env_file=None,
        env="test",
        apify_token=fake_apify.token,
        apify_base_url=fake_apify.url,
        http_host_rates={host: 100.0},
        http_service_rates={"apify": 100.0},
    )
    source, _ = build_apify_source_and_search(settings, app_ctx.sessions)
    [result] = source.fetch_profiles([URL.format("ann")])
    assert result.profile is not None
    with app_ctx.sessions() as session:
        rows = session.scalars(select(ScrapeLogEntry).order_by(ScrapeLogEntry.id)).all()
    assert [r.outcome for r in rows] == ["success"] * len(rows)
    assert {r.service for r in rows} == {"apify"}
    assert len(rows) >= 3  # start, poll(s), dataset page
    assert all(fake_apify.token not in r.source_url for r in rows)


def test_building_without_a_token_is_refused(app_ctx: AppContext) -> None:
    with pytest.raises(ValueError, match="APIFY_TOKEN"):
        build_apify_source_and_search(Settings(_env_file=None), app_ctx.sessions)
