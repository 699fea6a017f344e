import { describe, expect, it } from "vitest";
import { countActive, filtersFromParams, leadQuery, paramsFromFilters, signalQuery } from "./filters";

describe("filters in the URL", () => {
  it("round-trips through the query string in a stable order", () => {
    const params = paramsFromFilters({ state: "tx", q: "Smith", signal_type: "promotion", since: "2026-01-02" });
    expect(params.toString()).toBe("q=Smith&signal_type=promotion&since=2026-01-02&state=tx");
    expect(filtersFromParams(params)).toEqual({ q: "Smith", signal_type: "promotion", since: "2026-01-02", state: "TX" });
  });

  it("drops empty values and values the API would reject", () => {
    const params = new URLSearchParams("q=%20%20&since=yesterday&team_id=abc&assignee_id=12&status=new&unknown=1");
    expect(filtersFromParams(params)).toEqual({ assignee_id: "12", status: "new" });
  });

  it("counts active filters without the free-text query", () => {
    expect(countActive({ q: "x", status: "new", team_id: "2" })).toBe(2);
  });
});

describe("API queries", () => {
  it("sends name search to leads only when it is long enough for the API", () => {
    expect(leadQuery({ q: "a", state: "TX", team_id: "3" })).toEqual({ q: undefined, state: "TX", team_id: 3, assignee_id: undefined });
    expect(leadQuery({ q: "ab" }).q).toBe("ab");
  });

  it("turns day filters into instants covering whole local days", () => {
    const q = signalQuery({ since: "2026-03-01", until: "2026-03-01", signal_type: "new_job" });
    expect(q.signal_type).toBe("new_job");
    const since = new Date(q.since!);
    const until = new Date(q.until!);
    expect(since.getHours()).toBe(0);
    expect(until.getTime() - since.getTime()).toBe(24 * 3600 * 1000 - 1);
  });
});
