"""Build tests/matching/data/labelled_pairs.jsonl: lead/candidate pairs with the truth.

Deterministic (a fixed seed, a fixed reference year), so the committed file can be checked against
a fresh build. Each generated pair comes from a scenario that knows the truth by construction
(the candidate is the lead's own profile, written the way people write LinkedIn profiles; or it is
another person who shares the name). Hand-written hard cases are appended after them.

    .venv/bin/python tests/matching/build_labelled_pairs.py          # rewrite the file
    .venv/bin/python tests/matching/build_labelled_pairs.py --check  # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OUT = Path(__file__).parent / "data" / "labelled_pairs.jsonl"
SEED = 20261123
REF_YEAR = 2026  # the borrowers are 21-30 in this year
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# (formal first name, short forms people use on LinkedIn)
FIRST_NAMES: list[tuple[str, tuple[str, ...]]] = [
    ("William", ("Bill", "Will", "Liam")), ("Robert", ("Bob", "Rob", "Bobby")), ("Elizabeth", ("Liz", "Beth")),
    ("Katherine", ("Kate", "Katie")), ("Jonathan", ("Jon",)), ("Alexander", ("Alex",)),
    ("Christopher", ("Chris",)), ("Margaret", ("Maggie", "Meg")), ("Nicholas", ("Nick",)),
    ("Samantha", ("Sam",)), ("Patricia", ("Trish", "Patty")), ("Richard", ("Rick", "Rich")),
    ("Jennifer", ("Jen", "Jenny")), ("Zachary", ("Zach",)), ("Abigail", ("Abby",)), ("Theodore", ("Teddy", "Theo")),
    ("Rebecca", ("Becca", "Becky")), ("Benjamin", ("Ben",)), ("Victoria", ("Tori",)), ("Anthony", ("Tony",)),
    ("Deborah", ("Debbie",)), ("Matthew", ("Matt",)), ("Jessica", ("Jess",)), ("Francisco", ("Paco", "Frank")),
    ("Guadalupe", ("Lupe",)), ("Ignacio", ("Nacho",)), ("Kimberly", ("Kim",)), ("Daniel", ("Dan", "Danny")),
    ("Priya", ()), ("Darnell", ()), ("Imani", ()), ("Tariq", ()), ("Siobhan", ()), ("Keanu", ()), ("Anika", ()),
    ("Desmond", ("Des",)), ("Lucia", ()), ("Oluwaseun", ()), ("Mei", ()), ("Rashida", ()), ("Ezekiel", ("Zeke",)),
]  # fmt: skip
COMMON_FIRST = ["Michael", "Maria", "Ashley", "David", "Jessica", "James", "Sarah", "Joshua", "Emily", "Tyler"]
LAST_NAMES = [
    "Okafor", "Lindqvist", "Brennan", "Castellanos", "Whitfield", "Nakamura", "Abernathy", "Delgado", "Prescott",
    "Haverford", "Kowalczyk", "Ashworth", "Mbeki", "Fairbanks", "Quintero", "Galloway", "Thistlewood", "Yilmaz",
    "Ramaswamy", "Okonkwo", "Villanueva", "Pemberton", "Sorensen", "Achebe", "Blackwood", "Cardenas", "Desrosiers",
    "Eriksen", "Fitzgerald", "Gallagher", "Halvorsen", "Iwasaki", "Jablonski", "Kozlowski", "Larkspur", "Mancini",
    "Novak", "Oyelaran", "Pacheco", "Quiroga", "Rasmussen", "Sandoval", "Takahashi", "Underhill", "Valenzuela",
]  # fmt: skip
COMMON_LAST = ["Smith", "Garcia", "Johnson", "Williams", "Nguyen", "Brown", "Rodriguez", "Martinez", "Lee", "Davis"]
# (plain lead spelling, profile spelling with accents)
ACCENTED = [
    ("Jose", "Núñez", "José", "Núñez"),
    ("Renee", "Pena", "Renée", "Peña"),
    ("Zoe", "Ibanez", "Zoë", "Ibáñez"),
    ("Andres", "Munoz", "Andrés", "Muñoz"),
    ("Chloe", "Lefevre", "Chloé", "Lefèvre"),
    ("Ines", "Gonzalez", "Inés", "González"),
    ("Raul", "Jimenez", "Raúl", "Jiménez"),
    ("Sofia", "Bjork", "Sofía", "Björk"),
    ("Joao", "Goncalves", "João", "Gonçalves"),
]
# (lead surname, what the person shows on LinkedIn)
DOUBLE_SURNAMES = [
    ("Garcia Lopez", "Garcia"),
    ("Hernandez Ruiz", "Hernandez-Ruiz"),
    ("De La Cruz", "Delacruz"),
    ("Smith-Jones", "Smith Jones"),
    ("Ortega Vargas", "Ortega"),
    ("Van Buren", "VanBuren"),
    ("Del Rio", "del Río"),
    ("Moreno Salazar", "Moreno-Salazar"),
    ("Baker-Hughes", "Baker"),
]
CREDENTIALS = [", PharmD", ", RN, BSN", " MBA", ", CPA", ", PMP", " RN", ", MSW, LCSW", ", EIT", " PhD", ", SHRM-CP"]
# (city, state code, state name); cities with a LinkedIn metro name have it third
CITIES = [
    ("Columbus", "OH", "Ohio", "Greater Columbus Area"), ("Cleveland", "OH", "Ohio", "Greater Cleveland"),
    ("Cincinnati", "OH", "Ohio", "Cincinnati Metropolitan Area"), ("Austin", "TX", "Texas", None),
    ("Houston", "TX", "Texas", "Greater Houston"), ("Dallas", "TX", "Texas", "Dallas-Fort Worth Metroplex"),
    ("Phoenix", "AZ", "Arizona", "Greater Phoenix Area"), ("Atlanta", "GA", "Georgia", "Atlanta Metropolitan Area"),
    ("Chicago", "IL", "Illinois", "Greater Chicago Area"), ("Denver", "CO", "Colorado", "Denver Metropolitan Area"),
    ("Seattle", "WA", "Washington", "Greater Seattle Area"), ("Miami", "FL", "Florida", "Miami-Fort Lauderdale Area"),
    ("Tampa", "FL", "Florida", "Greater Tampa Bay Area"), ("Charlotte", "NC", "North Carolina", "Charlotte Metro"),
    ("Raleigh", "NC", "North Carolina", None), ("Nashville", "TN", "Tennessee", "Nashville Metropolitan Area"),
    ("Indianapolis", "IN", "Indiana", "Greater Indianapolis"), ("Detroit", "MI", "Michigan", "Greater Detroit Area"),
    ("Minneapolis", "MN", "Minnesota", None), ("St. Louis", "MO", "Missouri", "Greater St. Louis"),
    ("Las Vegas", "NV", "Nevada", "Las Vegas Metropolitan Area"), ("Sacramento", "CA", "California", None),
    ("San Diego", "CA", "California", "Greater San Diego Area"), ("Boston", "MA", "Massachusetts", "Greater Boston"),
    ("Philadelphia", "PA", "Pennsylvania", "Greater Philadelphia"), ("Pittsburgh", "PA", "Pennsylvania", None),
    ("Baltimore", "MD", "Maryland", None), ("Richmond", "VA", "Virginia", None), ("Louisville", "KY", "Kentucky", None),
    ("Milwaukee", "WI", "Wisconsin", None), ("Omaha", "NE", "Nebraska", None), ("Boise", "ID", "Idaho", None),
    ("Albuquerque", "NM", "New Mexico", None), ("Birmingham", "AL", "Alabama", None),
]  # fmt: skip
ZIP_PREFIX = {
    "OH": "43",
    "TX": "75",
    "AZ": "85",
    "GA": "30",
    "IL": "60",
    "CO": "80",
    "WA": "98",
    "FL": "33",
    "NC": "27",
    "TN": "37",
    "IN": "46",
    "MI": "48",
    "MN": "55",
    "MO": "63",
    "NV": "89",
    "CA": "95",
    "MA": "02",
    "PA": "19",
    "MD": "21",
    "VA": "23",
    "KY": "40",
    "WI": "53",
    "NE": "68",
    "ID": "83",
    "NM": "87",
    "AL": "35",
}
# (company name, domain, LinkedIn universal name)
EMPLOYERS = [
    ("Kroger", "kroger.com", "the-kroger-co"), ("CVS Health", "cvshealth.com", "cvshealth"),
    ("Nationwide", "nationwide.com", "nationwide"), ("Target", "target.com", "target"),
    ("JPMorgan Chase & Co.", "jpmorganchase.com", "jpmorganchase"), ("Cardinal Health", "cardinalhealth.com",
    "cardinal-health"), ("Deloitte", "deloitte.com", "deloitte"), ("Accenture", "accenture.com", "accenture"),
    ("Enterprise Mobility", "enterprisemobility.com", "enterprise-mobility"), ("Wells Fargo", "wellsfargo.com",
    "wellsfargo"), ("Walgreens", "walgreens.com", "walgreens"), ("Humana", "humana.com", "humana"),
    ("Progressive Insurance", "progressive.com", "progressive-insurance"), ("Salesforce", "salesforce.com",
    "salesforce"), ("Teach For America", "teachforamerica.org", "teach-for-america"),
]  # fmt: skip
UNIVERSITIES = ["State University", "Community College", "Institute of Technology", "College"]
DEGREES = [
    ("Bachelor of Science - BS", "Nursing"),
    ("Bachelor of Arts - BA", "Psychology"),
    ("Bachelor of Business Administration - BBA", "Finance"),
    ("Bachelor's degree", "Biology"),
    ("Bachelor of Science - BS", "Computer Science"),
    ("Bachelor of Arts - BA", "Communication"),
]
TITLES = [
    "Registered Nurse",
    "Staff Accountant",
    "Software Engineer",
    "Sales Associate",
    "Pharmacy Technician",
    "Customer Service Representative",
    "Financial Analyst",
    "Teacher",
    "Marketing Coordinator",
    "Operations Manager",
    "Warehouse Associate",
    "Account Executive",
    "Data Analyst",
    "Paralegal",
]


def city(name: str) -> tuple[str, str, str, str | None]:
    return next(c for c in CITIES if c[0] == name)


@dataclass
class Person:
    first: str
    last: str
    middle: str | None
    birth_year: int
    city: tuple[str, str, str, str | None]
    employer: tuple[str, str, str] | None = None
    email: str | None = None
    phone: str | None = None
    schools: list[dict[str, Any]] = field(default_factory=list)
    jobs: list[dict[str, Any]] = field(default_factory=list)


def _date(rng: random.Random, year: int, *, month: int | None = None) -> dict[str, Any]:
    m = MONTHS[(month or rng.randint(1, 12)) - 1]
    return {"month": m, "year": year, "text": f"{m} {year}"}


def education_for(rng: random.Random, p: Person, *, high_school: bool, college: bool) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    city = p.city[0]
    if college and p.birth_year + 22 <= REF_YEAR:
        degree, field_of_study = rng.choice(DEGREES)
        end = p.birth_year + rng.choice((21, 22, 22, 22, 23))
        out.append(
            {
                "schoolName": f"{p.city[2]} {rng.choice(UNIVERSITIES)}",
                "schoolLinkedinUrl": f"https://www.linkedin.com/company/{rng.randint(1000, 99999)}/",
                "degree": degree,
                "fieldOfStudy": field_of_study,
                "skills": [],
                "startDate": _date(rng, end - 4, month=8),
                "endDate": _date(rng, end, month=5),
                "period": f"Aug {end - 4} - May {end}",
            }
        )
    if high_school:
        end = p.birth_year + 18
        out.append(
            {
                "schoolName": f"{city} {rng.choice(['North', 'Central', 'West', 'East'])} High School",
                "schoolLinkedinUrl": None,
                "degree": "High School Diploma",
                "fieldOfStudy": None,
                "skills": [],
                "startDate": {"year": end - 4, "text": str(end - 4)},
                "endDate": {"year": end, "text": str(end)},
                "period": f"{end - 4} - {end}",
            }
        )
    return out


def jobs_for(rng: random.Random, p: Person, count: int) -> list[dict[str, Any]]:
    jobs: list[dict[str, Any]] = []
    year = REF_YEAR - rng.randint(0, 3)
    for i in range(count):
        if i == 0 and p.employer:
            company, _, universal = p.employer
        else:
            company, _, universal = rng.choice(EMPLOYERS)
        start = max(p.birth_year + 18, year - rng.randint(1, 3))
        jobs.append(
            {
                "position": rng.choice(TITLES),
                "location": f"{p.city[0]}, {p.city[2]}, United States",
                "employmentType": "Full-time",
                "workplaceType": rng.choice(["On-site", "Hybrid", "Remote"]),
                "companyName": company,
                "companyLinkedinUrl": f"https://www.linkedin.com/company/{universal}/",
                "companyId": str(rng.randint(1000, 999999)),
                "companyUniversalName": universal,
                "duration": "",
                "description": None,
                "skills": [],
                "startDate": _date(rng, start),
                "endDate": {"text": "Present"} if i == 0 else _date(rng, year),
            }
        )
        year = start
    return jobs


def profile_item(
    rng: random.Random,
    p: Person,
    *,
    first: str,
    last: str,
    location: str | None,
    parsed_city: bool = True,
    country: str = "US",
    email: str | None = None,
    slug: str | None = None,
) -> dict[str, Any]:
    """A profile item in the harvestapi/linkedin-profile-scraper shape (api-contracts 2a)."""
    slug = slug or f"{first}-{last}".lower().replace(" ", "-").replace(",", "") + f"-{rng.randrange(16**6):06x}"
    urn = "ACoAA" + "".join(
        rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(34)
    )
    loc: dict[str, Any] | None = None
    if location is not None:
        parts = [x.strip() for x in location.split(",")]
        loc = {
            "linkedinText": location,
            "countryCode": country,
            "parsed": {
                "text": location,
                "countryCode": country,
                "regionCode": None,
                "country": "United States" if country == "US" else parts[-1],
                "countryFull": "United States of America" if country == "US" else parts[-1],
                "state": parts[1] if len(parts) == 3 else None,
                "city": parts[0] if len(parts) == 3 and parsed_city else None,
            },
        }
    current = [j for j in p.jobs if j["endDate"].get("text") == "Present"]
    item: dict[str, Any] = {
        "id": urn,
        "publicIdentifier": slug,
        "linkedinUrl": f"https://www.linkedin.com/in/{slug}",
        "firstName": first,
        "lastName": last,
        "headline": f"{p.jobs[0]['position']} at {p.jobs[0]['companyName']}" if p.jobs else "Open to opportunities",
        "about": None,
        "openToWork": rng.random() < 0.2,
        "hiring": False,
        "premium": False,
        "influencer": False,
        "verified": rng.random() < 0.5,
        "photo": f"https://media.licdn.com/dms/image/{urn[:12]}/profile.jpg",
        "location": loc,
        "registeredAt": f"{rng.randint(2014, 2024)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T12:00:00.000Z",
        "topSkills": None,
        "connectionsCount": rng.randint(20, 900),
        "followerCount": rng.randint(20, 900),
        "currentPosition": [{"companyName": j["companyName"]} for j in current],
        "experience": p.jobs,
        "education": p.schools,
        "certifications": [],
        "honorsAndAwards": [],
        "languages": [],
        "skills": [],
        "projects": [],
        "volunteering": [],
        "courses": [],
        "publications": [],
        "patents": [],
        "receivedRecommendations": [],
        "featured": None,
        "moreProfiles": [],
    }
    if location is None:
        item.pop("location")
    if email:
        item["email"] = email
    return item


def lead_fields(rng: random.Random, p: Person, n: int, *, linkedin_url: str = "") -> dict[str, str]:
    name_style = rng.randrange(3)
    middle = f" {p.middle}" if p.middle else ""
    if name_style == 0:
        debtor = f"{p.last.upper()}, {p.first.upper()}{middle.upper()}"
    elif name_style == 1:
        debtor = f"{p.first}{middle} {p.last}"
    else:
        debtor = f"{p.first.upper()}{middle.upper()} {p.last.upper()}"
    if len(p.last.split()) > 1 and name_style != 0:
        debtor = f"{p.last.upper()}, {p.first.upper()}{middle.upper()}"  # the comma keeps a double surname whole
    city, code, state_name, _ = p.city
    return {
        "debtor_name": debtor,
        "agency_id_number": f"LP-{n:05d}",
        "city": city,
        "state": code if rng.random() < 0.8 else state_name,
        "zip": ZIP_PREFIX[code] + f"{rng.randint(0, 999):03d}",
        "dob": f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/{p.birth_year}",
        "email": p.email or "",
        "phone_1": p.phone or "",
        "companyDomain": p.employer[1] if p.employer else "",
        "linkedin_url": linkedin_url,
    }


def new_person(
    rng: random.Random, *, common: bool = False, first: str | None = None, last: str | None = None
) -> Person:
    if first is None:
        first = rng.choice(COMMON_FIRST) if common else rng.choice(FIRST_NAMES)[0]
    if last is None:
        last = rng.choice(COMMON_LAST) if common else rng.choice(LAST_NAMES)
    middle = rng.choice([None, None, "A", "J", "Marie", "Lee", "R", "Ann", "Michael"])
    p = Person(first=first, last=last, middle=middle, birth_year=rng.randint(1996, 2005), city=rng.choice(CITIES))
    p.employer = rng.choice(EMPLOYERS) if rng.random() < 0.35 else None
    slug = f"{first}.{last}".lower().replace(" ", "")
    p.email = f"{slug}{rng.randint(1, 99)}@example.com" if rng.random() < 0.6 else None
    p.phone = (
        f"({rng.choice([614, 216, 513, 312, 404, 713])}) 555-01{rng.randint(0, 99):02d}" if rng.random() < 0.6 else None
    )
    return p


def fill_history(rng: random.Random, p: Person, *, education: bool = True) -> None:
    p.jobs = jobs_for(rng, p, rng.randint(1, 3))
    if education:
        p.schools = education_for(rng, p, high_school=rng.random() < 0.5, college=True)


def std_location(rng: random.Random, p: Person) -> str:
    city, _, state_name, metro = p.city
    if metro and rng.random() < 0.25:
        return metro
    return f"{city}, {state_name}, United States"


# --- scenarios: each returns (lead person, candidate item, label, tag) ------------------------------

Scenario = Callable[[random.Random], tuple[Person, dict[str, Any], str, str]]


def s_clean(rng: random.Random) -> tuple[Person, dict[str, Any], str, str]:
    p = new_person(rng)
    fill_history(rng, p)
    return p, profile_item(rng, p, first=p.first, last=p.last, location=std_location(rng, p)), "match", "clean"


def s_nickname(rng: random.Random) -> tuple[Person, dict[str, Any], str, str]:
    formal, shorts = rng.choice([f for f in FIRST_NAMES if f[1]])
    p = new_person(rng, first=formal)
    fill_history(rng, p)
    item = profile_item(rng, p, first=rng.choice(shorts), last=p.last, location=std_location(rng, p))
    return p, item, "match", "nickname"


def s_credentials(rng: random.Random) -> tuple[Person, dict[str, Any], str, str]:
    p = new_person(rng)
    fill_history(rng, p)
    item = profile_item(rng, p, first=p.first, last=p.last + rng.choice(CREDENTIALS), location=std_location(rng, p))
    return p, item, "match", "credential suffix"


def s_diacritics(rng: random.Random) -> tuple[Person, dict[str, Any], str, str]:
    first, last, acc_first, acc_last = rng.choice(ACCENTED)
    p = new_person(rng, first=first, last=last)
    fill_history(rng, p)
    item = profile_item(rng, p, first=acc_first, last=acc_last, location=std_location(rng, p))
    return p, item, "match", "diacritics"


def s_double_surname(rng: random.Random) -> tuple[Person, dict[str, Any], str, str]:
    lead_last, shown = rng.choice(DOUBLE_SURNAMES)
    p = new_person(rng, last=lead_last)
    fill_history(rng, p)
    return p, profile_item(rng, p, first=p.first, last=shown, location=std_location(rng, p)), "match", "double surname"


def s_middle_in_first(rng: random.Random) -> tuple[Person, dict[str, Any], str, str]:
    p = new_person(rng)
    p.middle = rng.choice(["A", "J", "Marie", "Lee"])
    fill_history(rng, p)
    shown = f"{p.first} {p.middle[0]}." if rng.random() < 0.5 else f"{p.first} {p.middle}"
    return p, profile_item(rng, p, first=shown, last=p.last, location=std_location(rng, p)), "match", "middle name"


def s_employer_no_location(rng: random.Random) -> tuple[Person, dict[str, Any], str, str]:
    p = new_person(rng)
    p.employer = rng.choice(EMPLOYERS)
    fill_history(rng, p, education=rng.random() < 0.5)
    return p, profile_item(rng, p, first=p.first, last=p.last, location=None), "match", "employer, no location"


def s_email(rng: random.Random) -> tuple[Person, dict[str, Any], str, str]:
    p = new_person(rng)
    p.email = f"{p.first.lower()}.{p.last.lower()}{rng.randint(1, 99)}@example.org"
    fill_history(rng, p, education=False)
    item = profile_item(rng, p, first=p.first, last=p.last, location="United States", email=p.email)
    return p, item, "match", "email on profile"


def s_state_only(rng: random.Random) -> tuple[Person, dict[str, Any], str, str]:
    p = new_person(rng)
    fill_history(rng, p)
    return (
        p,
        profile_item(rng, p, first=p.first, last=p.last, location=f"{p.city[2]}, United States"),
        "match",
        "state only",
    )


def s_partial_profile(rng: random.Random) -> tuple[Person, dict[str, Any], str, str]:
    p = new_person(rng, common=rng.random() < 0.5)
    p.jobs = []
    item = profile_item(rng, p, first=p.first, last=p.last, location=rng.choice([None, "United States"]))
    return p, item, "match", "partial profile"


def s_moved(rng: random.Random) -> tuple[Person, dict[str, Any], str, str]:
    p = new_person(rng)
    fill_history(rng, p)
    other = rng.choice([c for c in CITIES if c[1] != p.city[1]])
    item = profile_item(rng, p, first=p.first, last=p.last, location=f"{other[0]}, {other[2]}, United States")
    return p, item, "match", "moved to another state"


def s_married(rng: random.Random) -> tuple[Person, dict[str, Any], str, str]:
    p = new_person(rng, first=rng.choice(["Elizabeth", "Katherine", "Rebecca", "Jessica", "Priya", "Imani", "Lucia"]))
    p.middle = rng.choice(["Marie", "Ann", "Lee"])
    fill_history(rng, p)
    new_last = rng.choice([n for n in LAST_NAMES if n != p.last])
    item = profile_item(rng, p, first=f"{p.first} {p.middle}", last=new_last, location=std_location(rng, p))
    return p, item, "match", "name change"


def s_other_state(rng: random.Random) -> tuple[Person, dict[str, Any], str, str]:
    p = new_person(rng, common=rng.random() < 0.3)
    other = Person(p.first, p.last, None, rng.randint(1994, 2006), rng.choice([c for c in CITIES if c[1] != p.city[1]]))
    fill_history(rng, other)
    item = profile_item(rng, other, first=p.first, last=p.last, location=std_location(rng, other))
    return p, item, "non_match", "same name, another state"


def s_other_age(rng: random.Random) -> tuple[Person, dict[str, Any], str, str]:
    p = new_person(rng, common=rng.random() < 0.3)
    other = Person(p.first, p.last, None, p.birth_year + rng.choice([-22, -15, -11, -8, 9, 12]), p.city)
    other.jobs = jobs_for(rng, other, rng.randint(1, 3))
    other.schools = education_for(rng, other, high_school=True, college=other.birth_year + 22 <= REF_YEAR)
    item = profile_item(rng, other, first=p.first, last=p.last, location=std_location(rng, p))
    return p, item, "non_match", "same name, same city, another age"


def s_sibling(rng: random.Random) -> tuple[Person, dict[str, Any], str, str]:
    p = new_person(rng)
    sibling_first = rng.choice([f[0] for f in FIRST_NAMES if f[0] != p.first and f[0][0] != p.first[0]])
    other = Person(sibling_first, p.last, None, p.birth_year + rng.choice([-3, -2, 0, 2, 4]), p.city)
    fill_history(rng, other)
    item = profile_item(rng, other, first=sibling_first, last=p.last, location=std_location(rng, p))
    return p, item, "non_match", "sibling: same surname and city"


def s_twin_middle(rng: random.Random) -> tuple[Person, dict[str, Any], str, str]:
    p = new_person(rng)
    p.middle = rng.choice(["Elena", "James", "Grace", "Owen"])
    other_middle = rng.choice([m for m in ("Luisa", "Robert", "Hope", "Wade") if m[0] != p.middle[0]])
    other = Person(p.first, p.last, other_middle, p.birth_year, p.city)
    fill_history(rng, other)
    item = profile_item(rng, other, first=f"{p.first} {other_middle}", last=p.last, location=std_location(rng, p))
    return p, item, "non_match", "near duplicate: another middle name"


def s_common_same_state(rng: random.Random) -> tuple[Person, dict[str, Any], str, str]:
    p = new_person(rng, common=True)
    other = Person(
        p.first, p.last, None, rng.randint(1994, 2006), rng.choice([c for c in CITIES if c[1] == p.city[1]] or [p.city])
    )
    other.jobs = jobs_for(rng, other, rng.randint(1, 2))
    item = profile_item(rng, other, first=p.first, last=p.last, location=f"{p.city[2]}, United States")
    return p, item, "non_match", "common name, same state"


def s_abroad(rng: random.Random) -> tuple[Person, dict[str, Any], str, str]:
    p = new_person(rng)
    other = Person(p.first, p.last, None, p.birth_year, p.city)
    fill_history(rng, other)
    place, country = rng.choice(
        [
            ("Toronto, Ontario, Canada", "CA"),
            ("London, England, United Kingdom", "GB"),
            ("Manila, National Capital Region, Philippines", "PH"),
        ]
    )
    item = profile_item(rng, other, first=p.first, last=p.last, location=place, country=country)
    return p, item, "non_match", "same name abroad"


def s_similar_name(rng: random.Random) -> tuple[Person, dict[str, Any], str, str]:
    p = new_person(rng)
    other_last = rng.choice([n for n in LAST_NAMES if n[0] == p.last[0] and n != p.last] or ["Zimmerman"])
    other = Person(p.first, other_last, None, rng.randint(1994, 2006), p.city)
    fill_history(rng, other)
    item = profile_item(rng, other, first=p.first, last=other_last, location=std_location(rng, p))
    return p, item, "non_match", "another surname, same city"


SCENARIOS: list[tuple[Scenario, int]] = [
    (s_clean, 40), (s_nickname, 22), (s_credentials, 16), (s_diacritics, 12), (s_double_surname, 14),
    (s_middle_in_first, 12), (s_employer_no_location, 10), (s_email, 8), (s_state_only, 12), (s_partial_profile, 10),
    (s_moved, 8), (s_married, 8),
    (s_other_state, 24), (s_other_age, 22), (s_sibling, 14), (s_twin_middle, 10), (s_common_same_state, 14),
    (s_abroad, 8), (s_similar_name, 10),
]  # fmt: skip


def generated(rng: random.Random) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for scenario, count in SCENARIOS:
        for _ in range(count):
            n = len(rows) + 1
            person, item, label, tag = scenario(rng)
            lead = lead_fields(rng, person, n)
            rows.append({"id": f"gen-{n:04d}", "tag": tag, "lead": lead, "candidate": item, "label": label})
    return rows


def hand_written(rng: random.Random) -> list[dict[str, Any]]:
    """Cases written one by one, each the kind of pair that has fooled matchers before."""
    rows: list[dict[str, Any]] = []

    def add(tag: str, label: str, lead: Person, item: dict[str, Any], **lead_overrides: str) -> None:
        n = 9000 + len(rows) + 1
        fields = lead_fields(rng, lead, n)
        fields.update(lead_overrides)
        rows.append({"id": f"hand-{len(rows) + 1:03d}", "tag": tag, "lead": fields, "candidate": item, "label": label})

    columbus = city("Columbus")
    # The real pharmacist from the contract sample, as a lead in Los Angeles.
    la = ("Los Angeles", "CA", "California", "Los Angeles Metropolitan Area")
    towhid = Person("Towhid", "Rahman", None, 1996, la, employer=("CVS Health", "cvshealth.com", "cvshealth"))
    towhid.jobs = [
        {
            "position": "Staff Pharmacist",
            "location": "Thousand Oaks, California, United States",
            "employmentType": "Full-time",
            "workplaceType": "On-site",
            "companyName": "CVS Health",
            "companyLinkedinUrl": "https://www.linkedin.com/company/cvshealth/",
            "companyId": "4680",
            "companyUniversalName": "cvshealth",
            "duration": "1 yr 7 mos",
            "description": "...",
            "skills": ["Scientific Liaison"],
            "startDate": {"month": "Jan", "year": 2024, "text": "Jan 2024"},
            "endDate": {"text": "Present"},
        }
    ]
    towhid.schools = [
        {
            "schoolName": "Western University of Health Sciences",
            "degree": "Doctor of Pharmacy",
            "fieldOfStudy": "Pharmacy",
            "startDate": {"month": "Aug", "year": 2018, "text": "Aug 2018"},
            "endDate": {"month": "May", "year": 2022, "text": "May 2022"},
            "period": "Aug 2018 - May 2022",
        }
    ]
    add(
        "credential suffix (contract sample)",
        "match",
        towhid,
        profile_item(
            rng,
            towhid,
            first="Towhid",
            last="Rahman, PharmD",
            location="Los Angeles, California, United States",
            slug="towhid-rahman",
        ),
    )

    # Same name, same city, different ages: the older one has a 2009 degree.
    m1 = Person("Michael", "Smith", None, 2001, columbus)
    old = Person("Michael", "Smith", None, 1986, columbus)
    old.jobs, old.schools = jobs_for(rng, old, 3), education_for(rng, old, high_school=True, college=True)
    add(
        "common name, same city, another age",
        "non_match",
        m1,
        profile_item(rng, old, first="Michael", last="Smith", location="Columbus, Ohio, United States"),
    )
    # ...and the right Michael Smith: same city, age fits, works at the known employer.
    m1.employer = ("Nationwide", "nationwide.com", "nationwide")
    m1.jobs, m1.schools = jobs_for(rng, m1, 2), education_for(rng, m1, high_school=True, college=True)
    add(
        "common name with employer and age",
        "match",
        m1,
        profile_item(rng, m1, first="Michael", last="Smith", location="Columbus, Ohio, United States"),
    )

    # Maria Garcia in Houston: age fits but nothing else; a person must decide.
    maria = Person("Maria", "Garcia", None, 1999, city("Houston"))
    other_maria = Person("Maria", "Garcia", None, 1998, city("Houston"))
    other_maria.jobs = jobs_for(rng, other_maria, 1)
    other_maria.schools = education_for(rng, other_maria, high_school=False, college=True)
    add(
        "Maria Garcia, same city, fitting age, another person",
        "non_match",
        maria,
        profile_item(rng, other_maria, first="Maria", last="Garcia", location="Houston, Texas, United States"),
    )
    # Maria Garcia Lopez showing only her first surname, with the lead's phone... profiles rarely show phones,
    # so it is her email that settles it.
    mgl = Person("Maria", "Garcia Lopez", "Elena", 2000, city("Houston"), email="mgarcialopez00@example.com")
    mgl.jobs, mgl.schools = jobs_for(rng, mgl, 1), education_for(rng, mgl, high_school=False, college=True)
    add(
        "double surname with email",
        "match",
        mgl,
        profile_item(rng, mgl, first="María Elena", last="García", location="Greater Houston", email=mgl.email),
    )

    # De la Cruz written three ways.
    dlc = Person("Angelica", "De La Cruz", None, 1998, city("Phoenix"))
    dlc.jobs, dlc.schools = jobs_for(rng, dlc, 2), education_for(rng, dlc, high_school=True, college=True)
    add(
        "particle surname run together",
        "match",
        dlc,
        profile_item(rng, dlc, first="Angie", last="DelaCruz", location="Phoenix, Arizona, United States"),
    )
    dlc2 = Person("Angelica", "Cruz", None, 1990, city("Phoenix"))
    dlc2.jobs, dlc2.schools = jobs_for(rng, dlc2, 3), education_for(rng, dlc2, high_school=True, college=True)
    add(
        "particle surname, other person older",
        "non_match",
        dlc,
        profile_item(rng, dlc2, first="Angelica", last="Cruz", location="Phoenix, Arizona, United States"),
    )

    # Married name, maiden name shown in brackets.
    kate = Person("Katherine", "Whitfield", "Ann", 1997, city("Denver"))
    kate.jobs, kate.schools = jobs_for(rng, kate, 2), education_for(rng, kate, high_school=False, college=True)
    add(
        "maiden name in brackets",
        "match",
        kate,
        profile_item(rng, kate, first="Kate", last="(Whitfield) Sorensen", location="Denver, Colorado, United States"),
    )
    add(
        "married name, nothing else differs",
        "match",
        kate,
        profile_item(rng, kate, first="Katherine Ann", last="Sorensen", location="Denver, Colorado, United States"),
    )

    # Initials only.
    jr = Person("Jordan", "Blackwood", "R", 2000, city("Charlotte"))
    jr.jobs, jr.schools = jobs_for(rng, jr, 1), education_for(rng, jr, high_school=True, college=True)
    add(
        "initial only on profile",
        "match",
        jr,
        profile_item(rng, jr, first="J.", last="Blackwood", location="Charlotte, North Carolina, United States"),
    )
    add(
        "lead has initial, profile full first name",
        "match",
        jr,
        profile_item(rng, jr, first="Jordan", last="Blackwood", location="Charlotte, North Carolina, United States"),
        debtor_name="BLACKWOOD, J R",
    )
    other_j = Person("Jasmine", "Blackwood", None, 2001, city("Charlotte"))
    other_j.jobs, other_j.schools = (
        jobs_for(rng, other_j, 1),
        education_for(rng, other_j, high_school=True, college=True),
    )
    add(
        "initial matches another person",
        "non_match",
        other_j,
        profile_item(rng, jr, first="J.", last="Blackwood", location="Charlotte, North Carolina, United States"),
    )

    # Goes by the middle name.
    mid = Person("James", "Fairbanks", "Tyler", 1999, city("Indianapolis"))
    mid.jobs, mid.schools = jobs_for(rng, mid, 2), education_for(rng, mid, high_school=False, college=True)
    add(
        "goes by middle name",
        "match",
        mid,
        profile_item(rng, mid, first="Tyler", last="Fairbanks", location="Indianapolis, Indiana, United States"),
        debtor_name="FAIRBANKS, JAMES TYLER",
    )

    # Twins: same surname, birthday, city, school; only the first name differs.
    twin_a = Person("Jalen", "Okonkwo", None, 2002, city("Chicago"))
    twin_b = Person("Jaden", "Okonkwo", None, 2002, city("Chicago"))
    twin_b.jobs, twin_b.schools = jobs_for(rng, twin_b, 1), education_for(rng, twin_b, high_school=True, college=True)
    add(
        "twin with a near-identical first name",
        "non_match",
        twin_a,
        profile_item(rng, twin_b, first="Jaden", last="Okonkwo", location="Chicago, Illinois, United States"),
    )

    # Same name, another state, right age and employer: moved or another person, never confirmed.
    nomad = Person(
        "Siobhan", "Gallagher", None, 1998, city("Pittsburgh"), employer=("Deloitte", "deloitte.com", "deloitte")
    )
    nomad.jobs, nomad.schools = jobs_for(rng, nomad, 2), education_for(rng, nomad, high_school=False, college=True)
    away = Person("Siobhan", "Gallagher", None, 1998, city("Boston"), employer=nomad.employer)
    away.jobs, away.schools = nomad.jobs, nomad.schools
    add(
        "same name, another state, same employer",
        "non_match",
        nomad,
        profile_item(rng, away, first="Siobhan", last="Gallagher", location="Boston, Massachusetts, United States"),
    )

    # Known LinkedIn URL: the agency already has the profile.
    known = Person("Darnell", "Haverford", None, 1997, city("Detroit"))
    known.jobs = jobs_for(rng, known, 1)
    item = profile_item(rng, known, first="Darnell", last="Haverford", location=None, slug="darnell-haverford-8b1")
    add("known linkedin_url", "match", known, item, linkedin_url="https://www.linkedin.com/in/darnell-haverford-8b1/")

    # Partial profiles with no location at all.
    bare = Person("Tariq", "Ramaswamy", None, 2003, city("Sacramento"))
    add(
        "partial profile, nothing to corroborate",
        "match",
        bare,
        profile_item(rng, bare, first="Tariq", last="Ramaswamy", location=None),
    )
    bare_common = Person("Ashley", "Johnson", None, 2003, city("Sacramento"))
    add(
        "partial common-name profile",
        "non_match",
        bare_common,
        profile_item(rng, bare_common, first="Ashley", last="Johnson", location=None),
    )

    # A high-school student with the lead's name (finishing school in 2025, lead born 1997).
    young = Person("Anika", "Pemberton", None, 2007, city("Seattle"))
    young.schools = education_for(rng, young, high_school=True, college=False)
    add(
        "same name, a teenager",
        "non_match",
        Person("Anika", "Pemberton", None, 1997, city("Seattle")),
        profile_item(rng, young, first="Anika", last="Pemberton", location="Seattle, Washington, United States"),
    )

    # A rare name in the same city with nothing else on the profile: our best guess is wrong here.
    # Kept on purpose: it is the residual risk of confirming on name and city alone.
    rare = Person("Ezekiel", "Thistlewood", None, 1999, city("Baltimore"))
    rare_other = Person("Ezekiel", "Thistlewood", None, 1999, city("Baltimore"))
    add(
        "rare name, same city, another person (undecidable)",
        "non_match",
        rare,
        profile_item(
            rng, rare_other, first="Ezekiel", last="Thistlewood", location="Baltimore, Maryland, United States"
        ),
    )

    # Credentials that look like surnames are not stripped: Vietnamese "Do", Chinese "Ma".
    do = Person("Linh", "Do", None, 2000, city("Austin"))
    do.jobs, do.schools = jobs_for(rng, do, 1), education_for(rng, do, high_school=False, college=True)
    add(
        "surname Do is not a credential",
        "match",
        do,
        profile_item(rng, do, first="Linh", last="Do", location="Austin, Texas, United States"),
    )
    nurse = Person("Rebecca", "Lindqvist", None, 1996, city("St. Louis"))
    nurse.jobs, nurse.schools = jobs_for(rng, nurse, 2), education_for(rng, nurse, high_school=False, college=True)
    add(
        "several credentials",
        "match",
        nurse,
        profile_item(rng, nurse, first="Becky", last="Lindqvist, RN, BSN, CCRN", location="Greater St. Louis"),
    )
    add(
        "credentials without a comma",
        "match",
        nurse,
        profile_item(rng, nurse, first="Rebecca", last="Lindqvist MBA", location="St Louis, Missouri, United States"),
    )

    # Diacritics both ways, and an apostrophe.
    oneil = Person("Sean", "O'Neil", None, 2001, city("Boston"))
    oneil.jobs, oneil.schools = jobs_for(rng, oneil, 1), education_for(rng, oneil, high_school=True, college=True)
    add(
        "apostrophe dropped",
        "match",
        oneil,
        profile_item(rng, oneil, first="Seán", last="ONeil", location="Boston, Massachusetts, United States"),
    )
    zoe = Person("Zoë", "Quiroga", None, 2000, city("Miami"))
    zoe.jobs, zoe.schools = jobs_for(rng, zoe, 2), education_for(rng, zoe, high_school=False, college=True)
    add(
        "accent in the lead, none on the profile",
        "match",
        zoe,
        profile_item(rng, zoe, first="Zoe", last="Quiroga", location="Miami, Florida, United States"),
    )

    # Hyphenated surname where the other person has only the second half.
    hy = Person("Priya", "Ramaswamy-Cole", None, 1998, city("Raleigh"))
    hy.jobs, hy.schools = jobs_for(rng, hy, 2), education_for(rng, hy, high_school=False, college=True)
    add(
        "hyphenated surname, one half shown",
        "match",
        hy,
        profile_item(rng, hy, first="Priya", last="Cole", location="Raleigh, North Carolina, United States"),
    )
    hy_other = Person("Priya", "Cole", None, 1984, city("Raleigh"))
    hy_other.jobs = jobs_for(rng, hy_other, 3)
    hy_other.schools = education_for(rng, hy_other, high_school=False, college=True)
    add(
        "hyphenated surname, older namesake",
        "non_match",
        hy,
        profile_item(rng, hy_other, first="Priya", last="Cole", location="Raleigh, North Carolina, United States"),
    )

    # Abroad with the right name, age and even employer.
    abroad = Person(
        "Keanu", "Iwasaki", None, 1999, city("San Diego"), employer=("Salesforce", "salesforce.com", "salesforce")
    )
    abroad.jobs, abroad.schools = jobs_for(rng, abroad, 1), education_for(rng, abroad, high_school=False, college=True)
    add(
        "same name abroad, same employer",
        "non_match",
        abroad,
        profile_item(
            rng, abroad, first="Keanu", last="Iwasaki", location="Vancouver, British Columbia, Canada", country="CA"
        ),
    )
    # Wrong email on the profile: weak evidence only; the rest decides.
    em = Person("Desmond", "Achebe", None, 2000, city("Tampa"), email="des.achebe@example.com")
    em.jobs, em.schools = jobs_for(rng, em, 1), education_for(rng, em, high_school=True, college=True)
    add(
        "another email on the profile",
        "match",
        em,
        profile_item(
            rng, em, first="Des", last="Achebe", location="Tampa, Florida, United States", email="desmond.a@example.net"
        ),
    )
    return rows


def build() -> list[dict[str, Any]]:
    rng = random.Random(SEED)
    return generated(rng) + hand_written(rng)


def render(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n" for row in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed file differs from a fresh build")
    args = parser.parse_args()
    text = render(build())
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is stale; run {Path(__file__).name} to rebuild it", file=sys.stderr)
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {text.count(chr(10))} pairs to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
