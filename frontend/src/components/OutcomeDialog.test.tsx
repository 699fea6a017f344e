import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { json, stubFetch } from "../test/fetchStub";
import { renderWithProviders } from "../test/render";
import { OutcomeDialog } from "./OutcomeDialog";

afterEach(() => vi.unstubAllGlobals());

const stored = { id: 5, external_id: "k", lead_id: 7, outcome: "payment_received", occurred_at: "2026-03-02T10:00:00Z", agent_external_id: "user:3", signal_id: 41, amount: "150.00", created: true };

describe("OutcomeDialog", () => {
  it("shows the amount only for a payment, validates it, and sends one idempotency key per opening", async () => {
    const user = userEvent.setup();
    let fail = true;
    const calls = stubFetch({
      "POST /api/v1/signals/41/outcomes": () =>
        fail ? json({ error: { code: "unavailable", message: "Database busy", details: null } }, 503) : json(stored, 201),
    });
    const onClose = vi.fn();
    const onRecorded = vi.fn();
    renderWithProviders(<OutcomeDialog signalId={41} leadName="Jordan Avery" onClose={onClose} onRecorded={onRecorded} />);

    const dialog = screen.getByRole("dialog", { name: "Record outcome" });
    expect(dialog).toHaveAccessibleDescription("What came of contacting Jordan Avery?");
    expect(screen.getByLabelText("Outcome")).toHaveFocus();
    await user.click(screen.getByRole("button", { name: "Save outcome" }));
    expect(screen.getByText("Choose what happened.")).toBeInTheDocument();
    expect(calls).toHaveLength(0);

    expect(screen.queryByLabelText("Amount received (USD)")).toBeNull();
    await user.selectOptions(screen.getByLabelText("Outcome"), "payment_received");
    await user.click(screen.getByRole("button", { name: "Save outcome" }));
    expect(screen.getByLabelText("Amount received (USD)")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByText("Enter the amount received.")).toBeInTheDocument();

    await user.type(screen.getByLabelText("Amount received (USD)"), "150");
    await user.type(screen.getByLabelText(/Note/), "first instalment");
    await user.click(screen.getByRole("button", { name: "Save outcome" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not record the outcome: Database busy");
    expect(onClose).not.toHaveBeenCalled();

    fail = false;
    await user.click(screen.getByRole("button", { name: "Save outcome" }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(onRecorded).toHaveBeenCalledWith(stored);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body).toEqual({ outcome: "payment_received", amount: "150", occurred_at: null, notes: "first instalment" });
    const key = calls[0]!.headers["Idempotency-Key"];
    expect(key).toMatch(/^[A-Za-z0-9_.:-]{8,}$/);
    expect(calls[1]!.headers["Idempotency-Key"]).toBe(key); // the retry is the same attempt
  });

  it("closes on Escape", async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    renderWithProviders(<OutcomeDialog signalId={41} leadName="Jordan Avery" onClose={onClose} onRecorded={vi.fn()} />);
    await user.keyboard("{Escape}");
    expect(onClose).toHaveBeenCalled();
  });
});
