"""Reference actor items from /work/shared/reference/api-contracts.md (2a, 2c, 2d, 2e), trimmed."""

from __future__ import annotations

import copy
from typing import Any

HARVEST_PROFILE: dict[str, Any] = {
    "id": "ACoAACLevxsBfWQoDUYkHyCP2jzl81cDAvckQEI",
    "publicIdentifier": "towhid-rahman",
    "linkedinUrl": "https://www.linkedin.com/in/towhid-rahman",
    "firstName": "Towhid",
    "lastName": "Rahman, PharmD",
    "headline": "Pharmacology | Medical Science Liasion | ...",
    "about": "I find myself at a unique crossroads ...",
    "openToWork": False,
    "hiring": False,
    "premium": False,
    "influencer": False,
    "verified": True,
    "photo": "https://media.licdn.com/...",
    "location": {
        "linkedinText": "Los Angeles, California, United States",
        "countryCode": "US",
        "parsed": {
            "text": "Los Angeles, CA, United States",
            "countryCode": "US",
            "regionCode": None,
            "country": "United States",
            "countryFull": "United States of America",
            "state": "California",
            "city": "Los Angeles",
        },
    },
    "registeredAt": "2017-07-29T17:39:39.165Z",
    "topSkills": "Pharmacology • Patient Counseling",
    "connectionsCount": 261,
    "followerCount": 264,
    "currentPosition": [{"companyName": "CVS Health"}],
    "experience": [
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
    ],
    "education": [
        {
            "schoolName": "Western University of Health Sciences",
            "schoolLinkedinUrl": "https://www.linkedin.com/company/26345/",
            "degree": "Doctor of Pharmacy",
            "fieldOfStudy": "Pharmacy",
            "skills": ["..."],
            "startDate": {"month": "Aug", "year": 2018, "text": "Aug 2018"},
            "endDate": {"month": "May", "year": 2022, "text": "May 2022"},
            "period": "Aug 2018 - May 2022",
        }
    ],
    "certifications": [
        {
            "title": "Excel Essential Training (Microsoft 365)",
            "issuedAt": "Issued Sep 2023",
            "issuedBy": "LinkedIn",
            "issuedByLink": "https://www.linkedin.com/company/1337/",
        }
    ],
    "honorsAndAwards": [
        {
            "title": "Academic Merit Scholarship",
            "issuedBy": "... Khulna University",
            "issuedAt": "Oct 2004",
            "description": "...",
            "associatedWith": "Associated with Khulna University",
            "associatedWithLink": "https://www.linkedin.com/company/9537234/",
        }
    ],
    "languages": [{"name": "Bengali", "proficiency": "Native or bilingual proficiency"}],
    "skills": [{"name": "Drug Therapy Optimization", "positions": ["..."]}],
    "projects": [],
    "volunteering": [],
    "courses": [],
    "publications": [],
    "patents": [],
    "receivedRecommendations": [],
    "featured": None,
    "moreProfiles": [],
}

