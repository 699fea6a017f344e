"""A rotating proxy pool that benches a proxy after repeated failures."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from leadsignal.integrations.http.clock import Clock, real_clock


@dataclass
class Proxy:
    url: str
    id: str  # host:port, never the credentials
    failures: int = 0
    benched_until: float = 0.0
    uses: int = field(default=0)


def proxy_id(url: str) -> str:
    parts = urlsplit(url)
    if not parts.scheme or not parts.hostname:
        raise ValueError(f"proxy URL needs a scheme and host, e.g. http://user:pass@host:3128 (got {parts.scheme}://…)")
    return f"{parts.scheme}://{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


class ProxyPool:
    """Round robin over healthy proxies. ``max_failures`` consecutive failures bench a proxy for
    ``bench_seconds``; when every proxy is benched we go direct rather than stop collecting
    through the official APIs, which do not need a proxy."""

    def __init__(
        self, urls: list[str], *, max_failures: int = 3, bench_seconds: float = 600.0, clock: Clock = real_clock
    ) -> None:
        if max_failures < 1:
            raise ValueError("max_failures must be at least 1")
        self.proxies = [Proxy(url=u, id=proxy_id(u)) for u in urls]
        self._max_failures = max_failures
        self._bench_seconds = bench_seconds
        self._clock = clock
        self._next = 0
        self._lock = threading.Lock()

    def __bool__(self) -> bool:
        return bool(self.proxies)

    def choose(self) -> Proxy | None:
        with self._lock:
            now = self._clock()
            for _ in range(len(self.proxies)):
                proxy = self.proxies[self._next % len(self.proxies)]
                self._next += 1
                if proxy.benched_until <= now:
                    proxy.uses += 1
                    return proxy
            return None

    def report_success(self, proxy: Proxy) -> None:
        with self._lock:
            proxy.failures = 0

    def report_failure(self, proxy: Proxy) -> None:
        with self._lock:
            proxy.failures += 1
            if proxy.failures >= self._max_failures:
                proxy.benched_until = self._clock() + self._bench_seconds
                proxy.failures = 0

    def healthy(self) -> list[str]:
        now = self._clock()
        return [p.id for p in self.proxies if p.benched_until <= now]
