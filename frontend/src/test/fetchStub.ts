/** A scripted fetch for tests: each call is answered by the first route whose method and path match. */
import { vi } from "vitest";

export interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

type Handler = (call: Call) => Response | Promise<Response>;

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

export function stubFetch(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const method = (init?.method ?? "GET").toUpperCase();
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const call: Call = { method, url, headers, body: init?.body ? JSON.parse(String(init.body)) : undefined };
    calls.push(call);
    const path = url.split("?")[0];
    const handler = routes[`${method} ${path}`];
    if (!handler) return json({ error: { code: "not_found", message: `no stub for ${method} ${path}`, details: null } }, 404);
    return handler(call);
  });
  vi.stubGlobal("fetch", fn);
  return calls;
}
