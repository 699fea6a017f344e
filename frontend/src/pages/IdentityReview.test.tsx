import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AuthProvider } from "../auth/AuthContext";
import { tokens } from "../auth/tokens";
import { json, stubFetch } from "../test/fetchStub";
import { renderWithProviders } from "../test/render";
import { IdentityReviewPage } from "./IdentityReview";

afterEach(() => {
  vi.unstubAllGlobals();
  tokens.clear();
});

const item = (match_id: number, lead_name: string, score: number) => ({
  match_id,
  lead_id: match_id * 10,
  lead_name,
  lead_city: "Austin",
  lead_state: "TX",
  profile_url: `https://www.linkedin.com/in/${lead_name.toLowerCase().replace(" ", "-")}`,
  score,
  decision: "review",
  reasons: ["name matches", "same state"],
  status: "pending_review",
});

function setup(role: string, decide: () => Response | Promise<Response>) {
  tokens.set({ access_token: "a", refresh_token: "r" });
  let queue = [item(1, "Jordan Avery", 0.82), item(2, "Maja Lindqvist", 0.71)];
  const calls = stubFetch({
    "GET /api/v1/me": () => json({ id: 2, kind: "user", name: "m@x", role, team_ids: [1], managed_team_ids: [1], scopes: [] }),
    "GET /api/v1/identity/reviews": () => json(queue),
    "POST /api/v1/identity/reviews/1": async () => {
      const res = await decide();
      if (res.ok) queue = queue.filter((i) => i.match_id !== 1);
      return res;
    },
  });
  renderWithProviders(
    <AuthProvider>
      <IdentityReviewPage />
    </AuthProvider>,
  );
  return calls;
}

describe("IdentityReviewPage", () => {
  it("shows the lead beside the candidate with score and reasons, and confirming removes the item at once", async () => {
    const user = userEvent.setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const calls = setup("manager", async () => {
      await gate;
      return json(item(1, "Jordan Avery", 0.82));
    });
    const first = (await screen.findAllByTestId("review-item"))[0]!;
    expect(within(first).getByRole("region", { name: "Lead" })).toHaveTextContent("Jordan AveryAustin, TX");
    expect(within(first).getByRole("region", { name: "Candidate profile" })).toHaveTextContent("Match score 82%");
    expect(within(first).getByRole("link", { name: /linkedin.com\/in\/jordan-avery/ })).toHaveAttribute("target", "_blank");
    expect(within(first).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["name matches", "same state"]);

    // The item leaves the queue before the server has answered.
    await user.click(within(first).getByRole("button", { name: "Confirm match for Jordan Avery" }));
    await waitFor(() => expect(screen.queryByText("Jordan Avery")).toBeNull());
    expect(screen.getByText("Maja Lindqvist")).toBeInTheDocument();
    release();
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("Confirmed the match for Jordan Avery."));
    expect(screen.queryByText("Jordan Avery")).toBeNull();
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ approve: true });
  });

  it("puts a rejected item back with the reason when the server refuses the decision", async () => {
    const user = userEvent.setup();
    const calls = setup("manager", () =>
      json({ error: { code: "conflict", message: "identity match 1 is not waiting for review (confirmed)", details: null } }, 409),
    );
    await screen.findByText("Jordan Avery");
    await user.click(screen.getByRole("button", { name: "Reject match for Jordan Avery" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The decision was not saved: identity match 1 is not waiting for review");
    expect(screen.getByText("Jordan Avery")).toBeInTheDocument();
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ approve: false });
  });

  it("lets compliance read the queue without deciding", async () => {
    setup("compliance", () => json({}));
    await screen.findByText("Jordan Avery");
    expect(screen.queryByRole("button", { name: /Confirm match/ })).toBeNull();
    expect(screen.getByText(/can read the queue but not decide/)).toBeInTheDocument();
  });
});
