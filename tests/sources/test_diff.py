from __future__ import annotations

import datetime as dt
import json

from leadsignal.sources.diff import diff_profiles
from leadsignal.sources.mappers import map_profile_item
from leadsignal.sources.records import Credential, Education, Honor, YearMonth
from tests.sources.factories import job, profile
from tests.sources.samples import DEV_FUSION_PROFILE, sample


def kinds(events: list) -> list[str]:  # type: ignore[type-arg]
    return [e.kind for e in events]


def test_identical_and_drifted_profiles_have_no_events() -> None:
    old = profile(
        positions=(
            job(
                "Analyst",
                "Northwind Logistics, Inc.",
                company_url="https://www.linkedin.com/company/northwind-logistics/",
            ),
            job("Intern", "Contoso", start=(2021, 5), end=(2022, 8)),
        )
    )
    drifted = old.model_copy(
        update={
            "positions": (
                job("Intern", "contoso", start=(2021, 5), end=(2022, 8)),
                job("  analyst ", "NORTHWIND   LOGISTICS"),
            ),
            "credentials": tuple(
                Credential(name=c.name.upper() + " ", issuer=None, issued=c.issued) for c in old.credentials
            ),
            "honors": tuple(Honor(title=h.title.lower()) for h in old.honors),
            "education": (Education(school="ohio state university", degree=None, start=YearMonth(year=2018)),),
            "headline": "Something else",
        }
    )
    assert diff_profiles(old, old) == []
    assert diff_profiles(old, drifted) == []


def test_company_url_matches_company_name() -> None:
    old = profile(positions=(job("Analyst", "Northwind Logistics"),))
    new = profile(
        positions=(job("Analyst", None, company_url="https://www.linkedin.com/company/northwind-logistics"),)  # type: ignore[arg-type]
    )
    assert diff_profiles(old, new) == []


def test_new_position_new_employer() -> None:
    old = profile()
    new = old.model_copy(
        update={
            "positions": (
                job("Registered Nurse", "Contoso Health", start=(2026, 10)),
                job("Analyst", "Northwind Logistics", end=(2026, 9)),
            )
        }
    )
    (event,) = diff_profiles(old, new)
    assert event.kind == "new_position_new_employer"
    assert (event.name, event.organisation, event.event_date) == (
        "Registered Nurse",
        "Contoso Health",
        dt.date(2026, 10, 1),
    )
    assert event.evidence["previous_company"] == "Northwind Logistics"
    assert event.evidence["start"] == "2026-10"


def test_new_title_same_employer() -> None:
    old = profile()
    new = old.model_copy(
        update={
            "positions": (
                job("Senior Analyst", "Northwind Logistics Inc", start=(2026, 11)),
                job("Analyst", "Northwind Logistics", end=(2026, 10)),
            )
        }
    )
    events = diff_profiles(old, new)
    assert kinds(events) == ["new_title_same_employer"]
    assert events[0].evidence["previous_title"] == "Analyst"
    assert events[0].event_date == dt.date(2026, 11, 1)


def test_new_certification_with_issue_date() -> None:
    old = profile()
    licence = Credential(
        name="Registered Nurse (RN)", issuer="Ohio Board of Nursing", issued=YearMonth(year=2026, month=9)
    )
    new = old.model_copy(update={"credentials": (*old.credentials, licence)})
    (event,) = diff_profiles(old, new)
    assert event.kind == "new_certification"
    assert (event.name, event.organisation, event.event_date) == (
        "Registered Nurse (RN)",
        "Ohio Board of Nursing",
        dt.date(2026, 9, 1),
    )


def test_new_education_entry_and_gained_end_date() -> None:
    old = profile()
    finished = old.model_copy(
        update={
            "education": (
                Education(
                    school="Ohio State University",
                    degree="Bachelor of Science",
                    start=YearMonth(year=2018),
                    end=YearMonth(year=2026, month=5),
                ),
            )
        }
    )
    (event,) = diff_profiles(old, finished)
    assert event.kind == "new_education"
    assert event.evidence["gained_end_date"] is True
    assert event.event_date == dt.date(2026, 5, 1)

    added = old.model_copy(
        update={
            "education": (
                *old.education,
                Education(school="Columbus State", degree="Associate of Applied Science", end=YearMonth(year=2026)),
            )
        }
    )
    (event,) = diff_profiles(old, added)
    assert (event.kind, event.name, event.evidence["gained_end_date"]) == ("new_education", "Columbus State", False)


