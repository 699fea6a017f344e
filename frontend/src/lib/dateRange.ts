/**
 * The analytics period lives in the URL (?range=30d, or ?since=…&until=… for a custom range, plus
 * ?bucket=week and ?team=3), so a view can be shared. Days are calendar days in UTC, as the API counts them.
 */

export const PRESETS = [
  { key: "7d", days: 7, label: "Last 7 days" },
  { key: "30d", days: 30, label: "Last 30 days" },
  { key: "90d", days: 90, label: "Last 90 days" },
  { key: "365d", days: 365, label: "Last 12 months" },
] as const;

export const DEFAULT_PRESET = "30d";
export const MAX_DAYS = 366;
export type Bucket = "day" | "week";

export interface RangeState {
  preset: string | "custom";
  since: string;
  until: string;
  bucket: Bucket;
  teamId: number | null;
  /** Why the URL's custom range was not used, if it was not. */
  problem: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return utcDay(d);
}

export function daysBetween(since: string, until: string): number {
  return Math.round((Date.parse(`${until}T00:00:00Z`) - Date.parse(`${since}T00:00:00Z`)) / 86_400_000) + 1;
}

function isDay(s: string | null): s is string {
  return !!s && DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && utcDay(new Date(`${s}T00:00:00Z`)) === s;
}

/** Check a custom range; null when it is usable. */
export function rangeProblem(since: string, until: string): string | null {
  if (!isDay(since) || !isDay(until)) return "Enter both dates.";
  if (since > until) return "The start date is after the end date.";
  if (daysBetween(since, until) > MAX_DAYS) return `A range may span at most ${MAX_DAYS} days.`;
  return null;
}

export function rangeFromParams(params: URLSearchParams, today: Date = new Date()): RangeState {
  const until = utcDay(today);
  const bucket: Bucket = params.get("bucket") === "week" ? "week" : "day";
  const team = params.get("team");
  const teamId = team && /^\d+$/.test(team) ? Number(team) : null;
  const since = params.get("since");
  const end = params.get("until");
  let problem: string | null = null;
  if (since !== null || end !== null) {
    problem = rangeProblem(since ?? "", end ?? "");
    if (!problem) return { preset: "custom", since: since!, until: end!, bucket, teamId, problem: null };
  }
  const preset = PRESETS.find((p) => p.key === params.get("range")) ?? PRESETS.find((p) => p.key === DEFAULT_PRESET)!;
  return { preset: preset.key, since: addDays(until, -(preset.days - 1)), until, bucket, teamId, problem };
}

/** The URL for a range: presets by name (so a shared link stays "the last 30 days"), custom ranges by date. */
export function paramsFromRange(r: Pick<RangeState, "preset" | "since" | "until" | "bucket" | "teamId">): URLSearchParams {
  const p = new URLSearchParams();
  if (r.preset === "custom") {
    p.set("since", r.since);
    p.set("until", r.until);
  } else if (r.preset !== DEFAULT_PRESET) {
    p.set("range", r.preset);
  }
  if (r.bucket === "week") p.set("bucket", "week");
  if (r.teamId !== null) p.set("team", String(r.teamId));
  return p;
}

/** The API's query for a range. */
export function apiQuery(r: RangeState): { since: string; until: string; bucket: Bucket; team_id?: number } {
  return { since: r.since, until: r.until, bucket: r.bucket, ...(r.teamId !== null ? { team_id: r.teamId } : {}) };
}
