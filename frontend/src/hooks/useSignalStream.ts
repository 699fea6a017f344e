/**
 * Live updates for the feed over `GET /api/v1/signals/stream` (Server-Sent Events).
 *
 * The server ends each stream after a while (`sse_max_seconds`) and says how soon to come back
 * (`retry:`); the hook then reconnects at once with `Last-Event-ID`, so the server resumes after the
 * last event this page saw and nothing is missed. Errors (network, 5xx, a dropped stream) are retried
 * with exponential backoff; after a few in a row the feed polls every 15 s while the hook keeps
 * probing. A deployment without the endpoint (404, or a 200 that is not an event stream) goes
 * straight to polling and is probed again every minute.
 *
 * fetch() is used rather than EventSource because EventSource cannot send the Authorization
 * header, and putting the bearer token in the URL would leak it into access logs.
 */
import { useEffect, useRef, useState } from "react";
import { API_BASE } from "../api/client";
import { tokens } from "../auth/tokens";
import { createSseParser, type SseMessage } from "../lib/sse";

export type LiveMode = "connecting" | "live" | "polling";

export const POLL_INTERVAL_MS = 15_000;
export const PROBE_INTERVAL_MS = 60_000;
/** How soon to reconnect until the server sends its own `retry:`. */
export const DEFAULT_RETRY_MS = 2_000;
export const MAX_BACKOFF_MS = 60_000;
/** Consecutive failed attempts before the feed falls back to polling. */
export const FAILURES_BEFORE_POLLING = 3;

async function openStream(signal: AbortSignal, lastEventId: string | null): Promise<Response> {
  const open = () =>
    fetch(`${API_BASE}/signals/stream`, {
      headers: {
        Accept: "text/event-stream",
        ...(tokens.access() ? { Authorization: `Bearer ${tokens.access()}` } : {}),
        ...(lastEventId !== null ? { "Last-Event-ID": lastEventId } : {}),
      },
      signal,
    });
  await tokens.ensureFresh();
  let res = await open();
  if (res.status === 401 && (await tokens.refresh())) res = await open();
  return res;
}

export function isEventStream(res: Response): boolean {
  return res.status === 200 && (res.headers.get("content-type") ?? "").startsWith("text/event-stream") && !!res.body;
}

/** The wait before attempt `failures + 1`: doubling from the reconnection time, capped, with up to 25 % jitter. */
export function backoffMs(retryMs: number, failures: number): number {
  const base = Math.min(retryMs * 2 ** Math.max(failures - 1, 0), MAX_BACKOFF_MS);
  return Math.round(base * (1 + Math.random() * 0.25));
}

export function useSignalStream(onMessage: (msg: SseMessage) => void, enabled = true): LiveMode {
  const [mode, setMode] = useState<LiveMode>("connecting");
  const handler = useRef(onMessage);
  handler.current = onMessage;

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let lastEventId: string | null = null;
    let retryMs = DEFAULT_RETRY_MS;
    let failures = 0;

    const schedule = (delay: number) => {
      if (!stopped) timer = setTimeout(() => void connect(), delay);
    };
    const failed = () => {
      if (stopped) return;
      failures += 1;
      setMode(failures >= FAILURES_BEFORE_POLLING ? "polling" : "connecting");
      schedule(backoffMs(retryMs, failures));
    };
    const unavailable = () => {
      if (stopped) return;
      failures = Math.max(failures + 1, FAILURES_BEFORE_POLLING);
      setMode("polling");
      schedule(PROBE_INTERVAL_MS);
    };

    async function connect(): Promise<void> {
      try {
        const res = await openStream(controller.signal, lastEventId);
        if (!isEventStream(res)) {
          await res.body?.cancel().catch(() => undefined);
          // Asking again soon will not change a 4xx or a page that is not a stream; a 5xx or 429 might.
          if (res.status >= 500 || res.status === 429) failed();
          else unavailable();
          return;
        }
        setMode("live");
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        let received = false;
        const feed = createSseParser((msg) => handler.current(msg), {
          onLastEventId: (id) => void (lastEventId = id),
          onRetry: (ms) => void (retryMs = Math.min(Math.max(ms, 500), MAX_BACKOFF_MS)),
        });
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          if (!received) failures = 0; // the server answers at once, so a stream that sends nothing is a failure
          received = true;
          feed(value);
        }
        if (!received) return failed();
        // The server closed the stream as it does every few minutes: come back as it asked, and resume.
        schedule(retryMs);
      } catch {
        failed();
      }
    }

    void connect();
    return () => {
      stopped = true;
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [enabled]);

  return mode;
}
