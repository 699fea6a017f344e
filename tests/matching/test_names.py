from __future__ import annotations

import pytest

from leadsignal.matching.names import (
    FirstNameMatch,
    LastNameMatch,
    MiddleMatch,
    compare_names,
    fold,
    lead_name_parts,
    profile_name_parts,
    strip_credentials,
)
from leadsignal.matching.nicknames import nickname_pairs, same_person_names


@pytest.mark.parametrize(
    ("raw", "surname", "dropped"),
    [
        ("Rahman, PharmD", "Rahman", ["PharmD"]),
        ("Smith, RN, BSN", "Smith", ["RN", "BSN"]),
        ("Doe MBA", "Doe", ["MBA"]),
        ("Lindqvist, RN, BSN, CCRN", "Lindqvist", ["RN", "BSN", "CCRN"]),
        ("Nguyen Ph.D.", "Nguyen", ["Ph.D."]),
        ("Do", "Do", []),  # a Vietnamese surname, not the DO credential
        ("Tran Do", "Tran Do", []),
        ("Ma", "Ma", []),
        ("Garcia Lopez", "Garcia Lopez", []),
        ("Smith, Jr.", "Smith", []),
    ],
)
def test_strip_credentials(raw: str, surname: str, dropped: list[str]) -> None:
    assert strip_credentials(raw) == (surname, dropped)


def test_fold_removes_accents_and_special_letters() -> None:
    assert fold("José Núñez Björk Łukasz Straße") == "jose nunez bjork lukasz strasse"


def test_nickname_table_is_large_and_symmetric() -> None:
    assert len(nickname_pairs()) >= 300
    for a, b in [("william", "bill"), ("bill", "william"), ("liam", "william"), ("robert", "bob"),
                 ("elizabeth", "beth"), ("katherine", "katie"), ("jonathan", "jon"), ("alexander", "alex"),
                 ("christopher", "chris"), ("alexandra", "alex"), ("guadalupe", "lupe")]:  # fmt: skip
        assert same_person_names(a, b), (a, b)
    # Two formal names sharing a nickname are not the same name.
    assert not same_person_names("alexander", "alexandra")
    assert not same_person_names("michael", "mitchell")
    assert not same_person_names("elizabeth", "melissa")


def _cmp(lead: tuple[str, str | None, str], first: str, last: str) -> tuple[str, str, str]:
    prof = profile_name_parts(first, last, None)
    assert prof is not None
    result = compare_names(lead_name_parts(*lead), prof)
    return result.first.value, result.last.value, result.middle.value


@pytest.mark.parametrize(
    ("lead", "first", "last", "expected"),
    [
        (("William", None, "Okafor"), "Bill", "Okafor", ("nickname", "exact", "unknown")),
        (("Jose", None, "Nunez"), "José", "Núñez", ("exact", "exact", "unknown")),
        (("Maria", None, "Garcia Lopez"), "María", "García", ("exact", "compound", "unknown")),
        (("Luis", None, "Hernandez Ruiz"), "Luis", "Hernandez-Ruiz", ("exact", "exact", "unknown")),
        (("Angelica", None, "de la Cruz"), "Angelica", "DelaCruz", ("exact", "exact", "unknown")),
        (("Angelica", None, "de la Cruz"), "Angelica", "Cruz", ("exact", "exact", "unknown")),
        (("Sean", None, "O'Neil"), "Seán", "ONeil", ("exact", "exact", "unknown")),
        (("Jane", "A", "Doe"), "Jane A.", "Doe", ("exact", "exact", "agree")),
        (("Jane", "Ann", "Doe"), "Jane B.", "Doe", ("exact", "exact", "conflict")),
        (("James", "Tyler", "Fairbanks"), "Tyler", "Fairbanks", ("middle_as_first", "exact", "unknown")),
        (("J", "R", "Blackwood"), "Jordan", "Blackwood", ("initial", "exact", "unknown")),
        (("Katherine", "Ann", "Whitfield"), "Kate", "(Whitfield) Sorensen", ("nickname", "bracketed", "unknown")),
        (("Katherine", "Ann", "Whitfield"), "Katherine Ann", "Sorensen", ("exact", "different", "agree")),
        (("Jalen", None, "Okonkwo"), "Jaden", "Okonkwo", ("different", "exact", "unknown")),
        (("Kaitlyn", None, "Brennan"), "Katelyn", "Brennan", ("typo", "exact", "unknown")),
        (("Towhid", None, "Rahman"), "Towhid", "Rahman, PharmD", ("exact", "exact", "unknown")),
        (("Jane", None, "Doe"), "Dr. Jane", "Doe, MD", ("exact", "exact", "unknown")),
        (("Mary", "Jo", "Smith"), "Mary Jo", "Smith", ("exact", "exact", "agree")),
        (("Jane", None, "Doe"), "JANE", "DOE-SMITH", ("exact", "compound", "unknown")),
    ],
)
def test_compare_names(lead: tuple[str, str | None, str], first: str, last: str, expected: tuple[str, ...]) -> None:
    assert _cmp(lead, first, last) == expected


def test_profile_name_falls_back_to_full_name_and_refuses_empty() -> None:
    parts = profile_name_parts(None, None, "Jane Doe")
    assert parts is not None
    assert (parts.first, parts.surnames) == ("jane", ("doe",))
    assert profile_name_parts(None, None, "Jane") is None
    assert profile_name_parts("", "Doe", None) is None
    lone = profile_name_parts("Jane", "MBA", None)  # a lone word stays: it is all the surname there is
    assert lone is not None
    assert lone.surnames == ("mba",)


def test_enum_values_are_stable() -> None:
    # Stored in reasons and shown to reviewers; renaming them breaks the review history.
    assert {m.value for m in FirstNameMatch} >= {"exact", "nickname", "initial", "different"}
    assert {m.value for m in LastNameMatch} >= {"exact", "compound", "different"}
    assert {m.value for m in MiddleMatch} == {"agree", "conflict", "unknown"}
