/** Opted-out leads (not monitored, scraped data purged), with clearing, and opting a lead out by its id. */
import { useInfiniteQuery, useMutation, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { request } from "../../api/client";
import type { OptOutState } from "../../api/contracts";
import type { Page } from "../../api/types";
import { OPT_OUT_SOURCES } from "../../components/LeadCompliance";
import { Modal } from "../../components/Modal";
import { ErrorState, Spinner } from "../../components/States";
import { formatDateTime } from "../../lib/format";
import { DialogActions } from "../../components/DialogActions";
import { ScrollTable } from "../../components/ScrollTable";

/** The list with one lead's new state: removed when cleared, first when (newly) opted out. */
export function withOptOut(data: InfiniteData<Page<OptOutState>> | undefined, state: OptOutState): InfiniteData<Page<OptOutState>> | undefined {
  if (!data) return data;
  const pages = data.pages.map((p) => ({ ...p, items: p.items.filter((i) => i.lead_id !== state.lead_id) }));
  if (state.do_not_scrape && pages[0]) pages[0] = { ...pages[0], items: [state, ...pages[0].items] };
  return { ...data, pages };
}

function OptOutDialog({ lead, onClose }: { lead: OptOutState | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const id = useId();
  const [leadId, setLeadId] = useState("");
  const [reason, setReason] = useState("");
  const [source, setSource] = useState(lead ? "agency" : "borrower");
  const [error, setError] = useState<string | null>(null);
  const clearing = lead !== null;
  const save = useMutation({
    mutationFn: (target: number) =>
      request<OptOutState>(`/leads/${target}/do-not-scrape`, { method: clearing ? "DELETE" : "PUT", body: { reason: reason.trim(), source } }),
    onSuccess: (state, target) => {
      // The answer is the lead's new state: update the list from it instead of listing again.
      queryClient.setQueryData<InfiniteData<Page<OptOutState>>>(["opt-outs"], (data) => withOptOut(data, state));
      void queryClient.invalidateQueries({ queryKey: ["lead", target] });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const target = lead?.lead_id ?? (/^\d+$/.test(leadId.trim()) ? Number(leadId.trim()) : null);
    if (target === null) return setError("Enter the lead's number (from its page address, /leads/123).");
    if (!reason.trim()) return setError(clearing ? "Say why the opt-out is cleared." : "Give the reason for the opt-out.");
    setError(null);
    save.mutate(target);
  };
  return (
    <Modal
      title={clearing ? `Clear the opt-out of ${lead.lead_name}` : "Opt a lead out"}
      description={clearing ? "Monitoring resumes for this lead." : "Monitoring stops at once and scraped data about the lead is purged."}
      onClose={onClose}
    >
      <form noValidate onSubmit={submit} className="space-y-3">
        {!clearing && (
          <div>
            <label htmlFor={`${id}-lead`} className="field-label">
              Lead number
            </label>
            <input id={`${id}-lead`} data-autofocus inputMode="numeric" className="field-input" value={leadId} onChange={(e) => setLeadId(e.target.value)} />
          </div>
        )}
        <div>
          <label htmlFor={`${id}-reason`} className="field-label">
            Reason
          </label>
          <input id={`${id}-reason`} data-autofocus={clearing || undefined} maxLength={255} className="field-input" value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
        <div>
          <label htmlFor={`${id}-source`} className="field-label">
            Source
          </label>
          <select id={`${id}-source`} className="field-input" value={source} onChange={(e) => setSource(e.target.value)}>
            {OPT_OUT_SOURCES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <DialogActions
          error={error ?? (save.isError ? save.error.message : null)}
          busy={save.isPending}
          tone={clearing ? "primary" : "danger"}
          onCancel={onClose}
        >
          {clearing ? "Clear opt-out" : "Opt out"}
        </DialogActions>
      </form>
    </Modal>
  );
}

export function OptOutList() {
  const [dialog, setDialog] = useState<OptOutState | "new" | null>(null);
  const list = useInfiniteQuery({
    queryKey: ["opt-outs"],
    queryFn: ({ pageParam }) => request<Page<OptOutState>>("/opt-outs", { query: { limit: 50, cursor: pageParam ?? undefined } }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="optouts-title">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 id="optouts-title" className="text-lg font-semibold">
          Opt-outs
        </h2>
        <button type="button" className="btn-danger" aria-haspopup="dialog" onClick={() => setDialog("new")}>
          Opt a lead out…
        </button>
      </div>
      {list.isPending && <Spinner label="Loading opt-outs…" />}
      {list.isError && <ErrorState error={list.error} retry={() => void list.refetch()} />}
      {list.isSuccess && rows.length === 0 && <p className="card p-4 text-slate-700">No lead has opted out.</p>}
      {rows.length > 0 && (
        <ScrollTable label="Opt-outs table" caption="Opted-out leads, most recent first" minWidth="min-w-[40rem]" headers={["Lead", "Agency ID", "Reason", "Source", "Since", <span className="sr-only">Actions</span>]}>
          {rows.map((r) => (
            <tr key={r.lead_id} className="border-t border-slate-200">
              <td className="px-3 py-2">
                <Link to={`/leads/${r.lead_id}`} className="font-medium text-blue-800 underline-offset-2 hover:underline">
                  {r.lead_name}
                </Link>
              </td>
              <td className="px-3 py-2">{r.agency_id_number ?? "—"}</td>
              <td className="px-3 py-2">{r.reason ?? "—"}</td>
              <td className="px-3 py-2">{OPT_OUT_SOURCES.find((s) => s.value === r.source)?.label ?? r.source ?? "—"}</td>
              <td className="px-3 py-2">{formatDateTime(r.at)}</td>
              <td className="px-3 py-2 text-right">
                <button type="button" className="btn-secondary" aria-haspopup="dialog" onClick={() => setDialog(r)}>
                  Clear<span className="sr-only"> the opt-out of {r.lead_name}</span>
                </button>
              </td>
            </tr>
          ))}
        </ScrollTable>
      )}
      {list.hasNextPage && (
        <button type="button" className="btn-secondary mt-3" onClick={() => void list.fetchNextPage()}>
          More opt-outs
        </button>
      )}
      {dialog && <OptOutDialog lead={dialog === "new" ? null : dialog} onClose={() => setDialog(null)} />}
    </section>
  );
}
