"""Company enrichment: find an employer's web domain and a plain-text "about" blurb.

Two small ports keep vendors at the edge. ``WebSearch`` is served today by Google Custom Search,
which is closed to new customers and due to end on 2027-01-01: moving to another results API
(Vertex AI Search, Brave, Bing, SerpAPI...) means writing one adapter with a ``search`` method,
nothing here changes. ``PageScraper`` is served by Firecrawl.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

import structlog
from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz

if TYPE_CHECKING:
    from leadsignal.integrations.http import PoliteClient
    from leadsignal.settings import Settings

log = structlog.get_logger(__name__)

ABOUT_MAX_CHARS = 4000
ABOUT_PATHS = ("/about", "/about-us", "/")
_MIN_ABOUT_CHARS = 80  # shorter than this is a cookie banner or an empty shell, try the next page


class SearchResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    title: str = ""
    link: str
    snippet: str = ""


class ScrapedPage(BaseModel):
    model_config = ConfigDict(frozen=True)

    markdown: str
    title: str | None = None
    status_code: int | None = None


class CompanyInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    domain: str
    about: str | None = None
    about_url: str | None = None


class EnrichmentError(Exception):
    """A provider failure. ``retryable``: a later attempt may work (quota reset, rate limit, outage)."""

    def __init__(self, message: str, *, provider: str, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.provider = provider
        self.retryable = retryable
        self.retry_after = retry_after


class PageUnavailable(EnrichmentError):
    """This one page cannot be had (robots.txt, 404, blocked); another page may still work."""

    def __init__(self, message: str, *, provider: str) -> None:
        super().__init__(message, provider=provider, retryable=False)


class WebSearch(Protocol):
    """A web search: the top ``num`` results for ``query``, best first (empty when nothing matched)."""

    name: str

    def search(self, query: str, num: int = 10) -> list[SearchResult]: ...


class PageScraper(Protocol):
    """Fetches one page as markdown. Raises ``PageUnavailable`` for that page, ``EnrichmentError`` otherwise."""

    name: str

    def scrape(self, url: str) -> ScrapedPage: ...


# -- choosing the domain -----------------------------------------------------------------------

# Directories, social networks and news sites that mention companies without being them.
SKIP_DOMAINS = frozenset(
    {
        "linkedin.com", "wikipedia.org", "wikimedia.org", "glassdoor.com", "glassdoor.co.uk", "glassdoor.ca",
        "indeed.com", "bloomberg.com", "crunchbase.com", "facebook.com", "instagram.com", "twitter.com", "x.com",
        "youtube.com", "tiktok.com", "zoominfo.com", "dnb.com", "yelp.com", "bbb.org", "pitchbook.com", "owler.com",
        "craft.co", "rocketreach.co", "apollo.io", "signalhire.com", "comparably.com", "builtin.com",
        "ziprecruiter.com", "monster.com", "simplyhired.com", "careerbuilder.com", "reddit.com", "quora.com",
        "medium.com", "forbes.com", "reuters.com", "wsj.com", "nytimes.com", "cnbc.com", "yahoo.com", "google.com",
        "bing.com", "mapquest.com", "manta.com", "opencorporates.com", "sec.gov", "angel.co", "wellfound.com",
        "trustpilot.com", "g2.com", "capterra.com", "amazon.com", "apple.com", "github.com",
    }
)  # fmt: skip
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ltd", "plc"})
_LEGAL_WORDS = frozenset(
    {"inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "corp", "corporation", "co", "company", "plc",
     "group", "holdings", "the", "and", "gmbh", "sa", "ag", "pc", "pllc"}
)  # fmt: skip
_MATCH_THRESHOLD = 70


def registrable_domain(host: str) -> str:
    """``www.shop.acme.co.uk`` -> ``acme.co.uk`` (a heuristic; enough to group and compare)."""
    labels = [p for p in host.lower().strip(".").split(".") if p]
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _name_tokens(company_name: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", company_name.lower().replace("&", " and "))
    return [w for w in words if w not in _LEGAL_WORDS] or words


# Brands with many country domains (glassdoor.de, indeed.co.uk, linkedin.cn...).
_SKIP_LABELS = frozenset(
    {"linkedin", "wikipedia", "glassdoor", "indeed", "bloomberg", "crunchbase", "facebook", "instagram", "twitter",
     "youtube", "zoominfo", "ziprecruiter", "trustpilot", "yelp", "amazon", "google"}
)  # fmt: skip


def _is_skipped(domain: str) -> bool:
    return domain in SKIP_DOMAINS or domain.split(".")[0] in _SKIP_LABELS


def name_match_score(company_name: str, domain: str) -> float:
    """0-100: how much the domain's main label looks like the company name (acronyms count)."""
    tokens = _name_tokens(company_name)
    if not tokens:
        return 0.0
    label = domain.split(".")[0].replace("-", "")
    compact = "".join(tokens)
    acronym = "".join(t[0] for t in tokens) if len(tokens) > 1 else ""
    scores = [fuzz.ratio(compact, label)]
    if len(label) >= 4 and (compact in label or label in compact):
        scores.append(90.0)
    if acronym and label in (acronym, acronym + "inc", acronym + "corp", acronym + "group"):
        scores.append(85.0)
    if tokens[0] == label or (len(tokens[0]) >= 4 and label.startswith(tokens[0])):
        scores.append(80.0)
    return float(max(scores))


