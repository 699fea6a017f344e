import { describe, expect, it } from "vitest";
import { validateOutcome } from "./outcomes";

describe("validateOutcome", () => {
  it("asks for the outcome first", () => {
    expect(validateOutcome({ outcome: "", amount: "", notes: "" })).toEqual({ body: null, errors: { outcome: "Choose what happened." } });
    expect(validateOutcome({ outcome: "paid_off", amount: "", notes: "" }).errors.outcome).toBe("Choose what happened.");
  });

  it("needs a positive amount with at most two decimals for a payment", () => {
    const pay = (amount: string) => validateOutcome({ outcome: "payment_received", amount, notes: "" });
    expect(pay("").errors.amount).toBe("Enter the amount received.");
    expect(pay("12.345").errors.amount).toMatch(/at most two decimals/);
    expect(pay("abc").errors.amount).toMatch(/such as 150/);
    expect(pay("0").errors.amount).toBe("The amount must be more than zero.");
    expect(pay("$1,250.50").body).toEqual({ outcome: "payment_received", amount: "1250.50", occurred_at: null, notes: null });
  });

  it("sends no amount for other outcomes even if one was typed, and trims the note", () => {
    expect(validateOutcome({ outcome: "promise_to_pay", amount: "40", notes: "  will pay Friday " }).body).toEqual({
      outcome: "promise_to_pay",
      amount: null,
      occurred_at: null,
      notes: "will pay Friday",
    });
  });

  it("refuses a note longer than the API accepts", () => {
    expect(validateOutcome({ outcome: "refused", amount: "", notes: "x".repeat(2001) }).errors.notes).toMatch(/2000 characters \(now 2001\)/);
  });
});
