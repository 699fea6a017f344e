/** Webhook deliveries that gave up (dead letters), with replay. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { request } from "../../api/client";
import type { DeadLetter } from "../../api/contracts";
import { ErrorState, Spinner } from "../../components/States";
import { formatDateTime } from "../../lib/format";
import { WEBHOOKS_KEY } from "./CrmWebhooks";
import { ScrollTable } from "../../components/ScrollTable";

const KEY = ["admin", "deadletters"] as const;

export function CrmDeadLetters() {
  const queryClient = useQueryClient();
  const dead = useQuery({ queryKey: KEY, queryFn: () => request<DeadLetter[]>("/crm/deadletters", { query: { limit: 200 } }) });
  const [message, setMessage] = useState("");
  const replay = useMutation({
    mutationFn: (id: number) => request<{ delivery_id: number; status: string }>(`/crm/deadletters/${id}/replay`, { method: "POST" }),
    onSuccess: (out) => {
      setMessage(`Delivery ${out.delivery_id} queued again.`);
      void queryClient.invalidateQueries({ queryKey: KEY });
      void queryClient.invalidateQueries({ queryKey: WEBHOOKS_KEY }); // its endpoint's counts changed
    },
  });

  return (
    <section aria-labelledby="crm-dead-title">
      <h2 id="crm-dead-title" className="mb-2 text-lg font-semibold">
        Webhook dead letters
      </h2>
      <p className="mb-3 text-sm text-slate-700">
        Deliveries to the CRM that failed after every retry (or hit an endpoint that is gone). Fix the cause, then replay.
      </p>
      <p role="status" className="mb-2 text-sm text-green-800">
        {message}
      </p>
      {replay.isError && (
        <p role="alert" className="mb-2 rounded-md bg-red-50 p-2 text-sm text-red-900">
          Could not replay: {replay.error.message}
        </p>
      )}
      {dead.isPending && <Spinner label="Loading dead letters…" />}
      {dead.isError && <ErrorState error={dead.error} retry={() => void dead.refetch()} />}
      {dead.isSuccess && dead.data.length === 0 && <p className="card p-4 text-slate-700">No dead letters: every delivery got through.</p>}
      {dead.isSuccess && dead.data.length > 0 && (
        <ScrollTable label="Dead letters table" caption="Webhook deliveries that exhausted their retries" minWidth="min-w-[48rem]" headers={["Delivery", "Event", "Endpoint", "Attempts", "Last error", "Last attempt", <span className="sr-only">Actions</span>]}>
          {dead.data.map((d) => (
            <tr key={d.delivery_id} className="border-t border-slate-200 align-top">
              <td className="px-3 py-2 tabular-nums">#{d.delivery_id}</td>
              <td className="px-3 py-2">
                {d.event_type}
                {d.lead_id ? <span className="block text-slate-700">lead #{d.lead_id}</span> : null}
              </td>
              <td className="px-3 py-2">{d.endpoint_name}</td>
              <td className="px-3 py-2 tabular-nums">{d.attempts}</td>
              <td className="max-w-xs break-words px-3 py-2">
                {d.last_status_code ? `HTTP ${d.last_status_code}` : ""}
                {d.last_status_code && d.last_error ? " · " : ""}
                {d.last_error ?? (d.last_status_code ? "" : "—")}
              </td>
              <td className="px-3 py-2">{formatDateTime(d.last_attempt_at)}</td>
              <td className="px-3 py-2 text-right">
                <button type="button" className="btn-secondary" disabled={replay.isPending} onClick={() => replay.mutate(d.delivery_id)}>
                  Replay<span className="sr-only"> delivery {d.delivery_id}</span>
                </button>
              </td>
            </tr>
          ))}
        </ScrollTable>
      )}
    </section>
  );
}
