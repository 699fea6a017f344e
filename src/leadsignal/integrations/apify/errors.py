"""Apify failures, split into worth-retrying-later and not."""

from __future__ import annotations


class ApifyError(Exception):
    """An API error (from the ``{"error": {"type", "message"}}`` envelope) or a transport failure."""

    def __init__(
        self, message: str, *, type: str = "unknown", status: int | None = None, retryable: bool = False
    ) -> None:
        super().__init__(message)
        self.type = type
        self.status = status
        self.retryable = retryable


class ApifyRunFailed(ApifyError):
    """The actor run ended FAILED, TIMED-OUT or ABORTED. A time-out or abort may pass next time;
    a FAILED run usually means bad input or a broken actor build, so it is not retried blindly."""

    def __init__(self, run_id: str, status: str, status_message: str | None) -> None:
        super().__init__(
            f"actor run {run_id} ended {status}" + (f": {status_message}" if status_message else ""),
            type=f"run-{status.lower()}",
            retryable=status in ("TIMED-OUT", "ABORTED"),
        )
        self.run_id = run_id
        self.run_status = status


class ApifyDeadlineExceeded(ApifyError):
    """The run did not finish before our own deadline; it was aborted so it stops costing money."""

    def __init__(self, run_id: str, deadline_s: float) -> None:
        super().__init__(
            f"actor run {run_id} still running after {deadline_s:.0f}s; aborted", type="deadline", retryable=True
        )
        self.run_id = run_id
