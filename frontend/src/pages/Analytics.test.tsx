import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AuthProvider } from "../auth/AuthContext";
import { tokens } from "../auth/tokens";
import { json, stubFetch } from "../test/fetchStub";
import { renderWithProviders } from "../test/render";
import AnalyticsPage from "./Analytics";

beforeEach(() => {
  // recharts' ResponsiveContainer measures its box; jsdom has no layout.
  vi.stubGlobal(
    "ResizeObserver",
    class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
});

afterEach(() => {
  vi.unstubAllGlobals();
  tokens.clear();
});

const overview = (q: URLSearchParams) => ({
  since: q.get("since"),
  until: q.get("until"),
  bucket: q.get("bucket"),
  team_id: null,
  generated_at: "2026-03-31T10:00:00Z",
  cached: false,
  signals: [
    { bucket: q.get("until"), signal_type: "promotion", count: 2 },
    { bucket: q.get("until"), signal_type: "license", count: 1 },
  ],
  conversion: [{ signal_type: "promotion", signals: 2, leads: 2, contacted: 1, payment_plan: 1, payment_received: 0, plan_rate: 0.5, payment_rate: 0 }],
  response_times: [
    { team_id: 1, team_name: "East", user_id: null, user_email: null, signals: 3, acknowledged: 2, median_ack_minutes: 30, p90_ack_minutes: 120, contacted: 1, median_contact_minutes: 200 },
    { team_id: 1, team_name: "East", user_id: 3, user_email: "agent@x", signals: 3, acknowledged: 2, median_ack_minutes: 30, p90_ack_minutes: 120, contacted: 1, median_contact_minutes: 200 },
  ],
  outcomes: [{ outcome: "payment_received", count: 1, amount: "150.00" }],
});

const segment = (signal_type: string, significant: boolean) => ({
  signal_type,
  treatment: { leads: 200 },
  control: { leads: 50 },
  payment_plan: {
    treatment_rate: 0.12,
    control_rate: 0.08,
    absolute_uplift: 0.04,
    absolute_ci: [-0.01, 0.09],
    relative_uplift: 0.5,
    relative_ci: [-0.1, 1.4],
    p_value: 0.21,
    significant,
    mde_relative: 0.6,
    additional_treatment_needed: significant ? null : 400,
    additional_control_needed: significant ? null : 100,
  },
  first_payment: {},
});

describe("AnalyticsPage", () => {
  it("reads the period from the URL, shows every dataset, and downloads CSV with the token", async () => {
    tokens.set({ access_token: "tok", refresh_token: "r" });
    const user = userEvent.setup();
    const created: string[] = [];
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: () => "blob:x", revokeObjectURL: () => undefined }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      created.push(this.download);
    });
    const calls = stubFetch({
      "GET /api/v1/me": () => json({ id: 2, kind: "user", name: "m", role: "manager", team_ids: [1], managed_team_ids: [1], scopes: [] }),
      "GET /api/v1/teams": () => json({ items: [{ id: 1, name: "East", manager_user_id: 2, member_ids: [3] }], next_cursor: null }),
      "GET /api/v1/analytics/overview": (c) => json(overview(new URL(c.url, "http://x").searchParams)),
      "GET /api/v1/analytics/export.csv": () =>
        new Response("signal_type,count\r\n", { headers: { "Content-Type": "text/csv", "Content-Disposition": 'attachment; filename="analytics-signals.csv"' } }),
      "GET /api/v1/reports/uplift": () =>
        json({ experiment: "holdout", generated_at: "2026-03-31T10:00:00Z", since: null, window_days: 60, alpha: 0.05, power: 0.8, target_relative_uplift: 0.2, overall: segment("all", false), by_signal_type: [segment("promotion", true)], notes: [] }),
    });
    renderWithProviders(
      <AuthProvider>
        <AnalyticsPage />
      </AuthProvider>,
      { route: "/analytics?since=2026-03-01&until=2026-03-31&bucket=week" },
    );
    const totals = await screen.findByRole("table", { name: "Signals by type" });
    expect(within(totals).getAllByRole("row").slice(1).map((r) => r.textContent)).toEqual(["Promotion2", "Licence1"]);
    const overviewCall = calls.find((c) => c.url.startsWith("/api/v1/analytics/overview"))!;
    expect(new URL(overviewCall.url, "http://x").search).toBe("?since=2026-03-01&until=2026-03-31&bucket=week");
    expect(screen.getByLabelText("Period")).toHaveValue("custom");
    expect(screen.getByLabelText("From")).toHaveValue("2026-03-01");
    expect(screen.getByRole("table", { name: "Conversion by signal type" })).toHaveTextContent("50.0%");
    const times = screen.getByRole("table", { name: "Response times by team and agent" });
    expect(within(times).getByRole("rowheader", { name: "East (team)" })).toBeInTheDocument();
    expect(within(times).getByRole("rowheader", { name: "agent@x" })).toBeInTheDocument();
    expect(times).toHaveTextContent("2.0 h");
    expect(screen.getByRole("table", { name: "Outcomes recorded in this period" })).toHaveTextContent("Payment received1$150.00");
    const uplift = await screen.findByRole("table", { name: "Treatment against control by signal type" });
    expect(uplift).toHaveTextContent("Not yet significant: 400 more leads per group needed.");
    expect(uplift).toHaveTextContent("+50.0%");
    expect(uplift).toHaveTextContent("−10.0% to +140.0%");
    expect(uplift).toHaveTextContent("Significant at the 95% level.");

    await user.click(screen.getByRole("button", { name: "Signals (CSV)" }));
    await waitFor(() => expect(created).toEqual(["analytics-signals.csv"]));
    const csv = calls.find((c) => c.url.startsWith("/api/v1/analytics/export.csv"))!;
    expect(csv.headers.Authorization).toBe("Bearer tok");
    expect(new URL(csv.url, "http://x").searchParams.get("dataset")).toBe("signals");
    click.mockRestore();
  });

  it("keeps a preset in the URL when one is chosen", async () => {
    tokens.set({ access_token: "tok", refresh_token: "r" });
    const user = userEvent.setup();
    const calls = stubFetch({
      "GET /api/v1/me": () => json({ id: 2, kind: "user", name: "m", role: "admin", team_ids: [], managed_team_ids: [], scopes: [] }),
      "GET /api/v1/teams": () => json({ items: [], next_cursor: null }),
      "GET /api/v1/analytics/overview": (c) => json(overview(new URL(c.url, "http://x").searchParams)),
    });
    renderWithProviders(
      <AuthProvider>
        <AnalyticsPage />
      </AuthProvider>,
      { route: "/analytics" },
    );
    await screen.findByRole("table", { name: "Signals by type" });
    await user.selectOptions(screen.getByLabelText("Period"), "7d");
    const overviews = () => calls.filter((c) => c.url.startsWith("/api/v1/analytics/overview"));
    await waitFor(() => expect(overviews()).toHaveLength(2));
    const last = new URL(overviews()[1]!.url, "http://x").searchParams;
    expect((Date.parse(last.get("until")!) - Date.parse(last.get("since")!)) / 86_400_000).toBe(6);
  });
});
