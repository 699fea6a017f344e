from __future__ import annotations

import datetime as dt

import pytest

from leadsignal.sources.mappers import (
    MalformedItem,
    canonical_profile_url,
    map_post_item,
    map_profile_item,
    parse_date_range,
    parse_location_text,
    parse_year_month,
)
from leadsignal.sources.records import YearMonth
from tests.sources.samples import APIMAESTRO_POST, DEV_FUSION_PROFILE, HARVEST_POST, HARVEST_PROFILE, sample


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.linkedin.com/in/Towhid-Rahman/", "https://www.linkedin.com/in/towhid-rahman"),
        ("linkedin.com/in/jane-doe?trk=abc", "https://www.linkedin.com/in/jane-doe"),
        ("http://uk.linkedin.com/in/jane-doe/details/experience/", "https://www.linkedin.com/in/jane-doe"),
        ("https://www.linkedin.com/in/jos%C3%A9-p%C3%A9rez", "https://www.linkedin.com/in/josé-pérez"),
        ("  https://www.linkedin.com/in/a-b-syn12#top ", "https://www.linkedin.com/in/a-b-syn12"),
    ],
)
def test_canonical_profile_url(url: str, expected: str) -> None:
    assert canonical_profile_url(url) == expected


@pytest.mark.parametrize(
    "url", ["", "https://example.com/in/jane", "https://www.linkedin.com/company/acme", "https://www.linkedin.com/in/"]
)
def test_canonical_profile_url_rejects(url: str) -> None:
    with pytest.raises(ValueError, match=r"URL|slug"):
        canonical_profile_url(url)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"month": "Jan", "year": 2024, "text": "Jan 2024"}, YearMonth(year=2024, month=1)),
        ({"year": 2020}, YearMonth(year=2020)),
        ({"text": "Present"}, None),
        ({"text": "Sept 2021"}, YearMonth(year=2021, month=9)),
        ("Issued Sep 2023", YearMonth(year=2023, month=9)),
        ("Issued Sep 2023 · Expires Sep 2026", YearMonth(year=2023, month=9)),
        ("September 2019", YearMonth(year=2019, month=9)),
        ("2023-07", YearMonth(year=2023, month=7)),
        ("7/2023", YearMonth(year=2023, month=7)),
        ("2016", YearMonth(year=2016)),
        (2016, YearMonth(year=2016)),
        ("someday", None),
        (None, None),
    ],
)
def test_parse_year_month(value: object, expected: YearMonth | None) -> None:
    assert parse_year_month(value) == expected


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("May 2024 - Present · 1 yr 6 mos", (YearMonth(year=2024, month=5), None, True)),
        ("Feb 2024 - May 2024 · 4 mos", (YearMonth(year=2024, month=2), YearMonth(year=2024, month=5), False)),
        ("2016 - 2020", (YearMonth(year=2016), YearMonth(year=2020), False)),
        ("Jan 2022 – Present", (YearMonth(year=2022, month=1), None, True)),
        ("Issued Mar 2021", (YearMonth(year=2021, month=3), None, False)),
        (None, (None, None, False)),
    ],
)
def test_parse_date_range(caption: str | None, expected: tuple[object, object, bool]) -> None:
    assert parse_date_range(caption) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chicago, Illinois, United States", ("Chicago", "IL", "US")),
        ("Chicago, Illinois", ("Chicago", "IL", "US")),
        ("Texas, United States", (None, "TX", "US")),
        ("Greater Chicago Area", (None, None, None)),
        ("Toronto, Ontario, Canada", ("Toronto", None, "CA")),
        ("United States", (None, None, "US")),
    ],
)
def test_parse_location_text(text: str, expected: tuple[object, object, object]) -> None:
    assert parse_location_text(text) == expected


