"""The agency's CRM: outbound webhooks, the inbound inbox, agent outcomes, field sync, adapter port."""
