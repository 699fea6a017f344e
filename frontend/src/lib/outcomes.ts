/** Checking an outcome form before it is sent, with the same rules as the API, in plain words. */
import { OUTCOME_KINDS, type OutcomeBody, type OutcomeKind } from "../api/contracts";

export interface OutcomeDraft {
  outcome: string;
  amount: string;
  notes: string;
}

export type OutcomeErrors = Partial<Record<keyof OutcomeDraft, string>>;

const NOTES_MAX = 2000;
const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;

/** The request body for a valid draft, or the message for each field that is wrong. */
export function validateOutcome(draft: OutcomeDraft): { body: OutcomeBody | null; errors: OutcomeErrors } {
  const errors: OutcomeErrors = {};
  const kind = OUTCOME_KINDS.find((k) => k === draft.outcome);
  if (!kind) errors.outcome = "Choose what happened.";
  let amount: string | null = null;
  if (kind === "payment_received") {
    const cleaned = draft.amount.trim().replace(/^\$/, "").replace(/,/g, "");
    if (!cleaned) errors.amount = "Enter the amount received.";
    else if (!AMOUNT.test(cleaned)) errors.amount = "Enter an amount such as 150 or 150.25 (at most two decimals).";
    else if (Number(cleaned) <= 0) errors.amount = "The amount must be more than zero.";
    else amount = cleaned;
  }
  const notes = draft.notes.trim();
  if (notes.length > NOTES_MAX) errors.notes = `Notes are limited to ${NOTES_MAX} characters (now ${notes.length}).`;
  if (Object.keys(errors).length > 0) return { body: null, errors };
  return { body: { outcome: kind as OutcomeKind, amount, occurred_at: null, notes: notes || null }, errors };
}
