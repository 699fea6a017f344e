# ruff: noqa: E501 - templates are data; splitting them would hurt reading more than long lines do.
"""Deterministic generator of the synthetic part of the training corpus.

Run ``python -m leadsignal.nlp.corpus_builder`` to rewrite ``data/train_generated.jsonl``; a test checks the
committed file equals what this module produces, so the corpus can always be rebuilt and audited.

Mini template language: ``{a|b|c}`` picks one alternative, ``[x]`` keeps x half of the time, ``<slot>``
is filled from the post's slots. Posts are composed from an optional opener, the core sentence, optional
context sentences before and after (so the event is sometimes buried mid-post), an optional closer,
hashtags and emojis, and then optionally lower-cased or given typos.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from leadsignal.nlp import lexicon as lx

SEED = 20261123
OUTPUT = Path(__file__).resolve().parent / "data" / "train_generated.jsonl"
PER_CLASS = {
    "new_job": 330,
    "promotion": 300,
    "certification": 280,
    "license": 300,
    "award": 260,
    "business_launch": 260,
    "education": 270,
    "none": 900,
}

_OPT = re.compile(r"\[([^\[\]]*)\]")
_ALT = re.compile(r"\{([^{}]*)\}")
_SLOT = re.compile(r"<(\w+)>")


def expand(template: str, rng: random.Random, slots: dict[str, str]) -> str:
    """Fill one template: optional parts, then alternatives, then slots."""
    text = _OPT.sub(lambda m: m.group(1) if rng.random() < 0.5 else "", template)
    while _ALT.search(text):
        text = _ALT.sub(lambda m: rng.choice(m.group(1).split("|")), text)
    text = _SLOT.sub(lambda m: slots[m.group(1)], text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


@dataclass
class Post:
    text: str
    label: str
    org: str | None = None
    title: str | None = None
    credential: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


# --- core sentences per class -------------------------------------------------------------------------

NEW_JOB = [
    "{Starting|Started} a new position as <title> at <org>{!|.|}",
    "I'm {happy|excited|pleased} to share that I'm starting a new position as <title> at <org>{!|.}[ {Can't wait to get started|Grateful for this opportunity}.]",
    "{So|Very} happy to share that I'm starting a new position as <title> {at|with} <org>!",
    "I'm starting a new position as <title> at <org>{!| next week.| today!}",
    "{I'm|I am} {happy|excited|thrilled|pleased|delighted} to share that I'm starting a new position as <title> at <org>!",
    "{Excited|Thrilled|Happy|Proud} to announce {that }I've joined <org> as <title>.",
    "I've {joined|officially joined} the <org> team as <title>[ and I couldn't be happier].",
    "Today is my first day {at|with} <org>[ as <title>]!",
    "{First day|Day one|Day 1} {at|with} <org> {done|in the books|complete}[, and I'm already learning a ton].",
    "I {accepted|have accepted|just accepted} {an offer|a job offer|a position} {from|with|at} <org>[ as <title>].",
    "After {months|a long search|a year} of {applying|interviewing|job hunting}, I {start|begin} at <org> {next week|on Monday|this month} as <title>.",
    "{Got|Landed} {the job|a job|a new job}! {Starting|I start} at <org> as <title> {tomorrow|next week|on Monday}.",
    "{New job|New role|New chapter} alert: <title> at <org>.",
    "I'm {now|officially} working {at|for|with} <org> as <title>.",
    "{So|Very|Super} {excited|grateful|blessed} to {begin|start|kick off} my {career|journey|next chapter} at <org>[ as <title>].",
    "<org> {hired me|just hired me|offered me the job}[ as <title>]! {Training starts|I start} {next week|Monday}.",
    "I'm {back to work|returning to work|re-entering the workforce} {after|following} {a career break|five years at home with my kids|a long break} as <title> at <org>.",
    "{Fresh out of school|Right after graduation|Straight out of college}, I'm starting my first {full-time job|real job|role} as <title> with <org>.",
    "Beginning a new {chapter|journey|adventure} {today|this week}: <title> {at|with} <org>.",
    "I'm pleased to announce that I have accepted the role of <title> at <org>.",
    "Just {signed|signed my offer letter} with <org>! I'll be {working as|joining as} <title>.",
    "{Finally|At last} got hired at <org>[ as <title>] {after|following} {three|six|eight} months {out of work|unemployed|of searching}.",
    "Officially an employee of <org>[ — <title>]!",
    "{Joining|Joined} <org> {this week|this month|today} as their new <title>.",
    "I'm starting {a new job|my new role} {at|with} <org> on Monday[ as <title>].",
    "Made the {move|switch|jump} to <org>, where I'll be <title>.",
    "{Excited|Happy} to be {onboarding|starting onboarding} at <org> {this week|today} as <title>.",
    "{Finished|Wrapped up} my first week {at|with} <org> as <title>[ and I love it already].",
    "{Started|Began} my new {job|position|role} {at|with} <org> {yesterday|this week|on Monday}.",
    "i just got hired at <org> as <title>",
    "{New badge|New laptop|New email address}, new team: I {started at|joined} <org> as <title> {today|this week}.",
    "I've been hired as <title> {at|by|with} <org>{!|.| 🎉}",
    "{Excited|Happy|Proud} to say I'm the new <title> at <org>!",
    "{Guess who|Look who} {got a job|just got hired}? {Me|This girl|This guy}! <title> at <org>.",
    "{Orientation|Onboarding|Training} starts {Monday|tomorrow|this week} at <org>, where I've been hired as <title>.",
    "Thrilled to {report|say} that I've {taken|accepted} a {job|position} as <title> {with|at} <org>.",
    "After {caring for my mom|staying home with the kids|taking time off for my health}, I'm back at work as <title> at <org>.",
    "{Clocked in|Reported} for my first {shift|day} at <org> today[ as <title>].",
    "{Officially|Proudly} part of the <org> {family|team|crew} {now|as of today}!",
    "{Employed|Working} again! {Started|Began} {at|with} <org> {this week|on Monday} as <title>.",
    "I'll be {joining|starting at} <org> as <title> {next month|after graduation|this fall}.",
    "{Got an offer|Received an offer} from <org> and {said yes|accepted it}! <title>, here I come.",
    "My first real job after {college|school|the Army}: <title> at <org>.",
]

PROMOTION = [
    "I'm {happy|excited|thrilled|proud} to share that I've been promoted to <title> at <org>!",
    "{Excited|Thrilled|Humbled|Grateful} to announce my promotion to <title>[ at <org>].",
    "{After|Following} {two|three|four|five|six} years {at|with} <org>, I've been promoted to <title>.",
    "<org> {promoted me|has promoted me|just promoted me} to <title>!",
    "I got promoted{!|!!| today!}[ Now <title> at <org>.]",
    "{New title|New role}, same {company|team|great people}: I'm now <title> at <org>.",
    "I've been {named|appointed|selected as} <title> {at|for} <org>.",
    "Moved up {from|after years as} <old_title> to <title> at <org>[ this month].",
    "{Stepping into|Taking on} {a new role|the role} as <title>[ at <org>] after {years|three years} as <old_title>.",
    "{Started|Began} as <old_title> at <org>{.|,} {now|today|as of this week} I'm <title>.",
    "Got {a raise|my raise} and a {new title|promotion}[ — <title> at <org>]!",
    "My role {at|with} <org> has {expanded|grown}: I'm now {leading|responsible for} <scope>[ as <title>].",
    "{Promotion day|Big news}! I'm officially <title>[ at <org>].",
    "I've been elevated to <title> at <org>.",
    "Thanks to my {manager|mentors|team}, I've been promoted from <old_title> to <title>[ at <org>].",
    "I {made|finally made} <title>[ at <org>]! {Hard work pays off|All those late nights paid off}.",
    "Happy to share that I've {been promoted|received a promotion} within <org> to the role of <title>.",
    "{Leveled up|Moving up|Moving on up}: now <title> at <org>.",
    "Got bumped up to <title>[ at <org>] {today|this week}!",
    "i got promoted to <title> at <org> today",
    "{As of today|Effective Monday}, I'm the new <title> at <org>, {same company|same team} but {more responsibility|a bigger scope}.",
    "They {made me|named me|promoted me to} <title>{!| today!}[ Started as <old_title> {two|three|five} years ago.]",
    "I've been named <title> {at|of|for} <org>[, effective {today|this month}].",
    "{Thrilled|Happy} to share my new role as <title>[ at <org>] — {same company|same team}, {bigger|new} {challenges|responsibilities}.",
    "After {years|a decade} as <old_title>, {I'm now|I've become} <title>[ at <org>].",
    "I {accepted|earned} a promotion to <title>{ on my current team| at <org>}.",
    "Went from <old_title> to <title>[ at <org>] {this week|this year}.",
    "{Officially|Now} <title>! {Same team|Same company}, new level.",
    "{Grateful|Honored} to {lead|be leading} {our|the} <scope> as its new <title>[ at <org>].",
    "{Just|Finally} got the promotion{!| I've been working toward!}[ <title> at <org>.]",
]

CERTIFICATION = [
    "I'm happy to share that I've obtained a new certification: <cert> from <cert_body>!",
    "I'm {happy|excited|proud|thrilled} to share that I've {earned|obtained|received|achieved} my <cert> certification!",
    "{Just|Finally|Officially} passed the <cert> exam{!| on my first try!| today!}",
    "I'm now <cert> certified{!|.| 🎉}",
    "{Officially|Newly} certified: <cert>.",
    "{Earned|Got|Added} {a new|another} certification: <cert>.",
    "After {weeks|months} of studying, I {passed|cleared|aced} <cert>[ and I'm officially certified].",
    "{Proud|Happy} to {announce|share} that I am now a {certified|credentialed} <cert_holder>.",
    "<cert> {certified|certification} ✅",
    "{Achievement unlocked|New credential|New cert}: <cert>.",
    "I {received|earned|was awarded} the <cert> credential {today|this week|from <cert_body>}.",
    "{Completed|Passed} my <cert> certification exam{!| this morning.| yesterday!}",
    "passed my <cert> today!! officially certified",
    "Thrilled to have {earned|achieved} the <cert> {credential|designation|certificate}.",
    "Just got my <cert> {card|badge|certificate}!",
    "{Another|One more} certification {down|in the books}: <cert>.",
    "{Finished|Completed} the <cert> {program|course} and {passed|earned} the {certification|certificate}.",
    "{Certified|Credentialed}! <cert>[ from <cert_body>].",
    "I'm officially a <cert_holder>[ after passing the exam {this morning|today}].",
]

LICENSE = [
    "I'm happy to share that I've obtained a new {certification|license}: <lic_formal> from <lic_board>!",
    "{Obtained|Earned} a new license: <lic_formal>[ issued by <lic_board>].",
    "I {passed|just passed|finally passed} the <lic_exam>{!|!!| on my first attempt!}[ Officially <lic_holder>.]",
    "I'm officially <lic_holder>{!| 🎉| as of today.}",
    "My <lic> {came through|arrived|was approved|was issued} {today|this week}{!|.}",
    "{I got my|Received my|Picked up my} <lic> {today|this week|in the mail}{!|.}",
    "{Newly|Now} licensed <lic_role>[ in <state>]!",
    "After {years|three years|thousands of hours} of {work|training|supervised practice}, I'm {now|finally} a licensed <lic_role>.",
    "{Got|Earned|Obtained} my <lic>{!| today!| this week.}",
    "{Passed|Cleared} my state {board exam|licensing exam|boards} and I'm now {licensed|a licensed <lic_role>}[ in <state>].",
    "I {renewed|just renewed} my <lic>[ for another {two|four} years].",
    "The state {board|licensing board|Department of Licensing} {issued|approved} my <lic> {today|this morning}.",
    "{Sworn in|Admitted to the bar|Officially admitted} {today|this week} in <state>{!|.}[ Attorney at law.]",
    "{Licensed|License approved}: <lic>.",
    "passed the <lic_exam> today!!! im officially licensed",
    "I can finally add <lic_letters> after my name — {licensed|license issued} {today|this week}.",
    "<lic> in hand{!|!!!}[ {Starting|Hitting} the road next month.]",
    "I'm {a licensed|now a licensed|officially a licensed} <lic_role>{!|.}",
    "{Found out|Learned} {today|this morning} that I passed the <lic_exam>. {Licensed|My license is active}!",
    "My <lic> is {active|official|live on the state website} as of {today|this week}.",
    "{The state|The board} {approved|issued} my license — {officially|now} a licensed <lic_role>!",
]

AWARD = [
    "{Honored|Humbled|Proud|Thrilled} to {receive|have received|accept} the <award>[ from <org>].",
    "I was {named|selected as} <award_title>[ at <org>]!",
    "{Last night|Yesterday|This week} I {received|won|was given} the <award>.",
    "I won <award_title>{!|!!|.}[ {Still in shock|Can't believe it|So grateful}.]",
    "{So|Very} grateful to be recognized as <award_title>[ at <org>].",
    "I was {awarded|presented with|honored with} the <award> {this year|at our annual gala|at the ceremony}.",
    "{Named|Voted} <award_title> by {my colleagues|our team|the association|the local chamber}!",
    "I {placed first|took first place|won first place} at the <competition>{!|.}",
    "{Humbled|Honored} to be {named|listed} {to|on} the <list>.",
    "i got <award_title>!! {they gave me a plaque|didnt see that coming}",
    "Received a {recognition|commendation|an honor} for <reason>: the <award>.",
    "I was {inducted into|named to|selected for} the <list>{!|.}",
    "Earned {a|the} <award> {at work|at the all-hands|from my district} {today|this spring}!",
    "{Thrilled|Humbled} to share that I {won|received} the <award>[ this year].",
    "{Voted|Named} {Most Valuable Player|top performer|Rookie of the Year} by my {team|peers|classmates}.",
]

BUSINESS = [
    "I'm happy to share that I'm starting a new position as {Owner|Founder|Co-Founder|Owner/Operator|Founder & CEO|Principal} at <biz_name>!",
    "{I've|I have} {officially|finally} {launched|started|opened} my own <biz_kind>[, <biz_name>]!",
    "{Today|This week} I {launched|opened|started} <biz_name>, my own <biz_kind>.",
    "{Took the leap|Made the leap|Did the scary thing}: I {quit my job|left corporate} and started my own <biz_kind>.",
    "{Excited|Proud|Thrilled} to announce that I've founded <biz_name>[, a <biz_kind>].",
    "My {LLC|business|company} is {official|registered|live}! <biz_name> is open for business.",
    "{Grand opening|Soft opening|Opening day} {for|of} my <biz_kind> {this Saturday|today|next week}!",
    "I'm now {self-employed|my own boss|a small business owner}: {launched|started} <biz_name>[ this month].",
    "After {10|15|twenty} years working for others, I {opened|started} my own <biz_kind>.",
    "{Launched|Launching} my own <biz_kind> {today|this week}[ — <biz_name>]!",
    "i started my own <biz_kind>!! {dm me|book now|link in bio}",
    "{Co-founded|Founded} <biz_name> {with my best friend|with my partner|on my own} and we {launched|opened} {today|this week}.",
    "I signed the lease and opened my own <biz_kind>[ in <city>]!",
    "Yesterday I became {an entrepreneur|a business owner}: my <biz_kind> is {officially registered|open|live}!",
    "{Introducing|Meet} <biz_name>, my {new|brand-new} <biz_kind>{!|.}",
    "I {decided to go out on my own|went out on my own} and {started|opened} <biz_name>.",
    "I now own my own <biz_kind>{!|.}[ {Come visit|Book online|DM to book}.]",
    "{My|Our} <biz_kind> {opened|launched} {today|this week} and we {sold out|booked up|had a line out the door}!",
]

EDUCATION = [
    "I {graduated|officially graduated|finally graduated}{!|!!| today!}[ <degree> from <school>.]",
    "{Proud|Happy|Thrilled} to share that I've {completed|earned|finished} my <degree> {at|from} <school>.",
    "{Graduation day|It's official|Done}! <degree>, <school>{.| 🎓}",
    "I {completed|finished} the <bootcamp> {today|this week}[ and I'm ready for what's next].",
    "My <trade> apprenticeship is {complete|done|finished}[ after {four|five} years]!",
    "{Walked|Walked across the stage} {today|this weekend} with my <degree>{!|.}",
    "{Officially|Finally} a {college graduate|grad|graduate}: <degree> from <school>.",
    "I {earned|received} my {diploma|degree} from <school> {today|this week|this spring}.",
    "{Defended|Successfully defended} my {dissertation|thesis} {today|this week}. <degree> complete!",
    "After {six years of night classes|years of part-time study|a long road}, I've {earned|completed} my <degree>.",
    "Finished {the|my} <bootcamp>{!|.} {Job hunt starts now|Portfolio in the comments}.",
    "i graduated!!! <degree> {done|complete} 🎓",
    "Class of <year> — {I made it|we did it}! <degree>, <school>.",
    "{Completed|Graduated from} the <program> at <school>.",
    "{Just|Finally} {completed|finished} my <degree>[ at <school>].",
    "{Graduated|Officially graduated} from <school>{!| today!}[ <degree>.]",
    "Completed the <program> and {graduated|got my certificate of completion} {today|this week}.",
    "Got my {master's|bachelor's|associate's|degree}! <degree> from <school>.",
    "I received my <degree> {this weekend|today}{.|!}[ Call me {Dr.|a graduate} now.]",
]

# --- hard negatives -------------------------------------------------------------------------------------

NONE_OTHER_PERSON = [
    "{Congratulations|Congrats|Huge congrats|Big congrats} to <person> on <event3p>!",
    "{So proud of|Proud of} my <relation> for <event3p>!",
    "Please join me in congratulating <person> on <event3p>.",
    "Shoutout to my <relation> <first> for <event3p>! {Well deserved|You earned it|So proud}.",
    "{Welcome|Please welcome} <person> to the team! {She|He|They} joins <org> as our new <title>.",
    "<person> has joined <org> as <title>. {We're thrilled to have them|Welcome aboard}!",
    "Proud {mom|dad|wife|husband|sister} moment: my <relation> <event3p_past> today!",
    "{Congrats|Congratulations} to all of our {students|employees|team members|nurses} who <event_plural>!",
    "We're {proud|excited} to announce that <person> has been promoted to <title> at <org>.",
    "{Big|Huge} day for my <relation>, who <event3p_past>. {Proud of you|Love you}!",
    "My {mentee|coworker|colleague|friend} <first> <event3p_past>. {Go check out her work|Congrats again}!",
    "{My|Our} <relation> {just|finally} <event3p_past>! {Proud of you|So happy for you}.",
    "Welcome to our newest team member, <first>! {She|He} joins us as <title_a>.",
    "If you're hiring <title_plural>, my <relation> <first> is looking. {She|He}'s {amazing|great}.",
]

NONE_HIRING = [
    "{We're hiring|We are hiring|Now hiring}! <org> is looking for <title_a>[ in <city>]. {Apply at the link|DM me|Link in comments}.",
    "{Hiring alert|Job opening|Open role}: <title> at <org>. {Apply today|Referrals welcome|Remote friendly}.",
    "My team at <org> is hiring <title_plural>. {Send me your resume|Reach out if interested}.",
    "Looking to hire a licensed <lic_role> for our <city> office. {Base plus commission|Great benefits}.",
    "{Join our team|Come work with us}! We need <title_plural> and <title_plural2>.",
    "<org> is hosting a {job fair|hiring event} {next Thursday|this weekend}. {Bring your resume|All welcome}.",
    "Know a great <title>? We're {growing|expanding} and {need|want} one ASAP.",
]

NONE_LAYOFF = [
    "{Today|This morning} I was {laid off|let go} from <org>[ along with {dozens|hundreds} of colleagues]. {Any leads appreciated|Please reach out}.",
    "My {position|role} at <org> was eliminated {today|last week}. {Grateful for the time there|On to the next}.",
    "{Layoffs hit|Another round of layoffs at} <org> {today|this week}. {Thinking of everyone affected|It's rough out there}.",
    "After <num> years, my time at <org> has come to an end due to restructuring.",
    "{Half|Most} of my team was let go {today|yesterday}. Please consider them for any <title> roles.",
    "Got fired today. {Not sure what's next|Taking a breath|Time to regroup}.",
]

NONE_OPEN = [
    "I'm #OpenToWork! Looking for <title> roles {in <city>|remote|hybrid}. {Any leads appreciated|Please share}.",
    "{Seeking|Looking for} {new opportunities|my next role|a new position} as <title_a>. {DM me|Referrals welcome}.",
    "Day <num> of my job search. Applied to {ten|twelve|five} more {jobs|roles} today.",
    "{Still|Currently} {looking for work|unemployed|job hunting}. If your company needs <title_a>, I'm available.",
    "{Actively|Now} interviewing for <title> positions. Open to relocation.",
    "I've been out of work for <num> months. Does anyone know of openings for <title_plural>?",
]

NONE_STUDY = [
    "{Studying|Still studying|Cramming} for the <exam> {this summer|right now|tonight}. {Any tips|Wish me luck|Send coffee}?",
    "{Scheduled|Booked} my <exam> for {next week|next month|Thursday}! {Nervous|Terrified|Ready}.",
    "{Taking|Sitting for} the <exam> in {two weeks|a month|March}. {Any advice|Pray for me}?",
    "{Failed|Didn't pass} the <exam> {again|on my first try}. {Back to studying|Not giving up}.",
    "{Took|Sat for} the <exam> last week. Results in {a month|November}. 🤞",
    "I start my <program_study> {in the fall|next month|in January}. Can't wait to {begin|get started}.",
    "{Enrolled|Just enrolled} in a <exam> prep course. {The real exam is|Exam day is} {in June|next spring}.",
    "Practice test score: <pct>%. Need to get higher before the real <exam>.",
    "Thinking about {going back to school|getting my <degree>|getting certified}. {Thoughts|Recommendations}?",
    "Planning to take my <exam> {next year|after the holidays}. Looking for a study group.",
    "{Applying|I'm applying} to <program_study> {programs|schools} this fall. Any advice?",
    "{Signed up|Registered} for a <exam> {course|bootcamp} starting {in January|next month}.",
    "Getting ready for my <exam> in {April|May|the spring}. Any tips appreciated!",
]

NONE_AD = [
    "{Enroll|Register|Sign up} {now|today} in our <weeks>-week <exam> prep course! {Pass on your first attempt|Money-back guarantee}.",
    "Free webinar: How to pass the <exam> on your first try. {Register today|Seats are limited}.",
    "{Become|Get} <cert> certified in {six|eight} weeks with our online {course|program}. {Use code SAVE20|Enroll now}.",
    "Our {brokerage|school|academy} offers a free pre-licensing course for future <lic_role_plural>!",
    "{Reminder|Heads up}: the deadline to renew your <lic> is {December 31|next month}. Don't let it lapse!",
    "Want to {start a business|launch your own company}? Our {free|online} course shows you how. {Link below|DM us}.",
]

NONE_COMPANY = [
    "<org> is {proud|pleased|excited} to announce {record earnings|a new partnership|our expansion into <city>}.",
    "{Our company|Our firm|Our team} {was named|has been recognized as} {a top workplace|a Best Place to Work} {again|for the third year}!",
    "{Proud|Excited} to announce that our company has achieved <company_cert> certification!",
    "We just {launched|released|shipped} a new {feature|product line|app update}. {Try it out|Check it out|Link below}.",
    "Our new {store|location|clinic|office} opens {Saturday|next week} in <city>! Join us for the ribbon cutting.",
    "{Welcome|Congrats to} our new cohort of <num> {interns|apprentices|nurse residents}!",
    "We're thrilled to announce that <org> {was acquired|has acquired a competitor|closed its Series B}.",
    "Our {CEO|founder|team} {won|received} the <award> this year. {Congratulations|So proud}!",
    "<org> {just|today} opened a new {headquarters|distribution center|wing} in <city>.",
    "{Our|My} team {won|received|took home} the <award> this year. {Proud of every one of them|Congrats team}!",
    "{Our agency|Our company|Our firm} is now licensed in <num> states!",
    "{Our|The} team won {an award|the <award>} at the industry gala.",
    "{We|Our company} {received|earned} <company_cert> certification this quarter.",
]

NONE_ANNIV = [
    "{Today marks|Celebrating} my <num>-year {work anniversary|anniversary} at <org>! {Time flies|Grateful}.",
    "<num> years at <org> today. {Happy workiversary to me|Still love what I do}!",
    "Can't believe it's been <num> years {at|with} <org>.",
    "{Ten|Five|Three} years ago today I started at <org>. {Grateful for that first manager|What a ride}.",
    "Happy retirement to <person>, who worked at <org> for <num> years!",
]

NONE_MISC = [
    "Unpopular opinion: {certifications|degrees|titles} matter less than {experience|attitude|soft skills}.",
    "<num> tips for {negotiating your salary|acing interviews|managing burnout}: {know your worth|prepare|rest}.",
    "Why do so many companies {ghost candidates|require degrees|post fake jobs}? Let's talk about it.",
    "{Happy Monday|Happy Friday|Good morning}! {Drink water|Take breaks|Be kind to yourself} today.",
    "{Great|Insightful} {panel|conference|workshop} today on <topic>. Thanks to the organizers.",
    "Sharing this {article|podcast|report} on <topic>. {Interesting read|Worth a listen}.",
    'Just finished reading {a great book|"Atomic Habits"|"Deep Work"}. {Highly recommend|Game changer}.',
    "Grateful for {all the birthday wishes|my family|this community} {today|this week}!",
    "It's my last day at <org>. {I'll share more soon|On to the next adventure}.",
    "I've decided to step down from my role at <org> to {focus on my health|care for my family}.",
    "{Volunteered|Spent the day} at the {food bank|animal shelter|school fundraiser} {this weekend|today}. {Grateful|Fulfilling}.",
    "Excited to speak at the <topic> {summit|conference|meetup} next month!",
    "Career advice: {never stop learning|ask for feedback|build relationships}.",
    "Would love your advice: should I pursue <degree> or <cert>?",
    "{Thinking about|Considering} starting my own <biz_kind>, but I'm scared to leave a steady paycheck.",
    "Looking back at my career: started in <field>, moved to <field2>, now in <field3>.",
    "What's the best certification for someone getting into <field>? <cert> or <cert2>?",
    "Heading to {Vegas|Austin|Chicago} for our annual {sales kickoff|conference}! Who else will be there?",
    "Interviewed for a <title> role {today|this week}. {Fingers crossed|Hoping for good news}.",
    "Had a {final|second} interview at <org>. Waiting to hear back 🤞",
]

HEADLINES: list[tuple[str, str]] = [
    ("Newly licensed <lic_role> | <state>", "license"),
    ("<lic_holder_short> | Passed the <lic_exam> | Ready to serve", "license"),
    ("Recently promoted <title> at <org>", "promotion"),
    ("Incoming <title> @ <org> | <school> grad", "new_job"),
    ("Newly hired <title> at <org>", "new_job"),
    ("Recent graduate | <degree> | <school>", "education"),
    ("Founder & Owner at <biz_name> | Just launched", "business_launch"),
    ("Newly <cert> certified | <title>", "certification"),
    ("<title> at <org>", "none"),
    ("Open to work | <title> | <city>", "none"),
    ("Aspiring <lic_role> | Studying for the <lic_exam>", "none"),
    ("<title> | <field> | Coffee lover", "none"),
    ("Award-winning <title> | <award_title> <year>", "award"),
]

OPENERS = [
    "{Some|A little|Big|Personal} news!",
    "Life update:",
    "{Hi|Hello|Hey} LinkedIn {family|friends|fam}!",
    "{Well|So}, this happened.",
    "It's official.",
    "Not gonna lie, I {teared up|cried|screamed} writing this.",
    "{Wow|Whew|Okay}.",
    "Quick update for my network:",
]

CONTEXT = [
    "This {year|season} has been {a roller coaster|tough|full of surprises}.",
    "{Two|Three|Five} years ago I {was working nights|didn't know what I wanted|was stocking shelves}.",
    "I want to thank my {mom|family|wife|husband|kids|mentors} for {believing in me|the support|every sacrifice}.",
    "There were {so many|plenty of} days I wanted to {quit|give up}.",
    "{Coffee|Prayer|My study group} got me through it.",
    "If you're {struggling|on the fence|waiting for a sign}, {keep going|this is it|don't give up}.",
    "{Huge|Big|Special} thanks to <first> for {the referral|the advice|pushing me}.",
    "Onward and upward.",
    "Still {pinching myself|processing|smiling}.",
    "The {commute|hours|drive} will take some getting used to.",
    "Anyway, back to {work|studying|the grind} tomorrow.",
    "I'm {grateful|blessed|thankful} for everyone who {helped|cheered me on|prayed for me}.",
]

STORY = [
    "When I moved to <city> {six|eight|ten} years ago I had two suitcases and no plan.",
    "I spent most of my twenties {working double shifts|bouncing between jobs|taking care of my family}, and for a long time I thought that was all there was.",
    "Some of you know the last {year|two years} were hard: {a divorce|a health scare|losing my dad}, bills piling up, and a lot of self-doubt.",
    "I used to {drive for a rideshare company at night|wait tables on weekends|work the overnight stocking shift} and study in the car between {rides|shifts}.",
    "My {grandmother|mom|dad} always told me that nobody can take your education or your work ethic away from you.",
    "There were {weeks|months} when I {wondered if any of it was worth it|almost gave up|questioned every decision}.",
    "I want to say something to anyone who is where I was: the path is not a straight line, and that is okay.",
    "Along the way I leaned on {my church|my friends|a mentor I met through a community program} more than I can say.",
    "I also learned how to {budget|ask for help|say no}, which honestly might be the most important skill of all.",
    "If you had told me {five|three} years ago that I'd be writing this post, I would not have believed you.",
    "To everyone who sent an encouraging message, a job posting, or just a {coffee|kind word}: thank you.",
    "I don't usually post much here, but this felt worth sharing.",
]

CLOSERS = [
    "{Onward|Let's go|Here we go|Let's gooo}!",
    "Thank you all for the {support|love|encouragement}.",
    "{Grateful|Blessed|Humbled}.",
    "More to come.",
    "Can't wait to see what's next.",
]

HASHTAGS = {
    "new_job": ["#newjob", "#NewBeginnings", "#hired", "#career", "#grateful", "#firstday"],
    "promotion": ["#promotion", "#careergrowth", "#leadership", "#grateful", "#levelup"],
    "certification": ["#certified", "#certification", "#learning", "#AWS", "#cybersecurity", "#PMP"],
    "license": ["#licensed", "#nurse", "#NCLEX", "#realestate", "#CDL", "#barexam", "#trades"],
    "award": ["#award", "#honored", "#recognition", "#grateful", "#teamwork"],
    "business_launch": ["#smallbusiness", "#entrepreneur", "#founder", "#shoplocal", "#startup"],
    "education": ["#graduation", "#classof2025", "#gradschool", "#bootcamp", "#proud"],
    "none": ["#hiring", "#OpenToWork", "#jobsearch", "#leadership", "#mondaymotivation", "#careeradvice"],
}
EMOJIS = ["🎉", "🙌", "🙏", "💪", "🚀", "✨", "😊", "🥳", "💙", "🔥", "👏", "🎓", "🏆", "😅"]


def _slots(rng: random.Random) -> dict[str, str]:
    """One consistent set of fillers for a post."""
    person = rng.choice(lx.FIRST_NAMES) + " " + rng.choice(lx.LAST_NAMES)
    cert, cert_holder, cert_body = rng.choice(lx.CERTIFICATIONS)
    lic, lic_exam, lic_role, lic_letters = rng.choice(lx.LICENSES)
    lic_formal, lic_board = rng.choice(lx.LICENSES_FORMAL)
    degree, school = rng.choice(lx.DEGREES), rng.choice(lx.SCHOOLS)
    title = rng.choice(lx.TITLES)
    return {
        "org": rng.choice(lx.ORGS),
        "title": title,
        "title_a": ("an " if title[0] in "AEIOU" else "a ") + title,
        "title_plural": rng.choice(lx.TITLES) + "s",
        "title_plural2": rng.choice(lx.TITLES) + "s",
        "old_title": rng.choice(lx.JUNIOR_TITLES),
        "scope": rng.choice(lx.SCOPES),
        "cert": cert,
        "cert2": rng.choice(lx.CERTIFICATIONS)[0],
        "cert_holder": cert_holder,
        "cert_body": cert_body,
        "lic": lic,
        "lic_exam": lic_exam,
        "lic_role": lic_role,
        "lic_role_plural": lic_role + "s",
        "lic_holder": ("an " if lic_role[0] in "aeiouAEIOU" else "a ") + lic_role,
        "lic_holder_short": lic_role[:1].upper() + lic_role[1:],
        "lic_letters": lic_letters,
        "lic_formal": lic_formal,
        "lic_board": lic_board,
        "state": rng.choice(lx.STATES),
        "award": rng.choice(lx.AWARDS),
        "award_title": rng.choice(lx.AWARD_TITLES),
        "competition": rng.choice(lx.COMPETITIONS),
        "list": rng.choice(lx.HONOR_LISTS),
        "reason": rng.choice(["my work on the flood response", "ten years of service", "patient safety"]),
        "biz_kind": rng.choice(lx.BUSINESS_KINDS),
        "biz_name": rng.choice(lx.BUSINESS_NAMES),
        "degree": degree,
        "school": school,
        "bootcamp": rng.choice(lx.BOOTCAMPS),
        "program": rng.choice(lx.PROGRAMS),
        "program_study": rng.choice(lx.PROGRAMS + lx.DEGREES),
        "trade": rng.choice(lx.TRADES),
        "year": str(rng.randint(2019, 2026)),
        "city": rng.choice(lx.CITIES),
        "person": person,
        "first": rng.choice(lx.FIRST_NAMES),
        "relation": rng.choice(lx.RELATIONS),
        "event3p": rng.choice(lx.EVENTS_3P)
        .replace("<title>", title)
        .replace("<cert>", cert)
        .replace("<lic_exam>", lic_exam),
        "event3p_past": rng.choice(lx.EVENTS_3P_PAST)
        .replace("<title>", title)
        .replace("<cert>", cert)
        .replace("<lic_exam>", lic_exam),
        "event_plural": rng.choice(lx.EVENTS_PLURAL).replace("<cert>", cert),
        "exam": rng.choice([lic_exam, cert + " exam", rng.choice(lx.EXAMS)]),
        "weeks": str(rng.choice([4, 6, 8, 10, 12])),
        "company_cert": rng.choice(["ISO 9001", "SOC 2", "B Corp", "LEED Gold"]),
        "num": str(rng.randint(2, 25)),
        "pct": str(rng.randint(55, 74)),
        "topic": rng.choice(lx.TOPICS),
        "field": rng.choice(lx.FIELDS),
        "field2": rng.choice(lx.FIELDS),
        "field3": rng.choice(lx.FIELDS),
    }


_TEMPLATES: dict[str, list[str]] = {
    "new_job": NEW_JOB,
    "promotion": PROMOTION,
    "certification": CERTIFICATION,
    "license": LICENSE,
    "award": AWARD,
    "business_launch": BUSINESS,
    "education": EDUCATION,
    "none": NONE_OTHER_PERSON * 3
    + NONE_HIRING * 2
    + NONE_LAYOFF * 2
    + NONE_OPEN * 2
    + NONE_STUDY * 2
    + NONE_AD
    + NONE_COMPANY
    + NONE_ANNIV
    + NONE_MISC,
}


def _typo(text: str, rng: random.Random) -> str:
    """Swap or drop one letter in a couple of longer words, as hurried typing does."""
    words = text.split(" ")
    for _ in range(rng.randint(1, 2)):
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 4 and w.isalpha():
            j = rng.randrange(1, len(w) - 2)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :] if rng.random() < 0.5 else w[:j] + w[j + 1 :]
    return " ".join(words)


def _compose(core: str, label: str, rng: random.Random, slots: dict[str, str]) -> str:
    parts: list[str] = []
    if rng.random() < 0.12:
        # A long story with the event buried in the middle.
        story = [expand(c, rng, slots) for c in rng.sample(STORY, k=rng.randint(5, 8))]
        cut = rng.randint(2, len(story) - 2)
        return "\n\n".join([*story[:cut], core, *story[cut:]])
    if rng.random() < 0.25:
        parts.append(expand(rng.choice(OPENERS), rng, slots))
    if rng.random() < 0.3:
        parts.extend(expand(c, rng, slots) for c in rng.sample(CONTEXT, k=rng.randint(1, 2)))
    parts.append(core)
    if rng.random() < 0.35:
        parts.extend(expand(c, rng, slots) for c in rng.sample(CONTEXT, k=rng.randint(1, 3)))
    if rng.random() < 0.3:
        parts.append(expand(rng.choice(CLOSERS), rng, slots))
    sep = "\n\n" if rng.random() < 0.2 else " "
    text = sep.join(parts)
    if rng.random() < 0.3:
        text += " " + "".join(rng.choice(EMOJIS) for _ in range(rng.randint(1, 3)))
    if rng.random() < 0.35:
        text += "\n" + " ".join(rng.sample(HASHTAGS[label], k=rng.randint(1, 3)))
    if rng.random() < 0.12:
        text = text.lower()
    if rng.random() < 0.12:
        text = _typo(text, rng)
    return text


_GOLD: dict[str, Callable[[dict[str, str]], dict[str, str | None]]] = {
    "new_job": lambda s: {"org": s["org"], "title": s["title"], "credential": None},
    "promotion": lambda s: {"org": s["org"], "title": s["title"], "credential": None},
    "certification": lambda s: {"org": None, "title": None, "credential": s["cert"]},
    "license": lambda s: {"org": None, "title": None, "credential": s["lic"]},
}


def _gold_for(label: str, text: str, slots: dict[str, str]) -> dict[str, str | None]:
    """Gold entities, only where the slot's value actually made it into the text."""
    empty: dict[str, str | None] = {"org": None, "title": None, "credential": None}
    gold = _GOLD[label](slots) if label in _GOLD else empty
    return {k: (v if v is not None and v.lower() in text.lower() else None) for k, v in gold.items()}


def build(seed: int = SEED) -> list[Post]:
    """The whole synthetic corpus, deterministically from ``seed``."""
    rng = random.Random(seed)
    posts: list[Post] = []
    seen: set[str] = set()
    for label, count in PER_CLASS.items():
        made = 0
        attempts = 0
        while made < count and attempts < count * 20:
            attempts += 1
            slots = _slots(rng)
            if rng.random() < 0.06:
                template, hl_label = rng.choice(HEADLINES)
                if hl_label != label:
                    continue
                text = expand(template, rng, slots)
            else:
                template = rng.choice(_TEMPLATES[label])
                text = _compose(expand(template, rng, slots), label, rng, slots)
            if text in seen:
                continue
            seen.add(text)
            gold = _gold_for(label, text, slots)
            posts.append(Post(text, label, org=gold["org"], title=gold["title"], credential=gold["credential"]))
            made += 1
    rng.shuffle(posts)
    return posts


def render(posts: list[Post]) -> str:
    lines = [
        json.dumps(
            {"text": p.text, "label": p.label, "org": p.org, "title": p.title, "credential": p.credential},
            ensure_ascii=False,
        )
        for p in posts
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    OUTPUT.write_text(render(build()), encoding="utf-8")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
