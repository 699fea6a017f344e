import { describe, expect, it } from "vitest";
import { apiQuery, paramsFromRange, rangeFromParams } from "./dateRange";

const today = new Date("2026-03-31T15:00:00Z");
const read = (qs: string) => rangeFromParams(new URLSearchParams(qs), today);

describe("analytics period in the URL", () => {
  it("defaults to the last 30 UTC days, by day, all teams", () => {
    expect(read("")).toEqual({ preset: "30d", since: "2026-03-02", until: "2026-03-31", bucket: "day", teamId: null, problem: null });
    expect(paramsFromRange(read("")).toString()).toBe("");
  });

  it("keeps presets by name so a shared link stays relative", () => {
    const r = read("range=7d&bucket=week&team=3");
    expect(r).toMatchObject({ preset: "7d", since: "2026-03-25", until: "2026-03-31", bucket: "week", teamId: 3 });
    expect(paramsFromRange(r).toString()).toBe("range=7d&bucket=week&team=3");
    expect(apiQuery(r)).toEqual({ since: "2026-03-25", until: "2026-03-31", bucket: "week", team_id: 3 });
  });

  it("round-trips a custom range", () => {
    const r = read("since=2026-01-01&until=2026-01-31");
    expect(r).toMatchObject({ preset: "custom", since: "2026-01-01", until: "2026-01-31", problem: null });
    expect(paramsFromRange(r).toString()).toBe("since=2026-01-01&until=2026-01-31");
  });

  it("falls back to the default and says why when the custom range is unusable", () => {
    expect(read("since=2026-02-10&until=2026-02-01")).toMatchObject({ preset: "30d", problem: "The start date is after the end date." });
    expect(read("since=2024-01-01&until=2026-01-01").problem).toBe("A range may span at most 366 days.");
    expect(read("since=2026-02-30&until=2026-03-01").problem).toBe("Enter both dates.");
    expect(read("since=2026-02-01").problem).toBe("Enter both dates.");
    expect(read("range=forever&team=x&bucket=month")).toMatchObject({ preset: "30d", teamId: null, bucket: "day" });
  });
});
