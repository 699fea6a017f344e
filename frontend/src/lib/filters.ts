/**
 * Search filters live in the URL query string so a view can be bookmarked or shared; these
 * helpers are the single mapping between the URL, the form and the API's query parameters.
 */
import type { operations } from "../api/schema";

export const FILTER_KEYS = ["q", "signal_type", "status", "since", "until", "team_id", "assignee_id", "state"] as const;

export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^\d+$/;

/** Read the filters from a query string, dropping values the API would reject anyway. */
export function filtersFromParams(params: URLSearchParams): Filters {
  const out: Filters = {};
  for (const key of FILTER_KEYS) {
    const raw = params.get(key)?.trim();
    if (!raw) continue;
    if ((key === "since" || key === "until") && !DATE.test(raw)) continue;
    if ((key === "team_id" || key === "assignee_id") && !ID.test(raw)) continue;
    out[key] = key === "state" ? raw.toUpperCase() : raw;
  }
  return out;
}

/** The query string for a set of filters, in a stable order, without empty values. */
export function paramsFromFilters(filters: Filters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key]?.trim();
    if (value) params.set(key, value);
  }
  return params;
}

export function countActive(filters: Filters): number {
  return FILTER_KEYS.filter((k) => k !== "q" && filters[k]).length;
}

/** Dates in the URL are whole days in the viewer's zone; the API wants instants. */
export function dayStartIso(day: string): string {
  return new Date(`${day}T00:00:00`).toISOString();
}

export function dayEndIso(day: string): string {
  return new Date(`${day}T23:59:59.999`).toISOString();
}

type LeadQuery = NonNullable<operations["list_leads_api_v1_leads_get"]["parameters"]["query"]>;
type SignalQuery = NonNullable<operations["signal_feed_api_v1_signals_get"]["parameters"]["query"]>;

/** The lead list's query for these filters (typed against the API, so a renamed parameter fails the build). */
export function leadQuery(f: Filters): LeadQuery {
  return {
    q: f.q && f.q.length >= 2 ? f.q : undefined,
    state: f.state,
    team_id: f.team_id ? Number(f.team_id) : undefined,
    assignee_id: f.assignee_id ? Number(f.assignee_id) : undefined,
  };
}

/** The signal feed's query for these filters. */
export function signalQuery(f: Filters): SignalQuery {
  return {
    signal_type: f.signal_type,
    status: f.status,
    since: f.since ? dayStartIso(f.since) : undefined,
    until: f.until ? dayEndIso(f.until) : undefined,
    team_id: f.team_id ? Number(f.team_id) : undefined,
  };
}
