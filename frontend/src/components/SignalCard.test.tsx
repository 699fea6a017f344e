import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Signal } from "../api/types";
import { json, stubFetch } from "../test/fetchStub";
import { renderWithProviders } from "../test/render";
import { alertFields } from "../test/signalDefaults";
import { SignalCard } from "./SignalCard";

const base: Signal = {
  id: 41,
  lead_id: 7,
  lead_name: "Jordan Avery",
  signal_type: "promotion",
  category: "positive",
  status: "new",
  confidence: 0.91,
  match_confidence: 0.97,
  event_date: "2026-03-01",
  detected_at: "2026-03-02T10:00:00Z",
  org: "Acme Health",
  title: "Head Nurse",
  credential: null,
  summary: "Promoted to Head Nurse at Acme Health",
  evidence_count: 2,
  ...alertFields,
};

afterEach(() => vi.unstubAllGlobals());

describe("SignalCard", () => {
  it("shows who, what, confidence and links to the lead", () => {
    renderWithProviders(<SignalCard signal={base} />);
    expect(screen.getByRole("link", { name: "Jordan Avery" })).toHaveAttribute("href", "/leads/7");
    expect(screen.getByText("Promoted to Head Nurse at Acme Health")).toBeInTheDocument();
    expect(screen.getByText("Promotion")).toBeInTheDocument();
    expect(screen.getByText("91%")).toBeInTheDocument();
    expect(screen.getByText("Assignee")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /why this priority/i })).toBeInTheDocument();
  });

  it("explains the priority on demand", async () => {
    const user = userEvent.setup();
    renderWithProviders(
      <SignalCard
        signal={{ ...base, priority: "high", priority_score: 82.5, score_breakdown: { type_weight: 1, freshness: 0.75, score: 82.5 }, assignee_user_id: null }}
      />,
    );
    expect(screen.getByText("High priority · 83")).toBeInTheDocument();
    expect(screen.getByText("Unassigned")).toBeInTheDocument();
    const toggle = screen.getByRole("button", { name: "Why this priority?" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    await user.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    expect(screen.getByText("Signal type weight")).toBeInTheDocument();
    expect(screen.getByText("0.75")).toBeInTheDocument();
  });

  it("loads the evidence when asked and only links http(s) sources", async () => {
    const user = userEvent.setup();
    stubFetch({
      "GET /api/v1/signals/41": () =>
        json({
          ...base,
          team_id: 1,
          evidence: [
            { id: 1, kind: "post", source_url: "https://www.linkedin.com/posts/x", snippet: "Thrilled to share my promotion", signal_type: "promotion", confidence: 0.9, observed_at: "2026-03-02T09:00:00Z" },
            { id: 2, kind: "profile_diff", source_url: "javascript:alert(1)", snippet: "Title changed to Head Nurse", signal_type: "promotion", confidence: 0.95, observed_at: "2026-03-02T09:30:00Z" },
          ],
        }),
    });
    renderWithProviders(<SignalCard signal={base} />);
    await user.click(screen.getByRole("button", { name: "Show evidence (2)" }));
    expect(await screen.findByText("Thrilled to share my promotion")).toBeInTheDocument();
    expect(screen.getByText("Title changed to Head Nurse")).toBeInTheDocument();
    const links = screen.getAllByRole("link", { name: /view source/i });
    expect(links).toHaveLength(1);
    expect(links[0]).toHaveAttribute("href", "https://www.linkedin.com/posts/x");
  });

  it("calls the actions with the signal id and hides Acknowledge once acknowledged", async () => {
    const user = userEvent.setup();
    const onAcknowledge = vi.fn();
    const onFeedback = vi.fn();
    const { rerender } = renderWithProviders(<SignalCard signal={base} actions={{ onAcknowledge, onFeedback }} />);
    await user.click(screen.getByRole("button", { name: "Acknowledge" }));
    await user.click(screen.getByRole("button", { name: "Reject" }));
    expect(onAcknowledge).toHaveBeenCalledWith(41);
    expect(onFeedback).toHaveBeenCalledWith(41, "reject");
    rerender(<SignalCard signal={{ ...base, status: "acknowledged" }} actions={{ onAcknowledge, onFeedback }} />);
    await waitFor(() => expect(screen.queryByRole("button", { name: "Acknowledge" })).toBeNull());
  });

  it("offers the work actions only to someone acting, and names their own assignment", () => {
    const actions = { onAcknowledge: vi.fn(), onFeedback: vi.fn() };
    const { rerender } = renderWithProviders(<SignalCard signal={{ ...base, assignee_user_id: 3 }} actions={actions} />);
    expect(screen.queryByRole("button", { name: "Record outcome…" })).toBeNull();
    expect(screen.getByText("User #3")).toBeInTheDocument();
    rerender(<SignalCard signal={{ ...base, assignee_user_id: 3 }} actions={{ ...actions, me: { id: 3, role: "agent" } }} />);
    expect(screen.getByText("You")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Record outcome…" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Mark contacted" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Take it" })).toBeNull(); // already theirs
  });
});
