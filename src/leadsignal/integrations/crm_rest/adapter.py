"""The generic REST CRM adapter.

It expects three resources under ``crm_base_url`` (paths configurable):
``GET /leads/{agency_id}`` -> the lead's JSON; ``GET /leads?updated_since=ISO[&cursor=C]`` ->
``{"items": [lead JSON...], "next_cursor": C|null}``; ``POST /signals`` with the signal payload.
``field_map`` says where each of our fields lives in the lead JSON, as a dotted path
(``{"email": "contact.email", "crm_version": "meta.version"}``); unmapped fields are not compared.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

import httpx

from leadsignal.crm.ports import CrmError, CrmLead, CrmPermanentError, CrmRetryableError

DEFAULT_FIELD_MAP: dict[str, str] = {
    **{f: f for f in ("address", "city", "state", "zip", "phone_1", "phone_2", "email", "status_description")},
    **{f: f for f in ("do_not_contact", "cease_and_desist", "bankruptcy", "attorney_represented", "disputed")},
    "companyDomain": "companyDomain",
    "companyAbout": "companyAbout",
    "agency_id_number": "agency_id_number",
    "crm_version": "version",
}
_MISSING = object()
MAX_PAGES = 200


def get_path(document: Any, path: str) -> Any:
    """The value at a dotted path, or ``_MISSING`` when any step is absent."""
    current = document
    for part in path.split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return _MISSING
    return current


class RestCrmAdapter:
    name = "rest"

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        field_map: dict[str, str] | None = None,
        timeout: float = 10.0,
        lead_path: str = "/leads/{agency_id}",
        changes_path: str = "/leads",
        signals_path: str = "/signals",
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"crm_base_url must be an http(s) URL, got {base_url[:80]!r}")
        self.field_map = {**DEFAULT_FIELD_MAP, **(field_map or {})}
        headers = {"Accept": "application/json", "User-Agent": "leadsignal-crm/1"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"), headers=headers, timeout=timeout, transport=transport
        )
        self._lead_path, self._changes_path, self._signals_path = lead_path, changes_path, signals_path

    def close(self) -> None:
        self._client.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._client.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise CrmRetryableError(f"CRM timed out on {method} {path}") from exc
        except httpx.HTTPError as exc:
            raise CrmRetryableError(f"CRM unreachable on {method} {path}: {type(exc).__name__}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise CrmRetryableError(f"CRM answered {response.status_code} on {method} {path}")
        return response

    def _json(self, response: httpx.Response, what: str) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise CrmPermanentError(f"CRM returned invalid JSON for {what}") from exc

    def to_crm_lead(self, agency_id_number: str, document: Any) -> CrmLead:
        fields: dict[str, Any] = {}
        for ours, path in self.field_map.items():
            if ours in ("crm_version", "agency_id_number"):
                continue
            value = get_path(document, path)
            if value is not _MISSING:
                fields[ours] = value
        version = get_path(document, self.field_map["crm_version"])
        if version is not _MISSING and not isinstance(version, int):
            raise CrmPermanentError(f"CRM version of {agency_id_number} is not an integer: {version!r}")
        return CrmLead(
            agency_id_number=agency_id_number, version=None if version is _MISSING else version, fields=fields
        )

    def fetch_lead(self, agency_id_number: str) -> CrmLead | None:
        path = self._lead_path.format(agency_id=quote(agency_id_number, safe=""))
        response = self._request("GET", path)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise CrmPermanentError(f"CRM answered {response.status_code} for lead {agency_id_number}")
        return self.to_crm_lead(agency_id_number, self._json(response, f"lead {agency_id_number}"))

    def push_signal(self, payload: dict[str, Any]) -> None:
        key = str(payload.get("signal_id", ""))
        response = self._request("POST", self._signals_path, json=payload, headers={"Idempotency-Key": key})
        if not 200 <= response.status_code < 300:
            raise CrmPermanentError(f"CRM refused the signal with {response.status_code}: {response.text[:200]}")

    def list_changed_since(self, since: dt.datetime) -> list[str]:
        ids: list[str] = []
        params: dict[str, str] = {"updated_since": since.isoformat()}
        for _ in range(MAX_PAGES):
            response = self._request("GET", self._changes_path, params=params)
            if response.status_code != 200:
                raise CrmPermanentError(f"CRM answered {response.status_code} listing changed leads")
            body = self._json(response, "changed leads")
            if not isinstance(body, dict) or not isinstance(body.get("items"), list):
                raise CrmPermanentError("CRM change list must be an object with an 'items' list")
            for item in body["items"]:
                agency_id = get_path(item, self.field_map["agency_id_number"])
                if isinstance(agency_id, str) and agency_id:
                    ids.append(agency_id)
            cursor = body.get("next_cursor")
            if not cursor:
                return ids
            params = {"updated_since": since.isoformat(), "cursor": str(cursor)}
        raise CrmError(f"CRM change list did not end within {MAX_PAGES} pages")
