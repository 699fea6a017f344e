import { act, renderHook, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { tokens } from "../auth/tokens";
import { json, stubFetch } from "../test/fetchStub";
import { backoffMs, DEFAULT_RETRY_MS, MAX_BACKOFF_MS, useSignalStream } from "./useSignalStream";

afterEach(() => {
  vi.restoreAllMocks();
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
  });

  it("reconnects when the server ends the stream, as soon as its retry: says, resuming after the last id", async () => {
    vi.useFakeTimers();
    tokens.set({ access_token: "tok", refresh_token: "r" });
    const streams = [streamResponse(), streamResponse()];
    const calls = stubFetch({ "GET /api/v1/signals/stream": () => streams[calls.length - 1]!.res });
    const got: (string | null)[] = [];
    const { result } = renderHook(() => useSignalStream((m) => got.push(m.id)));
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(result.current).toBe("live");
    expect(calls[0]!.headers["Last-Event-ID"]).toBeUndefined();
    await act(async () => {
      streams[0]!.push("retry: 3000\nid: 40\n: connected\n\n");
      streams[0]!.push('id: 41\nevent: alert.raised.v1\ndata: {"lead_id":7}\n\n');
      streams[0]!.close();
      await vi.advanceTimersByTimeAsync(2_999);
    });
    expect(got).toEqual(["41"]);
    expect(calls).toHaveLength(1);
    expect(result.current).toBe("live"); // a normal end is not an outage: the feed does not start polling
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(calls).toHaveLength(2);
    expect(calls[1]!.headers["Last-Event-ID"]).toBe("41");
    expect(calls[1]!.headers.Authorization).toBe("Bearer tok");
    expect(result.current).toBe("live");
  });

  it("resumes from an id sent without data, such as the server's opening frame", async () => {
    vi.useFakeTimers();
    const streams = [streamResponse(), streamResponse()];
    const calls = stubFetch({ "GET /api/v1/signals/stream": () => streams[calls.length - 1]!.res });
    renderHook(() => useSignalStream(() => undefined));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
      streams[0]!.push("id: 17\n: connected\n\n");
      streams[0]!.close();
      await vi.advanceTimersByTimeAsync(DEFAULT_RETRY_MS);
    });
    expect(calls.map((c) => c.headers["Last-Event-ID"])).toEqual([undefined, "17"]);
  });

  it("backs off after errors and polls after repeated failures, then goes live again", async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, "random").mockReturnValue(0);
    let down = true;
    const live = streamResponse();
    const calls = stubFetch({
      "GET /api/v1/signals/stream": () => (down ? Promise.reject(new TypeError("Failed to fetch")) : live.res),
    });
    const { result } = renderHook(() => useSignalStream(() => undefined));
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(calls).toHaveLength(1);
    expect(result.current).toBe("connecting"); // one failure: retry soon, no polling yet
    await act(() => vi.advanceTimersByTimeAsync(DEFAULT_RETRY_MS - 1));
    expect(calls).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(calls).toHaveLength(2);
    await act(() => vi.advanceTimersByTimeAsync(2 * DEFAULT_RETRY_MS - 1)); // the wait doubles
    expect(calls).toHaveLength(2);
    expect(result.current).toBe("connecting");
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(calls).toHaveLength(3);
    expect(result.current).toBe("polling"); // the third failure in a row: the feed polls meanwhile
    down = false;
    await act(() => vi.advanceTimersByTimeAsync(4 * DEFAULT_RETRY_MS));
    expect(calls).toHaveLength(4);
    expect(result.current).toBe("live");
  });

  it("treats a stream that closes without a byte as a failure, not as a normal end", async () => {
    vi.useFakeTimers();
    const calls = stubFetch({
      "GET /api/v1/signals/stream": () => new Response("", { status: 200, headers: { "Content-Type": "text/event-stream" } }),
    });
    const { result } = renderHook(() => useSignalStream(() => undefined));
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(result.current).toBe("connecting");
    await act(() => vi.advanceTimersByTimeAsync(MAX_BACKOFF_MS * 3));
    expect(result.current).toBe("polling");
    expect(calls.length).toBeLessThan(8); // backing off, not hammering the server
  });
});

describe("backoffMs", () => {
  it("doubles from the reconnection time up to a cap, with bounded jitter", () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    expect([1, 2, 3, 4].map((n) => backoffMs(2_000, n))).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(backoffMs(2_000, 20)).toBe(MAX_BACKOFF_MS);
    vi.spyOn(Math, "random").mockReturnValue(0.999);
    expect(backoffMs(2_000, 1)).toBeLessThanOrEqual(2_500);
  });
});
