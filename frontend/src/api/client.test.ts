import { afterEach, describe, expect, it, vi } from "vitest";
import { tokens } from "../auth/tokens";
import { json, stubFetch } from "../test/fetchStub";
import { ApiError, buildUrl, request } from "./client";

afterEach(() => {
  tokens.clear();
  vi.unstubAllGlobals();
});

describe("request", () => {
  it("builds query strings without empty values", () => {
    expect(buildUrl("/signals", { a: "1", b: "", c: undefined, d: null, e: 0, f: ["x", "y"] })).toBe(
      "/api/v1/signals?a=1&e=0&f=x&f=y",
    );
  });

  it("turns the error envelope into an ApiError", async () => {
    stubFetch({
      "GET /api/v1/leads/9": () => json({ error: { code: "not_found", message: "lead 9 not found", details: null } }, 404),
    });
    const err = await request("/leads/9").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, code: "not_found", message: "lead 9 not found" });
    expect((err as ApiError).isNotFound).toBe(true);
  });

  it("refreshes an expired access token once for concurrent calls, then retries", async () => {
    tokens.set({ access_token: "old", refresh_token: "r1" });
    let refreshes = 0;
    const calls = stubFetch({
      "GET /api/v1/me": (c) =>
        c.headers.Authorization === "Bearer new" ? json({ id: 1 }) : json({ error: { code: "unauthenticated", message: "expired" } }, 401),
      "POST /api/v1/auth/refresh": (c) => {
        refreshes += 1;
        expect(c.body).toEqual({ refresh_token: "r1" });
        return json({ access_token: "new", refresh_token: "r2", token_type: "Bearer", expires_in: 900 });
      },
    });
    const [a, b] = await Promise.all([request<{ id: number }>("/me"), request<{ id: number }>("/me")]);
    expect(a.id).toBe(1);
    expect(b.id).toBe(1);
    expect(refreshes).toBe(1);
    expect(tokens.refreshToken()).toBe("r2");
    expect(calls.filter((c) => c.url === "/api/v1/me")).toHaveLength(4);
  });

  it("signals a lost session when the refresh is refused", async () => {
    tokens.set({ access_token: "old", refresh_token: "r1" });
    stubFetch({
      "GET /api/v1/me": () => json({ error: { code: "unauthenticated", message: "expired" } }, 401),
      "POST /api/v1/auth/refresh": () => json({ error: { code: "invalid_token", message: "revoked" } }, 401),
    });
    const lost = vi.fn();
    const off = tokens.onLost(lost);
    await expect(request("/me")).rejects.toMatchObject({ status: 401 });
    off();
    expect(lost).toHaveBeenCalledOnce();
    expect(tokens.hasSession()).toBe(false);
  });

  it("refreshes first when the stored access token has expired or is missing, and shares that refresh", async () => {
    const jwt = (exp: number) => `h.${btoa(JSON.stringify({ exp })).replace(/=+$/, "")}.s`;
    for (const stale of [jwt(Math.floor(Date.now() / 1000) - 5), jwt(Math.floor(Date.now() / 1000) + 10), null]) {
      vi.unstubAllGlobals();
      tokens.clear();
      if (stale) tokens.set({ access_token: stale, refresh_token: "r1" });
      else sessionStorage.setItem("leadsignal.refresh", "r1");
      const calls = stubFetch({
        "GET /api/v1/me": (c) => (c.headers.Authorization === "Bearer new" ? json({ id: 1 }) : json({ error: { code: "x", message: "expired" } }, 401)),
        "GET /api/v1/signals": (c) => (c.headers.Authorization === "Bearer new" ? json({ items: [] }) : json({ error: { code: "x", message: "expired" } }, 401)),
        "POST /api/v1/auth/refresh": () => json({ access_token: "new", refresh_token: "r2", token_type: "Bearer", expires_in: 900 }),
      });
      await Promise.all([request("/me"), request("/signals")]);
      expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(["POST /api/v1/auth/refresh", "GET /api/v1/me", "GET /api/v1/signals"]);
    }
  });

  it("sends a live access token without refreshing", async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const live = `h.${btoa(JSON.stringify({ exp })).replace(/=+$/, "")}.s`;
    tokens.set({ access_token: live, refresh_token: "r1" });
    const calls = stubFetch({ "GET /api/v1/me": () => json({ id: 1 }) });
    await request("/me");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers.Authorization).toBe(`Bearer ${live}`);
  });
});