def test_harvestapi_profile_reference_sample() -> None:
    record = map_profile_item(sample(HARVEST_PROFILE), source="harvestapi")
    assert record.profile_url == "https://www.linkedin.com/in/towhid-rahman"
    assert record.source == "harvestapi"
    assert (record.first_name, record.full_name) == ("Towhid", "Towhid Rahman, PharmD")
    assert (record.city, record.state, record.country_code) == ("Los Angeles", "CA", "US")
    (job,) = record.current_positions
    assert (job.title, job.company, job.start, job.end) == (
        "Staff Pharmacist",
        "CVS Health",
        YearMonth(year=2024, month=1),
        None,
    )
    assert job.company_url == "https://www.linkedin.com/company/cvshealth/"
    (edu,) = record.education
    assert (edu.degree, edu.end) == ("Doctor of Pharmacy", YearMonth(year=2022, month=5))
    (cert,) = record.credentials
    assert (cert.name, cert.issuer, cert.issued) == (
        "Excel Essential Training (Microsoft 365)",
        "LinkedIn",
        YearMonth(year=2023, month=9),
    )
    (honor,) = record.honors
    assert honor.issued == YearMonth(year=2004, month=10)


def test_dev_fusion_profile_reference_sample_both_layouts() -> None:
    record = map_profile_item(sample(DEV_FUSION_PROFILE), source="dev_fusion")
    assert record.profile_url == "https://www.linkedin.com/in/ricky-hoover-7388371b8"
    assert (record.city, record.state, record.country_code) == ("Chicago", "IL", "US")
    current, past = record.positions
    assert (current.title, current.company, current.employment_type) == (
        "Sales Development Representative",
        "project44",
        "Full-time",
    )
    assert current.is_current
    assert current.start == YearMonth(year=2024, month=5)
    assert current.location == "Chicago, Illinois, United States"
    assert (past.title, past.company, past.is_current) == ("Account Manager", "Collabera", False)
    assert past.end == YearMonth(year=2024, month=5)
    (edu,) = record.education
    assert (edu.school, edu.field_of_study, edu.end) == (
        "Marquette University",
        "Business Communication",
        YearMonth(year=2020),
    )
    (cert,) = record.credentials
    assert (cert.name, cert.issuer, cert.issued) == (
        "Internal auditor",
        "Bureau Veritas Group",
        YearMonth(year=2007, month=9),
    )
    (honor,) = record.honors
    assert (honor.issuer, honor.issued) == ("Academics for Companies", YearMonth(year=2022, month=3))


def test_dev_fusion_newer_flat_fields() -> None:
    item = sample(DEV_FUSION_PROFILE)
    item["experiences"] = [
        {
            "title": "Registered Nurse",
            "companyName": "Contoso Health",
            "jobStartedOn": "3-2025",
            "jobEndedOn": None,
            "jobStillWorking": True,
            "jobLocation": "Austin, Texas, United States",
            "employmentType": "Full-time",
            "breakdown": False,
        },
        {
            "title": "CNA",
            "companyName": "Fabrikam Care",
            "jobStartedOn": "2022",
            "jobEndedOn": "2-2025",
            "jobStillWorking": False,
        },
    ]
    record = map_profile_item(item, source="dev_fusion")
    nurse, cna = record.positions
    assert (nurse.company, nurse.start, nurse.is_current, nurse.location) == (
        "Contoso Health",
        YearMonth(year=2025, month=3),
        True,
        "Austin, Texas, United States",
    )
    assert (cna.is_current, cna.end) == (False, YearMonth(year=2025, month=2))


def test_dev_fusion_without_experiences_uses_profile_level_job() -> None:
    item = sample(DEV_FUSION_PROFILE)
    del item["experiences"]
    item["jobStartedOn"] = "May 2024"
    record = map_profile_item(item, source="dev_fusion")
    (job,) = record.positions
    assert (job.title, job.company, job.is_current, job.start) == (
        "Sales Development Representative",
        "Project44",
        True,
        YearMonth(year=2024, month=5),
    )


