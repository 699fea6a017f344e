import { describe, expect, it } from "vitest";
import { describeConditions, draftToBody, EMPTY_RULE, ruleToDraft } from "./rules";

describe("routing rule form", () => {
  it("turns the form into the API body, leaving out empty conditions", () => {
    const { body, errors } = draftToBody({
      ...EMPTY_RULE,
      name: "  Texas big balances ",
      position: "10",
      team_id: "2",
      states: "tx, ok ,",
      balance_bands: ["20k_50k"],
    });
    expect(errors).toEqual({});
    expect(body).toEqual({
      name: "Texas big balances",
      position: 10,
      active: true,
      team_id: 2,
      user_id: null,
      conditions: { states: ["TX", "OK"], balance_bands: ["20k_50k"] },
    });
  });

  it("explains each wrong field", () => {
    const { body, errors } = draftToBody({ ...EMPTY_RULE, position: "-1", states: "Texas" });
    expect(body).toBeNull();
    expect(errors).toEqual({
      name: "Give the rule a name.",
      position: "A whole number from 0 to 100000.",
      team_id: "Choose the team that gets matching signals.",
      states: '"TEXAS" is not a two-letter state code.',
    });
  });

  it("edits an existing rule and describes what it matches", () => {
    const rule = { id: 4, name: "r", position: 5, active: false, team_id: 1, user_id: 3, conditions: { signal_types: ["promotion"], min_priority: "high" } };
    expect(ruleToDraft(rule)).toMatchObject({ position: "5", active: false, team_id: "1", user_id: "3", signal_types: ["promotion"], min_priority: "high", states: "" });
    expect(describeConditions(rule, (t) => t.toUpperCase())).toBe("types PROMOTION; priority high or higher");
    expect(describeConditions({ ...rule, conditions: {} }, (t) => t)).toBe("Every signal");
  });
});
