"""Text normalisation and the feature union the classifier learns from.

Three views of a post: word n-grams (the phrasing), character n-grams inside words (robust to typos,
lower case and inflection), and a small set of hand-written cue patterns for LinkedIn's standard
phrasings and for the hard negatives (congratulating others, hiring, layoffs, studying, ads...).
The cues generalise across wordings the synthetic corpus never used; the linear model decides how
much each one counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

_URL = re.compile(r"https?://\S+|www\.\S+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_HASHTAG = re.compile(r"#(\w+)")
_DIGITS = re.compile(r"\d")
_APOSTROPHE = re.compile(r"[’‘`]")


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Lower-case text with hashtags split into words (#OpenToWork -> open to work) and digits masked.

    Cached: the word, character and cue views all start from the same normalised text.
    """
    text = _URL.sub(" URL ", text)
    text = _HASHTAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)) + " ", text)
    text = _APOSTROPHE.sub("'", text).lower()
    return _DIGITS.sub("0", text)


_FIRST = r"(?:\bi\b|\bi'm\b|\bim\b|\bi've\b|\bive\b|\bmy\b|\bme\b)"

CUES: dict[str, str] = {
    # the author's own events
    "first_person": _FIRST,
    "fp_start": r"\bi(?:'m|'ve| am| have| will| just| finally| officially)?\s+(?:\w+\s+){0,2}?"
    r"(?:start(?:ed|ing)?|began|begin(?:ning)?|join(?:ed|ing)?|accept(?:ed)?|signed|landed|got hired|was hired)\b",
    "first_day": r"\b(?:first|1st|0st)\s+(?:day|week|shift|month)\b|\bday (?:one|0)\b",
    "new_role": r"\bnew (?:job|position|role|gig|badge|employer|team|chapter)\b",
    "hired_me": r"\b(?:hired me|offered me|got the job|offer letter|accepted (?:an|the|a) (?:offer|position|role))\b",
    "back_to_work": r"\b(?:back to work|returning to work|return to work|employed again)\b",
    "promoted": r"\bpromot(?:ed|ion)\b",
    "moved_up": r"\b(?:moved|moving|stepped|stepping|bumped|leveled|levelled|elevated)\s+(?:up|into)\b"
    r"|\bnew title\b|\bmade (?:manager|partner|director|senior)\b|\bmy raise\b|\ba raise\b",
    "named_as": r"\b(?:named|appointed|selected as|voted)\b",
    "certified": r"\bcertifi(?:ed|cation|cate)s?\b|\bcredential\b|\bdesignation\b",
    "cert_vendor": r"\b(?:aws|comptia|pmp|capm|ccna|cissp|cism|cisa|ceh|shrm|phr|servsafe|scrum|six sigma|itil|"
    r"azure|google cloud|salesforce|tableau|kubernetes|cka|ckad|nasm|ace|cfp|cma|cpc|cphq|cscp|apics|"
    r"security\+|network\+|a\+)\b",
    "passed_exam": r"\b(?:passed|pass|cleared|aced|conquered)\b",
    "licence": r"\blicen[cs](?:e|ed|ure|ing)\b",
    "licence_exam": r"\b(?:nclex(?:-rn|-pn)?|bar exam|the bar|sworn in|admitted to the bar|state board|boards|"
    r"cdl|journeyman|master electrician|master plumber|naplex|series 0+|nmls|lpn|lvn|\brn\b|cpa)\b",
    "award": r"\baward(?:ed|s)?\b|\bhonou?r(?:ed)?\b|\brecogni[sz](?:ed|tion)\b|\bof the (?:month|year|quarter)\b"
    r"|\bfirst place\b|\b0+ under 0+\b|\bwon\b|\bwinner\b|\brecipient\b|\bmvp\b",
    "own_business": r"\bmy own\b|\bown (?:business|company|shop|practice|firm|agency|salon|studio)\b"
    r"|\bself-employed\b|\bmy own boss\b|\bbusiness owner\b|\bllc\b|\bopen for business\b",
    "owner_title": r"\bas (?:the )?(?:owner|founder|co-founder|cofounder|founder & ceo|owner/operator|principal)\b",
    "launched": r"\b(?:founded|co-?founded|launched|launching|opened|opening)\b",
    "graduated": r"\bgraduat(?:ed|ion|e|ing)\b|\bwalked (?:across )?the stage\b|\bclass of\b",
    "degree": r"\b(?:degree|diploma|bachelor'?s?|master'?s|phd|mba|bsn|associate'?s|doctorate|ged|"
    r"bootcamp|apprenticeship|dissertation|thesis)\b",
    # someone else's event, or no event at all
    "congrats": r"\bcongrat\w*|\bshout\s?out\b|\bproud of (?:my|our|him|her|them|you)\b|\bwelcome\b"
    r"|\bjoin me in\b|\bplease welcome\b|\bproud (?:mom|dad|wife|husband|sister|brother|parent)\b",
    "third_person": r"\b(?:he|she|his|her|hers|him|they|their|them)\b",
    "relation": r"\bmy (?:sister|brother|wife|husband|son|daughter|friend|best friend|mom|dad|mother|father|"
    r"cousin|mentee|coworker|co-worker|colleague|niece|nephew|roommate|fianc\w*|former student|student)s?\b",
    "named_person": r"\b(?:to|congratulat\w+|welcome|for) [A-Z][a-z]+ [A-Z][a-z]+\b",
    "hiring": r"\bhiring\b|\bwe'?re looking for\b|\bwe are looking for\b|\bapply\b|\bjoin our team\b"
    r"|\bopen (?:role|position)s?\b|\bjob fair\b|\bcome work with us\b|\bdm me\b|\bsend me your resume\b",
    "layoff": r"\blaid off\b|\blet go\b|\blayoffs?\b|\beliminated\b|\bfired\b|\brestructuring\b|\blost my job\b",
    "open_to_work": r"\bopen to work|\bjob (?:search|hunt|hunting)\b|\bunemployed\b|\bout of work\b"
    r"|\blooking for (?:a |my )?(?:new )?(?:role|job|position|opportunit\w+|work)\b|\bseeking\b",
    "studying": r"\bstudy(?:ing)?\b|\bprep\b|\bscheduled\b|\bfailed\b|\bresults\b|\bpractice (?:test|exam)\b"
    r"|\bfingers crossed\b|\bwish me luck\b|\bpray for me\b|\bnervous\b|\bterrified\b",
    "future": r"\b(?:will|going to|plan to|planning to|thinking about|considering|hope to|want to|someday)\b"
    r"|\bin (?:two|0|a few) (?:weeks|months)\b|\bnext (?:year|spring|fall)\b",
    "advert": r"\benroll\b|\bregister\b|\bsign up\b|\bwebinar\b|\bcourse\b|\bmoney-back\b|\bcode\b|\bdeadline\b"
    r"|\bseats\b|\blink (?:below|in bio)\b|\bfree\b",
    "company_voice": r"\bour (?:company|firm|team|ceo|founder|hospital|store|brokerage|school|clinic|employees)\b"
    r"|\bwe (?:just )?(?:launched|opened|released|shipped|are thrilled|are proud|are excited)\b"
    r"|\bwe'?re (?:proud|excited|thrilled)\b",
    "anniversary": r"\banniversary\b|\bworkiversary\b|\b0+ years (?:at|with|ago)\b|\bretire\w*\b",
    "question": r"\?",
    "leaving": r"\blast day\b|\bstep(?:ping)? down\b|\bmoving on\b|\bresign\w*\b",
}
_CUES = [(name, re.compile(p)) for name, p in CUES.items()]
_CASED = {"named_person"}


