import { describe, expect, it } from "vitest";
import { signalsPerDay, totalsByType } from "./aggregate";

const at = (day: string, hour = 12) => new Date(`${day}T${String(hour).padStart(2, "0")}:00:00`).toISOString();

describe("signalsPerDay", () => {
  it("fills every day of the range and counts by type", () => {
    const { rows, types } = signalsPerDay(
      [
        { signal_type: "promotion", detected_at: at("2026-03-02", 9) },
        { signal_type: "new_job", detected_at: at("2026-03-02", 23) },
        { signal_type: "new_job", detected_at: at("2026-03-04") },
        { signal_type: "new_job", detected_at: at("2026-02-20") }, // outside the range
      ],
      "2026-03-01",
      "2026-03-04",
    );
    expect(types).toEqual(["new_job", "promotion"]);
    expect(rows.map((r) => r.day)).toEqual(["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"]);
    expect(rows[1]).toEqual({ day: "2026-03-02", total: 2, new_job: 1, promotion: 1 });
    expect(rows[3]).toMatchObject({ total: 1, new_job: 1, promotion: 0 });
    expect(rows[0]).toMatchObject({ total: 0 });
  });

  it("totals by type, largest first", () => {
    expect(
      totalsByType([
        { signal_type: "award", detected_at: at("2026-03-01") },
        { signal_type: "license", detected_at: at("2026-03-01") },
        { signal_type: "license", detected_at: at("2026-03-02") },
      ]),
    ).toEqual([
      { type: "license", count: 2 },
      { type: "award", count: 1 },
    ]);
  });
});
