/** The routing rule form: text fields for editing, and the API body they mean. */
import type { RoutingRule, RoutingRuleBody } from "../api/contracts";

export const BALANCE_BANDS: Array<{ value: string; label: string }> = [
  { value: "under_1k", label: "Under $1k" },
  { value: "1k_5k", label: "$1k–5k" },
  { value: "5k_20k", label: "$5k–20k" },
  { value: "20k_50k", label: "$20k–50k" },
  { value: "50k_plus", label: "$50k and more" },
];

export interface RuleDraft {
  name: string;
  position: string;
  active: boolean;
  team_id: string;
  user_id: string;
  states: string;
  creditors: string;
  balance_bands: string[];
  signal_types: string[];
  min_priority: string;
}

export const EMPTY_RULE: RuleDraft = {
  name: "",
  position: "100",
  active: true,
  team_id: "",
  user_id: "",
  states: "",
  creditors: "",
  balance_bands: [],
  signal_types: [],
  min_priority: "",
};

export function ruleToDraft(rule: RoutingRule): RuleDraft {
  const c = rule.conditions ?? {};
  return {
    name: rule.name,
    position: String(rule.position),
    active: rule.active,
    team_id: String(rule.team_id),
    user_id: rule.user_id ? String(rule.user_id) : "",
    states: (c.states ?? []).join(", "),
    creditors: (c.creditors ?? []).join(", "),
    balance_bands: c.balance_bands ?? [],
    signal_types: c.signal_types ?? [],
    min_priority: c.min_priority ?? "",
  };
}

const list = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** The body to send, or the problems to show next to the fields. An empty condition is left out (it matches everything). */
export function draftToBody(d: RuleDraft): { body: RoutingRuleBody | null; errors: Partial<Record<keyof RuleDraft, string>> } {
  const errors: Partial<Record<keyof RuleDraft, string>> = {};
  const name = d.name.trim();
  if (!name) errors.name = "Give the rule a name.";
  else if (name.length > 120) errors.name = "At most 120 characters.";
  const position = Number(d.position);
  if (!/^\d+$/.test(d.position.trim()) || position > 100_000) errors.position = "A whole number from 0 to 100000.";
  if (!/^\d+$/.test(d.team_id)) errors.team_id = "Choose the team that gets matching signals.";
  const states = list(d.states).map((s) => s.toUpperCase());
  const badState = states.find((s) => !/^[A-Z]{2}$/.test(s));
  if (badState) errors.states = `"${badState}" is not a two-letter state code.`;
  if (Object.keys(errors).length > 0) return { body: null, errors };
  const conditions: NonNullable<RoutingRuleBody["conditions"]> = {};
  if (states.length) conditions.states = states;
  const creditors = list(d.creditors);
  if (creditors.length) conditions.creditors = creditors;
  if (d.balance_bands.length) conditions.balance_bands = d.balance_bands;
  if (d.signal_types.length) conditions.signal_types = d.signal_types;
  if (d.min_priority) conditions.min_priority = d.min_priority;
  return {
    body: {
      name,
      position,
      active: d.active,
      team_id: Number(d.team_id),
      user_id: d.user_id ? Number(d.user_id) : null,
      conditions,
    },
    errors,
  };
}

/** One line saying what a rule matches, for the table. */
export function describeConditions(rule: RoutingRule, typeLabel: (t: string) => string): string {
  const c = rule.conditions ?? {};
  const parts: string[] = [];
  if (c.states?.length) parts.push(`states ${c.states.join(", ")}`);
  if (c.creditors?.length) parts.push(`creditors ${c.creditors.join(", ")}`);
  if (c.balance_bands?.length)
    parts.push(`balance ${c.balance_bands.map((b) => BALANCE_BANDS.find((x) => x.value === b)?.label ?? b).join(", ")}`);
  if (c.signal_types?.length) parts.push(`types ${c.signal_types.map(typeLabel).join(", ")}`);
  if (c.min_priority) parts.push(`priority ${c.min_priority} or higher`);
  return parts.length ? parts.join("; ") : "Every signal";
}
