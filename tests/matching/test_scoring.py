from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from leadsignal.matching.age import AgeFit, assess_age
from leadsignal.matching.identity import LeadFieldsError, identity_from_fields
from leadsignal.matching.scoring import MatchResult, Thresholds, profile_slug, score_candidate
from leadsignal.settings import Settings
from leadsignal.sources.records import Education, Position, YearMonth
from tests.matching.factories import identity, profile

TODAY = dt.date(2026, 11, 23)


def score(**kwargs: object) -> MatchResult:
    lead = kwargs.pop("lead", identity())
    prof = kwargs.pop("prof", profile())
    return score_candidate(lead, prof, today=TODAY, **kwargs)  # type: ignore[arg-type]


def test_same_name_city_and_fitting_age_is_confirmed_with_reasons() -> None:
    result = score()
    assert result.decision == "confirmed"
    assert result.score >= 0.95
    assert any(r.startswith("location: same city and state") for r in result.reasons)
    assert any(r.startswith("age: bachelor ending 2022 fits") for r in result.reasons)


def test_name_alone_is_never_confirmed() -> None:
    result = score(prof=profile(location_text=None, city=None, state=None, country_code=None, education_end=None))
    assert result.decision == "review"


def test_same_name_in_another_state_is_never_confirmed() -> None:
    moved = profile(location_text="Austin, Texas, United States", city="Austin", state="TX")
    assert score(prof=moved).decision == "rejected"
    # Even with the known employer and a fitting age, another state needs a person.
    with_employer = score(lead=identity(company_domain="kroger.com"), prof=moved)
    assert with_employer.decision == "review"
    assert with_employer.reasons[-1].startswith("not confirmed: state")


def test_another_country_is_never_confirmed() -> None:
    abroad = profile(location_text="Toronto, Ontario, Canada", city="Toronto", state=None, country_code="CA")
    assert score(lead=identity(company_domain="kroger.com"), prof=abroad).decision != "confirmed"


def test_education_implying_another_age_rejects() -> None:
    older = profile(education_end=2008)  # a bachelor's at 8 for someone born in 2000
    result = score(prof=older)
    assert result.decision == "rejected"
    assert any("implies age 8" in r for r in result.reasons)


def test_first_job_before_fourteen_is_evidence_against() -> None:
    veteran = profile(education_end=None, positions=(Position(company="Ford", start=YearMonth(year=2005)),))
    assert score(prof=veteran).decision == "rejected"


def test_name_change_goes_to_review_not_confirmed() -> None:
    lead = identity(middle_name="Ann", company_domain="kroger.com")
    married = profile(first_name="Jane Ann", last_name="Sorensen")
    result = score(lead=lead, prof=married)
    assert result.decision == "review"
    assert any("possible name change" in r for r in result.reasons)


def test_different_middle_name_blocks_confirmation() -> None:
    result = score(lead=identity(middle_name="Elena"), prof=profile(first_name="Jane Luisa"))
    assert result.decision != "confirmed"


def test_initial_only_needs_a_person() -> None:
    assert score(prof=profile(first_name="J.")).decision == "review"


def test_common_full_name_needs_a_strong_signal() -> None:
    lead = identity(first_name="Maria", last_name="Garcia")
    prof = profile(first_name="Maria", last_name="Garcia")
    assert score(lead=lead, prof=prof).decision == "review"
    assert score(lead=lead.model_copy(update={"company_domain": "kroger.com"}), prof=prof).decision == "confirmed"


def test_nickname_diacritics_and_credentials_still_confirm() -> None:
    lead = identity(first_name="Jose", last_name="Nunez")
    assert score(lead=lead, prof=profile(first_name="José", last_name="Núñez, RN, BSN")).decision == "confirmed"
    bill = identity(first_name="William", last_name="Okafor")
    assert score(lead=bill, prof=profile(first_name="Bill", last_name="Okafor MBA")).decision == "confirmed"