def test_new_honor() -> None:
    old = profile()
    new = old.model_copy(
        update={
            "honors": (
                Honor(
                    title="Employee of the Quarter", issuer="Northwind Logistics", issued=YearMonth(year=2026, month=10)
                ),
                *old.honors,
            )
        }
    )
    (event,) = diff_profiles(old, new)
    assert (event.kind, event.name, event.event_date) == ("new_honor", "Employee of the Quarter", dt.date(2026, 10, 1))


def test_job_ended_without_new_one_is_position_ended() -> None:
    old = profile()
    new = old.model_copy(update={"positions": (job("Analyst", "Northwind Logistics", end=(2026, 10)),)})
    (event,) = diff_profiles(old, new)
    assert (event.kind, event.organisation, event.event_date) == (
        "position_ended",
        "Northwind Logistics",
        dt.date(2026, 10, 1),
    )
    assert event.evidence["listed_as_ended"] is True


def test_job_ended_and_new_employer_is_only_the_new_job() -> None:
    old = profile()
    new = old.model_copy(
        update={
            "positions": (
                job("Driver", "Fabrikam Freight", start=(2026, 11)),
                job("Analyst", "Northwind Logistics", end=(2026, 10)),
            )
        }
    )
    assert kinds(diff_profiles(old, new)) == ["new_position_new_employer"]


def test_partial_scrape_without_positions_is_not_an_event() -> None:
    old = profile()
    assert diff_profiles(old, old.model_copy(update={"positions": ()})) == []


def test_open_to_work_flip() -> None:
    old = profile()
    new = old.model_copy(update={"open_to_work": True})
    assert kinds(diff_profiles(old, new)) == ["open_to_work"]
    assert diff_profiles(new, old) == []


def test_second_programme_at_same_school_and_degree_is_its_own_entry() -> None:
    first = Education(school="Fabrikam CC", degree="AAS", field_of_study="Logistics", end=YearMonth(year=2022))
    second = Education(school="Fabrikam CC", degree="AAS", field_of_study="Supply Chain", start=YearMonth(year=2025))
    old = profile(education=(second, first))
    done = second.model_copy(update={"end": YearMonth(year=2027, month=1)})
    (event,) = diff_profiles(old, old.model_copy(update={"education": (done, first)}))
    assert (event.kind, event.evidence["field_of_study"], event.evidence["gained_end_date"]) == (
        "new_education",
        "Supply Chain",
        True,
    )


def test_actor_build_drift_through_the_mappers_is_not_an_event() -> None:
    old = map_profile_item(sample(DEV_FUSION_PROFILE), source="dev_fusion")
    drifted = sample(DEV_FUSION_PROFILE)
    drifted["experiences"].reverse()
    drifted["experiences"][1].update(
        {"companyName": "Project44", "jobStartedOn": "5-2024", "jobStillWorking": True, "employmentType": "Full-time"}
    )
    drifted["licenseAndCertificates"][0]["title"] = "Internal Auditor "
    drifted["honorsAndAwards"][0]["subtitle"] = "Academics for Companies · Mar 2022"
    new = map_profile_item(drifted, source="dev_fusion")
    assert new != old
    assert diff_profiles(old, new) == []


def test_events_are_json_ready() -> None:
    old = profile()
    new = old.model_copy(
        update={
            "positions": (job("Driver", "Fabrikam Freight", start=(2026, 11)),),
            "credentials": (*old.credentials, Credential(name="CDL Class A", issued=YearMonth(year=2026, month=10))),
            "open_to_work": True,
        }
    )
    events = diff_profiles(old, new)
    assert kinds(events) == ["new_position_new_employer", "new_certification", "open_to_work"]
    assert json.loads(json.dumps([e.model_dump(mode="json") for e in events]))[0]["event_date"] == "2026-11-01"