def pick_company_domain(company_name: str, results: Sequence[SearchResult]) -> str | None:
    """The company's own domain among search results: directories skipped, the closest name wins.

    Without any domain resembling the name, the first remaining result is taken only when its
    title names the company; otherwise None (a wrong domain is worse than none).
    """
    candidates: list[tuple[float, int, str]] = []
    fallback: str | None = None
    wanted = " ".join(_name_tokens(company_name))
    for rank, result in enumerate(results):
        host = urlsplit(result.link).hostname
        if not host or urlsplit(result.link).scheme not in ("http", "https"):
            continue
        domain = registrable_domain(host)
        if _is_skipped(domain):
            continue
        candidates.append((name_match_score(company_name, domain), -rank, domain))
        title = " ".join(re.findall(r"[a-z0-9]+", result.title.lower()))
        if fallback is None and wanted and wanted in title:
            fallback = domain
    best = max(candidates, default=None)
    if best is not None and best[0] >= _MATCH_THRESHOLD:
        return best[2]
    return fallback


# -- about text ---------------------------------------------------------------------------------

_IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_BARE_URL_RE = re.compile(r"<?https?://\S+>?")
_MARKUP_RE = re.compile(r"^\s{0,3}(?:#{1,6}\s*|>\s*|[-*+]\s+|\d+\.\s+)", re.MULTILINE)
_EMPHASIS_RE = re.compile(r"(\*\*|__|\*|_|`{1,3}|~~)")
_TABLE_RE = re.compile(r"^\s*\|?[\s:-]*\|[\s|:-]*$", re.MULTILINE)


def markdown_to_text(markdown: str, *, limit: int = ABOUT_MAX_CHARS) -> str:
    """Markdown -> plain text: images and URLs dropped, links kept as their text, capped at a word."""
    text = _IMAGE_RE.sub("", markdown)
    text = _LINK_RE.sub(r"\1", text)
    text = _BARE_URL_RE.sub("", text)
    text = _TABLE_RE.sub("", text)
    text = _MARKUP_RE.sub("", text)
    text = _EMPHASIS_RE.sub("", text).replace("|", " ")
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    text = "\n\n".join(p for p in paragraphs if p)
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.8 else cut).rstrip()


def _https_root(domain: str) -> str:
    return f"https://{domain}"


def enrich_company(
    company_name: str,
    search: WebSearch,
    scraper: PageScraper,
    *,
    root_url: Callable[[str], str] = _https_root,
) -> CompanyInfo | None:
    """Search the company, pick its domain, read its About page (then /about-us, then home).

    None when no domain can be trusted. A page that cannot be read is skipped; provider errors
    (quota, credits, outage) propagate as ``EnrichmentError`` so the caller can retry later.
    ``root_url`` maps the domain to the site root (a local stand-in site in tests).
    """
    name = " ".join(company_name.split())
    if not name:
        raise ValueError("company name is empty")
    results = search.search(f"{name} official site", 10)
    domain = pick_company_domain(name, results)
    if domain is None:
        log.info("enrichment.no_domain", company=name, results=len(results))
        return None
    for path in ABOUT_PATHS:
        url = root_url(domain).rstrip("/") + path
        try:
            page = scraper.scrape(url)
        except PageUnavailable as exc:
            log.info("enrichment.page_unavailable", url=url, reason=str(exc))
            continue
        if page.status_code is not None and not 200 <= page.status_code < 300:
            continue
        about = markdown_to_text(page.markdown)
        if len(about) >= _MIN_ABOUT_CHARS:
            return CompanyInfo(domain=domain, about=about, about_url=url)
    return CompanyInfo(domain=domain)


class Enricher:
    """``enrich(company_name)`` with the configured providers."""

    def __init__(
        self, search: WebSearch, scraper: PageScraper, *, root_url: Callable[[str], str] = _https_root
    ) -> None:
        self.search = search
        self.scraper = scraper
        self._root_url = root_url

    def enrich(self, company_name: str) -> CompanyInfo | None:
        return enrich_company(company_name, self.search, self.scraper, root_url=self._root_url)


def build_enrichment(settings: Settings, http: PoliteClient) -> Enricher | None:
    """The enricher when Google CSE (key and cx) and Firecrawl are configured; None disables enrichment."""
    if not (settings.google_cse_key and settings.google_cse_cx and settings.firecrawl_api_key):
        return None
    from leadsignal.integrations.firecrawl import FirecrawlScraper
    from leadsignal.integrations.google_cse import GoogleCseSearch

    search = GoogleCseSearch(
        http,
        key=settings.google_cse_key.get_secret_value(),
        cx=settings.google_cse_cx,
        base_url=settings.google_cse_base_url,
    )
    scraper = FirecrawlScraper(
        http, api_key=settings.firecrawl_api_key.get_secret_value(), base_url=settings.firecrawl_base_url
    )
    return Enricher(search, scraper)
