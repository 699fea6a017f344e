import type { InfiniteData } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import type { OptOutState } from "../../api/contracts";
import type { Page } from "../../api/types";
import { auditFiltersFromParams, auditQuery } from "./Audit";
import { withOptOut } from "./OptOuts";

const state = (lead_id: number, do_not_scrape: boolean): OptOutState => ({
  lead_id,
  lead_name: `Lead ${lead_id}`,
  agency_id_number: null,
  do_not_scrape,
  reason: "asked",
  source: "borrower",
  at: "2026-03-01T00:00:00Z",
});

describe("audit search", () => {
  it("keeps only usable filters from the URL", () => {
    expect(auditFiltersFromParams(new URLSearchParams("actor=user:4&action=lead.*&since=yesterday&until=2026-03-02&x=1"))).toEqual({
      actor: "user:4",
      action: "lead.*",
      until: "2026-03-02",
    });
  });

  it("sends whole local days as instants, the end day included", () => {
    const q = auditQuery({ since: "2026-03-01", until: "2026-03-01" });
    const since = new Date(q.since!);
    const until = new Date(q.until!);
    expect(since.getHours()).toBe(0);
    expect(until.getTime() - since.getTime()).toBe(24 * 3600 * 1000); // "until" is exclusive in the API
  });
});

describe("opt-out list after a change", () => {
  const data: InfiniteData<Page<OptOutState>> = {
    pages: [{ items: [state(1, true), state(2, true)], next_cursor: "c" }, { items: [state(3, true)], next_cursor: null }],
    pageParams: [null, "c"],
  };

  it("drops a cleared lead and puts a new opt-out first", () => {
    expect(withOptOut(data, state(3, false))!.pages.map((p) => p.items.map((i) => i.lead_id))).toEqual([[1, 2], []]);
    expect(withOptOut(data, state(9, true))!.pages.map((p) => p.items.map((i) => i.lead_id))).toEqual([[9, 1, 2], [3]]);
    expect(withOptOut(undefined, state(9, true))).toBeUndefined();
  });
});
