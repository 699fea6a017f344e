/** The outcomes recorded for a lead (from the dashboard or the CRM), newest first. */
import { useQuery } from "@tanstack/react-query";
import { ApiError, request } from "../api/client";
import { OUTCOME_LABELS, type Outcome } from "../api/contracts";
import { formatDateTime, formatMoney } from "../lib/format";
import { ErrorState, Spinner } from "./States";

export function LeadOutcomes({ leadId }: { leadId: number }) {
  const outcomes = useQuery({
    queryKey: ["lead-outcomes", leadId],
    queryFn: () => request<Outcome[]>(`/leads/${leadId}/outcomes`),
  });
  const rows = [...(outcomes.data ?? [])].sort((a, b) => b.occurred_at.localeCompare(a.occurred_at));
  return (
    <section aria-labelledby="outcomes-title" className="mt-6">
      <h2 id="outcomes-title" className="mb-3 text-lg font-semibold">
        Outcomes
      </h2>
      {outcomes.isPending && <Spinner label="Loading outcomes…" />}
      {outcomes.isError &&
        (outcomes.error instanceof ApiError && outcomes.error.isNotFound ? (
          <p className="card p-4 text-slate-700">Outcomes are not available for this lead.</p>
        ) : (
          <ErrorState error={outcomes.error} retry={() => void outcomes.refetch()} />
        ))}
      {outcomes.isSuccess && rows.length === 0 && <p className="card p-4 text-slate-700">No outcomes recorded yet.</p>}
      {rows.length > 0 && (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" aria-label="Outcomes, newest first">
          {rows.map((o) => (
            <li key={o.id} className="flex flex-wrap items-baseline justify-between gap-2 p-3 text-sm">
              <div>
                <p className="font-semibold">
                  {OUTCOME_LABELS[o.outcome] ?? o.outcome}
                  {o.amount != null && <span className="ml-2 tabular-nums">{formatMoney(o.amount)}</span>}
                </p>
              </div>
              <p className="text-slate-700">
                {formatDateTime(o.occurred_at)}
                {o.signal_id ? ` · signal #${o.signal_id}` : ""}
                {o.agent_external_id ? ` · by ${o.agent_external_id}` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
