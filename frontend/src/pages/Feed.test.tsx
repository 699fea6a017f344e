import { act, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FeedSignal } from "../api/types";
import { AuthProvider } from "../auth/AuthContext";
import { tokens } from "../auth/tokens";
import { json, stubFetch } from "../test/fetchStub";
import { renderWithProviders } from "../test/render";
import { alertFields } from "../test/signalDefaults";
import { FeedPage, sortByPriority } from "./Feed";

afterEach(() => {
  vi.unstubAllGlobals();
  tokens.clear();
});

const signal = (id: number, name: string, detected: string, extra: Partial<FeedSignal> = {}): FeedSignal => ({
  id,
  lead_id: id * 10,
  lead_name: name,
  team_id: 1,
  signal_type: "new_job",
  category: "positive",
  status: "new",
  confidence: 0.8,
  match_confidence: 0.99,
  event_date: null,
  detected_at: detected,
  org: "Acme",
  title: "Analyst",
  credential: null,
  summary: "New job: Analyst at Acme",
  evidence_count: 1,
  ...alertFields,
  ...extra,
});

describe("FeedPage", () => {
  it("shows a pushed signal without a reload and announces it", async () => {
    tokens.set({ access_token: "a", refresh_token: "r" });
    let items = [signal(1, "Ann Older", "2026-03-01T10:00:00Z")];
    let push!: (text: string) => void;
    const body = new ReadableStream<Uint8Array>({
      start: (c) => void (push = (t) => c.enqueue(new TextEncoder().encode(t))),
    });
    stubFetch({
      "GET /api/v1/me": () => json({ id: 1, kind: "user", name: "a@x", role: "agent", team_ids: [1], managed_team_ids: [], scopes: [] }),
      "GET /api/v1/signals": () => json({ items, next_cursor: null }),
      "GET /api/v1/signals/stream": () => new Response(body, { headers: { "Content-Type": "text/event-stream" } }),
    });
    renderWithProviders(
      <AuthProvider>
        <FeedPage />
      </AuthProvider>,
    );
    expect(await screen.findByText("Ann Older")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText("Live")).toBeInTheDocument());

    items = [signal(2, "Bo Newer", "2026-03-02T10:00:00Z"), ...items];
    act(() => push('event: signal\ndata: {"id":2}\n\n'));
    expect(await screen.findByText("Bo Newer")).toBeInTheDocument();
    expect(screen.getByText("1 new signal in the feed")).toBeInTheDocument();
    const cards = screen.getAllByTestId("signal-card");
    expect(cards[0]).toHaveTextContent("Bo Newer");
    expect(cards[0]).toHaveClass("ring-2");
    expect(cards[1]).not.toHaveClass("ring-2");
  });

  it("orders by stored priority score, newest first among equals", () => {
    const a = signal(1, "A", "2026-03-01T00:00:00Z", { priority_score: 40 });
    const b = signal(2, "B", "2026-03-03T00:00:00Z", { priority_score: 90 });
    const c = signal(3, "C", "2026-03-02T00:00:00Z", { priority_score: 40 });
    const d = signal(4, "D", "2026-03-04T00:00:00Z", { priority_score: 0 });
    expect(sortByPriority([a, b, c, d]).map((s) => s.lead_name)).toEqual(["B", "C", "A", "D"]);
  });
});
