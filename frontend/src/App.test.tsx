import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { App } from "./App";
import { AuthProvider } from "./auth/AuthContext";
import { tokens } from "./auth/tokens";
import { json, stubFetch } from "./test/fetchStub";
import { renderWithProviders } from "./test/render";

afterEach(() => {
  vi.unstubAllGlobals();
  tokens.clear();
});

const me = (role: string) => ({ id: 3, kind: "user", name: `${role}@agency.example`, role, team_ids: [1], managed_team_ids: [], scopes: [] });
const pair = { access_token: "a", refresh_token: "r", token_type: "Bearer", expires_in: 900 };
const empty = { items: [], next_cursor: null };

function renderApp(route: string) {
  return renderWithProviders(
    <AuthProvider>
      <App />
    </AuthProvider>,
    { route },
  );
}

describe("App", () => {
  it("sends a signed-out visitor to sign-in and explains a wrong password", async () => {
    const user = userEvent.setup();
    stubFetch({
      "POST /api/v1/auth/login": () => json({ error: { code: "invalid_credentials", message: "bad", details: null } }, 401),
    });
    renderApp("/leads/4");
    await user.click(await screen.findByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Enter your e-mail and password.");
    await user.type(await screen.findByLabelText("E-mail"), "agent@agency.example");
    await user.type(screen.getByLabelText("Password"), "nope");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("do not match an active account");
  });

  it("signs in and shows the navigation the role allows", async () => {
    const user = userEvent.setup();
    const calls = stubFetch({
      "POST /api/v1/auth/login": () => json(pair),
      "GET /api/v1/me": () => json(me("agent")),
      "GET /api/v1/signals": () => json(empty),
      "GET /api/v1/signals/stream": () => json({ error: { code: "not_found", message: "Not Found" } }, 404),
    });
    renderApp("/");
    await user.type(await screen.findByLabelText("E-mail"), "agent@agency.example");
    await user.type(screen.getByLabelText("Password"), "secret-password");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("heading", { name: "Live feed" })).toBeInTheDocument();
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(nav).toHaveTextContent("Live feed");
    expect(nav).not.toHaveTextContent("Admin");
    expect(nav).not.toHaveTextContent("Analytics");
    expect(calls.find((c) => c.url === "/api/v1/auth/login")!.body).toEqual({ email: "agent@agency.example", password: "secret-password" });
    expect(await screen.findByText(/No signals yet/)).toBeInTheDocument();
  });

  it("shows admins the Admin link, and agents a not-allowed screen for admin and for an unreachable lead", async () => {
    tokens.set(pair);
    stubFetch({ "GET /api/v1/me": () => json(me("admin")), "GET /api/v1/users": () => json(empty), "GET /api/v1/teams": () => json(empty) });
    const { unmount } = renderApp("/admin");
    expect(await screen.findByRole("heading", { name: "Administration" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Admin" })).toBeInTheDocument();
    unmount();

    vi.unstubAllGlobals();
    stubFetch({
      "GET /api/v1/me": () => json(me("agent")),
      "GET /api/v1/leads/99": () => json({ error: { code: "not_found", message: "lead 99 not found", details: null } }, 404),
    });
    const second = renderApp("/admin");
    expect(await screen.findByRole("heading", { name: "Not allowed" })).toBeInTheDocument();
    second.unmount();
    renderApp("/leads/99");
    await waitFor(() => expect(screen.getByRole("heading", { name: "Not allowed" })).toBeInTheDocument());
    expect(screen.getByText(/You cannot open this lead: it is not assigned to you or your team/)).toBeInTheDocument();
  });

  it("shows each role the screens the API allows it", async () => {
    tokens.set(pair);
    const navFor = async (role: string) => {
      vi.unstubAllGlobals();
      stubFetch({
        "GET /api/v1/me": () => json(me(role)),
        "GET /api/v1/signals": () => json(empty),
        "GET /api/v1/signals/stream": () => json({ error: { code: "not_found", message: "Not Found" } }, 404),
      });
      const view = renderApp("/");
      const nav = await screen.findByRole("navigation", { name: "Main" });
      const links = within(nav).getAllByRole("link").map((a) => a.textContent);
      view.unmount();
      return links;
    };
    expect(await navFor("agent")).toEqual(["Live feed", "Search"]);
    expect(await navFor("manager")).toEqual(["Live feed", "Search", "Analytics", "Identity review"]);
    expect(await navFor("compliance")).toEqual(["Live feed", "Search", "Analytics", "Identity review", "Compliance"]);
    expect(await navFor("admin")).toEqual(["Live feed", "Search", "Analytics", "Identity review", "Compliance", "Admin"]);
  });

  it("keeps collectors out of the review queue and managers out of compliance", async () => {
    tokens.set(pair);
    stubFetch({ "GET /api/v1/me": () => json(me("agent")) });
    const first = renderApp("/identity");
    expect(await screen.findByText(/access to the identity review queue/)).toBeInTheDocument();
    first.unmount();
    vi.unstubAllGlobals();
    stubFetch({ "GET /api/v1/me": () => json(me("manager")) });
    renderApp("/compliance/audit");
    expect(await screen.findByText(/access to the compliance pages/)).toBeInTheDocument();
  });

  it("starts a returning user's feed alongside /me, refreshing first when only the refresh token is usable", async () => {
    const expired = `h.${btoa(JSON.stringify({ exp: Math.floor(Date.now() / 1000) - 60 })).replace(/=+$/, "")}.s`;
    tokens.set({ access_token: expired, refresh_token: "r" });
    let feedStarted!: () => void;
    const started = new Promise<void>((resolve) => (feedStarted = resolve));
    const calls = stubFetch({
      "POST /api/v1/auth/refresh": () => json(pair),
      // /me answers only once the feed request is under way: if it waited for /me, this would hang.
      "GET /api/v1/me": async () => {
        await started;
        return json(me("manager"));
      },
      "GET /api/v1/signals": () => {
        feedStarted();
        return json(empty);
      },
      "GET /api/v1/signals/stream": () => json({ error: { code: "not_found", message: "Not Found" } }, 404),
    });
    renderApp("/");
    expect(await screen.findByText(/No signals yet/)).toBeInTheDocument();
    const api = calls.filter((c) => !c.url.includes("/stream")).map((c) => `${c.method} ${c.url.split("?")[0]}`);
    expect(api[0]).toBe("POST /api/v1/auth/refresh"); // before anything else: no request earns a 401
    expect(api.slice(1).sort()).toEqual(["GET /api/v1/me", "GET /api/v1/signals"]);
    expect(calls.every((c) => c.url.includes("/auth/refresh") || c.headers.Authorization === "Bearer a")).toBe(true);
  });

  it("fetches the feed alongside /me after signing in, and not when the user is headed elsewhere", async () => {
    const user = userEvent.setup();
    let feedStarted!: () => void;
    const started = new Promise<void>((resolve) => (feedStarted = resolve));
    const calls = stubFetch({
      "POST /api/v1/auth/login": () => json(pair),
      "GET /api/v1/me": async () => {
        await started;
        return json(me("agent"));
      },
      "GET /api/v1/signals": () => {
        feedStarted();
        return json(empty);
      },
      "GET /api/v1/signals/stream": () => json({ error: { code: "not_found", message: "Not Found" } }, 404),
    });
    const first = renderApp("/");
    await user.type(await screen.findByLabelText("E-mail"), "agent@agency.example");
    await user.type(screen.getByLabelText("Password"), "secret-password");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText(/No signals yet/)).toBeInTheDocument();
    expect(calls.filter((c) => c.url.startsWith("/api/v1/signals?"))).toHaveLength(1);
    first.unmount();

    vi.unstubAllGlobals();
    const lead = { error: { code: "not_found", message: "lead 4 not found", details: null } };
    const elsewhere = stubFetch({ "GET /api/v1/me": () => json(me("agent")), "GET /api/v1/leads/4": () => json(lead, 404) });
    renderApp("/leads/4");
    await waitFor(() => expect(screen.getByRole("heading", { name: "Not allowed" })).toBeInTheDocument());
    expect(elsewhere.some((c) => c.url.startsWith("/api/v1/signals"))).toBe(false);
  });
});
