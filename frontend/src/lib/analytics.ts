/** Shaping the analytics overview for charts and tables. */
import type { AnalyticsOverview } from "../api/contracts";
import { addDays } from "./dateRange";

export interface BucketRow {
  bucket: string;
  total: number;
  [signalType: string]: number | string;
}

/** The Monday (UTC) of the ISO week of a day. */
export function weekStart(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return addDays(day, -back);
}

/** Every bucket of the range (days, or Mondays of ISO weeks), so a quiet day shows as zero rather than missing. */
export function bucketsOf(since: string, until: string, bucket: "day" | "week"): string[] {
  const out: string[] = [];
  let cur = bucket === "week" ? weekStart(since) : since;
  const step = bucket === "week" ? 7 : 1;
  while (cur <= until) {
    out.push(cur);
    cur = addDays(cur, step);
  }
  return out;
}

/** One row per bucket, one column per signal type, for a stacked bar chart. */
export function pivotSignals(overview: Pick<AnalyticsOverview, "signals" | "since" | "until" | "bucket">): { rows: BucketRow[]; types: string[] } {
  const types = [...new Set(overview.signals.map((s) => s.signal_type))].sort();
  const rows = new Map<string, BucketRow>();
  for (const b of bucketsOf(overview.since, overview.until, overview.bucket)) {
    const row: BucketRow = { bucket: b, total: 0 };
    types.forEach((t) => (row[t] = 0));
    rows.set(b, row);
  }
  for (const s of overview.signals) {
    const key = overview.bucket === "week" ? weekStart(s.bucket) : s.bucket;
    let row = rows.get(key);
    if (!row) {
      row = { bucket: key, total: 0 };
      types.forEach((t) => (row![t] = 0));
      rows.set(key, row);
    }
    row[s.signal_type] = (row[s.signal_type] as number) + s.count;
    row.total += s.count;
  }
  return { rows: [...rows.values()].sort((a, b) => a.bucket.localeCompare(b.bucket)), types };
}

export function totalsByType(signals: AnalyticsOverview["signals"]): Array<{ type: string; count: number }> {
  const counts = new Map<string, number>();
  signals.forEach((s) => counts.set(s.signal_type, (counts.get(s.signal_type) ?? 0) + s.count));
  return [...counts.entries()].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

export type ResponseRow = AnalyticsOverview["response_times"][number];

/** Team total rows (no user), then each team's agents under it, slowest median first within a team. */
export function groupResponseTimes(rows: ResponseRow[]): Array<{ team: ResponseRow | null; teamName: string; agents: ResponseRow[] }> {
  const groups = new Map<string, { team: ResponseRow | null; teamName: string; agents: ResponseRow[] }>();
  for (const r of rows) {
    const key = String(r.team_id ?? "none");
    const g = groups.get(key) ?? { team: null, teamName: r.team_name ?? "No team", agents: [] };
    if (r.user_id === null) g.team = r;
    else g.agents.push(r);
    groups.set(key, g);
  }
  for (const g of groups.values()) g.agents.sort((a, b) => (b.median_ack_minutes ?? -1) - (a.median_ack_minutes ?? -1));
  return [...groups.values()].sort((a, b) => a.teamName.localeCompare(b.teamName));
}

export function formatMinutes(m: number | null | undefined): string {
  if (m === null || m === undefined) return "—";
  if (m < 60) return `${Math.round(m)} min`;
  if (m < 48 * 60) return `${(m / 60).toFixed(1)} h`;
  return `${(m / 1440).toFixed(1)} d`;
}

export function formatRate(r: number | null | undefined, digits = 1): string {
  if (r === null || r === undefined) return "—";
  return `${(r * 100).toFixed(digits)}%`;
}

export function formatSignedRate(r: number | null | undefined): string {
  if (r === null || r === undefined) return "—";
  return `${r >= 0 ? "+" : "−"}${Math.abs(r * 100).toFixed(1)}%`;
}

export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined) return "—";
  return p < 0.001 ? "< 0.001" : p.toFixed(3);
}

/** The "how far are we" line for an uplift comparison. */
export function significanceNote(c: {
  significant: boolean;
  p_value: number | null;
  additional_treatment_needed: number | null;
  additional_control_needed: number | null;
}): string {
  if (c.significant) return "Significant at the 95% level.";
  const more = Math.max(c.additional_treatment_needed ?? 0, c.additional_control_needed ?? 0);
  if (c.additional_treatment_needed === null && c.additional_control_needed === null) {
    return c.p_value === null ? "Not enough data yet." : "Not yet significant.";
  }
  return `Not yet significant: ${more.toLocaleString("en-US")} more leads per group needed.`;
}
