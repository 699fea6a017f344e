/**
 * Live updates for the feed. The SSE endpoint may not exist on every deployment, so the feed
 * polls every 15 s until `GET /api/v1/signals/stream` answers 200 with text/event-stream, then
 * switches to the stream; when the stream drops it falls back to polling and probes again later.
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

async function openStream(signal: AbortSignal): Promise<Response> {
  const open = () =>
    fetch(`${API_BASE}/signals/stream`, {
      headers: {
        Accept: "text/event-stream",
        ...(tokens.access() ? { Authorization: `Bearer ${tokens.access()}` } : {}),
      },
      signal,
    });
  let res = await open();
  if (res.status === 401 && (await tokens.refresh())) res = await open();
  return res;
}

export function isEventStream(res: Response): boolean {
  return res.status === 200 && (res.headers.get("content-type") ?? "").startsWith("text/event-stream") && !!res.body;
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

    const retryLater = () => {
      if (stopped) return;
      setMode("polling");
      timer = setTimeout(connect, PROBE_INTERVAL_MS);
    };

    async function connect(): Promise<void> {
      try {
        const res = await openStream(controller.signal);
        if (!isEventStream(res)) {
          await res.body?.cancel().catch(() => undefined);
          retryLater();
          return;
        }
        setMode("live");
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        const feed = createSseParser((msg) => handler.current(msg));
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          feed(value);
        }
        retryLater();
      } catch {
        retryLater();
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
