"""Injectable time, so retry and rate-limit waits are tested without waiting."""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], float]  # seconds, monotonic enough for measuring waits
Sleeper = Callable[[float], None]


class FakeTime:
    """A clock whose ``sleep`` advances it; records every requested sleep."""

    def __init__(self, start: float | None = None) -> None:
        self.now = time.time() if start is None else start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)


def real_clock() -> float:
    return time.time()


def real_sleep(seconds: float) -> None:
    if seconds > 0:
        time.sleep(seconds)
