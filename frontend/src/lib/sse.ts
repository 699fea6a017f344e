/** A small Server-Sent Events parser (the text/event-stream format) for a fetch() body. */

export interface SseMessage {
  event: string;
  data: string;
  id: string | null;
}

export interface SseFieldHandlers {
  /** The stream's last event id, reported at each event boundary once an `id:` was seen (even on events without data). */
  onLastEventId?: (id: string) => void;
  /** The server's `retry:` reconnection time in milliseconds. */
  onRetry?: (ms: number) => void;
}

/**
 * Returns a function to feed text chunks into; it calls `onMessage` for each complete event.
 * Chunks may split lines or events anywhere, so the unfinished tail is kept between calls.
 */
export function createSseParser(onMessage: (msg: SseMessage) => void, fields: SseFieldHandlers = {}): (chunk: string) => void {
  let buffer = "";
  let event = "";
  let data: string[] = [];
  let id: string | null = null;

  const dispatch = () => {
    if (id !== null) fields.onLastEventId?.(id);
    if (data.length > 0) onMessage({ event: event || "message", data: data.join("\n"), id });
    event = "";
    data = [];
  };

  return (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop() ?? "";
    for (const line of lines) {
      if (line === "") {
        dispatch();
        continue;
      }
      if (line.startsWith(":")) continue; // comment / keep-alive
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
      else if (field === "id" && !value.includes("\0")) id = value;
      else if (field === "retry" && /^\d+$/.test(value)) fields.onRetry?.(Number(value));
    }
  };
}
