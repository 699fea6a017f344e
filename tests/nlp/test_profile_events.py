from __future__ import annotations

import pytest

from leadsignal.nlp.profile_events import UnknownProfileEvent, classify_profile_event


@pytest.mark.parametrize(
    ("kind", "name", "detail", "expected"),
    [
        ("new_position_new_employer", "Analyst", "Started Analyst at Acme", "new_job"),
        ("new_title_same_employer", "Senior Analyst", "New title: Senior Analyst at Acme (was Analyst)", "promotion"),
        ("new_certification", "Registered Nurse", None, "license"),
        ("new_certification", "CPA", "New credential: CPA (Texas State Board)", "license"),
        ("new_certification", "Real Estate Salesperson License", None, "license"),
        ("new_certification", "Commercial Driver's License", None, "license"),
        ("new_certification", "Certified Public Accountant", None, "license"),
        ("new_certification", "Journeyman Electrician", None, "license"),
        ("new_certification", "AWS Certified Solutions Architect – Associate", None, "certification"),
        ("new_certification", "CompTIA Security+", "New credential: CompTIA Security+ (CompTIA)", "certification"),
        ("new_certification", "PMP", None, "certification"),
        ("new_certification", "ServSafe Manager", None, "certification"),
        ("new_education", "Ohio State University", "Completed BSN at Ohio State University", "education"),
        ("new_education", "Ohio State University", "Started MBA at Ohio State University", "none"),
        ("new_education", "Ohio State University", None, "none"),
        ("new_honor", "Employee of the Year", "Honour: Employee of the Year (Acme)", "award"),
    ],
)
def test_mapping(kind: str, name: str | None, detail: str | None, expected: str) -> None:
    signal_type, confidence = classify_profile_event(kind, name=name, detail=detail)
    assert signal_type == expected
    assert 0.5 <= confidence <= 1.0


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(UnknownProfileEvent, match="position_ended"):
        classify_profile_event("position_ended", name=None, detail=None)
