"""Employer, title, credential and person names from LinkedIn's usual phrasings."""

from __future__ import annotations

import pytest

from leadsignal.nlp.entities import extract, extract_credential, extract_org, extract_person_names, extract_title


@pytest.mark.parametrize(
    ("text", "org", "title"),
    [
        (
            "I'm happy to share that I'm starting a new position as Senior Data Analyst at Acme Corp!",
            "Acme Corp",
            "Senior Data Analyst",
        ),
        ("Excited to announce I've joined Bank of America as a Branch Manager.", "Bank of America", "Branch Manager"),
        (
            "Thrilled to share I've been promoted to Director of Operations at Johnson & Johnson!",
            "Johnson & Johnson",
            "Director of Operations",
        ),
        ("Got the call this morning — UPS hired me as a package car driver!", "UPS", None),
        ("Today Marriott named me Director of Housekeeping.", "Marriott", "Director of Housekeeping"),
        ("I'm the new HR Business Partner at Target's distribution center in Denver.", "Target", "HR Business Partner"),
        ("Officially part of the crew at Trader Joe's starting this week.", "Trader Joe's", None),
        ("I got the offer from Riverbend Hospital and I start in the NICU.", "Riverbend Hospital", None),
        ("Joined Compass this month as their new Leasing Consultant.", "Compass", "Leasing Consultant"),
        ("just started at walmart as a cashier lol", "walmart", None),
        ("they made me store manager at old navy today!!!!", "old navy", None),
        ("first day with j.b. hunt complete", "j.b. hunt", None),
        ("Signed on with Acme Freight as a dispatcher at the Dallas yard.", "Acme Freight", None),
        ("DAY 1 at Microsoft ✅ Joining the Azure Data team as a Program Manager.", "Microsoft", "Program Manager"),
        ("I've been hired as Executive Chef by Grant Thornton!", "Grant Thornton", "Executive Chef"),
        ("Made the switch to RE/MAX, where I'll be a Broker Associate.", "RE/MAX", None),
        ("Back to work after the plant closure. New job starts Monday!", None, None),
    ],
)
def test_org_and_title(text: str, org: str | None, title: str | None) -> None:
    assert extract_org(text) == org
    assert extract_title(text) == title


def test_at_a_lowercase_place_is_not_an_employer_but_the_next_one_is() -> None:
    text = "After 7 years at a startup I've made the jump — I'm now a Site Reliability Engineer at Google."
    assert extract_org(text) == "Google"


@pytest.mark.parametrize(
    ("text", "credential"),
    [
        ("I passed the NCLEX! Officially a Registered Nurse.", "NCLEX"),
        (
            "Proud to say I earned my AWS Certified Solutions Architect – Associate certification today.",
            "AWS Certified Solutions Architect – Associate",
        ),
        ("Got my CDL Class A today!!", "CDL Class A"),
        ("I passed the Series 7 today", "Series 7"),
        ("Earned my PMP certification!", "PMP"),
        ("Happy Monday everyone", None),
    ],
)
def test_credential(text: str, credential: str | None) -> None:
    assert extract_credential(text) == credential


def test_person_names_from_congratulations_and_mentions() -> None:
    text = "Congratulations to Maria Lopez on her new role! Thanks to my manager Tom Reed. Welcome, @Carlos Diaz"
    assert extract_person_names(text) == ["Maria Lopez", "Tom Reed", "Carlos Diaz"]
    assert extract_org(text) is None


def test_no_person_names_from_places_or_groups() -> None:
    assert extract_person_names("Thank you to my professors at Georgia Tech for getting me here.") == []
    assert extract_person_names("Congrats to my sister Maria Lopez!") == ["Maria Lopez"]


def test_extract_bundles_everything() -> None:
    ents = extract("Excited to announce I've joined Lyft as a Data Engineer. Thank you to Ana Ruiz for the referral!")
    assert (ents.org, ents.title, ents.credential, ents.person_names) == ("Lyft", "Data Engineer", None, ["Ana Ruiz"])
