"""A clearly synthetic profile source for demos, tests and benchmarks, with no network at all.

Every ``https://www.linkedin.com/in/<first>-<last>-syn<N>`` URL (the demo lead book's shape, at
any size) has a deterministic synthetic life: a base career consistent with an age of 21-30, and,
cycle after cycle, changes (new job, promotion, certification, licence, degree, honour, business
launch; and hardship: job ended, open to work) plus posts, both announcements and plenty of
non-signals. Output goes through exactly the Apify pipeline: raw items in the harvestapi shapes
(api-contracts 2a, 2d) mapped by ``map_profile_item`` / ``map_post_item``.

Determinism: the same (seed, profile URL, cycle, now) gives the same records. Dates are anchored
at ``now - cycle * CYCLE_DAYS``, so a caller that advances ``now`` by ``CYCLE_DAYS`` per cycle
sees a stable history in which only the new cycle's changes appear.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import random
import re
import time
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from leadsignal.leads.us_states import STATE_CODES
from leadsignal.sources.mappers import map_post_item, map_profile_item
from leadsignal.sources.parsing import canonical_profile_url, parse_location_text, state_code
from leadsignal.sources.records import FetchResult, PostRecord, ProfileRecord, ProfileSearch, ProfileSource

CYCLE_DAYS = 7
CHANGE_RATE = 0.22  # share of profiles that change in a given cycle
ANNOUNCE_RATE = 0.6  # share of changes announced in a post
NOISE_RATE = 0.35  # chance of a non-signal post per profile and cycle
NOT_IN_SAMPLE = "not in the sample set"

CHANGE_KINDS = (
    "new_job",
    "promotion",
    "certification",
    "licence",
    "degree",
    "honor",
    "business_launch",
    "job_ended",
    "open_to_work",
)
_CHANGE_WEIGHTS = (18, 15, 15, 12, 9, 9, 5, 9, 8)
SIGNAL_POST_KINDS = ("new_job", "promotion", "certification", "licence", "degree", "honor", "business_launch")
HARDSHIP_POST_KINDS = ("layoff", "open_to_work")
NOISE_POST_KINDS = ("congrats_other", "hiring", "company_news", "opinion", "work_anniversary", "studying")
_ANNOUNCEMENT = {"job_ended": "layoff"}
_SLUG_RE = re.compile(r"^(?P<name>[a-z][a-z'.\-]*?)-syn(?P<n>\d{1,9})$")
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class SampleChange(BaseModel):
    """Ground truth of one simulated change (for evaluation, never used by the pipeline)."""

    model_config = ConfigDict(frozen=True)

    cycle: int
    kind: str
    post_id: str | None = None  # the announcement post, when there is one


class SampleTruth(BaseModel):
    model_config = ConfigDict(frozen=True)

    profile_url: str
    changes: tuple[SampleChange, ...]
    post_kinds: dict[str, str]  # post_id -> template kind


# ---------------------------------------------------------------------------------------------
# Bundled data


@cache
def _careers() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("leadsignal.sources").joinpath("sample_data/careers.json").read_text()
    )
    return data


@cache
def _templates() -> dict[str, list[str]]:
    raw = json.loads(resources.files("leadsignal.sources").joinpath("sample_data/post_templates.json").read_text())
    kinds: dict[str, list[str]] = raw["kinds"]
    return kinds


def _rng(*parts: object) -> random.Random:
    return random.Random("|".join(str(p) for p in parts))  # str seeds hash with sha512: stable across runs


def _digits(*parts: object, length: int = 18) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()
    return str(int(digest, 16))[:length].rjust(length, "0")


# ---------------------------------------------------------------------------------------------
# The simulated life of one profile (months are indices: year * 12 + month - 1)


@dataclasses.dataclass
class _Job:
    title: str
    company: str
    start: int
    end: int | None
    level: int
    employment_type: str = "Full-time"


@dataclasses.dataclass
class _Edu:
    school: str
    degree: str
    field: str
    start: int
    end: int | None


@dataclasses.dataclass
class _Cred:
    name: str
    issuer: str
    issued: int


@dataclasses.dataclass
class _Honor:
    title: str
    issuer: str
    issued: int


@dataclasses.dataclass
class _Post:
    post_id: str
    kind: str
    text: str
    posted_at: dt.datetime
    cycle: int


@dataclasses.dataclass
class _Life:
    slug: str
    first: str
    last: str
    family: dict[str, Any]
    city: str
    state: str
    jobs: list[_Job]
    education: list[_Edu]
    credentials: list[_Cred]
    honors: list[_Honor]
    open_to_work: bool = False
    posts: list[_Post] = dataclasses.field(default_factory=list)
    changes: list[SampleChange] = dataclasses.field(default_factory=list)

    @property
    def current(self) -> _Job | None:
        jobs = [j for j in self.jobs if j.end is None]
        return max(jobs, key=lambda j: j.start) if jobs else None


def _month_index(when: dt.datetime) -> int:
    return when.year * 12 + when.month - 1


def _ym(index: int) -> dict[str, Any]:
    year, month = divmod(index, 12)
    return {"month": _MONTH_ABBR[month], "year": year, "text": f"{_MONTH_ABBR[month]} {year}"}


def _ym_text(index: int) -> str:
    year, month = divmod(index, 12)
    return f"{_MONTH_ABBR[month]} {year}"


def slug_name(slug: str) -> tuple[str, str] | None:
    """("Jane", "Doe") for ``jane-doe-syn12``; None when the slug is not a sample slug."""
    match = _SLUG_RE.match(slug)
    if not match:
        return None
    tokens = [t for t in match.group("name").split("-") if t]
    if len(tokens) < 2:
        return None
    return tokens[0].title(), "-".join(t.title() for t in tokens[1:])


def _place(seed: int, slug: str) -> tuple[str, str]:
    city, state = _rng(seed, slug, "place").choice(_careers()["places"])
    return str(city), str(state)


def _base_life(seed: int, slug: str, t0: dt.datetime) -> _Life:
    rng = _rng(seed, slug, "base")
    first, last = slug_name(slug) or ("Sample", "Person")
    family: dict[str, Any] = rng.choice(_careers()["families"])
    city, state = _place(seed, slug)
    now_m = _month_index(t0)
    age = rng.randint(21, 30)
    birth_year = t0.year - age
    education: list[_Edu] = []
    roll = rng.random()
    work_from = (birth_year + 19) * 12 + rng.randint(0, 11)
    if roll < 0.8:
        school, degree, field = family["schools"][1 if roll < 0.55 else 0]
        years = 4 if roll < 0.55 else 2
        start = (birth_year + 18) * 12 + 7
        edu_end = start + years * 12 - 3
        education.append(_Edu(school, degree, field, start, edu_end if edu_end <= now_m else None))
        if edu_end <= now_m:
            work_from = max(work_from, edu_end + rng.randint(0, 4))
    if rng.random() < 0.2 and not any(e.end is None for e in education):
        school, degree, field = family["further_degree"]
        education.append(_Edu(school, degree, field, now_m - rng.randint(3, 18), None))
    jobs: list[_Job] = []
    cursor = min(work_from, now_m - 2)
    level = rng.randint(0, 1)
    employers = list(family["employers"])
    rng.shuffle(employers)
    count = rng.randint(1, 3)
    for i in range(count):
        if cursor >= now_m:
            break
        planned = cursor + rng.randint(8, 30)
        last_job = i == count - 1 or planned >= now_m - 1
        end: int | None = planned
        if last_job:  # current, or (15%) between jobs at the start of the sample
            ended_at = max(cursor + 1, min(planned, now_m - 1))
            end = None if rng.random() < 0.85 or ended_at >= now_m else ended_at
        jobs.append(_Job(family["titles"][level], employers[i % len(employers)], cursor, end, level))
        if end is None or last_job:
            break
        cursor = end + rng.randint(0, 3)
        level = min(level + rng.randint(0, 1), len(family["titles"]) - 2)
    credentials = [
        _Cred(name, issuer, max(now_m - rng.randint(4, 40), (birth_year + 18) * 12))
        for name, issuer in rng.sample(family["certifications"], rng.randint(0, min(2, len(family["certifications"]))))
    ]
    honors = [
        _Honor(rng.choice(family["honors"]), jobs[0].company if jobs else "Bellows College", now_m - rng.randint(6, 30))
    ]
    return _Life(slug, first, last, family, city, state, jobs, education, credentials, honors[: rng.randint(0, 1)])


def _fill(template: str, values: Mapping[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)


class _Simulator:
    def __init__(self, seed: int, slug: str, cycle: int, now: dt.datetime) -> None:
        self.seed, self.slug, self.cycle, self.now = seed, slug, cycle, now
        self.t0 = now - dt.timedelta(days=CYCLE_DAYS * cycle)
        self.life = _base_life(seed, slug, self.t0)

    def run(self) -> _Life:
        self._noise_posts(0, self._rng(0, "posts"))
        for k in range(1, self.cycle + 1):
            rng = self._rng(k, "change")
            if rng.random() < CHANGE_RATE:
                kind = self._apply(rng.choices(CHANGE_KINDS, _CHANGE_WEIGHTS)[0], k, rng)
                post_id = None
                if rng.random() < ANNOUNCE_RATE:
                    post_id = self._post(_ANNOUNCEMENT.get(kind, kind), k, 0, rng)
                self.life.changes.append(SampleChange(cycle=k, kind=kind, post_id=post_id))
            self._noise_posts(k, self._rng(k, "posts"))
        return self.life

    def _rng(self, k: int, what: str) -> random.Random:
        return _rng(self.seed, self.slug, k, what)

    def _when(self, k: int) -> dt.datetime:
        return self.t0 + dt.timedelta(days=CYCLE_DAYS * k)

    # -- changes -------------------------------------------------------------------------------

    def _apply(self, kind: str, k: int, rng: random.Random) -> str:
        life, month = self.life, _month_index(self._when(k))
        family, current = life.family, life.current
        if kind == "promotion" and (current is None or current.level >= len(family["titles"]) - 1):
            kind = "new_job"
        if kind in ("job_ended", "open_to_work") and (current is None or life.open_to_work):
            kind = "certification" if life.open_to_work else "open_to_work"
        if (
            kind == "degree"
            and not any(e.end is None for e in life.education)
            and any(
                e.school == family["further_degree"][0] and e.degree == family["further_degree"][1]
                for e in life.education
            )
        ):
            kind = "certification"
        if kind == "business_launch" and any(j.employment_type == "Self-employed" for j in life.jobs):
            kind = "new_job"
        if kind == "new_job":
            level = min((current.level + rng.randint(0, 1)) if current else 1, len(family["titles"]) - 1)
            others = [e for e in family["employers"] if current is None or e != current.company]
            if current is not None:
                current.end = month
            life.jobs.append(_Job(family["titles"][level], rng.choice(others), month, None, level))
            life.open_to_work = False
        elif kind == "promotion":
            assert current is not None
            current.end = month
            life.jobs.append(_Job(family["titles"][current.level + 1], current.company, month, None, current.level + 1))
        elif kind in ("certification", "licence"):
            self._credential(kind, month, rng)
        elif kind == "degree":
            in_progress = [e for e in life.education if e.end is None]
            if in_progress:
                in_progress[0].end = month
            else:
                school, degree, field = family["further_degree"]
                life.education.append(_Edu(school, degree, field, month - 24, month))
        elif kind == "honor":
            held = {h.title for h in life.honors}
            options = [h for h in family["honors"] if h not in held]
            title = options[0] if options else f"Employee of the Month - {_ym_text(month)}"
            life.honors.append(_Honor(title, current.company if current else family["schools"][0][0], month))
        elif kind == "business_launch":
            if current is not None and rng.random() < 0.5:
                current.end = month
            name = _fill(rng.choice(family["business"]), {"first": life.first, "last": life.last})
            life.jobs.append(_Job("Founder & Owner", name, month, None, 0, "Self-employed"))
            life.open_to_work = False
        elif kind == "job_ended":
            assert current is not None
            current.end = month
        elif kind == "open_to_work":
            life.open_to_work = True
        return kind

    def _credential(self, kind: str, month: int, rng: random.Random) -> None:
        life = self.life
        pool = life.family["licences" if kind == "licence" else "certifications"]
        held = {c.name for c in life.credentials}
        options = [c for c in pool if c[0] not in held]
        state_name = STATE_CODES[life.state]
        if options:
            name, issuer = rng.choice(options)
        else:
            name, issuer = f"Continuing Education Certificate {_ym_text(month)}", "Bellows College"
        life.credentials.append(_Cred(name, issuer.replace("{state_name}", state_name), month))

    # -- posts ---------------------------------------------------------------------------------

    def _noise_posts(self, k: int, rng: random.Random) -> None:
        if rng.random() < NOISE_RATE:
            self._post(rng.choice(NOISE_POST_KINDS), k, 1, rng)

    def _post(self, kind: str, k: int, slot: int, rng: random.Random) -> str:
        life, current = self.life, self.life.current
        if kind in ("hiring", "company_news", "work_anniversary") and current is None:
            kind = "opinion"
        years = max(1, (_month_index(self._when(k)) - current.start) // 12) if current else 1
        latest_cred = life.credentials[-1] if life.credentials else None
        latest_edu = max(life.education, key=lambda e: e.end or 0) if life.education else None
        latest_honor = life.honors[-1] if life.honors else None
        ended = max((j for j in life.jobs if j.end is not None), key=lambda j: j.end or 0, default=None)
        study = rng.choice(life.family["licences"] + life.family["certifications"])[0]
        values = {
            "first": life.first,
            "title": (current or ended or _Job(life.family["titles"][0], "", 0, None, 0)).title,
            "company": (current.company if current else (ended.company if ended else "my last employer")),
            "city": life.city,
            "credential": study if kind == "studying" else (latest_cred.name if latest_cred else study),
            "issuer": latest_cred.issuer if latest_cred else "the board",
            "school": latest_edu.school if latest_edu else "Bellows College",
            "degree": latest_edu.degree if latest_edu else "degree",
            "field": latest_edu.field if latest_edu else "General Studies",
            "honor": latest_honor.title if latest_honor else "Team Award",
            "business": current.company if current else f"{life.last} Services LLC",
            "other": rng.choice(_careers()["other_first_names"]),
            "other_company": rng.choice(life.family["employers"]),
            "years": str(years),
        }
        if kind == "layoff" and ended is not None:
            values["company"], values["title"] = ended.company, ended.title
        text = _fill(rng.choice(_templates()[kind]), values)
        hours = rng.randint(1, 60) if k else rng.randint(24, 24 * 20)
        posted_at = min(self._when(k) + dt.timedelta(hours=hours if k else -hours), self.now)
        post_id = "7" + _digits(self.seed, self.slug, k, slot)
        life.posts.append(_Post(post_id, kind, text, posted_at, k))
        return post_id


# ---------------------------------------------------------------------------------------------
# Raw items (harvestapi shapes)


def _profile_item(life: _Life, seed: int) -> dict[str, Any]:
    url = f"https://www.linkedin.com/in/{life.slug}"
    current = life.current
    ordered = sorted(life.jobs, key=lambda j: (j.end is not None, -(j.end or 0), -j.start))
    state_name = STATE_CODES[life.state]
    if life.open_to_work:
        headline = f"Open to work | {(current or ordered[0]).title if ordered else 'Career changer'}"
    elif current is not None:
        headline = f"{current.title} at {current.company}"
    else:
        headline = f"{life.family['titles'][0]} | Looking ahead"
    return {
        "id": "ACoAASYN" + _digits(seed, life.slug, "id", length=24),
        "publicIdentifier": life.slug,
        "linkedinUrl": url,
        "firstName": life.first,
        "lastName": life.last,
        "headline": headline,
        "about": "Synthetic sample profile generated by leadsignal's sample source. Not a real person.",
        "openToWork": life.open_to_work,
        "hiring": False,
        "location": {
            "linkedinText": f"{life.city}, {state_name}, United States",
            "countryCode": "US",
            "parsed": {
                "text": f"{life.city}, {life.state}, United States",
                "countryCode": "US",
                "country": "United States",
                "state": state_name,
                "city": life.city,
            },
        },
        "currentPosition": [{"companyName": current.company}] if current else [],
        "experience": [
            {
                "position": j.title,
                "companyName": j.company,
                "companyLinkedinUrl": None,
                "employmentType": j.employment_type,
                "location": f"{life.city}, {state_name}, United States",
                "startDate": _ym(j.start),
                "endDate": _ym(j.end) if j.end is not None else {"text": "Present"},
                "description": None,
            }
            for j in ordered
        ],
        "education": [
            {
                "schoolName": e.school,
                "degree": e.degree,
                "fieldOfStudy": e.field,
                "startDate": _ym(e.start),
                "endDate": _ym(e.end) if e.end is not None else None,
            }
            for e in sorted(life.education, key=lambda e: -e.start)
        ],
        "certifications": [
            {"title": c.name, "issuedBy": c.issuer, "issuedAt": f"Issued {_ym_text(c.issued)}", "issuedByLink": None}
            for c in sorted(life.credentials, key=lambda c: -c.issued)
        ],
        "honorsAndAwards": [
            {"title": h.title, "issuedBy": h.issuer, "issuedAt": _ym_text(h.issued), "description": None}
            for h in sorted(life.honors, key=lambda h: -h.issued)
        ],
        "skills": [],
        "languages": [],
    }


def _post_item(life: _Life, post: _Post) -> dict[str, Any]:
    words = "-".join(re.findall(r"[a-z]+", post.text.lower())[:5])
    return {
        "type": "post",
        "id": post.post_id,
        "linkedinUrl": f"https://www.linkedin.com/posts/{life.slug}_{words}-activity-{post.post_id}-syn",
        "content": post.text,
        "author": {
            "publicIdentifier": life.slug,
            "type": "profile",
            "name": f"{life.first} {life.last}",
            "linkedinUrl": f"https://www.linkedin.com/in/{life.slug}?miniProfileUrn=synthetic",
        },
        "postedAt": {
            "timestamp": int(post.posted_at.timestamp() * 1000),
            "date": post.posted_at.isoformat().replace("+00:00", "Z"),
        },
        "postImages": [],
        "engagement": {"likes": int(post.post_id[-2:]), "comments": int(post.post_id[-3]), "shares": 0},
    }


def _post_items(life: _Life) -> list[dict[str, Any]]:
    items = [_post_item(life, p) for p in sorted(life.posts, key=lambda p: p.posted_at, reverse=True)]
    if items:  # the real actor interleaves reaction/comment items; the mapper must skip them
        items.insert(1, {"type": "reaction", "id": items[0]["id"] + "-r", "reactionType": "LIKE"})
    return items


# ---------------------------------------------------------------------------------------------
# The source


class SampleSource:
    """``ProfileSource`` over the synthetic sample set (name ``"sample"``)."""

    name = "sample"

    def __init__(self, seed: int = 7, cycle: int = 0, now: dt.datetime | None = None,
                 simulated_latency_s: float = 0.0) -> None:  # fmt: skip
        if cycle < 0:
            raise ValueError(f"cycle must be >= 0, got {cycle}")
        if now is not None and now.tzinfo is None:
            raise ValueError("now must be timezone-aware (UTC)")
        self.seed = seed
        self.cycle = cycle
        self.now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        self.simulated_latency_s = simulated_latency_s

    def _life(self, profile_url: str) -> tuple[str, _Life | None]:
        try:
            url = canonical_profile_url(profile_url)
        except ValueError:
            return profile_url, None
        slug = url.rsplit("/", 1)[-1]
        if slug_name(slug) is None:
            return url, None
        return url, _Simulator(self.seed, slug, self.cycle, self.now).run()

    def raw_profile_item(self, profile_url: str) -> dict[str, Any] | None:
        """The harvestapi-shaped item this source maps (for tests and fake actor servers)."""
        _, life = self._life(profile_url)
        return _profile_item(life, self.seed) if life is not None else None

    def raw_post_items(self, profile_url: str) -> list[dict[str, Any]]:
        _, life = self._life(profile_url)
        return _post_items(life) if life is not None else []

    def fetch_profiles(self, profile_urls: list[str]) -> list[FetchResult]:
        self._wait()
        results = []
        for raw_url in profile_urls:
            url, life = self._life(raw_url)
            if life is None:
                results.append(FetchResult(profile_url=url, error=NOT_IN_SAMPLE))
                continue
            record = map_profile_item(_profile_item(life, self.seed), source=self.name, fetched_at=self.now)
            results.append(FetchResult(profile_url=url, profile=record))
        return results

    def fetch_posts(self, profile_urls: list[str], *, since: dt.datetime | None = None) -> list[FetchResult]:
        self._wait()
        results = []
        for raw_url in profile_urls:
            url, life = self._life(raw_url)
            if life is None:
                results.append(FetchResult(profile_url=url, error=NOT_IN_SAMPLE))
                continue
            posts: list[PostRecord] = []
            for item in _post_items(life):
                post = map_post_item(item, source=self.name)
                if post is not None and (since is None or post.posted_at is None or post.posted_at >= since):
                    posts.append(post)
            results.append(FetchResult(profile_url=url, posts=tuple(posts)))
        return results

    def truth(self, profile_url: str) -> SampleTruth:
        """What really happened to a sample profile up to this cycle (evaluation only)."""
        url, life = self._life(profile_url)
        if life is None:
            raise ValueError(f"{profile_url!r} is {NOT_IN_SAMPLE}")
        return SampleTruth(
            profile_url=url, changes=tuple(life.changes), post_kinds={p.post_id: p.kind for p in life.posts}
        )

    def _wait(self) -> None:
        if self.simulated_latency_s > 0:
            time.sleep(self.simulated_latency_s)


class SampleProfileSearch:
    """``ProfileSearch`` over the sample set: 1-3 same-name candidates, the true one living in the
    lead's state (when given) and decoys elsewhere, so identity matching has real work to do."""

    name = "sample"
    _SCAN = 5000  # slug numbers tried when looking for a profile in a given state

    def __init__(self, seed: int = 7, cycle: int = 0, now: dt.datetime | None = None) -> None:
        self.source = SampleSource(seed=seed, cycle=cycle, now=now)
        self.seed = seed

    def _stem(self, first_name: str, last_name: str) -> str | None:
        parts = [re.sub(r"[^a-z'\-]", "", p.lower()) for p in (first_name, last_name.replace(" ", "-"))]
        return "-".join(parts) if all(parts) else None

    def _find(self, stem: str, base: int, want: str | None, avoid: set[str]) -> str:
        for i in range(self._SCAN):
            slug = f"{stem}-syn{base + i}"
            state = _place(self.seed, slug)[1]
            if (want is None or state == want) and state not in avoid:
                return slug
        return f"{stem}-syn{base}"

    def expected_match(self, *, first_name: str, last_name: str, location: str | None) -> str | None:
        """The profile URL the search plants as the true person (evaluation only)."""
        stem = self._stem(first_name, last_name)
        if stem is None:
            return None
        base = 900_000 + int(_digits(self.seed, stem, length=5))
        return canonical_profile_url(f"https://www.linkedin.com/in/{self._find(stem, base, _state(location), set())}")

    def search_people(
        self, *, first_name: str, last_name: str, location: str | None, limit: int = 10
    ) -> list[ProfileRecord]:
        stem = self._stem(first_name, last_name)
        if stem is None or limit <= 0:
            return []
        true_url = self.expected_match(first_name=first_name, last_name=last_name, location=location)
        assert true_url is not None
        rng = _rng(self.seed, stem, "search")
        urls = [true_url]
        used = {_place(self.seed, true_url.rsplit("/", 1)[-1])[1]}
        for _ in range(rng.choices((0, 1, 2), (2, 5, 3))[0]):
            decoy = self._find(stem, 100_000 + rng.randint(0, 700_000), None, used)
            used.add(_place(self.seed, decoy)[1])
            urls.append(f"https://www.linkedin.com/in/{decoy}")
        rng.shuffle(urls)
        results = self.source.fetch_profiles(urls[:limit])
        return [r.profile for r in results if r.profile is not None]


def _state(location: str | None) -> str | None:
    if not location:
        return None
    _, state, _ = parse_location_text(location)
    return state or state_code(location.split(",")[-1])


if TYPE_CHECKING:  # mypy proves both classes satisfy the ports
    _source: ProfileSource = SampleSource()
    _search: ProfileSearch = SampleProfileSearch()

__all__: Sequence[str] = [
    "CHANGE_KINDS",
    "HARDSHIP_POST_KINDS",
    "NOISE_POST_KINDS",
    "NOT_IN_SAMPLE",
    "SIGNAL_POST_KINDS",
    "SampleChange",
    "SampleProfileSearch",
    "SampleSource",
    "SampleTruth",
    "slug_name",
]