def test_email_or_phone_on_the_profile_is_strong() -> None:
    bare = profile(location_text=None, city=None, state=None, country_code=None, education_end=None)
    by_email = score(
        lead=identity(email="jane.doe@example.com"), prof=bare.model_copy(update={"email": "Jane.Doe@example.com"})
    )
    assert by_email.decision == "confirmed"
    by_phone = score(lead=identity(phones=("+16145550123",)), prof=bare.model_copy(update={"phone": "(614) 555-0123"}))
    assert by_phone.decision == "confirmed"
    other = score(lead=identity(email="jane.doe@example.com"), prof=bare.model_copy(update={"email": "jd@example.net"}))
    assert other.decision == "review"


def test_known_linkedin_url_confirms() -> None:
    prof = profile(location_text=None, city=None, state=None, education_end=None)
    lead = identity(linkedin_url=prof.profile_url.replace("https://www.", "http://").upper() + "/?trk=x")
    result = score(lead=lead, prof=prof)
    assert result.decision == "confirmed"
    assert result.reasons[0].startswith("linkedin_url: the lead's known profile")
    # The same URL with somebody else's name on it is not enough.
    stranger = prof.model_copy(update={"first_name": "Robert", "last_name": "Brown"})
    assert score(lead=lead, prof=stranger).decision != "confirmed"


def test_thresholds_decide_and_come_from_settings() -> None:
    strict = Thresholds(confirm=0.9999, review=0.9)
    result = score(thresholds=strict)
    assert result.decision == "review"
    assert any(r.startswith("not confirmed") for r in result.reasons)
    settings = Settings(_env_file=None, match_confirm_threshold=0.97, match_review_threshold=0.6)
    assert Thresholds.from_settings(settings) == Thresholds(confirm=0.97, review=0.6)
    with pytest.raises(ValidationError, match="above the confirm threshold"):
        Thresholds(confirm=0.5, review=0.8)


def test_cohort_age_is_used_when_the_lead_has_no_date_of_birth() -> None:
    lead = identity(birth_year=None)
    assert score(lead=lead, prof=profile(education_end=2021)).decision == "confirmed"
    assert score(lead=lead, prof=profile(education_end=1990)).decision == "rejected"


def test_assess_age_levels() -> None:
    hs = Education(school="Central High School", degree="High School Diploma", end=YearMonth(year=2018))
    assert assess_age(2000, (hs,), ()).fit is AgeFit.CONSISTENT
    assert assess_age(1990, (hs,), ()).fit is AgeFit.INCONSISTENT
    master = Education(degree="Master of Business Administration - MBA", end=YearMonth(year=2025))
    assert assess_age(2000, (master,), ()).fit is AgeFit.CONSISTENT
    assert assess_age(2000, (), ()).fit is AgeFit.UNKNOWN


def test_identity_from_fields_uses_the_importers_normalisers() -> None:
    ident = identity_from_fields(
        {
            "debtor_name": "DOE, JANE A",
            "state": "Ohio",
            "zip": 4300.0,
            "phone_1": "614.555.0123",
            "email": " Jane.Doe@Example.COM ",
            "dob": "3/7/2000",
            "companyDomain": "https://www.Kroger.com/jobs",
            "total_due": "not money, and not an identity field",
        },
        today=TODAY,
    )
    assert (ident.first_name, ident.middle_name, ident.last_name) == ("Jane", "A", "Doe")
    assert (ident.state, ident.zip, ident.phones, ident.email) == (
        "OH",
        "04300",
        ("+16145550123",),
        "jane.doe@example.com",
    )
    assert (ident.birth_year, ident.age, ident.company_domain) == (2000, 26, "kroger.com")
    with pytest.raises(LeadFieldsError, match=r"state: 'Narnia' is not a US state.*email: .* is not a valid"):
        identity_from_fields({"debtor_name": "Jane Doe", "state": "Narnia", "email": "nope@"})
    with pytest.raises(LeadFieldsError, match="dob: must be text, not dict"):
        identity_from_fields({"debtor_name": "Jane Doe", "dob": {"y": 2000}})


def test_profile_slug() -> None:
    assert profile_slug("https://www.linkedin.com/in/Jane-Doe-1a2b/?trk=x") == "jane-doe-1a2b"
    assert profile_slug("linkedin.com/in/jos%C3%A9") == "josé"
    assert profile_slug("https://example.com/in/jane") is None
