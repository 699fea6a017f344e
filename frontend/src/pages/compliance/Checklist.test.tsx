import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { json, stubFetch } from "../../test/fetchStub";
import { renderWithProviders } from "../../test/render";
import { ComplianceChecklist } from "./Checklist";

afterEach(() => vi.unstubAllGlobals());

const report = (passed: boolean) => ({
  passed,
  checked_at: "2026-03-02T10:00:00Z",
  items: [
    { name: "audit_append_only", title: "Audit log is append-only", passed: true, evidence: "UPDATE on audit_log was refused", details: {} },
    {
      name: "pii_encrypted",
      title: "Sensitive fields are encrypted",
      passed,
      evidence: passed ? "all 3 fields encrypted" : "tax_id stored in clear for 2 leads",
      details: { leads: [4, 9], field: "tax_id" },
    },
  ],
});

describe("ComplianceChecklist", () => {
  it("puts failed checks first, says so in text (not only colour), and shows the evidence on demand", async () => {
    const user = userEvent.setup();
    let passed = false;
    const calls = stubFetch({ "GET /api/v1/compliance/checks": () => json(report(passed)) });
    renderWithProviders(<ComplianceChecklist />);
    const items = await screen.findAllByTestId("compliance-item");
    expect(screen.getByRole("status")).toHaveTextContent(/^1 of 2 checks failed · checked/);
    expect(within(items[0]!).getByRole("heading")).toHaveTextContent("Sensitive fields are encrypted");
    expect(items[0]).toHaveTextContent("Failed");
    expect(items[0]).toHaveTextContent("tax_id stored in clear for 2 leads");
    expect(items[1]).toHaveTextContent("Passed");
    await user.click(within(items[0]!).getByText("Details"));
    expect(within(items[0]!).getByText("[4,9]")).toBeVisible();

    passed = true;
    await user.click(screen.getByRole("button", { name: "Run the checks again" }));
    expect(await screen.findByText(/^All 2 checks passed/)).toBeInTheDocument();
    expect(calls).toHaveLength(2);
  });
});