def test_harvestapi_drifted_and_partial_item() -> None:
    item = {
        "linkedinUrl": "https://www.linkedin.com/in/Jane-Doe-SYN3/?originalSubdomain=us",
        "firstName": " Jane ",
        "lastName": "Doe",
        "location": "Austin, Texas, United States",  # a bare string instead of the object
        "experience": [
            {"title": "Analyst", "company": "Northwind Logistics", "startDate": {"month": 3, "year": 2025}},
            {"position": "Intern", "companyName": "Contoso", "startDate": {"year": 2023}, "endDate": {"year": 2024}},
            {"description": "nothing usable"},
        ],
        "certifications": [
            {"name": "CDL Class A", "issuedAt": "Issued Jan 2025 · Expires Jan 2029"},
            {"issuedBy": "x"},
        ],
        "openToWork": "true",
    }
    record = map_profile_item(item, source="harvestapi")
    assert record.profile_url == "https://www.linkedin.com/in/jane-doe-syn3"
    assert record.public_identifier == "jane-doe-syn3"
    assert record.full_name == "Jane Doe"
    assert (record.city, record.state) == ("Austin", "TX")
    assert record.open_to_work is True
    analyst, intern = record.positions
    assert analyst.is_current
    assert analyst.start == YearMonth(year=2025, month=3)
    assert not intern.is_current
    assert intern.end == YearMonth(year=2024)
    (cdl,) = record.credentials
    assert (cdl.issued, cdl.expires) == (YearMonth(year=2025, month=1), YearMonth(year=2029, month=1))
    assert record.education == ()
    assert record.honors == ()


def test_harvestapi_identifier_only_and_current_position_fallback() -> None:
    item = {"publicIdentifier": "Solo-Person", "fullName": "Solo Person", "currentPosition": [{"companyName": "Acme"}]}
    record = map_profile_item(item, source="harvestapi")
    assert record.profile_url == "https://www.linkedin.com/in/solo-person"
    assert [(p.company, p.is_current) for p in record.positions] == [("Acme", True)]


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ({"error": "Profile not found", "originalQuery": "https://www.linkedin.com/in/x"}, "actor reported an error"),
        ({"firstName": "No", "lastName": "Url"}, "no usable LinkedIn profile URL"),
        ({"linkedinUrl": "https://example.com/in/x", "firstName": "A"}, "no usable LinkedIn profile URL"),
        ({"linkedinUrl": "https://www.linkedin.com/in/nameless"}, "has no name"),
        ({"addressWithCountry": "Chicago", "jobTitle": "x", "publicIdentifier": "p"}, "has no name"),
    ],
)
def test_malformed_profile_items(item: dict[str, object], reason: str) -> None:
    with pytest.raises(MalformedItem, match=reason):
        map_profile_item(item, source="t")


def test_non_dict_profile_item_is_malformed() -> None:
    with pytest.raises(MalformedItem, match="not an object"):
        map_profile_item([], source="t")  # type: ignore[arg-type]


def test_harvest_post_reference_sample() -> None:
    post = map_post_item(sample(HARVEST_POST), source="harvestapi")
    assert post is not None
    assert post.post_id == "7329207003942125568"
    assert post.author_profile_url == "https://www.linkedin.com/in/williamhgates"
    assert post.posted_at == dt.datetime(2025, 5, 16, 18, 11, 59, 821000, tzinfo=dt.UTC)
    assert post.text.startswith("The leading causes")
    assert post.source == "harvestapi"


def test_harvest_non_post_items_are_skipped() -> None:
    assert map_post_item({"type": "comment", "id": "1"}, source="h") is None
    assert map_post_item({"type": "reaction"}, source="h") is None


