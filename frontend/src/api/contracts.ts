/** Shapes of the API the dashboard's newer screens use, named after the generated schema's types. */
import type { components } from "./schema";

type Schemas = components["schemas"];

export const OUTCOME_KINDS = [
  "contacted",
  "right_party_contact",
  "promise_to_pay",
  "payment_plan_enrolled",
  "payment_received",
  "refused",
  "wrong_person",
] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

export const OUTCOME_LABELS: Record<string, string> = {
  contacted: "Contacted",
  right_party_contact: "Right-party contact",
  promise_to_pay: "Promise to pay",
  payment_plan_enrolled: "Payment plan enrolled",
  payment_received: "Payment received",
  refused: "Refused",
  wrong_person: "Wrong person",
};

export interface OutcomeBody {
  outcome: OutcomeKind;
  amount: string | null;
  occurred_at: null;
  notes: string | null;
}

export type Outcome = Schemas["OutcomeOut"];

export type DisputeKind = "not_me" | "not_true";

export type ReviewItem = Schemas["ReviewItem"];
export type RoutingRule = Schemas["RuleOut"];
export type RoutingRuleBody = Schemas["RuleIn"];
export type DigestPrefs = Schemas["DigestPrefsOut"];
export type DigestPrefsChange = Schemas["DigestPrefsUpdate"];
export type DeadLetter = Schemas["DeadLetterOut"];
export type WebhookEndpoint = Schemas["WebhookEndpointOut"];
export type WebhookEndpointCreated = Schemas["WebhookEndpointCreated"];
export type WebhookEndpointBody = Schemas["WebhookEndpointIn"];
export type WebhookEndpointChange = Schemas["WebhookEndpointUpdate"];
export type WebhookSecret = Schemas["WebhookSecretOut"];
export type CrmClient = Schemas["CrmClientOut"];
export type CrmClientCreated = Schemas["CrmClientCreated"];
export type CrmClientScope = Schemas["CrmClientIn"]["scopes"][number];
/** Event types an endpoint can subscribe to (events/service.py EVENT_TYPES without the internal one). */
export const WEBHOOK_EVENT_TYPES = [
  "signal.created.v1",
  "signal.updated.v1",
  "alert.raised.v1",
  "alert.escalated.v1",
  "hardship.flagged.v1",
  "lead.enriched.v1",
  "outcome.recorded.v1",
] as const;
export const CRM_CLIENT_SCOPES: Record<CrmClientScope, string> = {
  "leads:read": "Read leads",
  "leads:write": "Update CRM-owned lead fields",
  "signals:read": "Read signals",
  "outcomes:write": "Report outcomes",
};
export type UserOut = Schemas["UserOut"];
export type TeamOut = Schemas["TeamOut"];

export type SignalWeights = Schemas["SignalWeightsOut"];
export type AnalyticsOverview = Schemas["OverviewOut"];

export type ComplianceItem = Schemas["CheckItem"];
export type ComplianceChecks = Schemas["ComplianceReport"];
export type AuditItem = Schemas["AuditItem"];
export type OptOutState = Schemas["OptOutState"];
export type MonitoringSnapshot = Schemas["MonitoringSnapshot"];
export type WindowFigures = Schemas["WindowFigures"];

export type UpliftSegment = Schemas["UpliftSegment"];
export type UpliftComparison = Schemas["MetricComparison"];
export type UpliftReport = Schemas["UpliftReport"];
