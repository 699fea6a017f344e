import { act, renderHook, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { tokens } from "../auth/tokens";
import { json, stubFetch } from "../test/fetchStub";
import { useSignalStream } from "./useSignalStream";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  tokens.clear();
});

function streamResponse(): { res: Response; push: (text: string) => void; close: () => void } {
  let ctrl!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (ctrl = c) });
  const enc = new TextEncoder();
  return {
    res: new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } }),
    push: (text) => ctrl.enqueue(enc.encode(text)),
    close: () => ctrl.close(),
  };
}

describe("useSignalStream", () => {
  it("falls back to polling when the stream endpoint is missing", async () => {
    stubFetch({ "GET /api/v1/signals/stream": () => json({ error: { code: "not_found", message: "Not Found" } }, 404) });
    const { result } = renderHook(() => useSignalStream(() => undefined));
    expect(result.current).toBe("connecting");
    await waitFor(() => expect(result.current).toBe("polling"));
  });

  it("does not treat a 200 that is not an event stream as live", async () => {
    stubFetch({ "GET /api/v1/signals/stream": () => new Response("<html></html>", { status: 200, headers: { "Content-Type": "text/html" } }) });
    const { result } = renderHook(() => useSignalStream(() => undefined));
    await waitFor(() => expect(result.current).toBe("polling"));
  });

  it("goes live on an event stream, sends the token and delivers each event", async () => {
    tokens.set({ access_token: "tok", refresh_token: "r" });
    const stream = streamResponse();
    const calls = stubFetch({ "GET /api/v1/signals/stream": () => stream.res });
    const got: string[] = [];
    const { result } = renderHook(() => useSignalStream((m) => got.push(`${m.event}:${m.data}`)));
    await waitFor(() => expect(result.current).toBe("live"));
    expect(calls[0]!.headers.Authorization).toBe("Bearer tok");
    act(() => stream.push('event: signal\ndata: {"id":5}\n\n'));
    await waitFor(() => expect(got).toEqual(['signal:{"id":5}']));
    act(() => stream.close());
    await waitFor(() => expect(result.current).toBe("polling"));
  });
});
