/**
 * The API's shapes, taken from the schema generated from the server's OpenAPI document
 * (`npm run gen:api`), so a renamed field breaks the build instead of the screen.
 *
 * A few fields the dashboard shows when the server sends them are not in every API version yet
 * (priority on feed items, evidence on feed items, enrichment on leads); they are optional here.
 */
import type { components } from "./schema";

type Schemas = components["schemas"];

export type TokenResponse = Schemas["TokenOut"];
export type Me = Schemas["MeOut"];
export type Evidence = Schemas["EvidenceOut"];

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** What the dashboard may show beyond the base signal fields, when the API provides it. */
export interface SignalExtras {
  priority?: string | null;
  priority_score?: number | null;
  score_breakdown?: Record<string, unknown> | null;
  assignee_user_id?: number | null;
  assignee_email?: string | null;
  evidence?: Evidence[];
}

export type FeedSignal = Schemas["SignalFeedItem"] & SignalExtras;
export type SignalDetail = Schemas["SignalDetail"] & SignalExtras;
export type TimelineSignal = Schemas["SignalWithEvidence"] & SignalExtras;
/** Anything a signal card can render: a feed item, a detail, or a timeline entry with its lead's name. */
export type Signal = Omit<Schemas["SignalWithEvidence"], "evidence"> & SignalExtras & { lead_name: string };

export type LeadSummary = Schemas["LeadSummary"];
export type LeadDetail = Schemas["LeadDetail"] & {
  company_domain?: string | null;
  company_about?: string | null;
};
export type RevealResult = Schemas["RevealOut"];
