import { describe, expect, it } from "vitest";
import { bucketsOf, formatMinutes, groupResponseTimes, pivotSignals, significanceNote, totalsByType, weekStart, type ResponseRow } from "./analytics";

describe("signals per bucket", () => {
  it("fills every day of the range with zeros and one column per type", () => {
    const { rows, types } = pivotSignals({
      since: "2026-03-01",
      until: "2026-03-04",
      bucket: "day",
      signals: [
        { bucket: "2026-03-02", signal_type: "promotion", count: 2 },
        { bucket: "2026-03-02", signal_type: "new_job", count: 1 },
        { bucket: "2026-03-04", signal_type: "new_job", count: 5 },
      ],
    });
    expect(types).toEqual(["new_job", "promotion"]);
    expect(rows.map((r) => r.bucket)).toEqual(["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"]);
    expect(rows[0]).toEqual({ bucket: "2026-03-01", total: 0, new_job: 0, promotion: 0 });
    expect(rows[1]).toEqual({ bucket: "2026-03-02", total: 3, new_job: 1, promotion: 2 });
    expect(rows[3]).toMatchObject({ total: 5, new_job: 5, promotion: 0 });
  });

  it("buckets by ISO week starting on Monday", () => {
    expect(weekStart("2026-03-01")).toBe("2026-02-23"); // a Sunday belongs to the week before
    expect(weekStart("2026-03-02")).toBe("2026-03-02");
    expect(bucketsOf("2026-03-01", "2026-03-16", "week")).toEqual(["2026-02-23", "2026-03-02", "2026-03-09", "2026-03-16"]);
    const { rows } = pivotSignals({
      since: "2026-03-01",
      until: "2026-03-10",
      bucket: "week",
      signals: [{ bucket: "2026-03-02", signal_type: "award", count: 4 }],
    });
    expect(rows.map((r) => [r.bucket, r.total])).toEqual([
      ["2026-02-23", 0],
      ["2026-03-02", 4],
      ["2026-03-09", 0],
    ]);
  });

  it("totals by type, largest first", () => {
    expect(
      totalsByType([
        { bucket: "2026-03-01", signal_type: "award", count: 1 },
        { bucket: "2026-03-01", signal_type: "license", count: 1 },
        { bucket: "2026-03-02", signal_type: "license", count: 2 },
      ]),
    ).toEqual([
      { type: "license", count: 3 },
      { type: "award", count: 1 },
    ]);
  });
});

describe("response times", () => {
  const row = (team_id: number | null, team_name: string | null, user_id: number | null, median: number | null): ResponseRow => ({
    team_id,
    team_name,
    user_id,
    user_email: user_id ? `u${user_id}@x` : null,
    signals: 1,
    acknowledged: 1,
    median_ack_minutes: median,
    p90_ack_minutes: null,
    contacted: 0,
    median_contact_minutes: null,
  });

  it("groups agents under their team's total row, slowest first, teams by name", () => {
    const groups = groupResponseTimes([row(2, "West", 7, 5), row(1, "East", 3, 10), row(1, "East", null, 12), row(1, "East", 4, 30)]);
    expect(groups.map((g) => g.teamName)).toEqual(["East", "West"]);
    expect(groups[0]!.team?.median_ack_minutes).toBe(12);
    expect(groups[0]!.agents.map((a) => a.user_id)).toEqual([4, 3]);
    expect(groups[1]!.team).toBeNull();
  });

  it("formats minutes in the unit a manager reads", () => {
    expect([formatMinutes(null), formatMinutes(42.4), formatMinutes(90), formatMinutes(3 * 1440)]).toEqual(["—", "42 min", "1.5 h", "3.0 d"]);
  });
});

describe("uplift significance", () => {
  const base = { significant: false, p_value: 0.2, additional_treatment_needed: 120, additional_control_needed: 340 };
  it("says how many more leads per group are needed", () => {
    expect(significanceNote(base)).toBe("Not yet significant: 340 more leads per group needed.");
    expect(significanceNote({ ...base, significant: true })).toBe("Significant at the 95% level.");
    expect(significanceNote({ ...base, p_value: null, additional_treatment_needed: null, additional_control_needed: null })).toBe("Not enough data yet.");
  });
});
