import { describe, expect, it } from "vitest";
import { createSseParser, type SseMessage } from "./sse";

describe("createSseParser", () => {
  it("parses events split across arbitrary chunks", () => {
    const got: SseMessage[] = [];
    const feed = createSseParser((m) => got.push(m));
    const text = 'event: signal\nid: 7\ndata: {"id":7}\n\n: keep-alive\n\ndata: line one\ndata: line two\n\n';
    for (const ch of text) feed(ch);
    expect(got).toEqual([
      { event: "signal", data: '{"id":7}', id: "7" },
      { event: "message", data: "line one\nline two", id: "7" },
    ]);
  });

  it("handles CRLF line endings and waits for the blank line", () => {
    const got: SseMessage[] = [];
    const feed = createSseParser((m) => got.push(m));
    feed("data: a\r\n");
    expect(got).toHaveLength(0);
    feed("\r\n");
    expect(got).toEqual([{ event: "message", data: "a", id: null }]);
  });

  it("reports the last event id at each boundary, even without data, and the server's retry time", () => {
    const ids: string[] = [];
    const retries: number[] = [];
    const got: SseMessage[] = [];
    const feed = createSseParser((m) => got.push(m), { onLastEventId: (id) => ids.push(id), onRetry: (ms) => retries.push(ms) });
    feed("retry: 2000\nid: 40\n: connected\n\n");
    expect(got).toHaveLength(0);
    expect(ids).toEqual(["40"]);
    feed("retry: soon\nid: 41\nevent: alert.raised.v1\ndata: {}\n\n");
    expect(retries).toEqual([2000]); // a value that is not all digits is ignored
    expect(ids).toEqual(["40", "41"]);
    expect(got).toEqual([{ event: "alert.raised.v1", data: "{}", id: "41" }]);
  });
});
