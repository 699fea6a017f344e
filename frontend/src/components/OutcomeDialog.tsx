/** Record what came of working a signal: outcome kind, the amount for a payment, an optional note. */
import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { OUTCOME_KINDS, OUTCOME_LABELS, type Outcome, type OutcomeBody } from "../api/contracts";
import { newIdempotencyKey, recordOutcome } from "../api/signals";
import { validateOutcome, type OutcomeDraft, type OutcomeErrors } from "../lib/outcomes";
import { Modal } from "./Modal";
import { DialogActions } from "./DialogActions";

export function OutcomeDialog({
  signalId,
  leadName,
  onClose,
  onRecorded,
}: {
  signalId: number;
  leadName: string;
  onClose: () => void;
  onRecorded: (outcome: Outcome) => void;
}) {
  // One key per opening of the dialog: a double submit or a retry after a timeout is stored once.
  const [key] = useState(newIdempotencyKey);
  const [draft, setDraft] = useState<OutcomeDraft>({ outcome: "", amount: "", notes: "" });
  const [errors, setErrors] = useState<OutcomeErrors>({});
  const ids = { outcome: useId(), amount: useId(), notes: useId(), err: useId() };
  const save = useMutation({
    mutationFn: (body: OutcomeBody) => recordOutcome(signalId, body, key),
    onSuccess: (outcome) => {
      onRecorded(outcome);
      onClose();
    },
  });
  const set = (name: keyof OutcomeDraft, value: string) => setDraft((d) => ({ ...d, [name]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { body, errors: found } = validateOutcome(draft);
    setErrors(found);
    if (body) save.mutate(body);
  };
  const paying = draft.outcome === "payment_received";

  return (
    <Modal title="Record outcome" description={`What came of contacting ${leadName}?`} onClose={onClose}>
      <form noValidate onSubmit={submit} className="space-y-4">
        <div>
          <label htmlFor={ids.outcome} className="field-label">
            Outcome
          </label>
          <select
            id={ids.outcome}
            data-autofocus
            className="field-input"
            value={draft.outcome}
            aria-invalid={!!errors.outcome}
            aria-describedby={errors.outcome ? `${ids.outcome}-e` : undefined}
            onChange={(e) => set("outcome", e.target.value)}
          >
            <option value="">Choose…</option>
            {OUTCOME_KINDS.map((k) => (
              <option key={k} value={k}>
                {OUTCOME_LABELS[k]}
              </option>
            ))}
          </select>
          {errors.outcome && (
            <p id={`${ids.outcome}-e`} className="mt-1 text-sm text-red-800">
              {errors.outcome}
            </p>
          )}
        </div>
        {paying && (
          <div>
            <label htmlFor={ids.amount} className="field-label">
              Amount received (USD)
            </label>
            <input
              id={ids.amount}
              inputMode="decimal"
              autoComplete="off"
              className="field-input"
              placeholder="e.g. 150.00"
              value={draft.amount}
              aria-invalid={!!errors.amount}
              aria-describedby={errors.amount ? `${ids.amount}-e` : undefined}
              onChange={(e) => set("amount", e.target.value)}
            />
            {errors.amount && (
              <p id={`${ids.amount}-e`} className="mt-1 text-sm text-red-800">
                {errors.amount}
              </p>
            )}
          </div>
        )}
        <div>
          <label htmlFor={ids.notes} className="field-label">
            Note <span className="font-normal text-slate-700">(optional)</span>
          </label>
          <textarea
            id={ids.notes}
            rows={3}
            className="field-input"
            value={draft.notes}
            aria-invalid={!!errors.notes}
            aria-describedby={errors.notes ? `${ids.notes}-e` : undefined}
            onChange={(e) => set("notes", e.target.value)}
          />
          {errors.notes && (
            <p id={`${ids.notes}-e`} className="mt-1 text-sm text-red-800">
              {errors.notes}
            </p>
          )}
        </div>
        <DialogActions error={save.isError ? `Could not record the outcome: ${save.error.message}` : null} busy={save.isPending} busyLabel="Saving…" onCancel={onClose}>
          Save outcome
        </DialogActions>
      </form>
    </Modal>
  );
}