class CueFeatures(BaseEstimator, TransformerMixin):  # type: ignore[misc]
    """Counts of each cue pattern, squashed to 0, 1 or 2 so one long post does not dominate."""

    def fit(self, x: Iterable[str], y: Any = None) -> CueFeatures:
        return self

    def transform(self, x: Iterable[str]) -> sparse.csr_matrix:
        rows = []
        for raw in x:
            low = normalise(raw)
            rows.append([min(len(rx.findall(raw if name in _CASED else low)), 2) / 2.0 for name, rx in _CUES])
        return sparse.csr_matrix(np.asarray(rows, dtype=np.float64))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray([f"cue:{name}" for name, _ in _CUES], dtype=object)


def build_features() -> FeatureUnion:
    """The feature union, unfitted."""
    words = TfidfVectorizer(
        preprocessor=normalise,
        ngram_range=(1, 3),
        min_df=2,
        max_df=0.5,
        sublinear_tf=True,
        token_pattern=r"(?u)\b\w[\w'+]*\b",  # noqa: S106 - a regex, not a password
    )
    chars = TfidfVectorizer(
        preprocessor=normalise,
        analyzer="char_wb",
        ngram_range=(3, 5),
        min_df=3,
        sublinear_tf=True,
        max_features=60000,
    )
    return FeatureUnion([("words", words), ("chars", chars), ("cues", CueFeatures())])