def test_harvest_post_drift() -> None:
    item = sample(HARVEST_POST)
    del item["id"]
    item["postedAt"] = {"date": "2025-05-16T18:11:59Z"}
    item["author"] = {"publicIdentifier": "Some-One", "type": "profile"}
    item["content"] = "  line one\n\nline two  "
    post = map_post_item(item, source="h")
    assert post is not None
    assert post.post_id == "7329207003942125568"  # recovered from the activity URL
    assert post.posted_at == dt.datetime(2025, 5, 16, 18, 11, 59, tzinfo=dt.UTC)
    assert post.author_profile_url == "https://www.linkedin.com/in/some-one"
    assert post.text == "line one\n\nline two"


def test_apimaestro_post_prefers_timestamp() -> None:
    post = map_post_item(sample(APIMAESTRO_POST), source="apimaestro")
    assert post is not None
    assert post.post_id == "7459522671878291456"
    assert post.posted_at == dt.datetime.fromtimestamp(1778488796.205, tz=dt.UTC)
    assert post.author_profile_url == "https://www.linkedin.com/in/andrew-mouat"
    assert post.is_repost is False


def test_apimaestro_post_drift() -> None:
    item = sample(APIMAESTRO_POST)
    item["urn"] = "urn:li:activity:7459522671878291456"
    item["posted_at"] = {"date": "2026-05-11 10:39:56"}
    item["stats"] = {"total_reactions": 1, "comments_count": 2}
    item["post_type"] = "repost"
    del item["author"]["profile_url"]
    post = map_post_item(item, source="apimaestro")
    assert post is not None
    assert post.post_id == "7459522671878291456"
    assert post.posted_at == dt.datetime(2026, 5, 11, 10, 39, 56, tzinfo=dt.UTC)
    assert post.author_profile_url == "https://www.linkedin.com/in/andrew-mouat"
    assert post.is_repost is True


def test_apimaestro_timestamp_in_seconds() -> None:
    item = sample(APIMAESTRO_POST)
    item["posted_at"] = {"timestamp": 1778488796}
    post = map_post_item(item, source="apimaestro")
    assert post is not None
    assert post.posted_at == dt.datetime.fromtimestamp(1778488796, tz=dt.UTC)


@pytest.mark.parametrize(
    "item",
    [
        {"type": "post", "content": "no id anywhere"},
        {"full_urn": "urn:li:share:abc", "text": "bad urn"},
    ],
)
def test_post_without_id_is_malformed(item: dict[str, object]) -> None:
    with pytest.raises(MalformedItem, match="no usable post id"):
        map_post_item(item, source="t")


def test_post_error_item_is_malformed() -> None:
    with pytest.raises(MalformedItem, match="actor reported an error"):
        map_post_item({"error": "Profile is private"}, source="t")


def test_dev_fusion_breakdown_group_without_roles_keeps_company() -> None:
    item = sample(DEV_FUSION_PROFILE)
    item["experiences"] = [
        {"title": "Collabera", "subtitle": "Full-time · 1 yr", "caption": "Jan 2023 - Present", "breakdown": True,
         "subComponents": [{"description": []}]},
    ]  # fmt: skip
    (position,) = map_profile_item(item, source="dev_fusion").positions
    assert (position.company, position.title, position.employment_type, position.is_current) == (
        "Collabera",
        None,
        "Full-time",
        True,
    )


@pytest.mark.parametrize("timestamp", [10**15, -5, "nan", "soon", 0])
def test_unusable_timestamps_fall_back_to_date(timestamp: object) -> None:
    item = sample(HARVEST_POST)
    item["postedAt"]["timestamp"] = timestamp
    post = map_post_item(item, source="h")
    assert post is not None
    assert post.posted_at == dt.datetime(2025, 5, 16, 18, 11, 59, 821000, tzinfo=dt.UTC)


@pytest.mark.parametrize("identifier", ["?", "a/b", "has space", ""])
def test_bad_public_identifier_is_malformed(identifier: str) -> None:
    with pytest.raises(MalformedItem, match="no usable LinkedIn profile URL"):
        map_profile_item({"publicIdentifier": identifier, "firstName": "A", "lastName": "B"}, source="t")
