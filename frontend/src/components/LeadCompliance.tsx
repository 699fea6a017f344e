/** Compliance tools on a lead (compliance and admin roles): the subject's data export and the opt-out switch. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { downloadFile, request } from "../api/client";
import type { OptOutState } from "../api/contracts";
import type { LeadDetail } from "../api/types";

export function DataExportButtons({ leadId }: { leadId: number }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const get = async (format: "json" | "html") => {
    setBusy(format);
    setError(null);
    try {
      await downloadFile(`/leads/${leadId}/data-export`, { format }, `lead-${leadId}-data.${format}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : "The export failed.");
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button type="button" className="btn-secondary" disabled={busy !== null} onClick={() => void get("json")}>
        {busy === "json" ? "Preparing…" : "Export data (JSON)"}
      </button>
      <button type="button" className="btn-secondary" disabled={busy !== null} onClick={() => void get("html")}>
        {busy === "html" ? "Preparing…" : "Export data (HTML)"}
      </button>
      {error && (
        <p role="alert" className="w-full text-sm text-red-800">
          Could not export: {error}
        </p>
      )}
    </div>
  );
}

export const OPT_OUT_SOURCES = [
  { value: "borrower", label: "Borrower request" },
  { value: "agency", label: "Agency" },
  { value: "legal", label: "Legal / attorney" },
  { value: "crm", label: "CRM" },
  { value: "compliance", label: "Compliance review" },
];

/** Set or clear a lead's opt-out; both need a reason, which the audit trail keeps. */
export function OptOutControl({ leadId, optedOut }: { leadId: number; optedOut: boolean }) {
  const queryClient = useQueryClient();
  const ids = { reason: useId(), source: useId(), err: useId() };
  const [reason, setReason] = useState("");
  const [source, setSource] = useState(optedOut ? "agency" : "borrower");
  const [error, setError] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: () =>
      request<OptOutState>(`/leads/${leadId}/do-not-scrape`, { method: optedOut ? "DELETE" : "PUT", body: { reason: reason.trim(), source } }),
    onSuccess: (state) => {
      setReason("");
      // Show the state the server answered with (a refetch right away could still read the old row).
      queryClient.setQueryData<LeadDetail>(["lead", leadId], (lead) =>
        lead ? { ...lead, do_not_scrape: state.do_not_scrape, do_not_scrape_reason: state.reason } : lead,
      );
      void queryClient.invalidateQueries({ queryKey: ["opt-outs"] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return setError(optedOut ? "Say why the opt-out is cleared." : "Give the reason for the opt-out.");
    setError(null);
    change.mutate();
  };
  const shown = error ?? (change.isError ? change.error.message : null);
  return (
    <form noValidate onSubmit={submit} aria-label={optedOut ? "Clear the opt-out" : "Opt out"} className="grid gap-2 sm:grid-cols-[1fr_12rem_auto] sm:items-end">
      <div>
        <label htmlFor={ids.reason} className="field-label">
          {optedOut ? "Reason for clearing the opt-out" : "Opt-out reason"}
        </label>
        <input
          id={ids.reason}
          className="field-input"
          value={reason}
          maxLength={255}
          aria-invalid={!!shown}
          aria-describedby={shown ? ids.err : undefined}
          onChange={(e) => setReason(e.target.value)}
        />
      </div>
      <div>
        <label htmlFor={ids.source} className="field-label">
          Source
        </label>
        <select id={ids.source} className="field-input" value={source} onChange={(e) => setSource(e.target.value)}>
          {OPT_OUT_SOURCES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className={optedOut ? "btn-secondary" : "btn-danger"} disabled={change.isPending}>
        {optedOut ? "Clear opt-out" : "Opt out (stop monitoring)"}
      </button>
      {shown && (
        <p id={ids.err} role="alert" className="text-sm text-red-800 sm:col-span-3">
          {shown}
        </p>
      )}
    </form>
  );
}
