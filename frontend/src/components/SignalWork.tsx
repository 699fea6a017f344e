/**
 * Working a signal beyond acknowledging it: assign it (managers and admins pick a team member,
 * collectors take it), mark the lead contacted, record an outcome, or dispute the signal.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { request } from "../api/client";
import { OUTCOME_LABELS, type DisputeKind, type TeamOut } from "../api/contracts";
import { assignSignal, disputeSignal, newIdempotencyKey, recordOutcome, useAfterSignalWork } from "../api/signals";
import type { Page } from "../api/types";
import { assigneeOptions } from "../lib/assignees";
import { Modal } from "./Modal";
import { OutcomeDialog } from "./OutcomeDialog";
import { DialogActions } from "./DialogActions";

export interface WorkSignal {
  id: number;
  lead_id: number;
  lead_name: string;
  team_id?: number | null;
  assignee_user_id?: number | null;
}

export interface Me {
  id: number;
  role: string;
}

export function AssignDialog({ signal, me, onClose, onDone }: { signal: WorkSignal; me: Me; onClose: () => void; onDone: (msg: string) => void }) {
  const selectId = useId();
  const teams = useQuery({
    queryKey: ["teams"],
    queryFn: () => request<Page<TeamOut>>("/teams", { query: { limit: 200 } }),
    staleTime: 5 * 60_000,
  });
  const options = teams.data ? assigneeOptions(teams.data.items, me, signal.team_id) : [];
  const [choice, setChoice] = useState("");
  const [error, setError] = useState<string | null>(null);
  const assign = useMutation({
    mutationFn: (userId: number) => assignSignal(signal.id, userId),
    onSuccess: (_res, userId) => {
      onDone(`Assigned to ${options.find((o) => o.id === userId)?.label ?? `#${userId}`}.`);
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!choice) {
      setError("Choose who should work this signal.");
      return;
    }
    setError(null);
    assign.mutate(Number(choice));
  };
  return (
    <Modal title="Assign signal" description={`Who should work ${signal.lead_name}?`} onClose={onClose}>
      <form noValidate onSubmit={submit} className="space-y-4">
        {teams.isPending && <p role="status">Loading the team…</p>}
        {teams.isError && (
          <p role="alert" className="text-sm text-red-800">
            Could not load the team: {teams.error.message}
          </p>
        )}
        {teams.isSuccess && (
          <div>
            <label htmlFor={selectId} className="field-label">
              Assignee
            </label>
            <select
              id={selectId}
              data-autofocus
              className="field-input"
              value={choice}
              aria-invalid={!!error}
              aria-describedby={error ? `${selectId}-e` : undefined}
              onChange={(e) => setChoice(e.target.value)}
            >
              <option value="">Choose…</option>
              {options.map((o) => (
                <option key={o.id} value={o.id} disabled={o.id === signal.assignee_user_id}>
                  {o.label}
                  {o.id === signal.assignee_user_id ? " — already assigned" : ""}
                </option>
              ))}
            </select>
            {error && (
              <p id={`${selectId}-e`} className="mt-1 text-sm text-red-800">
                {error}
              </p>
            )}
            {options.length === 0 && <p className="mt-1 text-sm text-slate-700">This lead's team has no members you can assign.</p>}
          </div>
        )}
        <DialogActions error={assign.isError ? `Could not assign: ${assign.error.message}` : null} busy={assign.isPending} busyLabel="Assigning…" disabled={!teams.isSuccess} onCancel={onClose}>
          Assign
        </DialogActions>
      </form>
    </Modal>
  );
}

const DISPUTES: Array<{ kind: DisputeKind; label: string; hint: string }> = [
  { kind: "not_me", label: "That's not me", hint: "The profile or post belongs to someone else." },
  { kind: "not_true", label: "That's not true", hint: "The person is right, but the event did not happen." },
];

export function DisputeDialog({ signal, onClose, onDone }: { signal: WorkSignal; onClose: () => void; onDone: (msg: string) => void }) {
  const [kind, setKind] = useState<DisputeKind | "">("");
  const [notes, setNotes] = useState("");
  const [error, setError] = useState<string | null>(null);
  const notesId = useId();
  const send = useMutation({
    mutationFn: () => disputeSignal(signal.id, kind as DisputeKind, notes.trim() || null),
    onSuccess: () => {
      onDone("Dispute recorded.");
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!kind) return setError("Choose what is wrong with this signal.");
    if (notes.trim().length > 2000) return setError("Notes are limited to 2000 characters.");
    setError(null);
    send.mutate();
  };
  return (
    <Modal title="Dispute signal" description={`The borrower or a colleague says this signal about ${signal.lead_name} is wrong.`} onClose={onClose}>
      <form noValidate onSubmit={submit} className="space-y-4">
        <fieldset>
          <legend className="field-label">What is wrong?</legend>
          <div className="space-y-2">
            {DISPUTES.map((d, i) => (
              <label key={d.kind} className="flex cursor-pointer items-start gap-2 rounded-md border border-slate-300 p-2 text-sm">
                <input
                  type="radio"
                  name="dispute-kind"
                  value={d.kind}
                  className="mt-1"
                  data-autofocus={i === 0 ? true : undefined}
                  checked={kind === d.kind}
                  onChange={() => setKind(d.kind)}
                />
                <span>
                  <span className="font-medium">{d.label}</span>
                  <span className="block text-slate-700">{d.hint}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <div>
          <label htmlFor={notesId} className="field-label">
            Note <span className="font-normal text-slate-700">(optional)</span>
          </label>
          <textarea id={notesId} rows={3} className="field-input" value={notes} onChange={(e) => setNotes(e.target.value)} />
        </div>
        <DialogActions
          error={error ?? (send.isError ? `Could not record the dispute: ${send.error.message}` : null)}
          busy={send.isPending}
          busyLabel="Sending…"
          tone="danger"
          onCancel={onClose}
        >
          Send dispute
        </DialogActions>
      </form>
    </Modal>
  );
}

type Open = "assign" | "outcome" | "dispute" | null;

export function SignalWork({ signal, me }: { signal: WorkSignal; me: Me }) {
  const [open, setOpen] = useState<Open>(null);
  const [message, setMessage] = useState("");
  const after = useAfterSignalWork();
  const done = (msg: string) => {
    setMessage(msg);
    after(signal.lead_id);
  };
  const take = useMutation({
    mutationFn: () => assignSignal(signal.id, me.id),
    onSuccess: () => done("Assigned to you."),
  });
  const contacted = useMutation({
    mutationFn: () => recordOutcome(signal.id, { outcome: "contacted", amount: null, occurred_at: null, notes: null }, newIdempotencyKey()),
    onSuccess: () => done("Marked as contacted."),
  });
  const failure = take.error ?? contacted.error;
  const isAgent = me.role === "agent";
  // Phones show these behind one button, so a card stays short; wider screens show them all.
  const [expanded, setExpanded] = useState(false);
  const rowId = useId();

  return (
    <>
      <button
        type="button"
        className="mt-2 text-sm font-medium text-blue-800 underline sm:hidden"
        aria-expanded={expanded}
        aria-controls={rowId}
        onClick={() => setExpanded((v) => !v)}
      >
        {expanded ? "Fewer actions" : "More actions"}
        <span className="sr-only"> for {signal.lead_name}</span>
      </button>
      <div id={rowId} className={`mt-2 flex-wrap items-center gap-2 border-t border-slate-100 pt-2 sm:flex ${expanded ? "flex" : "hidden"}`}>
        {isAgent ? (
          // Collectors may take an unassigned signal only; a colleague's stays theirs.
          signal.assignee_user_id == null && (
            <button type="button" className="btn-secondary" disabled={take.isPending} onClick={() => take.mutate()}>
              Take it
            </button>
          )
        ) : (
          <button type="button" className="btn-secondary" aria-haspopup="dialog" onClick={() => setOpen("assign")}>
            Assign…
          </button>
        )}
        <button type="button" className="btn-secondary" disabled={contacted.isPending} onClick={() => contacted.mutate()}>
          Mark contacted
        </button>
        <button type="button" className="btn-secondary" aria-haspopup="dialog" onClick={() => setOpen("outcome")}>
          Record outcome…
        </button>
        <button type="button" className="btn-secondary" aria-haspopup="dialog" onClick={() => setOpen("dispute")}>
          Dispute…
        </button>
        <p role="status" className="text-sm text-green-800">
          {message}
        </p>
        {failure && (
          <p role="alert" className="w-full text-sm text-red-800">
            {failure.message}
          </p>
        )}
        {open === "assign" && <AssignDialog signal={signal} me={me} onClose={() => setOpen(null)} onDone={done} />}
        {open === "dispute" && <DisputeDialog signal={signal} onClose={() => setOpen(null)} onDone={done} />}
        {open === "outcome" && (
          <OutcomeDialog
            signalId={signal.id}
            leadName={signal.lead_name}
            onClose={() => setOpen(null)}
            onRecorded={(o) => done(`Outcome recorded: ${OUTCOME_LABELS[o.outcome] ?? o.outcome}.`)}
          />
        )}
      </div>
    </>
  );
}