DEV_FUSION_PROFILE: dict[str, Any] = {
    "linkedinUrl": "https://www.linkedin.com/in/ricky-hoover-7388371b8/",
    "firstName": "Ricky",
    "lastName": "Hoover",
    "fullName": "Ricky Hoover",
    "headline": "Sales Development @project44",
    "connections": 2451,
    "followers": 2726,
    "email": None,
    "mobileNumber": None,
    "jobTitle": "Sales Development Representative",
    "companyName": "Project44",
    "companyIndustry": "Logistics And Supply Chain",
    "companyWebsite": "project44.com",
    "companyLinkedin": "linkedin.com/company/project-44",
    "companyFoundedIn": 2014,
    "companySize": "501-1000",
    "currentJobDuration": "1 yr 6 mos",
    "currentJobDurationInYrs": 1.5,
    "topSkillsByEndorsements": "Nonprofit Organizations",
    "addressCountryOnly": "United States",
    "addressWithCountry": "Chicago, Illinois, United States",
    "addressWithoutCountry": "Chicago, Illinois",
    "profilePic": "https://media.licdn.com/...",
    "about": None,
    "publicIdentifier": "ricky-hoover-7388371b8",
    "openConnection": None,
    "urn": "ACoAADKrRlwBHYP0WK6RYyFU2rQqC7b4dPfCAUQ",
    "experiences": [
        {
            "companyId": "9265792",
            "companyUrn": "urn:li:fsd_company:9265792",
            "companyLink1": "https://www.linkedin.com/company/9265792/",
            "logo": "https://media.licdn.com/...",
            "title": "Sales Development Representative",
            "subtitle": "project44 · Full-time",
            "caption": "May 2024 - Present · 1 yr 6 mos",
            "metadata": "Chicago, Illinois, United States · Hybrid",
            "breakdown": False,
            "subComponents": [{"description": []}],
        },
        {
            "companyId": "24440",
            "title": "Collabera",
            "subtitle": "Full-time · 1 yr",
            "caption": "Milwaukee, Wisconsin, United States",
            "breakdown": True,
            "subComponents": [
                {
                    "title": "Account Manager",
                    "caption": "Feb 2024 - May 2024 · 4 mos",
                    "metadata": "On-site",
                    "description": [],
                }
            ],
        },
    ],
    "educations": [
        {
            "companyId": "7160",
            "title": "Marquette University",
            "subtitle": "Business Communication",
            "caption": "2016 - 2020",
            "breakdown": False,
            "subComponents": [{"description": []}],
        }
    ],
    "licenseAndCertificates": [
        {
            "companyId": "162834",
            "title": "Internal auditor",
            "subtitle": "Bureau Veritas Group",
            "caption": "Issued Sep 2007",
            "breakdown": False,
            "subComponents": [{"description": []}],
        }
    ],
    "honorsAndAwards": [
        {
            "title": "Winner AFC Data Challenge",
            "subtitle": "Issued by Academics for Companies · Mar 2022",
            "description": "...",
        }
    ],
    "skills": [
        {
            "title": "Nonprofit Organizations",
            "subComponents": [{"description": [{"type": "insightComponent", "text": "3 endorsements"}]}],
        }
    ],
    "languages": [],
    "volunteerAndAwards": [],
    "projects": [],
    "publications": [],
    "courses": [],
    "organizations": [],
    "updates": [],
    "recommendations": [],
}

HARVEST_POST: dict[str, Any] = {
    "type": "post",
    "id": "7329207003942125568",
    "linkedinUrl": "https://www.linkedin.com/posts/williamhgates_how-better-data-activity-7329207003942125568-abcd",
    "content": "The leading causes of childhood death reveal a stark truth: ...",
    "author": {
        "universalName": None,
        "publicIdentifier": "williamhgates",
        "type": "profile",
        "name": "Bill Gates",
        "linkedinUrl": "https://www.linkedin.com/in/williamhgates?miniProfileUrn=urn%3Ali%3Afs",
        "info": "Chair, Gates Foundation ...",
        "avatar": {"url": "https://media.licdn.com/...", "width": 800, "height": 800, "expiresAt": 1753315200000},
    },
    "postedAt": {
        "timestamp": 1747419119821,
        "date": "2025-05-16T18:11:59.821Z",
        "postedAgoShort": "6d",
        "postedAgoText": "6 days ago • ...",
    },
    "postImages": [],
    "document": None,
    "engagement": {"likes": 2916, "comments": 328, "shares": 153, "reactions": [{"type": "LIKE", "count": 2477}]},
}

APIMAESTRO_POST: dict[str, Any] = {
    "urn": {"activity_urn": "7459522671878291456", "share_urn": None, "ugcPost_urn": None},
    "full_urn": "urn:li:activity:7459522671878291456",
    "posted_at": {"date": "2026-05-11 10:39:56", "relative": "2 hours ago", "timestamp": 1778488796205},
    "text": "New on PYMNTS: ...",
    "url": "https://www.linkedin.com/posts/andrew-mouat_new-on-pymnts-activity-7459522671878291456",
    "post_type": "regular",
    "author": {
        "first_name": "Andy",
        "last_name": "Mouat",
        "headline": "Senior Software Engineer @ Thredd",
        "username": "andrew-mouat",
        "profile_url": "https://www.linkedin.com/in/andrew-mouat",
        "profile_picture": "https://media.licdn.com/...",
    },
    "stats": {"total_reactions": 12, "like": 10, "love": 2, "comments": 3, "reposts": 0},
    "media": {
        "type": "image",
        "url": "https://media.licdn.com/...",
        "images": [{"url": "https://media.licdn.com/..."}],
    },
}


def sample(item: dict[str, Any]) -> dict[str, Any]:
    """A deep copy, so a test can drift it freely."""
    return copy.deepcopy(item)
