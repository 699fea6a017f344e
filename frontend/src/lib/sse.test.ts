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
});
