"""Fixtures shared by the compliance tests."""

from tests.compliance.rollback_ctx import ctx

__all__ = ["ctx"]
