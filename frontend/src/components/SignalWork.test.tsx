import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { assigneeOptions } from "../lib/assignees";
import { json, stubFetch } from "../test/fetchStub";
import { renderWithProviders } from "../test/render";
import { SignalWork } from "./SignalWork";

afterEach(() => vi.unstubAllGlobals());

const signal = { id: 41, lead_id: 7, lead_name: "Jordan Avery", team_id: 1, assignee_user_id: null };
const person = (user_id: number, email: string, role: string, is_active = true) => ({ user_id, email, role, is_active });
const manager = person(2, "manager@x", "manager");
const teams = {
  items: [
    {
      id: 1,
      name: "East",
      manager_user_id: 2,
      member_ids: [3, 4, 9],
      members: [person(3, "ann@x", "agent"), person(4, "bo@x", "agent", false), person(9, "compliance@x", "compliance")],
      manager,
    },
    { id: 2, name: "West", manager_user_id: null, member_ids: [5], members: [person(5, "cy@x", "agent")], manager: null },
  ],
  next_cursor: null,
};

describe("assigneeOptions", () => {
  it("offers the team's active agents and managers by e-mail, you first", () => {
    expect(assigneeOptions(teams.items, { id: 2 }, 1)).toEqual([
      { id: 2, label: "You (manager@x)" },
      { id: 3, label: "ann@x" },
    ]);
  });

  it("offers every team when the lead has none, and numbers people a response does not describe", () => {
    expect(assigneeOptions(teams.items, { id: 2 }, null).map((o) => o.label)).toEqual(["You (manager@x)", "ann@x", "cy@x"]);
    const bare = teams.items.map(({ members: _m, manager: _p, ...t }) => t);
    expect(assigneeOptions(bare, { id: 2 }, 1).map((o) => o.label)).toEqual([
      "You",
      "Team member #3",
      "Team member #4",
      "Team member #9",
    ]);
  });
});

describe("SignalWork", () => {
  it("lets a collector take an unassigned signal and mark the lead contacted", async () => {
    const user = userEvent.setup();
    const calls = stubFetch({
      "POST /api/v1/signals/41/assign": () => json({ ...signal, assignee_user_id: 3 }),
      "POST /api/v1/signals/41/outcomes": () => json({ id: 1, outcome: "contacted" }, 201),
    });
    renderWithProviders(<SignalWork signal={signal} me={{ id: 3, role: "agent" }} />);
    expect(screen.queryByRole("button", { name: "Assign…" })).toBeNull();
    await user.click(screen.getByRole("button", { name: "Take it" }));
    expect(await screen.findByText("Assigned to you.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Mark contacted" }));
    expect(await screen.findByText("Marked as contacted.")).toBeInTheDocument();
    expect(calls[0]).toMatchObject({ method: "POST", url: "/api/v1/signals/41/assign", body: { user_id: 3 } });
    expect(calls[1]!.body).toEqual({ outcome: "contacted", amount: null, occurred_at: null, notes: null });
    expect(calls[1]!.headers["Idempotency-Key"]).toBeTruthy();
  });

  it("does not offer a collector someone else's signal", () => {
    renderWithProviders(<SignalWork signal={{ ...signal, assignee_user_id: 4 }} me={{ id: 3, role: "agent" }} />);
    expect(screen.queryByRole("button", { name: "Take it" })).toBeNull();
  });

  it("lets a manager pick a member of the lead's team, and shows the API's refusal", async () => {
    const user = userEvent.setup();
    let refuse = true;
    const calls = stubFetch({
      "GET /api/v1/teams": () => json(teams),
      "POST /api/v1/signals/41/assign": () =>
        refuse
          ? json({ error: { code: "invalid_assignee", message: "user 3 is not an active agent or manager", details: null } }, 422)
          : json({ ...signal, assignee_user_id: 3 }),
    });
    renderWithProviders(<SignalWork signal={signal} me={{ id: 2, role: "manager" }} />);
    await user.click(screen.getByRole("button", { name: "Assign…" }));
    const dialog = screen.getByRole("dialog", { name: "Assign signal" });
    const select = await within(dialog).findByLabelText("Assignee");
    expect(within(select).getAllByRole("option").map((o) => o.textContent)).toEqual([
      "Choose…",
      "You (manager@x)",
      "ann@x",
    ]);
    await user.click(within(dialog).getByRole("button", { name: "Assign" }));
    expect(within(dialog).getByText("Choose who should work this signal.")).toBeInTheDocument();
    await user.selectOptions(select, "3");
    await user.click(within(dialog).getByRole("button", { name: "Assign" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Could not assign: user 3 is not an active agent or manager");
    refuse = false;
    await user.click(within(dialog).getByRole("button", { name: "Assign" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(screen.getByText("Assigned to ann@x.")).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "POST").map((c) => c.body)).toEqual([{ user_id: 3 }, { user_id: 3 }]);
    // Focus returns to the button that opened the dialog.
    expect(screen.getByRole("button", { name: "Assign…" })).toHaveFocus();
  });

  it("records a dispute of the chosen kind", async () => {
    const user = userEvent.setup();
    const calls = stubFetch({ "POST /api/v1/signals/41/disputes": () => json({ id: 1 }, 201) });
    renderWithProviders(<SignalWork signal={signal} me={{ id: 3, role: "agent" }} />);
    await user.click(screen.getByRole("button", { name: "Dispute…" }));
    await user.click(screen.getByRole("button", { name: "Send dispute" }));
    expect(screen.getByRole("alert")).toHaveTextContent("Choose what is wrong with this signal.");
    await user.click(screen.getByRole("radio", { name: /That's not me/ }));
    await user.type(screen.getByLabelText(/Note/), "different middle name");
    await user.click(screen.getByRole("button", { name: "Send dispute" }));
    expect(await screen.findByText("Dispute recorded.")).toBeInTheDocument();
    expect(calls[0]!.body).toEqual({ kind: "not_me", notes: "different middle name" });
  });
});
