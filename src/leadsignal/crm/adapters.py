"""Choose the CRM adapter from settings (the domain knows the port, settings pick the vendor)."""

from __future__ import annotations

from leadsignal.crm.ports import CrmAdapter
from leadsignal.settings import Settings


class CrmNotConfigured(RuntimeError):
    """No CRM adapter is configured."""


def adapter_from_settings(settings: Settings) -> CrmAdapter:
    if not settings.crm_base_url:
        raise CrmNotConfigured("set LEADSIGNAL_CRM_BASE_URL (and LEADSIGNAL_CRM_TOKEN) to reach the CRM")
    from leadsignal.integrations.crm_rest.adapter import RestCrmAdapter

    return RestCrmAdapter(
        settings.crm_base_url,
        token=settings.crm_token.get_secret_value() if settings.crm_token else None,
        field_map=settings.crm_field_map,
        timeout=settings.crm_timeout_seconds,
    )
